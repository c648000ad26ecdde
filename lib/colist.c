/*
 * colist.c: cols' list grammar and its casts. See colist.h.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "args.h"
#include "colist.h"
#include "err.h"
#include "exitcodes.h"
#include "value.h"

static int
oom(void)
{
	return sl_errs(EXIT_IO, "out of memory");
}

static void
trim(char **s, char **e)
{
	while (*s < *e && (**s == ' ' || **s == '\t' || **s == '\n'))
		(*s)++;
	while (*e > *s && ((*e)[-1] == ' ' || (*e)[-1] == '\t' ||
	    (*e)[-1] == '\n'))
		(*e)--;
}

/*
 * A name at s: bare (up to a space, '=', ':' or the end) or in double
 * quotes ("" for a quote), as in SQL, into *out (malloc'd); *s moves
 * past it.
 */
static int
parse_name(char **s, char *e, const char *item, char **out)
{
	struct sl_buf b = { 0 };
	char *p = *s;
	bool ok = true;

	if (p < e && *p == '"') {
		for (p++; p < e; p++) {
			if (*p == '"' && (p + 1 == e || p[1] != '"'))
				break;
			if (*p == '"')
				p++;
			ok = sl_buf_addc(&b, *p) && ok;
		}
		if (p == e) {
			sl_buf_free(&b);
			return sl_errs(CL_BADARG, "\"%s\": a quote that does "
			    "not end", item);
		}
		p++;
	} else {
		while (p < e && *p != ' ' && *p != '\t' && *p != '=' &&
		    *p != ':')
			ok = sl_buf_addc(&b, *p++) && ok;
	}
	if (!ok || !sl_buf_cstr(&b)) {
		sl_buf_free(&b);
		return oom();
	}
	if (b.len == 0) {
		sl_buf_free(&b);
		return sl_errs(CL_BADARG, "\"%s\": a column name is missing",
		    item);
	}
	*s = p;
	*out = b.p;
	return EXIT_OK;
}

static bool
parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "t", "true", "y", "yes", "on", "1" };
	static const char *const no[] = { "f", "false", "n", "no", "off", "0" };
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(s, yes[i]) == 0)
			return *out = true;
		if (strcasecmp(s, no[i]) == 0) {
			*out = false;
			return true;
		}
	}
	return false;
}

/*
 * A float as PostgreSQL's float8in reads it: decimal, NaN, Infinity;
 * not C's hexadecimal floats. 0: ok, 1: not a number, 2: out of range.
 */
static int
parse_float(const char *s, double *out)
{
	char *end;

	if (*s == '\0' || strpbrk(s, "xX") != NULL)
		return 1;
	errno = 0;
	*out = strtod(s, &end);
	if (*end != '\0')
		return 1;
	return errno == ERANGE && isinf(*out) ? 2 : 0;
}

/* A constant's value packed for its type. */
static int
pack_const(struct cl_item *it, const char *v, bool quoted)
{
	msgpack_packer pk;
	enum rs_class cls = rs_type_class(it->type);
	int64_t i;
	double d;
	bool b;
	int st = 0;

	msgpack_packer_init(&pk, &it->val, rs_buf_write);
	if (!quoted && strcasecmp(v, "null") == 0)
		st = msgpack_pack_nil(&pk);
	else if (cls == RS_INT && sl_parse_i64(v, &i))
		st = msgpack_pack_int64(&pk, i);
	else if (cls == RS_FLOAT && parse_float(v, &d) == 0)
		st = msgpack_pack_double(&pk, d);
	else if (cls == RS_BOOL && parse_bool(v, &b))
		st = b ? msgpack_pack_true(&pk) : msgpack_pack_false(&pk);
	else if (cls == RS_TEXT)
		st = msgpack_pack_str_with_body(&pk, v, strlen(v));
	else
		return sl_errs(CL_BADARG, "%s: \"%s\" is not a valid %s",
		    it->as, v, it->type);
	return st != 0 ? oom() : EXIT_OK;
}

