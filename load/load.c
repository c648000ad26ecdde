/*
 * load: loads a row stream into PostgreSQL tables.
 *
 *	load [-nq] [-d CONNINFO] [-t TABLE] [-m MODE] [-k COLS] [-r FILE]
 *	     [--max-rejects N] [-b ROWS] [--ignore-extra] [--progress] [FILE]
 *
 * Each segment goes into its table (the header's, or -t's for every
 * segment) through COPY ... FROM STDIN in text format, its columns
 * matched to the table's by name. All of it happens in one transaction,
 * committed only after the last segment's trailer has been read and
 * matched: a stream cut short, or a pipe whose producer died, loads
 * nothing.
 *
 * Without --rejects a segment is one streamed COPY and the first row the
 * server refuses rolls everything back. With --rejects the rows go in
 * batches, each its own COPY under a savepoint, and a batch's rows (their
 * COPY text and their row stream bytes) are kept until the server has
 * taken it. A refused batch is loaded again up to the row the server
 * named in its error ("COPY t, line N"), that row is rejected and the
 * rest retried; an error that names no row (a foreign key, checked when
 * the COPY ends) splits the batch in halves until the bad rows stand
 * alone. So a few bad rows in a large load cost a few extra COPYs. The
 * session's messages are untranslated (lc_messages C) when the role may
 * set that, so that the line can be read; see set_messages().
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exitcodes.h"
#include "pgx.h"
#include "pgx_bulk.h"
#include "prog.h"
#include "progress.h"
#include "rejects.h"
#include "rowstream.h"
#include "value.h"

#define BATCH_ROWS	10000		/* default --batch */
#define BATCH_BYTES	(4UL << 20)	/* COPY text a batch holds at most */
#define CHUNK		(64UL << 10)	/* COPY data sent at a time */
#define ROWNUM		"\"_sluice_n\""	/* upsert: the row's number */
/* With --rejects every COPY has a savepoint, set in the same round trip. */
#define SAVEPOINT	(rj != NULL ? "SAVEPOINT sluice; " : "")

enum mode { APPEND, TRUNCATE, UPSERT, MISSING };

static const char usage_text[] =
    "usage: load [-nq] [-d CONNINFO] [-t TABLE]\n"
    "            [-m append|truncate|upsert|insert-missing]\n"
    "            [-k COLS] [-r FILE] [--max-rejects N] [-b ROWS]\n"
    "            [--insert-only COLS] [--bulk] [--ignore-extra]\n"
    "            [--progress] [FILE]\n";

/* The options. */
static const char *conninfo, *totable, *rejpath;
static enum mode mode;
static bool staged;		/* upsert, insert-missing: by a temporary table */
static char **keyopt;
static size_t nkeyopt;
static char **insonly;		/* --insert-only: set on insert only */
static size_t ninsonly;
static uint64_t maxrej;
static size_t batchrows = BATCH_ROWS;
static bool dryrun, ignore_extra, quiet, bulk;
static bool succeeded;		/* exit 0: the rejects file stays */
static bool english;		/* the server's messages are untranslated */

static PGconn *conn;
static bool copying;		/* a COPY is in progress */
static struct sl_rejects *rj;
static struct sl_progress pg;
static uint64_t nread, nrej;
static uint64_t ncopied;	/* rows the server's COPYs reported */
static uint64_t ninserted;	/* insert-missing: rows the INSERTs added */
static uint64_t nmoved;		/* --bulk: of those, rows moved out again */
static struct sl_buf sql, msg, scratch;

/* The current segment and where it goes. */
static struct {
	const struct rs_header	*h;
	uint64_t		 seg;
	const char		*name;	/* as given: -t or the header */
	struct sl_buf		 qname;	/* schema.table, quoted */
	struct sl_buf		 rel;	/* the COPY target, as errors name it */
	struct sl_buf		 cols;	/* the columns loaded, quoted */
	struct sl_buf		 copy;	/* [SAVEPOINT; ]COPY ... FROM STDIN */
	struct sl_buf		 tmp;	/* upsert: the temporary table */
	struct sl_buf		 insert; /* upsert: temporary table -> table */
	size_t			*keep;	/* indexes of the columns loaded */
	size_t			 nkeep;
	bool			*loaded; /* by stream column: is it */
	size_t			*kcol;	/* upsert: indexes of the key columns */
	size_t			 nkcol;
	bool			 all;	/* all of them, in order */
	struct pgx_bulk		*bulk;	/* --bulk: what to rebuild */
} tg;

/*
 * The rows in flight: their COPY text (all of it with --rejects, the
 * part not yet sent otherwise) and, with --rejects, their row stream
 * bytes and where each row ends in both.
 */
static struct {
	struct sl_buf	 text;
	size_t		 sent;
	struct sl_buf	 raw;
	size_t		*tend;
	size_t		*rend;
	uint64_t	*num;
	size_t		 n;
	bool		 broken;	/* the server stopped taking it */
} bt;

/* The tables loaded (NUL-separated), for the summary; those truncated. */
static struct sl_buf names;
static size_t nnames;
static Oid *truncated;
static size_t ntruncated;

static _Noreturn void fail(int status, const char *fmt, ...) SL_PRINTF(2, 3);

static void
oom(bool ok)
{
	if (!ok)
		fail(EXIT_IO, NULL);
}

/* "users: " or "users, courses: " or "5 tables: " or nothing. */
static void
summary(const char *outcome)
{
	const char *p = names.p;
	size_t i;

	if (quiet)
		return;
	fprintf(stderr, "%s: ", sl_progname);
	if (nnames > 3)
		fprintf(stderr, "%zu tables: ", nnames);
	for (i = 0; nnames <= 3 && i < nnames; i++, p += strlen(p) + 1)
		fprintf(stderr, "%s%s", p, i + 1 < nnames ? ", " : ": ");
	fprintf(stderr, "%" PRIu64 " rows read, ", nread);
	/* rows --bulk moved out again were inserted first */
	if (outcome == NULL && mode == MISSING)
		fprintf(stderr, "%" PRIu64 " loaded, %" PRIu64 " already there, "
		    "%" PRIu64 " rejected, %.2f s%s\n", ninserted - nmoved,
		    nread - nrej - (ninserted - nmoved), nrej,
		    sl_progress_elapsed(&pg),
		    dryrun ? " (dry run: rolled back)" : "");
	else if (outcome == NULL)
		fprintf(stderr, "%" PRIu64 " loaded, %" PRIu64 " rejected, "
		    "%.2f s%s\n", nread - nrej, nrej, sl_progress_elapsed(&pg),
		    dryrun ? " (dry run: rolled back)" : "");
	else
		fprintf(stderr, "none loaded (%s), %.2f s\n", outcome,
		    sl_progress_elapsed(&pg));
}

