/*
 * pgx_bulk.c: drop a table's keys, indexes and foreign keys before a
 * COPY and build them again after it, moving out the rows that would
 * stop them coming back. See pgx_bulk.h.
 *
 * The catalog query writes every statement this file runs: the DROP and
 * the ADD or CREATE (pg_get_constraintdef, pg_get_indexdef: the same
 * definitions pg_dump writes), and for keys the WHERE clause that finds
 * the rows breaking them and the SQL expression of the server's message
 * for such a row. The server knows the quoting and the output functions;
 * this file only strings the pieces together.
 *
 * The messages are the server's own (ri_triggers.c, for a foreign key:
 * column names as they are, values through their output functions;
 * nbtinsert.c, for a unique key: column names quoted as identifiers), so
 * a rejects file reads the same with and without --bulk.
 */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "pgx.h"
#include "pgx_bulk.h"

/*
 * One row a thing to rebuild, in the order to rebuild: foreign keys (f),
 * unique keys (u), other indexes (i). Columns: kind, name, drop, add,
 * the rows that break it (the DELETE's WHERE, table alias x), the
 * reason for such a row (an expression over x) and the SQLSTATE that
 * says rows broke it. $1 the table's oid, $2 its quoted name.
 */
static const char catalog_sql[] =
    "SELECT 'f', c.conname,"
    "  'ALTER TABLE ' || $2 || ' DROP CONSTRAINT ' || quote_ident(c.conname),"
    "  'ALTER TABLE ' || $2 || ' ADD CONSTRAINT ' || quote_ident(c.conname)"
    "   || ' ' || pg_get_constraintdef(c.oid),"
    "  CASE WHEN c.confmatchtype = 'f' THEN"
    "   '(num_nulls(' || k.list || ') = 0 AND ' || k.orphan || ') OR"
    " (num_nulls(' || k.list || ') > 0 AND num_nonnulls(' || k.list || ')"
    " > 0)'"
    "  ELSE k.notnull || ' AND ' || k.orphan END,"
    "  CASE WHEN c.confmatchtype = 'f' THEN"
    "   quote_literal(k.msg) || ' || CASE WHEN num_nulls(' || k.list ||"
    "   ') > 0 THEN ''MATCH FULL does not allow mixing of null and nonnull"
    " key values.'' ELSE ' || k.detail || ' END'"
    "  ELSE quote_literal(k.msg) || ' || ' || k.detail END,"
    "  '23503', 0"
    " FROM pg_catalog.pg_constraint c"
    " JOIN pg_catalog.pg_class t ON t.oid = c.conrelid"
    " JOIN pg_catalog.pg_class p ON p.oid = c.confrelid"
    " JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace"
    " CROSS JOIN LATERAL (SELECT"
    "   string_agg(format('x.%I', fa.attname), ', ' ORDER BY u.o) AS list,"
    "   string_agg(format('x.%I IS NOT NULL', fa.attname), ' AND '"
    "    ORDER BY u.o) AS notnull,"
    "   'NOT EXISTS (SELECT 1 FROM ONLY ' || quote_ident(pn.nspname) || '.'"
    "    || quote_ident(p.relname) || ' p WHERE ' || string_agg(format("
    "    'p.%I = x.%I', pa.attname, fa.attname), ' AND ' ORDER BY u.o)"
    "    || ')' AS orphan,"
    "   'insert or update on table \"' || t.relname || '\" violates foreign"
    " key constraint \"' || c.conname || '\": ' AS msg,"
    "   quote_literal('Key (' || string_agg(fa.attname::text, ', '"
    "    ORDER BY u.o) || ')=(') || ' || ' || string_agg(format("
    "    'format(''%%s'', x.%I)', fa.attname), ' || '', '' || '"
    "    ORDER BY u.o) || ' || ' || quote_literal(') is not present in"
    " table \"' || p.relname || '\".') AS detail"
    "  FROM unnest(c.conkey, c.confkey) WITH ORDINALITY AS u(fk, pk, o)"
    "  JOIN pg_catalog.pg_attribute fa ON fa.attrelid = c.conrelid"
    "   AND fa.attnum = u.fk"
    "  JOIN pg_catalog.pg_attribute pa ON pa.attrelid = c.confrelid"
    "   AND pa.attnum = u.pk) k"
    " WHERE c.conrelid = $1::oid AND c.contype = 'f'"
    "  AND c.confrelid <> c.conrelid AND c.convalidated"
    "  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_description d"
    "   WHERE d.classoid = 'pg_catalog.pg_constraint'::regclass"
    "   AND d.objoid = c.oid)"
    " UNION ALL "
    "SELECT CASE WHEN i.indisunique THEN 'u' ELSE 'i' END,"
    "  coalesce(k.conname, ic.relname),"
    "  CASE WHEN k.oid IS NULL THEN 'DROP INDEX ' || quote_ident(n.nspname)"
    "   || '.' || quote_ident(ic.relname)"
    "  ELSE 'ALTER TABLE ' || $2 || ' DROP CONSTRAINT '"
    "   || quote_ident(k.conname) END,"
    "  CASE WHEN k.oid IS NULL THEN pg_get_indexdef(i.indexrelid)"
    "  ELSE 'ALTER TABLE ' || $2 || ' ADD CONSTRAINT '"
    "   || quote_ident(k.conname) || ' ' || pg_get_constraintdef(k.oid) END,"
    "  CASE WHEN i.indisunique THEN 'x.ctid = ANY (ARRAY(SELECT s.ctid FROM"
    " (SELECT y.ctid, row_number() OVER (PARTITION BY ' || u.cols ||"
    "   ' ORDER BY y.ctid) AS n FROM ONLY ' || $2 || ' y' ||"
    "   CASE WHEN strpos(pg_get_indexdef(i.indexrelid),"
    "    ' NULLS NOT DISTINCT') > 0 THEN '' ELSE ' WHERE ' || u.notnull END"
    "   || ') s WHERE s.n > 1))' END,"
    "  CASE WHEN i.indisunique THEN quote_literal('duplicate key value"
    " violates unique constraint \"' || coalesce(k.conname, ic.relname) ||"
    "   '\": Key (' || u.cols || ')=(') || ' || ' || u.vals || ' || ' ||"
    "   quote_literal(') already exists.') END,"
    "  '23505', CASE WHEN i.indisprimary THEN 1 WHEN i.indisunique THEN 2"
    "  ELSE 3 END"
    " FROM pg_catalog.pg_index i"
    " JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid"
    " JOIN pg_catalog.pg_namespace n ON n.oid = ic.relnamespace"
    " LEFT JOIN pg_catalog.pg_constraint k ON k.conindid = i.indexrelid"
    "  AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x')"
    " CROSS JOIN LATERAL (SELECT"
    "   string_agg(quote_ident(a.attname), ', ' ORDER BY c.o) AS cols,"
    "   string_agg(format('y.%I IS NOT NULL', a.attname), ' AND '"
    "    ORDER BY c.o) AS notnull,"
    "   string_agg(format('CASE WHEN x.%1$I IS NULL THEN ''null'' ELSE"
    " format(''%%s'', x.%1$I) END', a.attname), ' || '', '' || '"
    "    ORDER BY c.o) AS vals"
    "  FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS c(attnum, o)"
    "  JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid"
    "   AND a.attnum = c.attnum"
    "  WHERE c.o <= i.indnkeyatts) u"
    " WHERE i.indrelid = $1::oid AND i.indisvalid AND i.indisready"
    "  AND i.indislive AND NOT i.indisclustered AND NOT i.indisreplident"
    "  AND NOT i.indisexclusion AND ic.reltablespace = 0"
    "  AND (NOT i.indisunique OR (i.indexprs IS NULL AND i.indpred IS NULL))"
    "  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint f"
    "   WHERE f.contype = 'f' AND f.conindid = i.indexrelid)"
    "  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_description d"
    "   WHERE (d.classoid = 'pg_catalog.pg_class'::regclass"
    "   AND d.objoid = i.indexrelid) OR"
    "   (d.classoid = 'pg_catalog.pg_constraint'::regclass"
    "   AND d.objoid = k.oid))"
    " ORDER BY 8, 2";

