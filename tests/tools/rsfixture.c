/*
 * rsfixture: writes a fixed row stream with sluice's writer, for the
 * interoperability test: tests/interop/decode.py decodes it with
 * python3-msgpack and compares every value with its own list.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <unistd.h>

#include "exitcodes.h"
#include "rowstream.h"
#include "rsout.h"

static void
row(struct rs_writer *w, int64_t i, uint64_t u, double f, int b,
    const char *s, size_t sn, const char *x, size_t xn)
{
	rs_row_begin(w);
	if (i == INT64_MIN + 1)
		rs_put_nil(w);
	else
		rs_put_int(w, i);
	rs_put_uint(w, u);
	rs_put_double(w, f);
	if (b < 0)
		rs_put_nil(w);
	else
		rs_put_bool(w, b);
	if (s == NULL)
		rs_put_nil(w);
	else
		rs_put_str(w, s, sn);
	if (x == NULL)
		rs_put_nil(w);
	else
		rs_put_bin(w, x, xn);
	rs_row_end(w);
}

int
main(void)
{
	static const char *const names[] = { "i", "u", "f", "b", "s", "x" };
	static const char *const types[] = { "int8", "int8", "float8", "bool",
	    "text", "bytea" };
	static char big[70000];
	struct rs_header *h = rs_header_new("fixture", 6);
	struct rs_writer *w = rs_wopen(1, "stdout");
	const char *key[] = { "i" };
	size_t k;

	for (k = 0; k < 6; k++)
		rs_header_setcol(h, k, names[k], types[k]);
	rs_header_setkey(h, 1, key);
	rs_header_setsource(h, "rsfixture");
	for (k = 0; k < sizeof(big); k++)
		big[k] = (char)('a' + k % 26);
	rs_begin(w, h);
	row(w, 0, 0, 0.0, 1, "", 0, "", 0);
	row(w, -1, 127, -0.0, 0, "Siobhán Østergaard", 20, "\x00\x01", 2);
	row(w, -33, 128, 1.5, -1, NULL, 0, NULL, 0);
	row(w, INT32_MIN, 65536, DBL_MAX, 1, big, 31, big, 255);
	row(w, INT64_MIN, UINT64_MAX, 5e-324, 0, big, 32, big, 256);
	row(w, INT64_MAX, 4294967296ULL, INFINITY, 1, big, 65536, big, 65536);
	row(w, INT64_MIN + 1, 1, NAN, 1, big, 256, big, 70000);
	rs_end(w);
	rs_header_setcol(h, 0, "id", "int4");
	rs_header_settable(h, "second");
	rs_header_setkey(h, 0, NULL);
	rs_begin(w, h);
	row(w, 7, 7, 7.0, 1, "seven", 5, "7", 1);
	return rsout_done(w, h);
}
