/*
 * cols: shapes a row stream's columns to match a target table.
 *
 *	cols [-x COL] [--cast COL:TYPE] [--on-error null|reject]
 *	    [--nulled FILE] [-o FILE] [-r FILE] [-q] [--progress] [LIST]
 *
 * LIST is like a SELECT list: 'id, full_name AS name, role=teacher, *'
 * selects, renames and orders columns and adds constant ones; -x drops
 * columns, --cast converts a column's values to int8, text, bool or
 * float8. A value that does not convert rejects its row, with the
 * reason, to --rejects: rows in = rows out + rows rejected.
 * Expressions (lower(trim(email)) AS email) are lib/expr.c's; a value
 * one cannot convert is nulled (and listed in --nulled) or rejects its
 * row, as --on-error or the item's !null or !reject says.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "exitcodes.h"
#include "expr.h"
#include "ledger.h"
#include "nulled.h"
#include "prog.h"
#include "progress.h"
#include "rowstream.h"
#include "value.h"

static const char usage_text[] =
    "usage: cols [-x COL] [--cast COL:TYPE] [--on-error null|reject]\n"
    "            [--nulled FILE] [-o FILE] [-r FILE] [-q] [--progress]\n"
    "            ['COL [AS NAME] | NAME[:TYPE]=VALUE | EXPR [AS NAME] | *, "
    "...']\n";

enum itemkind { I_COL, I_CONST, I_STAR, I_EXPR };
enum cast { C_NONE, C_INT8, C_TEXT, C_BOOL, C_FLOAT8 };

/* One item of the list, as the user wrote it. */
struct item {
	enum itemkind	 kind;
	char		*name;		/* the input column (I_COL) */
	char		*as;		/* the output name */
	char		*type;		/* I_CONST */
	struct sl_buf	 val;		/* I_CONST: canonical MessagePack */
	struct ex_expr	*ex;		/* I_EXPR */
	size_t		 pos;		/* I_EXPR: where it is in the list */
	struct ex_fail	 fail;		/* I_EXPR: why a row's value failed */
	enum ex_policy	 policy;	/* I_EXPR: null or reject */
};

/* One output column, or (OP_COPY) a run of input columns copied whole. */
enum opkind { OP_COPY, OP_CONST, OP_CAST, OP_EXPR };
struct op {
	enum opkind	 kind;
	size_t		 col;
	size_t		 ncol;
	const struct item *it;
	enum cast	 cast;		/* OP_CAST, OP_EXPR (C_NONE: none) */
	const char	*name;		/* OP_CAST, OP_EXPR: the column's name */
	/* the current row's converted value */
	msgpack_object	 v;
	struct sl_buf	 text;
	/* OP_EXPR: its policy, why its value failed, and if it was nulled */
	enum ex_policy	 policy;
	struct ex_fail	*fail;
	bool		 nulled;
};

struct castopt {
	char		*col;
	enum cast	 to;
	bool		 used;
};

static struct item *items;
static size_t nitems;
static char **drops;
static size_t ndrops;
static struct castopt *casts;
static size_t ncasts;
static struct sl_nidx *castx;	/* --cast columns -> casts */
static struct op *ops;
static size_t nops, capops;
static struct sl_buf reason;
static struct sl_buf scratch;
static struct sl_ledger ledger;
static struct sl_nulled *nulled;
static enum ex_policy on_error = EX_POL_NULL;
static const char *list_text;	/* the whole list, for messages */

static const char *const castnames[] = { "", "int8", "text", "bool",
    "float8" };

/* The list's grammar. */

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
 * quotes ("" for a quote), as in SQL. Returns it; *s moves past it.
 */
static char *
parse_name(char **s, char *e, const char *item)
{
	struct sl_buf b = { 0 };
	char *p = *s;

	if (p < e && *p == '"') {
		for (p++; p < e; p++) {
			if (*p == '"' && (p + 1 == e || p[1] != '"'))
				break;
			if (*p == '"')
				p++;
			sl_buf_addc(&b, *p);
		}
		if (p == e)
			usage_error(usage_text, "\"%s\": a quote that does not "
			    "end", item);
		p++;
	} else {
		while (p < e && *p != ' ' && *p != '\t' && *p != '=' &&
		    *p != ':')
			sl_buf_addc(&b, *p++);
	}
	if (!sl_buf_cstr(&b))
		die(EXIT_IO, "out of memory");
	if (b.len == 0)
		usage_error(usage_text, "\"%s\": a column name is missing",
		    item);
	*s = p;
	return b.p;
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

/* A constant's value packed for its type; dies if it does not fit. */
static void
pack_const(struct item *it, const char *v, bool quoted)
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
		usage_error(usage_text, "%s: \"%s\" is not a valid %s",
		    it->as, v, it->type);
	if (st != 0)
		die(EXIT_IO, "out of memory");
}

