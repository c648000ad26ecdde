/*
 * pgx_batch.c: load's rows in flight, streamed or in batches under
 * savepoints, and the isolation engine's callbacks over a batch; see
 * pgx_batch.h.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "exitcodes.h"
#include "pgx.h"
#include "pgx_batch.h"

static bool reject_row(void *arg, size_t k, const char *reason);
static enum sl_sent copy_rows(void *arg, size_t a, size_t e,
    struct sl_refusal *r);
static enum sl_sent insert_rows(void *arg, size_t a, size_t e,
    struct sl_refusal *r);

bool
pgx_batch_init(struct pgx_batch *b, size_t max, struct pgx_target *tg,
    struct sl_upsert *up, pgx_batch_reject_fn *fn, void *arg)
{
	static const struct sl_isolate_ops copies = { copy_rows, reject_row };
	static const struct sl_isolate_ops inserts = { insert_rows,
	    reject_row };

	memset(b, 0, sizeof(*b));
	b->max = max;
	b->tg = tg;
	b->up = up;
	b->reject = fn;
	b->arg = arg;
	sl_isolate_init(&b->copies, &copies, b, tg->english);
	/* an INSERT's refusal names no row: nothing to trust */
	sl_isolate_init(&b->inserts, &inserts, b, true);
	if (max == 0)
		return true;
	b->tend = calloc(max, sizeof(*b->tend));
	b->rend = calloc(max, sizeof(*b->rend));
	b->num = calloc(max, sizeof(*b->num));
	if (b->tend == NULL || b->rend == NULL || b->num == NULL) {
		sl_err("out of memory");
		return false;
	}
	return true;
}

void
pgx_batch_free(struct pgx_batch *b)
{
	sl_isolate_free(&b->copies);
	sl_isolate_free(&b->inserts);
	sl_buf_free(&b->text);
	sl_buf_free(&b->raw);
	free(b->tend);
	free(b->rend);
	free(b->num);
}

bool
pgx_batch_add(struct pgx_batch *b, const char *vals, size_t len,
    uint64_t num)
{
	if (!sl_buf_add(&b->raw, vals, len))
		return false;
	b->tend[b->n] = b->text.len;
	b->rend[b->n] = b->raw.len;
	b->num[b->n++] = num;
	return true;
}

bool
pgx_batch_full(const struct pgx_batch *b)
{
	return b->n == b->max || b->text.len >= PGX_BATCH_BYTES;
}

const char *
pgx_batch_vals(const struct pgx_batch *b, size_t k, size_t *len)
{
	size_t r0 = k > 0 ? b->rend[k - 1] : 0;

	*len = b->rend[k] - r0;
	return b->raw.p + r0;
}

const char *
pgx_batch_text(const struct pgx_batch *b, size_t a, size_t e, size_t *len)
{
	size_t t0 = a > 0 ? b->tend[a - 1] : 0;

	*len = b->tend[e - 1] - t0;
	return b->text.p + t0;
}

void
pgx_batch_clear(struct pgx_batch *b)
{
	b->n = 0;
	b->sent = 0;
	b->broken = false;
	sl_buf_reset(&b->text);
	sl_buf_reset(&b->raw);
}

/* A failure that is not the data's: the whole load is off. */
static int
fail_db(struct pgx_batch *b, PGresult *res)
{
	pgx_target_failed(b->tg, res);
	PQclear(res);
	return EXIT_DB;
}

/*
 * The isolation engine's callbacks (isolate.h). A status other than
 * "refused" stops it; the status is kept in b->status for the caller.
 */
static bool
reject_row(void *arg, size_t k, const char *reason)
{
	struct pgx_batch *b = arg;
	const char *vals;
	size_t len;

	vals = pgx_batch_vals(b, k, &len);
	b->status = b->reject(b->arg, vals, len, b->num[k], reason);
	return b->status == 0;
}

/* After a refused COPY or INSERT: back to before it, or stop. */
static enum sl_sent
undo(struct pgx_batch *b, PGresult *res, struct sl_refusal *r, bool copy)
{
	if (!pgx_refused(res)) {
		b->status = fail_db(b, res);
		return SL_SENT_FAILED;
	}
	if (!pgx_target_run(b->tg, "ROLLBACK TO SAVEPOINT sluice; "
	    "RELEASE SAVEPOINT sluice")) {
		PQclear(res);
		b->status = EXIT_DB;
		return SL_SENT_FAILED;
	}
	r->line = copy ? pgx_target_line(b->tg, res) : 0;
	r->reason = pgx_target_why(b->tg, res);
	PQclear(res);
	if (r->reason == NULL) {
		b->status = EXIT_IO;
		return SL_SENT_FAILED;
	}
	return SL_SENT_REFUSED;
}

/* An attempt's end: taken (the savepoint released) or undone. */
static enum sl_sent
attempted(struct pgx_batch *b, PGresult *res, struct sl_refusal *r,
    bool copy)
{
	if (res != NULL)
		return undo(b, res, r, copy);
	if (!pgx_target_run(b->tg, "RELEASE SAVEPOINT sluice")) {
		b->status = EXIT_DB;
		return SL_SENT_FAILED;
	}
	return SL_SENT_TAKEN;
}

/*
 * Rows [a, e) of the batch as one COPY under a savepoint. The first
 * attempt, of the whole batch, is the COPY that was streamed while its
 * rows were read: it is ended here.
 */
static enum sl_sent
copy_rows(void *arg, size_t a, size_t e, struct sl_refusal *r)
{
	struct pgx_batch *b = arg;
	const char *p;
	size_t len;

	if (b->open) {
		b->open = false;
		if (!b->broken)
			pgx_target_send(b->tg, b->text.p + b->sent,
			    b->text.len - b->sent);
	} else {
		if (!pgx_target_copy_begin(b->tg)) {
			b->status = EXIT_DB;
			return SL_SENT_FAILED;
		}
		p = pgx_batch_text(b, a, e, &len);
		pgx_target_send(b->tg, p, len);
	}
	return attempted(b, pgx_target_copy_end(b->tg), r, true);
}

