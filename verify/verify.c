/*
 * verify: proves that every row arrived, with counts and hashes, and
 * names the ones that did not.
 *
 *	verify [-d CONNINFO] [-t TABLE] [options] < STREAM
 *	verify [-t TABLE] [options] A B
 *
 * The source side is the stream on stdin (or A); the target side is the
 * table as it is now, read through COPY with the stream's columns cast
 * to the stream's types and decoded as extract decodes them (or B). Both
 * sides are reduced to row counts and sums of row hashes (docs/design.md), so
 * the comparison is a multiset one and takes constant memory.
 *
 * With --key one side is held in a key index (lib/kidx.h, hashes only)
 * and the other streamed past it: the table in table mode, as it can be
 * read again in the same snapshot to name keys the index holds only as
 * hashes; B in file mode unless B is stdin. Rows rejected by an earlier
 * stage (--rejects) are subtracted from the source side; rows rejected
 * before the stream (a rejects file of other columns or types) were
 * never in it, and count as source rows rejected.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <libpq-fe.h>
#include <xxhash.h>

#include "exitcodes.h"
#include "kidx.h"
#include "pgx.h"
#include "prog.h"
#include "progress.h"
#include "rowstream.h"
#include "value.h"

#define MAXREASONS	10	/* distinct rejection reasons kept a table */

static const char usage_text[] =
    "usage: verify [-d CONNINFO] [-t TABLE] [-k [TABLE=]COL[,COL]]... "
    "[-m N]\n"
    "              [-r FILE]... [--ignore COL]... [-jq]\n"
    "              [--progress] [A B]\n";

enum side { SRC, TGT };
enum kind { MISSING, EXTRA, CHANGED };
static const char *const kindname[] = { "missing", "extra", "changed" };

/* One row in the column order of its table's reference header. */
struct vrow {
	const char	*raw;
	size_t		 len;
	const uint32_t	*off;
	uint64_t	 hash;
};

/* A key that differs; for CHANGED, the streamed row until the rescan. */
struct diff {
	enum kind	 kind;
	uint64_t	 khash;
	uint64_t	 partner;	/* CHANGED: the index side's row hash */
	char		*key;		/* the key values' canonical bytes */
	size_t		 keylen;
	char		*row;		/* CHANGED: the streamed row */
	size_t		 rowlen;
	char		*cols;		/* CHANGED: differing columns, or NULL */
};

struct reason {
	char		*text;
	uint64_t	 rows;
};

/* One table's --key columns, or (table NULL) every other table's. */
struct keyspec {
	char		*table;
	char		**cols;
	size_t		 ncols;
	bool		 used;
};

struct tab {
	char		*name;
	struct rs_header *h;		/* reference columns */
	char		**keys;		/* its key columns' names, or none */
	size_t		 nkeys;
	size_t		*kcol;		/* key columns in h */
	uint64_t	 rows[2], hash[2];
	uint64_t	 rej_rows, rej_hash, rej_other;
	uint64_t	 n[3];		/* missing, extra, changed */
	size_t		 nd[3];		/* diffs kept of each kind */
	struct diff	*d;
	size_t		 ndiff;
	struct kidx	*ix;
	struct kidx	**rej;		/* rejected rows, for --key */
	size_t		 nrej;
	char		**rejnames;	/* stream table names loaded */
	size_t		 nrejnames;
	struct reason	 reason[MAXREASONS];
	size_t		 nreason;
	bool		 scanned;	/* the table's index is built */
};

static enum { PH_INDEX, PH_STREAM, PH_RESCAN } phase;
static const char *conninfo;
static const char *table;
static struct keyspec *keyspecs;
static size_t nkeyspecs;
static uint64_t maxdiffs = 20;
static const char **rejfiles;
static size_t nrejfiles;
static bool json, dbmode, quiet, progress;
static enum side ixside = TGT;	/* the side in the key index */
static const char *path[2];
static PGconn *conn;
static struct tab **tabs;
static size_t ntabs;
static struct sl_progress pg;
static uint64_t seen;
static struct sl_buf prow, kbuf, sql, txt, mem;
static uint32_t *poff, *soff, *doff;
static size_t offcap;

