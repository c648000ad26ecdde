/*
 * pgx_copy.c: one line of COPY ... TO STDOUT text format into the values
 * of one row stream row (pgx.h). The line is split at tabs; a field that
 * is exactly \N is NULL; the others have their backslash escapes undone
 * (\b \f \n \r \t \v, \ and up to three octal digits, \x and one or two
 * hex digits, and \ before any other byte standing for that byte) and
 * are then read by the class of their column. The server's text forms
 * are fixed by the session settings pgx_connect() makes, so the same
 * data always decodes to the same values, hence the same row hashes:
 * that is why verify decodes with this file too.
 *
 * The decoder keeps two scratch buffers, so that decoding a row does not
 * allocate once they have grown to the widest field.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pgx.h"
#include "value.h"

struct pgx_decoder {
	struct rs_header	*h;
	struct sl_buf		 text;	/* a field with its escapes undone */
	struct sl_buf		 bin;	/* a bytea field's bytes */
};

struct pgx_decoder *
pgx_decoder_new(const struct rs_header *h)
{
	struct pgx_decoder *d;

	if ((d = calloc(1, sizeof(*d))) == NULL) {
		sl_err("out of memory");
		return NULL;
	}
	if ((d->h = rs_header_dup(h)) == NULL) {
		free(d);
		return NULL;
	}
	return d;
}