/* NAME[:TYPE]=VALUE, with s past NAME; VALUE may be in single quotes. */
static void
parse_const(struct item *it, char *s, char *e, const char *item)
{
	struct sl_buf v = { 0 };
	bool quoted = false;
	char *t;

	it->kind = I_CONST;
	it->type = "text";
	if (*s == ':') {
		for (t = ++s; s < e && *s != '='; s++)
			;
		trim(&t, &s);
		if (t == s || s == e)
			usage_error(usage_text, "\"%s\": NAME:TYPE=VALUE has "
			    "no type", item);
		it->type = estrdup(t);
		it->type[s - t] = '\0';
		t = it->type;
		while (*t != '\0' && *t != ' ' && *t != '\t')
			t++;
		*t = '\0';
	}
	s++;	/* the '=' */
	trim(&s, &e);
	if (s < e && *s == '\'') {
		quoted = true;
		for (s++; s < e; s++) {
			if (*s == '\'' && (s + 1 == e || s[1] != '\''))
				break;
			if (*s == '\'')
				s++;
			sl_buf_addc(&v, *s);
		}
		if (s + 1 != e)
			usage_error(usage_text, "\"%s\": a quoted value must "
			    "end the item", item);
	} else {
		sl_buf_add(&v, s, (size_t)(e - s));
	}
	if (!sl_buf_cstr(&v))
		die(EXIT_IO, "out of memory");
	pack_const(it, v.p, quoted);
	sl_buf_free(&v);
}

/*
 * Shows where the list is wrong: the message, the list, and a caret
 * under the character at byte pos of the list; exits 2.
 */
static _Noreturn void
list_error(size_t pos, const char *msg)
{
	struct sl_buf b = { 0 };
	const char *p;
	size_t col = 0;

	for (p = list_text; *p != '\0'; p++) {
		if (((unsigned char)*p & 0xc0) == 0x80)
			continue;	/* a character is counted once */
		if ((size_t)(p - list_text) < pos)
			col++;
		if (!sl_buf_addc(&b, *p == '\t' || *p == '\n' ? ' ' : *p))
			die(EXIT_IO, "out of memory");
	}
	if (!sl_buf_cstr(&b))
		die(EXIT_IO, "out of memory");
	sl_err("the list, at character %zu: %s", col + 1, msg);
	sl_err("  %s", b.p);
	sl_err("  %*s^", (int)col, "");
	exit(EXIT_USAGE);
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

/* EXPR [AS NAME]; without AS it is named after its column, if one. */
static void
parse_expr_item(struct item *it, char *s, char *e, const char *item)
{
	struct ex_perr err;
	const char *col;
	size_t end;
	int st;

	it->kind = I_EXPR;
	it->pos = (size_t)(s - list_text);
	if ((st = ex_parse(s, (size_t)(e - s), &end, &it->ex, &err)) ==
	    EX_ERROR)
		exit(EXIT_IO);
	if (st != EX_OK)
		list_error(it->pos + err.pos, err.msg);
	if (ex_policy(it->ex) == EX_POL_DEFAULT)
		it->policy = on_error;
	else
		it->policy = ex_policy(it->ex);
	s += end;
	if (s == e) {
		if ((col = ex_column(it->ex)) == NULL)
			list_error(it->pos, "an expression of no column or of "
			    "several needs AS NAME");
		it->as = estrdup(col);
		return;
	}
	if (e - s < 3 || strncasecmp(s, "as", 2) != 0 ||
	    (s[2] != ' ' && s[2] != '\t' && s[2] != '"'))
		list_error((size_t)(s - list_text), "expected AS NAME, a "
		    "comma or the end after the expression");
	s += 2;
	trim(&s, &e);
	it->as = parse_name(&s, e, item);
	if (s != e)
		list_error((size_t)(s - list_text), "something after the "
		    "name");
}

static void
parse_item(char *s, char *e)
{
	struct item *it;
	char *item, *name;

	trim(&s, &e);
	item = estrdup(s);
	item[e - s] = '\0';
	items = erealloc(items, (nitems + 1) * sizeof(*items));
	it = &items[nitems++];
	memset(it, 0, sizeof(*it));
	if (e - s == 1 && *s == '*') {
		it->kind = I_STAR;
		free(item);
		return;
	}
	if (is_expr(s, e)) {
		parse_expr_item(it, s, e, item);
		free(item);
		return;
	}
	name = parse_name(&s, e, item);
	it->name = it->as = name;
	trim(&s, &e);
	if (s < e && (*s == '=' || *s == ':')) {
		it->name = NULL;
		parse_const(it, s, e, item);
	} else if (s < e) {
		if (e - s < 3 || strncasecmp(s, "as", 2) != 0 ||
		    (s[2] != ' ' && s[2] != '\t' && s[2] != '"'))
			usage_error(usage_text, "\"%s\": expected COL, COL AS "
			    "NAME, NAME=VALUE or *", item);
		s += 2;
		trim(&s, &e);
		it->as = parse_name(&s, e, item);
		if (s != e)
			usage_error(usage_text, "\"%s\": something after the "
			    "name", item);
	}
	free(item);
}

/*
 * Splits the list at the commas that are not inside quotes or inside a
 * function's parentheses.
 */
static void
parse_list(char *list)
{
	char *s = list, *p, q = 0;
	size_t depth = 0;

	list_text = list;
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
				usage_error(usage_text, "the list has a quote "
				    "that does not end");
			parse_item(s, p);
			if (*p == '\0')
				break;
			s = p + 1;
		}
	}
}

