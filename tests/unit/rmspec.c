/*
 * Unit tests of lib/rmspec.c, remap's engine without a stream: reading
 * --assign, --fk, --keep-old, --map-out, --known and --upstream (what
 * each accepts, and the message for what it refuses), the output types,
 * and each row's new key: uuid5 (the same old key, the same UUID, 42
 * and "42" alike), a map, a map's fallback, NULL keys and orphans under
 * each --orphans.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "exitcodes.h"
#include "rmspec.h"
#include "unit.h"

/* An argument the option functions may split in place. */
static char *
arg(const char *s)
{
	static char bufs[16][128];
	static int n;
	char *b = bufs[n++ % 16];

	snprintf(b, 128, "%s", s);
	return b;
}

/* Whether the last message holds want. */
static bool
said(const char *want)
{
	return strstr(sl_lasterr(), want) != NULL;
}

static void
test_assign(void)
{
	struct rm_set s = { 0 };
	struct rm_spec *sp;

	CHECK(rm_opt_assign(&s, arg("id=serial:100")) == EXIT_OK);
	CHECK(rm_opt_assign(&s, arg("uid=uuid4")) == EXIT_OK);
	CHECK(rm_opt_assign(&s, arg("k=uuid5:school")) == EXIT_OK);
	CHECK(rm_opt_assign(&s, arg("m=map:a,b.rs,serial")) == EXIT_OK);
	CHECK(s.nspecs == 4);
	CHECK((sp = rm_find(&s, "id")) != NULL && sp->how == RM_SERIAL &&
	    sp->next == 100 && sp->start && !sp->fk);
	CHECK((sp = rm_find(&s, "uid")) != NULL && sp->how == RM_UUID4);
	CHECK((sp = rm_find(&s, "k")) != NULL && sp->how == RM_UUID5);
	/* a file name may hold commas: it ends where a fallback begins */
	CHECK((sp = rm_find(&s, "m")) != NULL && sp->how == RM_MAP &&
	    sp->fb == RM_SERIAL && strcmp(sp->file, "a,b.rs") == 0 &&
	    sp->next == 1 && !sp->start);
	CHECK(strcmp(rm_new_type(rm_find(&s, "id"), "text"), "int8") == 0);
	CHECK(strcmp(rm_new_type(rm_find(&s, "k"), "int8"), "uuid") == 0);
	/* a map of no segment: the fallback's type */
	CHECK((rm_find(&s, "m")->map = sl_keymap_new(SL_KEYMAP_INT)) != NULL);
	CHECK(strcmp(rm_new_type(rm_find(&s, "m"), "text"), "int8") == 0);
	CHECK(rm_find(&s, "nope") == NULL);
	rm_free(&s);
	CHECK(s.nspecs == 0 && s.specs == NULL);
}

static void
test_refused(void)
{
	static const struct {
		const char *opt, *arg, *msg;
	} t[] = {
		{ "a", "id", "--assign: \"id\" is not COL=..." },
		{ "a", "=serial", "is not COL=..." },
		{ "a", "id=", "is not COL=..." },
		{ "a", "id=serial:x", "--assign id: \"x\" is not a number to "
		    "start at" },
		{ "a", "id=md5", "--assign id: \"md5\" is none of uuid5:NS, "
		    "uuid4, serial[:START]" },
		{ "a", "id=map:f.rs", "--assign id: map:FILE needs a fallback" },
		{ "a", "id=map:,uuid4", "--assign id: map: names no file" },
		{ "f", "s=md5", "--fk s: \"md5\" is neither uuid5:NS nor "
		    "map:FILE" },
		{ "f", "s=map:", "--fk s: map: names no file" },
		{ "m", "s=", "--map: \"s=\" is not COL=..." },
	};
	struct rm_set s = { 0 };
	size_t i;
	int st;

	sl_err_quiet(true);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		st = t[i].opt[0] == 'a' ? rm_opt_assign(&s, arg(t[i].arg)) :
		    rm_opt_fk(&s, arg(t[i].arg), t[i].opt[0] == 'm');
		CHECKF(st == EXIT_USAGE && said(t[i].msg), "%s %s: %d, %s",
		    t[i].opt, t[i].arg, st, sl_lasterr());
		rm_free(&s);	/* remap exits here: a fresh set each */
	}
	CHECK(rm_opt_assign(&s, arg("id=uuid4")) == EXIT_OK);
	CHECK(rm_opt_fk(&s, arg("id=uuid5:x"), false) == EXIT_USAGE &&
	    said("--fk: column \"id\" is given twice"));
	sl_err_quiet(false);
	rm_free(&s);
}

