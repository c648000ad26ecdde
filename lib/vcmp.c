/*
 * vcmp.c: verify's tables, rows and differences (vcmp.h). A row's
 * values are found as byte spans of its canonical MessagePack, so that
 * keys are hashed and columns compared without unpacking.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <msgpack.h>
#include <xxhash.h>

#include "exitcodes.h"
#include "vcmp.h"

const char *const vcmp_kindname[3] = { "missing", "extra", "changed" };

bool
vcmp_fail(struct vcmp *v, int status, const char *fmt, ...)
{
	va_list ap;

	if (fmt != NULL) {
		va_start(ap, fmt);
		sl_verr(fmt, ap);
		va_end(ap);
	}
	if (v->status == EXIT_OK)
		v->status = status;
	return false;
}

static bool
nomem(struct vcmp *v)
{
	return vcmp_fail(v, EXIT_IO, "out of memory");
}

void
vcmp_init(struct vcmp *v)
{
	memset(v, 0, sizeof(*v));
	v->maxdiffs = 20;
	v->ixside = VTGT;
}

bool
vcmp_offs_fit(struct vcmp *v, size_t ncols)
{
	uint32_t *p;

	if (ncols + 1 <= v->offcap)
		return true;
	if ((p = realloc(v->poff, (ncols + 1) * sizeof(*p))) == NULL)
		return nomem(v);
	v->poff = p;
	if ((p = realloc(v->soff, (ncols + 1) * sizeof(*p))) == NULL)
		return nomem(v);
	v->soff = p;
	if ((p = realloc(v->doff, (ncols + 1) * sizeof(*p))) == NULL)
		return nomem(v);
	v->doff = p;
	v->offcap = ncols + 1;
	return true;
}

/*
 * The length of the canonical MessagePack scalar at p, or 0 when it is
 * not one or does not fit in n bytes.
 */
static size_t
scalar_len(const unsigned char *p, size_t n)
{
	size_t h, len, i;

	if (n == 0)
		return 0;
	if (p[0] <= 0x7f || p[0] >= 0xe0 || (p[0] >= 0xc0 && p[0] <= 0xc3))
		return 1;
	if ((p[0] & 0xe0) == 0xa0) {
		h = 1;
		len = p[0] & 0x1f;
	} else {
		switch (p[0]) {
		case 0xcc: case 0xd0: return n >= 2 ? 2 : 0;
		case 0xcd: case 0xd1: return n >= 3 ? 3 : 0;
		case 0xce: case 0xd2: return n >= 5 ? 5 : 0;
		case 0xcf: case 0xd3: case 0xcb: return n >= 9 ? 9 : 0;
		case 0xca: return n >= 5 ? 5 : 0;
		case 0xd9: case 0xc4: h = 2; break;
		case 0xda: case 0xc5: h = 3; break;
		case 0xdb: case 0xc6: h = 5; break;
		default: return 0;
		}
		if (n < h)
			return 0;
		for (len = 0, i = 1; i < h; i++)
			len = len << 8 | p[i];
	}
	return n >= h && n - h >= len ? h + len : 0;
}

bool
vcmp_row_spans(const char *raw, size_t len, size_t ncols, uint32_t *off)
{
	const unsigned char *p = (const unsigned char *)raw;
	size_t i, at, k;

	if (len == 0)
		return false;
	if ((p[0] & 0xf0) == 0x90)
		at = 1;
	else if (p[0] == 0xdc)
		at = 3;
	else if (p[0] == 0xdd)
		at = 5;
	else
		return false;
	for (i = 0; i < ncols; i++) {
		off[i] = (uint32_t)at;
		if ((k = scalar_len(p + at, len - at)) == 0)
			return false;
		at += k;
	}
	off[ncols] = (uint32_t)at;
	return at == len;
}

/* The columns cols' canonical bytes, one after another, into b. */
static bool
cols_bytes(struct sl_buf *b, const size_t *cols, size_t n,
    const struct vrow *r)
{
	size_t j, k;

	sl_buf_reset(b);
	for (j = 0; j < n; j++) {
		k = cols[j];
		if (!sl_buf_add(b, r->raw + r->off[k], r->off[k + 1] -
		    r->off[k]))
			return false;
	}
	return true;
}

bool
vcmp_key_hash(struct vcmp *v, const struct vtab *t, const struct vrow *r,
    uint64_t *kh)
{
	if (!cols_bytes(&v->kbuf, t->kcol, t->nkeys, r))
		return nomem(v);
	*kh = XXH3_64bits(v->kbuf.p, v->kbuf.len);
	return true;
}

static char *
memdup(const char *p, size_t n)
{
	char *s = malloc(n + 1);

	if (s != NULL) {
		memcpy(s, p, n);
		s[n] = '\0';
	}
	return s;
}

/*
 * Keeps a differing key (in v->kbuf) of row r, up to maxdiffs of each
 * kind a table; *dp is NULL when the kind has its fill.
 */
