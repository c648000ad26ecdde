/*
 * rmspec.c: remap's specs: reading --assign, --fk and the options that
 * refer to them, loading their maps, and each row's new keys. See
 * rmspec.h.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "err.h"
#include "exitcodes.h"
#include "rmspec.h"
#include "value.h"

static int
oom(void)
{
	return sl_errs(EXIT_IO, "out of memory");
}

struct rm_spec *
rm_find(const struct rm_set *s, const char *col)
{
	size_t i;

	for (i = 0; i < s->nspecs; i++)
		if (strcmp(s->specs[i].col, col) == 0)
			return &s->specs[i];
	return NULL;
}

/* Splits "COL=REST" in place into *rest; EXIT_USAGE when it is not. */
static int
split_eq(char *arg, const char *opt, char **rest)
{
	char *eq = strchr(arg, '=');

	if (eq == NULL || eq == arg || eq[1] == '\0')
		return sl_errs(EXIT_USAGE, "%s: \"%s\" is not COL=...", opt,
		    arg);
	*eq = '\0';
	*rest = eq + 1;
	return EXIT_OK;
}

static int
spec_new(struct rm_set *s, char *col, bool fk, const char *opt,
    struct rm_spec **out)
{
	struct rm_spec *sp;

	if (rm_find(s, col) != NULL)
		return sl_errs(EXIT_USAGE, "%s: column \"%s\" is given twice",
		    opt, col);
	if ((sp = realloc(s->specs, (s->nspecs + 1) * sizeof(*sp))) == NULL)
		return oom();
	s->specs = sp;
	sp = &s->specs[s->nspecs++];
	memset(sp, 0, sizeof(*sp));
	sp->col = col;
	sp->fk = fk;
	*out = sp;
	return EXIT_OK;
}

/* uuid5:NS, which --assign and --fk share; *yes when how is one. */
static int
parse_uuid5(struct rm_spec *sp, const char *how, const char *opt, bool *yes)
{
	if (!(*yes = strncmp(how, "uuid5:", 6) == 0))
		return EXIT_OK;
	if (!sl_uuid5_ns(&sp->g, how + 6))
		return sl_errs(EXIT_USAGE, "%s %s: a namespace is a UUID or a "
		    "name", opt, sp->col);
	sp->how = RM_UUID5;
	return EXIT_OK;
}

/* uuid5:NS, uuid4 or serial[:START], for --assign COL. */
static int
parse_new(struct rm_spec *sp, const char *how, const char *col)
{
	bool yes;
	int st;

	if ((st = parse_uuid5(sp, how, "--assign", &yes)) != EXIT_OK || yes)
		return st;
	if (strcmp(how, "uuid4") == 0) {
		sp->how = RM_UUID4;
	} else if (strcmp(how, "serial") == 0) {
		sp->how = RM_SERIAL;
		sp->next = 1;
	} else if (strncmp(how, "serial:", 7) == 0) {
		sp->how = RM_SERIAL;
		sp->start = true;
		if (!sl_parse_i64(how + 7, &sp->next))
			return sl_errs(EXIT_USAGE, "--assign %s: \"%s\" is not "
			    "a number to start at", col, how + 7);
	} else {
		return sl_errs(EXIT_USAGE, "--assign %s: \"%s\" is none of "
		    "uuid5:NS, uuid4, serial[:START]", col, how);
	}
	return EXIT_OK;
}

/* Whether s begins with a fallback's name (after map:FILE's comma). */
static bool
is_fallback(const char *s)
{
	return strncmp(s, "uuid5:", 6) == 0 || strcmp(s, "uuid4") == 0 ||
	    strcmp(s, "serial") == 0 || strncmp(s, "serial:", 7) == 0;
}

/*
 * --assign COL=map:FILE,HOW: the map's key for a row it has, HOW's for
 * the others. FILE ends at the first comma a fallback follows, so that
 * a file name may hold commas.
 */
