/*
 * sqlx.c: SQLite tables and queries as row stream segments. See sqlx.h.
 *
 * SQLite is dynamically typed: a column's declared type is only a hint
 * (its "affinity"), and any value of any storage class may sit in any
 * column. The header must promise one class per column, so the declared
 * type decides it (sqlx_decltype) and each value is checked against it
 * as it is read: one that converts without loss is converted (an integer
 * in a text column becomes its decimal text), one that would be mangled
 * stops the segment, naming the row, the column and the --types that
 * would take it as it is. The segment then has no trailer (and the stream
 * no end mark: extract fails before rs_wfinish), as everywhere
 * else in sluice, and nothing downstream takes it for whole.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "exitcodes.h"
#include "sqlx.h"
#include "value.h"

struct sqlx {
	sqlite3		*db;
	char		*path;		/* as the user wrote it, for messages */
	int		 busy_ms;
};

struct sqlx_seg {
	struct sqlx		*x;
	sqlite3_stmt		*st;
	struct rs_header	*h;
	char			*what;	/* the table, or "the query" */
	struct sl_buf		 conv;	/* a real's text form, reused */
};

static char *
dupstr(const char *s)
{
	char *d = strdup(s);

	if (d == NULL)
		sl_err("out of memory");
	return d;
}

/*
 * Reports the connection's last error, with what (a table) when given,
 * and gives its exit status. A busy database gets a message of its own:
 * SQLite's "database is locked" does not say that we waited, nor for how
 * long, nor what to do.
 */
static int
dberr(const struct sqlx *x, const char *what)
{
	int rc = sqlite3_extended_errcode(x->db);

	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		sl_err("%s: the database is locked by another process (gave "
		    "up after %d ms; --busy-timeout MS waits longer)", x->path,
		    x->busy_ms);
		return EXIT_DB;
	case SQLITE_NOMEM:
		sl_err("out of memory");
		return EXIT_IO;
	}
	sl_err("%s: %s%s%s", x->path, what != NULL ? what : "",
	    what != NULL ? ": " : "", sqlite3_errmsg(x->db));
	return (rc & 0xff) == SQLITE_IOERR ? EXIT_IO : EXIT_DB;
}

static int
exec(struct sqlx *x, const char *sql)
{
	return sqlite3_exec(x->db, sql, NULL, NULL, NULL) == SQLITE_OK ?
	    EXIT_OK : dberr(x, NULL);
}

/*
 * Opens path read-only and takes the snapshot every segment will see.
 * URIs are off whatever the library's build default, so a file name is
 * only ever a file name; one that SQLite would take as special
 * (":memory:") is made a path with "./". BEGIN alone takes no lock: the
 * first read does, and in a transaction keeps it until COMMIT, so that
 * read is done here, where a locked or foreign file is best reported.
 */
struct sqlx *
sqlx_open(const char *path, int busy_ms, int *status)
{
	struct sqlx *x;
	char *name = NULL;
	int rc, e;

	(void)sqlite3_config(SQLITE_CONFIG_URI, 0);	/* before any open */
	*status = EXIT_IO;
	if ((x = calloc(1, sizeof(*x))) == NULL ||
	    (x->path = dupstr(path)) == NULL ||
	    (name = malloc(strlen(path) + 3)) == NULL) {
		sl_err("out of memory");
		goto fail;
	}
	snprintf(name, strlen(path) + 3, "%s%s", path[0] == ':' ? "./" : "",
	    path);
	x->busy_ms = busy_ms;
	rc = sqlite3_open_v2(name, &x->db, SQLITE_OPEN_READONLY, NULL);
	if (rc != SQLITE_OK) {
		if (x->db == NULL) {
			sl_err("out of memory");
			goto fail;
		}
		e = sqlite3_system_errno(x->db);
		sl_err("%s: %s", path, e != 0 ? strerror(e) :
		    sqlite3_errmsg(x->db));
		*status = (rc & 0xff) == SQLITE_CANTOPEN ||
		    (rc & 0xff) == SQLITE_IOERR ? EXIT_IO : EXIT_DB;
		goto fail;
	}
	free(name);
	name = NULL;
	sqlite3_extended_result_codes(x->db, 1);
	sqlite3_busy_timeout(x->db, busy_ms);
	/* "nope" is an error, not the string 'nope', when no column is so named */
	sqlite3_db_config(x->db, SQLITE_DBCONFIG_DQS_DML, 0, (int *)NULL);
	/* a file from elsewhere: its views and triggers call no risky function */
	sqlite3_db_config(x->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0,
	    (int *)NULL);
	if ((*status = exec(x, "BEGIN")) != EXIT_OK ||
	    (*status = exec(x, "SELECT 1 FROM sqlite_schema LIMIT 1")) !=
	    EXIT_OK)
		goto fail;
	return x;
fail:
	free(name);
	if (x != NULL) {
		sqlite3_close(x->db);
		free(x->path);
		free(x);
	}
	return NULL;
}

