/*
 * value.h: values of a row stream as text, for people, for JSON and for
 * PostgreSQL. The text form of a value is the one PostgreSQL prints
 * (and so accepts back): integers in decimal, floats in the shortest
 * form that reads back to the same double ("NaN", "Infinity",
 * "-Infinity" included), booleans as t and f, bytea as \x and hex,
 * strings as they are. NULL has no text form; callers decide.
 */
#ifndef SLUICE_VALUE_H
#define SLUICE_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <msgpack.h>

#include "buf.h"

bool sl_fmt_double(struct sl_buf *b, double d);
bool sl_fmt_hex(struct sl_buf *b, const void *p, size_t n);
bool sl_fmt_base64(struct sl_buf *b, const void *p, size_t n);
bool sl_fmt_text(struct sl_buf *b, const msgpack_object *o);
bool sl_fmt_json_str(struct sl_buf *b, const char *p, size_t n);
size_t sl_utf8_valid(const char *p, size_t n);

/* A buffer for sl_printable: a value of up to about 80 bytes, shown whole. */
#define SL_PRINTABLE	84
char *sl_printable(char *buf, size_t size, const char *p, size_t n);

/*
 * The other way: text to values, as PostgreSQL's input functions read
 * them, for sources that carry text where a column wants a number (CSV
 * with --types, a text value in a SQLite integer column). Each takes
 * the whole of s[0..n) (no NUL needed, none allowed), refuses leading
 * spaces and trailing bytes, and reports nothing: the caller names the
 * row and column.
 */
void sl_int_range(const char *type, int64_t *lo, int64_t *hi);
bool sl_parse_int(const char *s, size_t n, int64_t lo, int64_t hi,
    int64_t *v);
bool sl_parse_float(const char *s, size_t n, double *d);
int sl_parse_bool(const char *s, size_t n);
bool sl_text_valid(const char *s, size_t n);

#endif