static int
parse_map_assign(struct rm_spec *sp, char *how, const char *col)
{
	char *c = how + 4;
	int st;

	while ((c = strchr(c, ',')) != NULL && !is_fallback(c + 1))
		c++;
	if (c == NULL)
		return sl_errs(EXIT_USAGE, "--assign %s: map:FILE needs a "
		    "fallback for the keys not in it: map:FILE,uuid5:NS, "
		    "map:FILE,uuid4 or map:FILE,serial[:START]", col);
	*c = '\0';
	if (how[4] == '\0')
		return sl_errs(EXIT_USAGE, "--assign %s: map: names no file",
		    col);
	sp->file = how + 4;
	if ((st = parse_new(sp, c + 1, col)) != EXIT_OK)
		return st;
	sp->fb = sp->how;
	sp->how = RM_MAP;
	return EXIT_OK;
}

/* --assign COL=HOW */
int
rm_opt_assign(struct rm_set *s, char *arg)
{
	struct rm_spec *sp;
	char *how;
	int st;

	if ((st = split_eq(arg, "--assign", &how)) != EXIT_OK ||
	    (st = spec_new(s, arg, false, "--assign", &sp)) != EXIT_OK)
		return st;
	if (strncmp(how, "map:", 4) == 0)
		return parse_map_assign(sp, how, arg);
	return parse_new(sp, how, arg);
}

/* --fk COL=uuid5:NS|map:FILE, or (map) --map COL=FILE */
int
rm_opt_fk(struct rm_set *s, char *arg, bool map)
{
	const char *opt = map ? "--map" : "--fk";
	struct rm_spec *sp;
	char *how;
	bool yes = false;
	int st;

	if ((st = split_eq(arg, opt, &how)) != EXIT_OK ||
	    (st = spec_new(s, arg, true, opt, &sp)) != EXIT_OK ||
	    (!map && (st = parse_uuid5(sp, how, "--fk", &yes)) != EXIT_OK))
		return st;
	if (yes)
		return (sp->cache = calloc(RM_CACHE, sizeof(*sp->cache))) ==
		    NULL ? oom() : EXIT_OK;
	if (!map && strncmp(how, "map:", 4) != 0)
		return sl_errs(EXIT_USAGE, "--fk %s: \"%s\" is neither "
		    "uuid5:NS nor map:FILE", arg, how);
	sp->how = RM_MAP;
	sp->file = map ? how : how + 4;
	if (*sp->file == '\0')
		return sl_errs(EXIT_USAGE, "--fk %s: map: names no file", arg);
	return EXIT_OK;
}

/* The one --assign an option without COL= applies to. */
static int
only_assign(const struct rm_set *s, const char *opt, struct rm_spec **out)
{
	size_t i, n = 0;

	for (i = 0; i < s->nspecs; i++)
		if (!s->specs[i].fk) {
			*out = &s->specs[i];
			n++;
		}
	if (n != 1)
		return sl_errs(EXIT_USAGE, "%s without COL= needs exactly one "
		    "--assign, not %zu", opt, n);
	return EXIT_OK;
}

/*
 * --keep-old and --map-out: [COL=]VALUE. An '=' after an --assign or
 * --fk column's name names that column; otherwise the whole argument is
 * the value, for the one --assign.
 */
static int
opt_target(const struct rm_set *s, char *arg, const char **val,
    const char *opt, bool fkok, struct rm_spec **out)
{
	char *eq = strchr(arg, '=');
	struct rm_spec *sp;

	if (eq != NULL) {
		*eq = '\0';
		if ((sp = rm_find(s, arg)) != NULL && (fkok || !sp->fk)) {
			*val = eq + 1;
			if (**val == '\0')
				return sl_errs(EXIT_USAGE, "%s %s=: empty", opt,
				    arg);
			*out = sp;
			return EXIT_OK;
		}
		*eq = '=';
	}
	*val = arg;
	return only_assign(s, opt, out);
}

