/*
 * pgx_batch.h: load's rows in flight, between the row stream and the
 * server's COPY. The caller encodes each row as COPY text onto the end
 * of b->text (pgx_target_encode) and hands it on here.
 *
 * Streamed (without --rejects), a segment is one COPY and the holder
 * keeps only the COPY text not yet sent: the first row the server
 * refuses ends the load. In batches (with --rejects), each batch is its
 * own COPY under a savepoint, streamed while its rows are read, and the
 * holder keeps every row of it (its COPY text, its row stream bytes,
 * where each row ends in both and its row number) until the server has
 * taken it. A refused batch goes to lib/isolate.c, whose attempts are
 * COPYs of ranges of it and, for upsert and insert-missing, INSERTs of
 * ranges of it from the temporary table; the rows it rejects are handed
 * to the caller's callback.
 *
 * The holder allocates its row tables once (pgx_batch_init) and reuses
 * its buffers from batch to batch: nothing is allocated per row. Errors
 * are reported (sl_err) and returned as an exit status (exitcodes.h).
 */
#ifndef SLUICE_PGX_BATCH_H
#define SLUICE_PGX_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "isolate.h"
#include "pgx_target.h"
#include "rowstream.h"
#include "upsert.h"

#define PGX_BATCH_BYTES	(4UL << 20)	/* COPY text a batch holds at most */
#define PGX_BATCH_CHUNK	(64UL << 10)	/* COPY text sent at a time */

/*
 * A row rejected: its values (the row stream bytes of its columns), its
 * number and the reason. Returns 0 to go on, or the exit status that
 * ends the load (reported by the callback).
 */
typedef int pgx_batch_reject_fn(void *arg, const char *vals, size_t len,
    uint64_t num, const char *reason);

struct pgx_batch {
	struct sl_buf		 text;	/* COPY text; rows append to it */
	size_t			 sent;	/* of text, sent to the server */
	struct sl_buf		 raw;	/* batches: the rows' stream bytes */
	size_t			*tend, *rend; /* where row k ends in each */
	uint64_t		*num;	/* row k's number in the stream */
	size_t			 n, max; /* rows held; the most (0: streamed) */
	bool			 broken; /* the server stopped taking it */
	bool			 open;	/* its first COPY is still going */
	uint64_t		 skip;	/* streamed: rows of the segment's
					 * earlier COPYs (pgx_batch_to_text) */
	struct pgx_target	*tg;
	struct sl_upsert	*up;	/* upsert, insert-missing; else NULL */
	pgx_batch_reject_fn	*reject;
	void			*arg;
	int			 status; /* why a callback stopped isolation */
	struct sl_isolate	 copies, inserts;
};

/*
 * Sets b up for target tg (initialised: its language decides whether a
 * refusal's line is trusted) and, when staged, up: max rows a batch
 * (0: streamed, no --rejects). fn gets the rows isolation rejects.
 * False when memory ran out (reported). pgx_batch_free() releases it.
 */
bool pgx_batch_init(struct pgx_batch *b, size_t max, struct pgx_target *tg,
    struct sl_upsert *up, pgx_batch_reject_fn *fn, void *arg);
void pgx_batch_free(struct pgx_batch *b);

/*
 * The bookkeeping, which needs no server. add: the row whose COPY text
 * was just appended to b->text joins the batch (false: out of memory,
 * reported). full: the batch has its rows or its bytes. vals: row k's
 * stream bytes; text: the COPY text of rows [a, e). clear: empty again.
 */
bool pgx_batch_add(struct pgx_batch *b, const char *vals, size_t len,
    uint64_t num);
bool pgx_batch_full(const struct pgx_batch *b);
const char *pgx_batch_vals(const struct pgx_batch *b, size_t k, size_t *len);
const char *pgx_batch_text(const struct pgx_batch *b, size_t a, size_t e,
    size_t *len);
void pgx_batch_clear(struct pgx_batch *b);

/*
 * Batches. row: the row just encoded joins the batch, whose COPY is
 * begun by its first row and fed as it grows; a full batch is ended.
 * end: the batch is complete; it is settled (the rows the server
 * refuses found and handed to fn) and the next begins empty.
 */
int pgx_batch_row(struct pgx_batch *b, const char *vals, size_t len,
    uint64_t num);
int pgx_batch_end(struct pgx_batch *b);

/*
 * Streamed: the segment's one COPY was begun by the caller. row: the
 * row just encoded is sent when enough text waits. refuse: a row the
 * encoder refused (number num) ends the load, unless the server refused
 * an earlier one, which is then the error. end: the COPY ends and, when
 * staged, the temporary table's rows go into the table.
 */
int pgx_batch_stream_row(struct pgx_batch *b);
int pgx_batch_stream_refuse(struct pgx_batch *b, uint64_t num,
    const char *reason);
int pgx_batch_stream_end(struct pgx_batch *b);

/*
 * Either way: the table's rows from the next on go in text format
 * (pgx_target_text), the rows before them in the binary COPY they were
 * sent in, all in the one transaction: nothing is lost. 0 or a status
 * (the binary COPY's rows refused, as at its end).
 */
int pgx_batch_to_text(struct pgx_batch *b);

#endif