/*
 * A type of more than one word is one of SQL's ("double precision",
 * "timestamp with time zone"), its blanks made single; anything else
 * after a type's first word ("int8 junk") is refused, not cut off.
 */
static int
type_words(char *type, const char *item)
{
	static const char *const multi[] = { "double precision",
	    "character varying", "bit varying", "timestamp with time zone",
	    "timestamp without time zone", "time with time zone",
	    "time without time zone", NULL };
	char *r, *w;
	size_t i, n;

	for (r = w = type; *r != '\0'; r++)
		if ((*r != ' ' && *r != '\t') || (w > type && w[-1] != ' '))
			*w++ = *r == '\t' ? ' ' : *r;
	*w = '\0';
	if (strchr(type, ' ') == NULL)
		return EXIT_OK;
	for (i = 0; multi[i] != NULL; i++) {
		n = strlen(multi[i]);
		if (strncasecmp(type, multi[i], n) == 0 &&
		    (type[n] == '\0' || type[n] == '('))
			return EXIT_OK;
	}
	return sl_errs(CL_BADARG, "\"%s\": \"%s\" is not a type", item,
	    type);
}

/*
 * :TYPE at s, up to the '=' (*s moves to it), into it->type. Blanks
 * around the type are not part of it, and *s stays on the '=', so that
 * the value after it is read (and trimmed) the same with or without a
 * type: "n:int8 = 5" is "n:int8=5", as in SQL.
 */
static int
parse_type(struct cl_item *it, char **s, char *e, const char *item)
{
	char *t, *te;

	for (t = ++*s; *s < e && **s != '='; (*s)++)
		;
	te = *s;
	trim(&t, &te);
	if (t == te || *s == e)
		return sl_errs(CL_BADARG, "\"%s\": NAME:TYPE=VALUE has no type",
		    item);
	if ((it->type = strndup(t, (size_t)(te - t))) == NULL)
		return oom();
	return type_words(it->type, item);
}

/* NAME[:TYPE]=VALUE, with s past NAME; VALUE may be in single quotes. */
static int
parse_const(struct cl_item *it, char *s, char *e, const char *item)
{
	struct sl_buf v = { 0 };
	bool quoted = false, ok = true;
	int st;

	it->kind = CL_CONST;
	if (*s == ':' && (st = parse_type(it, &s, e, item)) != EXIT_OK)
		return st;
	if (it->type == NULL && (it->type = strdup("text")) == NULL)
		return oom();
	s++;	/* the '=' */
	trim(&s, &e);
	if (s < e && *s == '\'') {
		quoted = true;
		for (s++; s < e; s++) {
			if (*s == '\'' && (s + 1 == e || s[1] != '\''))
				break;
			if (*s == '\'')
				s++;
			ok = sl_buf_addc(&v, *s) && ok;
		}
		if (s + 1 != e) {
			sl_buf_free(&v);
			return sl_errs(CL_BADARG, "\"%s\": a quoted value must "
			    "end the item", item);
		}
	} else {
		ok = sl_buf_add(&v, s, (size_t)(e - s));
	}
	st = ok && sl_buf_cstr(&v) ? pack_const(it, v.p, quoted) : oom();
	sl_buf_free(&v);
	return st;
}

void
cl_error(const struct cl_list *l, size_t pos, const char *msg)
{
	struct sl_buf b = { 0 };
	const char *p;
	size_t col = 0;
	bool ok = true;

	for (p = l->text; *p != '\0'; p++) {
		if (((unsigned char)*p & 0xc0) == 0x80)
			continue;	/* a character is counted once */
		if ((size_t)(p - l->text) < pos)
			col++;
		ok = sl_buf_addc(&b, *p == '\t' || *p == '\n' ? ' ' : *p) &&
		    ok;
	}
	sl_err("the list, at character %zu: %s", col + 1, msg);
	if (ok && sl_buf_cstr(&b)) {
		sl_err("  %s", b.p);
		sl_err("  %*s^", (int)col, "");
	}
	sl_buf_free(&b);
}