/* --upstream COL[:KEY]=FILE, for a --fk or --map COL. */
int
rm_opt_upstream(struct rm_set *s, char *arg)
{
	struct rm_spec *sp;
	char *file, *key;
	int st;

	if ((st = split_eq(arg, "--upstream", &file)) != EXIT_OK)
		return st;
	if ((key = strchr(arg, ':')) != NULL) {
		*key++ = '\0';
		if (*key == '\0' || *arg == '\0')
			return sl_errs(EXIT_USAGE, "--upstream %s: COL:KEY "
			    "with an empty name", arg);
	}
	if ((sp = rm_find(s, arg)) == NULL || !sp->fk ||
	    (sp->how != RM_MAP && sp->known == NULL && sp->knownfile == NULL))
		return sl_errs(EXIT_USAGE, "--upstream %s: not a --fk or --map "
		    "column with a map or --known list (the keys that exist)",
		    arg);
	if (sp->upfile != NULL)
		return sl_errs(EXIT_USAGE, "--upstream %s: given twice (join "
		    "the rejects files: cat A B >FILE)", arg);
	sp->upfile = file;
	sp->upkey = key;
	return EXIT_OK;
}

/*
 * --keep-old, --map-out and --known, read after every --assign and --fk
 * so that they may name a column given later on the command line.
 */
int
rm_opt_deferred(struct rm_set *s, char *const *keeps, size_t nkeep,
    char *const *outs, size_t nout, char *const *knowns, size_t nknown)
{
	struct rm_spec *sp = NULL;
	const char *v;
	char *col, *rest;
	size_t i;
	int st;

	for (i = 0; i < nkeep; i++) {
		if ((st = opt_target(s, keeps[i], &v, "--keep-old", true,
		    &sp)) != EXIT_OK)
			return st;
		if (sp->keep != NULL)
			return sl_errs(EXIT_USAGE, "--keep-old: %s is kept "
			    "twice", sp->col);
		sp->keep = v;
	}
	for (i = 0; i < nout; i++) {
		if ((st = opt_target(s, outs[i], &v, "--map-out", false,
		    &sp)) != EXIT_OK)
			return st;
		if (sp->mapout != NULL)
			return sl_errs(EXIT_USAGE, "--map-out: two files for %s"
			    , sp->col);
		sp->mapout = v;
	}
	for (i = 0; i < nknown; i++) {
		col = knowns[i];
		if ((st = split_eq(col, "--known", &rest)) != EXIT_OK)
			return st;
		if ((sp = rm_find(s, col)) == NULL || !sp->fk ||
		    sp->how != RM_UUID5)
			return sl_errs(EXIT_USAGE, "--known %s: not a --fk "
			    "%s=uuid5:NS column", col, col);
		sp->knownfile = rest;
	}
	return EXIT_OK;
}

/* What the keys HOW makes are, for a message. */
static const char *
how_type(enum rm_how how)
{
	return how == RM_SERIAL ? "int8" : "uuid";
}

/*
 * The type of a spec's column in the output, given its input type: a
 * map's own (int8 for any integer map, which holds int64), else the
 * fallback's for an --assign, else (a map of no segment, every key an
 * orphan) the input's.
 */
const char *
rm_new_type(const struct rm_spec *sp, const char *in)
{
	if (sp->how != RM_MAP)
		return how_type(sp->how);
	if (sl_keymap_type(sp->map) == NULL)
		return sp->fk ? in : how_type(sp->fb);
	switch (sl_keymap_kind(sp->map)) {
	case SL_KEYMAP_INT:
		return "int8";
	case SL_KEYMAP_TEXT:
		return sl_keymap_type(sp->map);
	default:
		return "uuid";
	}
}

/*
 * An --assign through a map: its fallback must make keys of the map's
 * type, and a serial one with no START begins after the map's largest
 * key, so that a new key never takes one the map gave.
 */
