/*
 * keymap.c: old key -> new key, by the keys' text form: the hash table.
 * See keymap.h; reading a map file is keymap_load.c, what the two share
 * keymap_int.h.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <xxhash.h>

#include "exitcodes.h"
#include "keymap.h"
#include "rowstream.h"
#include "uuid.h"
#include "value.h"
#include "keymap_int.h"

#define CHUNK_BITS	16
#define CHUNK		((size_t)1 << CHUNK_BITS)
#define MAXBITS		31	/* index slots: 2^31 at most */
#define MINBITS		10
#define SLOTS_MMAP	((size_t)2 << 20)	/* bytes of index worth mmap */

/* A chunk of entries: which of them have string keys, then the entries. */
struct chunk {
	uint64_t	 str[CHUNK / 64];
	unsigned char	 e[];
};

/*
 * Whether text is the canonical decimal form of an int64 (as an integer
 * prints: no sign but '-', no leading zero, no "-0"), and which.
 */
static bool
canon_int(const char *p, size_t n, int64_t *out)
{
	bool neg = n > 0 && p[0] == '-';
	uint64_t v = 0, lim = neg ? (uint64_t)INT64_MAX + 1 : INT64_MAX;
	size_t i = neg;

	if (n == i || n - i > 19 || p[i] < '0' || p[i] > '9' ||
	    (p[i] == '0' && (n - i > 1 || neg)))
		return false;
	for (; i < n; i++) {
		if (p[i] < '0' || p[i] > '9' ||
		    v > (lim - (uint64_t)(p[i] - '0')) / 10)
			return false;
		v = v * 10 + (uint64_t)(p[i] - '0');
	}
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return true;
}

void
km_key_text(struct key *k, const char *p, size_t n)
{
	if (canon_int(p, n, &k->i)) {
		key_int(k, k->i);
		return;
	}
	k->str = true;
	k->p = p;
	k->n = n;
	k->h = XXH3_64bits(p, n);
}

static unsigned char *
entry(const struct sl_keymap *m, size_t e)
{
	return m->chunk[e >> CHUNK_BITS]->e + (e & (CHUNK - 1)) * m->esize;
}

static bool
isstr(const struct sl_keymap *m, size_t e)
{
	const struct chunk *c = m->chunk[e >> CHUNK_BITS];

	e &= CHUNK - 1;
	return c->str[e / 64] >> (e % 64) & 1;
}

static bool
same(const struct sl_keymap *m, size_t e, const struct key *k)
{
	const unsigned char *p = entry(m, e);
	uint64_t w;
	uint32_t n;

	memcpy(&w, p, sizeof(w));
	if (!k->str)
		return !isstr(m, e) && (int64_t)w == k->i;
	if (!isstr(m, e))
		return false;
	memcpy(&n, m->arena.p + w, sizeof(n));
	return n == k->n && memcmp(m->arena.p + w + sizeof(n), k->p, n) == 0;
}

static uint32_t
tagmask(const struct sl_keymap *m)
{
	return m->bits >= 32 ? 0 : ~(uint32_t)0 << m->bits;
}

/*
 * The slot of key k: the one holding it, or the empty one where it would
 * go. Slots keep the hash's top bits beside the entry number, so that a
 * probe only looks at an entry whose tag matches.
 */
static size_t
find(const struct sl_keymap *m, const struct key *k)
{
	size_t mask = ((size_t)1 << m->bits) - 1, i = k->h & mask;
	uint32_t tm = tagmask(m), tag = (uint32_t)(k->h >> 32) & tm, s;

	for (;; i = (i + 1) & mask) {
		s = m->slot[i];
		if (s == 0)
			return i;
		if ((s & tm) == tag && same(m, (s & ~tm) - 1, k))
			return i;
	}
}

/*
 * A zeroed index of 2^bits slots. A large one is mapped with huge pages
 * where the kernel allows them: its accesses are random, and with 4 kB
 * pages nearly each one would miss the TLB too.
 */
static uint32_t *
slots_new(unsigned bits)
{
	size_t n = sizeof(uint32_t) << bits;
	void *p;

	if (n < SLOTS_MMAP)
		return calloc(1, n);
	p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
	    -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	(void)madvise(p, n, MADV_HUGEPAGE);	/* a hint; fine if refused */
	return p;
}

static void
slots_free(uint32_t *slot, unsigned bits)
{
	size_t n = sizeof(uint32_t) << bits;

	if (n < SLOTS_MMAP)
		free(slot);
	else if (slot != NULL)
		munmap(slot, n);
}

