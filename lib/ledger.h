/*
 * ledger.h: the accounts of a filter (remap, cols): for each segment of
 * its input, rows in, rows out and rows rejected, so that in = out +
 * rejected can be shown and checked, and where each rejected row goes.
 *
 * With a rejects file (lib/rejects.h) a rejected row goes there with its
 * reason. Without one there is nowhere to put it, and a row must never
 * vanish: the first few such rows are reported on stderr, the rest
 * counted, and the filter is to stop writing its output (leaving the
 * stream without its trailer, so that a loader downstream commits
 * nothing) and exit 1 once it has read all its input.
 *
 * The output goes to standard output, or to a file (-o FILE) that, as
 * extract's, appears whole or not at all (lib/ofile.h): it is put in
 * place by sl_ledger_close(l, true) after the rejects file, so that it
 * appears only when the stream ended with its end mark and every side
 * file is in place, and it is removed by sl_ledger_close(l, false).
 */
#ifndef SLUICE_LEDGER_H
#define SLUICE_LEDGER_H

#include <stdbool.h>
#include <stdint.h>

#include "progress.h"
#include "rejects.h"
#include "rowstream.h"

#define SL_LEDGER_SHOW	10	/* rejected rows reported without a file */

struct sl_ledger_seg {
	char		*table;
	uint64_t	 in;
	uint64_t	 out;
	uint64_t	 rejected;
	uint64_t	 nulled;	/* values made NULL (cols --on-error) */
	double		 start;
	double		 secs;
};

struct sl_ledger {
	struct sl_rejects	*rj;		/* NULL: no rejects file */
	struct sl_ofile		*of;		/* -o FILE; NULL: stdout */
	uint64_t		 unfiled;	/* rejected with no file */
	struct sl_ledger_seg	*seg;
	size_t			 nseg;
	bool			 nulls;		/* the summary counts nulled */
};

/*
 * A filter, for sl_ledger_run: begin gives a segment's output header
 * (freed by the caller) or NULL (reported); row writes the current row
 * to w, or rejects it with sl_ledger_reject, and writes nothing once
 * sl_ledger_stopped(); end (may be NULL) runs after each trailer.
 * Optional, for a filter that holds rows back to work on several at a
 * time (password): flush writes what it holds, before each trailer;
 * finish runs once after the last trailer of a good input, before the
 * end mark goes out, so that a side file the filter writes is in place
 * before anything downstream can take the stream as whole. row, end,
 * flush and finish return false on an error, reported.
 */
struct sl_filter {
	struct rs_header *(*begin)(const struct rs_header *in);
	bool (*row)(struct sl_ledger *l, struct rs_reader *r,
	    struct rs_writer *w);
	bool (*end)(const struct rs_reader *r);
	bool (*flush)(struct rs_writer *w);
	bool (*finish)(void);
};

bool sl_ledger_open(struct sl_ledger *l, const char *rejects,
    const char *output);
int sl_ledger_run(struct sl_ledger *l, const struct sl_filter *f,
    struct sl_progress *pg, bool quiet);
bool sl_ledger_begin(struct sl_ledger *l, const char *table);
bool sl_ledger_reject(struct sl_ledger *l, const struct rs_reader *r,
    const char *reason);
void sl_ledger_end(struct sl_ledger *l, uint64_t in, uint64_t out);

/* A value of the current segment was made NULL (counted, for cols). */
static inline void
sl_ledger_null(struct sl_ledger *l)
{
	l->seg[l->nseg - 1].nulled++;
}
void sl_ledger_summary(const struct sl_ledger *l);

/* Whether the output stopped: a row was rejected with no file to take it. */
static inline bool
sl_ledger_stopped(const struct sl_ledger *l)
{
	return l->unfiled > 0;
}
bool sl_ledger_close(struct sl_ledger *l, bool commit);

#endif
