/*
 * rsgen: writes a row stream of N synthetic people for the benchmarks:
 * id int8, school_id int4, full_name text, email text, city text,
 * born date (as text), the shape the issues' targets are stated on.
 *
 *	rsgen [-n ROWS] [-t TABLE] [-s SEED]
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "exitcodes.h"
#include "prog.h"
#include "rowstream.h"
#include "rsout.h"

static const char *const first[] = { "Ada", "Grace", "Alan", "Émile",
    "Siobhán", "José", "Mary Ann", "Jean-Luc", "Dr. Ruth", "Ole" };
static const char *const last[] = { "Lovelace", "Hopper", "Turing",
    "van der Berg", "O'Brien", "Østergaard", "Smith-Jones", "de la Cruz",
    "McDonald", "Jr." };
static const char *const cities[] = { "Springfield", "Shelbyville",
    "Ogdenville", "North Haverbrook", "Capital City" };

static uint64_t seed = 42;

static uint64_t
rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return seed;
}

int
main(int argc, char *argv[])
{
	static const char *const cols[][2] = { { "id", "int8" },
	    { "school_id", "int4" }, { "full_name", "text" },
	    { "email", "text" }, { "city", "text" }, { "born", "date" } };
	const char *table = "people";
	struct rs_header *h;
	struct rs_writer *w;
	uint64_t n = 1000000, i;
	char name[64], email[80], born[16];
	int c, k;

	sl_setprogname(argv[0]);
	while ((c = getopt(argc, argv, "n:s:t:")) != -1) {
		if (c == 'n' && sl_parse_u64(optarg, &n))
			continue;
		if (c == 's' && sl_parse_u64(optarg, &seed) && seed != 0)
			continue;
		if (c == 't') {
			table = optarg;
			continue;
		}
		die(EXIT_USAGE, "usage: rsgen [-n ROWS] [-t TABLE] [-s SEED]");
	}
	h = rs_header_new(table, 6);
	for (k = 0; k < 6; k++)
		rs_header_setcol(h, (size_t)k, cols[k][0], cols[k][1]);
	w = rs_wopen(1, "stdout");
	if (h == NULL || w == NULL || !rs_begin(w, h))
		return EXIT_IO;
	for (i = 1; i <= n; i++) {
		uint64_t r = rnd();
		int nl = snprintf(name, sizeof(name), "%s %s", first[r % 10],
		    last[(r >> 8) % 10]);
		int el = snprintf(email, sizeof(email), "user%" PRIu64
		    "@school%" PRIu64 ".example.org", i, (r >> 16) % 500);
		int bl = snprintf(born, sizeof(born), "%04d-%02d-%02d",
		    1990 + (int)((r >> 24) % 30), 1 + (int)((r >> 32) % 12),
		    1 + (int)((r >> 40) % 28));

		rs_row_begin(w);
		rs_put_int(w, (int64_t)i);
		rs_put_int(w, (int64_t)((r >> 48) % 500 + 1));
		rs_put_str(w, name, (size_t)nl);
		rs_put_str(w, email, (size_t)el);
		rs_put_str(w, cities[(r >> 56) % 5], strlen(cities[(r >> 56) % 5]));
		rs_put_str(w, born, (size_t)bl);
		if (!rs_row_end(w))
			return EXIT_IO;
	}
	return rsout_done(w, h);
}
