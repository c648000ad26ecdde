/*
 * upsert.c: load's upsert and insert-missing through a temporary
 * table; see upsert.h.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "err.h"
#include "exitcodes.h"
#include "pgx.h"
#include "upsert.h"

#define ROWNUM		"\"_sluice_n\""

/* Appends the key columns, quoted and comma-separated. */
static int
add_keys(PGconn *c, struct sl_buf *b, char *const *key, size_t nkey)
{
	size_t i;

	for (i = 0; i < nkey; i++) {
		if (i > 0 && !sl_buf_adds(b, ", "))
			return EXIT_IO;
		if (!pgx_quote_ident(c, b, key[i]))
			return EXIT_USAGE;
	}
	return 0;
}

/*
 * upsert: ON CONFLICT (key) DO UPDATE SET every other column loaded but
 * the --insert-only ones (a generated password hash, a created_at);
 * insert-missing: DO NOTHING, a row already there is left as it is.
 */
static int
add_conflict(struct sl_upsert *u, struct pgx_target *t, char *const *key,
    size_t nkey, char *const *insonly, size_t ninsonly)
{
	struct sl_buf *b = &u->insert;
	const char *name;
	size_t i, n = 0;
	long c;
	int st;

	free(u->iskey);
	if ((u->iskey = calloc(t->h->ncols + 1, sizeof(*u->iskey))) == NULL)
		return EXIT_IO;
	for (i = 0; i < nkey; i++)
		if ((c = rs_header_find(t->h, key[i])) >= 0)
			u->iskey[c] = true;
	/* a name that is not a loaded column is a typo, not a no-op */
	for (i = 0; i < ninsonly; i++) {
		if ((c = rs_header_find(t->h, insonly[i])) < 0 || u->iskey[c]) {
			sl_err("--insert-only: \"%s\" is %s of \"%s\"",
			    insonly[i], c < 0 ? "no column" : "a key column",
			    t->name);
			return EXIT_USAGE;
		}
	}
	if (!sl_buf_adds(b, " ON CONFLICT ("))
		return EXIT_IO;
	if ((st = add_keys(t->conn, b, key, nkey)) != 0)
		return st;
	if (!sl_buf_adds(b, ") DO "))
		return EXIT_IO;
	for (i = 0; u->update && i < t->nkeep; i++) {
		name = t->h->cols[t->keep[i]].name;
		if (u->iskey[t->keep[i]] || sl_list_has(insonly, ninsonly, name))
			continue;
		if (!sl_buf_adds(b, n++ > 0 ? ", " : "UPDATE SET "))
			return EXIT_IO;
		if (!pgx_quote_ident(t->conn, b, name) ||
		    !sl_buf_adds(b, " = EXCLUDED.") ||
		    !pgx_quote_ident(t->conn, b, name))
			return EXIT_USAGE;
	}
	return (n > 0 || sl_buf_adds(b, "NOTHING")) && sl_buf_cstr(b) ? 0 :
	    EXIT_IO;
}

/* The key: every column of it loaded. */
static int
find_keys(struct sl_upsert *u, struct pgx_target *t, char *const *key,
    size_t nkey)
{
	size_t i;
	long c;

	if (nkey == 0) {
		sl_err("%s: --mode %s needs --key COLS or a key in the "
		    "stream's header", t->name, u->update ? "upsert" :
		    "insert-missing");
		return EXIT_USAGE;
	}
	free(u->kcol);
	if ((u->kcol = calloc(nkey, sizeof(*u->kcol))) == NULL)
		return EXIT_IO;
	for (i = 0; i < nkey; i++) {
		if ((c = rs_header_find(t->h, key[i])) < 0 || !t->loaded[c]) {
			sl_err("%s: key column \"%s\" is not among the "
			    "columns loaded", t->name, key[i]);
			return EXIT_USAGE;
		}
		u->kcol[i] = (size_t)c;
	}
	u->nkcol = nkey;
	return 0;
}

