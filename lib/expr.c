/*
 * expr.c: binding and evaluating expressions; see expr.h. The parser
 * (and ex_free) is in expr_parse.c, the tree they share in expr_int.h,
 * the functions themselves in exfn.c, one table entry each.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "err.h"
#include "expr.h"
#include "expr_int.h"
#include "value.h"

/* Binding. */

/* Types bottom up: columns from the header, calls from their function. */
static int
bind_node(struct ex_node *n, const struct rs_header *h, struct ex_perr *err)
{
	const char *t = NULL;
	size_t i;
	long c;
	bool mixed = false;
	int st;

	if (n->kind == N_COL) {
		if ((c = rs_header_find(h, n->name)) < 0) {
			err->pos = n->pos;
			snprintf(err->name, sizeof(err->name), "%s", n->name);
			return EX_NOCOL;
		}
		n->col = c;
		n->type = h->cols[c].type;
		return EX_OK;
	}
	for (i = 0; i < n->nargs; i++)
		if ((st = bind_node(n->args[i], h, err)) != EX_OK)
			return st;
	if (n->kind != N_CALL || n->typed)
		return EX_OK;
	n->totext = false;
	if ((n->fn->flags & EX_F_NULLS) == 0) {
		n->type = "text";
		return EX_OK;
	}
	/* coalesce, nullif: their arguments' type if they agree */
	for (i = 0; i < n->nargs; i++) {
		if (n->args[i]->type == NULL)
			continue;
		if (t == NULL)
			t = n->args[i]->type;
		else if (rs_type_class(t) != rs_type_class(n->args[i]->type))
			mixed = true;
	}
	n->type = t == NULL ? "text" : mixed ? "text" : t;
	n->totext = mixed || (t != NULL && rs_type_class(t) == RS_BYTEA);
	if (n->totext)
		n->type = "text";
	return EX_OK;
}

int
ex_bind(struct ex_expr *e, const struct rs_header *h, struct ex_perr *err)
{
	enum rs_class want, have;
	int st;

	memset(err, 0, sizeof(*err));
	if ((st = bind_node(e->root, h, err)) != EX_OK)
		return st;
	e->totext = false;
	e->type = e->root->type == NULL ? "text" : e->root->type;
	if (e->cast == NULL || (e->root->kind == N_CALL &&
	    (e->root->fn->flags & EX_F_TYPED) != 0))
		return EX_OK;
	want = rs_type_class(e->cast);
	have = rs_type_class(e->type);
	if (e->root->type != NULL && want != have) {
		if (want != RS_TEXT) {
			err->pos = e->castpos;
			snprintf(err->msg, sizeof(err->msg), "::%s: the value "
			    "is %s; convert it with --cast NAME:%s", e->cast,
			    e->type, e->cast);
			return EX_SYNTAX;
		}
		e->totext = true;
	}
	e->type = e->cast;
	return EX_OK;
}

const char *
ex_type(const struct ex_expr *e)
{
	return e->type;
}

enum ex_policy
ex_policy(const struct ex_expr *e)
{
	return e->policy;
}

/* The one column n refers to: *name stays NULL for none, "" for several. */
static void
one_column(const struct ex_node *n, const char **name)
{
	size_t i;

	if (n->kind == N_COL)
		*name = *name == NULL || strcmp(*name, n->name) == 0 ?
		    n->name : "";
	for (i = 0; i < n->nargs; i++)
		one_column(n->args[i], name);
}

const char *
ex_column(const struct ex_expr *e)
{
	const char *name = NULL;

	one_column(e->root, &name);
	return name == NULL || *name == '\0' ? NULL : name;
}

bool
ex_fallible(const struct ex_expr *e)
{
	return e->fallible;
}

/* Evaluation. */

static int
eval(struct ex_node *n, struct ex_fail *f)
{
	size_t i;
	int st;

	if (n->kind == N_LIT)
		return EX_OK;
	if (n->kind == N_COL) {
		n->v = n->e->vals[n->col];
		return EX_OK;
	}
	if ((n->fn->flags & EX_F_LAZY) == 0) {
		for (i = 0; i < n->nargs; i++) {
			if ((st = eval(n->args[i], f)) != EX_OK)
				return st;
			if (n->args[i]->v.type == MSGPACK_OBJECT_NIL &&
			    (n->fn->flags & EX_F_NULLS) == 0) {
				n->v.type = MSGPACK_OBJECT_NIL;
				return EX_OK;
			}
		}
	}
	return n->fn->eval(n, f);
}