/* cl_error, as cl_parse's status. */
static int
list_error(const struct cl_list *l, size_t pos, const char *msg)
{
	cl_error(l, pos, msg);
	return EXIT_USAGE;
}

/* Whether an item is an expression: a 'literal' or a function call. */
static bool
is_expr(const char *s, const char *e)
{
	if (s < e && *s == '\'')
		return true;
	while (s < e && (isalnum((unsigned char)*s) || *s == '_'))
		s++;
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	return s < e && *s == '(';
}

/* Whether s..e begins with AS and a space or quote after it. */
static bool
is_as(const char *s, const char *e)
{
	return e - s >= 3 && strncasecmp(s, "as", 2) == 0 &&
	    (s[2] == ' ' || s[2] == '\t' || s[2] == '"');
}

/* EXPR [AS NAME]; without AS it is named after its column, if one. */
static int
parse_expr_item(struct cl_list *l, struct cl_item *it, char *s, char *e,
    const char *item)
{
	struct ex_perr err;
	const char *col;
	size_t end;
	int st;

	it->kind = CL_EXPR;
	it->pos = (size_t)(s - l->text);
	if ((st = ex_parse(s, (size_t)(e - s), &end, &it->ex, &err)) ==
	    EX_ERROR)
		return EXIT_IO;
	if (st != EX_OK)
		return list_error(l, it->pos + err.pos, err.msg);
	it->policy = ex_policy(it->ex) == EX_POL_DEFAULT ? l->on_error :
	    ex_policy(it->ex);
	s += end;
	if (s == e) {
		if ((col = ex_column(it->ex)) == NULL)
			return list_error(l, it->pos, "an expression of no "
			    "column or of several needs AS NAME");
		return (it->as = strdup(col)) == NULL ? oom() : EXIT_OK;
	}
	if (!is_as(s, e))
		return list_error(l, (size_t)(s - l->text), "expected AS "
		    "NAME, a comma or the end after the expression");
	s += 2;
	trim(&s, &e);
	if ((st = parse_name(&s, e, item, &it->as)) != EXIT_OK)
		return st;
	if (s != e)
		return list_error(l, (size_t)(s - l->text), "something after "
		    "the name");
	return EXIT_OK;
}

/* COL, COL AS NAME or NAME[:TYPE]=VALUE, item being its text. */
static int
parse_col_item(struct cl_item *it, char *s, char *e, const char *item)
{
	int st;

	if ((st = parse_name(&s, e, item, &it->name)) != EXIT_OK)
		return st;
	trim(&s, &e);
	if (s < e && (*s == '=' || *s == ':')) {
		it->as = it->name;
		it->name = NULL;
		return parse_const(it, s, e, item);
	}
	if (s == e)
		return (it->as = strdup(it->name)) == NULL ? oom() : EXIT_OK;
	if (!is_as(s, e))
		return sl_errs(CL_BADARG, "\"%s\": expected COL, COL AS NAME, "
		    "NAME=VALUE or *", item);
	s += 2;
	trim(&s, &e);
	if ((st = parse_name(&s, e, item, &it->as)) != EXIT_OK)
		return st;
	return s != e ? sl_errs(CL_BADARG, "\"%s\": something after the name",
	    item) : EXIT_OK;
}

static int
parse_item(struct cl_list *l, char *s, char *e)
{
	struct cl_item *it;
	char *item;
	int st;

	trim(&s, &e);
	if ((it = realloc(l->items, (l->nitems + 1) * sizeof(*it))) == NULL)
		return oom();
	l->items = it;
	it = &l->items[l->nitems++];
	memset(it, 0, sizeof(*it));
	if (e - s == 1 && *s == '*') {
		it->kind = CL_STAR;
		return EXIT_OK;
	}
	if ((item = strndup(s, (size_t)(e - s))) == NULL)
		return oom();
	st = is_expr(s, e) ? parse_expr_item(l, it, s, e, item) :
	    parse_col_item(it, s, e, item);
	free(item);
	return st;
}

