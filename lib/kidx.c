/*
 * kidx.c: the key index of verify --key (kidx.h). Entries are appended
 * unsorted, then sorted once by (key, row); a directory of 2^bits offsets
 * on the key's top bits, about one slot for every two entries, leaves a
 * lookup a short scan. Key hashes are uniform, so buckets stay short.
 */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "kidx.h"

struct kent {
	uint64_t	key;
	uint64_t	row;
};

struct kidx {
	struct kent	*e;
	size_t		 n;
	size_t		 cap;
	uint8_t		*st;
	uint32_t	*dir;		/* 2^bits + 1 offsets into e */
	unsigned	 bits;
	bool		 sealed;
};

struct kidx *
kidx_new(void)
{
	struct kidx *ix;

	if ((ix = calloc(1, sizeof(*ix))) == NULL)
		sl_err("out of memory");
	return ix;
}

void
kidx_free(struct kidx *ix)
{
	if (ix == NULL)
		return;
	free(ix->e);
	free(ix->st);
	free(ix->dir);
	free(ix);
}

bool
kidx_add(struct kidx *ix, uint64_t key, uint64_t row)
{
	struct kent *e;
	size_t cap;

	if (ix->n == ix->cap) {
		/* grow by half, not double: the budget is 32 bytes a row */
		cap = ix->cap < 1024 ? 1024 : ix->cap + ix->cap / 2;
		if (cap > UINT32_MAX || (e = realloc(ix->e, cap *
		    sizeof(*e))) == NULL) {
			sl_err("key index: out of memory at %zu rows", ix->n);
			return false;
		}
		ix->e = e;
		ix->cap = cap;
	}
	ix->e[ix->n].key = key;
	ix->e[ix->n].row = row;
	ix->n++;
	return true;
}

static int
kcmp(const void *a, const void *b)
{
	const struct kent *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	return 0;
}

static size_t
bucket(const struct kidx *ix, uint64_t key)
{
	return ix->bits == 0 ? 0 : (size_t)(key >> (64 - ix->bits));
}

bool
kidx_seal(struct kidx *ix)
{
	struct kent *e;
	size_t i, b, nb;

	if (ix->n > 0 && ix->n < ix->cap &&
	    (e = realloc(ix->e, ix->n * sizeof(*e))) != NULL) {
		ix->e = e;
		ix->cap = ix->n;
	}
	if (ix->n > 0)
		qsort(ix->e, ix->n, sizeof(*ix->e), kcmp);
	for (ix->bits = 0; ix->bits < 31 && ((size_t)2 << ix->bits) <= ix->n;
	    ix->bits++)
		;
	nb = (size_t)1 << ix->bits;
	if ((ix->st = calloc(ix->n + 1, 1)) == NULL ||
	    (ix->dir = malloc((nb + 1) * sizeof(*ix->dir))) == NULL) {
		sl_err("key index: out of memory at %zu rows", ix->n);
		return false;
	}
	for (b = 0, i = 0; b <= nb; b++) {
		while (i < ix->n && bucket(ix, ix->e[i].key) < b)
			i++;
		ix->dir[b] = (uint32_t)i;
	}
	ix->sealed = true;
	return true;
}

/* The first entry with key, or SIZE_MAX. */
static size_t
first(const struct kidx *ix, uint64_t key)
{
	size_t b, i, end;

	if (!ix->sealed || ix->n == 0)
		return SIZE_MAX;
	b = bucket(ix, key);
	end = ix->dir[b + 1];
	for (i = ix->dir[b]; i < end && ix->e[i].key < key; i++)
		;
	return i < ix->n && ix->e[i].key == key ? i : SIZE_MAX;
}

enum kidx_match
kidx_match(struct kidx *ix, uint64_t key, uint64_t row, size_t *at)
{
	size_t i, any = SIZE_MAX;

	for (i = first(ix, key); i < ix->n && ix->e[i].key == key; i++) {
		if (ix->st[i] != KIDX_FREE)
			continue;
		if (ix->e[i].row == row) {
			ix->st[i] = KIDX_TAKEN;
			*at = i;
			return KIDX_SAME;
		}
		if (any == SIZE_MAX)
			any = i;
	}
	if (any == SIZE_MAX)
		return KIDX_NONE;
	ix->st[any] = KIDX_TAKEN;
	*at = any;
	return KIDX_CHANGED;
}

size_t
kidx_find(const struct kidx *ix, uint64_t key, uint64_t row,
    enum kidx_state st)
{
	size_t i;

	for (i = first(ix, key); i < ix->n && ix->e[i].key == key; i++)
		if (ix->e[i].row == row && ix->st[i] == st)
			return i;
	return SIZE_MAX;
}

size_t
kidx_len(const struct kidx *ix)
{
	return ix->n;
}

uint64_t
kidx_key(const struct kidx *ix, size_t i)
{
	return ix->e[i].key;
}

uint64_t
kidx_row(const struct kidx *ix, size_t i)
{
	return ix->e[i].row;
}

enum kidx_state
kidx_state(const struct kidx *ix, size_t i)
{
	return (enum kidx_state)ix->st[i];
}

void
kidx_set(struct kidx *ix, size_t i, enum kidx_state st)
{
	ix->st[i] = (uint8_t)st;
}

size_t
kidx_bytes(const struct kidx *ix)
{
	size_t n = ix->cap * sizeof(*ix->e);

	if (ix->sealed)
		n += ix->n + 1 + (((size_t)1 << ix->bits) + 1) *
		    sizeof(*ix->dir);
	return n;
}
