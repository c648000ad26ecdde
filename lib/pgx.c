/*
 * pgx.c: connections, commands, quoted names and type names for the
 * programs that talk to PostgreSQL. See pgx.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "pgx.h"

/* The settings that make the server's text output the same every time. */
static const char session_sql[] =
    "SET client_encoding = 'UTF8'; "
    "SET TimeZone = 'UTC'; "
    "SET DateStyle = 'ISO, YMD'; "
    "SET IntervalStyle = 'postgres'; "
    "SET extra_float_digits = 3; "
    "SET bytea_output = 'hex'";

/* Trims the message's trailing newlines into a static buffer. */
static const char *
oneline(const char *msg)
{
	static char buf[1024];
	size_t n;

	if (msg == NULL || *msg == '\0')
		return "unknown error";
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		n--;
	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	memcpy(buf, msg, n);
	buf[n] = '\0';
	return buf;
}

const char *
pgx_errmsg(PGconn *c, const PGresult *res)
{
	const char *m = NULL;

	if (res != NULL)
		m = PQresultErrorMessage(res);
	if ((m == NULL || *m == '\0') && c != NULL)
		m = PQerrorMessage(c);
	if (m != NULL && strncmp(m, "ERROR:  ", 8) == 0)
		m += 8;
	return oneline(m);
}

PGconn *
pgx_connect(const char *conninfo)
{
	/*
	 * As psql's -d: the value may be a bare database name, a keyword
	 * string or a URI (expand_dbname); empty means the environment.
	 */
	const char *const kw[] = { "dbname", NULL };
	const char *const val[] = { conninfo, NULL };
	PGconn *c;

	if (conninfo == NULL || *conninfo == '\0')
		c = PQconnectdb("");
	else
		c = PQconnectdbParams(kw, val, 1);
	if (c == NULL) {
		sl_err("could not connect: out of memory");
		return NULL;
	}
	if (PQstatus(c) != CONNECTION_OK) {
		/* libpq's message names host and port, never the password. */
		sl_err("could not connect: %s", pgx_errmsg(c, NULL));
		PQfinish(c);
		return NULL;
	}
	if (!pgx_exec(c, session_sql)) {
		PQfinish(c);
		return NULL;
	}
	return c;
}

bool
pgx_exec(PGconn *c, const char *sql)
{
	PGresult *res;
	ExecStatusType st;

	res = PQexec(c, sql);
	st = PQresultStatus(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		sl_err("%s", pgx_errmsg(c, res));
		PQclear(res);
		return false;
	}
	PQclear(res);
	return true;
}

PGresult *
pgx_query(PGconn *c, const char *sql, int nparams, const char *const *params)
{
	PGresult *res;
	ExecStatusType st;

	res = PQexecParams(c, sql, nparams, NULL, params, NULL, NULL, 0);
	st = PQresultStatus(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		sl_err("%s", pgx_errmsg(c, res));
		PQclear(res);
		return NULL;
	}
	return res;
}

bool
pgx_check_ident(const char *ident)
{
	size_t n = strlen(ident);

	if (n <= PGX_NAME_MAX)
		return true;
	sl_err("\"%s\": a name of %zu bytes; PostgreSQL's names are at most "
	    "%d bytes (the server would cut it short and name something "
	    "else)", ident, n, PGX_NAME_MAX);
	return false;
}

/* Appends s quoted by libpq, as an identifier or as a literal. */
static bool
quote(PGconn *c, struct sl_buf *b, const char *s, bool literal)
{
	char *q;
	bool ok;

	q = literal ? PQescapeLiteral(c, s, strlen(s)) :
	    PQescapeIdentifier(c, s, strlen(s));
	if (q == NULL) {
		sl_err("cannot quote \"%s\": %s", s, pgx_errmsg(c, NULL));
		return false;
	}
	ok = sl_buf_adds(b, q);
	PQfreemem(q);
	return ok;
}

bool
pgx_quote_ident(PGconn *c, struct sl_buf *b, const char *ident)
{
	return pgx_check_ident(ident) && quote(c, b, ident, false);
}

bool
pgx_quote_literal(PGconn *c, struct sl_buf *b, const char *value)
{
	return quote(c, b, value, true);
}

/*
 * Reads one part of a name starting at s: "quoted" (with "" for a quote)
 * or bare up to a dot. Puts it into part and returns where it stopped,
 * or NULL for an unterminated quote.
 */
static const char *
namepart(const char *s, struct sl_buf *part)
{
	sl_buf_reset(part);
	if (*s == '"') {
		for (s++; ; s++) {
			if (*s == '\0')
				return NULL;
			if (*s == '"' && s[1] == '"')
				s++;
			else if (*s == '"')
				return s + 1;
			if (!sl_buf_addc(part, *s))
				return NULL;
		}
	}
	while (*s != '\0' && *s != '.')
		if (!sl_buf_addc(part, *s++))
			return NULL;
	return s;
}

/*
 * Reads name's parts (schema, table) and checks each; with b, appends
 * them quoted, a dot between (pgx_quote_name), without, only checks
 * (pgx_check_name).
 */