/*
 * Splits the list at the commas that are not inside quotes or inside a
 * function's parentheses.
 */
int
cl_parse(struct cl_list *l, char *list)
{
	char *s = list, *p, q = 0;
	size_t depth = 0;
	int st;

	l->text = list;
	for (p = list;; p++) {
		if (q != 0 && *p == q)
			q = 0;
		else if (q == 0 && (*p == '\'' || *p == '"'))
			q = *p;
		else if (q == 0 && *p == '(')
			depth++;
		else if (q == 0 && *p == ')' && depth > 0)
			depth--;
		if (*p == '\0' || (q == 0 && depth == 0 && *p == ',')) {
			if (q != 0)
				return sl_errs(CL_BADARG, "the list has a "
				    "quote that does not end");
			if ((st = parse_item(l, s, p)) != EXIT_OK)
				return st;
			if (*p == '\0')
				break;
			s = p + 1;
		}
	}
	return EXIT_OK;
}

void
cl_free(struct cl_list *l)
{
	struct cl_item *it;

	for (it = l->items; it < l->items + l->nitems; it++) {
		free(it->name);
		free(it->as);
		free(it->type);
		sl_buf_free(&it->val);
		ex_free(it->ex);
		sl_buf_free(&it->fail.reason);
		sl_buf_free(&it->fail.value);
	}
	free(l->items);
	memset(l, 0, sizeof(*l));
}

enum cl_cast
cl_cast_type(const char *t)
{
	if (strcmp(t, "int8") == 0 || strcmp(t, "bigint") == 0)
		return CL_INT8;
	if (strcmp(t, "text") == 0)
		return CL_TEXT;
	if (strcmp(t, "bool") == 0 || strcmp(t, "boolean") == 0)
		return CL_BOOL;
	if (strcmp(t, "float8") == 0 || strcmp(t, "double precision") == 0)
		return CL_FLOAT8;
	return CL_NONE;
}

const char *
cl_cast_name(enum cl_cast c)
{
	static const char *const names[] = { "", "int8", "text", "bool",
	    "float8" };

	return names[c];
}

/*
 * The text of a value, NUL-terminated and trimmed of ASCII space, in b;
 * "", which converts to nothing, when the value holds a NUL (C's parsers
 * would read "1\0x" as 1). NULL when out of memory.
 */
static const char *
trimmed(const msgpack_object *o, struct sl_buf *b)
{
	char *s, *e;

	if (memchr(o->via.str.ptr, '\0', o->via.str.size) != NULL)
		return "";
	sl_buf_reset(b);
	if (!sl_buf_add(b, o->via.str.ptr, o->via.str.size) ||
	    !sl_buf_cstr(b))
		return NULL;
	s = b->p;
	e = s + b->len;
	while (s < e && (*s == ' ' || (*s >= '\t' && *s <= '\r')))
		s++;
	while (e > s && (e[-1] == ' ' || (e[-1] >= '\t' && e[-1] <= '\r')))
		e--;
	*e = '\0';
	return s;
}

/* A str's int8: strtoll's, whole, with a sign or a digit first. */
static int
str_int8(const char *s, msgpack_object *v)
{
	char *end;

	if (*s == '\0' || (*s != '-' && *s != '+' && (*s < '0' || *s > '9')))
		return 1;
	errno = 0;
	v->via.i64 = strtoll(s, &end, 10);
	if (*end != '\0' || end == s || ((*s == '-' || *s == '+') &&
	    end == s + 1))
		return 1;
	return errno == ERANGE ? 2 : 0;
}