static int
check_fallback(struct rm_spec *sp)
{
	static const char *const name[] = { "uuid5", "uuid4", "serial" };
	const char *type = sl_keymap_type(sp->map);
	enum sl_keymap_kind want = sp->fb == RM_SERIAL ? SL_KEYMAP_INT :
	    SL_KEYMAP_UUID;
	int64_t max;

	if (type != NULL && sl_keymap_kind(sp->map) != want)
		return sl_errs(EXIT_USAGE, "--assign %s: the map %s gives keys "
		    "of type %s, the fallback %s gives %s: they must be of one "
		    "type", sp->col, sp->file, rm_new_type(sp, NULL),
		    name[sp->fb], how_type(sp->fb));
	if (sp->fb == RM_SERIAL && !sp->start && sl_keymap_max(sp->map, &max)) {
		if (max == INT64_MAX)
			return sl_errs(EXIT_DATA, "--assign %s: the map %s "
			    "holds the largest int8; give serial:START",
			    sp->col, sp->file);
		sp->next = max + 1;
	}
	return EXIT_OK;
}

/*
 * Where an --upstream file's old keys are, unless COL:KEY says: in the
 * column named like the map's first (the target's tracking column, as in
 * the rows rejected after remap gave them new keys) or else like its
 * second (the key, as in rows rejected before), a key list's first. The
 * map's table names the parent when no rejects file does.
 */
static int
up_names(struct rm_spec *sp, char **names)
{
	const char *file = sp->how == RM_MAP ? sp->file : sp->knownfile;
	const struct rs_header *h;
	struct rs_reader *r;
	enum rs_event ev;
	size_t i;
	int st = EXIT_OK;

	if (strcmp(file, "-") == 0 || (r = rs_open(file)) == NULL)
		return EXIT_OK;
	while ((ev = rs_next(r)) != RS_EOF && ev != RS_ERROR) {
		if (ev != RS_HEADER)
			continue;
		h = rs_header(r);
		for (i = 0; i < 2 && i < h->ncols; i++)
			if ((names[i] = strdup(h->cols[i].name)) == NULL)
				st = EXIT_IO;
		if (sp->uptable == NULL &&
		    (sp->uptable = strdup(h->table)) == NULL)
			st = EXIT_IO;
		break;
	}
	rs_close(r);
	return st == EXIT_OK ? st : oom();
}

/* The column of a segment of an --upstream file that holds the old key. */
static int
up_keycol(const struct rm_spec *sp, const struct rs_header *h, char **names,
    size_t *col)
{
	long i;

	if (sp->upkey != NULL && (i = rs_header_find(h, sp->upkey)) >= 0) {
		*col = (size_t)i;
		return EXIT_OK;
	}
	if (sp->upkey != NULL)
		return sl_errs(EXIT_USAGE, "--upstream %s: %s: \"%s\" has no "
		    "column \"%s\"", sp->col, sp->upfile, h->table, sp->upkey);
	if ((names[0] != NULL && (i = rs_header_find(h, names[0])) >= 0) ||
	    (names[1] != NULL && (i = rs_header_find(h, names[1])) >= 0)) {
		*col = (size_t)i;
		return EXIT_OK;
	}
	return sl_errs(EXIT_USAGE, "--upstream %s: %s: \"%s\" has no column "
	    "%s%s%s for the old key (name it: --upstream %s:KEY=FILE)",
	    sp->col, sp->upfile, h->table,
	    names[0] ? names[0] : "named like the map's",
	    names[1] ? " or " : "", names[1] ? names[1] : "", sp->col);
}

