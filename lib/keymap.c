/*
 * keymap.c: old key -> new key, by the keys' text form. See keymap.h.
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

struct sl_keymap {
	enum sl_keymap_kind kind;
	size_t		  vsize;	/* 0, 8 (int, text's offset) or 16 */
	size_t		  esize;	/* 8 bytes of key, then the value */
	char		 *type;		/* the map file's new key type */
	bool		  hasmax;	/* an int map: its largest value */
	int64_t		  max;
	uint32_t	 *slot;		/* 0, or tag | entry number + 1 */
	unsigned	  bits;
	size_t		  count;
	struct chunk	**chunk;
	size_t		  nchunk;
	size_t		  chunkcap;
	struct sl_buf	  arena;	/* string keys and text values: 4 bytes
					   of length, bytes */
};

/* A key ready to look up: an integer, or bytes that are not one. */
struct key {
	bool		 str;
	int64_t		 i;
	const char	*p;
	size_t		 n;
	uint64_t	 h;
};

/* murmur3's finalizer: every bit of the integer moves every bit of the hash. */
static uint64_t
mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

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

static void
key_int(struct key *k, int64_t i)
{
	k->str = false;
	k->i = i;
	k->h = mix((uint64_t)i);
}

static void
key_text(struct key *k, const char *p, size_t n)
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

static int
put(struct sl_keymap *m, const struct key *k, const void *val,
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
	return put(m, &k, val, old);
}

int
sl_keymap_put_text(struct sl_keymap *m, const char *key, size_t n,
    const void *val, const void **old)
{
	struct key k;

	key_text(&k, key, n);
	return put(m, &k, val, old);
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

	key_text(&k, key, n);
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

	key_text(&k, key, n);
	if ((s = m->slot[find(m, &k)]) == 0)
		return NULL;
	return entry(m, (s & ~tagmask(m)) - 1) + 8;
}

/* Reading a map file. */

#define BATCH	16	/* pairs whose slots are fetched together */

/*
 * A pair read but not yet put: loading puts pairs a batch at a time,
 * having asked for each one's index slot in advance, so that the
 * batch's cache misses overlap instead of following one another.
 */
struct pend {
	struct key	 k;
	size_t		 toff;	/* a string key: its offset in text */
	size_t		 voff;	/* a text value: its offset in text */
	size_t		 vlen;
	size_t		 row;
	uint8_t		 val[SL_UUID_LEN];
};

struct load {
	struct rs_reader	*r;
	struct pend		 pend[BATCH];
	size_t			 npend;
	size_t			 fsize;	/* bytes of a regular file, or 0 */
	struct sl_keymap	*m;
	bool			 set;
	struct sl_buf		 text;	/* the batch's string keys, text values */
	char			 val[SL_UUID_LEN];
};

/* The kind of map a new key column makes. */
static enum sl_keymap_kind
kind_of(const struct rs_col *c)
{
	if (c->cls == RS_INT)
		return SL_KEYMAP_INT;
	return strcasecmp(c->type, "uuid") == 0 ? SL_KEYMAP_UUID :
	    SL_KEYMAP_TEXT;
}

/* Checks a segment's columns against what a map (or a set) needs. */
static bool
load_header(struct load *ld, int *status)
{
	const struct rs_header *h = rs_header(ld->r);
	enum sl_keymap_kind kind;

	*status = EXIT_DATA;
	if (h->ncols < 1 || (!ld->set && h->ncols != 2)) {
		sl_err("%s: a %s has %s, \"%s\" has %zu", rs_name(ld->r),
		    ld->set ? "key list" : "map", ld->set ?
		    "at least one column" : "two columns (old key, new key)",
		    h->table, h->ncols);
		return false;
	}
	kind = ld->set ? SL_KEYMAP_SET : kind_of(&h->cols[1]);
	if (ld->m == NULL && ((ld->m = sl_keymap_new(kind)) == NULL ||
	    (!ld->set && (ld->m->type = strdup(h->cols[1].type)) == NULL))) {
		if (ld->m != NULL)
			sl_err("out of memory");
		*status = EXIT_IO;
		return false;
	}
	/*
	 * A row of a UUID map takes at least 40 bytes (array, key, str8
	 * head, 36 characters), so the file's size bounds its pairs, and
	 * for bigint keys closely: the index is made once, not regrown.
	 */
	if (kind == SL_KEYMAP_UUID && rs_segment(ld->r) == 1)
		sl_keymap_reserve(ld->m, ld->fsize / 40);
	if (ld->m->kind != kind) {
		sl_err("%s: segment %" PRIu64 " maps to %s (%s), the first to "
		    "%s", rs_name(ld->r), rs_segment(ld->r),
		    sl_keymap_kind_name(kind), h->cols[1].type,
		    sl_keymap_kind_name(ld->m->kind));
		return false;
	}
	return true;
}

/*
 * The new key of a map row, as the map stores it: in val, or for text
 * at the end of the batch's text (pd's voff, vlen). False when it is not
 * of the map's kind; *status EXIT_IO when memory ran out.
 */