static int
to_int8(const msgpack_object *o, msgpack_object *v, struct sl_buf *b)
{
	const char *s;
	double d;

	v->type = MSGPACK_OBJECT_NEGATIVE_INTEGER;
	switch (o->type) {
	case MSGPACK_OBJECT_POSITIVE_INTEGER:
		*v = *o;
		return o->via.u64 > INT64_MAX ? 2 : 0;
	case MSGPACK_OBJECT_NEGATIVE_INTEGER:
		*v = *o;
		return 0;
	case MSGPACK_OBJECT_BOOLEAN:
		v->via.i64 = o->via.boolean;
		return 0;
	case MSGPACK_OBJECT_FLOAT32:
	case MSGPACK_OBJECT_FLOAT64:
		d = rint(o->via.f64);
		if (isnan(d) || d < -9223372036854775808.0 ||
		    d >= 9223372036854775808.0)
			return 2;
		v->via.i64 = (int64_t)d;
		return 0;
	case MSGPACK_OBJECT_STR:
		return (s = trimmed(o, b)) == NULL ? -1 : str_int8(s, v);
	default:
		return 1;
	}
}

static int
to_float8(const msgpack_object *o, msgpack_object *v, struct sl_buf *b)
{
	const char *s;

	v->type = MSGPACK_OBJECT_FLOAT64;
	switch (o->type) {
	case MSGPACK_OBJECT_POSITIVE_INTEGER:
		v->via.f64 = (double)o->via.u64;
		return 0;
	case MSGPACK_OBJECT_NEGATIVE_INTEGER:
		v->via.f64 = (double)o->via.i64;
		return 0;
	case MSGPACK_OBJECT_FLOAT32:
	case MSGPACK_OBJECT_FLOAT64:
		v->via.f64 = o->via.f64;
		return 0;
	case MSGPACK_OBJECT_STR:
		return (s = trimmed(o, b)) == NULL ? -1 :
		    parse_float(s, &v->via.f64);
	default:
		return 1;
	}
}

static int
to_bool(const msgpack_object *o, msgpack_object *v, struct sl_buf *b)
{
	const char *s;

	v->type = MSGPACK_OBJECT_BOOLEAN;
	switch (o->type) {
	case MSGPACK_OBJECT_BOOLEAN:
		*v = *o;
		return 0;
	case MSGPACK_OBJECT_POSITIVE_INTEGER:
	case MSGPACK_OBJECT_NEGATIVE_INTEGER:
		v->via.boolean = o->via.i64 != 0;
		return 0;
	case MSGPACK_OBJECT_STR:
		if ((s = trimmed(o, b)) == NULL)
			return -1;
		return parse_bool(s, &v->via.boolean) ? 0 : 1;
	default:
		return 1;
	}
}

/* As PostgreSQL's casts to text: a bool is "true" or "false". */
static int
to_text(const msgpack_object *o, msgpack_object *v, struct sl_buf *b)
{
	sl_buf_reset(b);
	if (o->type == MSGPACK_OBJECT_STR) {
		*v = *o;
		return 0;
	}
	if (o->type == MSGPACK_OBJECT_BOOLEAN ? !sl_buf_adds(b,
	    o->via.boolean ? "true" : "false") : !sl_fmt_text(b, o))
		return -1;
	v->type = MSGPACK_OBJECT_STR;
	v->via.str.ptr = b->p;
	v->via.str.size = (uint32_t)b->len;
	return 0;
}

int
cl_cast(enum cl_cast c, const msgpack_object *o, msgpack_object *v,
    struct sl_buf *text, struct sl_buf *scratch)
{
	int st = c == CL_INT8 ? to_int8(o, v, scratch) :
	    c == CL_FLOAT8 ? to_float8(o, v, scratch) :
	    c == CL_BOOL ? to_bool(o, v, scratch) : to_text(o, v, text);

	if (st < 0)
		sl_err("out of memory");
	return st;
}