enum { KIND, NAME, DROP, ADD, BREAKS, REASON, STATE };

struct pgx_bulk {
	PGconn		*c;
	char		*qname;
	PGresult	*defs;		/* the catalog query's rows */
	size_t		 nidx, nfk;
};

size_t
pgx_bulk_nindexes(const struct pgx_bulk *b)
{
	return b->nidx;
}

size_t
pgx_bulk_nfkeys(const struct pgx_bulk *b)
{
	return b->nfk;
}

void
pgx_bulk_free(struct pgx_bulk *b)
{
	if (b == NULL)
		return;
	PQclear(b->defs);
	free(b->qname);
	free(b);
}

/* Whether the table can be loaded in bulk: *skip says why not. */
static bool
applies(PGconn *c, Oid table, const char *qname, const char **skip, bool *ok)
{
	static const char kind_sql[] =
	    "SELECT relkind = 'r' AND NOT relispartition"
	    " FROM pg_catalog.pg_class WHERE oid = $1::oid";
	struct sl_buf q = { 0 };
	char soid[16];
	const char *param = soid;
	PGresult *res;

	snprintf(soid, sizeof(soid), "%u", (unsigned)table);
	if ((res = pgx_query(c, kind_sql, 1, &param)) == NULL)
		return false;
	*ok = PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	if (!*ok) {
		*skip = "not an ordinary table";
		return true;
	}
	if (!sl_buf_printf(&q, "LOCK TABLE ONLY %s IN ACCESS EXCLUSIVE MODE",
	    qname) || !pgx_exec(c, q.p))
		goto fail;
	sl_buf_reset(&q);
	if (!sl_buf_printf(&q, "SELECT 1 FROM ONLY %s LIMIT 1", qname) ||
	    (res = pgx_query(c, q.p, 0, NULL)) == NULL)
		goto fail;
	*ok = PQntuples(res) == 0;
	PQclear(res);
	if (!*ok)
		*skip = "the table is not empty";
	sl_buf_free(&q);
	return true;
fail:
	sl_buf_free(&q);
	return false;
}

