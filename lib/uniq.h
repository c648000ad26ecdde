/*
 * uniq.h: the engine of unique(1): makes a column's values unique across
 * a whole stream, in one pass, against the values a target already has.
 *
 * It holds three sets, all in lib/keymap.c's arena-based maps:
 * - seen: every value a row of the stream holds (kept or made), with an
 *   8-byte word the caller chose (where the row was, for messages);
 * - taken (optional): the values the target holds, each with its owners'
 *   keys. A value the target holds is free only to a row whose key owns
 *   it there, so that a re-run keeps every row's own value and never
 *   gives one row another's;
 * - hints: for each value that had a duplicate, the next counter to try,
 *   so that a thousand copies of one value cost a thousand probes, not
 *   half a million.
 *
 * A value is free to a row when no earlier row has it and the target
 * gives it to nobody else. The row's own value is tried first; a
 * duplicate then tries its suffixed forms (counter 2, 3, ...) in order
 * and takes the first free one. A made value is claimed like a kept one:
 * a later row holding it literally is a duplicate in its turn. Only the
 * input decides the result, so the same input gives the same output.
 *
 * How a suffix is written is fixed for the set's life (a value's next
 * counter holds for one way only). With fold, values are compared with ASCII letters folded to lower case
 * (bytes past ASCII compare as they are); the values given back keep
 * their case.
 */
#ifndef SLUICE_UNIQ_H
#define SLUICE_UNIQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

enum sl_uniq_how {
	SL_UNIQ_PLUS,	/* john+2@x.com, or john+2 with no '@' */
	SL_UNIQ_NUMBER	/* john2@x.com, or john2 */
};

enum sl_uniq_res {
	SL_UNIQ_ERROR = -1,	/* memory ran out (reported) */
	SL_UNIQ_KEPT,		/* the value was free: the row keeps it */
	SL_UNIQ_SEEN,		/* an earlier row has it: first says which */
	SL_UNIQ_TAKEN		/* a target row of another key owns it: by */
};

/* The row asking, and what the engine says of the row that has it. */
struct sl_uniq_row {
	const char	*key;	/* the row's key as text; NULL: none */
	size_t		 keylen;
	uint64_t	 where;	/* kept with each value the row claims */
	/* out */
	uint64_t	 first;	/* SEEN: the where of the row that has it */
	const char	*by;	/* TAKEN: its owner's key (NULL: none), valid */
	size_t		 bylen;	/*   until the next sl_uniq_own */
};

struct sl_uniq;

struct sl_uniq *sl_uniq_new(bool fold, enum sl_uniq_how how);
void sl_uniq_free(struct sl_uniq *u);

/*
 * Notes that the target holds value v, owned by the row of key (NULL:
 * by no row of the stream). A value may have several owners (values the
 * target holds that --fold makes equal). False when memory ran out.
 */
bool sl_uniq_own(struct sl_uniq *u, const char *v, size_t n,
    const char *key, size_t keylen);

/* Claims v for row if it is free (KEPT); otherwise says who has it. */
enum sl_uniq_res sl_uniq_take(struct sl_uniq *u, const char *v, size_t n,
    struct sl_uniq_row *row);

/*
 * For a duplicate v: claims for row the first free value that v with a
 * counter suffix (2, 3, ...) makes, and puts it in out (reset first).
 * Returns KEPT, or ERROR.
 */
enum sl_uniq_res sl_uniq_suffix(struct sl_uniq *u, const char *v, size_t n,
    struct sl_uniq_row *row, struct sl_buf *out);

size_t sl_uniq_count(const struct sl_uniq *u);
size_t sl_uniq_bytes(const struct sl_uniq *u);

#endif