/*
 * Rolls everything back, says why (fmt NULL: it has been said) and
 * exits with status. The rejects file is removed: nothing was loaded,
 * so nothing was rejected (and drop_rejects() removes an earlier one).
 */
static void
fail(int status, const char *fmt, ...)
{
	PGresult *res;
	char m[1024];
	va_list ap;

	if (fmt != NULL) {
		va_start(ap, fmt);
		vsnprintf(m, sizeof(m), fmt, ap);
		va_end(ap);
		sl_err("%s", m);
	}
	if (conn != NULL) {
		if (copying)
			PQputCopyEnd(conn, "load: aborted");
		while ((res = PQgetResult(conn)) != NULL)
			PQclear(res);
		if (PQstatus(conn) == CONNECTION_OK)
			PQclear(PQexec(conn, "ROLLBACK"));
		PQfinish(conn);
	}
	sl_rejects_close(rj, false);
	sl_progress_end(&pg);
	summary("rolled back");
	exit(status);
}

/* Runs a command built with printf's format; any error is fatal. */
static void SL_PRINTF(1, 2)
run(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	sl_buf_reset(&scratch);
	oom(n >= 0 && sl_buf_grow(&scratch, (size_t)n + 1));
	va_start(ap, fmt);
	vsnprintf(scratch.p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	if (!pgx_exec(conn, scratch.p))
		fail(EXIT_DB, NULL);
}

/*
 * Whether the server refused the data rather than the command: a data
 * exception (22: bad input, NUL, encoding), an integrity constraint (23:
 * not null, check, unique, foreign key, exclusion) or an exception a
 * trigger raised. Only those make rows rejects; anything else (no
 * permission, connection lost) is a database error for the whole load.
 */
static bool
refused(const PGresult *res)
{
	const char *st = PQresultErrorField(res, PG_DIAG_SQLSTATE);

	return st != NULL && (strncmp(st, "22", 2) == 0 ||
	    strncmp(st, "23", 2) == 0 || strcmp(st, "P0001") == 0);
}

/*
 * The server's reason for refusing a row: its message, then its detail
 * ("Key (id)=(7) already exists.") unless that only repeats the row:
 * "Failing row contains (...)", in whatever language, which is what a
 * not-null (23502) or check (23514) violation says.
 * Valid until the next call.
 */
static const char *
why(const PGresult *res)
{
	const char *m = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	const char *d = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
	const char *st = PQresultErrorField(res, PG_DIAG_SQLSTATE);

	sl_buf_reset(&msg);
	oom(sl_buf_adds(&msg, m != NULL ? m : pgx_errmsg(conn, res)));
	if (d != NULL && strncmp(d, "Failing row contains", 20) != 0 &&
	    (st == NULL || (strcmp(st, "23502") != 0 &&
	    strcmp(st, "23514") != 0)))
		oom(sl_buf_printf(&msg, ": %s", d));
	oom(sl_buf_cstr(&msg));
	return msg.p;
}

/*
 * The line of the COPY the error names (1-based), 0 when it names none.
 * The COPY's is the last line of the CONTEXT (a trigger's come before
 * it, and may quote anything). In English it is "COPY t, line N"; in
 * another language (see set_messages) the words differ but every
 * translation names the table and then the line, before the row's text:
 * the first number after the table's name is taken, and settle() makes
 * sure of the row it names.
 */
static uint64_t
copy_line(const PGresult *res)
{
	const char *ctx = PQresultErrorField(res, PG_DIAG_CONTEXT), *p;

	if (ctx == NULL)
		return 0;
	while ((p = strchr(ctx, '\n')) != NULL && p[1] != '\0')
		ctx = p + 1;
	sl_buf_reset(&scratch);
	if (english) {
		oom(sl_buf_printf(&scratch, "COPY %s, line ", tg.rel.p));
		if ((p = strstr(ctx, scratch.p)) == NULL)
			return 0;
		return strtoull(p + scratch.len, NULL, 10);
	}
	if ((p = strstr(ctx, tg.rel.p)) == NULL)
		return 0;
	p += strcspn(p + tg.rel.len, "0123456789\n") + tg.rel.len;
	return *p >= '0' && *p <= '9' ? strtoull(p, NULL, 10) : 0;
}

/* A failure that is not the data's: the whole load is off. */
static _Noreturn void
fail_db(PGresult *res)
{
	sl_buf_reset(&msg);
	oom(sl_buf_adds(&msg, pgx_errmsg(conn, res)) && sl_buf_cstr(&msg));
	PQclear(res);
	fail(EXIT_DB, "%s: %s", tg.name, msg.p);
}

/*
 * A row the server (or the encoder) refused: into the rejects file, or,
 * without one, the end of the load. num is its row number.
 */
static void
reject(const char *vals, size_t len, uint64_t num, const char *reason)
{
	if (rj == NULL)
		fail(EXIT_DATA, "%s: row %" PRIu64 ": %s", tg.name, num, reason);
	if (!sl_rejects_put(rj, tg.seg, tg.h, vals, len, reason))
		fail(EXIT_IO, NULL);
	if (++nrej > maxrej)
		fail(EXIT_DATA, "%s: more than %" PRIu64 " rows rejected "
		    "(--max-rejects); the last, row %" PRIu64 ": %s", tg.name,
		    maxrej, num, reason);
}

static void
reject_batch(size_t i, const char *reason)
{
	size_t r0 = i > 0 ? bt.rend[i - 1] : 0;

	reject(bt.raw.p + r0, bt.rend[i] - r0, bt.num[i], reason);
}

/* Appends a row's COPY text to b; false (b unchanged) on a NUL in text. */
static bool
encode(struct sl_buf *b, const struct rs_row *row)
{
	size_t i, len = b->len;
	bool ok = true;

	sl_err_quiet(true);
	if (tg.all) {
		ok = pgx_encode_row(b, row);
	} else {
		for (i = 0; ok && i < tg.nkeep; i++)
			ok = (i == 0 || sl_buf_addc(b, '\t')) &&
			    pgx_encode_value(b, &row->v[tg.keep[i]]);
		ok = ok && sl_buf_addc(b, '\n');
	}
	if (ok && staged) {
		b->len--;
		ok = sl_buf_printf(b, "\t%" PRIu64 "\n", row->num);
	}
	sl_err_quiet(false);
	if (!ok)
		b->len = len;
	return ok;
}

/*
 * Why encode() failed: the column whose text holds a NUL, in the words
 * the server uses for one. Anything else was memory running out.
 */
static const char *
unencodable(const struct rs_row *row)
{
	const msgpack_object *v;
	size_t i;

	for (i = 0; i < tg.nkeep; i++) {
		v = &row->v[tg.keep[i]];
		if (v->type == MSGPACK_OBJECT_STR &&
		    memchr(v->via.str.ptr, '\0', v->via.str.size) != NULL) {
			sl_buf_reset(&msg);
			oom(sl_buf_printf(&msg, "column \"%s\": %s",
			    tg.h->cols[tg.keep[i]].name, sl_lasterr()) &&
			    sl_buf_cstr(&msg));
			return msg.p;
		}
	}
	fail(EXIT_IO, "%s", sl_lasterr());
}

/*
 * upsert: why a row cannot go in, when a key column is NULL ("null key:
 * k"), else NULL. A NULL never conflicts, so ON CONFLICT would insert
 * such a row again on every run; it is refused here, before the server,
 * at the cost of a type check a key column.
 */
static const char *
null_key(const struct rs_row *row)
{
	const char *sep = "null key: ";
	size_t i;

	for (i = 0; i < tg.nkcol; i++)
		if (row->v[tg.kcol[i]].type == MSGPACK_OBJECT_NIL)
			break;
	if (i == tg.nkcol)
		return NULL;
	sl_buf_reset(&msg);
	for (; i < tg.nkcol; i++) {
		if (row->v[tg.kcol[i]].type != MSGPACK_OBJECT_NIL)
			continue;
		oom(sl_buf_printf(&msg, "%s%s", sep,
		    tg.h->cols[tg.kcol[i]].name));
		sep = ", ";
	}
	oom(sl_buf_cstr(&msg));
	return msg.p;
}

/*
 * Sends COPY data; false when libpq stops taking it (the connection
 * failed). A refusal by the server shows only when the COPY ends.
 */
static bool
send_copy(const char *p, size_t n)
{
	size_t k;

	for (; n > 0; p += k, n -= k) {
		k = n < CHUNK ? n : CHUNK;
		if (PQputCopyData(conn, p, (int)k) != 1)
			return false;
	}
	return true;
}

static void
copy_begin(void)
{
	PGresult *res = PQexec(conn, tg.copy.p);

	if (PQresultStatus(res) != PGRES_COPY_IN)
		fail_db(res);
	PQclear(res);
	copying = true;
}

/*
 * Ends the COPY. NULL when the server took every row (its count is
 * added to ncopied); otherwise the error, for the caller to PQclear.
 */
static PGresult *
copy_end(void)
{
	PGresult *res, *more;

	PQputCopyEnd(conn, NULL);	/* a failure shows in the result */
	res = PQgetResult(conn);
	while ((more = PQgetResult(conn)) != NULL)
		PQclear(more);
	copying = false;
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		return res;
	ncopied += strtoull(PQcmdTuples(res), NULL, 10);
	PQclear(res);
	return NULL;
}

/* After a refused COPY or INSERT: back to before it, or fail. */
static void
undo(PGresult *res)
{
	if (!refused(res))
		fail_db(res);
	run("ROLLBACK TO SAVEPOINT sluice; RELEASE SAVEPOINT sluice");
}

/* Rows [a, b) of the batch as one COPY under a savepoint; see settle(). */
static PGresult *
try_copy(size_t a, size_t b)
{
	size_t t0 = a > 0 ? bt.tend[a - 1] : 0;
	PGresult *res;

	copy_begin();
	send_copy(bt.text.p + t0, bt.tend[b - 1] - t0);
	if ((res = copy_end()) == NULL) {
		run("RELEASE SAVEPOINT sluice");
		return NULL;
	}
	undo(res);
	return res;
}

/*
 * Whether row k of the batch is refused when it is COPYed alone (the
 * reason is then its own); if not, it is now loaded. For a line number
 * read from a translated message (copy_line), which might mislead.
 */
static bool
refused_alone(size_t k, char **reason)
{
	PGresult *res;

	if ((res = try_copy(k, k + 1)) == NULL)
		return false;
	free(*reason);
	*reason = estrdup(why(res));
	PQclear(res);
	return true;
}

/*
 * Loads rows [a, b) of the batch, rejecting those the server refuses.
 * res, when not NULL, is the error of a COPY of exactly these rows,
 * already rolled back. The error's line number says which row was bad:
 * the rows before it go in again, it is rejected, and the rows after it
 * are tried next. An error without one halves the rows tried.
 *
 * The rows tried at once are a window that doubles after a success and,
 * after a reject, starts at twice the good rows that came before it: a
 * few bad rows cost a few COPYs of the batch, and a batch of nothing but
 * bad rows (an append run twice) costs a COPY a row, not a COPY of the
 * rest of the batch for each of them.
 */
static void
settle(size_t a, size_t b, PGresult *res)
{
	size_t w = b - a, end, k;
	uint64_t line;
	char *reason;

	while (a < b) {
		end = b - a < w ? b : a + w;
		if (res == NULL && (res = try_copy(a, end)) == NULL) {
			a = end;
			w = w < b ? 2 * w : w;
			continue;
		}
		line = end - a == 1 ? 1 : copy_line(res);
		if (line < 1 || line > end - a) {
			PQclear(res);
			res = NULL;
			w = (end - a) / 2;
			continue;
		}
		k = a + (size_t)line - 1;
		reason = estrdup(why(res));
		PQclear(res);
		res = NULL;
		if (k > a)
			settle(a, k, NULL);
		if (english || end - a == 1 || refused_alone(k, &reason))
			reject_batch(k, reason);
		free(reason);
		a = k + 1;
		w = line > 1 ? 2 * (size_t)(line - 1) : 1;
	}
}

/*
 * upsert, insert-missing: rows numbered lo to hi, from the temporary
 * table to the table; the rows an INSERT added count in ninserted.
 */
static PGresult *
insert(uint64_t lo, uint64_t hi)
{
	char slo[24], shi[24];
	const char *params[2] = { slo, shi };
	PGresult *res;

	snprintf(slo, sizeof(slo), "%" PRIu64, lo);
	snprintf(shi, sizeof(shi), "%" PRIu64, hi);
	res = PQexecParams(conn, tg.insert.p, 2, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) == PGRES_COMMAND_OK) {
		ninserted += strtoull(PQcmdTuples(res), NULL, 10);
		PQclear(res);
		return NULL;
	}
	return res;
}

