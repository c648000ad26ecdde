/*
 * pgx_target.c: the table a segment goes into and the COPY that takes
 * its rows; see pgx_target.h.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "exitcodes.h"
#include "pgx.h"
#include "pgx_target.h"
#include "value.h"

#define CHUNK		(64UL << 10)	/* COPY data sent at a time */
#define ROWNUM		"\"_sluice_n\""	/* upsert: the row's number */

/*
 * Reject isolation reads the refused row's number from the error's
 * CONTEXT, which the server words in its lc_messages: load asks for
 * messages untranslated. lc_messages is a superuser's setting (or a
 * role's with GRANT SET ON PARAMETER); without that right load keeps
 * the server's language, English too when that is C or en_*, and
 * otherwise pgx_target_line() reads the number from any language's
 * words and the isolation (isolate.h, trust_line) tries the row it
 * names alone before rejecting it.
 */
void
pgx_target_init(struct pgx_target *t, PGconn *conn)
{
	PGresult *res;
	const char *lc;

	memset(t, 0, sizeof(*t));
	t->conn = conn;
	res = PQexec(conn, "SET lc_messages = 'C'");
	t->english = PQresultStatus(res) == PGRES_COMMAND_OK;
	PQclear(res);
	if (t->english)
		return;
	res = PQexec(conn, "SHOW lc_messages");
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1) {
		lc = PQgetvalue(res, 0, 0);
		t->english = strcmp(lc, "C") == 0 ||
		    strncmp(lc, "C.", 2) == 0 || strcmp(lc, "POSIX") == 0 ||
		    strncmp(lc, "en_", 3) == 0;
	}
	PQclear(res);
}

void
pgx_target_free(struct pgx_target *t)
{
	sl_buf_free(&t->qname);
	sl_buf_free(&t->rel);
	sl_buf_free(&t->cols);
	sl_buf_free(&t->copy);
	sl_buf_free(&t->into);
	sl_buf_free(&t->msg);
	sl_buf_free(&t->scratch);
	free(t->keep);
	free(t->loaded);
	t->keep = NULL;
	t->loaded = NULL;
	pgx_binary_free(t->bin);
	t->bin = NULL;
}

int
pgx_target_format(struct pgx_target *t, Oid oid, enum pgx_copyfmt fmt,
    bool rownum)
{
	const char *why;

	pgx_binary_free(t->bin);
	t->bin = NULL;
	if (fmt == PGX_FMT_TEXT)
		return 0;
	t->bin = pgx_binary_new(t->conn, oid, t->h, t->keep, t->nkeep, rownum,
	    fmt == PGX_FMT_BINARY, &why);
	if (t->bin != NULL)
		return 0;
	if (why == NULL)
		return EXIT_DB;	/* the catalogue query, reported */
	if (fmt == PGX_FMT_BINARY) {
		sl_err("%s: --copy-format binary: %s", t->name, why);
		return EXIT_DB;
	}
	return 0;
}