static bool
keep(struct vcmp *v, struct vtab *t, enum vkind k, uint64_t khash,
    const struct vrow *r, struct vdiff **dp)
{
	struct vdiff *d;

	*dp = NULL;
	t->n[k]++;
	if (t->nd[k] >= v->maxdiffs)
		return true;
	if ((d = realloc(t->d, (t->ndiff + 1) * sizeof(*t->d))) == NULL)
		return nomem(v);
	t->d = d;
	d = &t->d[t->ndiff];
	memset(d, 0, sizeof(*d));
	d->kind = k;
	d->khash = khash;
	d->keylen = v->kbuf.len;
	if ((d->key = memdup(v->kbuf.p, v->kbuf.len)) == NULL)
		return nomem(v);
	if (t->nolds > 0) {
		if (!cols_bytes(&v->txt, t->ocol, t->nolds, r) ||
		    (d->old = memdup(v->txt.p, v->txt.len)) == NULL)
			return nomem(v);
		d->oldlen = v->txt.len;
	}
	t->nd[k]++;
	t->ndiff++;
	*dp = d;
	return true;
}

/* Names the columns in which two rows of t differ, into d->cols. */
static bool
diff_cols(struct vcmp *v, const struct vtab *t, const struct vrow *a,
    struct vdiff *d)
{
	const uint32_t *o = v->doff;
	size_t i;

	sl_buf_reset(&v->txt);
	if (!vcmp_row_spans(d->row, d->rowlen, t->h->ncols, v->doff))
		return (d->cols = memdup("?", 1)) != NULL || nomem(v);
	for (i = 0; i < t->h->ncols; i++) {
		if (a->off[i + 1] - a->off[i] == o[i + 1] - o[i] &&
		    memcmp(a->raw + a->off[i], d->row + o[i], o[i + 1] - o[i]) ==
		    0)
			continue;
		if ((v->txt.len > 0 && !sl_buf_adds(&v->txt, ",")) ||
		    !sl_buf_adds(&v->txt, t->h->cols[i].name))
			return nomem(v);
	}
	return (d->cols = memdup(v->txt.p, v->txt.len)) != NULL || nomem(v);
}

/* Is there an unused rejected row with this key? Uses it up. */
static bool
rejected_key(struct vtab *t, uint64_t kh, uint64_t rh)
{
	size_t i, at;

	for (i = 0; i < t->nrej; i++)
		if (kidx_match(t->rej[i], kh, rh, &at) != KIDX_NONE)
			return true;
	return false;
}

/* A row of the streamed side, against the index of the other. */
static bool
stream_row(struct vcmp *v, struct vtab *t, enum vside s, const struct vrow *r)
{
	struct vdiff *d;
	uint64_t kh = 0;
	size_t at;

	if (!vcmp_key_hash(v, t, r, &kh))
		return false;
	switch (kidx_match(t->ix, kh, r->hash, &at)) {
	case KIDX_SAME:
		return true;
	case KIDX_CHANGED:
		if (!keep(v, t, VCHANGED, kh, r, &d))
			return false;
		if (d != NULL) {
			d->partner = kidx_row(t->ix, at);
			if ((d->row = memdup(r->raw, r->len)) == NULL)
				return nomem(v);
			d->rowlen = r->len;
		}
		return true;
	case KIDX_NONE:
		if (s == VSRC && rejected_key(t, kh, r->hash))
			return true;
		return keep(v, t, s == VSRC ? VMISSING : VEXTRA, kh, r, &d);
	}
	return true;
}

/* A row of the index side read again, to name what the index holds. */
static bool
rescan_row(struct vcmp *v, struct vtab *t, const struct vrow *r)
{
	enum vkind k = v->ixside == VSRC ? VMISSING : VEXTRA;
	struct vdiff *d;
	uint64_t kh = 0;
	size_t i;

	if (!vcmp_key_hash(v, t, r, &kh))
		return false;
	for (i = 0; i < t->ndiff; i++)
		if (t->d[i].kind == VCHANGED && t->d[i].cols == NULL &&
		    t->d[i].khash == kh && t->d[i].partner == r->hash &&
		    !diff_cols(v, t, r, &t->d[i]))
			return false;
	if ((i = kidx_find(t->ix, kh, r->hash, KIDX_FREE)) == SIZE_MAX)
		return true;
	kidx_set(t->ix, i, KIDX_DONE);
	t->n[k]--;	/* keep() counts it again */
	return keep(v, t, k, kh, r, &d);
}

bool
vcmp_row(struct vcmp *v, struct vtab *t, enum vside s, const struct vrow *r)
{
	uint64_t kh = 0;

	if (v->phase == VPH_RESCAN)
		return t->nkeys == 0 || rescan_row(v, t, r);
	t->rows[s]++;
	t->hash[s] += r->hash;
	if (v->pg != NULL)
		sl_progress_update(v->pg, ++v->seen, 0);
	if (t->nkeys == 0)
		return true;
	if (v->phase == VPH_STREAM)
		return stream_row(v, t, s, r);
	if (!vcmp_key_hash(v, t, r, &kh))
		return false;
	return kidx_add(t->ix, kh, r->hash) || vcmp_fail(v, EXIT_IO, NULL);
}

