/*
 * uniq.c: unique values across a stream, against a target's. See uniq.h.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "keymap.h"
#include "uniq.h"

#define NOKEY	UINT32_MAX	/* an owner record's length: owned by no row */

/*
 * The owners of the target's values are records in one arena: the next
 * record of the same value (its offset + 1, or 0), the key's length and
 * bytes. The taken map gives a value's first record (offset + 1).
 */
struct sl_uniq {
	bool			 fold;
	enum sl_uniq_how	 how;
	struct sl_keymap	*seen;
	struct sl_keymap	*taken;		/* NULL until sl_uniq_own */
	struct sl_keymap	*hints;
	struct sl_buf		 owners;
	struct sl_buf		 f;		/* a value to look up, folded */
	struct sl_buf		 fbase;		/* a duplicate, folded */
};

struct sl_uniq *
sl_uniq_new(bool fold, enum sl_uniq_how how)
{
	struct sl_uniq *u;

	if ((u = calloc(1, sizeof(*u))) == NULL) {
		sl_err("out of memory");
		return NULL;
	}
	u->fold = fold;
	u->how = how;
	if ((u->seen = sl_keymap_new(SL_KEYMAP_INT)) == NULL ||
	    (u->hints = sl_keymap_new(SL_KEYMAP_INT)) == NULL) {
		sl_uniq_free(u);
		return NULL;
	}
	return u;
}

void
sl_uniq_free(struct sl_uniq *u)
{
	if (u == NULL)
		return;
	sl_keymap_free(u->seen);
	sl_keymap_free(u->taken);
	sl_keymap_free(u->hints);
	sl_buf_free(&u->owners);
	sl_buf_free(&u->f);
	sl_buf_free(&u->fbase);
	free(u);
}

/*
 * v as the sets compare it: itself, or folded into b. NULL: out of
 * memory (v itself is never NULL: "" for an empty value).
 */
static const char *
fold(const struct sl_uniq *u, struct sl_buf *b, const char *v, size_t n)
{
	size_t i;

	if (!u->fold)
		return v != NULL ? v : "";
	sl_buf_reset(b);
	if (!sl_buf_grow(b, n + 1))
		return NULL;
	for (i = 0; i < n; i++)
		b->p[i] = v[i] >= 'A' && v[i] <= 'Z' ? (char)(v[i] + 32) : v[i];
	b->len = n;
	return b->p;
}

/* The owner record at off (an offset + 1): its next, key and length. */
static uint64_t
record(const struct sl_uniq *u, uint64_t off, const char **key, uint32_t *len)
{
	const char *p = u->owners.p + off - 1;
	uint64_t next;

	memcpy(&next, p, sizeof(next));
	memcpy(len, p + 8, sizeof(*len));
	*key = p + 12;
	return next;
}

static bool
same_owner(const char *key, uint32_t len, const char *k, size_t klen)
{
	return k != NULL && len != NOKEY && len == klen &&
	    memcmp(key, k, len) == 0;
}

bool
sl_uniq_own(struct sl_uniq *u, const char *v, size_t n, const char *key,
    size_t keylen)
{
	uint64_t off = u->owners.len + 1, next = 0, head, r;
	uint32_t len = key != NULL ? (uint32_t)keylen : NOKEY, l;
	const char *fv, *k;
	const void *old;
	int st;

	if ((key != NULL && keylen >= NOKEY) || (u->taken == NULL &&
	    (u->taken = sl_keymap_new(SL_KEYMAP_INT)) == NULL) ||
	    (fv = fold(u, &u->f, v, n)) == NULL)
		goto oom;
	if (!sl_buf_add(&u->owners, &next, sizeof(next)) ||
	    !sl_buf_add(&u->owners, &len, sizeof(len)) ||
	    !sl_buf_add(&u->owners, key, key != NULL ? keylen : 0))
		goto undo;
	if ((st = sl_keymap_put_text(u->taken, fv, n, &off, &old)) < 0)
		goto undo;
	if (st == 1)
		return true;
	/* a value already owned: a new owner goes second in its list */
	memcpy(&head, old, sizeof(head));
	for (r = head; r != 0; r = next) {
		next = record(u, r, &k, &l);
		if (key != NULL ? same_owner(k, l, key, keylen) : l == NOKEY)
			goto dup;
	}
	memcpy(&next, u->owners.p + head - 1, sizeof(next));
	memcpy(u->owners.p + off - 1, &next, sizeof(next));
	memcpy(u->owners.p + head - 1, &off, sizeof(off));
	return true;
dup:
	u->owners.len = off - 1;
	return true;
undo:
	u->owners.len = off - 1;
oom:
	sl_err("out of memory for the values taken");
	return false;
}

