/*
 * remap: gives rows new keys and makes their foreign keys follow.
 *
 *	remap [-a COL=[map:FILE,]uuid5:NS|uuid4|serial[:START]]
 *	      [-k [COL=]NEWCOL]
 *	      [--map-out [COL=]FILE] [--fk COL=uuid5:NS|map:FILE]
 *	      [--map COL=FILE] [--known COL=FILE] [--upstream COL[:KEY]=FILE]
 *	      [--orphans reject|null|keep|fail] [-o FILE] [-r FILE] [-q] [--progress]
 *
 * A filter: a row stream in, the same rows out with the --assign columns
 * holding new keys (the old ones optionally kept in a tracking column)
 * and the --fk columns rewritten by the same function or through a map.
 * An --assign through a map keeps the keys the map has (rows a run
 * before moved) and makes the others by its fallback.
 * A foreign key with no new key is an orphan; --orphans says what
 * becomes of its row. Every row comes out or goes to --rejects, so that
 * rows in = rows out + rows rejected.
 * With --upstream, an orphan's reason says why its parent is not there:
 * rejected upstream (and the parent's own reason), or not in the source.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exitcodes.h"
#include "keymap.h"
#include "ledger.h"
#include "ofile.h"
#include "prog.h"
#include "progress.h"
#include "rowstream.h"
#include "uuid.h"
#include "value.h"

static const char usage_text[] =
    "usage: remap [-a COL=[map:FILE,]uuid5:NS|uuid4|serial[:START]]\n"
    "             [-k [COL=]NEWCOL]\n"
    "             [--map-out [COL=]FILE] [--fk COL=uuid5:NS|map:FILE]\n"
    "             [--map COL=FILE] [--known COL=FILE]\n"
    "             [--upstream COL[:KEY]=FILE]\n"
    "             [--orphans reject|null|keep|fail] [-o FILE] [-r FILE] [-q]\n"
    "             [--progress]\n";

#define CACHE	4096	/* uuid5 foreign keys remembered, by integer key */

enum how { UUID5, UUID4, SERIAL, MAP };

/*
 * A foreign key repeats (a school's id in each of its students), and
 * SHA-1 is the most a uuid5 --fk costs: recent integer keys keep their
 * UUID's text in a direct-mapped cache.
 */
struct cached {
	int64_t		 key;
	bool		 full;
	char		 text[SL_UUID_TEXT];
};
enum orphans { O_REJECT, O_NULL, O_KEEP, O_FAIL };
enum opkind { OP_COPY, OP_SPEC, OP_KEEP };

/* One --assign or --fk, and what it computed for the current row. */
struct spec {
	char			*col;
	bool			 fk;
	enum how		 how;
	enum how		 fb;		/* --assign map: the fallback */
	struct sl_uuid5		 g;
	int64_t			 next;		/* serial */
	bool			 start;		/* serial: START given */
	const char		*file;		/* map: */
	struct sl_keymap	*map;
	const char		*knownfile;
	struct sl_keymap	*known;
	const char		*upfile;	/* --upstream FILE */
	const char		*upkey;		/* and its KEY column */
	struct sl_keymap	*up;		/* old key -> why rejected */
	char			*uptable;	/* the parent, for "not in" */
	const char		*keep;		/* --keep-old NEWCOL */
	const char		*mapout;	/* --map-out FILE */
	struct sl_ofile		*mof;
	struct rs_writer	*mow;
	struct cached		*cache;		/* uuid5 --fk */
	uint64_t		 orphans;	/* kept or set to NULL */
	uint64_t		 kept;		/* --assign map: from the map */
	uint64_t		 made;		/* and by the fallback */
	long			 idx;		/* its column in this segment */
	/* the current row */
	bool			 null;		/* NULL out */
	bool			 old;		/* the old value out (keep) */
	bool			 usefb;		/* not in the map: the fallback */
	bool			 isint;		/* new value: n, else tv or u */
	bool			 istext;
	int64_t			 n;
	struct sl_keymap_text	 tv;
	uint8_t			 u[SL_UUID_LEN];
	const char		*text;		/* u's text, if known */
};

/* An output column, or a run of copied ones. */
struct op {
	enum opkind	 kind;
	size_t		 col;		/* first input column */
	size_t		 ncol;		/* OP_COPY: how many */
	struct spec	*sp;
};

static struct spec *specs;
static size_t nspecs;
static enum orphans orphans = O_REJECT;
static struct op *ops;
static size_t nops;
static struct sl_buf keytext;	/* the current key's text form */
static struct sl_buf reason;
static struct sl_ledger ledger;
static struct sl_common co;		/* -q, --progress */

static struct spec *
spec_find(const char *col)
{
	size_t i;

	for (i = 0; i < nspecs; i++)
		if (strcmp(specs[i].col, col) == 0)
			return &specs[i];
	return NULL;
}

/* Splits "COL=REST" in place; dies naming the option when it is not. */
static char *
split_eq(char *arg, const char *opt)
{
	char *eq = strchr(arg, '=');

	if (eq == NULL || eq == arg || eq[1] == '\0')
		usage_error(usage_text, "%s: \"%s\" is not COL=...", opt, arg);
	*eq = '\0';
	return eq + 1;
}

