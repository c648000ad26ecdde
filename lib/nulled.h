/*
 * nulled.h: the --nulled file of cols: every value an expression could
 * not convert and that became NULL (the item's policy "null"), so that
 * a team can fix the source later and nothing changes silently. Like
 * the rejects file (rejects.h) it is a row stream written through an
 * sl_ofile (whole or not at all, 0600): for each input segment with
 * nulled values, a segment with the same table name, the input's key
 * columns (the header's "key", with their types), then
 *
 *	_row	int8	the row's number in its segment (1-based)
 *	_column	text	the output column that was nulled
 *	_value	text	the value the failing function was given
 *	_reason	text	why, e.g. "ts: not a date in the format ..."
 *
 * A run that nulls nothing still writes a whole stream: one empty
 * segment like the first segment it noted.
 */
#ifndef SLUICE_NULLED_H
#define SLUICE_NULLED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rowstream.h"

struct sl_nulled;

struct sl_nulled *sl_nulled_open(const char *path);

/* Notes a segment the program began reading (for the empty file). */
bool sl_nulled_note(struct sl_nulled *nl, const struct rs_header *h);

/* Records a value of the current row of r; false on a write error. */
bool sl_nulled_put(struct sl_nulled *nl, const struct rs_reader *r,
    const char *column, const char *value, size_t vlen, const char *reason);

uint64_t sl_nulled_count(const struct sl_nulled *nl);

/* As sl_rejects_close: into place (commit) or removed; frees nl. */
bool sl_nulled_close(struct sl_nulled *nl, bool commit);

#endif