/* Text form of v in b (cleared first); false when memory runs out. */
static bool
as_text(const msgpack_object *v, struct sl_buf *b, const char **p,
    size_t *len)
{
	if (v->type == MSGPACK_OBJECT_STR) {
		*p = v->via.str.ptr;
		*len = v->via.str.size;
		return true;
	}
	sl_buf_reset(b);
	if (v->type != MSGPACK_OBJECT_NIL && !sl_fmt_text(b, v))
		return false;	/* reported */
	*p = b->p == NULL ? "" : b->p;
	*len = b->len;
	return true;
}

int
ex_eval(struct ex_expr *e, const msgpack_object *vals, msgpack_object *out,
    struct ex_fail *f)
{
	const char *p;
	size_t len;
	int st;

	e->vals = vals;
	if ((st = eval(e->root, f)) != EX_OK)
		return st;
	*out = e->root->v;
	if (e->totext && out->type != MSGPACK_OBJECT_NIL &&
	    out->type != MSGPACK_OBJECT_STR) {
		if (!as_text(out, &e->tbuf, &p, &len))
			return EX_ERROR;
		out->type = MSGPACK_OBJECT_STR;
		out->via.str.ptr = p;
		out->via.str.size = (uint32_t)len;
	}
	return EX_OK;
}

/* What functions use (expr.h). */

size_t
ex_nargs(const struct ex_node *n)
{
	return n->nargs;
}

const msgpack_object *
ex_arg(const struct ex_node *n, size_t i)
{
	return &n->args[i]->v;
}

int
ex_arg_eval(struct ex_node *n, size_t i, struct ex_fail *f)
{
	return eval(n->args[i], f);
}

bool
ex_text(struct ex_node *n, size_t i, const char **p, size_t *len)
{
	struct ex_node *a = n->args[i];

	return as_text(&a->v, &a->tbuf, p, len);
}

bool
ex_literal(const struct ex_node *n, size_t i, const char **p, size_t *len,
    size_t *pos)
{
	const struct ex_node *a = n->args[i];

	*pos = a->pos;
	if (a->kind != N_LIT || !a->quoted)
		return false;
	*p = a->v.via.str.ptr;
	*len = a->v.via.str.size;
	return true;
}

struct sl_buf *
ex_buf(struct ex_node *n)
{
	return &n->buf;
}

void **
ex_state(struct ex_node *n)
{
	return &n->state;
}

void
ex_set_type(struct ex_node *n, const char *type)
{
	n->type = type;
	n->typed = true;
}

int
ex_ret_str(struct ex_node *n, const char *p, size_t len)
{
	n->v.type = MSGPACK_OBJECT_STR;
	n->v.via.str.ptr = p;
	n->v.via.str.size = (uint32_t)len;
	return EX_OK;
}

int
ex_ret_buf(struct ex_node *n)
{
	return ex_ret_str(n, n->buf.p == NULL ? "" : n->buf.p, n->buf.len);
}

int
ex_ret_val(struct ex_node *n, const msgpack_object *v)
{
	const char *p;
	size_t len;

	n->v = *v;
	if (!n->totext || v->type == MSGPACK_OBJECT_NIL ||
	    v->type == MSGPACK_OBJECT_STR)
		return EX_OK;
	if (!as_text(v, &n->buf, &p, &len))
		return EX_ERROR;
	return ex_ret_str(n, p, len);
}

int
ex_failf(struct ex_node *n, struct ex_fail *f, const char *fmt, ...)
{
	const char *p = "";
	size_t len = 0;
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sl_buf_reset(&f->reason);
	sl_buf_reset(&f->value);
	if ((n->nargs > 0 && !ex_text(n, 0, &p, &len)) ||
	    !sl_buf_printf(&f->reason, "%s: %s", n->fn->name, msg) ||
	    !sl_buf_add(&f->value, p, len) || !sl_buf_cstr(&f->value))
		return EX_ERROR;	/* reported */
	return EX_FAIL;
}