static enum cast
cast_type(const char *t)
{
	if (strcmp(t, "int8") == 0 || strcmp(t, "bigint") == 0)
		return C_INT8;
	if (strcmp(t, "text") == 0)
		return C_TEXT;
	if (strcmp(t, "bool") == 0 || strcmp(t, "boolean") == 0)
		return C_BOOL;
	if (strcmp(t, "float8") == 0 || strcmp(t, "double precision") == 0)
		return C_FLOAT8;
	return C_NONE;
}

static void
opt_cast(char *arg)
{
	char *colon = strrchr(arg, ':');
	enum cast to;

	if (colon == NULL || colon == arg)
		usage_error(usage_text, "--cast: \"%s\" is not COL:TYPE", arg);
	*colon = '\0';
	if ((to = cast_type(colon + 1)) == C_NONE)
		usage_error(usage_text, "--cast %s: \"%s\" is none of int8, "
		    "text, bool, float8", arg, colon + 1);
	if (castx == NULL)
		castx = enidx_new(16);
	if (enidx_add(castx, arg, ncasts) != (long)ncasts)
		usage_error(usage_text, "--cast %s: column \"%s\" is "
		    "cast twice", arg, arg);
	casts = erealloc(casts, (ncasts + 1) * sizeof(*casts));
	casts[ncasts].col = arg;
	casts[ncasts].to = to;
	casts[ncasts].used = false;
	ncasts++;
}

/* Planning a segment. */

static void
add_op(enum opkind kind, size_t col, const struct item *it)
{
	struct op *op;

	if (kind == OP_COPY && nops > 0 && ops[nops - 1].kind == OP_COPY &&
	    ops[nops - 1].col + ops[nops - 1].ncol == col) {
		ops[nops - 1].ncol++;
		return;
	}
	if (nops == capops) {
		capops = capops > 0 ? 2 * capops : 16;
		ops = erealloc(ops, capops * sizeof(*ops));
	}
	op = &ops[nops++];
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	op->col = col;
	op->ncol = 1;
	op->it = it;
}

/* The output columns, in order, as (input column or item, name) pairs. */
struct outcol {
	long		 col;		/* -1: a constant or an expression */
	struct item	*it;
	const char	*name;
};

static struct outcol *outs;
static size_t nouts, capouts;
static struct sl_nidx *outx;	/* output names -> outs */
static bool *dropped;		/* by input column */
static long *firstout;		/* input column -> its first output, or -1 */