/*
 * upsert with --rejects: rows [a, b) of the batch that reached the
 * temporary table go on into the table, bisecting on a refusal (an
 * INSERT names no row). A row rejected by the COPY is not in the
 * temporary table, so its range inserts nothing and passes.
 */
static void
settle_insert(size_t a, size_t b)
{
	PGresult *res;
	size_t k;

	run("SAVEPOINT sluice");
	if ((res = insert(bt.num[a], bt.num[b - 1])) == NULL) {
		run("RELEASE SAVEPOINT sluice");
		return;
	}
	undo(res);
	if (b - a == 1) {
		reject_batch(a, why(res));
		PQclear(res);
		return;
	}
	PQclear(res);
	k = a + (b - a) / 2;
	settle_insert(a, k);
	settle_insert(k, b);
}

/* --rejects: the batch is complete; settle it and start the next. */
static void
batch_end(void)
{
	PGresult *res;

	if (bt.n == 0)
		return;
	if (!bt.broken)
		send_copy(bt.text.p + bt.sent, bt.text.len - bt.sent);
	if ((res = copy_end()) == NULL) {
		run("RELEASE SAVEPOINT sluice");
	} else {
		undo(res);
		settle(0, bt.n, res);
	}
	if (staged) {
		settle_insert(0, bt.n);
		run("TRUNCATE %s", tg.tmp.p);
	}
	bt.n = 0;
	bt.sent = 0;
	bt.broken = false;
	sl_buf_reset(&bt.text);
	sl_buf_reset(&bt.raw);
}