/* Offset arrays, big enough for any header seen. */
static void
offs_fit(size_t ncols)
{
	if (ncols + 1 <= offcap)
		return;
	offcap = ncols + 1;
	poff = erealloc(poff, offcap * sizeof(*poff));
	soff = erealloc(soff, offcap * sizeof(*soff));
	doff = erealloc(doff, offcap * sizeof(*doff));
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

/* Finds the byte spans of a row's ncols values; false if malformed. */
static bool
row_spans(const char *raw, size_t len, size_t ncols, uint32_t *off)
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

/* The key columns' canonical bytes, one after another, into kbuf. */
static uint64_t
key_hash(const struct tab *t, const struct vrow *r)
{
	size_t j, k;

	sl_buf_reset(&kbuf);
	for (j = 0; j < t->nkeys; j++) {
		k = t->kcol[j];
		if (!sl_buf_add(&kbuf, r->raw + r->off[k], r->off[k + 1] -
		    r->off[k]))
			die(EXIT_IO, "out of memory");
	}
	return XXH3_64bits(kbuf.p, kbuf.len);
}

static char *
memdup(const char *p, size_t n)
{
	char *s = emalloc(n + 1);

	memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

/* Keeps a differing key, up to --max-diffs of each kind a table. */
static struct diff *
keep(struct tab *t, enum kind k, uint64_t khash)
{
	struct diff *d;

	t->n[k]++;
	if (t->nd[k] >= maxdiffs)
		return NULL;
	t->nd[k]++;
	t->d = erealloc(t->d, (t->ndiff + 1) * sizeof(*t->d));
	d = &t->d[t->ndiff++];
	memset(d, 0, sizeof(*d));
	d->kind = k;
	d->khash = khash;
	d->key = memdup(kbuf.p, kbuf.len);
	d->keylen = kbuf.len;
	return d;
}

/* Names the columns in which two rows of t differ. */
static char *
diff_cols(const struct tab *t, const struct vrow *a, const struct diff *d)
{
	size_t i;

	sl_buf_reset(&txt);
	if (!row_spans(d->row, d->rowlen, t->h->ncols, doff))
		return estrdup("?");
	for (i = 0; i < t->h->ncols; i++) {
		if (a->off[i + 1] - a->off[i] == doff[i + 1] - doff[i] &&
		    memcmp(a->raw + a->off[i], d->row + doff[i], doff[i + 1] -
		    doff[i]) == 0)
			continue;
		if ((txt.len > 0 && !sl_buf_adds(&txt, ",")) ||
		    !sl_buf_adds(&txt, t->h->cols[i].name))
			die(EXIT_IO, "out of memory");
	}
	return memdup(txt.p, txt.len);
}

/* Is there an unused rejected row with this key? Uses it up. */
static bool
rejected_key(struct tab *t, uint64_t kh, uint64_t rh)
{
	size_t i, at;

	for (i = 0; i < t->nrej; i++)
		if (kidx_match(t->rej[i], kh, rh, &at) != KIDX_NONE)
			return true;
	return false;
}

/* A row of the streamed side, against the index of the other. */
static void
stream_row(struct tab *t, enum side s, const struct vrow *r)
{
	uint64_t kh = key_hash(t, r);
	struct diff *d;
	size_t at;

	switch (kidx_match(t->ix, kh, r->hash, &at)) {
	case KIDX_SAME:
		return;
	case KIDX_CHANGED:
		if ((d = keep(t, CHANGED, kh)) != NULL) {
			d->partner = kidx_row(t->ix, at);
			d->row = memdup(r->raw, r->len);
			d->rowlen = r->len;
		}
		return;
	case KIDX_NONE:
		if (s == SRC && rejected_key(t, kh, r->hash))
			return;
		keep(t, s == SRC ? MISSING : EXTRA, kh);
		return;
	}
}

/* A row of the index side read again, to name what the index holds. */
static void
rescan_row(struct tab *t, const struct vrow *r)
{
	uint64_t kh = key_hash(t, r);
	size_t i;

	for (i = 0; i < t->ndiff; i++)
		if (t->d[i].kind == CHANGED && t->d[i].cols == NULL &&
		    t->d[i].khash == kh && t->d[i].partner == r->hash)
			t->d[i].cols = diff_cols(t, r, &t->d[i]);
	if ((i = kidx_find(t->ix, kh, r->hash, KIDX_FREE)) == SIZE_MAX)
		return;
	kidx_set(t->ix, i, KIDX_DONE);
	t->n[ixside == SRC ? MISSING : EXTRA]--;	/* keep() counts again */
	keep(t, ixside == SRC ? MISSING : EXTRA, kh);
}

/* Every row of either side, in every phase, comes here. */
static void
on_row(struct tab *t, enum side s, const struct vrow *r)
{
	if (phase == PH_RESCAN) {
		if (t->nkeys > 0)
			rescan_row(t, r);
		return;
	}
	t->rows[s]++;
	t->hash[s] += r->hash;
	sl_progress_update(&pg, ++seen, 0);
	if (t->nkeys == 0)
		return;
	if (phase == PH_INDEX) {
		if (!kidx_add(t->ix, key_hash(t, r), r->hash))
			exit(EXIT_IO);
	} else {
		stream_row(t, s, r);
	}
}

/*
 * How the columns of header o map onto t's reference columns (by name,
 * extra columns such as a rejects file's "_error" left out). Returns
 * false when they are in the same order, so rows can be used as read.
 */
static bool
projection(const struct tab *t, const struct rs_header *o, const char *what,
    long *map)
{
	bool moved = o->ncols != t->h->ncols;
	size_t i;

	for (i = 0; i < t->h->ncols; i++) {
		map[i] = rs_header_find(o, t->h->cols[i].name);
		if (map[i] < 0)
			die(EXIT_DATA, "%s: table \"%s\" has no column \"%s\"",
			    what, o->table, t->h->cols[i].name);
		if (o->cols[map[i]].cls != t->h->cols[i].cls)
			die(EXIT_DATA, "%s: column \"%s\" is %s, not %s", what,
			    t->h->cols[i].name, o->cols[map[i]].type,
			    t->h->cols[i].type);
		if ((size_t)map[i] != i)
			moved = true;
	}
	return moved;
}

/* A row read from a stream, in t's column order. */
static void
project(const struct tab *t, const struct rs_row *in, const long *map,
    bool moved, struct vrow *out)
{
	size_t i, n = t->h->ncols, a, b;
	msgpack_packer pk;

	if (!moved) {
		out->raw = in->raw;
		out->len = in->len;
		out->off = in->off;
		out->hash = in->hash;
		return;
	}
	sl_buf_reset(&prow);
	msgpack_packer_init(&pk, &prow, rs_buf_write);
	if (msgpack_pack_array(&pk, n) != 0)
		die(EXIT_IO, "out of memory");
	for (i = 0; i < n; i++) {
		a = in->off[map[i]];
		b = in->off[map[i] + 1];
		poff[i] = (uint32_t)prow.len;
		if (!sl_buf_add(&prow, in->raw + a, b - a))
			die(EXIT_IO, "out of memory");
	}
	poff[n] = (uint32_t)prow.len;
	out->raw = prow.p;
	out->len = prow.len;
	out->off = poff;
	out->hash = XXH3_64bits(prow.p, prow.len);
}

/* --ignore: columns compared on neither side (a re-run makes them anew) */
static char **ignored;
static size_t nignored;

static bool
is_ignored(const char *name)
{
	return sl_list_has(ignored, nignored, name);
}

/* The columns of h that are compared: h without the --ignore ones. */
static size_t
compared(const struct rs_header *h)
{
	size_t i, n = 0;

	for (i = 0; i < h->ncols; i++)
		n += !is_ignored(h->cols[i].name);
	return n;
}

/*
 * A table's header: the first segment's without the --ignore columns,
 * which projection() then leaves out of every row, and copy_sql() out
 * of the COPY.
 */
static struct rs_header *
compared_header(const struct rs_header *h)
{
	struct rs_header *c;
	const char **key;
	size_t i, k = 0, nk = 0;

	if (nignored == 0)
		return rs_header_dup(h);
	if ((c = rs_header_new(h->table, compared(h))) == NULL ||
	    (h->source != NULL && !rs_header_setsource(c, h->source)))
		return NULL;
	for (i = 0; i < h->ncols; i++)
		if (!is_ignored(h->cols[i].name) && !rs_header_setcol(c, k++,
		    h->cols[i].name, h->cols[i].type))
			return NULL;
	key = ecalloc(h->nkey + 1, sizeof(*key));
	for (i = 0; i < h->nkey; i++)
		if (!is_ignored(h->key[i]))
			key[nk++] = h->key[i];
	if (!rs_header_setkey(c, nk, key))
		c = NULL;
	free(key);
	return c;
}

static struct tab *
tab_find(const char *name)
{
	size_t i;

	for (i = 0; i < ntabs; i++)
		if (strcmp(tabs[i]->name, name) == 0)
			return tabs[i];
	return NULL;
}

/*
 * The --key of a table compared as name, its segments named h->table:
 * its own (by either name), else the one for every table, else none.
 */
static struct keyspec *
keyspec_for(const char *name, const struct rs_header *h)
{
	struct keyspec *all = NULL;
	size_t i;

	for (i = 0; i < nkeyspecs; i++) {
		if (keyspecs[i].table == NULL)
			all = &keyspecs[i];
		else if (strcmp(keyspecs[i].table, name) == 0 ||
		    strcmp(keyspecs[i].table, h->table) == 0)
			return &keyspecs[i];
	}
	return all;
}

static struct tab *
tab_new(const char *name, const struct rs_header *h)
{
	struct tab *t = ecalloc(1, sizeof(*t));
	struct keyspec *ks = keyspec_for(name, h);
	size_t j;
	long k;

	t->name = estrdup(name);
	if ((t->h = compared_header(h)) == NULL)
		exit(EXIT_IO);
	offs_fit(h->ncols);
	if (ks != NULL) {
		ks->used = true;
		t->keys = ks->cols;
		t->nkeys = ks->ncols;
	}
	t->kcol = ecalloc(t->nkeys + 1, sizeof(*t->kcol));
	for (j = 0; j < t->nkeys; j++) {
		if (is_ignored(t->keys[j]))
			usage_error(usage_text, "--key %s is --ignore'd: a key "
			    "column is always compared", t->keys[j]);
		if ((k = rs_header_find(t->h, t->keys[j])) < 0)
			usage_error(usage_text, "--key: table \"%s\" has no "
			    "column \"%s\"", h->table, t->keys[j]);
		t->kcol[j] = (size_t)k;
	}
	if (t->nkeys > 0 && (t->ix = kidx_new()) == NULL)
		exit(EXIT_IO);
	tabs = erealloc(tabs, (ntabs + 1) * sizeof(*tabs));
	tabs[ntabs++] = t;
	return t;
}

/*
 * A reason without the values it names, so that rows rejected for the
 * same cause count together: "Key (email)=(a@x) already exists" and
 * "orphan: student_id=12" become "Key (email)=(...) already exists" and
 * "orphan: student_id=...".
 */
static void
reason_shape(struct sl_buf *b, const char *p, size_t n)
{
	size_t i = 0, depth;
	bool okay = true;

	sl_buf_reset(b);
	while (i < n && okay) {
		okay = sl_buf_addc(b, p[i]);
		if (p[i++] != '=' || i == n)
			continue;
		if (p[i] == '(') {
			for (depth = 0; i < n; i++)
				if (p[i] == '(')
					depth++;
				else if (p[i] == ')' && --depth == 0)
					break;
			i++;
			okay = sl_buf_adds(b, "(...)");
		} else if (p[i] != ' ') {
			while (i < n && p[i] != ' ' && p[i] != ',' && p[i] != ')')
				i++;
			okay = sl_buf_adds(b, "...");
		}
	}
	if (!okay || !sl_buf_cstr(b))
		die(EXIT_IO, "out of memory");
}

static void
tally_reason(struct tab *t, const msgpack_object *o)
{
	size_t i;

	if (o == NULL || o->type != MSGPACK_OBJECT_STR) {
		t->rej_other++;
		return;
	}
	reason_shape(&txt, o->via.str.ptr, o->via.str.size);
	for (i = 0; i < t->nreason; i++)
		if (strcmp(t->reason[i].text, txt.p) == 0) {
			t->reason[i].rows++;
			return;
		}
	if (t->nreason == MAXREASONS) {
		t->rej_other++;
		return;
	}
	t->reason[t->nreason].text = estrdup(txt.p);
	t->reason[t->nreason++].rows = 1;
}

static int
reason_cmp(const void *a, const void *b)
{
	const struct reason *x = a, *y = b;

	if (x->rows != y->rows)
		return x->rows > y->rows ? -1 : 1;
	return strcmp(x->text, y->text);
}

/*
 * Whether a rejects segment holds rows of the stream verified: the
 * stream's columns by name and type, and perhaps "_error", as load
 * writes them. Any other (remap's, with the int key the stream has as a
 * uuid) holds rows rejected before the stream, which it never had.
 */
static bool
in_stream(const struct tab *t, const struct rs_header *o)
{
	size_t i;
	long k;

	if (compared(o) != t->h->ncols + (rs_header_find(o, "_error") >= 0))
		return false;
	for (i = 0; i < t->h->ncols; i++)
		if ((k = rs_header_find(o, t->h->cols[i].name)) < 0 ||
		    strcasecmp(o->cols[k].type, t->h->cols[i].type) != 0)
			return false;
	return true;
}

/*
 * Reads the segments of table name in one rejects file into t. A row of
 * the stream is subtracted from the source side (and, with --key, kept
 * to account for its key); a row rejected before the stream is added to
 * the source rows and to the rejected, so that source = target +
 * rejected counts it too.
 */
static void
load_rejects(struct tab *t, const char *file, const char *name,
    struct kidx *ix)
{
	struct rs_reader *r;
	enum rs_event ev;
	struct vrow v;
	long *map = ecalloc(t->h->ncols + 1, sizeof(*map)), e = -1;
	bool moved = false, mine = false, ours = false;
	struct stat st;

	/* a stage that rejected nothing leaves a rejects file of no segments */
	if (stat(file, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 0) {
		free(map);
		return;
	}
	if ((r = rs_open(file)) == NULL)
		exit(EXIT_IO);
	while ((ev = rs_next(r)) != RS_EOF) {
		if (ev == RS_ERROR)
			exit(rs_status(r));
		if (ev == RS_HEADER) {
			mine = strcmp(rs_header(r)->table, name) == 0;
			if (mine && (ours = in_stream(t, rs_header(r))))
				moved = projection(t, rs_header(r), file, map);
			if (mine)
				e = rs_header_find(rs_header(r), "_error");
		} else if (ev == RS_ROW && mine) {
			t->rej_rows++;
			tally_reason(t, e < 0 ? NULL : &rs_row(r)->v[e]);
			if (!ours) {
				t->rows[SRC]++;
				continue;
			}
			project(t, rs_row(r), map, moved, &v);
			t->rej_hash += v.hash;
			if (ix != NULL && !kidx_add(ix, key_hash(t, &v), v.hash))
				exit(EXIT_IO);
		}
	}
	rs_close(r);
	free(map);
}

/* The rejects of a source segment named name, once per name. */
static void
rejects_for(struct tab *t, const char *name)
{
	struct kidx *ix = NULL;
	size_t i;

	for (i = 0; i < t->nrejnames; i++)
		if (strcmp(t->rejnames[i], name) == 0)
			return;
	t->rejnames = erealloc(t->rejnames, (t->nrejnames + 1) *
	    sizeof(*t->rejnames));
	t->rejnames[t->nrejnames++] = estrdup(name);
	if (nrejfiles == 0)
		return;
	if (t->nkeys > 0 && (ix = kidx_new()) == NULL)
		exit(EXIT_IO);
	for (i = 0; i < nrejfiles; i++)
		load_rejects(t, rejfiles[i], name, ix);
	if (ix != NULL && !kidx_seal(ix))
		exit(EXIT_IO);
	if (ix != NULL) {
		t->rej = erealloc(t->rej, (t->nrej + 1) * sizeof(*t->rej));
		t->rej[t->nrej++] = ix;
	}
}

/* COPY (SELECT "col"::type, ... FROM table) TO STDOUT */
static void
copy_sql(const struct tab *t)
{
	const char *type;
	size_t i;

	sl_buf_reset(&sql);
	if (!sl_buf_adds(&sql, "COPY (SELECT "))
		die(EXIT_IO, "out of memory");
	for (i = 0; i < t->h->ncols; i++) {
		/* the header's type, found in the catalogue, never pasted */
		sl_err_quiet(true);
		type = pgx_type_sql(conn, t->h->cols[i].type);
		sl_err_quiet(false);
		if (type == NULL)
			die(EXIT_DB, "%s: column \"%s\": %s", t->name,
			    t->h->cols[i].name, sl_lasterr());
		if ((i > 0 && !sl_buf_adds(&sql, ", ")) ||
		    !pgx_quote_ident(conn, &sql, t->h->cols[i].name) ||
		    !sl_buf_printf(&sql, "::%s", type))
			exit(EXIT_USAGE);	/* a name too long, or no memory */
	}
	if (!sl_buf_adds(&sql, " FROM ") || !pgx_quote_name(conn, &sql,
	    t->name) || !sl_buf_adds(&sql, ") TO STDOUT") || !sl_buf_cstr(&sql))
		exit(EXIT_USAGE);
}

/* Decodes one COPY line into mem as the row extract would write. */
static void
db_row(struct tab *t, struct pgx_decoder *dec, struct rs_writer *w,
    const char *line, size_t n, uint64_t num)
{
	uint64_t before = rs_whash(w);
	struct vrow v;

	sl_buf_reset(&mem);
	if (!rs_row_begin(w) || !pgx_decode_row(dec, line, n, num, w) ||
	    !rs_row_end(w) || !rs_wflush(w))
		die(EXIT_DB, "%s: row %" PRIu64 " does not decode as the "
		    "stream's types", t->name, num);
	v.raw = mem.p;
	v.len = mem.len;
	v.hash = rs_whash(w) - before;
	v.off = soff;
	if (t->nkeys > 0 && !row_spans(v.raw, v.len, t->h->ncols, soff))
		die(EXIT_IO, "internal error: a row the writer wrote does "
		    "not parse");
	on_row(t, TGT, &v);
}

/*
 * A COPY of a target table under way. Without --key the first table's
 * COPY runs while the stream is read, its rows taken whenever they have
 * arrived, so the server reads the table while the source is extracted
 * rather than after.
 */
static struct scan {
	struct tab		*t;
	struct pgx_decoder	*dec;
	struct rs_writer	*w;
	uint64_t		 num;
} scan;

static void
scan_begin(struct tab *t)
{
	PGresult *res;

	copy_sql(t);
	res = PQexec(conn, sql.p);
	if (PQresultStatus(res) != PGRES_COPY_OUT)
		die(EXIT_DB, "%s: %s", t->name, pgx_errmsg(conn, res));
	PQclear(res);
	scan.t = t;
	scan.num = 0;
	if ((scan.dec = pgx_decoder_new(t->h)) == NULL ||
	    (scan.w = rs_wopen_buf(&mem)) == NULL || !rs_begin(scan.w, t->h) ||
	    !rs_wflush(scan.w))
		exit(EXIT_IO);
	t->scanned = true;
}

/* Takes the rows there are (all of them if block); false at the end. */
static bool
scan_some(bool block)
{
	PGresult *res;
	char *line;
	int n;

	if (!block && !PQconsumeInput(conn))
		die(EXIT_DB, "%s: %s", scan.t->name, pgx_errmsg(conn, NULL));
	while ((n = PQgetCopyData(conn, &line, !block)) > 0) {
		db_row(scan.t, scan.dec, scan.w, line, (size_t)n, ++scan.num);
		PQfreemem(line);
	}
	if (n == 0)
		return true;
	if (n == -2)
		die(EXIT_DB, "%s: %s", scan.t->name, pgx_errmsg(conn, NULL));
	res = PQgetResult(conn);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		die(EXIT_DB, "%s: %s", scan.t->name, pgx_errmsg(conn, res));
	PQclear(res);
	while ((res = PQgetResult(conn)) != NULL)
		PQclear(res);
	rs_wclose(scan.w);
	pgx_decoder_free(scan.dec);
	memset(&scan, 0, sizeof(scan));
	return false;
}

/* Reads the target table through COPY, every row to on_row(). */
static void
db_scan(struct tab *t)
{
	scan_begin(t);
	while (scan_some(true))
		;
}

/* The table a segment is compared as: -t, or its own name. */
static struct tab *
segment_tab(const struct rs_header *h, enum side s, const char *name)
{
	const char *tname = table != NULL ? table : h->table;
	struct tab *t = tab_find(tname);

	if (t == NULL) {
		t = tab_new(tname, h);
		if (dbmode && nkeyspecs == 0 && scan.t == NULL && ntabs == 1)
			scan_begin(t);
		if (dbmode && t->nkeys > 0) {
			phase = PH_INDEX;
			db_scan(t);
			if (!kidx_seal(t->ix))
				exit(EXIT_IO);
			phase = PH_STREAM;
		}
	}
	if (t->h->ncols != compared(h))
		die(EXIT_DATA, "%s: \"%s\" has %zu columns, \"%s\" %zu",
		    name, h->table, compared(h), tname, t->h->ncols);
	if (s == SRC)
		rejects_for(t, h->table);
	return t;
}

/* Reads one stream file (or stdin) as side s. */
static void
read_stream(const char *file, enum side s)
{
	struct rs_reader *r;
	enum rs_event ev;
	struct tab *t = NULL;
	struct vrow v;
	long *map = NULL;
	bool moved = false;

	if ((r = rs_open(file)) == NULL)
		exit(EXIT_IO);
	while ((ev = rs_next(r)) != RS_EOF) {
		if (ev == RS_ERROR)
			exit(rs_status(r));
		if (ev == RS_HEADER) {
			t = segment_tab(rs_header(r), s, rs_name(r));
			map = erealloc(map, (t->h->ncols + 1) * sizeof(*map));
			moved = projection(t, rs_header(r), rs_name(r), map);
		} else if (ev == RS_ROW) {
			project(t, rs_row(r), map, moved, &v);
			on_row(t, s, &v);
			if (scan.t != NULL && (rs_rows(r) & 255) == 0)
				scan_some(false);
		}
	}
	rs_close(r);
	free(map);
}

/* After the streamed side: what the index still holds free is unmatched. */
static void
settle(struct tab *t)
{
	size_t i, n = kidx_len(t->ix);

	for (i = 0; i < n; i++) {
		if (kidx_state(t->ix, i) != KIDX_FREE)
			continue;
		if (ixside == SRC && rejected_key(t, kidx_key(t->ix, i),
		    kidx_row(t->ix, i)))
			kidx_set(t->ix, i, KIDX_DONE);
		else
			t->n[ixside == SRC ? MISSING : EXTRA]++;
	}
}

/* Must the index side be read again to name keys or columns? */
static bool
rescan_needed(const struct tab *t)
{
	enum kind k = ixside == SRC ? MISSING : EXTRA;
	size_t i;

	if (t->n[k] > t->nd[k] && t->nd[k] < maxdiffs)
		return true;
	for (i = 0; i < t->ndiff; i++)
		if (t->d[i].kind == CHANGED && t->d[i].cols == NULL)
			return true;
	return false;
}

/* Without a key, what is missing or extra is what the counts say. */
static void
count_only(struct tab *t)
{
	uint64_t want = t->rows[SRC] - t->rej_rows;

	if (t->rej_rows > t->rows[SRC])
		want = 0;
	if (want > t->rows[TGT])
		t->n[MISSING] = want - t->rows[TGT];
	else
		t->n[EXTRA] = t->rows[TGT] - want;
}

static bool
tab_ok(const struct tab *t)
{
	return t->n[MISSING] == 0 && t->n[EXTRA] == 0 && t->n[CHANGED] == 0 &&
	    t->rows[SRC] == t->rows[TGT] + t->rej_rows &&
	    t->hash[SRC] - t->rej_hash == t->hash[TGT];
}

static double
coverage(uint64_t src, uint64_t missing)
{
	if (src == 0)
		return 100.0;
	return 100.0 * (double)(src - (missing > src ? src : missing)) /
	    (double)src;
}

/* The key of a diff as text ("id=5, school=2") or as a JSON object. */
static void
key_text(const struct tab *t, const struct diff *d, bool asjson)
{
	char *const *keys = t->keys;
	msgpack_unpacked u;
	size_t at = 0, j;
	bool okay = true;

	sl_buf_reset(&txt);
	msgpack_unpacked_init(&u);
	okay = sl_buf_adds(&txt, asjson ? "{" : "");
	for (j = 0; j < t->nkeys && okay; j++) {
		if (msgpack_unpack_next(&u, d->key, d->keylen, &at) !=
		    MSGPACK_UNPACK_SUCCESS)
			break;
		okay = sl_buf_adds(&txt, j == 0 ? "" : asjson ? "," : ", ");
		if (asjson) {
			okay = okay && sl_fmt_json_str(&txt, keys[j],
			    strlen(keys[j])) && sl_buf_addc(&txt, ':');
			if (u.data.type == MSGPACK_OBJECT_POSITIVE_INTEGER ||
			    u.data.type == MSGPACK_OBJECT_NEGATIVE_INTEGER)
				okay = okay && sl_fmt_text(&txt, &u.data);
			else if (u.data.type == MSGPACK_OBJECT_NIL)
				okay = okay && sl_buf_adds(&txt, "null");
			else {
				sl_buf_reset(&sql);
				okay = okay && sl_fmt_text(&sql, &u.data) &&
				    sl_fmt_json_str(&txt, sql.p, sql.len);
			}
		} else {
			okay = okay && sl_buf_printf(&txt, "%s=", keys[j]) &&
			    (u.data.type == MSGPACK_OBJECT_NIL ?
			    sl_buf_adds(&txt, "NULL") :
			    sl_fmt_text(&txt, &u.data));
		}
	}
	msgpack_unpacked_destroy(&u);
	if (!okay || !sl_buf_adds(&txt, asjson ? "}" : "") ||
	    !sl_buf_cstr(&txt))
		die(EXIT_IO, "out of memory");
}

static void
print_line(const char *name, size_t w, const uint64_t *v, bool known,
    double cov, bool eq)
{
	printf("%-*s %10" PRIu64 " %10" PRIu64 " %9" PRIu64 " %8" PRIu64
	    " %8" PRIu64, (int)w, name, v[0], v[1], v[2], v[3], v[4]);
	if (known)
		printf(" %8" PRIu64, v[5]);
	else
		printf(" %8s", "-");
	printf(" %8.2f%% %5s\n", cov, eq ? "yes" : "no");
}

static void
sums(const struct tab *t, uint64_t *v)
{
	v[0] = t->rows[SRC];
	v[1] = t->rows[TGT];
	v[2] = t->rej_rows;
	v[3] = t->n[MISSING];
	v[4] = t->n[EXTRA];
	v[5] = t->n[CHANGED];
}

static bool
hash_eq(const struct tab *t)
{
	return t->hash[SRC] - t->rej_hash == t->hash[TGT];
}

/* Whether a table was compared by key: any, for the total. */
static bool
any_key(void)
{
	size_t i;

	for (i = 0; i < ntabs; i++)
		if (tabs[i]->nkeys > 0)
			return true;
	return false;
}

static void
report_text(void)
{
	uint64_t v[6], tot[6] = { 0 };
	size_t i, j, k, w = 5;
	bool alleq = true;
	const struct tab *t;

	for (i = 0; i < ntabs; i++)
		if (strlen(tabs[i]->name) > w)
			w = strlen(tabs[i]->name);
	printf("%-*s %10s %10s %9s %8s %8s %8s %9s %5s\n", (int)w, "table",
	    "source", "target", "rejected", "missing", "extra", "changed",
	    "coverage", "hash");
	for (i = 0; i < ntabs; i++) {
		t = tabs[i];
		sums(t, v);
		for (j = 0; j < 6; j++)
			tot[j] += v[j];
		alleq = alleq && hash_eq(t);
		print_line(t->name, w, v, t->nkeys > 0, coverage(v[0], v[3]),
		    hash_eq(t));
	}
	print_line("total", w, tot, any_key(), coverage(tot[0], tot[3]),
	    alleq);
	for (i = 0; i < ntabs; i++) {
		t = tabs[i];
		for (k = 0; k < t->nreason; k++)
			printf("%s: rejected %" PRIu64 ": %s\n", t->name,
			    t->reason[k].rows, t->reason[k].text);
		if (t->rej_other > 0)
			printf("%s: rejected %" PRIu64 ": other reasons\n",
			    t->name, t->rej_other);
		for (k = MISSING; k <= CHANGED; k++) {
			for (j = 0; j < t->ndiff; j++) {
				if (t->d[j].kind != k)
					continue;
				key_text(t, &t->d[j], false);
				printf("%s: %s %s", t->name, kindname[k], txt.p);
				if (k == CHANGED)
					printf(": %s", t->d[j].cols != NULL ?
					    t->d[j].cols : "?");
				putchar('\n');
			}
			if (t->n[k] > t->nd[k] && t->nkeys > 0)
				printf("%s: %s: %" PRIu64 " more\n", t->name,
				    kindname[k], t->n[k] - t->nd[k]);
		}
	}
}

static void
json_str(const char *s)
{
	sl_buf_reset(&sql);
	if (!sl_fmt_json_str(&sql, s, strlen(s)))
		die(EXIT_IO, "out of memory");
	fwrite(sql.p, 1, sql.len, stdout);
}

static void
json_counts(const uint64_t *v, bool known, bool eq, bool ok)
{
	printf("\"source_rows\":%" PRIu64 ",\"target_rows\":%" PRIu64
	    ",\"rejected\":%" PRIu64 ",\"missing\":%" PRIu64 ",\"extra\":%"
	    PRIu64 ",", v[0], v[1], v[2], v[3], v[4]);
	if (known)
		printf("\"changed\":%" PRIu64, v[5]);
	else
		printf("\"changed\":null");
	printf(",\"coverage\":%.2f,\"hash_equal\":%s,\"match\":%s",
	    coverage(v[0], v[3]), eq ? "true" : "false", ok ? "true" : "false");
}

/* "a,b" as "a","b"; NULL (the row was not found again) as nothing. */
static void
json_cols(const char *cols)
{
	const char *c, *e;

	for (c = cols; c != NULL && *c != '\0'; c = *e == ',' ? e + 1 : e) {
		e = c + strcspn(c, ",");
		printf("%s", c == cols ? "" : ",");
		sl_buf_reset(&sql);
		if (!sl_fmt_json_str(&sql, c, (size_t)(e - c)))
			die(EXIT_IO, "out of memory");
		fwrite(sql.p, 1, sql.len, stdout);
	}
}

static void
json_diffs(const struct tab *t)
{
	size_t j, k;
	bool first;

	printf(",\"rejected_by_reason\":[");
	for (k = 0; k < t->nreason; k++) {
		printf("%s{\"reason\":", k > 0 ? "," : "");
		json_str(t->reason[k].text);
		printf(",\"rows\":%" PRIu64 "}", t->reason[k].rows);
	}
	if (t->rej_other > 0)
		printf("%s{\"reason\":null,\"rows\":%" PRIu64 "}",
		    t->nreason > 0 ? "," : "", t->rej_other);
	printf("]");
	if (t->nkeys == 0)
		return;
	printf(",\"keys\":{");
	for (k = MISSING; k <= CHANGED; k++) {
		printf("%s\"%s\":[", k > 0 ? "," : "", kindname[k]);
		first = true;
		for (j = 0; j < t->ndiff; j++) {
			if (t->d[j].kind != k)
				continue;
			key_text(t, &t->d[j], true);
			printf("%s", first ? "" : ",");
			first = false;
			if (k != CHANGED) {
				fputs(txt.p, stdout);
				continue;
			}
			printf("{\"key\":%s,\"columns\":[", txt.p);
			json_cols(t->d[j].cols);
			printf("]}");
		}
		printf("]");
	}
	printf("}");
}

/* A key's columns as a JSON array, or null. */
static void
json_key(char *const *cols, size_t n)
{
	size_t i;

	if (n == 0)
		printf("null");
	for (i = 0; i < n; i++) {
		printf("%s", i == 0 ? "[" : ",");
		json_str(cols[i]);
	}
	printf("%s", n > 0 ? "]" : "");
}

/* The --key for every table, or NULL. */
static const struct keyspec *
key_all(void)
{
	size_t i;

	for (i = 0; i < nkeyspecs; i++)
		if (keyspecs[i].table == NULL)
			return &keyspecs[i];
	return NULL;
}

static void
report_json(bool allok)
{
	const struct keyspec *all = key_all();
	uint64_t v[6], tot[6] = { 0 };
	size_t i, j;
	bool alleq = true;

	printf("{\"tables\":[");
	for (i = 0; i < ntabs; i++) {
		sums(tabs[i], v);
		for (j = 0; j < 6; j++)
			tot[j] += v[j];
		alleq = alleq && hash_eq(tabs[i]);
		printf("%s{\"table\":", i > 0 ? "," : "");
		json_str(tabs[i]->name);
		printf(",\"key\":");
		json_key(tabs[i]->keys, tabs[i]->nkeys);
		putchar(',');
		json_counts(v, tabs[i]->nkeys > 0, hash_eq(tabs[i]),
		    tab_ok(tabs[i]));
		json_diffs(tabs[i]);
		putchar('}');
	}
	printf("],\"total\":{");
	json_counts(tot, any_key(), alleq, allok);
	printf("},\"key\":");
	json_key(all != NULL ? all->cols : NULL, all != NULL ? all->ncols : 0);
	printf("}\n");
}

/*
 * --key a,b for every table, --key TABLE=a,b for one (repeatable; a
 * table's own key wins). Given twice for the same table, the columns add
 * up to one composite key.
 */
static void
parse_keys(char *s)
{
	char *eq = strchr(s, '='), *tname = NULL;
	struct keyspec *ks = NULL;
	size_t i;

	if (eq != NULL) {
		*eq = '\0';
		tname = s;
		s = eq + 1;
		if (*tname == '\0')
			usage_error(usage_text, "--key =%s: no table named", s);
	}
	for (i = 0; i < nkeyspecs && ks == NULL; i++)
		if (tname == NULL ? keyspecs[i].table == NULL :
		    keyspecs[i].table != NULL &&
		    strcmp(keyspecs[i].table, tname) == 0)
			ks = &keyspecs[i];
	if (ks == NULL) {
		keyspecs = erealloc(keyspecs, (nkeyspecs + 1) *
		    sizeof(*keyspecs));
		ks = &keyspecs[nkeyspecs++];
		memset(ks, 0, sizeof(*ks));
		ks->table = tname;
	}
	sl_list_add(&ks->cols, &ks->ncols, s);
	if (ks->ncols == 0)
		usage_error(usage_text, "--key%s%s: no column named",
		    tname != NULL ? " " : "", tname != NULL ? tname : "");
}

/* A --key for a table no stream had is a mistake, probably a typo. */
static void
keys_used(void)
{
	size_t i;

	for (i = 0; i < nkeyspecs; i++)
		if (keyspecs[i].table != NULL && !keyspecs[i].used)
			usage_error(usage_text, "--key %s=...: no table \"%s\" "
			    "was compared", keyspecs[i].table,
			    keyspecs[i].table);
}

static void
help(void)
{
	fputs(usage_text, stdout);
	fputs("Compare a row stream with a table, or two streams, by counts "
	    "and hashes.\n"
	    "\n"
	    "  -d, --dbname CONNINFO  the target database (default: the PG* "
	    "environment)\n"
	    "  -t, --table TABLE      compare with TABLE (default: each "
	    "segment's table)\n"
	    "  -k, --key COL[,COL]    name the keys missing, extra and "
	    "changed\n"
	    "  -k, --key TABLE=COL[,COL]\n"
	    "                         the key of TABLE alone (repeatable)\n"
	    "  -m, --max-diffs N      keys named of each kind a table "
	    "(default 20)\n"
	    "  -r, --rejects FILE     rows rejected by an earlier stage "
	    "(repeatable)\n"
	    "      --ignore COL       compare rows without COL (a column a "
	    "re-run makes\n"
	    "                         anew: a generated password hash); "
	    "repeatable\n"
	    "  -j, --json             the report as JSON\n"
	    "  -q, --quiet            no summary line on stderr\n"
	    "      --progress         a progress line on stderr\n"
	    "  -h, --help             this text\n"
	    "      --version          the version\n"
	    "\n"
	    "With A and B (either may be -), compare stream A with stream "
	    "B.\n"
	    "Exit status: 0 all tables match, 1 they do not, 2 usage, 3 bad "
	    "stream,\n"
	    "4 database error, 5 I/O error.\n", stdout);
}

/* Table mode: -t and --key name a table and columns PostgreSQL must keep. */
static void
check_names(void)
{
	bool ok = table == NULL || pgx_check_name(table);
	size_t i, j;

	for (i = 0; i < nkeyspecs; i++)
		for (j = 0; j < keyspecs[i].ncols; j++)
			ok = pgx_check_ident(keyspecs[i].cols[j]) && ok;
	if (!ok)
		exit(EXIT_USAGE);
}

static void
options(int argc, char *argv[])
{
	enum { OPT_IGNORE = 256 };
	static const struct option opts[] = {
		{ "dbname", required_argument, NULL, 'd' },
		{ "ignore", required_argument, NULL, OPT_IGNORE },
		{ "json", no_argument, NULL, 'j' },
		{ "key", required_argument, NULL, 'k' },
		{ "max-diffs", required_argument, NULL, 'm' },
		{ "rejects", required_argument, NULL, 'r' },
		{ "table", required_argument, NULL, 't' },
		SL_COMMON_LONG
	};
	struct sl_common co = { 0 };
	int c;

	while ((c = getopt_long(argc, argv, "d:hjk:m:qr:t:", opts, NULL)) !=
	    -1) {
		switch (c) {
		case 'd':
			conninfo = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'k':
			parse_keys(optarg);
			break;
		case 'm':
			if (!sl_parse_u64(optarg, &maxdiffs))
				usage_error(usage_text, "--max-diffs: \"%s\" "
				    "is not a number", optarg);
			break;
		case 'r':
			rejfiles = erealloc(rejfiles, (nrejfiles + 1) *
			    sizeof(*rejfiles));
			rejfiles[nrejfiles++] = optarg;
			break;
		case 't':
			table = optarg;
			break;
		case OPT_IGNORE:
			sl_list_add(&ignored, &nignored, estrdup(optarg));
			break;
		default:
			sl_common_opt(&co, c, help, usage_text);
		}
	}
	quiet = co.quiet;
	progress = co.progress;
	if (argc - optind != 0 && argc - optind != 2)
		usage_error(usage_text, "give two streams, or none to compare "
		    "stdin with a table");
	dbmode = argc == optind;
	if (dbmode)
		check_names();
	if (!dbmode && conninfo != NULL)
		usage_error(usage_text, "-d: two streams are compared without "
		    "a database");
	if (!dbmode) {
		path[SRC] = argv[optind];
		path[TGT] = argv[optind + 1];
		if (strcmp(path[SRC], "-") == 0 && strcmp(path[TGT], "-") == 0)
			usage_error(usage_text, "only one of A and B can be "
			    "stdin");
		if (strcmp(path[TGT], "-") == 0)
			ixside = SRC;
	}
}

/*
 * -d as psql takes it: a bare database name is dbname='NAME', since
 * pgx_connect() wants a keyword string or URI.
 */
static PGconn *
connect_db(void)
{
	struct sl_buf ci = { 0 };
	const char *s;
	PGconn *c;

	if (conninfo == NULL || strchr(conninfo, '=') != NULL ||
	    strstr(conninfo, "://") != NULL)
		return pgx_connect(conninfo);
	if (!sl_buf_adds(&ci, "dbname='"))
		exit(EXIT_IO);
	for (s = conninfo; *s != '\0'; s++)
		if (((*s == '\'' || *s == '\\') && !sl_buf_addc(&ci, '\\')) ||
		    !sl_buf_addc(&ci, *s))
			exit(EXIT_IO);
	if (!sl_buf_adds(&ci, "'") || !sl_buf_cstr(&ci))
		exit(EXIT_IO);
	c = pgx_connect(ci.p);
	sl_buf_free(&ci);
	return c;
}

/* Table mode: the stream, then each table (or its index first, with --key). */
static void
run_db(void)
{
	size_t i;

	if ((conn = connect_db()) == NULL)
		exit(EXIT_DB);
	/* one snapshot, so that a rescan sees the rows the first scan saw */
	if (!pgx_exec(conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"))
		exit(EXIT_DB);
	phase = PH_STREAM;
	read_stream("-", SRC);
	while (scan.t != NULL && scan_some(true))
		;
	for (i = 0; i < ntabs; i++) {
		if (tabs[i]->nkeys == 0) {
			if (!tabs[i]->scanned)
				db_scan(tabs[i]);
			continue;
		}
		settle(tabs[i]);
		if (rescan_needed(tabs[i])) {
			phase = PH_RESCAN;
			db_scan(tabs[i]);
		}
	}
	pgx_exec(conn, "COMMIT");
	PQfinish(conn);
}

/* File mode: the index side first (with --key), then the other. */
static void
run_files(void)
{
	enum side other = ixside == SRC ? TGT : SRC;
	size_t i;
	bool again = false;

	if (nkeyspecs == 0) {
		phase = PH_STREAM;
		read_stream(path[SRC], SRC);
		read_stream(path[TGT], TGT);
		return;
	}
	phase = PH_INDEX;
	read_stream(path[ixside], ixside);
	for (i = 0; i < ntabs; i++)
		if (tabs[i]->ix != NULL && !kidx_seal(tabs[i]->ix))
			exit(EXIT_IO);
	phase = PH_STREAM;
	read_stream(path[other], other);
	for (i = 0; i < ntabs; i++) {
		if (tabs[i]->nkeys == 0)
			continue;
		settle(tabs[i]);
		again = again || rescan_needed(tabs[i]);
	}
	if (again) {
		phase = PH_RESCAN;
		read_stream(path[ixside], ixside);
	}
}

int
main(int argc, char *argv[])
{
	static char obuf[1 << 16];
	uint64_t src = 0, tgt = 0, rej = 0;
	size_t i;
	bool ok = true;

	sl_setprogname(argv[0]);
	options(argc, argv);
	setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	sl_progress_start(&pg, progress);
	if (dbmode)
		run_db();
	else
		run_files();
	keys_used();
	for (i = 0; i < ntabs; i++) {
		qsort(tabs[i]->reason, tabs[i]->nreason, sizeof(struct reason),
		    reason_cmp);
		if (tabs[i]->nkeys == 0)
			count_only(tabs[i]);
		ok = ok && tab_ok(tabs[i]);
		src += tabs[i]->rows[SRC];
		tgt += tabs[i]->rows[TGT];
		rej += tabs[i]->rej_rows;
	}
	sl_progress_end(&pg);
	if (json)
		report_json(ok);
	else
		report_text();
	if (!fshut(stdout, "stdout"))
		return EXIT_IO;
	if (!quiet)
		fprintf(stderr, "%s: %" PRIu64 " source rows, %" PRIu64
		    " target rows, %" PRIu64 " rejected, %zu table%s, %.2f s: "
		    "%s\n", sl_progname, src, tgt, rej, ntabs, ntabs == 1 ? "" :
		    "s", sl_progress_elapsed(&pg), ok ? "match" : "MISMATCH");
	return ok ? EXIT_OK : EXIT_DATA;
}