void
pgx_decoder_free(struct pgx_decoder *d)
{
	if (d == NULL)
		return;
	rs_header_free(d->h);
	sl_buf_free(&d->text);
	sl_buf_free(&d->bin);
	free(d);
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Undoes the COPY escapes of s[0..n) into b (reset first); pgx.h. */
bool
pgx_copy_unescape(struct sl_buf *b, const char *s, size_t n)
{
	size_t i = 0, k;
	int c, v;

	sl_buf_reset(b);
	if (!sl_buf_grow(b, n))
		return false;
	while (i < n) {
		c = (unsigned char)s[i++];
		if (c != '\\' || i == n) {
			b->p[b->len++] = (char)c;
			continue;
		}
		c = (unsigned char)s[i++];
		switch (c) {
		case 'b': c = '\b'; break;
		case 'f': c = '\f'; break;
		case 'n': c = '\n'; break;
		case 'r': c = '\r'; break;
		case 't': c = '\t'; break;
		case 'v': c = '\v'; break;
		case 'x':
			if (i < n && (v = hexval(s[i])) >= 0) {
				c = v;
				if (++i < n && (v = hexval(s[i])) >= 0) {
					c = c * 16 + v;
					i++;
				}
			}
			break;
		default:
			if (c >= '0' && c <= '7') {
				c -= '0';
				for (k = 0; k < 2 && i < n && s[i] >= '0' &&
				    s[i] <= '7'; k++)
					c = c * 8 + (s[i++] - '0');
				c &= 0xff;
			}
			break;
		}
		b->p[b->len++] = (char)c;
	}
	return true;
}

/* A decimal integer, all of s[0..n), within int64. */
static bool
parse_int(const char *s, size_t n, int64_t *out)
{
	uint64_t v = 0, lim;
	bool neg = false;
	size_t i = 0;
	unsigned d;

	if (n > 0 && (s[0] == '-' || s[0] == '+')) {
		neg = s[0] == '-';
		i++;
	}
	if (i == n)
		return false;
	lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; i < n; i++) {
		d = (unsigned)(s[i] - '0');
		if (d > 9 || v > (lim - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return true;
}

/* A float8 as the server prints it, NaN and the infinities included. */
static bool
parse_float(const char *s, size_t n, double *out)
{
	char tmp[64], *end;

	if (n == 0 || n >= sizeof(tmp))
		return false;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	if (strcmp(tmp, "NaN") == 0) {
		*out = NAN;
		return true;
	}
	errno = 0;
	*out = strtod(tmp, &end);
	/* strtod also takes "nan(...)", hex and "inf": the server never
	 * prints those, but nothing is lost by accepting them */
	return end == tmp + n && (errno == 0 || errno == ERANGE);
}

/* bytea's hex output form, \x then two digits a byte, into d->bin. */
static bool
parse_bytea(struct sl_buf *b, const char *s, size_t n)
{
	size_t i;
	int hi, lo;

	sl_buf_reset(b);
	if (n < 2 || s[0] != '\\' || s[1] != 'x' || n % 2 != 0)
		return false;
	if (!sl_buf_grow(b, (n - 2) / 2))
		return false;
	for (i = 2; i < n; i += 2) {
		if ((hi = hexval(s[i])) < 0 || (lo = hexval(s[i + 1])) < 0)
			return false;
		b->p[b->len++] = (char)(hi << 4 | lo);
	}
	return true;
}

/* Puts one non-NULL field s[0..n), as it is on the line, into w. */
static bool
put_field(struct pgx_decoder *d, const struct rs_col *col, const char *s,
    size_t n, bool escaped, uint64_t rownum, struct rs_writer *w)
{
	const char *what;
	char show[SL_PRINTABLE];
	int64_t i;
	double f;

	if (escaped) {
		if (!pgx_copy_unescape(&d->text, s, n))
			return false;
		s = d->text.p;
		n = d->text.len;
	}
	switch (col->cls) {
	case RS_INT:
		what = "an integer";
		if (!parse_int(s, n, &i))
			goto bad;
		rs_put_int(w, i);
		return true;
	case RS_FLOAT:
		what = "a float";
		if (!parse_float(s, n, &f))
			goto bad;
		rs_put_double(w, f);
		return true;
	case RS_BOOL:
		what = "a boolean (t or f)";
		if (n != 1 || (s[0] != 't' && s[0] != 'f'))
			goto bad;
		rs_put_bool(w, s[0] == 't');
		return true;
	case RS_BYTEA:
		what = "bytea in hex form (\\x...)";
		if (!parse_bytea(&d->bin, s, n))
			goto bad;
		rs_put_bin(w, d->bin.p, d->bin.len);
		return true;
	case RS_TEXT:
		rs_put_str(w, s, n);
		return true;
	}
	what = "a known type";
bad:
	sl_err("row %" PRIu64 ": column \"%s\" (%s): \"%s\" is not %s",
	    rownum, col->name, col->type, sl_printable(show, sizeof(show), s,
	    n), what);
	return false;
}

/* Reports a line whose number of fields is not the header's. */
static bool
bad_arity(const char *line, size_t len, uint64_t rownum, size_t ncols)
{
	const char *p = line, *end = line + len;
	size_t nf = 1;

	while ((p = memchr(p, '\t', (size_t)(end - p))) != NULL) {
		nf++;
		p++;
	}
	sl_err("row %" PRIu64 ": %zu fields on the COPY line, expected %zu",
	    rownum, nf, ncols);
	return false;
}

bool
pgx_decode_row(struct pgx_decoder *d, const char *line, size_t len,
    uint64_t rownum, struct rs_writer *w)
{
	const struct rs_header *h = d->h;
	const char *p = line, *end, *tab;
	bool escaped;
	size_t i;

	if (len > 0 && line[len - 1] == '\n')
		len--;
	end = line + len;
	if (h->ncols == 0)	/* a row of no columns is an empty line */
		return len == 0 ? !rs_wfailed(w) :
		    bad_arity(line, len, rownum, 0);
	for (i = 0; i < h->ncols; i++) {
		if (p > end)	/* the previous field ended the line */
			return bad_arity(line, len, rownum, h->ncols);
		/* one pass for the tab and any backslash: fields are short,
		 * and two memchr() calls a field cost more than this loop */
		escaped = false;
		for (tab = p; tab < end && *tab != '\t'; tab++)
			escaped |= *tab == '\\';
		if (tab - p == 2 && p[0] == '\\' && p[1] == 'N')
			rs_put_nil(w);
		else if (!put_field(d, &h->cols[i], p, (size_t)(tab - p),
		    escaped, rownum, w))
			return false;
		p = tab + 1;
	}
	if (p <= end)
		return bad_arity(line, len, rownum, h->ncols);
	return !rs_wfailed(w);
}