/* --rejects: a row joins the batch, and is sent as the batch grows. */
static void
batch_row(const struct rs_row *row)
{
	const char *vals = row->raw + row->off[0];
	size_t len = row->off[row->ncols] - row->off[0];
	const char *why_not;

	if ((why_not = null_key(row)) != NULL) {
		reject(vals, len, row->num, why_not);
		return;
	}
	if (!encode(&bt.text, row)) {
		reject(vals, len, row->num, unencodable(row));
		return;
	}
	if (bt.n == 0)
		copy_begin();
	oom(sl_buf_add(&bt.raw, vals, len));
	bt.tend[bt.n] = bt.text.len;
	bt.rend[bt.n] = bt.raw.len;
	bt.num[bt.n++] = row->num;
	if (!bt.broken && bt.text.len - bt.sent >= CHUNK) {
		bt.broken = !send_copy(bt.text.p + bt.sent,
		    bt.text.len - bt.sent);
		bt.sent = bt.text.len;
	}
	if (bt.n == batchrows || bt.text.len >= BATCH_BYTES)
		batch_end();
}

/* Without --rejects: the COPY failed, and so does the load. */
static _Noreturn void
stream_failed(PGresult *res)
{
	uint64_t line;
	char *reason;

	if (res == NULL)
		fail(EXIT_DB, "%s: the server stopped taking rows: %s",
		    tg.name, pgx_errmsg(conn, NULL));
	if (!refused(res))
		fail_db(res);
	reason = estrdup(why(res));
	line = copy_line(res);
	PQclear(res);
	if (line > 0)
		fail(EXIT_DATA, "%s: row %" PRIu64 ": %s", tg.name, line,
		    reason);
	fail(EXIT_DATA, "%s: %s", tg.name, reason);
}

/*
 * Without --rejects, a row refused before it reaches the server ends the
 * load; but a row before it may have been refused: that is the error.
 */
static _Noreturn void
stream_refuse(const struct rs_row *row, const char *reason)
{
	PGresult *res;
	char *r = estrdup(reason);

	send_copy(bt.text.p, bt.text.len);
	if ((res = copy_end()) != NULL)
		stream_failed(res);
	fail(EXIT_DATA, "%s: row %" PRIu64 ": %s", tg.name, row->num, r);
}

/* Without --rejects: one COPY a segment, the rows streamed into it. */
static void
stream_row(const struct rs_row *row)
{
	const char *why_not;

	if ((why_not = null_key(row)) != NULL)
		stream_refuse(row, why_not);
	if (!encode(&bt.text, row))
		stream_refuse(row, unencodable(row));
	if (bt.text.len < CHUNK)
		return;
	if (!send_copy(bt.text.p, bt.text.len))
		stream_failed(copy_end());
	sl_buf_reset(&bt.text);
}

static void
stream_end(void)
{
	PGresult *res;

	send_copy(bt.text.p, bt.text.len);	/* a failure shows at the end */
	if ((res = copy_end()) != NULL)
		stream_failed(res);
	sl_buf_reset(&bt.text);
	if (staged && (res = insert(0, INT64_MAX)) != NULL)
		stream_failed(res);
}

/* The segment's table, its quoted name and the name its errors use. */
static Oid
find_table(void)
{
	static const char q[] =
	    "SELECT c.oid, pg_catalog.quote_ident(n.nspname) || '.' ||"
	    " pg_catalog.quote_ident(c.relname), c.relname"
	    " FROM pg_catalog.pg_class c"
	    " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
	    " WHERE c.oid = pg_catalog.to_regclass($1)";
	const char *param;
	PGresult *res;
	Oid oid;

	sl_buf_reset(&sql);
	if (!pgx_quote_name(conn, &sql, tg.name))
		fail(EXIT_USAGE, NULL);	/* a bad or too long name */
	oom(sl_buf_cstr(&sql));
	param = sql.p;
	if ((res = pgx_query(conn, q, 1, &param)) == NULL)
		fail(EXIT_DB, NULL);
	if (PQntuples(res) != 1) {
		PQclear(res);
		fail(EXIT_DB, "%s: no such table in database \"%s\"", tg.name,
		    PQdb(conn));
	}
	oid = (Oid)strtoul(PQgetvalue(res, 0, 0), NULL, 10);
	sl_buf_reset(&tg.qname);
	sl_buf_reset(&tg.rel);
	oom(sl_buf_adds(&tg.qname, PQgetvalue(res, 0, 1)) &&
	    sl_buf_cstr(&tg.qname) &&
	    sl_buf_adds(&tg.rel, PQgetvalue(res, 0, 2)) &&
	    sl_buf_cstr(&tg.rel));
	PQclear(res);
	return oid;
}

