/*
 * value.c: text forms of row stream values. See value.h.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "value.h"

/*
 * The shortest decimal that reads back as d: the same text PostgreSQL
 * (12 and later) prints for a float8 with extra_float_digits > 0.
 */
bool
sl_fmt_double(struct sl_buf *b, double d)
{
	char s[32];
	int prec;

	if (isnan(d))
		return sl_buf_adds(b, "NaN");
	if (isinf(d))
		return sl_buf_adds(b, d > 0 ? "Infinity" : "-Infinity");
	for (prec = 15; prec <= 17; prec++) {
		snprintf(s, sizeof(s), "%.*g", prec, d);
		if (strtod(s, NULL) == d)
			break;
	}
	return sl_buf_adds(b, s);
}

/* bytea in PostgreSQL's hex output form: \x then two digits a byte. */
bool
sl_fmt_hex(struct sl_buf *b, const void *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	const unsigned char *s = p;
	char *o;
	size_t i;

	if (!sl_buf_grow(b, 2 + 2 * n))
		return false;
	o = b->p + b->len;
	*o++ = '\\';
	*o++ = 'x';
	for (i = 0; i < n; i++) {
		*o++ = digits[s[i] >> 4];
		*o++ = digits[s[i] & 15];
	}
	b->len += 2 + 2 * n;
	return true;
}

/* Standard base64 (RFC 4648) with padding. */
bool
sl_fmt_base64(struct sl_buf *b, const void *p, size_t n)
{
	static const char a[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *s = p;
	size_t i, need = (n + 2) / 3 * 4;
	unsigned long v;
	char *o;

	if (!sl_buf_grow(b, need))
		return false;
	o = b->p + b->len;
	for (i = 0; i + 2 < n; i += 3) {
		v = (unsigned long)s[i] << 16 | (unsigned long)s[i + 1] << 8 |
		    s[i + 2];
		*o++ = a[v >> 18 & 63];
		*o++ = a[v >> 12 & 63];
		*o++ = a[v >> 6 & 63];
		*o++ = a[v & 63];
	}
	if (i < n) {
		v = (unsigned long)s[i] << 16;
		if (i + 1 < n)
			v |= (unsigned long)s[i + 1] << 8;
		*o++ = a[v >> 18 & 63];
		*o++ = a[v >> 12 & 63];
		*o++ = i + 1 < n ? a[v >> 6 & 63] : '=';
		*o++ = '=';
	}
	b->len += need;
	return true;
}

/* Appends the text form of a non-nil scalar (value.h). */
bool
sl_fmt_text(struct sl_buf *b, const msgpack_object *o)
{
	char s[24];
	int n;

	switch (o->type) {
	case MSGPACK_OBJECT_BOOLEAN:
		return sl_buf_addc(b, o->via.boolean ? 't' : 'f');
	case MSGPACK_OBJECT_POSITIVE_INTEGER:
		n = snprintf(s, sizeof(s), "%" PRIu64, o->via.u64);
		return sl_buf_add(b, s, (size_t)n);
	case MSGPACK_OBJECT_NEGATIVE_INTEGER:
		n = snprintf(s, sizeof(s), "%" PRId64, o->via.i64);
		return sl_buf_add(b, s, (size_t)n);
	case MSGPACK_OBJECT_FLOAT32:
	case MSGPACK_OBJECT_FLOAT64:
		return sl_fmt_double(b, o->via.f64);
	case MSGPACK_OBJECT_STR:
		return sl_buf_add(b, o->via.str.ptr, o->via.str.size);
	case MSGPACK_OBJECT_BIN:
		return sl_fmt_hex(b, o->via.bin.ptr, o->via.bin.size);
	default:
		return true;
	}
}

/*
 * The length of the valid UTF-8 sequence at p (1 to 4), or 0 when the
 * bytes there are not one: overlong forms, surrogates and code points
 * past U+10FFFF are invalid too.
 */
size_t
sl_utf8_valid(const char *p, size_t n)
{
	const unsigned char *s = (const unsigned char *)p;
	unsigned long c;
	size_t len, i;

	if (n == 0)
		return 0;
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, c = s[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) ||
	    (len == 4 && (c < 0x10000 || c > 0x10ffff)))
		return 0;
	return len;
}

/*
 * A JSON string literal. Control characters are escaped; bytes that are
 * not valid UTF-8 become U+FFFD, so the output is always valid JSON.
 */
bool
sl_fmt_json_str(struct sl_buf *b, const char *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0, run, k;
	unsigned char c;

	if (!sl_buf_addc(b, '"'))
		return false;
	while (i < n) {
		for (run = i; run < n; run++) {
			c = (unsigned char)p[run];
			if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80)
				break;
		}
		if (!sl_buf_add(b, p + i, run - i))
			return false;
		if ((i = run) == n)
			break;
		c = (unsigned char)p[i];
		if (c >= 0x80) {
			if ((k = sl_utf8_valid(p + i, n - i)) == 0) {
				if (!sl_buf_adds(b, "\xef\xbf\xbd"))
					return false;
				i++;
			} else {
				if (!sl_buf_add(b, p + i, k))
					return false;
				i += k;
			}
			continue;
		}
		i++;
		switch (c) {
		case '"':
			if (!sl_buf_adds(b, "\\\""))
				return false;
			continue;
		case '\\':
			if (!sl_buf_adds(b, "\\\\"))
				return false;
			continue;
		case '\n':
			if (!sl_buf_adds(b, "\\n"))
				return false;
			continue;
		case '\r':
			if (!sl_buf_adds(b, "\\r"))
				return false;
			continue;
		case '\t':
			if (!sl_buf_adds(b, "\\t"))
				return false;
			continue;
		}
		if (!sl_buf_adds(b, "\\u00") || !sl_buf_addc(b, hex[c >> 4]) ||
		    !sl_buf_addc(b, hex[c & 15]))
			return false;
	}
	return sl_buf_addc(b, '"');
}

