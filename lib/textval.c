/*
 * textval.c: text into a column's class of value. See textval.h.
 */
#include <ctype.h>
#include <stdint.h>

#include "textval.h"
#include "value.h"

static int
hexdigit(int c)
{
	if (!isxdigit(c))
		return -1;
	return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

/* bytea's hex form \x..., after the \x, into b (reset first). */
bool
tv_hex(struct sl_buf *b, const char *s, size_t n)
{
	size_t i;
	int hi, lo;

	sl_buf_reset(b);
	if (n % 2 != 0 || !sl_buf_grow(b, n / 2))
		return false;
	for (i = 0; i < n; i += 2) {
		if ((hi = hexdigit((unsigned char)s[i])) < 0 ||
		    (lo = hexdigit((unsigned char)s[i + 1])) < 0)
			return false;
		b->p[b->len++] = (char)(hi << 4 | lo);
	}
	return true;
}

bool
tv_put(struct rs_writer *w, const struct rs_col *col, const char *s,
    size_t n, struct sl_buf *scratch)
{
	int64_t v, lo, hi;
	double d;
	int b;

	switch (col->cls) {
	case RS_INT:
		sl_int_range(col->type, &lo, &hi);
		if (!sl_parse_int(s, n, lo, hi, &v))
			return false;
		rs_put_int(w, v);
		return true;
	case RS_FLOAT:
		if (!sl_parse_float(s, n, &d))
			return false;
		rs_put_double(w, d);
		return true;
	case RS_BOOL:
		if ((b = sl_parse_bool(s, n)) < 0)
			return false;
		rs_put_bool(w, b == 1);
		return true;
	case RS_BYTEA:
		if (n < 2 || s[0] != '\\' || s[1] != 'x') {
			rs_put_bin(w, s, n);
			return true;
		}
		if (!tv_hex(scratch, s + 2, n - 2))
			return false;
		rs_put_bin(w, scratch->p, scratch->len);
		return true;
	case RS_TEXT:
		break;
	}
	if (!sl_text_valid(s, n))
		return false;
	rs_put_str(w, s, n);
	return true;
}