/*
 * Matches the stream's columns to the table's by name: tg.keep and
 * tg.cols. A stream column the table lacks is an error (the data would
 * be lost) unless --ignore-extra; table columns the stream lacks get
 * their defaults.
 */
static void
match_columns(Oid oid)
{
	static const char q[] =
	    "SELECT attname FROM pg_catalog.pg_attribute"
	    " WHERE attrelid = $1::oid AND attnum > 0 AND NOT attisdropped";
	const struct rs_header *h = tg.h;
	struct sl_buf extra = { 0 };
	char soid[16];
	const char *param = soid;
	PGresult *res;
	char show[SL_PRINTABLE];
	size_t i;
	long c;
	int a;

	/*
	 * A name PostgreSQL would cut short is refused, --ignore-extra or
	 * not: it may well be meant for the column of the shorter name.
	 */
	for (i = 0; i < h->ncols; i++)
		if (!pgx_check_ident(h->cols[i].name))
			fail(EXIT_USAGE, NULL);
	snprintf(soid, sizeof(soid), "%u", (unsigned)oid);
	if ((res = pgx_query(conn, q, 1, &param)) == NULL)
		fail(EXIT_DB, NULL);
	free(tg.keep);
	free(tg.loaded);
	tg.keep = ecalloc(h->ncols + 1, sizeof(*tg.keep));
	tg.loaded = ecalloc(h->ncols + 1, sizeof(*tg.loaded));
	tg.nkeep = 0;
	/* each table column looked up in the header's index: linear */
	for (a = 0; a < PQntuples(res); a++)
		if ((c = rs_header_find(h, PQgetvalue(res, a, 0))) >= 0)
			tg.loaded[c] = true;
	sl_buf_reset(&tg.cols);
	for (i = 0; i < h->ncols; i++) {
		if (!tg.loaded[i]) {
			oom(sl_buf_printf(&extra, "%s\"%s\"", extra.len > 0 ?
			    ", " : "", sl_printable(show, sizeof(show),
			    h->cols[i].name, strlen(h->cols[i].name))));
			continue;
		}
		if (tg.nkeep > 0)
			oom(sl_buf_adds(&tg.cols, ", "));
		if (!pgx_quote_ident(conn, &tg.cols, h->cols[i].name))
			fail(EXIT_USAGE, NULL);
		tg.keep[tg.nkeep++] = i;
	}
	PQclear(res);
	oom(sl_buf_cstr(&tg.cols) && sl_buf_cstr(&extra));
	if (extra.len > 0 && !ignore_extra)
		fail(EXIT_DB, "%s: the table has no column %s (--ignore-extra "
		    "leaves such columns out)", tg.name, extra.p);
	sl_buf_free(&extra);
	if (tg.nkeep == 0)
		fail(EXIT_DB, "%s: none of the stream's columns is in the "
		    "table", tg.name);
	tg.all = tg.nkeep == h->ncols;
}

/* Whether the segment's key column name is among those loaded. */
static bool
loaded_column(const char *name)
{
	long c = rs_header_find(tg.h, name);

	return c >= 0 && tg.loaded[c];
}

/* Appends the key columns, quoted, with sep before each (t. for "t."). */
static void
add_keys(struct sl_buf *b, char *const *key, size_t nkey, const char *pre)
{
	size_t i;

	for (i = 0; i < nkey; i++) {
		oom(sl_buf_adds(b, i > 0 ? ", " : "") && sl_buf_adds(b, pre));
		if (!pgx_quote_ident(conn, b, key[i]))
			fail(EXIT_USAGE, NULL);
	}
}

/* Whether --insert-only names column name. */
static bool
insert_only(const char *name)
{
	return sl_list_has(insonly, ninsonly, name);
}

/*
 * upsert: ON CONFLICT (key) DO UPDATE SET every other column loaded but
 * the --insert-only ones (a generated password hash, a created_at: set
 * when the row is new, never changed by a re-run); insert-missing: DO
 * NOTHING, a row already there is left as it is.
 */
static void
add_conflict(char *const *key, size_t nkey)
{
	const char *name;
	size_t i, n = 0;
	/* by stream column; static, so that a fail() leaks nothing */
	static bool *iskey;
	long c;

	free(iskey);
	iskey = ecalloc(tg.h->ncols + 1, sizeof(*iskey));

	/* every key column is loaded: prepare_upsert saw to it */
	for (i = 0; i < nkey; i++)
		if ((c = rs_header_find(tg.h, key[i])) >= 0)
			iskey[c] = true;
	/* a name that is not a loaded column is a typo, not a no-op */
	for (i = 0; i < ninsonly; i++) {
		if ((c = rs_header_find(tg.h, insonly[i])) < 0 || iskey[c])
			fail(EXIT_USAGE, "--insert-only: \"%s\" is %s of "
			    "\"%s\"", insonly[i], c < 0 ? "no column" :
			    "a key column", tg.name);
	}
	oom(sl_buf_adds(&tg.insert, " ON CONFLICT ("));
	add_keys(&tg.insert, key, nkey, "");
	oom(sl_buf_adds(&tg.insert, ") DO "));
	for (i = 0; mode == UPSERT && i < tg.nkeep; i++) {
		name = tg.h->cols[tg.keep[i]].name;
		if (iskey[tg.keep[i]] || insert_only(name))
			continue;
		oom(sl_buf_adds(&tg.insert, n++ > 0 ? ", " : "UPDATE SET "));
		if (!pgx_quote_ident(conn, &tg.insert, name) ||
		    !sl_buf_adds(&tg.insert, " = EXCLUDED.") ||
		    !pgx_quote_ident(conn, &tg.insert, name))
			fail(EXIT_USAGE, NULL);
	}
	oom((n > 0 || sl_buf_adds(&tg.insert, "NOTHING")) &&
	    sl_buf_cstr(&tg.insert));
}