static void
add_out(long col, struct item *it, const char *name)
{
	if (enidx_add(outx, name, nouts) != (long)nouts)
		die(EXIT_USAGE, "two output columns named \"%s\"", name);
	if (nouts == capouts) {
		capouts = capouts > 0 ? 2 * capouts : 16;
		outs = erealloc(outs, capouts * sizeof(*outs));
	}
	outs[nouts].col = col;
	outs[nouts].it = it;
	outs[nouts].name = name;
	nouts++;
}

/*
 * Resolves the list against a segment's columns into outs. Each name is
 * looked up once in the header's index and the output names go into
 * outx, so a header of a million columns takes linear time.
 */
static void
resolve(const struct rs_header *in)
{
	struct item *it;
	size_t i, j;
	long c;

	nouts = 0;
	sl_nidx_free(outx);
	outx = enidx_new(in->ncols + nitems);
	free(dropped);
	dropped = ecalloc(in->ncols + 1, sizeof(*dropped));
	for (i = 0; i < ndrops; i++) {
		if ((c = rs_header_find(in, drops[i])) < 0)
			sl_no_column(in, "--drop", drops[i]);
		dropped[c] = true;
	}
	for (i = 0; i < nitems; i++) {
		it = &items[i];
		if (it->kind == I_STAR) {
			for (j = 0; j < in->ncols; j++)
				if (!dropped[j])
					add_out((long)j, it,
					    in->cols[j].name);
		} else if (it->kind == I_CONST || it->kind == I_EXPR) {
			add_out(-1, it, it->as);
		} else {
			if ((c = rs_header_find(in, it->name)) < 0)
				sl_no_column(in, "the list", it->name);
			if (dropped[c])
				die(EXIT_USAGE, "\"%s\" is both listed and "
				    "dropped", it->name);
			add_out(c, it, it->as);
		}
	}
	free(firstout);
	firstout = ecalloc(in->ncols + 1, sizeof(*firstout));
	for (j = 0; j < in->ncols; j++)
		firstout[j] = -1;
	for (j = nouts; j-- > 0;)
		if (outs[j].col >= 0)
			firstout[outs[j].col] = (long)j;
}

static void
add_expr_op(struct item *it, const char *name, const struct castopt *co)
{
	struct op *op;

	add_op(OP_EXPR, 0, it);
	op = &ops[nops - 1];
	op->name = name;
	op->cast = co == NULL ? C_NONE : co->to;
	op->policy = it->policy;
	op->fail = &it->fail;
}

/* The key, renamed along with its columns; columns not out leave it. */
static void
plan_key(struct rs_header *out, const struct rs_header *in)
{
	const char **key = ecalloc(in->nkey + 1, sizeof(*key));
	size_t i, n = 0;
	long c;

	for (i = 0; i < in->nkey; i++)
		if ((c = rs_header_find(in, in->key[i])) >= 0 &&
		    firstout[c] >= 0)
			key[n++] = outs[firstout[c]].name;
	if (n > 0 && !rs_header_setkey(out, n, key))
		exit(EXIT_IO);
	free(key);
}

/* Binds an expression to the segment; its output type. */
static const char *
bind_expr(const struct item *it, const struct rs_header *in)
{
	struct ex_perr err;
	int st = ex_bind(it->ex, in, &err);

	if (st == EX_NOCOL)
		sl_no_column(in, "the list", err.name);
	if (st == EX_SYNTAX)
		list_error(it->pos + err.pos, err.msg);
	if (st != EX_OK)
		exit(EXIT_IO);
	return ex_type(it->ex);
}

