/*
 * keymap_load.c: reading a map file (a row stream of old key, new key;
 * or of keys, for a set) into a key map. See keymap.h; the table is
 * keymap.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "exitcodes.h"
#include "keymap.h"
#include "keymap_int.h"
#include "rowstream.h"
#include "uuid.h"
#include "value.h"

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
		if ((n = km_put(ld->m, &pd->k, val, &old)) < 0)
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
		km_key_text(&pd->k, ld->text.p + len, ld->text.len - len);
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