bool
pgx_target_run(struct pgx_target *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	sl_buf_reset(&t->scratch);
	if (n < 0 || !sl_buf_grow(&t->scratch, (size_t)n + 1))
		return false;
	va_start(ap, fmt);
	vsnprintf(t->scratch.p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return pgx_exec(t->conn, t->scratch.p);
}

/* The segment's table, its quoted name and the name its errors use. */
static int
find_table(struct pgx_target *t, Oid *oid)
{
	static const char q[] =
	    "SELECT c.oid, pg_catalog.quote_ident(n.nspname) || '.' ||"
	    " pg_catalog.quote_ident(c.relname), c.relname"
	    " FROM pg_catalog.pg_class c"
	    " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
	    " WHERE c.oid = pg_catalog.to_regclass($1)";
	const char *param;
	PGresult *res;

	sl_buf_reset(&t->scratch);
	if (!pgx_quote_name(t->conn, &t->scratch, t->name))
		return EXIT_USAGE;	/* a bad or too long name */
	if (!sl_buf_cstr(&t->scratch))
		return EXIT_IO;
	param = t->scratch.p;
	if ((res = pgx_query(t->conn, q, 1, &param)) == NULL)
		return EXIT_DB;
	if (PQntuples(res) != 1) {
		PQclear(res);
		sl_err("%s: no such table in database \"%s\"", t->name,
		    PQdb(t->conn));
		return EXIT_DB;
	}
	*oid = (Oid)strtoul(PQgetvalue(res, 0, 0), NULL, 10);
	sl_buf_reset(&t->qname);
	sl_buf_reset(&t->rel);
	if (!sl_buf_adds(&t->qname, PQgetvalue(res, 0, 1)) ||
	    !sl_buf_cstr(&t->qname) ||
	    !sl_buf_adds(&t->rel, PQgetvalue(res, 0, 2)) ||
	    !sl_buf_cstr(&t->rel)) {
		PQclear(res);
		return EXIT_IO;
	}
	PQclear(res);
	return 0;
}

/*
 * "the table has no column ..." unless ignore_extra; extra holds the
 * stream columns the table lacks.
 */
static int
no_columns(struct pgx_target *t, struct sl_buf *extra, bool ignore_extra)
{
	if (!sl_buf_cstr(&t->cols) || !sl_buf_cstr(extra))
		return EXIT_IO;
	if (extra->len > 0 && !ignore_extra) {
		sl_err("%s: the table has no column %s (--ignore-extra "
		    "leaves such columns out)", t->name, extra->p);
		return EXIT_DB;
	}
	if (t->nkeep == 0) {
		sl_err("%s: none of the stream's columns is in the table",
		    t->name);
		return EXIT_DB;
	}
	return 0;
}

/*
 * Matches the stream's columns to the table's by name: t->keep and
 * t->cols. A stream column the table lacks is an error (the data would
 * be lost) unless ignore_extra; table columns the stream lacks get
 * their defaults.
 */
static int
match_columns(struct pgx_target *t, Oid oid, bool ignore_extra)
{
	static const char q[] =
	    "SELECT attname FROM pg_catalog.pg_attribute"
	    " WHERE attrelid = $1::oid AND attnum > 0 AND NOT attisdropped";
	const struct rs_header *h = t->h;
	struct sl_buf extra = { 0 };
	char soid[16], show[SL_PRINTABLE];
	const char *param = soid;
	PGresult *res;
	size_t i;
	long c;
	int a, st = 0;

	/*
	 * A name PostgreSQL would cut short is refused, --ignore-extra or
	 * not: it may well be meant for the column of the shorter name.
	 */
	for (i = 0; i < h->ncols; i++)
		if (!pgx_check_ident(h->cols[i].name))
			return EXIT_USAGE;
	snprintf(soid, sizeof(soid), "%u", (unsigned)oid);
	if ((res = pgx_query(t->conn, q, 1, &param)) == NULL)
		return EXIT_DB;
	free(t->keep);
	free(t->loaded);
	t->keep = calloc(h->ncols + 1, sizeof(*t->keep));
	t->loaded = calloc(h->ncols + 1, sizeof(*t->loaded));
	t->nkeep = 0;
	if (t->keep == NULL || t->loaded == NULL) {
		PQclear(res);
		sl_err("out of memory");
		return EXIT_IO;
	}
	/* each table column looked up in the header's index: linear */
	for (a = 0; a < PQntuples(res); a++)
		if ((c = rs_header_find(h, PQgetvalue(res, a, 0))) >= 0)
			t->loaded[c] = true;
	PQclear(res);
	sl_buf_reset(&t->cols);
	for (i = 0; st == 0 && i < h->ncols; i++) {
		if (!t->loaded[i]) {
			if (!sl_buf_printf(&extra, "%s\"%s\"", extra.len > 0 ?
			    ", " : "", sl_printable(show, sizeof(show),
			    h->cols[i].name, strlen(h->cols[i].name))))
				st = EXIT_IO;
			continue;
		}
		if (t->nkeep > 0 && !sl_buf_adds(&t->cols, ", "))
			st = EXIT_IO;
		else if (!pgx_quote_ident(t->conn, &t->cols, h->cols[i].name))
			st = EXIT_USAGE;
		t->keep[t->nkeep++] = i;
	}
	if (st == 0)
		st = no_columns(t, &extra, ignore_extra);
	sl_buf_free(&extra);
	t->all = t->nkeep == h->ncols;
	return st;
}

int
pgx_target_open(struct pgx_target *t, const struct rs_header *h,
    const char *name, bool ignore_extra, Oid *oid)
{
	int st;

	t->h = h;
	t->name = name;
	t->rownum = false;
	if ((st = find_table(t, oid)) != 0)
		return st;
	return match_columns(t, *oid, ignore_extra);
}

/*
 * A table truncated by this transaction, with no savepoint in the way,
 * can take its rows frozen (freeze): no hint bits to set and no vacuum
 * to freeze them later.
 */
static bool
write_copy(struct pgx_target *t)
{
	sl_buf_reset(&t->copy);
	return sl_buf_printf(&t->copy, "%sCOPY %s (%s%s) FROM STDIN%s",
	    t->savepoint ? "SAVEPOINT sluice; " : "", t->into.p, t->cols.p,
	    t->rownum ? ", " ROWNUM : "", t->bin != NULL ? (t->freeze ?
	    " WITH (FORMAT binary, FREEZE)" : " WITH (FORMAT binary)") :
	    t->freeze ? " WITH (FREEZE)" : "") && sl_buf_cstr(&t->copy);
}

/* The arguments are kept: pgx_target_text() writes the COPY again. */
bool
pgx_target_copy_into(struct pgx_target *t, const char *into, bool savepoint,
    bool freeze)
{
	sl_buf_reset(&t->into);
	t->savepoint = savepoint;
	t->freeze = freeze;
	return sl_buf_adds(&t->into, into) && sl_buf_cstr(&t->into) &&
	    write_copy(t);
}

/*
 * The same COPY in text. FREEZE stays right: the table was truncated in
 * this subtransaction, and another COPY does not change that.
 */
bool
pgx_target_text(struct pgx_target *t)
{
	pgx_binary_free(t->bin);
	t->bin = NULL;
	return write_copy(t);
}

bool
pgx_target_encode(struct pgx_target *t, struct sl_buf *b,
    const struct rs_row *row)
{
	size_t i, len = b->len;
	bool ok = true;

	sl_err_quiet(true);
	if (t->bin != NULL) {
		ok = pgx_binary_row(t->bin, b, row, row->num);
	} else if (t->all) {
		ok = pgx_encode_row(b, row);
	} else {
		for (i = 0; ok && i < t->nkeep; i++)
			ok = (i == 0 || sl_buf_addc(b, '\t')) &&
			    pgx_encode_value(b, &row->v[t->keep[i]]);
		ok = ok && sl_buf_addc(b, '\n');
	}
	if (ok && t->rownum && t->bin == NULL) {
		b->len--;
		ok = sl_buf_printf(b, "\t%" PRIu64 "\n", row->num);
	}
	sl_err_quiet(false);
	if (!ok)
		b->len = len;
	return ok;
}

const char *
pgx_target_unencodable(struct pgx_target *t, const struct rs_row *row)
{
	const msgpack_object *v;
	size_t i;

	for (i = 0; i < t->nkeep; i++) {
		v = &row->v[t->keep[i]];
		if (v->type == MSGPACK_OBJECT_STR &&
		    memchr(v->via.str.ptr, '\0', v->via.str.size) != NULL) {
			sl_buf_reset(&t->msg);
			if (!sl_buf_printf(&t->msg, "column \"%s\": %s",
			    t->h->cols[t->keep[i]].name, sl_lasterr()) ||
			    !sl_buf_cstr(&t->msg))
				return NULL;
			return t->msg.p;
		}
	}
	/* the binary encoder refuses values of its own (pgx_binary.h) */
	if (t->bin != NULL && pgx_binary_failed(t->bin) >= 0) {
		sl_buf_reset(&t->msg);
		if (!sl_buf_adds(&t->msg, sl_lasterr()) || !sl_buf_cstr(&t->msg))
			return NULL;
		return t->msg.p;
	}
	sl_err("%s", sl_lasterr());
	return NULL;
}

bool
pgx_target_copy_begin(struct pgx_target *t)
{
	PGresult *res = PQexec(t->conn, t->copy.p);

	if (PQresultStatus(res) != PGRES_COPY_IN) {
		pgx_target_failed(t, res);
		PQclear(res);
		return false;
	}
	PQclear(res);
	t->copying = true;
	/* a failure to send shows when the COPY ends */
	if (t->bin != NULL)
		pgx_target_send(t, PGX_BINARY_HEADER, PGX_BINARY_HEADER_LEN);
	return true;
}

bool
pgx_target_send(struct pgx_target *t, const char *p, size_t n)
{
	size_t k;

	for (; n > 0; p += k, n -= k) {
		k = n < CHUNK ? n : CHUNK;
		if (PQputCopyData(t->conn, p, (int)k) != 1)
			return false;
	}
	return true;
}

PGresult *
pgx_target_copy_end(struct pgx_target *t)
{
	PGresult *res, *more;

	if (t->bin != NULL)
		pgx_target_send(t, PGX_BINARY_TRAILER, PGX_BINARY_TRAILER_LEN);
	PQputCopyEnd(t->conn, NULL);	/* a failure shows in the result */
	res = PQgetResult(t->conn);
	while ((more = PQgetResult(t->conn)) != NULL)
		PQclear(more);
	t->copying = false;
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		return res;
	t->ncopied += strtoull(PQcmdTuples(res), NULL, 10);
	PQclear(res);
	return NULL;
}

void
pgx_target_abort(struct pgx_target *t)
{
	PGresult *res;

	if (t->copying)
		PQputCopyEnd(t->conn, "load: aborted");
	t->copying = false;
	while ((res = PQgetResult(t->conn)) != NULL)
		PQclear(res);
}

bool
pgx_refused(const PGresult *res)
{
	const char *st = PQresultErrorField(res, PG_DIAG_SQLSTATE);

	return st != NULL && (strncmp(st, "22", 2) == 0 ||
	    strncmp(st, "23", 2) == 0 || strcmp(st, "P0001") == 0);
}

void
pgx_target_failed(struct pgx_target *t, const PGresult *res)
{
	sl_err("%s: %s", t->name, pgx_errmsg(t->conn, res));
}

/*
 * The message, then the detail ("Key (id)=(7) already exists.") unless
 * that only repeats the row: "Failing row contains (...)", in whatever
 * language, which is what a not-null (23502) or check (23514) says.
 */
const char *
pgx_target_why(struct pgx_target *t, const PGresult *res)
{
	const char *m = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	const char *d = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
	const char *st = PQresultErrorField(res, PG_DIAG_SQLSTATE);

	sl_buf_reset(&t->msg);
	if (!sl_buf_adds(&t->msg, m != NULL ? m : pgx_errmsg(t->conn, res)))
		return NULL;
	if (d != NULL && strncmp(d, "Failing row contains", 20) != 0 &&
	    (st == NULL || (strcmp(st, "23502") != 0 &&
	    strcmp(st, "23514") != 0)) && !sl_buf_printf(&t->msg, ": %s", d))
		return NULL;
	return sl_buf_cstr(&t->msg) ? t->msg.p : NULL;
}

/*
 * The COPY's line is the last line of the CONTEXT (a trigger's come
 * before it, and may quote anything). In English it is "COPY t, line
 * N"; in another language the words differ but every translation names
 * the table and then the line, before the row's text: the first number
 * after the table's name is taken.
 */
uint64_t
pgx_target_line(struct pgx_target *t, const PGresult *res)
{
	const char *ctx = PQresultErrorField(res, PG_DIAG_CONTEXT), *p;

	if (ctx == NULL)
		return 0;
	while ((p = strchr(ctx, '\n')) != NULL && p[1] != '\0')
		ctx = p + 1;
	if (t->english) {
		sl_buf_reset(&t->scratch);
		if (!sl_buf_printf(&t->scratch, "COPY %s, line ", t->rel.p) ||
		    (p = strstr(ctx, t->scratch.p)) == NULL)
			return 0;
		return strtoull(p + t->scratch.len, NULL, 10);
	}
	if ((p = strstr(ctx, t->rel.p)) == NULL)
		return 0;
	p += strcspn(p + t->rel.len, "0123456789\n") + t->rel.len;
	return *p >= '0' && *p <= '9' ? strtoull(p, NULL, 10) : 0;
}