/*
 * upsert: rows [a, e) of the batch that reached the temporary table go
 * on into the table. A row rejected by the COPY is not in the temporary
 * table, so its range inserts nothing and passes.
 */
static enum sl_sent
insert_rows(void *arg, size_t a, size_t e, struct sl_refusal *r)
{
	struct pgx_batch *b = arg;

	if (!pgx_target_run(b->tg, "SAVEPOINT sluice")) {
		b->status = EXIT_DB;
		return SL_SENT_FAILED;
	}
	return attempted(b, sl_upsert_insert(b->up, b->tg->conn, b->num[a],
	    b->num[e - 1]), r, false);
}

int
pgx_batch_end(struct pgx_batch *b)
{
	if (b->n == 0)
		return 0;
	b->status = 0;
	if (!sl_isolate_batch(&b->copies, b->n, NULL))
		return b->status != 0 ? b->status : EXIT_IO;
	if (b->up != NULL) {
		if (!sl_isolate_bisect(&b->inserts, b->n))
			return b->status != 0 ? b->status : EXIT_IO;
		if (!pgx_target_run(b->tg, "TRUNCATE %s", b->up->tmp.p))
			return EXIT_DB;
	}
	pgx_batch_clear(b);
	return 0;
}

int
pgx_batch_row(struct pgx_batch *b, const char *vals, size_t len,
    uint64_t num)
{
	if (b->n == 0) {
		if (!pgx_target_copy_begin(b->tg))
			return EXIT_DB;
		b->open = true;
	}
	if (!pgx_batch_add(b, vals, len, num))
		return EXIT_IO;
	if (!b->broken && b->text.len - b->sent >= PGX_BATCH_CHUNK) {
		b->broken = !pgx_target_send(b->tg, b->text.p + b->sent,
		    b->text.len - b->sent);
		b->sent = b->text.len;
	}
	return pgx_batch_full(b) ? pgx_batch_end(b) : 0;
}

/* Streamed: the COPY failed, and so does the load. */
static int
stream_failed(struct pgx_batch *b, PGresult *res)
{
	const char *reason;
	uint64_t line;

	if (res == NULL) {
		sl_err("%s: the server stopped taking rows: %s", b->tg->name,
		    pgx_errmsg(b->tg->conn, NULL));
		return EXIT_DB;
	}
	if (!pgx_refused(res))
		return fail_db(b, res);
	reason = pgx_target_why(b->tg, res);
	line = pgx_target_line(b->tg, res);
	PQclear(res);
	if (reason == NULL)
		return EXIT_IO;
	/* the line is the COPY's; the segment's earlier COPYs took skip */
	if (line > 0)
		sl_err("%s: row %" PRIu64 ": %s", b->tg->name, b->skip + line,
		    reason);
	else
		sl_err("%s: %s", b->tg->name, reason);
	return EXIT_DATA;
}

int
pgx_batch_stream_refuse(struct pgx_batch *b, uint64_t num,
    const char *reason)
{
	PGresult *res;
	char *r;
	int st;

	/* the reason may live in the target's buffers, which ending reuses */
	if ((r = strdup(reason)) == NULL) {
		sl_err("out of memory");
		return EXIT_IO;
	}
	pgx_target_send(b->tg, b->text.p, b->text.len);
	if ((res = pgx_target_copy_end(b->tg)) != NULL) {
		st = stream_failed(b, res);
	} else {
		sl_err("%s: row %" PRIu64 ": %s", b->tg->name, num, r);
		st = EXIT_DATA;
	}
	free(r);
	return st;
}

int
pgx_batch_stream_row(struct pgx_batch *b)
{
	if (b->text.len < PGX_BATCH_CHUNK)
		return 0;
	if (!pgx_target_send(b->tg, b->text.p, b->text.len))
		return stream_failed(b, pgx_target_copy_end(b->tg));
	sl_buf_reset(&b->text);
	return 0;
}

int
pgx_batch_stream_end(struct pgx_batch *b)
{
	PGresult *res;

	/* a failure shows at the end */
	pgx_target_send(b->tg, b->text.p, b->text.len);
	if ((res = pgx_target_copy_end(b->tg)) != NULL)
		return stream_failed(b, res);
	sl_buf_reset(&b->text);
	b->skip = 0;
	if (b->up != NULL && (res = sl_upsert_insert(b->up, b->tg->conn, 0,
	    INT64_MAX)) != NULL)
		return stream_failed(b, res);
	return 0;
}

/*
 * Streamed, the segment's binary COPY ends as it would at the segment's
 * end (its rows stay, in the transaction) and a text COPY begins; in
 * batches the batch is settled as its binary COPY, and the next batch's
 * COPY begins in text.
 */
int
pgx_batch_to_text(struct pgx_batch *b)
{
	uint64_t before = b->tg->ncopied;
	PGresult *res;
	int st;

	if (b->max > 0) {
		if ((st = pgx_batch_end(b)) != 0)
			return st;
		return pgx_target_text(b->tg) ? 0 : EXIT_IO;
	}
	pgx_target_send(b->tg, b->text.p, b->text.len);
	if ((res = pgx_target_copy_end(b->tg)) != NULL)
		return stream_failed(b, res);
	sl_buf_reset(&b->text);
	b->skip += b->tg->ncopied - before;
	if (!pgx_target_text(b->tg))
		return EXIT_IO;
	return pgx_target_copy_begin(b->tg) ? 0 : EXIT_DB;
}
