/*
 * textval.h: a value that arrives as text (a CSV field, a text dump's
 * field, a JSON string) put into a row stream as its column's class
 * wants it: integers, floats and booleans parsed as PostgreSQL's input
 * functions read them (value.h), bytea from its hex form (\x...) or
 * else as the bytes themselves, text checked to be UTF-8 without NUL.
 *
 * tv_put() returns false, writing nothing and reporting nothing, when
 * the text is no value of the column: the caller names the line and
 * the column. scratch is the caller's buffer, reused for bytea.
 */
#ifndef SLUICE_TEXTVAL_H
#define SLUICE_TEXTVAL_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "rowstream.h"

bool tv_put(struct rs_writer *w, const struct rs_col *col, const char *s,
    size_t n, struct sl_buf *scratch);
bool tv_hex(struct sl_buf *b, const char *s, size_t n);

#endif