static bool
load_value(struct load *ld, const msgpack_object *o, struct pend *pd,
    int *status)
{
	int64_t i;

	if (ld->m->kind == SL_KEYMAP_TEXT) {
		pd->voff = ld->text.len;
		if (!sl_fmt_text(&ld->text, o)) {
			*status = EXIT_IO;
			return false;
		}
		pd->vlen = ld->text.len - pd->voff;
		return true;
	}
	if (ld->m->kind == SL_KEYMAP_INT) {
		if (o->type == MSGPACK_OBJECT_POSITIVE_INTEGER &&
		    o->via.u64 > INT64_MAX)
			return false;
		i = o->via.i64;
		memcpy(ld->val, &i, sizeof(i));
		return true;
	}
	return o->type == MSGPACK_OBJECT_STR && sl_uuid_parse(o->via.str.ptr,
	    o->via.str.size, (uint8_t *)ld->val);
}

/* Whether a value in the map (old) is the value val, as put takes it. */
static bool
same_value(const struct sl_keymap *m, const void *old, const void *val)
{
	const struct sl_keymap_text *t = val;
	struct sl_keymap_text o;

	if (m->kind != SL_KEYMAP_TEXT)
		return memcmp(old, val, m->vsize) == 0;
	o = sl_keymap_text(m, old);
	return o.n == t->n && memcmp(o.p, t->p, t->n) == 0;
}

/* Puts the batch of pairs. */
static int
load_flush(struct load *ld)
{
	struct sl_keymap_text t;
	struct pend *pd;
	const void *old, *val;
	size_t i;
	int n;

	for (i = 0; i < ld->npend; i++) {
		pd = &ld->pend[i];
		if (pd->k.str)
			pd->k.p = ld->text.p + pd->toff;
		val = pd->val;
		if (ld->m->kind == SL_KEYMAP_TEXT) {
			t.p = ld->text.p + pd->voff;
			t.n = pd->vlen;
			val = &t;
		}
		if ((n = put(ld->m, &pd->k, val, &old)) < 0)
			return EXIT_IO;
		if (n == 0 && !same_value(ld->m, old, val)) {
			sl_err("%s: row %zu of \"%s\": a key the map already "
			    "gives another value", rs_name(ld->r), pd->row,
			    rs_header(ld->r)->table);
			return EXIT_DATA;
		}
	}
	ld->npend = 0;
	sl_buf_reset(&ld->text);
	return EXIT_OK;
}

static int
load_row(struct load *ld)
{
	const struct rs_row *row = rs_row(ld->r);
	const msgpack_object *k = &row->v[0];
	struct pend *pd = &ld->pend[ld->npend];
	int status = EXIT_DATA;
	size_t len;

	if (k->type == MSGPACK_OBJECT_NIL)
		return EXIT_OK;	/* e.g. a V2 row with no V1 past */
	if (!ld->set && row->v[1].type == MSGPACK_OBJECT_NIL) {
		sl_err("%s: row %" PRIu64 " of \"%s\": a NULL new key",
		    rs_name(ld->r), row->num, rs_header(ld->r)->table);
		return EXIT_DATA;
	}
	if (!ld->set && !load_value(ld, &row->v[1], pd, &status)) {
		if (status == EXIT_DATA)
			sl_err("%s: row %" PRIu64 " of \"%s\": the new key is "
			    "not %s", rs_name(ld->r), row->num,
			    rs_header(ld->r)->table, ld->m->kind ==
			    SL_KEYMAP_INT ? "an int8" : "a UUID");
		return status;
	}
	memcpy(pd->val, ld->val, sizeof(pd->val));
	pd->row = (size_t)row->num;
	if (k->type == MSGPACK_OBJECT_NEGATIVE_INTEGER ||
	    (k->type == MSGPACK_OBJECT_POSITIVE_INTEGER &&
	    k->via.u64 <= INT64_MAX)) {
		key_int(&pd->k, k->via.i64);
	} else {
		pd->toff = len = ld->text.len;
		if (!sl_fmt_text(&ld->text, k))
			return EXIT_IO;
		key_text(&pd->k, ld->text.p + len, ld->text.len - len);
	}
	__builtin_prefetch(&ld->m->slot[pd->k.h & (((size_t)1 <<
	    ld->m->bits) - 1)]);
	return ++ld->npend == BATCH ? load_flush(ld) : EXIT_OK;
}

struct sl_keymap *
sl_keymap_load(const char *path, bool set, int *status)
{
	struct load ld = { .set = set };
	enum rs_event ev;
	struct stat st;

	*status = EXIT_IO;
	if (strcmp(path, "-") != 0 && stat(path, &st) == 0 &&
	    S_ISREG(st.st_mode))
		ld.fsize = (size_t)st.st_size;
	if ((ld.r = rs_open(path)) == NULL)
		return NULL;
	while ((ev = rs_next(ld.r)) != RS_EOF) {
		if (ev == RS_ERROR) {
			*status = rs_status(ld.r);
			break;
		}
		if (ev == RS_HEADER && !load_header(&ld, status))
			break;
		if (ev == RS_ROW && (*status = load_row(&ld)) != EXIT_OK)
			break;
		if (ev == RS_TRAILER && (*status = load_flush(&ld)) != EXIT_OK)
			break;
	}
	rs_close(ld.r);
	sl_buf_free(&ld.text);
	if (ev != RS_EOF) {
		sl_keymap_free(ld.m);
		return NULL;
	}
	/* no segment: an empty map, of no type */
	*status = EXIT_IO;
	if (ld.m == NULL && (ld.m = sl_keymap_new(set ? SL_KEYMAP_SET :
	    SL_KEYMAP_INT)) == NULL)
		return NULL;
	*status = EXIT_OK;
	return ld.m;
}