/*
 * upsert: the rows go by COPY into a temporary table shaped like the
 * columns loaded (types only: the constraints are checked on the way
 * into the table), then by INSERT ... ON CONFLICT into the table. Of
 * rows with the same key, the last in the stream wins, as it would
 * loaded one by one; under insert-missing the first, as later ones find
 * it there.
 */
static void
prepare_upsert(void)
{
	char *const *key = nkeyopt > 0 ? keyopt : tg.h->key;
	size_t i, nkey = nkeyopt > 0 ? nkeyopt : tg.h->nkey;

	if (nkey == 0)
		fail(EXIT_USAGE, "%s: --mode %s needs --key COLS or a key "
		    "in the stream's header", tg.name, mode == UPSERT ?
		    "upsert" : "insert-missing");
	free(tg.kcol);
	tg.kcol = ecalloc(nkey, sizeof(*tg.kcol));
	for (i = 0; i < nkey; i++) {
		if (!loaded_column(key[i]))
			fail(EXIT_USAGE, "%s: key column \"%s\" is not among "
			    "the columns loaded", tg.name, key[i]);
		tg.kcol[i] = (size_t)rs_header_find(tg.h, key[i]);
	}
	tg.nkcol = nkey;
	sl_buf_reset(&tg.tmp);
	sl_buf_reset(&tg.rel);
	oom(sl_buf_printf(&tg.rel, "sluice_upsert_%" PRIu64, tg.seg) &&
	    sl_buf_cstr(&tg.rel) &&
	    sl_buf_printf(&tg.tmp, "pg_temp.%s", tg.rel.p));
	run("CREATE TEMPORARY TABLE %s ON COMMIT DROP AS SELECT %s, "
	    "0::bigint AS " ROWNUM " FROM %s WITH NO DATA", tg.tmp.p,
	    tg.cols.p, tg.qname.p);
	sl_buf_reset(&tg.copy);
	oom(sl_buf_printf(&tg.copy, "%sCOPY %s (%s, " ROWNUM ") FROM STDIN",
	    SAVEPOINT, tg.tmp.p, tg.cols.p) && sl_buf_cstr(&tg.copy));
	sl_buf_reset(&tg.insert);
	oom(sl_buf_printf(&tg.insert, "INSERT INTO %s (%s) SELECT DISTINCT "
	    "ON (", tg.qname.p, tg.cols.p));
	add_keys(&tg.insert, key, nkey, "");
	oom(sl_buf_printf(&tg.insert, ") %s FROM %s WHERE " ROWNUM " BETWEEN "
	    "$1 AND $2 ORDER BY ", tg.cols.p, tg.tmp.p));
	add_keys(&tg.insert, key, nkey, "");
	oom(sl_buf_adds(&tg.insert, mode == UPSERT ? ", " ROWNUM " DESC" :
	    ", " ROWNUM));
	/* --bulk: the table was empty and DISTINCT ON leaves one row a key */
	if (tg.bulk == NULL)
		add_conflict(key, nkey);
	else
		oom(sl_buf_cstr(&tg.insert));
}

/*
 * --bulk: the table's keys, indexes and foreign keys go while it is
 * loaded, when it is empty (pgx_bulk.h); otherwise it is loaded with
 * them in place, as without --bulk, and load says so.
 */
static void
bulk_begin(Oid oid)
{
	const char *skip;

	if ((tg.bulk = pgx_bulk_begin(conn, oid, &skip)) != NULL)
		return;
	if (skip == NULL)
		fail(EXIT_DB, NULL);
	sl_err("%s: --bulk: %s; loading with its indexes in place", tg.name,
	    skip);
}

static int movestatus;		/* why moved() stopped the rebuild */
static char *movewhy;

/* --bulk: a row that would break a rebuilt key, into the rejects. */
static bool
moved(void *arg, const char *vals, size_t len, const char *reason)
{
	(void)arg;
	if (!sl_rejects_put(rj, tg.seg, tg.h, vals, len, reason)) {
		movestatus = EXIT_IO;
		return false;
	}
	nmoved++;
	if (++nrej > maxrej) {
		movestatus = EXIT_DATA;
		movewhy = estrdup(reason);
		return false;
	}
	return true;
}

static void
bulk_end(void)
{
	struct sl_buf sel = { 0 };
	double t0 = sl_progress_elapsed(&pg);
	size_t i, k, nidx, nfk, n;
	PGresult *res;
	int r;

	/* the stream's columns as RETURNING reads them back: NULL if absent */
	for (i = k = 0; i < tg.h->ncols; i++) {
		oom(i == 0 || sl_buf_adds(&sel, ", "));
		if (k < tg.nkeep && tg.keep[k] == i) {
			k++;
			if (!pgx_quote_ident(conn, &sel, tg.h->cols[i].name))
				fail(EXIT_DB, NULL);
		} else {
			oom(sl_buf_adds(&sel, "NULL"));
		}
	}
	oom(sl_buf_cstr(&sel));
	nidx = pgx_bulk_nindexes(tg.bulk);
	nfk = pgx_bulk_nfkeys(tg.bulk);
	r = pgx_bulk_end(tg.bulk, tg.h, sel.p, rj != NULL ? moved : NULL,
	    NULL, &res, &n);
	tg.bulk = NULL;
	sl_buf_free(&sel);
	if (r == 1 && !refused(res))
		fail_db(res);
	if (r == 1)
		fail(EXIT_DATA, "%s: %s", tg.name, why(res));
	if (r != 0 && movewhy != NULL)
		fail(movestatus, "%s: more than %" PRIu64 " rows rejected "
		    "(--max-rejects); the last: %s", tg.name, maxrej, movewhy);
	if (r != 0)
		fail(movestatus != 0 ? movestatus : EXIT_DB, NULL);
	if (!quiet)
		sl_err("%s: --bulk: %zu indexes and %zu foreign keys rebuilt, "
		    "%zu rows moved out, %.2f s", tg.name, nidx, nfk, n,
		    sl_progress_elapsed(&pg) - t0);
}