static bool
name_parts(PGconn *c, struct sl_buf *b, const char *name)
{
	struct sl_buf part = { 0 };
	const char *s = name;
	bool ok = false;
	int nparts = 0;

	for (;;) {
		if ((s = namepart(s, &part)) == NULL ||
		    !sl_buf_cstr(&part) || part.len == 0) {
			sl_err("bad table name: %s", name);
			goto out;
		}
		if (!pgx_check_ident(part.p))
			goto out;
		if (b != NULL && ((nparts > 0 && !sl_buf_addc(b, '.')) ||
		    !pgx_quote_ident(c, b, part.p)))
			goto out;
		nparts++;
		if (*s == '\0')
			break;
		if (*s != '.' || nparts == 2) {
			sl_err("bad table name: %s", name);
			goto out;
		}
		s++;
	}
	ok = true;
out:
	sl_buf_free(&part);
	return ok;
}

bool
pgx_quote_name(PGconn *c, struct sl_buf *b, const char *name)
{
	return name_parts(c, b, name);
}

bool
pgx_check_name(const char *name)
{
	return name_parts(NULL, NULL, name);
}

/* Type names seen so far: the handful a migration meets. */
static struct {
	Oid	 oid;
	char	*name;
} *types;
static size_t ntypes;

const char *
pgx_type_name(PGconn *c, Oid oid)
{
	/* a domain's base type, through domains over domains */
	static const char sql[] =
	    "WITH RECURSIVE d AS ("
	    " SELECT typname, typtype, typbasetype FROM pg_catalog.pg_type"
	    "  WHERE oid = $1::oid"
	    " UNION ALL"
	    " SELECT t.typname, t.typtype, t.typbasetype"
	    "  FROM pg_catalog.pg_type t JOIN d ON t.oid = d.typbasetype"
	    "  WHERE d.typtype = 'd')"
	    " SELECT typname FROM d WHERE typtype <> 'd'";
	char oidtext[16];
	const char *param = oidtext;
	PGresult *res;
	void *p;
	size_t i;

	for (i = 0; i < ntypes; i++)
		if (types[i].oid == oid)
			return types[i].name;
	snprintf(oidtext, sizeof(oidtext), "%u", (unsigned)oid);
	if ((res = pgx_query(c, sql, 1, &param)) == NULL)
		return NULL;
	if (PQntuples(res) != 1) {
		sl_err("no type with oid %u", (unsigned)oid);
		PQclear(res);
		return NULL;
	}
	if ((p = realloc(types, (ntypes + 1) * sizeof(*types))) == NULL) {
		sl_err("out of memory");
		PQclear(res);
		return NULL;
	}
	types = p;
	if ((types[ntypes].name = strdup(PQgetvalue(res, 0, 0))) == NULL) {
		sl_err("out of memory");
		PQclear(res);
		return NULL;
	}
	PQclear(res);
	types[ntypes].oid = oid;
	return types[ntypes++].name;
}

/* The casts pgx_type_sql has found, by the header's type name. */
static struct {
	char	*type;
	char	*sql;
} *casts;
static size_t ncasts;

/* One row, one column: a copy of the value, or NULL (reported). */
static char *
one_value(PGconn *c, const char *sql, const char *type, bool *none)
{
	PGresult *res;
	char *v;

	*none = false;
	res = PQexecParams(c, sql, 1, NULL, &type, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		sl_err("type \"%s\": %s", type, pgx_errmsg(c, res));
		PQclear(res);
		return NULL;
	}
	if (PQntuples(res) != 1 || PQgetisnull(res, 0, 0)) {
		*none = true;
		PQclear(res);
		return NULL;
	}
	if ((v = strdup(PQgetvalue(res, 0, 0))) == NULL)
		sl_err("out of memory");
	PQclear(res);
	return v;
}

const char *
pgx_type_sql(PGconn *c, const char *type)
{
#define QUALIFIED "SELECT pg_catalog.quote_ident(n.nspname) || '.' ||" \
	    " pg_catalog.quote_ident(t.typname) FROM pg_catalog.pg_type t" \
	    " JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace"
	static const char bytypname[] = QUALIFIED
	    " WHERE t.typname = $1 AND pg_catalog.pg_type_is_visible(t.oid)";
	static const char bygrammar[] = QUALIFIED
	    " WHERE t.oid = pg_catalog.to_regtype($1)";
#undef QUALIFIED
	char *sql, *dup;
	void *p;
	size_t i;
	bool none;

	for (i = 0; i < ncasts; i++)
		if (strcmp(casts[i].type, type) == 0)
			return casts[i].sql;
	if ((sql = one_value(c, bytypname, type, &none)) == NULL && none)
		sql = one_value(c, bygrammar, type, &none);
	if (sql == NULL) {
		if (none)
			sl_err("type \"%s\": no such type in the database",
			    type);
		return NULL;
	}
	if ((p = realloc(casts, (ncasts + 1) * sizeof(*casts))) == NULL ||
	    (dup = strdup(type)) == NULL) {
		if (p != NULL)
			casts = p;
		free(sql);
		sl_err("out of memory");
		return NULL;
	}
	casts = p;
	casts[ncasts].type = dup;
	casts[ncasts].sql = sql;
	return casts[ncasts++].sql;
}