bool
vcmp_projection(struct vcmp *v, const struct vtab *t,
    const struct rs_header *o, const char *what, long *map, bool *moved)
{
	size_t i;

	*moved = o->ncols != t->h->ncols;
	for (i = 0; i < t->h->ncols; i++) {
		map[i] = rs_header_find(o, t->h->cols[i].name);
		if (map[i] < 0)
			return vcmp_fail(v, EXIT_DATA, "%s: table \"%s\" has "
			    "no column \"%s\"", what, o->table,
			    t->h->cols[i].name);
		if (o->cols[map[i]].cls != t->h->cols[i].cls)
			return vcmp_fail(v, EXIT_DATA, "%s: column \"%s\" is "
			    "%s, not %s", what, t->h->cols[i].name,
			    o->cols[map[i]].type, t->h->cols[i].type);
		if ((size_t)map[i] != i)
			*moved = true;
	}
	return true;
}

bool
vcmp_project(struct vcmp *v, const struct vtab *t, const struct rs_row *in,
    const long *map, bool moved, struct vrow *out)
{
	size_t i, n = t->h->ncols, a, b;
	msgpack_packer pk;

	if (!moved) {
		out->raw = in->raw;
		out->len = in->len;
		out->off = in->off;
		out->hash = in->hash;
		return true;
	}
	sl_buf_reset(&v->prow);
	msgpack_packer_init(&pk, &v->prow, rs_buf_write);
	if (msgpack_pack_array(&pk, n) != 0)
		return nomem(v);
	for (i = 0; i < n; i++) {
		a = in->off[map[i]];
		b = in->off[map[i] + 1];
		v->poff[i] = (uint32_t)v->prow.len;
		if (!sl_buf_add(&v->prow, in->raw + a, b - a))
			return nomem(v);
	}
	v->poff[n] = (uint32_t)v->prow.len;
	out->raw = v->prow.p;
	out->len = v->prow.len;
	out->off = v->poff;
	out->hash = XXH3_64bits(v->prow.p, v->prow.len);
	return true;
}

void
vcmp_settle(struct vcmp *v, struct vtab *t)
{
	size_t i, n = kidx_len(t->ix);

	for (i = 0; i < n; i++) {
		if (kidx_state(t->ix, i) != KIDX_FREE)
			continue;
		if (v->ixside == VSRC && rejected_key(t, kidx_key(t->ix, i),
		    kidx_row(t->ix, i)))
			kidx_set(t->ix, i, KIDX_DONE);
		else
			t->n[v->ixside == VSRC ? VMISSING : VEXTRA]++;
	}
}

bool
vcmp_rescan_needed(const struct vcmp *v, const struct vtab *t)
{
	enum vkind k = v->ixside == VSRC ? VMISSING : VEXTRA;
	size_t i;

	if (t->n[k] > t->nd[k] && t->nd[k] < v->maxdiffs)
		return true;
	for (i = 0; i < t->ndiff; i++)
		if (t->d[i].kind == VCHANGED && t->d[i].cols == NULL)
			return true;
	return false;
}

static int
reason_cmp(const void *a, const void *b)
{
	const struct vreason *x = a, *y = b;

	if (x->rows != y->rows)
		return x->rows > y->rows ? -1 : 1;
	return strcmp(x->text, y->text);
}

/* Without a key, what is missing or extra is what the counts say. */
void
vcmp_finish(struct vcmp *v, struct vtab *t)
{
	uint64_t want = t->rows[VSRC] - t->rej_rows;

	(void)v;
	qsort(t->reason, t->nreason, sizeof(*t->reason), reason_cmp);
	if (t->nkeys > 0)
		return;
	if (t->rej_rows > t->rows[VSRC])
		want = 0;
	if (want > t->rows[VTGT])
		t->n[VMISSING] = want - t->rows[VTGT];
	else
		t->n[VEXTRA] = t->rows[VTGT] - want;
}

bool
vcmp_hash_eq(const struct vtab *t)
{
	return t->hash[VSRC] - t->rej_hash == t->hash[VTGT];
}

bool
vcmp_tab_ok(const struct vtab *t)
{
	return t->n[VMISSING] == 0 && t->n[VEXTRA] == 0 &&
	    t->n[VCHANGED] == 0 && t->rows[VSRC] == t->rows[VTGT] +
	    t->rej_rows && vcmp_hash_eq(t);
}

double
vcmp_coverage(uint64_t src, uint64_t missing)
{
	if (src == 0)
		return 100.0;
	return 100.0 * (double)(src - (missing > src ? src : missing)) /
	    (double)src;
}