struct pgx_bulk *
pgx_bulk_begin(PGconn *c, Oid table, const char **skip)
{
	struct pgx_bulk *b;
	const char *params[2];
	char soid[16];
	bool ok;
	int i;

	*skip = NULL;
	if ((b = calloc(1, sizeof(*b))) == NULL) {
		sl_err("out of memory");
		return NULL;
	}
	b->c = c;
	snprintf(soid, sizeof(soid), "%u", (unsigned)table);
	params[0] = soid;
	/* the quoted name, as the catalog writes it into the statements */
	b->defs = pgx_query(c, "SELECT $1::oid::regclass::text", 1, params);
	if (b->defs == NULL || (b->qname = strdup(PQgetvalue(b->defs, 0,
	    0))) == NULL || !applies(c, table, b->qname, skip, &ok) || !ok)
		goto out;
	PQclear(b->defs);
	params[1] = b->qname;
	if ((b->defs = pgx_query(c, catalog_sql, 2, params)) == NULL)
		goto out;
	for (i = 0; i < PQntuples(b->defs); i++) {
		if (!pgx_exec(c, PQgetvalue(b->defs, i, DROP)))
			goto out;
		if (*PQgetvalue(b->defs, i, KIND) == 'f')
			b->nfk++;
		else
			b->nidx++;
	}
	return b;
out:
	if (b->qname == NULL && b->defs != NULL)
		sl_err("out of memory");
	pgx_bulk_free(b);
	return NULL;
}

