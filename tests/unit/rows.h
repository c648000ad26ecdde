/*
 * rows.h: a row stream in memory as text, for unit tests of sources to
 * compare with what they expect: the first line is the columns
 * (name:type, comma-separated), then a line a row, the values in their
 * text form (value.h) separated by |, NULL as \N. Returns false when
 * the stream is not whole.
 */
#ifndef SLUICE_UNIT_ROWS_H
#define SLUICE_UNIT_ROWS_H

#include <stdbool.h>

#include "rowstream.h"
#include "value.h"

static inline bool
rows_text(const struct sl_buf *stream, struct sl_buf *out)
{
	struct rs_reader *r = rs_memopen(stream->p, stream->len, "test", 0);
	const struct rs_header *h;
	const struct rs_row *row;
	enum rs_event e;
	size_t i;

	sl_buf_reset(out);
	while ((e = rs_next(r)) > RS_EOF) {
		if (e == RS_HEADER) {
			h = rs_header(r);
			for (i = 0; i < h->ncols; i++)
				sl_buf_printf(out, "%s%s:%s", i ? "," : "",
				    h->cols[i].name, h->cols[i].type);
			sl_buf_addc(out, '\n');
		} else if (e == RS_ROW) {
			row = rs_row(r);
			for (i = 0; i < row->ncols; i++) {
				if (i > 0)
					sl_buf_addc(out, '|');
				if (row->v[i].type == MSGPACK_OBJECT_NIL)
					sl_buf_adds(out, "\\N");
				else
					sl_fmt_text(out, &row->v[i]);
			}
			sl_buf_addc(out, '\n');
		}
	}
	rs_close(r);
	return e == RS_EOF && sl_buf_cstr(out);
}

#endif