/* truncate: each table once, however many segments go into it. */
static void
truncate_once(Oid oid)
{
	size_t i;

	for (i = 0; i < ntruncated; i++)
		if (truncated[i] == oid)
			return;
	truncated = erealloc(truncated, (ntruncated + 1) * sizeof(Oid));
	truncated[ntruncated++] = oid;
	run("TRUNCATE %s", tg.qname.p);
}

static void
note_name(const char *name)
{
	const char *p = names.p;
	size_t i;

	for (i = 0; i < nnames; i++, p += strlen(p) + 1)
		if (strcmp(p, name) == 0)
			return;
	oom(sl_buf_add(&names, name, strlen(name) + 1));
	nnames++;
}

static void
segment_begin(const struct rs_reader *r)
{
	Oid oid;

	tg.h = rs_header(r);
	tg.seg = rs_segment(r);
	if (!sl_rejects_note(rj, tg.h))
		fail(EXIT_IO, NULL);
	tg.name = totable != NULL ? totable : tg.h->table;
	note_name(tg.name);
	oid = find_table();
	match_columns(oid);
	if (mode == TRUNCATE)
		truncate_once(oid);
	if (bulk)
		bulk_begin(oid);
	if (staged) {
		prepare_upsert();
	} else {
		/*
		 * A table truncated by this transaction, with no savepoint
		 * in the way, can take its rows frozen: no hint bits to set
		 * and no vacuum to freeze them later. Only bulk's tables,
		 * which are known to be ordinary tables.
		 */
		sl_buf_reset(&tg.copy);
		oom(sl_buf_printf(&tg.copy, "%sCOPY %s (%s) FROM STDIN%s",
		    SAVEPOINT, tg.qname.p, tg.cols.p, mode == TRUNCATE &&
		    rj == NULL && tg.bulk != NULL ? " WITH (FREEZE)" : "") &&
		    sl_buf_cstr(&tg.copy));
	}
	if (rj == NULL)
		copy_begin();
}

static void
segment_end(void)
{
	if (rj != NULL)
		batch_end();
	else
		stream_end();
	if (staged)
		run("DROP TABLE %s", tg.tmp.p);
	if (tg.bulk != NULL)
		bulk_end();
}

/*
 * The end: every trailer matched. Deferred constraints are checked now
 * (so a dry run checks them too), the rejects file is put in place, and
 * the transaction committed, or rolled back for a dry run.
 */
static void
finish(void)
{
	PGresult *res;

	if (!staged && ncopied - nmoved != nread - nrej)
		fail(EXIT_DB, "the server took %" PRIu64 " rows, %" PRIu64
		    " were sent", ncopied, nread - nrej);
	res = PQexec(conn, "SET CONSTRAINTS ALL IMMEDIATE");
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		tg.name = "deferred constraints";
		if (!refused(res))
			fail_db(res);
		fail(EXIT_DATA, "%s", why(res));
	}
	PQclear(res);
	if (rj != NULL && !sl_rejects_close(rj, true)) {
		rj = NULL;
		fail(EXIT_IO, NULL);
	}
	rj = NULL;
	if (!pgx_exec(conn, dryrun ? "ROLLBACK" : "COMMIT"))
		fail(EXIT_DB, NULL);	/* drop_rejects() removes the file */
	PQfinish(conn);
	conn = NULL;
}

static void
load(const char *path)
{
	struct rs_reader *r;
	enum rs_event ev;

	if ((r = rs_open(path)) == NULL)
		fail(EXIT_IO, NULL);
	while ((ev = rs_next(r)) != RS_EOF) {
		switch (ev) {
		case RS_ERROR:
			fail(rs_status(r), NULL);
		case RS_HEADER:
			segment_begin(r);
			break;
		case RS_ROW:
			nread++;
			if (rj != NULL)
				batch_row(rs_row(r));
			else
				stream_row(rs_row(r));
			sl_progress_update(&pg, nread, rs_offset(r));
			break;
		case RS_TRAILER:
			segment_end();
			break;
		default:
			break;
		}
	}
	rs_close(r);
	finish();
}

/*
 * Reject isolation reads the refused row's number from the error's
 * CONTEXT, which the server words in its lc_messages: load asks for
 * messages untranslated. lc_messages is a superuser's setting (or a
 * role's with GRANT SET ON PARAMETER); without that right load keeps
 * the server's language, English too when that is C or en_*, and
 * otherwise copy_line() reads the number from any language's words and
 * settle() tries the row it names alone before rejecting it.
 */
static void
set_messages(void)
{
	PGresult *res = PQexec(conn, "SET lc_messages = 'C'");
	const char *lc;

	english = PQresultStatus(res) == PGRES_COMMAND_OK;
	PQclear(res);
	if (english)
		return;
	res = PQexec(conn, "SHOW lc_messages");
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1) {
		lc = PQgetvalue(res, 0, 0);
		english = strcmp(lc, "C") == 0 || strncmp(lc, "C.", 2) == 0 ||
		    strcmp(lc, "POSIX") == 0 || strncmp(lc, "en_", 3) == 0;
	}
	PQclear(res);
}

/* --key a,b,c */
static void
parse_key(const char *s)
{
	size_t i;

	sl_list_add(&keyopt, &nkeyopt, estrdup(s));
	if (nkeyopt == 0)
		usage_error(usage_text, "--key: no column named");
	for (i = 0; i < nkeyopt; i++)
		if (!pgx_check_ident(keyopt[i]))
			exit(EXIT_USAGE);
}

