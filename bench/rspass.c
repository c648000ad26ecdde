/*
 * rspass: the pass-through filter of the row stream benchmark: reads a
 * stream, checks it, and writes it again, in one of three ways:
 *
 *	rspass copy	whole rows, bytes and hash reused (rs_row_copy)
 *	rspass spans	value by value, copying each value's bytes
 *			(rs_put_raw): what a filter touching one column
 *			does with the others
 *	rspass repack	value by value, re-encoding the decoded objects
 *			(rs_put_value)
 */
#include <string.h>

#include "exitcodes.h"
#include "prog.h"
#include "rowstream.h"

int
main(int argc, char *argv[])
{
	struct rs_reader *r = rs_fdopen(0, "stdin");
	struct rs_writer *w = rs_wopen(1, "stdout");
	const struct rs_row *row;
	enum rs_event ev;
	int mode;
	size_t i;

	sl_setprogname(argv[0]);
	if (argc != 2)
		die(EXIT_USAGE, "usage: rspass copy|spans|repack");
	mode = strcmp(argv[1], "copy") == 0 ? 0 :
	    strcmp(argv[1], "spans") == 0 ? 1 : 2;
	while ((ev = rs_next(r)) > 0) {
		if (ev == RS_HEADER) {
			if (!rs_begin(w, rs_header(r)))
				return EXIT_IO;
		} else if (ev == RS_TRAILER) {
			if (!rs_end(w))
				return EXIT_IO;
		} else if (mode == 0) {
			if (!rs_row_copy(w, rs_row(r)))
				return EXIT_IO;
		} else {
			row = rs_row(r);
			rs_row_begin(w);
			for (i = 0; i < row->ncols; i++) {
				if (mode == 1)
					rs_put_raw(w, row->raw + row->off[i],
					    row->off[i + 1] - row->off[i]);
				else
					rs_put_value(w, &row->v[i]);
			}
			if (!rs_row_end(w))
				return EXIT_IO;
		}
	}
	if (ev == RS_ERROR)
		return rs_status(r);
	rs_close(r);
	if (!rs_wfinish(w)) {
		rs_wclose(w);
		return EXIT_IO;
	}
	return rs_wclose(w) ? EXIT_OK : EXIT_IO;
}
