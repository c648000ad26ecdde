/*
 * kmload: loads a map file into a keymap, as remap --map does, and
 * prints the pairs, the seconds it took, the bytes the map holds and
 * the bytes a pair, then looks every key of 1..N up once.
 *
 *	kmload MAPFILE
 *	kmload -g N > MAPFILE	(writes N pairs int8 i -> uuid5("bench", i))
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "exitcodes.h"
#include "keymap.h"
#include "prog.h"
#include "progress.h"
#include "rowstream.h"
#include "rsout.h"
#include "uuid.h"

static int
gen(uint64_t n)
{
	struct rs_header *h = rs_header_new("map", 2);
	struct rs_writer *w = rs_wopen(1, "stdout");
	struct sl_uuid5 g;
	uint8_t u[SL_UUID_LEN];
	char s[24], t[SL_UUID_TEXT];
	uint64_t i;
	int k;

	if (h == NULL || w == NULL || !sl_uuid5_ns(&g, "bench"))
		return EXIT_IO;
	rs_header_setcol(h, 0, "old_id", "int8");
	rs_header_setcol(h, 1, "id", "uuid");
	rs_begin(w, h);
	for (i = 1; i <= n; i++) {
		k = snprintf(s, sizeof(s), "%" PRIu64, i);
		sl_uuid5(&g, s, (size_t)k, u);
		sl_uuid_fmt(u, t);
		rs_row_begin(w);
		rs_put_uint(w, i);
		rs_put_str(w, t, sizeof(t));
		if (!rs_row_end(w))
			return EXIT_IO;
	}
	return rsout_done(w, h);
}

int
main(int argc, char *argv[])
{
	struct sl_keymap *m;
	uint64_t n, i, found = 0;
	double t0, t1, t2;
	int st;

	sl_setprogname(argv[0]);
	if (argc == 3 && strcmp(argv[1], "-g") == 0 &&
	    sl_parse_u64(argv[2], &n))
		return gen(n);
	if (argc != 2)
		die(EXIT_USAGE, "usage: kmload MAPFILE | kmload -g N");
	t0 = sl_now();
	if ((m = sl_keymap_load(argv[1], false, &st)) == NULL)
		return st;
	t1 = sl_now();
	n = sl_keymap_count(m);
	for (i = 1; i <= n; i++)
		found += sl_keymap_get_int(m, (int64_t)i) != NULL;
	t2 = sl_now();
	printf("%zu pairs loaded in %.2f s, %zu bytes (%.1f a pair); "
	    "%" PRIu64 " lookups (%" PRIu64 " found) in %.2f s\n",
	    sl_keymap_count(m), t1 - t0, sl_keymap_bytes(m),
	    (double)sl_keymap_bytes(m) / (double)n, n, found, t2 - t1);
	sl_keymap_free(m);
	return EXIT_OK;
}