/* Ends the read transaction and closes; every segment must be freed. */
int
sqlx_close(struct sqlx *x)
{
	int status = exec(x, "COMMIT");

	if (sqlite3_close(x->db) != SQLITE_OK && status == EXIT_OK)
		status = dberr(x, NULL);
	free(x->path);
	free(x);
	return status;
}

/*
 * The header's type for a declared type. SQLite's own affinity rules
 * come first and in its order (datatype3.html, 3.1: INT, then CHAR/CLOB/
 * TEXT, BLOB, REAL/FLOA/DOUB), so that a column is typed as SQLite
 * stores it; then the names its NUMERIC affinity covers and a user
 * means by them: booleans, dates and times, decimals. No declared type
 * (an expression in a query, a column declared without one) and any
 * other name are text, into which every value but a binary converts.
 */
const char *
sqlx_decltype(const char *decl)
{
	static const struct {
		const char	*part;
		const char	*type;
	} rules[] = {
		{ "INT", "int8" }, { "CHAR", "text" }, { "CLOB", "text" },
		{ "TEXT", "text" }, { "BLOB", "bytea" }, { "REAL", "float8" },
		{ "FLOA", "float8" }, { "DOUB", "float8" }, { "BOOL", "bool" },
		{ "TIMESTAMPTZ", "timestamptz" }, { "ZONE", "timestamptz" },
		{ "TIMESTAMP", "timestamp" }, { "DATETIME", "timestamp" },
		{ "DATE", "date" }, { "TIME", "time" },
		{ "NUMERIC", "numeric" }, { "DECIMAL", "numeric" },
	};
	size_t i;

	if (decl == NULL)
		return "text";
	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (strcasestr(decl, rules[i].part) != NULL)
			return rules[i].type;
	return "text";
}

/* An identifier quoted for SQLite: "...", with a quote in it doubled. */
static bool
quote(struct sl_buf *b, const char *id)
{
	const char *q;

	if (!sl_buf_addc(b, '"'))
		return false;
	while ((q = strchr(id, '"')) != NULL) {
		if (!sl_buf_add(b, id, (size_t)(q - id) + 1) ||
		    !sl_buf_addc(b, '"'))
			return false;
		id = q + 1;
	}
	return sl_buf_adds(b, id) && sl_buf_addc(b, '"');
}

/*
 * The statement for a segment. A query without -c or -w runs as it is
 * written (a PRAGMA cannot be a subquery); otherwise it becomes one.
 */
static bool
build_sql(struct sl_buf *b, const struct sqlx_spec *sp)
{
	size_t i;
	bool ok;

	if (sp->table == NULL && sp->ncols == 0 && sp->where == NULL)
		return sl_buf_adds(b, sp->query) && sl_buf_cstr(b);
	ok = sl_buf_adds(b, "SELECT ");
	for (i = 0; ok && i < sp->ncols; i++)
		ok = (i == 0 || sl_buf_adds(b, ", ")) && quote(b, sp->cols[i]);
	if (ok && sp->ncols == 0)
		ok = sl_buf_adds(b, "*");
	ok = ok && sl_buf_adds(b, " FROM ");
	if (sp->table != NULL)
		ok = ok && quote(b, sp->table);
	else
		ok = ok && sl_buf_adds(b, "(") && sl_buf_adds(b, sp->query) &&
		    sl_buf_adds(b, "\n) AS sluice_query");
	if (sp->where != NULL)
		ok = ok && sl_buf_adds(b, " WHERE (") &&
		    sl_buf_adds(b, sp->where) && sl_buf_adds(b, "\n)");
	return ok && sl_buf_cstr(b);
}

/* The header's spelling of name, which SQLite matches case-blind. */
static const char *
find_col(const struct rs_header *h, const char *name)
{
	size_t i;

	for (i = 0; i < h->ncols; i++)
		if (sqlite3_stricmp(h->cols[i].name, name) == 0)
			return h->cols[i].name;
	return NULL;
}