/* One rejected parent: its old key -> "TABLE: rejected upstream: WHY". */
static int
up_put(struct rm_spec *sp, const char *table, const msgpack_object *k,
    const msgpack_object *e, struct sl_buf *why, struct sl_buf *key)
{
	struct sl_keymap_text t;
	int n;

	sl_buf_reset(why);
	if (!sl_buf_printf(why, "%s: rejected upstream: ", table) ||
	    (e->type == MSGPACK_OBJECT_STR ? !sl_buf_add(why, e->via.str.ptr,
	    e->via.str.size) : !sl_buf_adds(why, "no reason given")))
		return oom();
	t.p = why->p;
	t.n = why->len;
	if (k->type == MSGPACK_OBJECT_NEGATIVE_INTEGER ||
	    (k->type == MSGPACK_OBJECT_POSITIVE_INTEGER &&
	    k->via.u64 <= INT64_MAX)) {
		n = sl_keymap_put_int(sp->up, k->via.i64, &t, NULL);
	} else {
		sl_buf_reset(key);
		if (!sl_fmt_text(key, k))
			return oom();
		n = sl_keymap_put_text(sp->up, key->p, key->len, &t, NULL);
	}
	return n < 0 ? EXIT_IO : EXIT_OK;	/* reported */
}

/* One segment header of an --upstream file: its key and _error columns. */
static int
up_header(struct rm_spec *sp, const struct rs_header *h, char **names,
    size_t *kc, long *ec)
{
	int st;

	if ((st = up_keycol(sp, h, names, kc)) != EXIT_OK)
		return st;
	if ((*ec = rs_header_find(h, "_error")) < 0)
		return sl_errs(EXIT_USAGE, "--upstream %s: %s: \"%s\" has no "
		    "_error column: not a rejects file", sp->col, sp->upfile,
		    h->table);
	free(sp->uptable);
	return (sp->uptable = strdup(h->table)) == NULL ? oom() : EXIT_OK;
}

/*
 * Reads an --upstream file (the parent stage's rejects: segments with
 * an _error column) into old key -> why. A key rejected twice keeps its
 * first reason. Read once, before the rows; an orphan looks it up.
 */
static int
up_load(struct rm_spec *sp)
{
	char *names[2] = { NULL, NULL };
	struct sl_buf why = { 0 }, key = { 0 };
	struct rs_reader *r = NULL;
	const struct rs_header *h = NULL;
	const struct rs_row *row;
	enum rs_event ev;
	size_t kc = 0;
	long ec = -1;
	int st = EXIT_OK;

	if (sp->upkey == NULL || sp->uptable == NULL)
		st = up_names(sp, names);
	if (st == EXIT_OK && ((sp->up = sl_keymap_new(SL_KEYMAP_TEXT)) ==
	    NULL || (r = rs_open(sp->upfile)) == NULL))
		st = EXIT_IO;
	while (st == EXIT_OK && (ev = rs_next(r)) != RS_EOF) {
		if (ev == RS_ERROR) {
			st = rs_status(r);	/* reported */
		} else if (ev == RS_HEADER) {
			h = rs_header(r);
			st = up_header(sp, h, names, &kc, &ec);
		} else if (ev == RS_ROW) {
			row = rs_row(r);
			if (row->v[kc].type != MSGPACK_OBJECT_NIL)
				st = up_put(sp, h->table, &row->v[kc],
				    &row->v[ec], &why, &key);
		}
	}
	if (r != NULL)
		rs_close(r);
	sl_buf_free(&why);
	sl_buf_free(&key);
	free(names[0]);
	free(names[1]);
	return st;
}

int
rm_load(struct rm_set *s)
{
	struct rm_spec *sp;
	int st = EXIT_OK;

	for (sp = s->specs; sp < s->specs + s->nspecs; sp++) {
		if (sp->file != NULL && (sp->map = sl_keymap_load(sp->file,
		    false, &st)) == NULL)
			return st;	/* reported */
		if (sp->knownfile != NULL && (sp->known =
		    sl_keymap_load(sp->knownfile, true, &st)) == NULL)
			return st;
		if (sp->how == RM_MAP && !sp->fk &&
		    (st = check_fallback(sp)) != EXIT_OK)
			return st;
		if (sp->upfile != NULL && (st = up_load(sp)) != EXIT_OK)
			return st;
	}
	return EXIT_OK;
}