struct sl_keymap *
sl_keymap_new(enum sl_keymap_kind kind)
{
	static const size_t vsize[] = { 0, 8, SL_UUID_LEN, 8 };
	struct sl_keymap *m;

	if ((m = calloc(1, sizeof(*m))) == NULL ||
	    (m->slot = slots_new(MINBITS)) == NULL) {
		free(m);
		sl_err("out of memory");
		return NULL;
	}
	m->kind = kind;
	m->vsize = vsize[kind];
	m->esize = 8 + m->vsize;
	m->bits = MINBITS;
	return m;
}

void
sl_keymap_free(struct sl_keymap *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->nchunk; i++)
		free(m->chunk[i]);
	free(m->chunk);
	slots_free(m->slot, m->bits);
	sl_buf_free(&m->arena);
	free(m->type);
	free(m);
}

enum sl_keymap_kind
sl_keymap_kind(const struct sl_keymap *m)
{
	return m->kind;
}

/* What a kind's values are, for messages: "a map of ...". */
const char *
sl_keymap_kind_name(enum sl_keymap_kind kind)
{
	static const char *const name[] = { "no values", "integers", "UUIDs",
	    "text" };

	return name[kind];
}

const char *
sl_keymap_type(const struct sl_keymap *m)
{
	return m->type;
}

bool
sl_keymap_max(const struct sl_keymap *m, int64_t *max)
{
	*max = m->max;
	return m->hasmax;
}

size_t
sl_keymap_count(const struct sl_keymap *m)
{
	return m->count;
}

/* The memory the map holds, for the benchmarks. */
size_t
sl_keymap_bytes(const struct sl_keymap *m)
{
	return sizeof(*m) + ((size_t)sizeof(*m->slot) << m->bits) +
	    m->chunkcap * sizeof(*m->chunk) + m->nchunk * (sizeof(struct
	    chunk) + CHUNK * m->esize) + m->arena.cap;
}

/* The key of entry e, its hash recomputed, for a rehash. */
static void
key_of(const struct sl_keymap *m, size_t e, struct key *k)
{
	uint64_t w;
	uint32_t n;

	memcpy(&w, entry(m, e), sizeof(w));
	if (!isstr(m, e)) {
		key_int(k, (int64_t)w);
		return;
	}
	memcpy(&n, m->arena.p + w, sizeof(n));
	k->str = true;
	k->p = m->arena.p + w + sizeof(n);
	k->n = n;
	k->h = XXH3_64bits(k->p, n);
}

/*
 * Makes the index 2^bits slots and puts every entry in it again. False,
 * unreported, when memory ran out; the map is then unchanged.
 */
static bool
rehash(struct sl_keymap *m, unsigned bits)
{
	uint32_t *old = m->slot;
	unsigned oldbits = m->bits;
	struct key k;
	size_t e;

	if ((m->slot = slots_new(bits)) == NULL) {
		m->slot = old;
		return false;
	}
	slots_free(old, oldbits);
	m->bits = bits;
	for (e = 0; e < m->count; e++) {
		key_of(m, e, &k);
		m->slot[find(m, &k)] = ((uint32_t)(k.h >> 32) & tagmask(m)) |
		    (uint32_t)(e + 1);
	}
	return true;
}

/* Whether n entries fit in an index of 2^bits slots. */
static bool
fits(size_t n, unsigned bits)
{
	return n <= ((size_t)3 << bits) / 4 && n < (size_t)1 << bits;
}

/*
 * Sizes the index for n keys at once, sparing the rehashes of growing
 * one key at a time: a hint, so a failure is not an error.
 */
void
sl_keymap_reserve(struct sl_keymap *m, size_t n)
{
	unsigned bits = m->bits;

	while (bits < MAXBITS && !fits(n, bits))
		bits++;
	if (bits > m->bits)
		(void)rehash(m, bits);
}

/* Room for one more entry at the end of the chunks. */
static bool
room(struct sl_keymap *m)
{
	struct chunk **cv;
	struct chunk *c;

	if (m->count < m->nchunk * CHUNK)
		return true;
	if (m->nchunk == m->chunkcap) {
		size_t n = m->chunkcap ? 2 * m->chunkcap : 16;

		if ((cv = realloc(m->chunk, n * sizeof(*cv))) == NULL)
			goto oom;
		m->chunk = cv;
		m->chunkcap = n;
	}
	if ((c = malloc(sizeof(*c) + CHUNK * m->esize)) == NULL)
		goto oom;
	memset(c->str, 0, sizeof(c->str));
	m->chunk[m->nchunk++] = c;
	return true;
oom:
	sl_err("out of memory for a map of %zu keys", m->count);
	return false;
}

