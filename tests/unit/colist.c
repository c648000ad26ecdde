/*
 * Unit tests of lib/colist.c, cols' list and casts without a stream:
 * what each item form gives (names, AS, quoted names, typed constants
 * packed for their type, expressions named after their column), the
 * messages for lists it refuses, and the casts as a table of value in,
 * status and value out.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "colist.h"
#include "err.h"
#include "exitcodes.h"
#include "unit.h"
#include "value.h"

/* Parses s (copied: the list keeps pointing into it) into l. */
static int
parse(struct cl_list *l, const char *s, char *buf, size_t n)
{
	memset(l, 0, sizeof(*l));
	l->on_error = EX_POL_NULL;
	snprintf(buf, n, "%s", s);
	return cl_parse(l, buf);
}

/* The text form of a constant item's packed value, in b. */
static const char *
const_text(const struct cl_item *it, struct sl_buf *b)
{
	msgpack_unpacked u;
	size_t off = 0;

	sl_buf_reset(b);
	msgpack_unpacked_init(&u);
	if (msgpack_unpack_next(&u, it->val.p, it->val.len, &off) !=
	    MSGPACK_UNPACK_SUCCESS)
		sl_buf_adds(b, "(bad)");
	else if (u.data.type == MSGPACK_OBJECT_NIL)
		sl_buf_adds(b, "NULL");
	else
		sl_fmt_text(b, &u.data);
	msgpack_unpacked_destroy(&u);
	sl_buf_cstr(b);
	return b->p;
}

static void
test_items(void)
{
	struct cl_list l;
	struct sl_buf b = { 0 };
	char buf[256];
	const struct cl_item *it;

	CHECK(parse(&l, " id , full_name AS name,\"Odd \"\"x\"\"\" as y, *, "
	    "role=teacher, n:int8=42, ok:bool=yes, s='a, ''b''', "
	    "z:int8=null, lower(email)", buf, sizeof(buf)) == EXIT_OK);
	CHECK(l.nitems == 10);
	if (l.nitems != 10)
		return;
	it = l.items;
	CHECK(it[0].kind == CL_COL && strcmp(it[0].name, "id") == 0 &&
	    strcmp(it[0].as, "id") == 0);
	CHECK(it[1].kind == CL_COL && strcmp(it[1].name, "full_name") == 0 &&
	    strcmp(it[1].as, "name") == 0);
	CHECK(it[2].kind == CL_COL && strcmp(it[2].name, "Odd \"x\"") == 0 &&
	    strcmp(it[2].as, "y") == 0);
	CHECK(it[3].kind == CL_STAR);
	CHECK(it[4].kind == CL_CONST && strcmp(it[4].as, "role") == 0 &&
	    strcmp(it[4].type, "text") == 0 &&
	    strcmp(const_text(&it[4], &b), "teacher") == 0);
	CHECK(it[5].kind == CL_CONST && strcmp(it[5].type, "int8") == 0 &&
	    strcmp(const_text(&it[5], &b), "42") == 0);
	CHECK(it[6].kind == CL_CONST && strcmp(it[6].type, "bool") == 0 &&
	    strcmp(const_text(&it[6], &b), "t") == 0);
	/* a quoted value keeps its comma and its doubled quotes as one */
	CHECKF(it[7].kind == CL_CONST &&
	    strcmp(const_text(&it[7], &b), "a, 'b'") == 0, "%s", b.p);
	CHECK(it[8].kind == CL_CONST &&
	    strcmp(const_text(&it[8], &b), "NULL") == 0);
	/* an expression of one column is named after it */
	CHECK(it[9].kind == CL_EXPR && strcmp(it[9].as, "email") == 0 &&
	    it[9].policy == EX_POL_NULL && it[9].pos == strlen(buf) - 12);
	cl_free(&l);
	CHECK(l.items == NULL && l.nitems == 0);
	sl_buf_free(&b);
}