static void
test_deferred(void)
{
	struct rm_set s = { 0 };
	char *keeps[] = { arg("old_id") }, *outs[] = { arg("map.rs") };
	char *knowns[] = { arg("school_id=k.rs") };
	char *twokeeps[] = { arg("id=a"), arg("b") };
	char *badknown[] = { arg("id=k.rs") };

	CHECK(rm_opt_assign(&s, arg("id=serial")) == EXIT_OK);
	CHECK(rm_opt_fk(&s, arg("school_id=uuid5:s"), false) == EXIT_OK);
	CHECK(rm_opt_fk(&s, arg("t=map:t.rs"), false) == EXIT_OK);
	/* without COL=, the one --assign */
	CHECK(rm_opt_deferred(&s, keeps, 1, outs, 1, knowns, 1) == EXIT_OK);
	CHECK(strcmp(rm_find(&s, "id")->keep, "old_id") == 0);
	CHECK(strcmp(rm_find(&s, "id")->mapout, "map.rs") == 0);
	CHECK(strcmp(rm_find(&s, "school_id")->knownfile, "k.rs") == 0);
	sl_err_quiet(true);
	CHECK(rm_opt_deferred(&s, twokeeps, 2, NULL, 0, NULL, 0) ==
	    EXIT_USAGE && said("--keep-old: id is kept twice"));
	CHECK(rm_opt_deferred(&s, NULL, 0, NULL, 0, badknown, 1) ==
	    EXIT_USAGE && said("--known id: not a --fk id=uuid5:NS column"));
	/* --upstream: a map or known list's column, once */
	CHECK(rm_opt_upstream(&s, arg("t:old=rj.rs")) == EXIT_OK);
	CHECK(strcmp(rm_find(&s, "t")->upkey, "old") == 0 &&
	    strcmp(rm_find(&s, "t")->upfile, "rj.rs") == 0);
	CHECK(rm_opt_upstream(&s, arg("t=rj2.rs")) == EXIT_USAGE &&
	    said("--upstream t: given twice"));
	CHECK(rm_opt_upstream(&s, arg("id=rj.rs")) == EXIT_USAGE &&
	    said("--upstream id: not a --fk or --map column"));
	CHECK(rm_opt_upstream(&s, arg("t:=rj.rs")) == EXIT_USAGE &&
	    said("COL:KEY with an empty name"));
	sl_err_quiet(false);
	rm_free(&s);
}

/* A one-column row holding o, numbered num. */
static void
row1(struct rs_row *row, msgpack_object *o, uint64_t num)
{
	memset(row, 0, sizeof(*row));
	row->ncols = 1;
	row->v = o;
	row->num = num;
}

static msgpack_object
int_obj(int64_t v)
{
	msgpack_object o = { 0 };

	o.type = v < 0 ? MSGPACK_OBJECT_NEGATIVE_INTEGER :
	    MSGPACK_OBJECT_POSITIVE_INTEGER;
	o.via.i64 = v;
	return o;
}

static msgpack_object
str_obj(const char *s)
{
	msgpack_object o = { 0 };

	o.type = MSGPACK_OBJECT_STR;
	o.via.str.ptr = s;
	o.via.str.size = (uint32_t)strlen(s);
	return o;
}