/*
 * Appends 4 bytes of length and the bytes to the arena; its offset in
 * *off. False, unreported, when memory ran out or n is too long.
 */
static bool
arena_add(struct sl_keymap *m, const char *p, size_t n, uint64_t *off)
{
	uint32_t n32 = (uint32_t)n;

	*off = m->arena.len;
	return n <= UINT32_MAX && sl_buf_add(&m->arena, &n32, sizeof(n32)) &&
	    sl_buf_add(&m->arena, p, n);
}

int
km_put(struct sl_keymap *m, const struct key *k, const void *val,
    const void **old)
{
	const struct sl_keymap_text *t = val;
	size_t i, e, mark;
	uint32_t s;
	uint64_t w, voff = 0;
	int64_t iv;
	unsigned char *p;

	i = find(m, k);
	if ((s = m->slot[i]) != 0) {
		if (old != NULL)
			*old = entry(m, (s & ~tagmask(m)) - 1) + 8;
		return 0;
	}
	if (!fits(m->count + 1, m->bits)) {
		if (m->bits >= MAXBITS) {
			sl_err("more keys than a map can hold");
			return -1;
		}
		if (!rehash(m, m->bits + 1)) {
			sl_err("out of memory for a map of %zu keys", m->count);
			return -1;
		}
		i = find(m, k);
	}
	if (!room(m))
		return -1;
	e = m->count;
	w = (uint64_t)k->i;
	mark = m->arena.len;
	if ((k->str && !arena_add(m, k->p, k->n, &w)) ||
	    (m->kind == SL_KEYMAP_TEXT && !arena_add(m, t->p, t->n, &voff))) {
		m->arena.len = mark;
		sl_err("out of memory for a map's keys");
		return -1;
	}
	if (k->str)
		m->chunk[e >> CHUNK_BITS]->str[(e & (CHUNK - 1)) / 64] |=
		    (uint64_t)1 << (e % 64);
	p = entry(m, e);
	memcpy(p, &w, sizeof(w));
	if (m->kind == SL_KEYMAP_TEXT)
		memcpy(p + 8, &voff, sizeof(voff));
	else if (m->vsize > 0)
		memcpy(p + 8, val, m->vsize);
	if (m->kind == SL_KEYMAP_INT) {
		memcpy(&iv, val, sizeof(iv));
		if (!m->hasmax || iv > m->max)
			m->max = iv;
		m->hasmax = true;
	}
	m->slot[i] = ((uint32_t)(k->h >> 32) & tagmask(m)) | (uint32_t)(e + 1);
	m->count++;
	return 1;
}

int
sl_keymap_put_int(struct sl_keymap *m, int64_t key, const void *val,
    const void **old)
{
	struct key k;

	key_int(&k, key);
	return km_put(m, &k, val, old);
}

int
sl_keymap_put_text(struct sl_keymap *m, const char *key, size_t n,
    const void *val, const void **old)
{
	struct key k;

	km_key_text(&k, key, n);
	return km_put(m, &k, val, old);
}

static const void *
get(const struct sl_keymap *m, const struct key *k)
{
	uint32_t s = m->slot[find(m, k)];

	if (s == 0)
		return NULL;
	return entry(m, (s & ~tagmask(m)) - 1) + 8;
}

const void *
sl_keymap_get_int(const struct sl_keymap *m, int64_t key)
{
	struct key k;

	key_int(&k, key);
	return get(m, &k);
}

const void *
sl_keymap_get_text(const struct sl_keymap *m, const char *key, size_t n)
{
	struct key k;

	km_key_text(&k, key, n);
	return get(m, &k);
}

struct sl_keymap_text
sl_keymap_text(const struct sl_keymap *m, const void *val)
{
	struct sl_keymap_text t;
	uint64_t off;
	uint32_t n;

	memcpy(&off, val, sizeof(off));
	memcpy(&n, m->arena.p + off, sizeof(n));
	t.p = m->arena.p + off + sizeof(n);
	t.n = n;
	return t;
}

void *
sl_keymap_ref_text(struct sl_keymap *m, const char *key, size_t n)
{
	struct key k;
	uint32_t s;

	km_key_text(&k, key, n);
	if ((s = m->slot[find(m, &k)]) == 0)
		return NULL;
	return entry(m, (s & ~tagmask(m)) - 1) + 8;
}
