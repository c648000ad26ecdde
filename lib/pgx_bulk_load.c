/*
 * pgx_bulk_load.c: load --bulk around one segment, the glue between
 * load's target (pgx_target.h), its rejects file and pgx_bulk.c: the
 * messages load prints for --bulk, and the rows moved out counted as
 * load's rejects. See pgx_bulk.h.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "exitcodes.h"
#include "progress.h"
#include "pgx_bulk.h"
#include "pgx_target.h"
#include "rejects.h"

/* pgx_bulk_end()'s callback: a sink and why it stopped taking rows. */
struct mover {
	const struct pgx_bulk_sink	*sink;
	const struct rs_header		*h;
	int				 status;
	char				*why;	/* the last reason, past max */
};

struct pgx_bulk *
pgx_bulk_load_begin(struct pgx_target *t, Oid oid, int *st)
{
	struct pgx_bulk *b;
	const char *skip;

	*st = 0;
	if ((b = pgx_bulk_begin(t->conn, oid, &skip)) != NULL)
		return b;
	if (skip == NULL)
		*st = EXIT_DB;
	else
		sl_err("%s: --bulk: %s; loading with its indexes in place",
		    t->name, skip);
	return NULL;
}

/* A row that would break a rebuilt key, into the rejects. */
static bool
moved(void *arg, const char *vals, size_t len, const char *reason)
{
	struct mover *m = arg;
	const struct pgx_bulk_sink *s = m->sink;

	if (!sl_rejects_put(s->rj, s->seg, m->h, vals, len, reason)) {
		m->status = EXIT_IO;
		return false;
	}
	(*s->nmoved)++;
	if (++*s->nrej > s->max) {
		/*
		 * said once pgx_bulk_end() is back: the server may yet
		 * refuse the statement, and then that is the error
		 */
		m->status = EXIT_DATA;
		free(m->why);
		m->why = strdup(reason);
		return false;
	}
	return true;
}

/* After pgx_bulk_end(): 0, or the status, reported. */
static int
settle(struct pgx_target *t, const struct mover *m, int r, PGresult *res)
{
	const char *reason;

	if (r == 1 && !pgx_refused(res)) {
		pgx_target_failed(t, res);
		PQclear(res);
		return EXIT_DB;
	}
	if (r == 1) {
		if ((reason = pgx_target_why(t, res)) == NULL) {
			r = EXIT_IO;
		} else {
			sl_err("%s: %s", t->name, reason);
			r = EXIT_DATA;
		}
		PQclear(res);
		return r;
	}
	if (r != 0 && m->why != NULL) {
		sl_err("%s: more than %" PRIu64 " rows rejected "
		    "(--max-rejects); the last: %s", t->name, m->sink->max,
		    m->why);
		return m->status;
	}
	if (r != 0)
		return m->status != 0 ? m->status : EXIT_DB;
	return 0;
}

int
pgx_bulk_load_end(struct pgx_bulk *b, struct pgx_target *t,
    const struct pgx_bulk_sink *sink, bool quiet)
{
	struct mover m = { .sink = sink, .h = t->h };
	double t0 = sl_now();
	size_t nidx = pgx_bulk_nindexes(b), nfk = pgx_bulk_nfkeys(b);
	size_t n;
	PGresult *res;
	int r;

	r = pgx_bulk_end(b, t->h, t->keep, t->nkeep, sink->rj != NULL ?
	    moved : NULL, &m, &res, &n);
	r = settle(t, &m, r, res);
	free(m.why);
	if (r == 0 && !quiet)
		sl_err("%s: --bulk: %zu indexes and %zu foreign keys rebuilt, "
		    "%zu rows moved out, %.2f s", t->name, nidx, nfk, n,
		    sl_now() - t0);
	return r;
}
