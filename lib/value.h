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

#endif
