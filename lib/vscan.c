/*
 * vscan.c: the target table through COPY (vscan.h).
 */
#include <inttypes.h>
#include <string.h>

#include "exitcodes.h"
#include "vscan.h"

/* COPY (SELECT "col"::type, ... FROM table) TO STDOUT, into s->sql */
static bool
copy_sql(struct vscan *s, struct vcmp *v, const struct vtab *t)
{
	const char *type;
	size_t i;

	sl_buf_reset(&s->sql);
	if (!sl_buf_adds(&s->sql, "COPY (SELECT "))
		return vcmp_fail(v, EXIT_IO, "out of memory");
	for (i = 0; i < t->h->ncols; i++) {
		/* the header's type, found in the catalogue, never pasted */
		sl_err_quiet(true);
		type = pgx_type_sql(s->c, t->h->cols[i].type);
		sl_err_quiet(false);
		if (type == NULL)
			return vcmp_fail(v, EXIT_DB, "%s: column \"%s\": %s",
			    t->name, t->h->cols[i].name, sl_lasterr());
		if ((i > 0 && !sl_buf_adds(&s->sql, ", ")) ||
		    !pgx_quote_ident(s->c, &s->sql, t->h->cols[i].name) ||
		    !sl_buf_printf(&s->sql, "::%s", type))
			/* a name too long, or no memory */
			return vcmp_fail(v, EXIT_USAGE, NULL);
	}
	if (!sl_buf_adds(&s->sql, " FROM ") || !pgx_quote_name(s->c, &s->sql,
	    t->name) || !sl_buf_adds(&s->sql, ") TO STDOUT") ||
	    !sl_buf_cstr(&s->sql))
		return vcmp_fail(v, EXIT_USAGE, NULL);
	return true;
}

/* Decodes one COPY line into s->mem as the row extract would write. */
static bool
db_row(struct vscan *s, struct vcmp *v, const char *line, size_t n)
{
	uint64_t before = rs_whash(s->w), num = ++s->num;
	struct vtab *t = s->t;
	struct vrow r;

	sl_buf_reset(&s->mem);
	if (!rs_row_begin(s->w) || !pgx_decode_row(s->dec, line, n, num,
	    s->w) || !rs_row_end(s->w) || !rs_wflush(s->w))
		return vcmp_fail(v, EXIT_DB, "%s: row %" PRIu64 " does not "
		    "decode as the stream's types", t->name, num);
	r.raw = s->mem.p;
	r.len = s->mem.len;
	r.hash = rs_whash(s->w) - before;
	r.off = v->soff;
	if (t->nkeys > 0 && !vcmp_row_spans(r.raw, r.len, t->h->ncols,
	    v->soff))
		return vcmp_fail(v, EXIT_IO, "internal error: a row the "
		    "writer wrote does not parse");
	return vcmp_row(v, t, VTGT, &r);
}

bool
vscan_begin(struct vscan *s, struct vcmp *v, struct vtab *t)
{
	if (!copy_sql(s, v, t))
		return false;
	if (!pgx_copy_out_begin(&s->co, s->c, s->sql.p, t->name))
		return vcmp_fail(v, EXIT_DB, NULL);
	s->t = t;
	s->num = 0;
	t->scanned = true;
	if ((s->dec = pgx_decoder_new(t->h)) == NULL ||
	    (s->w = rs_wopen_buf(&s->mem)) == NULL || !rs_begin(s->w, t->h) ||
	    !rs_wflush(s->w))
		return vcmp_fail(v, EXIT_IO, NULL);
	return true;
}

static void
scan_end(struct vscan *s)
{
	pgx_copy_out_end(&s->co);
	if (s->w != NULL)
		rs_wclose(s->w);
	pgx_decoder_free(s->dec);
	s->w = NULL;
	s->dec = NULL;
	s->t = NULL;
}

bool
vscan_some(struct vscan *s, struct vcmp *v, bool block, bool *more)
{
	enum pgx_copy_ev ev;
	const char *line;
	size_t n;

	*more = true;
	while ((ev = pgx_copy_out_next(&s->co, block, &line, &n)) ==
	    PGX_COPY_LINE)
		if (!db_row(s, v, line, n))
			return false;
	if (ev == PGX_COPY_WAIT)
		return true;
	*more = false;
	scan_end(s);
	return ev == PGX_COPY_END || vcmp_fail(v, EXIT_DB, NULL);
}

bool
vscan_table(struct vscan *s, struct vcmp *v, struct vtab *t)
{
	bool more = true;

	if (!vscan_begin(s, v, t))
		return false;
	while (more)
		if (!vscan_some(s, v, true, &more))
			return false;
	return true;
}

void
vscan_free(struct vscan *s)
{
	scan_end(s);
	sl_buf_free(&s->sql);
	sl_buf_free(&s->mem);
}