/* Where the rows moved out go, and what decodes them. */
struct mover {
	struct pgx_decoder	*dec;
	struct rs_writer	*w;
	struct sl_buf		 out;	/* the writer's bytes: one row */
	struct sl_buf		 line;	/* a COPY line without its reason */
	struct sl_buf		 reason;
	pgx_bulk_reject_fn	*fn;
	void			*arg;
	size_t			 n;
};

/* The bytes of the values of the row in m->out: after its array head. */
static size_t
array_head(const struct sl_buf *b)
{
	unsigned char c = b->len > 0 ? (unsigned char)b->p[0] : 0;

	return c == 0xdc ? 3 : c == 0xdd ? 5 : 1;
}

/* One COPY line: the row's columns, then its reason. */
static bool
move_row(struct mover *m, const char *p, size_t n)
{
	const char *tab;
	size_t skip;

	if (n > 0 && p[n - 1] == '\n')
		n--;
	if ((tab = memrchr(p, '\t', n)) == NULL) {
		sl_err("internal error: a moved row without its reason");
		return false;
	}
	sl_buf_reset(&m->line);
	sl_buf_reset(&m->out);
	if (!pgx_copy_unescape(&m->reason, tab + 1, (size_t)(p + n - tab - 1))
	    || !sl_buf_cstr(&m->reason) ||
	    !sl_buf_add(&m->line, p, (size_t)(tab - p)) ||
	    !rs_row_begin(m->w) ||
	    !pgx_decode_row(m->dec, m->line.p, m->line.len, 0, m->w) ||
	    !rs_row_end(m->w) || !rs_wflush(m->w))
		return false;
	skip = array_head(&m->out);
	m->n++;
	return m->fn(m->arg, m->out.p + skip, m->out.len - skip, m->reason.p);
}

/*
 * Deletes the rows that break def i and hands them to m->fn, through
 * COPY (DELETE ... RETURNING) TO STDOUT, which streams them however many
 * there are. After a failure the COPY is read to its end, so that the
 * connection is ready for the caller's ROLLBACK.
 */
static int
move_out(struct pgx_bulk *b, int i, const char *sel, struct mover *m,
    PGresult **res)
{
	struct sl_buf q = { 0 };
	bool ok = true;
	char *p;
	int n;

	if (!sl_buf_printf(&q, "COPY (DELETE FROM ONLY %s AS x WHERE %s "
	    "RETURNING %s, %s) TO STDOUT", b->qname,
	    PQgetvalue(b->defs, i, BREAKS), sel,
	    PQgetvalue(b->defs, i, REASON))) {
		sl_buf_free(&q);
		return -1;
	}
	*res = PQexec(b->c, q.p);
	sl_buf_free(&q);
	if (PQresultStatus(*res) != PGRES_COPY_OUT)
		return 1;
	PQclear(*res);
	while ((n = PQgetCopyData(b->c, &p, 0)) > 0) {
		ok = ok && move_row(m, p, (size_t)n);
		PQfreemem(p);
	}
	*res = PQgetResult(b->c);
	while (PQgetResult(b->c) != NULL)
		;	/* none expected: the COPY was the only command */
	if (PQresultStatus(*res) != PGRES_COMMAND_OK)
		return 1;
	PQclear(*res);
	*res = NULL;
	return ok ? 0 : -1;
}

/*
 * Runs sql; 0 done, 1 refused (*res the error). With m, under a
 * savepoint, so that a refusal with the SQLSTATE of def i (rows broke
 * it) can be undone, the rows moved out and sql run again.
 */
