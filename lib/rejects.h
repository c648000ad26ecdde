/*
 * rejects.h: the rejects file of a stage. Every row a program drops goes
 * here with its reason, so that rows in = rows out + rows rejected. The
 * file is a row stream: for each input segment that has rejected rows, a
 * segment with the same table name and the same columns plus a last
 * column "_error" (text) holding the reason. It is written through an
 * sl_ofile: it appears under its name only when the program commits it.
 * A file with no rejected rows is still a whole stream: one empty segment
 * like the first segment the program noted (sl_rejects_note), so that
 * rowcat and verify read it as "nothing rejected".
 */
#ifndef SLUICE_REJECTS_H
#define SLUICE_REJECTS_H

#include <stdbool.h>
#include <stdint.h>

#include "rowstream.h"

struct sl_rejects;

struct sl_rejects *sl_rejects_open(const char *path);

/*
 * Rejects a row of segment seg (any number that changes when the segment
 * does, e.g. rs_segment()) with header h. vals, len: the row's values,
 * canonical MessagePack bytes one after the other (for a row read by
 * rs_next: row->raw + row->off[0], row->off[ncols] - row->off[0]).
 */
bool sl_rejects_put(struct sl_rejects *rj, uint64_t seg,
    const struct rs_header *h, const char *vals, size_t len,
    const char *reason);

/* The same for the current row of reader r. */
bool sl_rejects_row(struct sl_rejects *rj, const struct rs_reader *r,
    const char *reason);

/* Notes a segment the program began reading (for the empty file). */
bool sl_rejects_note(struct sl_rejects *rj, const struct rs_header *h);

uint64_t sl_rejects_count(const struct sl_rejects *rj);

/*
 * Writes the last trailer and renames the file into place (commit), or
 * removes it (!commit). Frees rj; NULL is fine. False on a write error.
 */
bool sl_rejects_close(struct sl_rejects *rj, bool commit);

/*
 * After a failed run: removes the rejects file an earlier run left at
 * path, so that a reader never finds an older, whole rejects file next
 * to a run that failed. It removes what a successful run would have
 * replaced (sl_ofile_unlink): a regular file, or the regular target of
 * a symbolic link, where an earlier run's rejects went through it (the
 * link stays); never a device, a fifo or stdout. True when nothing
 * stale is left (or nothing was there).
 */
bool sl_rejects_remove(const char *path);

#endif