/*
 * Whether the target leaves fv to row: it does not hold it, or row's
 * key is one of its owners. If not, row->by is its first owner.
 */
static bool
free_for(struct sl_uniq *u, const char *fv, size_t n, struct sl_uniq_row *row)
{
	const void *p = sl_keymap_get_text(u->taken, fv, n);
	uint64_t r, head, next;
	const char *k;
	uint32_t l;

	if (p == NULL)
		return true;
	memcpy(&head, p, sizeof(head));
	for (r = head; r != 0; r = next) {
		next = record(u, r, &k, &l);
		if (same_owner(k, l, row->key, row->keylen))
			return true;
	}
	record(u, head, &row->by, &l);
	row->bylen = l == NOKEY ? 0 : l;
	if (l == NOKEY)
		row->by = NULL;
	return false;
}

enum sl_uniq_res
sl_uniq_take(struct sl_uniq *u, const char *v, size_t n,
    struct sl_uniq_row *row)
{
	const char *fv;
	const void *old;
	int st;

	if ((fv = fold(u, &u->f, v, n)) == NULL) {
		sl_err("out of memory");
		return SL_UNIQ_ERROR;
	}
	if (u->taken != NULL) {
		if ((old = sl_keymap_get_text(u->seen, fv, n)) != NULL) {
			memcpy(&row->first, old, sizeof(row->first));
			return SL_UNIQ_SEEN;
		}
		if (!free_for(u, fv, n, row))
			return SL_UNIQ_TAKEN;
	}
	/* without a target, one probe both looks and claims */
	if ((st = sl_keymap_put_text(u->seen, fv, n, &row->where, &old)) < 0)
		return SL_UNIQ_ERROR;
	if (st == 1)
		return SL_UNIQ_KEPT;
	memcpy(&row->first, old, sizeof(row->first));
	return SL_UNIQ_SEEN;
}

/* v with counter c: before its last '@', or at its end. */
static bool
suffixed(struct sl_buf *out, const char *v, size_t n, enum sl_uniq_how how,
    uint64_t c)
{
	const char *at = memrchr(v, '@', n);
	size_t pos = at != NULL ? (size_t)(at - v) : n;
	char d[24];
	int dn;

	dn = snprintf(d, sizeof(d), "%s%" PRIu64, how == SL_UNIQ_PLUS ? "+" :
	    "", c);
	sl_buf_reset(out);
	return dn > 0 && sl_buf_add(out, v, pos) &&
	    sl_buf_add(out, d, (size_t)dn) && sl_buf_add(out, v + pos, n - pos);
}

/*
 * The hint of a value is the smallest counter whose value may be free:
 * it moves past values the stream has claimed (they stay claimed), but
 * not past one the target gives to another key, which that key's own
 * row may still come to claim.
 */
enum sl_uniq_res
sl_uniq_suffix(struct sl_uniq *u, const char *v, size_t n,
    struct sl_uniq_row *row, struct sl_buf *out)
{
	uint64_t c = 2, next;
	void *hint;
	enum sl_uniq_res res;
	const char *fb;
	bool contig = true;

	if ((fb = fold(u, &u->fbase, v, n)) == NULL ||
	    sl_keymap_put_text(u->hints, fb, n, &c, NULL) < 0 ||
	    (hint = sl_keymap_ref_text(u->hints, fb, n)) == NULL) {
		sl_err("out of memory");
		return SL_UNIQ_ERROR;
	}
	for (memcpy(&c, hint, sizeof(c));; c++) {
		if (!suffixed(out, v, n, u->how, c)) {
			sl_err("out of memory");
			return SL_UNIQ_ERROR;
		}
		res = sl_uniq_take(u, out->p, out->len, row);
		if (res == SL_UNIQ_ERROR)
			return res;
		if (res == SL_UNIQ_TAKEN) {
			contig = false;
		} else if (contig) {
			next = c + 1;
			memcpy(hint, &next, sizeof(next));
		}
		if (res == SL_UNIQ_KEPT)
			return res;
	}
}

size_t
sl_uniq_count(const struct sl_uniq *u)
{
	return sl_keymap_count(u->seen);
}

/* The memory the sets hold, for the benchmark. */
size_t
sl_uniq_bytes(const struct sl_uniq *u)
{
	return sizeof(*u) + sl_keymap_bytes(u->seen) + sl_keymap_bytes(u->hints) +
	    (u->taken != NULL ? sl_keymap_bytes(u->taken) : 0) + u->owners.cap +
	    u->f.cap + u->fbase.cap;
}