static void
test_refused(void)
{
	static const struct {
		const char *list;
		int st;
		const char *msg;
	} t[] = {
		{ "id AS", CL_BADARG, "\"id AS\": expected COL, COL AS NAME, "
		    "NAME=VALUE or *" },
		{ "id AS x y", CL_BADARG, "\"id AS x y\": something after the "
		    "name" },
		{ "\"id", CL_BADARG, "the list has a quote that does not end" },
		{ "\"id\"\" x", CL_BADARG, "a quote that does not end" },
		{ "=5", CL_BADARG, "\"=5\": a column name is missing" },
		{ "n:=5", CL_BADARG, "\"n:=5\": NAME:TYPE=VALUE has no type" },
		{ "n:int8=x", CL_BADARG, "n: \"x\" is not a valid int8" },
		{ "n:bool=maybe", CL_BADARG, "n: \"maybe\" is not a valid bool" },
		{ "s='a' b", CL_BADARG, "\"s='a' b\": a quoted value must end "
		    "the item" },
		{ "concat(a, b)", EXIT_USAGE, "an expression of no column or "
		    "of several needs AS NAME" },
		{ "lower(a) b", EXIT_USAGE, "expected AS NAME, a comma or the "
		    "end after the expression" },
		{ "lower(a) AS b c", EXIT_USAGE, "something after the name" },
	};
	struct cl_list l;
	char buf[128];
	size_t i;
	int st;

	sl_err_quiet(true);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		st = parse(&l, t[i].list, buf, sizeof(buf));
		/* a syntax error's last line is the caret: look before it */
		CHECKF(st == t[i].st, "%s: %d", t[i].list, st);
		if (st == CL_BADARG)
			CHECKF(strstr(sl_lasterr(), t[i].msg) != NULL,
			    "%s: %s", t[i].list, sl_lasterr());
		cl_free(&l);
	}
	sl_err_quiet(false);
}

static msgpack_object
obj_str(const char *s, size_t n)
{
	msgpack_object o = { 0 };

	o.type = MSGPACK_OBJECT_STR;
	o.via.str.ptr = s;
	o.via.str.size = (uint32_t)n;
	return o;
}

static void
test_casts(void)
{
	static const struct {
		enum cl_cast to;
		const char *in;		/* a str */
		int st;
		const char *out;	/* the text form of the value */
	} t[] = {
		{ CL_INT8, "42", 0, "42" },
		{ CL_INT8, " -7 ", 0, "-7" },
		{ CL_INT8, "+3", 0, "3" },
		{ CL_INT8, "1e3", 1, NULL },
		{ CL_INT8, "-", 1, NULL },
		{ CL_INT8, "", 1, NULL },
		{ CL_INT8, "9999999999999999999", 2, NULL },
		{ CL_FLOAT8, "2.5", 0, "2.5" },
		{ CL_FLOAT8, " NaN ", 0, "NaN" },
		{ CL_FLOAT8, "0x10", 1, NULL },
		{ CL_FLOAT8, "1e999", 2, NULL },
		{ CL_BOOL, "  YES ", 0, "t" },
		{ CL_BOOL, "off", 0, "f" },
		{ CL_BOOL, "2", 1, NULL },
		{ CL_TEXT, "as is ", 0, "as is " },
	};
	struct sl_buf text = { 0 }, scratch = { 0 }, b = { 0 };
	msgpack_object o, v;
	size_t i;
	int st;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		o = obj_str(t[i].in, strlen(t[i].in));
		st = cl_cast(t[i].to, &o, &v, &text, &scratch);
		CHECKF(st == t[i].st, "%s %s: %d", cl_cast_name(t[i].to),
		    t[i].in, st);
		if (st != 0 || t[i].out == NULL)
			continue;
		sl_buf_reset(&b);
		CHECK(sl_fmt_text(&b, &v) && sl_buf_cstr(&b));
		CHECKF(strcmp(b.p, t[i].out) == 0, "%s %s: %s",
		    cl_cast_name(t[i].to), t[i].in, b.p);
	}
	/* a NUL inside a string converts to nothing (C would read "1") */
	o = obj_str("1\0x", 3);
	CHECK(cl_cast(CL_INT8, &o, &v, &text, &scratch) == 1);
	/* non-strings: a float rounds to int8, a bool is text "true" */
	o.type = MSGPACK_OBJECT_FLOAT64;
	o.via.f64 = 2.5;
	CHECK(cl_cast(CL_INT8, &o, &v, &text, &scratch) == 0 &&
	    v.via.i64 == 2);
	o.via.f64 = NAN;
	CHECK(cl_cast(CL_INT8, &o, &v, &text, &scratch) == 2);
	o.type = MSGPACK_OBJECT_BOOLEAN;
	o.via.boolean = true;
	CHECK(cl_cast(CL_TEXT, &o, &v, &text, &scratch) == 0 &&
	    v.type == MSGPACK_OBJECT_STR && v.via.str.size == 4 &&
	    memcmp(v.via.str.ptr, "true", 4) == 0);
	CHECK(cl_cast_type("bigint") == CL_INT8 &&
	    cl_cast_type("double precision") == CL_FLOAT8 &&
	    cl_cast_type("boolean") == CL_BOOL && cl_cast_type("int4") ==
	    CL_NONE);
	sl_buf_free(&text);
	sl_buf_free(&scratch);
	sl_buf_free(&b);
}

int
main(void)
{
	sl_setprogname("colist");
	run("colist: the item forms", test_items);
	run("colist: refused lists and their messages", test_refused);
	run("colist: casts to int8, float8, bool and text", test_casts);
	return unit_bad ? 1 : 0;
}
