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
 */
#ifndef SLUICE_LEDGER_H
#define SLUICE_LEDGER_H

#include <stdbool.h>
#include <stdint.h>

#include "rejects.h"
#include "rowstream.h"

#define SL_LEDGER_SHOW	10	/* rejected rows reported without a file */

struct sl_ledger_seg {
	char		*table;
	uint64_t	 in;
	uint64_t	 out;
	uint64_t	 rejected;
	double		 start;
	double		 secs;
};

struct sl_ledger {
	struct sl_rejects	*rj;		/* NULL: no rejects file */
	uint64_t		 unfiled;	/* rejected with no file */
	struct sl_ledger_seg	*seg;
	size_t			 nseg;
};

bool sl_ledger_open(struct sl_ledger *l, const char *rejects);
bool sl_ledger_begin(struct sl_ledger *l, const char *table);
bool sl_ledger_reject(struct sl_ledger *l, const struct rs_reader *r,
    const char *reason);
void sl_ledger_end(struct sl_ledger *l, uint64_t in, uint64_t out);
void sl_ledger_summary(const struct sl_ledger *l);
bool sl_ledger_close(struct sl_ledger *l, bool commit);

#endif