static struct rs_header *
plan(const struct rs_header *in)
{
	struct rs_header *out;
	/* each output column's cast; static, so that a die() leaks nothing */
	static struct castopt **castof;
	struct castopt *co;
	const char *type;
	size_t i;
	long c;

	resolve(in);
	free(castof);
	castof = ecalloc(nouts + 1, sizeof(*castof));
	for (i = 0; i < ncasts; i++)
		if ((casts[i].used = (c = sl_nidx_find(outx, casts[i].col))
		    >= 0))
			castof[c] = &casts[i];
	if ((out = rs_header_new(in->table, nouts)) == NULL ||
	    (in->source != NULL && !rs_header_setsource(out, in->source)))
		exit(EXIT_IO);
	plan_key(out, in);
	if (!sl_nulled_note(nulled, in))
		exit(EXIT_IO);
	nops = 0;
	for (i = 0; i < nouts; i++) {
		co = castof[i];
		type = outs[i].col >= 0 ? in->cols[outs[i].col].type :
		    outs[i].it->kind == I_EXPR ? bind_expr(outs[i].it, in) :
		    outs[i].it->type;
		if (co != NULL)
			type = castnames[co->to];
		if (!rs_header_setcol(out, i, outs[i].name, type))
			exit(EXIT_IO);
		if (outs[i].col < 0 && outs[i].it->kind == I_EXPR)
			add_expr_op(outs[i].it, outs[i].name, co);
		else if (outs[i].col < 0 && co == NULL)
			add_op(OP_CONST, 0, outs[i].it);
		else if (co == NULL)
			add_op(OP_COPY, (size_t)outs[i].col, NULL);
		else if (outs[i].col < 0)
			die(EXIT_USAGE, "--cast %s: a constant; give its type "
			    "as %s:TYPE=VALUE", co->col, co->col);
		else {
			add_op(OP_CAST, (size_t)outs[i].col, outs[i].it);
			ops[nops - 1].cast = co->to;
			ops[nops - 1].name = outs[i].name;
		}
	}
	for (i = 0; i < ncasts; i++)
		if (!casts[i].used)
			die(EXIT_USAGE, "--cast %s: no output column \"%s\"",
			    casts[i].col, casts[i].col);
	return out;
}

/* Casting. */

/*
 * The text of a value, NUL-terminated and trimmed of ASCII space; "",
 * which converts to nothing, when the value holds a NUL (C's parsers
 * would read "1\0x" as 1).
 */
static const char *
trimmed(const msgpack_object *o)
{
	char *s, *e;

	if (memchr(o->via.str.ptr, '\0', o->via.str.size) != NULL)
		return "";
	sl_buf_reset(&scratch);
	if (!sl_buf_add(&scratch, o->via.str.ptr, o->via.str.size) ||
	    !sl_buf_cstr(&scratch))
		die(EXIT_IO, "out of memory");
	s = scratch.p;
	e = s + scratch.len;
	while (s < e && (*s == ' ' || (*s >= '\t' && *s <= '\r')))
		s++;
	while (e > s && (e[-1] == ' ' || (e[-1] >= '\t' && e[-1] <= '\r')))
		e--;
	*e = '\0';
	return s;
}

static int
to_int8(const msgpack_object *o, msgpack_object *v)
{
	const char *s;
	char *end;
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
		s = trimmed(o);
		if (*s == '\0' || (*s != '-' && *s != '+' &&
		    (*s < '0' || *s > '9')))
			return 1;
		errno = 0;
		v->via.i64 = strtoll(s, &end, 10);
		if (*end != '\0' || end == s || ((*s == '-' || *s == '+') &&
		    end == s + 1))
			return 1;
		return errno == ERANGE ? 2 : 0;
	default:
		return 1;
	}
}

static int
to_float8(const msgpack_object *o, msgpack_object *v)
{
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
		return parse_float(trimmed(o), &v->via.f64);
	default:
		return 1;
	}
}

static int
to_bool(const msgpack_object *o, msgpack_object *v)
{
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
		return parse_bool(trimmed(o), &v->via.boolean) ? 0 : 1;
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
		die(EXIT_IO, "out of memory");
	v->type = MSGPACK_OBJECT_STR;
	v->via.str.ptr = b->p;
	v->via.str.size = (uint32_t)b->len;
	return 0;
}

/* A cast's value of o into op->v: 0, or 1/2 (the reason set). */
static int
cast_value(struct op *op, const msgpack_object *o)
{
	char show[SL_PRINTABLE];
	int st;

	if (o->type == MSGPACK_OBJECT_NIL) {
		op->v = *o;
		return 0;
	}
	st = op->cast == C_INT8 ? to_int8(o, &op->v) :
	    op->cast == C_FLOAT8 ? to_float8(o, &op->v) :
	    op->cast == C_BOOL ? to_bool(o, &op->v) :
	    to_text(o, &op->v, &op->text);
	if (st == 0)
		return 0;
	sl_buf_reset(&reason);
	sl_buf_reset(&scratch);
	if (!sl_fmt_text(&scratch, o) ||
	    !sl_buf_printf(&reason, "cast: %s=%s is %s %s", op->name,
	    sl_printable(show, sizeof(show), scratch.p, scratch.len),
	    st == 2 ? "out of range for" : "not a valid",
	    castnames[op->cast]))
		die(EXIT_IO, "out of memory");
	return st;
}

