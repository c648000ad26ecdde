/*
 * isolate.c: the search for the rows a server refuses in a batch; see
 * isolate.h. Nothing here knows PostgreSQL: load's callbacks do.
 */
#include <string.h>

#include "isolate.h"

void
sl_isolate_init(struct sl_isolate *iso, const struct sl_isolate_ops *ops,
    void *arg, bool trust_line)
{
	memset(iso, 0, sizeof(*iso));
	iso->ops = *ops;
	iso->arg = arg;
	iso->trust_line = trust_line;
}

void
sl_isolate_free(struct sl_isolate *iso)
{
	sl_buf_free(&iso->why);
}

static enum sl_sent
send_rows(struct sl_isolate *iso, size_t a, size_t b, struct sl_refusal *r)
{
	iso->nsent++;
	r->line = 0;
	r->reason = NULL;
	return iso->ops.send(iso->arg, a, b, r);
}

/*
 * Pushes a reason on the stack, NUL-terminated; its offset in *at. The
 * stack holds an offset, not a pointer, as a push may move it.
 */
static bool
push(struct sl_isolate *iso, const char *reason, size_t *at)
{
	*at = iso->why.len;
	return sl_buf_adds(&iso->why, reason != NULL ? reason : "refused") &&
	    sl_buf_addc(&iso->why, '\0');
}

/*
 * Rows [a, b), with first the refusal of an attempt of exactly them when
 * not NULL. Recursive on the rows before a named row, whose reason waits
 * on the stack meanwhile: rejects go out in the rows' order.
 */
static bool
settle(struct sl_isolate *iso, size_t a, size_t b,
    const struct sl_refusal *first)
{
	size_t w = b - a, end, k, at;
	struct sl_refusal r = { 0, NULL }, alone;
	enum sl_sent st;
	bool have = first != NULL, out;
	uint64_t line;

	if (have)
		r = *first;
	while (a < b) {
		end = b - a < w ? b : a + w;
		if (!have) {
			if ((st = send_rows(iso, a, end, &r)) == SL_SENT_FAILED)
				return false;
			if (st == SL_SENT_TAKEN) {
				a = end;
				w = w < b ? 2 * w : w;
				continue;
			}
		}
		have = false;
		line = end - a == 1 ? 1 : r.line;
		if (line < 1 || line > end - a) {
			w = (end - a) / 2;
			continue;
		}
		k = a + (size_t)line - 1;
		if (!push(iso, r.reason, &at))
			return false;
		if (k > a && !settle(iso, a, k, NULL))
			return false;
		out = true;
		/* a line read from translated words may mislead: check it */
		if (!iso->trust_line && end - a > 1) {
			st = send_rows(iso, k, k + 1, &alone);
			if (st == SL_SENT_FAILED)
				return false;
			out = st == SL_SENT_REFUSED;
			iso->why.len = at;
			if (out && !push(iso, alone.reason, &at))
				return false;
		}
		if (out && !iso->ops.reject(iso->arg, k, iso->why.p + at))
			return false;
		iso->why.len = at;
		a = k + 1;
		w = line > 1 ? 2 * (size_t)(line - 1) : 1;
	}
	return true;
}

bool
sl_isolate_batch(struct sl_isolate *iso, size_t n,
    const struct sl_refusal *first)
{
	sl_buf_reset(&iso->why);
	return n == 0 || settle(iso, 0, n, first);
}

static bool
split(struct sl_isolate *iso, size_t a, size_t b)
{
	struct sl_refusal r;
	enum sl_sent st;
	size_t k;

	if ((st = send_rows(iso, a, b, &r)) != SL_SENT_REFUSED)
		return st == SL_SENT_TAKEN;
	if (b - a == 1)
		return iso->ops.reject(iso->arg, a, r.reason != NULL ?
		    r.reason : "refused");
	k = a + (b - a) / 2;
	return split(iso, a, k) && split(iso, k, b);
}

bool
sl_isolate_bisect(struct sl_isolate *iso, size_t n)
{
	return n == 0 || split(iso, 0, n);
}