/* Writes n's decimal digits into b (at least 21 bytes); returns the length. */
static size_t
utoa(char *b, uint64_t n, bool neg)
{
	char t[24];
	size_t i = 0, k = 0;

	do
		t[i++] = (char)('0' + n % 10);
	while ((n /= 10) != 0);
	if (neg)
		b[k++] = '-';
	while (i > 0)
		b[k++] = t[--i];
	return k;
}

bool
rm_key_text(struct rm_set *s, const msgpack_object *o)
{
	struct sl_buf *b = &s->keytext;

	sl_buf_reset(b);
	if (!sl_buf_grow(b, 24))
		return false;
	if (o->type == MSGPACK_OBJECT_POSITIVE_INTEGER)
		b->len = utoa(b->p, o->via.u64, false);
	else if (o->type == MSGPACK_OBJECT_NEGATIVE_INTEGER)
		b->len = utoa(b->p, 0 - (uint64_t)o->via.i64, true);
	else if (o->type == MSGPACK_OBJECT_STR)
		return sl_buf_add(b, o->via.str.ptr, o->via.str.size);
	else
		return sl_fmt_text(b, o);
	return true;
}

/* A key's entry in m, or NULL; false in *ok when out of memory. */
static const void *
lookup(struct rm_set *s, const struct sl_keymap *m, const msgpack_object *o,
    bool *ok)
{
	if (o->type == MSGPACK_OBJECT_NEGATIVE_INTEGER ||
	    (o->type == MSGPACK_OBJECT_POSITIVE_INTEGER &&
	    o->via.u64 <= INT64_MAX))
		return sl_keymap_get_int(m, o->via.i64);
	if (!rm_key_text(s, o)) {
		*ok = false;
		return NULL;
	}
	return sl_keymap_get_text(m, s->keytext.p, s->keytext.len);
}

static bool
set_reason(struct rm_set *s, const char *what, const struct rm_spec *sp,
    const msgpack_object *o)
{
	char show[SL_PRINTABLE];

	sl_buf_reset(&s->reason);
	return rm_key_text(s, o) && sl_buf_printf(&s->reason, "%s: %s=%s",
	    what, sp->col, sl_printable(show, sizeof(show), s->keytext.p,
	    s->keytext.len));
}

/*
 * An orphan's cause, after its reason, from --upstream: the parent was
 * rejected (and why), or it is not among the rows the parent's stage
 * read. Only orphans pay for it.
 */
static bool
up_why(struct rm_set *s, const struct rm_spec *sp, const msgpack_object *o)
{
	bool ok = true;
	const void *v = lookup(s, sp->up, o, &ok);
	struct sl_buf *b = &s->reason;
	struct sl_keymap_text t;

	if (!ok)
		return false;
	if (v != NULL) {
		t = sl_keymap_text(sp->up, v);
		ok = sl_buf_adds(b, " (") && sl_buf_add(b, t.p, t.n) &&
		    sl_buf_adds(b, ")");
	} else {
		ok = sl_buf_printf(b, " (%s: not in the source)",
		    sp->uptable != NULL ? sp->uptable : sp->col);
	}
	return ok && sl_buf_cstr(b);
}

/* A foreign key with no new key: what --orphans says, as rm_compute. */
static int
orphan(struct rm_set *s, struct rm_spec *sp, const msgpack_object *o,
    const struct rs_row *row, const char *table)
{
	if (!set_reason(s, "orphan", sp, o) ||
	    (sp->up != NULL && !up_why(s, sp, o)) || !sl_buf_cstr(&s->reason))
		return oom();
	switch (s->orphans) {
	case RM_REJECT:
		return RM_ROWREJECT;
	case RM_FAIL:
		return sl_errs(EXIT_DATA, "row %" PRIu64 " of \"%s\": %s "
		    "(--orphans fail)", row->num, table, s->reason.p);
	case RM_NULL:
		sp->null = true;
		break;
	case RM_KEEP:
		/* a uuid5 key keeps the UUID its old key gives */
		if (sp->how == RM_MAP)
			sp->old = true;
		break;
	}
	sp->orphans++;
	return RM_PASS;
}

