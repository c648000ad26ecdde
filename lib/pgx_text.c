/*
 * pgx_text.c: row stream values -> COPY ... FROM STDIN text format (see
 * pgx.h). A value is its PostgreSQL text form with the four characters
 * COPY would take for structure escaped: backslash, tab (the delimiter),
 * newline and carriage return. NULL is \N. bytea is its hex form, whose
 * backslash is itself escaped (\\x...), since COPY undoes one level of
 * backslashes before the type's input function sees the value.
 *
 * This is load's hot loop, so integers are formatted by hand rather than
 * through snprintf, and strings are copied in runs between the bytes
 * that need an escape.
 */
#include <inttypes.h>
#include <string.h>

#include "pgx.h"
#include "value.h"

/* Appends u in decimal, after a minus sign when neg. */
static bool
put_uint(struct sl_buf *b, uint64_t u, bool neg)
{
	char s[24], *e = s + sizeof(s), *p = e;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0);
	if (neg)
		*--p = '-';
	return sl_buf_add(b, p, (size_t)(e - p));
}

/* The bytes a COPY text value cannot hold as they are. */
static const char escape[256] = {
	['\\'] = '\\', ['\t'] = 't', ['\n'] = 'n', ['\r'] = 'r', ['\0'] = '0',
};

/*
 * Appends s with COPY's escapes. Most values have nothing to escape, so
 * the bytes are copied in runs found through the table above; a NUL
 * cannot be sent in text format and is reported (with its offset, which
 * helps find it in a long value).
 */
static bool
put_str(struct sl_buf *b, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i, run = 0;

	for (i = 0; i < n; i++) {
		if (escape[u[i]] == 0)
			continue;
		if (u[i] == '\0') {
			sl_err("invalid byte sequence for encoding \"UTF8\": "
			    "0x00 (a NUL byte at offset %zu; text cannot hold "
			    "one)", i);
			return false;
		}
		if (!sl_buf_add(b, s + run, i - run) ||
		    !sl_buf_addc(b, '\\') || !sl_buf_addc(b, escape[u[i]]))
			return false;
		run = i + 1;
	}
	return sl_buf_add(b, s + run, n - run);
}

/* Appends one value in COPY text form; false on a NUL in a str. */
bool
pgx_encode_value(struct sl_buf *b, const msgpack_object *o)
{
	switch (o->type) {
	case MSGPACK_OBJECT_NIL:
		return sl_buf_add(b, "\\N", 2);
	case MSGPACK_OBJECT_BOOLEAN:
		return sl_buf_addc(b, o->via.boolean ? 't' : 'f');
	case MSGPACK_OBJECT_POSITIVE_INTEGER:
		return put_uint(b, o->via.u64, false);
	case MSGPACK_OBJECT_NEGATIVE_INTEGER:
		/* -(i + 1) + 1 does not overflow for INT64_MIN */
		return put_uint(b, (uint64_t)-(o->via.i64 + 1) + 1, true);
	case MSGPACK_OBJECT_FLOAT32:
	case MSGPACK_OBJECT_FLOAT64:
		return sl_fmt_double(b, o->via.f64);
	case MSGPACK_OBJECT_STR:
		return put_str(b, o->via.str.ptr, o->via.str.size);
	case MSGPACK_OBJECT_BIN:
		return sl_buf_addc(b, '\\') &&
		    sl_fmt_hex(b, o->via.bin.ptr, o->via.bin.size);
	default:
		sl_err("a value of MessagePack type %d has no COPY text form",
		    (int)o->type);
		return false;
	}
}

/*
 * Appends a whole row: values, tabs between, a newline. On failure b is
 * left as it was, so the caller can reject the row and go on.
 */
bool
pgx_encode_row(struct sl_buf *b, const struct rs_row *row)
{
	size_t i, len = b->len;

	for (i = 0; i < row->ncols; i++)
		if ((i > 0 && !sl_buf_addc(b, '\t')) ||
		    !pgx_encode_value(b, &row->v[i])) {
			b->len = len;
			return false;
		}
	if (!sl_buf_addc(b, '\n')) {
		b->len = len;
		return false;
	}
	return true;
}
