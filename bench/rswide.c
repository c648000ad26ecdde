/*
 * rswide: writes a row stream with one very wide header, for the header
 * benchmark: COLS columns "id" (int8) then "c2".."cCOLS" (text, or int8
 * every third column so that load and cols see more than one type), and
 * ROWS rows of short values. The column names share a long prefix so
 * that comparing two of them is not decided by the first byte.
 *
 *	rswide [-c COLS] [-n ROWS] [-t TABLE]
 */
#include <inttypes.h>
#include <stdio.h>
#include <unistd.h>

#include "exitcodes.h"
#include "prog.h"
#include "rowstream.h"
#include "rsout.h"

int
main(int argc, char *argv[])
{
	const char *table = "wide";
	struct rs_header *h;
	struct rs_writer *w;
	uint64_t ncols = 300000, nrows = 2, i, j;
	char name[64];
	int c, n;

	sl_setprogname(argv[0]);
	while ((c = getopt(argc, argv, "c:n:t:")) != -1) {
		if (c == 'c' && sl_parse_u64(optarg, &ncols) && ncols > 0)
			continue;
		if (c == 'n' && sl_parse_u64(optarg, &nrows))
			continue;
		if (c == 't') {
			table = optarg;
			continue;
		}
		die(EXIT_USAGE, "usage: rswide [-c COLS] [-n ROWS] [-t TABLE]");
	}
	if ((h = rs_header_new(table, (size_t)ncols)) == NULL)
		return EXIT_IO;
	if (!rs_header_setcol(h, 0, "id", "int8"))
		return EXIT_IO;
	for (i = 1; i < ncols; i++) {
		snprintf(name, sizeof(name), "column_of_a_wide_table_%" PRIu64,
		    i + 1);
		if (!rs_header_setcol(h, (size_t)i, name,
		    i % 3 == 0 ? "int8" : "text"))
			return EXIT_IO;
	}
	w = rs_wopen(1, "stdout");
	if (w == NULL || !rs_begin(w, h))
		return EXIT_IO;
	for (i = 1; i <= nrows; i++) {
		rs_row_begin(w);
		rs_put_int(w, (int64_t)i);
		for (j = 1; j < ncols; j++) {
			if (j % 3 == 0) {
				rs_put_int(w, (int64_t)j);
				continue;
			}
			n = snprintf(name, sizeof(name), "v%" PRIu64, j);
			rs_put_str(w, name, (size_t)n);
		}
		if (!rs_row_end(w))
			return EXIT_IO;
	}
	return rsout_done(w, h);
}