/*
 * The table's declared primary key, in its declared order (table_info's
 * pk is the column's place in it), when every part of it is among the
 * columns read. A table without one (a rowid table, a view) has no key.
 */
static int
set_key(struct sqlx_seg *s, const char *table)
{
	static const char sql[] = "SELECT name FROM pragma_table_info(?1)"
	    " WHERE pk > 0 ORDER BY pk";
	const char **names, *col;
	sqlite3_stmt *st;
	size_t n = 0;
	bool all = true;
	int rc, status = EXIT_OK;

	if ((names = calloc(s->h->ncols + 1, sizeof(*names))) == NULL) {
		sl_err("out of memory");
		return EXIT_IO;
	}
	if (sqlite3_prepare_v2(s->x->db, sql, -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC) != SQLITE_OK) {
		free(names);
		sqlite3_finalize(st);
		return dberr(s->x, table);
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		col = (const char *)sqlite3_column_text(st, 0);
		if (col == NULL || n == s->h->ncols ||
		    (names[n++] = find_col(s->h, col)) == NULL)
			all = false;
	}
	if (rc != SQLITE_DONE)
		status = dberr(s->x, table);
	else if (all && n > 0 && !rs_header_setkey(s->h, n, names))
		status = EXIT_IO;
	sqlite3_finalize(st);
	free(names);
	return status;
}

/*
 * The header from the statement's columns. A table's header is named
 * after the table as written (SQLite matches it case-blind), a query's
 * "query"; --name overrides both.
 */
static int
make_header(struct sqlx_seg *s, const struct sqlx_spec *sp)
{
	const char *col;
	int i, n = sqlite3_column_count(s->st);

	s->h = rs_header_new(sp->name != NULL ? sp->name : sp->table != NULL ?
	    sp->table : "query", (size_t)n);
	if (s->h == NULL || !rs_header_setsource(s->h, s->x->path))
		return EXIT_IO;
	for (i = 0; i < n; i++) {
		if ((col = sqlite3_column_name(s->st, i)) == NULL) {
			sl_err("out of memory");
			return EXIT_IO;
		}
		if (!rs_header_setcol(s->h, (size_t)i, col,
		    sqlx_decltype(sqlite3_column_decltype(s->st, i))))
			return EXIT_IO;
	}
	if (sp->table != NULL)
		return set_key(s, sp->table);
	return EXIT_OK;
}

/*
 * A query must be one statement that reads and returns columns: BEGIN
 * or COMMIT (read-only as SQLite sees them) would end the snapshot, and
 * a second statement would be silently ignored.
 */