static int
rebuild(struct pgx_bulk *b, int i, const char *sel, struct mover *m,
    PGresult **res)
{
	const char *sql = PQgetvalue(b->defs, i, ADD);
	const char *st;
	int r;

	if (m != NULL && !pgx_exec(b->c, "SAVEPOINT sluice_bulk"))
		return -1;
	*res = PQexec(b->c, sql);
	if (PQresultStatus(*res) == PGRES_COMMAND_OK)
		goto done;
	st = PQresultErrorField(*res, PG_DIAG_SQLSTATE);
	if (m == NULL || st == NULL ||
	    strcmp(st, PQgetvalue(b->defs, i, STATE)) != 0)
		return 1;
	PQclear(*res);
	if (!pgx_exec(b->c, "ROLLBACK TO SAVEPOINT sluice_bulk"))
		return -1;
	if ((r = move_out(b, i, sel, m, res)) != 0)
		return r;
	*res = PQexec(b->c, sql);
	if (PQresultStatus(*res) != PGRES_COMMAND_OK)
		return 1;
done:
	PQclear(*res);
	*res = NULL;
	return m == NULL || pgx_exec(b->c, "RELEASE SAVEPOINT sluice_bulk") ?
	    0 : -1;
}

/* Sort memory and workers for the index builds, for the transaction. */
static const char settings_sql[] =
    "SELECT set_config('maintenance_work_mem',"
    " greatest(setting::bigint, 524288)::text || 'kB', true),"
    " set_config('max_parallel_maintenance_workers',"
    " current_setting('max_parallel_workers'), true)"
    " FROM pg_catalog.pg_settings WHERE name = 'maintenance_work_mem'";

/*
 * The RETURNING list: h's columns as the table gives them back, NULL for
 * a column not loaded (keep: the indexes of those loaded, ascending).
 */
static bool
returning(PGconn *c, struct sl_buf *sel, const struct rs_header *h,
    const size_t *keep, size_t nkeep)
{
	size_t i, k;

	for (i = k = 0; i < h->ncols; i++) {
		if (i > 0 && !sl_buf_adds(sel, ", "))
			return false;
		if (k < nkeep && keep[k] == i) {
			k++;
			if (!pgx_quote_ident(c, sel, h->cols[i].name))
				return false;
		} else if (!sl_buf_adds(sel, "NULL")) {
			return false;
		}
	}
	return sl_buf_cstr(sel);
}

int
pgx_bulk_end(struct pgx_bulk *b, const struct rs_header *h,
    const size_t *keep, size_t nkeep, pgx_bulk_reject_fn *fn, void *arg,
    PGresult **res, size_t *nrej)
{
	struct mover m = { .fn = fn, .arg = arg };
	struct sl_buf selb = { 0 };
	const char *sel;
	PGresult *set;
	int i, r = 0;

	*res = NULL;
	*nrej = 0;
	if (!returning(b->c, &selb, h, keep, nkeep)) {
		sl_buf_free(&selb);
		pgx_bulk_free(b);
		return -1;
	}
	sel = selb.p;
	if ((set = pgx_query(b->c, settings_sql, 0, NULL)) == NULL) {
		r = -1;
		goto out;
	}
	PQclear(set);
	if (fn != NULL && ((m.dec = pgx_decoder_new(h)) == NULL ||
	    (m.w = rs_wopen_buf(&m.out)) == NULL || !rs_begin(m.w, h) ||
	    !rs_wflush(m.w))) {
		r = -1;
		goto out;
	}
	for (i = 0; r == 0 && i < PQntuples(b->defs); i++)
		r = rebuild(b, i, sel, fn != NULL && *PQgetvalue(b->defs, i,
		    KIND) != 'i' ? &m : NULL, res);
out:
	*nrej = m.n;
	if (m.w != NULL)
		rs_wclose(m.w);
	pgx_decoder_free(m.dec);
	sl_buf_free(&m.out);
	sl_buf_free(&m.line);
	sl_buf_free(&m.reason);
	sl_buf_free(&selb);
	pgx_bulk_free(b);
	return r;
}
