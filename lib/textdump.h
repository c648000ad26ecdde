/*
 * textdump.h: PostgreSQL's COPY text format and `mysql --batch` output
 * as a source of row streams (extract --text).
 *
 * Both are lines of tab-separated fields: a field that is exactly the
 * NULL marker (\N, or what --null says: mysql --batch writes NULL) is
 * NULL, the others have their backslash escapes undone (\b \f \n \r \t
 * \v \\, \NNN in octal, \xHH; lib/pgx_copy.c) and are then read as
 * their column's class wants (lib/textval.c). A line that is exactly
 * \. ends the data, as it ends COPY FROM's; what follows is not read.
 * Names come from the first line (header) or from the caller; with
 * both, the caller's choose columns of the first line. A line whose
 * number of fields is not the first line's is an error naming it.
 *
 * Lines are read one at a time (lib/lines.c) and a row is written as
 * its line is split, so memory stays that of the longest line.
 * Functions report their own errors and return an exit status
 * (exitcodes.h), or NULL with *status set.
 */
#ifndef SLUICE_TEXTDUMP_H
#define SLUICE_TEXTDUMP_H

#include <stdbool.h>
#include <stddef.h>

#include "progress.h"
#include "rowstream.h"

struct td;

struct td_spec {
	const char		*path;		/* a file, or - */
	bool			 header;	/* names on the first line */
	size_t			 ncols;		/* -c: the names, or with */
	const char *const	*cols;		/* header: the ones kept */
	const char		*null;		/* NULL as written; NULL: \N */
	const char		*table;		/* the header's table */
};

struct td *td_open(const struct td_spec *sp, int *status);
struct rs_header *td_header(struct td *t);
int td_copy(struct td *t, struct rs_writer *w, struct sl_progress *pg);
void td_free(struct td *t);

#endif