/* The uuid5 of a key, through the cache for a foreign key. */
static bool
by_uuid5(struct rm_set *s, struct rm_spec *sp, const msgpack_object *o)
{
	struct rm_cached *c;
	int64_t k = o->via.i64;

	if (sp->cache == NULL || (o->type != MSGPACK_OBJECT_NEGATIVE_INTEGER &&
	    o->type != MSGPACK_OBJECT_POSITIVE_INTEGER)) {
		if (!rm_key_text(s, o))
			return false;
		sl_uuid5(&sp->g, s->keytext.p, s->keytext.len, sp->u);
		return true;
	}
	c = &sp->cache[(uint64_t)k * 0x9e3779b97f4a7c15ULL >> 52];
	if (!c->full || c->key != k) {
		if (!rm_key_text(s, o))
			return false;
		sl_uuid5(&sp->g, s->keytext.p, s->keytext.len, sp->u);
		sl_uuid_fmt(sp->u, c->text);
		c->key = k;
		c->full = true;
	}
	sp->text = c->text;
	return true;
}

/* The new key a map gives, v, into sp's current-row fields. */
static void
from_map(struct rm_spec *sp, const void *v)
{
	switch (sl_keymap_kind(sp->map)) {
	case SL_KEYMAP_INT:
		sp->isint = true;
		memcpy(&sp->n, v, sizeof(sp->n));
		break;
	case SL_KEYMAP_TEXT:
		sp->istext = true;
		sp->tv = sl_keymap_text(sp->map, v);
		break;
	default:
		memcpy(sp->u, v, SL_UUID_LEN);
	}
}

int
rm_compute(struct rm_set *s, struct rm_spec *sp, const struct rs_row *row,
    const char *table)
{
	const msgpack_object *o = &row->v[sp->idx];
	const void *v;
	bool ok = true;

	sp->null = sp->old = sp->usefb = sp->istext = false;
	sp->isint = sp->how == RM_SERIAL;
	sp->text = NULL;
	if (o->type == MSGPACK_OBJECT_NIL) {
		if (sp->fk) {
			sp->null = true;	/* no reference: not an orphan */
			return RM_PASS;
		}
		sl_buf_reset(&s->reason);
		return sl_buf_printf(&s->reason, "null key: %s", sp->col) ?
		    RM_ROWREJECT : oom();
	}
	if (sp->how == RM_UUID5) {
		if (!by_uuid5(s, sp, o))
			return oom();
		if (sp->known != NULL && lookup(s, sp->known, o, &ok) == NULL)
			return ok ? orphan(s, sp, o, row, table) : oom();
		return RM_PASS;
	}
	if (sp->how != RM_MAP)
		return RM_PASS;	/* uuid4, serial: once the row passes */
	if ((v = lookup(s, sp->map, o, &ok)) == NULL && !ok)
		return oom();
	if (v == NULL && sp->fk)
		return orphan(s, sp, o, row, table);
	if (v == NULL) {
		/* an --assign: a key the map lacks is made anew */
		sp->usefb = true;
		sp->isint = sp->fb == RM_SERIAL;
		if (sp->fb == RM_UUID5 && !by_uuid5(s, sp, o))
			return oom();
		return RM_PASS;
	}
	from_map(sp, v);
	return RM_PASS;
}

void
rm_free(struct rm_set *s)
{
	struct rm_spec *sp;

	for (sp = s->specs; sp < s->specs + s->nspecs; sp++) {
		sl_keymap_free(sp->map);
		sl_keymap_free(sp->known);
		sl_keymap_free(sp->up);
		free(sp->uptable);
		free(sp->cache);
	}
	free(s->specs);
	sl_buf_free(&s->keytext);
	sl_buf_free(&s->reason);
	memset(s, 0, sizeof(*s));
}
