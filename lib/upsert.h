/*
 * upsert.h: load's --mode upsert and insert-missing. The rows go by COPY
 * into a temporary table shaped like the columns loaded plus each row's
 * number (types only: the constraints are checked on the way into the
 * table), then by INSERT ... SELECT DISTINCT ON (key) ... ON CONFLICT
 * into the table, a range of row numbers at a time. Of rows with the
 * same key the last in the stream wins under upsert, as it would loaded
 * one by one, and the first under insert-missing, as later ones find it
 * there. --insert-only columns are set on insert, never on update.
 *
 * Errors are reported (sl_err) and returned as exit statuses.
 */
#ifndef SLUICE_UPSERT_H
#define SLUICE_UPSERT_H

#include <stdbool.h>
#include <stdint.h>

#include "pgx_target.h"

struct sl_upsert {
	bool		 update;	/* upsert; else insert-missing */
	struct sl_buf	 tmp;		/* the temporary table */
	struct sl_buf	 insert;	/* temporary table -> table */
	size_t		*kcol;		/* indexes of the key columns */
	size_t		 nkcol;
	bool		*iskey;		/* by stream column */
	struct sl_buf	 msg;
	uint64_t	 ninserted;	/* rows the INSERTs added */
};

/*
 * For segment seg of target t (opened): checks the key (key, or the
 * header's when nkey is 0) and the --insert-only names, creates the
 * temporary table, points t's COPY at it (savepoint: as for
 * pgx_target_copy_into) and writes the INSERT; with no_conflict (the
 * table was emptied for --bulk) it has no ON CONFLICT clause.
 */
int sl_upsert_prepare(struct sl_upsert *u, struct pgx_target *t,
    uint64_t seg, char *const *key, size_t nkey, char *const *insonly,
    size_t ninsonly, bool savepoint, bool no_conflict);

/*
 * Why row cannot go in when a key column is NULL ("null key: k"), else
 * NULL. A NULL never conflicts, so ON CONFLICT would insert such a row
 * again on every run. Valid until the next call.
 */
const char *sl_upsert_null_key(struct sl_upsert *u, const struct rs_header *h,
    const struct rs_row *row);

/*
 * Rows numbered lo to hi from the temporary table into the table: NULL
 * when done (counted in u->ninserted), else the error to PQclear.
 */
PGresult *sl_upsert_insert(struct sl_upsert *u, PGconn *conn, uint64_t lo,
    uint64_t hi);

void sl_upsert_free(struct sl_upsert *u);

#endif