/*
 * An expression's value for the row into op->v: 0, 1 when it rejects
 * the row (the reason set), -1 on an error (reported). A value that
 * fails under the policy null becomes NULL, op->nulled says so.
 */
static int
expr_value(struct op *op, const struct rs_row *row)
{
	msgpack_object v;

	op->nulled = false;
	switch (ex_eval(op->it->ex, row->v, &op->v, op->fail)) {
	case EX_OK:
		break;
	case EX_FAIL:
		if (op->policy == EX_POL_REJECT) {
			sl_buf_reset(&reason);
			if (!sl_buf_printf(&reason, "%s: %s", op->name,
			    op->fail->reason.p))
				return -1;
			return 1;
		}
		op->nulled = true;
		op->v.type = MSGPACK_OBJECT_NIL;
		return 0;
	default:
		return -1;
	}
	v = op->v;
	return op->cast == C_NONE || cast_value(op, &v) == 0 ? 0 : 1;
}

/* The row goes out: its nulled values are counted and listed. */
static bool
note_nulled(struct sl_ledger *l, const struct rs_reader *r)
{
	const struct op *op;

	for (op = ops; op < ops + nops; op++) {
		if (op->kind != OP_EXPR || !op->nulled)
			continue;
		sl_ledger_null(l);
		if (nulled != NULL && !sl_nulled_put(nulled, r, op->name,
		    op->fail->value.p, op->fail->value.len,
		    op->fail->reason.p))
			return false;
	}
	return true;
}

/*
 * One row: expressions and casts, then written, or rejected with the
 * first reason.
 */
static bool
do_row(struct sl_ledger *l, struct rs_reader *r, struct rs_writer *w)
{
	const struct rs_row *row = rs_row(r);
	struct op *op;
	int st;

	for (op = ops; op < ops + nops; op++) {
		if (op->kind == OP_CAST && cast_value(op, &row->v[op->col]) != 0)
			return sl_ledger_reject(l, r, reason.p);
		if (op->kind == OP_EXPR && (st = expr_value(op, row)) != 0)
			return st > 0 && sl_ledger_reject(l, r, reason.p);
	}
	if (sl_ledger_stopped(l))
		return true;
	if (!note_nulled(l, r))
		return false;
	rs_row_begin(w);
	for (op = ops; op < ops + nops; op++) {
		if (op->kind == OP_COPY)
			rs_put_raws(w, row->raw + row->off[op->col],
			    row->off[op->col + op->ncol] - row->off[op->col],
			    op->ncol);
		else if (op->kind == OP_CONST)
			rs_put_raw(w, op->it->val.p, op->it->val.len);
		else
			rs_put_value(w, &op->v);
	}
	return rs_row_end(w);
}

/*
 * The input was good: the nulled file goes into place before the end
 * mark goes out, so that whoever takes the stream as whole finds it.
 */
static bool
finish(void)
{
	bool ok = sl_nulled_close(nulled, true);

	nulled = NULL;
	return ok;
}

static void
cleanup(void)
{
	sl_ledger_close(&ledger, false);
	sl_nulled_close(nulled, false);
	nulled = NULL;
}