int
sl_upsert_prepare(struct sl_upsert *u, struct pgx_target *t, uint64_t seg,
    char *const *key, size_t nkey, char *const *insonly, size_t ninsonly,
    bool savepoint, bool no_conflict)
{
	struct sl_buf *b = &u->insert;
	int st;

	if (nkey == 0) {
		key = t->h->key;
		nkey = t->h->nkey;
	}
	if ((st = find_keys(u, t, key, nkey)) != 0)
		return st;
	sl_buf_reset(&u->tmp);
	sl_buf_reset(&t->rel);
	t->rownum = true;
	if (!sl_buf_printf(&t->rel, "sluice_upsert_%" PRIu64, seg) ||
	    !sl_buf_cstr(&t->rel) ||
	    !sl_buf_printf(&u->tmp, "pg_temp.%s", t->rel.p))
		return EXIT_IO;
	if (!pgx_target_run(t, "CREATE TEMPORARY TABLE %s ON COMMIT DROP AS "
	    "SELECT %s, 0::bigint AS " ROWNUM " FROM %s WITH NO DATA",
	    u->tmp.p, t->cols.p, t->qname.p))
		return EXIT_DB;
	if (!pgx_target_copy_into(t, u->tmp.p, savepoint, false))
		return EXIT_IO;
	sl_buf_reset(b);
	if (!sl_buf_printf(b, "INSERT INTO %s (%s) SELECT DISTINCT ON (",
	    t->qname.p, t->cols.p))
		return EXIT_IO;
	if ((st = add_keys(t->conn, b, key, nkey)) != 0)
		return st;
	if (!sl_buf_printf(b, ") %s FROM %s WHERE " ROWNUM " BETWEEN $1 AND "
	    "$2 ORDER BY ", t->cols.p, u->tmp.p))
		return EXIT_IO;
	if ((st = add_keys(t->conn, b, key, nkey)) != 0)
		return st;
	if (!sl_buf_adds(b, u->update ? ", " ROWNUM " DESC" : ", " ROWNUM))
		return EXIT_IO;
	/* --bulk: the table was empty and DISTINCT ON leaves one row a key */
	if (no_conflict)
		return sl_buf_cstr(b) ? 0 : EXIT_IO;
	return add_conflict(u, t, key, nkey, insonly, ninsonly);
}

const char *
sl_upsert_null_key(struct sl_upsert *u, const struct rs_header *h,
    const struct rs_row *row)
{
	const char *sep = "null key: ";
	size_t i;

	for (i = 0; i < u->nkcol; i++)
		if (row->v[u->kcol[i]].type == MSGPACK_OBJECT_NIL)
			break;
	if (i == u->nkcol)
		return NULL;
	sl_buf_reset(&u->msg);
	for (; i < u->nkcol; i++) {
		if (row->v[u->kcol[i]].type != MSGPACK_OBJECT_NIL)
			continue;
		if (!sl_buf_printf(&u->msg, "%s%s", sep,
		    h->cols[u->kcol[i]].name))
			return "null key";
		sep = ", ";
	}
	return sl_buf_cstr(&u->msg) ? u->msg.p : "null key";
}

PGresult *
sl_upsert_insert(struct sl_upsert *u, PGconn *conn, uint64_t lo, uint64_t hi)
{
	char slo[24], shi[24];
	const char *params[2] = { slo, shi };
	PGresult *res;

	snprintf(slo, sizeof(slo), "%" PRIu64, lo);
	snprintf(shi, sizeof(shi), "%" PRIu64, hi);
	res = PQexecParams(conn, u->insert.p, 2, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) == PGRES_COMMAND_OK) {
		u->ninserted += strtoull(PQcmdTuples(res), NULL, 10);
		PQclear(res);
		return NULL;
	}
	return res;
}

void
sl_upsert_free(struct sl_upsert *u)
{
	sl_buf_free(&u->tmp);
	sl_buf_free(&u->insert);
	sl_buf_free(&u->msg);
	free(u->kcol);
	free(u->iskey);
	u->kcol = NULL;
	u->iskey = NULL;
}