static struct spec *
spec_new(char *col, bool fk, const char *opt)
{
	struct spec *sp;

	if (spec_find(col) != NULL)
		usage_error(usage_text, "%s: column \"%s\" is given twice",
		    opt, col);
	specs = erealloc(specs, (nspecs + 1) * sizeof(*specs));
	sp = &specs[nspecs++];
	memset(sp, 0, sizeof(*sp));
	sp->col = col;
	sp->fk = fk;
	return sp;
}

/* uuid5:NS, which --assign and --fk share. */
static bool
parse_uuid5(struct spec *sp, const char *how, const char *opt)
{
	if (strncmp(how, "uuid5:", 6) != 0)
		return false;
	if (!sl_uuid5_ns(&sp->g, how + 6))
		usage_error(usage_text, "%s %s: a namespace is a UUID or a "
		    "name", opt, sp->col);
	sp->how = UUID5;
	return true;
}

/* uuid5:NS, uuid4 or serial[:START], for --assign COL. */
static void
parse_new(struct spec *sp, const char *how, const char *col)
{
	if (parse_uuid5(sp, how, "--assign"))
		return;
	if (strcmp(how, "uuid4") == 0) {
		sp->how = UUID4;
	} else if (strcmp(how, "serial") == 0) {
		sp->how = SERIAL;
		sp->next = 1;
	} else if (strncmp(how, "serial:", 7) == 0) {
		sp->how = SERIAL;
		sp->start = true;
		if (!sl_parse_i64(how + 7, &sp->next))
			usage_error(usage_text, "--assign %s: \"%s\" is not "
			    "a number to start at", col, how + 7);
	} else {
		usage_error(usage_text, "--assign %s: \"%s\" is none of "
		    "uuid5:NS, uuid4, serial[:START]", col, how);
	}
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
static void
parse_map_assign(struct spec *sp, char *how, const char *col)
{
	char *c = how + 4;

	while ((c = strchr(c, ',')) != NULL && !is_fallback(c + 1))
		c++;
	if (c == NULL)
		usage_error(usage_text, "--assign %s: map:FILE needs a "
		    "fallback for the keys not in it: map:FILE,uuid5:NS, "
		    "map:FILE,uuid4 or map:FILE,serial[:START]", col);
	*c = '\0';
	if (how[4] == '\0')
		usage_error(usage_text, "--assign %s: map: names no file", col);
	sp->file = how + 4;
	parse_new(sp, c + 1, col);
	sp->fb = sp->how;
	sp->how = MAP;
}

static void
opt_assign(char *arg)
{
	char *how = split_eq(arg, "--assign");
	struct spec *sp = spec_new(arg, false, "--assign");

	if (strncmp(how, "map:", 4) == 0)
		parse_map_assign(sp, how, arg);
	else
		parse_new(sp, how, arg);
}

static void
opt_fk(char *arg, bool map)
{
	char *how = split_eq(arg, map ? "--map" : "--fk");
	struct spec *sp = spec_new(arg, true, map ? "--map" : "--fk");

	if (!map && parse_uuid5(sp, how, "--fk")) {
		sp->cache = ecalloc(CACHE, sizeof(*sp->cache));
		return;
	}
	if (!map && strncmp(how, "map:", 4) != 0)
		usage_error(usage_text, "--fk %s: \"%s\" is neither uuid5:NS "
		    "nor map:FILE", arg, how);
	sp->how = MAP;
	sp->file = map ? how : how + 4;
	if (*sp->file == '\0')
		usage_error(usage_text, "--fk %s: map: names no file", arg);
}

/* The one --assign an option without COL= applies to. */
static struct spec *
only_assign(const char *opt)
{
	struct spec *sp = NULL;
	size_t i, n = 0;

	for (i = 0; i < nspecs; i++)
		if (!specs[i].fk) {
			sp = &specs[i];
			n++;
		}
	if (n != 1)
		usage_error(usage_text, "%s without COL= needs exactly one "
		    "--assign, not %zu", opt, n);
	return sp;
}

/*
 * --keep-old and --map-out: [COL=]VALUE. An '=' after an --assign or
 * --fk column's name names that column; otherwise the whole argument is
 * the value, for the one --assign.
 */
static struct spec *
opt_target(char *arg, const char **val, const char *opt, bool fkok)
{
	char *eq = strchr(arg, '=');
	struct spec *sp;

	if (eq != NULL) {
		*eq = '\0';
		if ((sp = spec_find(arg)) != NULL && (fkok || !sp->fk)) {
			*val = eq + 1;
			if (**val == '\0')
				usage_error(usage_text, "%s %s=: empty", opt,
				    arg);
			return sp;
		}
		*eq = '=';
	}
	*val = arg;
	return only_assign(opt);
}

/* --upstream COL[:KEY]=FILE, for a --fk or --map COL. */
static void
opt_upstream(char *arg)
{
	char *file = split_eq(arg, "--upstream"), *key = strchr(arg, ':');
	struct spec *sp;

	if (key != NULL) {
		*key++ = '\0';
		if (*key == '\0' || *arg == '\0')
			usage_error(usage_text, "--upstream %s: COL:KEY with "
			    "an empty name", arg);
	}
	if ((sp = spec_find(arg)) == NULL || !sp->fk ||
	    (sp->how != MAP && sp->known == NULL && sp->knownfile == NULL))
		usage_error(usage_text, "--upstream %s: not a --fk or --map "
		    "column with a map or --known list (the keys that exist)",
		    arg);
	if (sp->upfile != NULL)
		usage_error(usage_text, "--upstream %s: given twice (join "
		    "the rejects files: cat A B >FILE)", arg);
	sp->upfile = file;
	sp->upkey = key;
}

static void
opt_deferred(char *const *keeps, size_t nkeep, char *const *outs,
    size_t nout, char *const *knowns, size_t nknown)
{
	struct spec *sp;
	const char *v;
	char *col;
	size_t i;

	for (i = 0; i < nkeep; i++) {
		sp = opt_target(keeps[i], &v, "--keep-old", true);
		if (sp->keep != NULL)
			usage_error(usage_text, "--keep-old: %s is kept twice",
			    sp->col);
		sp->keep = v;
	}
	for (i = 0; i < nout; i++) {
		sp = opt_target(outs[i], &v, "--map-out", false);
		if (sp->mapout != NULL)
			usage_error(usage_text, "--map-out: two files for %s",
			    sp->col);
		sp->mapout = v;
	}
	for (i = 0; i < nknown; i++) {
		col = knowns[i];
		v = split_eq(col, "--known");
		if ((sp = spec_find(col)) == NULL || !sp->fk ||
		    sp->how != UUID5)
			usage_error(usage_text, "--known %s: not a --fk "
			    "%s=uuid5:NS column", col, col);
		sp->knownfile = v;
	}
}

/* What the keys HOW makes are, for a message. */
static const char *
how_type(enum how how)
{
	return how == SERIAL ? "int8" : "uuid";
}

/*
 * The type of a spec's column in the output, given its input type: a
 * map's own (int8 for any integer map, which holds int64), else the
 * fallback's for an --assign, else (a map of no segment, every key an
 * orphan) the input's.
 */
static const char *
new_type(const struct spec *sp, const char *in)
{
	if (sp->how != MAP)
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
static void
check_fallback(struct spec *sp)
{
	static const char *const name[] = { "uuid5", "uuid4", "serial" };
	const char *type = sl_keymap_type(sp->map);
	enum sl_keymap_kind want = sp->fb == SERIAL ? SL_KEYMAP_INT :
	    SL_KEYMAP_UUID;
	int64_t max;

	if (type != NULL && sl_keymap_kind(sp->map) != want)
		die(EXIT_USAGE, "--assign %s: the map %s gives keys of type "
		    "%s, the fallback %s gives %s: they must be of one type",
		    sp->col, sp->file, new_type(sp, NULL), name[sp->fb],
		    how_type(sp->fb));
	if (sp->fb == SERIAL && !sp->start && sl_keymap_max(sp->map, &max)) {
		if (max == INT64_MAX)
			die(EXIT_DATA, "--assign %s: the map %s holds the "
			    "largest int8; give serial:START", sp->col,
			    sp->file);
		sp->next = max + 1;
	}
}

/*
 * Where an --upstream file's old keys are, unless COL:KEY says: in the
 * column named like the map's first (the target's tracking column, as in
 * the rows rejected after remap gave them new keys) or else like its
 * second (the key, as in rows rejected before), a key list's first. The
 * map's table names the parent when no rejects file does.
 */
static void
up_names(struct spec *sp, char **names)
{
	const char *file = sp->how == MAP ? sp->file : sp->knownfile;
	const struct rs_header *h;
	struct rs_reader *r;
	enum rs_event ev;
	size_t i;

	if (strcmp(file, "-") == 0 || (r = rs_open(file)) == NULL)
		return;
	while ((ev = rs_next(r)) != RS_EOF && ev != RS_ERROR) {
		if (ev != RS_HEADER)
			continue;
		h = rs_header(r);
		for (i = 0; i < 2 && i < h->ncols; i++)
			names[i] = estrdup(h->cols[i].name);
		if (sp->uptable == NULL)
			sp->uptable = estrdup(h->table);
		break;
	}
	rs_close(r);
}

/* The column of a segment of an --upstream file that holds the old key. */
static size_t
up_keycol(const struct spec *sp, const struct rs_header *h, char **names)
{
	long i;

	if (sp->upkey != NULL && (i = rs_header_find(h, sp->upkey)) >= 0)
		return (size_t)i;
	if (sp->upkey != NULL)
		die(EXIT_USAGE, "--upstream %s: %s: \"%s\" has no column \"%s\"",
		    sp->col, sp->upfile, h->table, sp->upkey);
	if ((names[0] != NULL && (i = rs_header_find(h, names[0])) >= 0) ||
	    (names[1] != NULL && (i = rs_header_find(h, names[1])) >= 0))
		return (size_t)i;
	die(EXIT_USAGE, "--upstream %s: %s: \"%s\" has no column %s%s%s "
	    "for the old key (name it: --upstream %s:KEY=FILE)", sp->col,
	    sp->upfile, h->table, names[0] ? names[0] : "named like the map's",
	    names[1] ? " or " : "", names[1] ? names[1] : "", sp->col);
}

/* One rejected parent: its old key -> "TABLE: rejected upstream: WHY". */
static void
up_put(struct spec *sp, const char *table, const msgpack_object *k,
    const msgpack_object *e, struct sl_buf *why, struct sl_buf *key)
{
	struct sl_keymap_text t;
	int n;

	sl_buf_reset(why);
	if (!sl_buf_printf(why, "%s: rejected upstream: ", table) ||
	    (e->type == MSGPACK_OBJECT_STR ? !sl_buf_add(why, e->via.str.ptr,
	    e->via.str.size) : !sl_buf_adds(why, "no reason given")))
		die(EXIT_IO, "out of memory");
	t.p = why->p;
	t.n = why->len;
	if (k->type == MSGPACK_OBJECT_NEGATIVE_INTEGER ||
	    (k->type == MSGPACK_OBJECT_POSITIVE_INTEGER &&
	    k->via.u64 <= INT64_MAX)) {
		n = sl_keymap_put_int(sp->up, k->via.i64, &t, NULL);
	} else {
		sl_buf_reset(key);
		if (!sl_fmt_text(key, k))
			die(EXIT_IO, "out of memory");
		n = sl_keymap_put_text(sp->up, key->p, key->len, &t, NULL);
	}
	if (n < 0)
		exit(EXIT_IO);	/* reported */
}

/*
 * Reads an --upstream file (the parent stage's rejects: segments with
 * an _error column) into old key -> why. A key rejected twice keeps its
 * first reason. Read once, before the rows; an orphan looks it up.
 */
static void
up_load(struct spec *sp)
{
	/* static, so that a die() leaks nothing */
	static char *names[2];
	static struct sl_buf why, key;
	static struct rs_reader *r;
	const struct rs_header *h = NULL;
	const struct rs_row *row;
	enum rs_event ev;
	size_t kc = 0;
	long ec = -1;

	if (sp->upkey == NULL || sp->uptable == NULL)
		up_names(sp, names);
	if ((sp->up = sl_keymap_new(SL_KEYMAP_TEXT)) == NULL ||
	    (r = rs_open(sp->upfile)) == NULL)
		exit(EXIT_IO);
	while ((ev = rs_next(r)) != RS_EOF) {
		if (ev == RS_ERROR)
			exit(rs_status(r));	/* reported */
		if (ev == RS_HEADER) {
			h = rs_header(r);
			kc = up_keycol(sp, h, names);
			if ((ec = rs_header_find(h, "_error")) < 0)
				die(EXIT_USAGE, "--upstream %s: %s: \"%s\" has "
				    "no _error column: not a rejects file",
				    sp->col, sp->upfile, h->table);
			free(sp->uptable);
			sp->uptable = estrdup(h->table);
		} else if (ev == RS_ROW) {
			row = rs_row(r);
			if (row->v[kc].type != MSGPACK_OBJECT_NIL)
				up_put(sp, h->table, &row->v[kc],
				    &row->v[ec], &why, &key);
		}
	}
	rs_close(r);
	r = NULL;
	sl_buf_free(&why);
	sl_buf_free(&key);
	free(names[0]);
	free(names[1]);
	names[0] = names[1] = NULL;
}

/* Loads the maps and key lists; dies with the loader's status. */
static void
load_maps(void)
{
	size_t i;
	int st;

	for (i = 0; i < nspecs; i++) {
		if (specs[i].file != NULL && (specs[i].map =
		    sl_keymap_load(specs[i].file, false, &st)) == NULL)
			exit(st);	/* reported */
		if (specs[i].knownfile != NULL && (specs[i].known =
		    sl_keymap_load(specs[i].knownfile, true, &st)) == NULL)
			exit(st);
		if (specs[i].how == MAP && !specs[i].fk)
			check_fallback(&specs[i]);
		if (specs[i].upfile != NULL)
			up_load(&specs[i]);
	}
}

static void
add_op(enum opkind kind, size_t col, struct spec *sp)
{
	if (kind == OP_COPY && nops > 0 && ops[nops - 1].kind == OP_COPY &&
	    ops[nops - 1].col + ops[nops - 1].ncol == col) {
		ops[nops - 1].ncol++;
		return;
	}
	ops = erealloc(ops, (nops + 1) * sizeof(*ops));
	ops[nops].kind = kind;
	ops[nops].col = col;
	ops[nops].ncol = 1;
	ops[nops].sp = sp;
	nops++;
}

/* Begins a map-out segment: the old key (its input type), the new. */
static void
mapout_begin(struct spec *sp, const struct rs_header *in)
{
	struct rs_header *h = rs_header_new(in->table, 2);
	struct sl_buf old = { 0 };

	if (h == NULL)
		exit(EXIT_IO);
	if (sp->keep != NULL)
		sl_buf_adds(&old, sp->keep);
	else
		sl_buf_printf(&old, "old_%s", sp->col);
	if (!sl_buf_cstr(&old) ||
	    !rs_header_setcol(h, 0, old.p, in->cols[sp->idx].type) ||
	    !rs_header_setcol(h, 1, sp->col, new_type(sp,
	    in->cols[sp->idx].type)) ||
	    !rs_begin(sp->mow, h))
		exit(EXIT_IO);
	sl_buf_free(&old);
	rs_header_free(h);
}

/*
 * A segment begins: finds the specs' columns, plans the output columns
 * and makes the output header (the new columns' types, the tracking
 * columns after the keys they keep).
 */
static struct rs_header *
plan(const struct rs_header *in)
{
	struct rs_header *out;
	size_t i, k, n = in->ncols;
	/* the spec of each column; static, so that a die() leaks nothing */
	static struct spec **specof;
	struct spec *sp;

	free(specof);
	specof = ecalloc(in->ncols + 1, sizeof(*specof));
	for (i = 0; i < nspecs; i++) {
		sp = &specs[i];
		if ((sp->idx = rs_header_find(in, sp->col)) < 0)
			sl_no_column(in, sp->fk ? "--fk" : "--assign", sp->col);
		specof[sp->idx] = sp;
		if (sp->keep != NULL) {
			if (rs_header_find(in, sp->keep) >= 0)
				die(EXIT_USAGE, "--keep-old %s: \"%s\" already "
				    "has a column \"%s\"", sp->keep, in->table,
				    sp->keep);
			n++;
		}
	}
	nops = 0;
	if ((out = rs_header_new(in->table, n)) == NULL ||
	    (in->source != NULL && !rs_header_setsource(out, in->source)) ||
	    (in->nkey > 0 && !rs_header_setkey(out, in->nkey,
	    (const char *const *)in->key)))
		exit(EXIT_IO);
	for (i = k = 0; i < in->ncols; i++) {
		sp = specof[i];
		if (!rs_header_setcol(out, k++, in->cols[i].name,
		    sp ? new_type(sp, in->cols[i].type) : in->cols[i].type))
			exit(EXIT_IO);
		add_op(sp ? OP_SPEC : OP_COPY, i, sp);
		if (sp == NULL || sp->keep == NULL)
			continue;
		if (!rs_header_setcol(out, k++, sp->keep, in->cols[i].type))
			exit(EXIT_IO);
		add_op(OP_KEEP, i, sp);
	}
	for (i = 0; i < nspecs; i++)
		if (specs[i].mow != NULL)
			mapout_begin(&specs[i], in);
	return out;
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

/* The text form of a key value, in keytext. */
static void
key_text(const msgpack_object *o)
{
	sl_buf_reset(&keytext);
	if (!sl_buf_grow(&keytext, 24))
		die(EXIT_IO, "out of memory");
	if (o->type == MSGPACK_OBJECT_POSITIVE_INTEGER)
		keytext.len = utoa(keytext.p, o->via.u64, false);
	else if (o->type == MSGPACK_OBJECT_NEGATIVE_INTEGER)
		keytext.len = utoa(keytext.p, 0 - (uint64_t)o->via.i64, true);
	else if (o->type == MSGPACK_OBJECT_STR)
		sl_buf_add(&keytext, o->via.str.ptr, o->via.str.size);
	else if (!sl_fmt_text(&keytext, o))
		die(EXIT_IO, "out of memory");
}

static const void *
lookup(const struct sl_keymap *m, const msgpack_object *o)
{
	if (o->type == MSGPACK_OBJECT_NEGATIVE_INTEGER ||
	    (o->type == MSGPACK_OBJECT_POSITIVE_INTEGER &&
	    o->via.u64 <= INT64_MAX))
		return sl_keymap_get_int(m, o->via.i64);
	key_text(o);
	return sl_keymap_get_text(m, keytext.p, keytext.len);
}

static void
set_reason(const char *what, const struct spec *sp, const msgpack_object *o)
{
	char show[SL_PRINTABLE];

	sl_buf_reset(&reason);
	key_text(o);
	if (!sl_buf_printf(&reason, "%s: %s=%s", what, sp->col,
	    sl_printable(show, sizeof(show), keytext.p, keytext.len)))
		die(EXIT_IO, "out of memory");
}

/*
 * An orphan's cause, after its reason, from --upstream: the parent was
 * rejected (and why), or it is not among the rows the parent's stage
 * read. Only orphans pay for it.
 */
static void
up_why(const struct spec *sp, const msgpack_object *o)
{
	const void *v = lookup(sp->up, o);
	struct sl_keymap_text t;
	bool ok;

	if (v != NULL) {
		t = sl_keymap_text(sp->up, v);
		ok = sl_buf_adds(&reason, " (") &&
		    sl_buf_add(&reason, t.p, t.n) && sl_buf_adds(&reason, ")");
	} else {
		ok = sl_buf_printf(&reason, " (%s: not in the source)",
		    sp->uptable != NULL ? sp->uptable : sp->col);
	}
	if (!ok || !sl_buf_cstr(&reason))
		die(EXIT_IO, "out of memory");
}

/*
 * A foreign key with no new key. Returns false when its row is to be
 * rejected (the reason set); dies under --orphans fail.
 */
static bool
orphan(struct spec *sp, const msgpack_object *o, const struct rs_row *row,
    const char *table)
{
	set_reason("orphan", sp, o);
	if (sp->up != NULL)
		up_why(sp, o);
	switch (orphans) {
	case O_REJECT:
		return false;
	case O_FAIL:
		die(EXIT_DATA, "row %" PRIu64 " of \"%s\": %s (--orphans "
		    "fail)", row->num, table, reason.p);
	case O_NULL:
		sp->null = true;
		break;
	case O_KEEP:
		/* a uuid5 key keeps the UUID its old key gives */
		if (sp->how == MAP)
			sp->old = true;
		break;
	}
	sp->orphans++;
	return true;
}

/* The uuid5 of a key, through the cache for a foreign key. */
static void
by_uuid5(struct spec *sp, const msgpack_object *o)
{
	struct cached *c;
	int64_t k = o->via.i64;

	if (sp->cache == NULL || (o->type != MSGPACK_OBJECT_NEGATIVE_INTEGER &&
	    o->type != MSGPACK_OBJECT_POSITIVE_INTEGER)) {
		key_text(o);
		sl_uuid5(&sp->g, keytext.p, keytext.len, sp->u);
		return;
	}
	c = &sp->cache[(uint64_t)k * 0x9e3779b97f4a7c15ULL >> 52];
	if (!c->full || c->key != k) {
		key_text(o);
		sl_uuid5(&sp->g, keytext.p, keytext.len, sp->u);
		sl_uuid_fmt(sp->u, c->text);
		c->key = k;
		c->full = true;
	}
	sp->text = c->text;
}

/* Computes a spec's new value for the row; false: reject (reason set). */
static bool
compute(struct spec *sp, const struct rs_row *row, const char *table)
{
	const msgpack_object *o = &row->v[sp->idx];
	const void *v;

	sp->null = sp->old = sp->usefb = sp->istext = false;
	sp->isint = sp->how == SERIAL;
	sp->text = NULL;
	if (o->type == MSGPACK_OBJECT_NIL) {
		if (sp->fk) {
			sp->null = true;	/* no reference: not an orphan */
			return true;
		}
		sl_buf_reset(&reason);
		if (!sl_buf_printf(&reason, "null key: %s", sp->col))
			die(EXIT_IO, "out of memory");
		return false;
	}
	if (sp->how == UUID5) {
		by_uuid5(sp, o);
		if (sp->known != NULL && lookup(sp->known, o) == NULL)
			return orphan(sp, o, row, table);
		return true;
	}
	if (sp->how != MAP)
		return true;	/* uuid4, serial: once the row passes */
	if ((v = lookup(sp->map, o)) == NULL && sp->fk)
		return orphan(sp, o, row, table);
	if (v == NULL) {
		/* an --assign: a key the map lacks is made anew */
		sp->usefb = true;
		sp->isint = sp->fb == SERIAL;
		if (sp->fb == UUID5)
			by_uuid5(sp, o);
		return true;
	}
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
	return true;
}

/*
 * An orphan kept under --orphans keep, in a map column: its old value
 * as it was when the column's class allows, as text in a UUID column.
 */
static void
put_old(struct rs_writer *w, const struct spec *sp, const struct rs_row *row)
{
	const msgpack_object *o = &row->v[sp->idx];
	bool isint = o->type == MSGPACK_OBJECT_POSITIVE_INTEGER ||
	    o->type == MSGPACK_OBJECT_NEGATIVE_INTEGER;

	if (isint == (sl_keymap_kind(sp->map) == SL_KEYMAP_INT) &&
	    (isint || o->type == MSGPACK_OBJECT_STR)) {
		rs_put_raw(w, row->raw + row->off[sp->idx],
		    row->off[sp->idx + 1] - row->off[sp->idx]);
		return;
	}
	key_text(o);
	rs_put_str(w, keytext.p, keytext.len);
}

static void
put_new(struct rs_writer *w, struct spec *sp, const struct rs_row *row)
{
	enum how how = sp->usefb ? sp->fb : sp->how;
	char t[SL_UUID_TEXT];

	if (sp->null) {
		rs_put_nil(w);
		return;
	}
	if (sp->old) {
		put_old(w, sp, row);
		return;
	}
	if (sp->how == MAP && !sp->fk && sp->usefb)
		sp->made++;
	else if (sp->how == MAP && !sp->fk)
		sp->kept++;
	if (how == SERIAL)
		sp->n = sp->next++;
	else if (how == UUID4 && !sl_uuid4(sp->u))
		exit(EXIT_IO);
	if (sp->istext) {
		rs_put_str(w, sp->tv.p, sp->tv.n);
		return;
	}
	if (sp->isint) {
		rs_put_int(w, sp->n);
		return;
	}
	if (sp->text != NULL) {
		rs_put_str(w, sp->text, SL_UUID_TEXT);
		return;
	}
	sl_uuid_fmt(sp->u, t);
	rs_put_str(w, t, sizeof(t));
}

static void
mapout_row(struct spec *sp, const struct rs_row *row)
{
	char t[SL_UUID_TEXT];

	rs_row_begin(sp->mow);
	rs_put_raw(sp->mow, row->raw + row->off[sp->idx],
	    row->off[sp->idx + 1] - row->off[sp->idx]);
	if (sp->istext) {
		rs_put_str(sp->mow, sp->tv.p, sp->tv.n);
	} else if (sp->isint) {
		rs_put_int(sp->mow, sp->n);
	} else {
		sl_uuid_fmt(sp->u, t);
		rs_put_str(sp->mow, t, sizeof(t));
	}
	if (!rs_row_end(sp->mow))
		exit(EXIT_IO);
}

static void
write_row(struct rs_writer *w, const struct rs_row *row)
{
	const struct op *op;
	size_t i;

	rs_row_begin(w);
	for (op = ops; op < ops + nops; op++) {
		switch (op->kind) {
		case OP_COPY:
			rs_put_raws(w, row->raw + row->off[op->col],
			    row->off[op->col + op->ncol] - row->off[op->col],
			    op->ncol);
			break;
		case OP_KEEP:
			rs_put_raw(w, row->raw + row->off[op->col],
			    row->off[op->col + 1] - row->off[op->col]);
			break;
		case OP_SPEC:
			put_new(w, op->sp, row);
			break;
		}
	}
	if (!rs_row_end(w))
		exit(EXIT_IO);
	for (i = 0; i < nspecs; i++)
		if (specs[i].mow != NULL)
			mapout_row(&specs[i], row);
}

/*
 * One row: its new keys, or its rejection. Without a rejects file the
 * output stops at the first rejected row (ledger.h); the input is still
 * read to the end, to count and check it.
 */
static bool
do_row(struct sl_ledger *l, struct rs_reader *r, struct rs_writer *w)
{
	const struct rs_row *row = rs_row(r);
	const char *table = rs_header(r)->table;
	size_t i;

	for (i = 0; i < nspecs; i++)
		if (!compute(&specs[i], row, table))
			return sl_ledger_reject(l, r, reason.p);
	if (!sl_ledger_stopped(l))
		write_row(w, row);
	return true;
}

/*
 * After a segment, on stderr: the orphans kept or set to NULL, and how
 * many keys each --assign through a map kept and made.
 */
static void
orphan_notes(const char *table)
{
	size_t i;

	for (i = 0; i < nspecs; i++) {
		if (specs[i].how == MAP && !specs[i].fk)
			fprintf(stderr, "%s: %s: %s: %" PRIu64 " kept from the "
			    "map, %" PRIu64 " new\n", sl_progname, table,
			    specs[i].col, specs[i].kept, specs[i].made);
		specs[i].kept = specs[i].made = 0;
		if (specs[i].orphans > 0)
			fprintf(stderr, "%s: %s: %s: %" PRIu64 " orphan%s %s\n",
			    sl_progname, table, specs[i].col, specs[i].orphans,
			    specs[i].orphans == 1 ? "" : "s",
			    orphans == O_NULL ? "set to NULL" : "kept");
		specs[i].orphans = 0;
	}
}

/* Opens the --map-out files; they appear only when the run succeeds. */
static void
mapout_open(void)
{
	size_t i;

	for (i = 0; i < nspecs; i++) {
		if (specs[i].mapout == NULL)
			continue;
		if ((specs[i].mof = sl_ofile_open(specs[i].mapout)) == NULL ||
		    (specs[i].mow = rs_wopen(sl_ofile_fd(specs[i].mof),
		    specs[i].mapout)) == NULL)
			exit(EXIT_IO);
	}
}

/* Closes the --map-out files: renamed into place, or removed. */
static bool
mapout_close(bool commit)
{
	struct spec *sp;
	bool ok = true, wok;

	for (sp = specs; sp < specs + nspecs; sp++) {
		if (sp->mof == NULL)
			continue;
		wok = commit && rs_wfinish(sp->mow);
		wok = rs_wclose(sp->mow) && wok;
		if (wok) {
			ok = sl_ofile_commit(sp->mof) && ok;
		} else {
			sl_ofile_abort(sp->mof);
			ok = ok && !commit;
		}
		sp->mof = NULL;
		sp->mow = NULL;
	}
	return ok;
}

/* Abandons the output files when remap dies. */
static void
cleanup(void)
{
	mapout_close(false);
	sl_ledger_close(&ledger, false);
}

/* After a segment: the map-out segments end, and the orphans are told. */
static bool
seg_end(const struct rs_reader *r)
{
	size_t i;

	for (i = 0; i < nspecs; i++)
		if (specs[i].mow != NULL && !rs_end(specs[i].mow))
			return false;
	if (!co.quiet)
		orphan_notes(rs_header(r)->table);
	return true;
}

static void
help(void)
{
	fputs(usage_text, stdout);
	fputs("Give rows new keys and make their foreign keys follow.\n"
	    "\n"
	    "  -a, --assign COL=HOW    a new key in COL: uuid5:NS (the same old\n"
	    "                          key always gives the same UUID), uuid4\n"
	    "                          (random), serial[:START] (1, 2, ...)\n"
	    "  -a, --assign COL=map:FILE,HOW\n"
	    "                          the map's key for an old key it has, a\n"
	    "                          new one by HOW for the others\n"
	    "  -k, --keep-old [COL=]NEWCOL\n"
	    "                          keep COL's old value in NEWCOL, after COL\n"
	    "      --map-out [COL=]FILE\n"
	    "                          write the old -> new pairs to FILE\n"
	    "      --fk COL=uuid5:NS   rewrite a foreign key as --assign does\n"
	    "      --fk COL=map:FILE   rewrite it through a map (a two-column\n"
	    "                          row stream: old key, new key)\n"
	    "      --map COL=FILE      the same as --fk COL=map:FILE\n"
	    "      --known COL=FILE    the old keys that exist (first column of\n"
	    "                          a row stream), for a uuid5 --fk\n"
	    "      --upstream COL[:KEY]=FILE\n"
	    "                          the parent stage's rejects: an orphan's\n"
	    "                          reason says whether its parent was\n"
	    "                          rejected there (and why) or is not in\n"
	    "                          the source; KEY is FILE's old key column\n"
	    "      --orphans WHAT      a foreign key with no new key: reject\n"
	    "                          (the default), null, keep or fail\n"
	    "  -o, --output FILE       write the stream to FILE (default stdout),\n"
	    "                          in place only when it is whole; mode 0600\n"
	    "  -r, --rejects FILE      rejected rows, with the reason in _error\n"
	    "  -q, --quiet             no summary on stderr\n"
	    "      --progress          a progress line on stderr\n"
	    "  -h, --help              this text\n"
	    "      --version           the version\n"
	    "\n"
	    "NS is a UUID, or a name standing for uuid5(NAMESPACE_URL, name).\n"
	    "Keys match by their text form: 42 and \"42\" are one key.\n"
	    "Exit status: 0 ok, 1 orphans under --orphans fail, or rows\n"
	    "rejected with no --rejects file, 2 usage, 3 bad input stream,\n"
	    "5 I/O error.\n", stdout);
}

int
main(int argc, char *argv[])
{
	enum { OPT_MAPOUT = 256, OPT_FK, OPT_MAP, OPT_KNOWN, OPT_ORPHANS,
	    OPT_UPSTREAM };
	static const struct option opts[] = {
		{ "assign", required_argument, NULL, 'a' },
		{ "fk", required_argument, NULL, OPT_FK },
		{ "keep-old", required_argument, NULL, 'k' },
		{ "known", required_argument, NULL, OPT_KNOWN },
		{ "map", required_argument, NULL, OPT_MAP },
		{ "map-out", required_argument, NULL, OPT_MAPOUT },
		{ "orphans", required_argument, NULL, OPT_ORPHANS },
		{ "output", required_argument, NULL, 'o' },
		{ "rejects", required_argument, NULL, 'r' },
		{ "upstream", required_argument, NULL, OPT_UPSTREAM },
		SL_COMMON_LONG,
		{ NULL, 0, NULL, 0 },
	};
	static const char *const onames[] = { "reject", "null", "keep",
	    "fail" };
	static const struct sl_filter filter = { plan, do_row, seg_end,
	    NULL, NULL };
	struct sl_progress pg;
	const char *output = NULL;
	static char **keeps, **outs, **knowns, **ups;
	const char *rejects = NULL;
	size_t nkeep = 0, nout = 0, nknown = 0, nup = 0, i;
	bool found;
	int c, status;

	sl_setprogname(argv[0]);
	keeps = ecalloc((size_t)argc, sizeof(*keeps));
	outs = ecalloc((size_t)argc, sizeof(*outs));
	knowns = ecalloc((size_t)argc, sizeof(*knowns));
	ups = ecalloc((size_t)argc, sizeof(*ups));
	while ((c = getopt_long(argc, argv, "a:hk:qo:r:", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			opt_assign(optarg);
			break;
		case OPT_FK:
		case OPT_MAP:
			opt_fk(optarg, c == OPT_MAP);
			break;
		case 'k':
			keeps[nkeep++] = optarg;
			break;
		case OPT_MAPOUT:
			outs[nout++] = optarg;
			break;
		case OPT_KNOWN:
			knowns[nknown++] = optarg;
			break;
		case OPT_UPSTREAM:
			ups[nup++] = optarg;
			break;
		case OPT_ORPHANS:
			for (i = 0, found = false; i < 4 && !found; i++)
				if ((found = strcmp(optarg, onames[i]) == 0))
					orphans = (enum orphans)i;
			if (!found)
				usage_error(usage_text, "--orphans: \"%s\" is "
				    "none of reject, null, keep, fail", optarg);
			break;
		case 'o':
			output = optarg;
			break;
		case 'r':
			rejects = optarg;
			break;
		default:
			if (!sl_common_opt(&co, c, help))
				usage_error(usage_text, NULL);
		}
	}
	if (optind < argc)
		usage_error(usage_text, "unexpected argument \"%s\"",
		    argv[optind]);
	if (nspecs == 0)
		usage_error(usage_text, "nothing to do: no --assign, --fk "
		    "or --map");
	opt_deferred(keeps, nkeep, outs, nout, knowns, nknown);
	for (i = 0; i < nup; i++)
		opt_upstream(ups[i]);
	free(ups);
	free(keeps);
	free(outs);
	free(knowns);
	load_maps();
	if (!sl_ledger_open(&ledger, rejects, output))
		return EXIT_IO;
	atexit(cleanup);
	mapout_open();
	sl_progress_start(&pg, co.progress);
	status = sl_ledger_run(&ledger, &filter, &pg, co.quiet);
	sl_progress_end(&pg);
	if (status == EXIT_OK && (!mapout_close(true) ||
	    !sl_ledger_close(&ledger, true)))
		status = EXIT_IO;
	return status;
}
