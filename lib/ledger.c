/*
 * ledger.c: rows in, out and rejected, and where rejected rows go. See
 * ledger.h.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "exitcodes.h"
#include "ledger.h"
#include "ofile.h"

/*
 * Opens the rejects file and the output file, each if there is one (NULL
 * otherwise), before any input is read: a path that cannot be written
 * fails the run before it has done any work.
 */
bool
sl_ledger_open(struct sl_ledger *l, const char *rejects, const char *output)
{
	memset(l, 0, sizeof(*l));
	if (output != NULL && (l->of = sl_ofile_open(output)) == NULL)
		return false;
	if (rejects == NULL || (l->rj = sl_rejects_open(rejects)) != NULL)
		return true;
	sl_ofile_abort(l->of);
	l->of = NULL;
	return false;
}

/* A segment of the input begins. */
bool
sl_ledger_begin(struct sl_ledger *l, const char *table)
{
	struct sl_ledger_seg *s;

	if ((s = realloc(l->seg, (l->nseg + 1) * sizeof(*s))) == NULL) {
		sl_err("out of memory");
		return false;
	}
	l->seg = s;
	s += l->nseg;
	memset(s, 0, sizeof(*s));
	if ((s->table = strdup(table)) == NULL) {
		sl_err("out of memory");
		return false;
	}
	l->nseg++;
	s->start = sl_now();
	return true;
}

/*
 * Rejects the current row of r with reason. False only on a write error
 * of the rejects file (reported); a row rejected with no file to take it
 * is counted in l->unfiled, and the first few are reported.
 */
bool
sl_ledger_reject(struct sl_ledger *l, const struct rs_reader *r,
    const char *reason)
{
	l->seg[l->nseg - 1].rejected++;
	if (l->rj != NULL)
		return sl_rejects_row(l->rj, r, reason);
	if (l->unfiled++ < SL_LEDGER_SHOW)
		sl_err("row %" PRIu64 " of \"%s\": %s (no --rejects file to "
		    "put it in)", rs_row(r)->num, rs_header(r)->table, reason);
	return true;
}

/* The segment ended, having read in rows and written out. */
void
sl_ledger_end(struct sl_ledger *l, uint64_t in, uint64_t out)
{
	struct sl_ledger_seg *s = &l->seg[l->nseg - 1];

	s->in = in;
	s->out = out;
	s->secs = sl_now() - s->start;
}

/*
 * The summary: a line a segment, "PROG: TABLE: N rows in, N out, N
 * rejected, S s" (with "N nulled, " before the time when l->nulls),
 * and what happened to rows with nowhere to go.
 */
void
sl_ledger_summary(const struct sl_ledger *l)
{
	const struct sl_ledger_seg *s;
	size_t i;

	for (i = 0; i < l->nseg; i++) {
		s = &l->seg[i];
		fprintf(stderr, "%s: %s: %" PRIu64 " rows in, %" PRIu64 " out, %"
		    PRIu64 " rejected, ", sl_progname, s->table, s->in,
		    s->out, s->rejected);
		if (l->nulls)
			fprintf(stderr, "%" PRIu64 " nulled, ", s->nulled);
		fprintf(stderr, "%.2f s\n", s->secs);
	}
}

/* One segment boundary or row of sl_ledger_run; false on an error. */
static bool
step(struct sl_ledger *l, const struct sl_filter *f, struct rs_reader *r,
    struct rs_writer *w, enum rs_event ev)
{
	struct rs_header *out;
	bool ok;

	if (ev == RS_HEADER) {
		if (!sl_rejects_note(l->rj, rs_header(r)))
			return false;
		if ((out = f->begin(rs_header(r))) == NULL)
			return false;
		ok = sl_ledger_begin(l, rs_header(r)->table) &&
		    (sl_ledger_stopped(l) || rs_begin(w, out));
		rs_header_free(out);
		return ok;
	}
	if (ev == RS_ROW)
		return f->row(l, r, w);
	if (f->flush != NULL && !f->flush(w))
		return false;
	sl_ledger_end(l, rs_rows(r), rs_wrows(w));
	return (sl_ledger_stopped(l) || rs_end(w)) &&
	    (f->end == NULL || f->end(r));
}

/*
 * Runs filter f from standard input to standard output, keeping the
 * accounts; prints the summary unless quiet. Returns the exit status:
 * the input's when it is bad, EXIT_IO on an error of the filter or of
 * the output, EXIT_DATA when rows were rejected with no file to take
 * them (reported).
 */
int
sl_ledger_run(struct sl_ledger *l, const struct sl_filter *f,
    struct sl_progress *pg, bool quiet)
{
	struct rs_reader *r;
	struct rs_writer *w;
	enum rs_event ev;
	int status = EXIT_OK;

	if ((r = rs_fdopen(0, "stdin")) == NULL)
		return EXIT_IO;
	w = l->of != NULL ? rs_wopen(sl_ofile_fd(l->of), sl_ofile_path(l->of)) :
	    rs_wopen(1, "stdout");
	if (w == NULL) {
		rs_close(r);
		return EXIT_IO;
	}
	while ((ev = rs_next(r)) != RS_EOF) {
		if (ev == RS_ERROR) {
			if (l->nseg > 0)
				sl_ledger_end(l, rs_rows(r), rs_wrows(w));
			status = rs_status(r);
			break;
		}
		if (!step(l, f, r, w, ev)) {
			status = EXIT_IO;
			break;
		}
		sl_progress_update(pg, rs_total_rows(r), rs_offset(r));
	}
	rs_close(r);
	if (status == EXIT_OK && !sl_ledger_stopped(l) &&
	    ((f->finish != NULL && !f->finish()) || !rs_wfinish(w)))
		status = EXIT_IO;
	if (!rs_wclose(w) && status == EXIT_OK)
		status = EXIT_IO;
	if (!quiet)
		sl_ledger_summary(l);
	if (status == EXIT_OK && sl_ledger_stopped(l)) {
		sl_err("%" PRIu64 " row%s rejected with no --rejects file to "
		    "put them in: the output stops before the first",
		    l->unfiled, l->unfiled == 1 ? "" : "s");
		status = EXIT_DATA;
	}
	return status;
}

/*
 * Closes the rejects file and then the output file: into place (commit)
 * or removed. The output follows the rejects file, and stays out when
 * that fails. Frees l's parts.
 */
bool
sl_ledger_close(struct sl_ledger *l, bool commit)
{
	bool ok = sl_rejects_close(l->rj, commit);
	size_t i;

	if (l->of != NULL && ok && commit)
		ok = sl_ofile_commit(l->of);
	else
		sl_ofile_abort(l->of);

	for (i = 0; i < l->nseg; i++)
		free(l->seg[i].table);
	free(l->seg);
	memset(l, 0, sizeof(*l));
	return ok;
}
