/*
 * nidx.c: an index of names (see nidx.h).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "nidx.h"

struct slot {
	const char	*name;		/* NULL: free */
	uint32_t	 hash;
	uint32_t	 val;
};

struct sl_nidx {
	struct slot	*s;
	size_t		 mask;		/* slots - 1, a power of two less one */
	size_t		 n;		/* names held */
};

/* The hash the index files a name under; tests use it to make collisions. */
uint32_t
sl_nidx_hash(const char *name)
{
	uint64_t h = XXH3_64bits(name, strlen(name));

	return (uint32_t)(h ^ h >> 32);
}

/* The slot of name: its own, or the free one where it would go. */
static struct slot *
probe(const struct sl_nidx *x, const char *name, uint32_t hash)
{
	size_t i = hash & x->mask;

	while (x->s[i].name != NULL && (x->s[i].hash != hash ||
	    strcmp(x->s[i].name, name) != 0))
		i = (i + 1) & x->mask;
	return &x->s[i];
}

/* Rehashes into nslots slots (a power of two); false when out of memory. */
static bool
resize(struct sl_nidx *x, size_t nslots)
{
	struct slot *old = x->s, *p;
	size_t i, oldn = old != NULL ? x->mask + 1 : 0;

	if ((x->s = calloc(nslots, sizeof(*x->s))) == NULL) {
		x->s = old;
		return false;
	}
	x->mask = nslots - 1;
	for (i = 0; i < oldn; i++)
		if (old[i].name != NULL) {
			p = probe(x, old[i].name, old[i].hash);
			*p = old[i];
		}
	free(old);
	return true;
}

/* An empty index with room for n names before it grows; NULL: no memory. */
struct sl_nidx *
sl_nidx_new(size_t n)
{
	struct sl_nidx *x;
	size_t nslots = 16;

	while (nslots / 2 < n && nslots < SIZE_MAX / 4)
		nslots *= 2;
	if ((x = calloc(1, sizeof(*x))) == NULL)
		return NULL;
	if (!resize(x, nslots)) {
		free(x);
		return NULL;
	}
	return x;
}

void
sl_nidx_free(struct sl_nidx *x)
{
	if (x == NULL)
		return;
	free(x->s);
	free(x);
}

/*
 * Files name under val (at most SL_NIDX_MAX) unless the index has it.
 * Returns the name's number: val when it was added, the earlier one when
 * the name was there already; -1 when out of memory.
 */
long
sl_nidx_add(struct sl_nidx *x, const char *name, size_t val)
{
	uint32_t hash = sl_nidx_hash(name);
	struct slot *p;

	if (val > SL_NIDX_MAX)
		return -1;
	p = probe(x, name, hash);
	if (p->name != NULL)
		return (long)p->val;
	if ((x->n + 1) * 2 > x->mask + 1) {
		if (!resize(x, (x->mask + 1) * 2))
			return -1;
		p = probe(x, name, hash);
	}
	p->name = name;
	p->hash = hash;
	p->val = (uint32_t)val;
	x->n++;
	return (long)val;
}

/* The number of name, or -1 when the index does not have it. */
long
sl_nidx_find(const struct sl_nidx *x, const char *name)
{
	const struct slot *p = probe(x, name, sl_nidx_hash(name));

	return p->name != NULL ? (long)p->val : -1;
}