static int
check_query(struct sqlx_seg *s, const char *tail)
{
	sqlite3_stmt *more = NULL;

	if (s->st == NULL) {
		sl_err("%s: the query is empty", s->x->path);
		return EXIT_USAGE;
	}
	if (sqlite3_prepare_v2(s->x->db, tail, -1, &more, NULL) != SQLITE_OK)
		return dberr(s->x, NULL);
	if (more != NULL) {
		sqlite3_finalize(more);
		sl_err("%s: the query is more than one statement", s->x->path);
		return EXIT_USAGE;
	}
	if (!sqlite3_stmt_readonly(s->st) || sqlite3_column_count(s->st) == 0) {
		sl_err("%s: the query must return rows (a SELECT) and change "
		    "nothing", s->x->path);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/*
 * Prepares one segment: the statement (which checks that the table and
 * columns exist) and its header, before any row is read.
 */
struct sqlx_seg *
sqlx_prepare(struct sqlx *x, const struct sqlx_spec *sp, int *status)
{
	struct sqlx_seg *s;
	struct sl_buf sql = { 0 };
	const char *tail;

	*status = EXIT_IO;
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		sl_err("out of memory");
		return NULL;
	}
	s->x = x;
	if ((s->what = dupstr(sp->table != NULL ? sp->table : "the query")) ==
	    NULL || !build_sql(&sql, sp))
		goto fail;
	if (sqlite3_prepare_v2(x->db, sql.p, -1, &s->st, &tail) != SQLITE_OK) {
		*status = dberr(x, NULL);
		goto fail;
	}
	if ((*status = check_query(s, tail)) != EXIT_OK ||
	    (*status = make_header(s, sp)) != EXIT_OK)
		goto fail;
	if (!rs_header_check(s->h, s->what)) {
		*status = EXIT_USAGE;
		goto fail;
	}
	sl_buf_free(&sql);
	return s;
fail:
	sl_buf_free(&sql);
	sqlx_seg_free(s);
	return NULL;
}

/* The segment's header: the caller may retype its columns (--types). */
struct rs_header *
sqlx_header(struct sqlx_seg *s)
{
	return s->h;
}

void
sqlx_seg_free(struct sqlx_seg *s)
{
	if (s == NULL)
		return;
	sqlite3_finalize(s->st);
	rs_header_free(s->h);
	sl_buf_free(&s->conv);
	free(s->what);
	free(s);
}

/*
 * The value converters. Each puts value i of the current row, of
 * storage class t (not NULL), into a column of its class, or returns
 * false when that would lose something. A text's bytes are asked for
 * before its length, as SQLite requires, and are UTF-8 whatever the
 * database's encoding.
 */

static const char *
text(sqlite3_stmt *st, int i, size_t *n)
{
	const char *p = (const char *)sqlite3_column_text(st, i);

	*n = (size_t)sqlite3_column_bytes(st, i);
	return p;
}

static bool
put_int(struct sqlx_seg *s, struct rs_writer *w, int i, int t)
{
	const struct rs_col *col = &s->h->cols[i];
	const char *p;
	int64_t v, lo, hi;
	double d;
	size_t n;

	sl_int_range(col->type, &lo, &hi);
	if (t == SQLITE_INTEGER) {
		v = sqlite3_column_int64(s->st, i);
	} else if (t == SQLITE_FLOAT) {
		d = sqlite3_column_double(s->st, i);
		if (!(d >= -0x1p63 && d < 0x1p63) || d != floor(d))
			return false;
		v = (int64_t)d;
	} else if (t == SQLITE_TEXT) {
		if ((p = text(s->st, i, &n)) == NULL ||
		    !sl_parse_int(p, n, lo, hi, &v))
			return false;
	} else {
		return false;
	}
	if (v < lo || v > hi)
		return false;
	rs_put_int(w, v);
	return true;
}

static bool
put_float(struct sqlx_seg *s, struct rs_writer *w, int i, int t)
{
	const char *p;
	int64_t v;
	double d;
	size_t n;

	if (t == SQLITE_FLOAT) {
		d = sqlite3_column_double(s->st, i);
	} else if (t == SQLITE_INTEGER) {
		/* past 2^53 not every integer is a double */
		v = sqlite3_column_int64(s->st, i);
		d = (double)v;
		if (d >= 0x1p63 || (int64_t)d != v)
			return false;
	} else if (t == SQLITE_TEXT) {
		if ((p = text(s->st, i, &n)) == NULL ||
		    !sl_parse_float(p, n, &d))
			return false;
	} else {
		return false;
	}
	rs_put_double(w, d);
	return true;
}

/* SQLite has no booleans: apps store 0 and 1, or (Rails) 't' and 'f'. */
static bool
put_bool(struct sqlx_seg *s, struct rs_writer *w, int i, int t)
{
	const char *p;
	int64_t v;
	size_t n;
	int b;

	if (t == SQLITE_INTEGER) {
		v = sqlite3_column_int64(s->st, i);
		b = v == 0 || v == 1 ? (int)v : -1;
	} else if (t == SQLITE_TEXT && (p = text(s->st, i, &n)) != NULL) {
		b = sl_parse_bool(p, n);
	} else {
		b = -1;
	}
	if (b >= 0)
		rs_put_bool(w, b == 1);
	return b >= 0;
}

static bool
put_bytea(struct sqlx_seg *s, struct rs_writer *w, int i, int t)
{
	const void *p;
	size_t n;

	if (t == SQLITE_BLOB) {
		/* a blob of no bytes is a NULL pointer */
		p = sqlite3_column_blob(s->st, i);
		n = (size_t)sqlite3_column_bytes(s->st, i);
		if (p == NULL && n > 0)
			return false;
		rs_put_bin(w, p != NULL ? p : "", n);
		return true;
	}
	if (t == SQLITE_TEXT && (p = text(s->st, i, &n)) != NULL) {
		rs_put_bin(w, p, n);
		return true;
	}
	return false;
}

static bool
put_text(struct sqlx_seg *s, struct rs_writer *w, int i, int t)
{
	const char *p;
	char num[24];
	size_t n;

	switch (t) {
	case SQLITE_INTEGER:
		n = (size_t)snprintf(num, sizeof(num), "%" PRId64,
		    (int64_t)sqlite3_column_int64(s->st, i));
		rs_put_str(w, num, n);
		return true;
	case SQLITE_FLOAT:
		sl_buf_reset(&s->conv);
		if (!sl_fmt_double(&s->conv, sqlite3_column_double(s->st, i)))
			return false;
		rs_put_str(w, s->conv.p, s->conv.len);
		return true;
	case SQLITE_BLOB:
		p = sqlite3_column_blob(s->st, i);
		n = (size_t)sqlite3_column_bytes(s->st, i);
		if (p == NULL)
			p = "";
		break;
	default:
		if ((p = text(s->st, i, &n)) == NULL)
			return false;
		break;
	}
	if (!sl_text_valid(p, n))
		return false;
	rs_put_str(w, p, n);
	return true;
}

/*
 * Reports a value that does not fit its column: where it is, what it is,
 * and the --types that takes such values as they are (the type of its
 * own storage class; bytea for a text that is not UTF-8).
 */
static int
misfit(struct sqlx_seg *s, struct rs_writer *w, int i, int t)
{
	const struct rs_col *col = &s->h->cols[i];
	const char *fit, *p;
	struct sl_buf *b = &s->conv;
	char show[SL_PRINTABLE];
	size_t n;
	bool ok;

	sl_buf_reset(b);
	switch (t) {
	case SQLITE_INTEGER:
		fit = "int8";
		ok = sl_buf_printf(b, "the integer %" PRId64,
		    (int64_t)sqlite3_column_int64(s->st, i));
		break;
	case SQLITE_FLOAT:
		fit = "float8";
		ok = sl_buf_adds(b, "the real ") &&
		    sl_fmt_double(b, sqlite3_column_double(s->st, i));
		break;
	case SQLITE_TEXT:
		fit = "text";
		p = text(s->st, i, &n);
		ok = p == NULL ? sl_buf_adds(b, "a text") :
		    sl_buf_printf(b, "the text \"%s\"%s", sl_printable(show,
		    sizeof(show), p, n), sl_text_valid(p, n) ? "" :
		    " (not UTF-8, or a NUL byte)");
		break;
	default:
		fit = "bytea";
		ok = sl_buf_printf(b, "a blob of %d bytes",
		    sqlite3_column_bytes(s->st, i));
		break;
	}
	if (!ok || !sl_buf_cstr(b))
		return EXIT_IO;
	if (strcmp(fit, col->type) == 0)
		fit = "bytea";
	sl_err("%s: %s: row %" PRIu64 ": column \"%s\" (%s): %s does not fit; "
	    "--types %s:%s takes the column as it is", s->x->path, s->what,
	    rs_wrows(w) + 1, col->name, col->type, b->p, col->name, fit);
	return EXIT_STREAM;
}

static int
put_value(struct sqlx_seg *s, struct rs_writer *w, int i)
{
	int t = sqlite3_column_type(s->st, i);
	bool ok;

	switch (t == SQLITE_NULL ? -1 : (int)s->h->cols[i].cls) {
	case -1:
		rs_put_nil(w);
		return EXIT_OK;
	case RS_INT:
		ok = put_int(s, w, i, t);
		break;
	case RS_FLOAT:
		ok = put_float(s, w, i, t);
		break;
	case RS_BOOL:
		ok = put_bool(s, w, i, t);
		break;
	case RS_BYTEA:
		ok = put_bytea(s, w, i, t);
		break;
	default:
		ok = put_text(s, w, i, t);
		break;
	}
	if (ok)
		return EXIT_OK;
	/* a NULL pointer for a value that is not NULL: SQLite ran out */
	if (sqlite3_errcode(s->x->db) == SQLITE_NOMEM) {
		sl_err("out of memory");
		return EXIT_IO;
	}
	return misfit(s, w, i, t);
}

/*
 * Streams the segment into w: its header, every row, its trailer. On
 * failure the segment is left without a trailer.
 */
int
sqlx_copy(struct sqlx_seg *s, struct rs_writer *w, struct sl_progress *pg)
{
	int rc, i, n = (int)s->h->ncols, status;

	if (!rs_begin(w, s->h))
		return EXIT_IO;
	while ((rc = sqlite3_step(s->st)) == SQLITE_ROW) {
		if (!rs_row_begin(w))
			return EXIT_IO;
		for (i = 0; i < n; i++)
			if ((status = put_value(s, w, i)) != EXIT_OK)
				return status;
		if (!rs_row_end(w))
			return EXIT_IO;
		sl_progress_update(pg, rs_wtotal_rows(w), rs_wbytes(w));
	}
	if (rc != SQLITE_DONE)
		return dberr(s->x, s->what);
	return rs_end(w) ? EXIT_OK : EXIT_IO;
}