static void
help(void)
{
	fputs(usage_text, stdout);
	fputs("Load a row stream into PostgreSQL tables, in one transaction.\n"
	    "\n"
	    "  -d, --dbname CONNINFO  the database (a libpq keyword string or "
	    "URI;\n"
	    "                         default: the PG* environment, as psql)\n"
	    "  -t, --table TABLE      load every segment into TABLE (default: "
	    "each\n"
	    "                         segment into its header's table)\n"
	    "  -m, --mode MODE        append (the default), truncate (empty "
	    "the\n"
	    "                         table first), upsert (insert or "
	    "update)\n"
	    "                         or insert-missing (insert the rows whose "
	    "key\n"
	    "                         is not there, leave the others as they "
	    "are)\n"
	    "  -k, --key COLS         upsert's and insert-missing's key "
	    "columns,\n"
	    "                         a,b (default: the header's key)\n"
	    "  -r, --rejects FILE     write rows the server refuses to FILE, "
	    "with\n"
	    "                         an _error column, and load the rest\n"
	    "      --max-rejects N    roll back when more than N rows are "
	    "rejected\n"
	    "                         (default: no limit with --rejects, 0 "
	    "without)\n"
	    "  -b, --batch ROWS       rows per COPY with --rejects (default "
	    "10000)\n"
	    "  -n, --dry-run          do everything, then roll back\n"
	    "      --bulk             into an empty table: drop its keys, "
	    "indexes and\n"
	    "                         foreign keys, COPY, build them again\n"
	    "      --insert-only COLS upsert: set these columns when a row is "
	    "inserted,\n"
	    "                         never when it is updated\n"
	    "      --ignore-extra     leave out stream columns the table lacks\n"
	    "  -q, --quiet            no summary line on stderr\n"
	    "      --progress         a progress line on stderr\n"
	    "  -h, --help             this text\n"
	    "      --version          the version\n"
	    "\n"
	    "With no FILE, or when FILE is -, read standard input.\n"
	    "Exit status: 0 loaded, 1 rows refused (without --rejects, or more "
	    "than\n"
	    "--max-rejects), 2 usage, 3 bad or truncated stream (nothing "
	    "loaded),\n"
	    "4 database error, 5 I/O error.\n", stdout);
}

/*
 * At exit, unless load succeeded: however it failed (rolled back, a
 * usage error, out of memory), no rejects file is left at --rejects
 * FILE, not even an earlier run's, which a reader would take for this
 * run's.
 */
static void
drop_rejects(void)
{
	if (!succeeded && rejpath != NULL)
		sl_rejects_remove(rejpath);
}

static void
clear_progress(void)
{
	sl_progress_end(&pg);
}

static void
parse_mode(const char *s)
{
	if (strcmp(s, "append") == 0)
		mode = APPEND;
	else if (strcmp(s, "truncate") == 0)
		mode = TRUNCATE;
	else if (strcmp(s, "upsert") == 0)
		mode = UPSERT;
	else if (strcmp(s, "insert-missing") == 0)
		mode = MISSING;
	else
		usage_error(usage_text, "--mode: \"%s\" is not append, "
		    "truncate, upsert or insert-missing", s);
	staged = mode == UPSERT || mode == MISSING;
}

int
main(int argc, char *argv[])
{
	enum { OPT_MAXREJ = 256, OPT_EXTRA, OPT_BULK, OPT_INSONLY };
	static const struct option opts[] = {
		{ "batch", required_argument, NULL, 'b' },
		{ "bulk", no_argument, NULL, OPT_BULK },
		{ "dbname", required_argument, NULL, 'd' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "ignore-extra", no_argument, NULL, OPT_EXTRA },
		{ "insert-only", required_argument, NULL, OPT_INSONLY },
		{ "key", required_argument, NULL, 'k' },
		{ "max-rejects", required_argument, NULL, OPT_MAXREJ },
		{ "mode", required_argument, NULL, 'm' },
		{ "rejects", required_argument, NULL, 'r' },
		{ "table", required_argument, NULL, 't' },
		SL_COMMON_LONG
	};
	struct sl_common co = { 0 };
	bool maxgiven = false;
	uint64_t u;
	int c;

	sl_setprogname(argv[0]);
	if (atexit(drop_rejects) != 0)
		die(EXIT_IO, "atexit failed");
	while ((c = getopt_long(argc, argv, "b:d:hk:m:nqr:t:", opts,
	    NULL)) != -1) {
		switch (c) {
		case 'b':
			if (!sl_parse_u64(optarg, &u) || u == 0 ||
			    u > 100000000)
				usage_error(usage_text, "--batch: \"%s\" is not "
				    "a number of rows (1 to 100000000)", optarg);
			batchrows = (size_t)u;
			break;
		case 'd':
			conninfo = optarg;
			break;
		case 'k':
			parse_key(optarg);
			break;
		case 'm':
			parse_mode(optarg);
			break;
		case 'n':
			dryrun = true;
			break;
		case 'r':
			rejpath = optarg;
			break;
		case 't':
			totable = optarg;
			if (!pgx_check_name(totable))
				exit(EXIT_USAGE);
			break;
		case OPT_MAXREJ:
			if (!sl_parse_u64(optarg, &maxrej))
				usage_error(usage_text, "--max-rejects: \"%s\" "
				    "is not a number of rows", optarg);
			maxgiven = true;
			break;
		case OPT_EXTRA:
			ignore_extra = true;
			break;
		case OPT_INSONLY:
			sl_list_add(&insonly, &ninsonly, estrdup(optarg));
			break;
		case OPT_BULK:
			bulk = true;
			break;
		default:
			/* -h, --version: no load, nothing to remove */
			succeeded = c == 'h' || c == SL_OPT_VERSION;
			sl_common_opt(&co, c, help, usage_text);
		}
	}
	quiet = co.quiet;
	if (argc - optind > 1)
		usage_error(usage_text, "one stream at a time");
	if (nkeyopt > 0 && !staged)
		usage_error(usage_text, "--key is for --mode upsert or "
		    "insert-missing");
	if (ninsonly > 0 && mode != UPSERT)
		usage_error(usage_text, "--insert-only is for --mode upsert "
		    "(the other modes never update a row)");
	if (maxgiven && maxrej > 0 && rejpath == NULL)
		usage_error(usage_text, "--max-rejects needs --rejects FILE: "
		    "a rejected row must go somewhere");
	if (!maxgiven)
		maxrej = rejpath != NULL ? UINT64_MAX : 0;
	sl_err_hook(clear_progress);
	sl_progress_start(&pg, co.progress);
	if (rejpath != NULL) {
		if ((rj = sl_rejects_open(rejpath)) == NULL)
			return EXIT_IO;
		bt.tend = ecalloc(batchrows, sizeof(*bt.tend));
		bt.rend = ecalloc(batchrows, sizeof(*bt.rend));
		bt.num = ecalloc(batchrows, sizeof(*bt.num));
	}
	if ((conn = pgx_connect(conninfo)) == NULL)
		fail(EXIT_DB, NULL);
	set_messages();
	run("BEGIN");
	load(optind < argc ? argv[optind] : "-");
	sl_progress_end(&pg);
	summary(NULL);
	succeeded = true;
	return EXIT_OK;
}
