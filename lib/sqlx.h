/*
 * sqlx.h: SQLite as a source of row streams, read natively through
 * libsqlite3 (extract --sqlite).
 *
 * A database is opened read-only, with a busy timeout, and one read
 * transaction is begun and its snapshot taken at once, so that every
 * segment prepared on it sees the same data. A segment is a table (or
 * a query) prepared into a statement whose header the caller may still
 * retype (--types) before sqlx_copy() streams its rows into a writer,
 * value by value from sqlite3_column_* straight into rs_put_*.
 *
 * Column types come from the declared types (sqlx_decltype()); a value
 * whose storage class does not fit its column is converted when that
 * loses nothing, and is an error otherwise (docs/extract.1, "SQLite").
 *
 * Every function reports its own error and returns an exit status
 * (exitcodes.h) or NULL with *status set: EXIT_IO when the file cannot
 * be opened, EXIT_DB for what SQLite says (not a database, corrupt,
 * locked, no such table or column, a bad query), EXIT_USAGE for a query
 * that is not one read-only statement with columns, EXIT_STREAM for a
 * value that does not fit its column.
 */
#ifndef SLUICE_SQLX_H
#define SLUICE_SQLX_H

#include <stddef.h>

#include "progress.h"
#include "rowstream.h"

struct sqlx;
struct sqlx_seg;

/* One segment: a table or a query, and what to take of it. */
struct sqlx_spec {
	const char		*table;		/* or NULL, and then: */
	const char		*query;		/* one SELECT (or PRAGMA ...) */
	size_t			 ncols;		/* -c; 0: all columns */
	const char *const	*cols;
	const char		*where;		/* raw SQL, or NULL */
	const char		*name;		/* the header's table, or NULL */
};

struct sqlx *sqlx_open(const char *path, int busy_ms, int *status);
int sqlx_close(struct sqlx *db);
struct sqlx_seg *sqlx_prepare(struct sqlx *db, const struct sqlx_spec *spec,
    int *status);
struct rs_header *sqlx_header(struct sqlx_seg *s);
int sqlx_copy(struct sqlx_seg *s, struct rs_writer *w,
    struct sl_progress *pg);
void sqlx_seg_free(struct sqlx_seg *s);
const char *sqlx_decltype(const char *decl);

#endif
