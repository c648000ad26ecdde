/*
 * pgx_bulk.h: loading an empty table at COPY speed (load --bulk). Inside
 * the caller's transaction, pgx_bulk_begin() records the definitions of
 * the table's foreign keys, its secondary indexes and the primary and
 * unique keys no foreign key needs, and drops them; the caller COPYs the
 * rows; pgx_bulk_end() puts everything back: each foreign key is added
 * again, each unique key and index built again, by one join or one sort
 * over all the rows rather than one B-tree insertion and one lookup a
 * row. Rows that would break a foreign key or a unique key are moved out
 * (DELETE ... RETURNING) and handed to a callback with the server's own
 * words for the error, when the caller has somewhere to put them.
 *
 * Nothing here commits: a load that fails or is killed rolls the drops
 * back with the rows. Like the rest of lib/, errors are reported through
 * sl_err() and never exit.
 */
#ifndef SLUICE_PGX_BULK_H
#define SLUICE_PGX_BULK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "rowstream.h"

struct pgx_bulk;

/*
 * Locks the table oid (ACCESS EXCLUSIVE, until the end of the
 * transaction) and, when it is an ordinary table (not a partition) with
 * no rows, drops what pgx_bulk_end() will rebuild. Returns the state to
 * give pgx_bulk_end(); NULL with *skip set to why bulk does not apply
 * (the caller loads as usual), or NULL with *skip NULL on an error.
 * What is kept in place: foreign keys to the table itself or not yet
 * validated, indexes that a foreign key (of any table) relies on, that
 * are invalid, clustered, the replica identity, in a tablespace of
 * their own or commented, exclusion constraints, and unique indexes on
 * expressions or with a WHERE clause.
 */
struct pgx_bulk *pgx_bulk_begin(PGconn *c, Oid table, const char **skip);

/*
 * A row moved out: its values (canonical MessagePack, one after another,
 * for the columns of the header given to pgx_bulk_end) and the reason.
 * Returns false to stop (the caller says why).
 */
typedef bool pgx_bulk_reject_fn(void *arg, const char *vals, size_t len,
    const char *reason);

/*
 * Puts back what pgx_bulk_begin() dropped: foreign keys first, then the
 * unique keys, then the other indexes, under maintenance_work_mem of at
 * least 512 MB and as many parallel workers as the server allows.
 *
 * With fn, the rows that break a foreign key (one anti-join) or a unique
 * key (of rows with the same key, the first in the table's physical
 * order keeps its place: for a table loaded empty by COPY in one
 * transaction, the first loaded) are deleted and handed to fn, read back
 * as the server stores them: every column of h, read back for those
 * loaded (keep: their indexes in h, ascending, nkeep of them) and NULL
 * for the others, decoded by h's types. Without fn, such rows fail the
 * rebuild.
 *
 * Returns 0 when everything is back; 1 when the server refused the data
 * (*res holds the error, for the caller to PQclear); -1 on any other
 * error (reported) or when fn returned false. Frees b either way.
 * *nrej counts the rows handed to fn.
 */
int pgx_bulk_end(struct pgx_bulk *b, const struct rs_header *h,
    const size_t *keep, size_t nkeep, pgx_bulk_reject_fn *fn, void *arg,
    PGresult **res, size_t *nrej);

/* What was dropped: indexes (keys included) and foreign keys. */
size_t pgx_bulk_nindexes(const struct pgx_bulk *b);
size_t pgx_bulk_nfkeys(const struct pgx_bulk *b);

/* Frees b without rebuilding (the caller rolls back); NULL is fine. */
void pgx_bulk_free(struct pgx_bulk *b);

/*
 * load --bulk around one segment (lib/pgx_bulk_load.c): the calls above
 * for target t (opened), with load's messages and its rejects file.
 */
struct pgx_target;
struct sl_rejects;

/* Where the rows moved out go, and how many may go there. */
struct pgx_bulk_sink {
	struct sl_rejects	*rj;	/* NULL: such a row fails the load */
	uint64_t		 seg;	/* the segment, for the rejects file */
	uint64_t		 max;	/* rejects allowed (--max-rejects) */
	uint64_t		*nrej;	/* the load's rejects, counted up */
	uint64_t		*nmoved; /* the rows moved out, counted up */
};

/*
 * pgx_bulk_begin() for t's table oid: NULL and *st 0 when bulk does not
 * apply (said on stderr: the table is loaded with its indexes in
 * place), NULL and *st an exit status on an error (reported).
 */
struct pgx_bulk *pgx_bulk_load_begin(struct pgx_target *t, Oid oid, int *st);

/*
 * pgx_bulk_end() for t, the rows moved out into sink's rejects file:
 * 0, or the exit status (reported). Unless quiet, says what it rebuilt
 * and how long it took. Frees b either way.
 */
int pgx_bulk_load_end(struct pgx_bulk *b, struct pgx_target *t,
    const struct pgx_bulk_sink *sink, bool quiet);

#endif