static void
help(void)
{
	fputs(usage_text, stdout);
	fputs("Select, rename, reorder, drop and cast a stream's columns, and\n"
	    "add constant ones.\n"
	    "\n"
	    "  LIST                    comma-separated: COL, COL AS NAME,\n"
	    "                          NAME=VALUE (a text constant),\n"
	    "                          NAME:TYPE=VALUE, * (all columns not\n"
	    "                          dropped), EXPR [AS NAME] (an expression:\n"
	    "                          lower(trim(email)), concat(a, '.', b),\n"
	    "                          ts(d, '%d/%m/%Y')!reject); default *\n"
	    "  -x, --drop COL          leave COL out of *\n"
	    "      --cast COL:TYPE     convert output column COL to int8, text,\n"
	    "                          bool or float8; a value that does not\n"
	    "                          convert rejects its row\n"
	    "      --on-error null|reject  a value an expression cannot convert\n"
	    "                          is NULL (default) or rejects its row;\n"
	    "                          an item's !null or !reject says so for it\n"
	    "      --nulled FILE       the nulled values, with the row's key,\n"
	    "                          the column, the value and the reason\n"
	    "  -o, --output FILE       write the stream to FILE (default stdout),\n"
	    "                          in place only when it is whole; mode 0600\n"
	    "  -r, --rejects FILE      rejected rows, with the reason in _error\n"
	    "  -q, --quiet             no summary on stderr\n"
	    "      --progress          a progress line on stderr\n"
	    "  -h, --help              this text\n"
	    "      --version           the version\n"
	    "\n"
	    "Exit status: 0 ok, 1 rows rejected with no --rejects file,\n"
	    "2 usage (an unknown column), 3 bad input stream, 5 I/O error.\n",
	    stdout);
}

int
main(int argc, char *argv[])
{
	enum { OPT_CAST = 256, OPT_NULLED, OPT_ONERROR };
	static const struct option opts[] = {
		{ "cast", required_argument, NULL, OPT_CAST },
		{ "drop", required_argument, NULL, 'x' },
		{ "nulled", required_argument, NULL, OPT_NULLED },
		{ "on-error", required_argument, NULL, OPT_ONERROR },
		{ "output", required_argument, NULL, 'o' },
		{ "rejects", required_argument, NULL, 'r' },
		SL_COMMON_LONG,
		{ NULL, 0, NULL, 0 },
	};
	static const struct sl_filter filter = { plan, do_row, NULL,
	    NULL, finish };
	struct sl_progress pg;
	struct sl_buf list = { 0 };
	const char *rejects = NULL, *nulledpath = NULL;
	const char *output = NULL;
	struct sl_common co = { 0 };
	int c, i, status;

	sl_setprogname(argv[0]);
	drops = ecalloc((size_t)argc, sizeof(*drops));
	while ((c = getopt_long(argc, argv, "hqo:r:x:", opts, NULL)) != -1) {
		switch (c) {
		case 'x':
			drops[ndrops++] = optarg;
			break;
		case OPT_CAST:
			opt_cast(optarg);
			break;
		case 'o':
			output = optarg;
			break;
		case 'r':
			rejects = optarg;
			break;
		case OPT_NULLED:
			nulledpath = optarg;
			break;
		case OPT_ONERROR:
			if (strcmp(optarg, "null") == 0)
				on_error = EX_POL_NULL;
			else if (strcmp(optarg, "reject") == 0)
				on_error = EX_POL_REJECT;
			else
				usage_error(usage_text, "--on-error: \"%s\" is "
				    "neither null nor reject", optarg);
			break;
		default:
			if (!sl_common_opt(&co, c, help))
				usage_error(usage_text, NULL);
		}
	}
	/* several arguments are one list: cols id, name AS n */
	for (i = optind; i < argc; i++)
		if ((i > optind && !sl_buf_addc(&list, ' ')) ||
		    !sl_buf_adds(&list, argv[i]))
			die(EXIT_IO, "out of memory");
	if (list.len == 0 && !sl_buf_addc(&list, '*'))
		die(EXIT_IO, "out of memory");
	if (!sl_buf_cstr(&list))
		die(EXIT_IO, "out of memory");
	parse_list(list.p);	/* list stays: messages quote it */
	if (!sl_ledger_open(&ledger, rejects, output))
		return EXIT_IO;
	atexit(cleanup);
	if (nulledpath != NULL && (nulled = sl_nulled_open(nulledpath)) == NULL)
		return EXIT_IO;
	for (i = 0; i < (int)nitems; i++)
		if (items[i].kind == I_EXPR)
			ledger.nulls = true;
	sl_progress_start(&pg, co.progress);
	status = sl_ledger_run(&ledger, &filter, &pg, co.quiet);
	sl_progress_end(&pg);
	if (status == EXIT_OK && !sl_ledger_close(&ledger, true))
		status = EXIT_IO;
	return status;
}