static void
test_uuid5(void)
{
	struct rm_set s = { 0 };
	struct rm_spec *a, *f;
	struct rs_row row;
	msgpack_object o;
	char ta[SL_UUID_TEXT], tf[SL_UUID_TEXT];
	uint8_t u42[SL_UUID_LEN];

	CHECK(rm_opt_assign(&s, arg("id=uuid5:school")) == EXIT_OK);
	CHECK(rm_opt_fk(&s, arg("sid=uuid5:school"), false) == EXIT_OK);
	a = rm_find(&s, "id");
	f = rm_find(&s, "sid");
	a->idx = f->idx = 0;
	o = int_obj(42);
	row1(&row, &o, 1);
	CHECK(rm_compute(&s, a, &row, "t") == RM_PASS);
	memcpy(u42, a->u, sizeof(u42));
	sl_uuid_fmt(a->u, ta);
	/* the --fk, through its cache, gives the key's own UUID */
	CHECK(rm_compute(&s, f, &row, "t") == RM_PASS && f->text != NULL);
	CHECK(f->text != NULL && memcmp(f->text, ta, SL_UUID_TEXT) == 0);
	CHECK(rm_compute(&s, f, &row, "t") == RM_PASS && f->text != NULL &&
	    memcmp(f->text, ta, SL_UUID_TEXT) == 0);
	/* keys match by their text form: "42" is 42 */
	o = str_obj("42");
	CHECK(rm_compute(&s, a, &row, "t") == RM_PASS);
	CHECK(memcmp(a->u, u42, sizeof(u42)) == 0);
	o = int_obj(43);
	CHECK(rm_compute(&s, a, &row, "t") == RM_PASS);
	sl_uuid_fmt(a->u, tf);
	CHECK(memcmp(ta, tf, SL_UUID_TEXT) != 0);
	/* a NULL primary key rejects its row; a NULL foreign key is NULL */
	o.type = MSGPACK_OBJECT_NIL;
	CHECK(rm_compute(&s, a, &row, "t") == RM_ROWREJECT &&
	    strcmp(s.reason.p, "null key: id") == 0);
	CHECK(rm_compute(&s, f, &row, "t") == RM_PASS && f->null);
	rm_free(&s);
}

static void
test_map_and_orphans(void)
{
	static const enum rm_orphans pol[] = { RM_REJECT, RM_NULL, RM_KEEP,
	    RM_FAIL };
	struct rm_set s = { 0 };
	struct rm_spec *f, *a;
	struct rs_row row;
	msgpack_object o;
	int64_t v = 1000;
	size_t i;
	int st;

	CHECK(rm_opt_fk(&s, arg("sid=map:m.rs"), false) == EXIT_OK);
	CHECK(rm_opt_assign(&s, arg("id=map:m.rs,serial")) == EXIT_OK);
	f = rm_find(&s, "sid");
	a = rm_find(&s, "id");
	CHECK((f->map = sl_keymap_new(SL_KEYMAP_INT)) != NULL);
	CHECK((a->map = sl_keymap_new(SL_KEYMAP_INT)) != NULL);
	CHECK(sl_keymap_put_int(f->map, 7, &v, NULL) == 1);
	CHECK(sl_keymap_put_int(a->map, 7, &v, NULL) == 1);
	f->idx = a->idx = 0;
	o = int_obj(7);
	row1(&row, &o, 3);
	CHECK(rm_compute(&s, f, &row, "t") == RM_PASS && f->isint &&
	    f->n == 1000 && !f->usefb);
	CHECK(rm_compute(&s, a, &row, "t") == RM_PASS && a->isint &&
	    a->n == 1000 && !a->usefb);
	/* an --assign makes a key the map lacks by its fallback */
	o = int_obj(8);
	CHECK(rm_compute(&s, a, &row, "t") == RM_PASS && a->usefb &&
	    a->isint);
	/* a --fk the map lacks is an orphan */
	sl_err_quiet(true);
	for (i = 0; i < 4; i++) {
		s.orphans = pol[i];
		f->orphans = 0;
		st = rm_compute(&s, f, &row, "t");
		CHECKF(strcmp(s.reason.p, "orphan: sid=8") == 0, "%s",
		    s.reason.p);
		switch (pol[i]) {
		case RM_REJECT:
			CHECK(st == RM_ROWREJECT && f->orphans == 0);
			break;
		case RM_NULL:
			CHECK(st == RM_PASS && f->null && f->orphans == 1);
			break;
		case RM_KEEP:
			CHECK(st == RM_PASS && f->old && !f->null &&
			    f->orphans == 1);
			break;
		case RM_FAIL:
			CHECK(st == EXIT_DATA && said("row 3 of \"t\": "
			    "orphan: sid=8 (--orphans fail)"));
			break;
		}
	}
	sl_err_quiet(false);
	/* a map made by no segment has no type: the input's stays */
	CHECK(strcmp(rm_new_type(f, "text"), "text") == 0);
	rm_free(&s);
}

int
main(void)
{
	sl_setprogname("rmspec");
	run("rmspec: --assign's forms and types", test_assign);
	run("rmspec: refused arguments and their messages", test_refused);
	run("rmspec: --keep-old, --map-out, --known, --upstream",
	    test_deferred);
	run("rmspec: uuid5 keys, the --fk cache, NULL keys", test_uuid5);
	run("rmspec: maps, fallbacks and orphans under each --orphans",
	    test_map_and_orphans);
	return unit_bad ? 1 : 0;
}