/*
 * Renders n bytes of input for a message, into buf (size bytes, at least
 * 8), and returns buf: printable UTF-8 as it is, NUL as \0, every other
 * byte (controls, DEL, C1 controls, bytes that are not UTF-8) as \xNN, so
 * that a message shows what the data holds and is itself valid text.
 * What does not fit ends in "..." after the last whole character shown.
 */
char *
sl_printable(char *buf, size_t size, const char *p, size_t n)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t i = 0, len = 0, cut = 0, k, w;
	char piece[8];

	while (i < n) {
		k = sl_utf8_valid(p + i, n - i);
		if (s[i] == '\0')
			k = 1, w = 2, memcpy(piece, "\\0", 2);
		else if (k == 0 || (k == 1 && (s[i] < 0x20 || s[i] == 0x7f)) ||
		    (k == 2 && s[i] == 0xc2 && s[i + 1] < 0xa0))
			k = 1, w = (size_t)snprintf(piece, sizeof(piece),
			    "\\x%02x", s[i]);
		else
			w = k, memcpy(piece, p + i, k);
		if (len + w >= size)
			break;
		memcpy(buf + len, piece, w);
		len += w;
		i += k;
		if (len + 3 < size)
			cut = len;
	}
	if (i < n) {
		memcpy(buf + cut, "...", 3);
		len = cut + 3;
	}
	buf[len] = '\0';
	return buf;
}

/* The integer types' ranges, by name; int8's for any other name. */
void
sl_int_range(const char *type, int64_t *lo, int64_t *hi)
{
	if (strcasecmp(type, "int2") == 0 || strcasecmp(type, "smallint") == 0)
		*lo = INT16_MIN, *hi = INT16_MAX;
	else if (strcasecmp(type, "int4") == 0 ||
	    strcasecmp(type, "integer") == 0 || strcasecmp(type, "int") == 0)
		*lo = INT32_MIN, *hi = INT32_MAX;
	else if (strcasecmp(type, "oid") == 0)
		*lo = 0, *hi = UINT32_MAX;
	else
		*lo = INT64_MIN, *hi = INT64_MAX;
}

/* A NUL-terminated copy of s[0..n) in buf, for strto*(); NULL if unfit. */
static const char *
cstr(const char *s, size_t n, char *buf, size_t size)
{
	if (n == 0 || n >= size || memchr(s, '\0', n) != NULL ||
	    isspace((unsigned char)s[0]))
		return NULL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return buf;
}

/* A decimal integer within [lo, hi]. */
bool
sl_parse_int(const char *s, size_t n, int64_t lo, int64_t hi, int64_t *v)
{
	char buf[32], *end;
	const char *t = cstr(s, n, buf, sizeof(buf));
	long long x;

	if (t == NULL)
		return false;
	errno = 0;
	x = strtoll(t, &end, 10);
	if (errno != 0 || *end != '\0' || x < lo || x > hi)
		return false;
	*v = x;
	return true;
}

/* A float as strtod reads it (NaN and Infinity too); overflow is inf. */
bool
sl_parse_float(const char *s, size_t n, double *d)
{
	char buf[64], *end;
	const char *t = cstr(s, n, buf, sizeof(buf));

	if (t == NULL)
		return false;
	errno = 0;
	*d = strtod(t, &end);
	return *end == '\0' && (errno == 0 || errno == ERANGE);
}

/*
 * What PostgreSQL's boolin accepts, whole words or these initials, in
 * any case: 1 for true, 0 for false, -1 for anything else.
 */
int
sl_parse_bool(const char *s, size_t n)
{
	static const char *const yes[] = { "t", "true", "y", "yes", "on", "1" };
	static const char *const no[] = { "f", "false", "n", "no", "off", "0" };
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strlen(yes[i]) == n && strncasecmp(s, yes[i], n) == 0)
			return 1;
		if (strlen(no[i]) == n && strncasecmp(s, no[i], n) == 0)
			return 0;
	}
	return -1;
}

/*
 * Whether s[0..n) can be a PostgreSQL text value (client_encoding UTF8):
 * valid UTF-8 without NUL bytes, which no text column can hold.
 */
bool
sl_text_valid(const char *s, size_t n)
{
	size_t i = 0, k;

	while (i < n) {
		if (s[i] == '\0')
			return false;
		if ((unsigned char)s[i] < 0x80)
			k = 1;
		else if ((k = sl_utf8_valid(s + i, n - i)) == 0)
			return false;
		i += k;
	}
	return true;
}
