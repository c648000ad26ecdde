/*
 * isolate.h: finding the rows a server refuses in a batch, without
 * knowing what the server is. load --rejects sends its rows in batches,
 * each tried whole first; when the server refuses one, the engine here
 * decides which rows to send again, which to reject and in what order,
 * through two callbacks: "send rows [a, b) as one attempt" (a COPY under
 * a savepoint, or an INSERT of a range) and "row k is rejected, for this
 * reason". The rows themselves stay with the caller, who knows them by
 * their index in the batch; the engine keeps no row and allocates
 * nothing a row (a refused row's reason is kept on a stack that grows
 * only with the depth of the search, a few entries).
 *
 * Rows the server takes are always sent in the batch's order, so that
 * the rows committed keep the order of the stream; and rows are rejected
 * in the batch's order too.
 *
 * Like the rest of lib/, nothing here exits or prints: a callback that
 * fails reports why (sl_err) or remembers it, and the engine returns
 * false up to the caller.
 */
#ifndef SLUICE_ISOLATE_H
#define SLUICE_ISOLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* What an attempt came to. */
enum sl_sent {
	SL_SENT_TAKEN,		/* every row went in */
	SL_SENT_REFUSED,	/* the server refused the data: undone */
	SL_SENT_FAILED		/* anything else (connection, permission) */
};

/*
 * A refusal: the row the server named, 1-based within the attempt (0:
 * it named none, as for a foreign key checked at the end of a COPY), and
 * its reason. The reason needs to stay valid only until the next call
 * of the send callback.
 */
struct sl_refusal {
	uint64_t	 line;
	const char	*reason;
};

struct sl_isolate_ops {
	/*
	 * Sends rows [a, b) of the batch as one attempt, all or nothing.
	 * On SL_SENT_REFUSED it fills *why and has undone the attempt.
	 */
	enum sl_sent (*send)(void *arg, size_t a, size_t b,
	    struct sl_refusal *why);
	/* Row k is rejected for reason; false stops the engine. */
	bool (*reject)(void *arg, size_t k, const char *reason);
};

struct sl_isolate {
	struct sl_isolate_ops	 ops;
	void			*arg;
	/*
	 * Whether the row an error names is certainly the bad one (the
	 * server's messages are read in English). When not, a named row
	 * is sent again alone before it is rejected, with its own reason.
	 */
	bool			 trust_line;
	struct sl_buf		 why;	/* the stack of pending reasons */
	uint64_t		 nsent;	/* attempts so far */
};

/* Sets up iso; sl_isolate_free() releases what it holds. */
void sl_isolate_init(struct sl_isolate *iso, const struct sl_isolate_ops *ops,
    void *arg, bool trust_line);
void sl_isolate_free(struct sl_isolate *iso);

/*
 * Loads a batch of n rows by attempts that use the row a refusal
 * names: rows [0, n) are tried whole; after a refusal naming row k, the
 * rows before it go in again, it is rejected and the rows after it are
 * tried next; a refusal naming no row halves the rows tried. The rows
 * tried at once are a window that doubles after a success and, after a
 * reject, starts at twice the good rows that came before it: a few bad
 * rows cost a few attempts of the batch, and a batch of nothing but bad
 * rows costs an attempt a row.
 *
 * first, when not NULL, is the refusal of an attempt of all n rows the
 * caller made already (load streams a batch's COPY while it reads), so
 * that attempt is not made again. False when a callback stopped it.
 */
bool sl_isolate_batch(struct sl_isolate *iso, size_t n,
    const struct sl_refusal *first);

/*
 * Loads rows [0, n) by halving: for attempts whose refusal can name no
 * row (an INSERT ... SELECT of a range). Rows [a, b) are tried; a
 * refusal of one row rejects it, of more splits them in two halves.
 */
bool sl_isolate_bisect(struct sl_isolate *iso, size_t n);

#endif
