/*
 * expr_parse.c: parsing expressions into the tree of lib/expr_int.h
 * (ex_parse), and freeing it (ex_free); see expr.h. Binding and
 * evaluating are in expr.c, the functions themselves in exfn.c.
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

#define MAXDEPTH	64	/* nesting: deeper is surely a mistake */

/* The parser. */

struct parser {
	const char	*s, *p, *e;
	struct ex_expr	*x;
	struct ex_perr	*err;
	int		 depth;
	int		 st;		/* EX_SYNTAX or EX_ERROR once failed */
};

static bool
syntax(struct parser *ps, const char *at, const char *fmt, ...)
    SL_PRINTF(3, 4);

static bool
syntax(struct parser *ps, const char *at, const char *fmt, ...)
{
	va_list ap;

	ps->err->pos = (size_t)(at - ps->s);
	va_start(ap, fmt);
	vsnprintf(ps->err->msg, sizeof(ps->err->msg), fmt, ap);
	va_end(ap);
	ps->st = EX_SYNTAX;
	return false;
}

static bool
nomem(struct parser *ps)
{
	sl_err("out of memory");
	ps->st = EX_ERROR;
	return false;
}

/* A buffer that could not grow: sl_buf reported it. */
static bool
buffail(struct parser *ps)
{
	ps->st = EX_ERROR;
	return false;
}

static void
blanks(struct parser *ps)
{
	while (ps->p < ps->e && (*ps->p == ' ' || *ps->p == '\t' ||
	    *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

static bool
word_start(unsigned char c)
{
	return isalpha(c) || c == '_' || c >= 0x80;
}

static bool
word_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

static struct ex_node *
new_node(struct parser *ps, enum nkind kind, const char *at)
{
	struct ex_node *n;

	if ((n = calloc(1, sizeof(*n))) == NULL) {
		nomem(ps);
		return NULL;
	}
	n->kind = kind;
	n->pos = (size_t)(at - ps->s);
	n->e = ps->x;
	n->col = -1;
	n->v.type = MSGPACK_OBJECT_NIL;
	return n;
}

static void
free_node(struct ex_node *n)
{
	size_t i;

	if (n == NULL)
		return;
	for (i = 0; i < n->nargs; i++)
		free_node(n->args[i]);
	if (n->fn != NULL && n->fn->done != NULL)
		n->fn->done(n);
	free(n->args);
	free(n->name);
	sl_buf_free(&n->buf);
	sl_buf_free(&n->tbuf);
	free(n);
}

/*
 * A quoted string at ps->p (the quote q, doubled inside for itself) into
 * b; ps->p moves past it.
 */
static bool
quoted(struct parser *ps, char q, struct sl_buf *b, const char *what)
{
	const char *start = ps->p;

	for (ps->p++; ps->p < ps->e; ps->p++) {
		if (*ps->p == q) {
			if (ps->p + 1 < ps->e && ps->p[1] == q) {
				ps->p++;
			} else {
				ps->p++;
				return true;
			}
		}
		if (!sl_buf_addc(b, *ps->p))
			return buffail(ps);
	}
	return syntax(ps, start, "%s that does not end", what);
}

static struct ex_node *parse_expr(struct parser *ps);

static bool
add_arg(struct parser *ps, struct ex_node *n, struct ex_node *a)
{
	struct ex_node **args;

	if ((args = realloc(n->args, (n->nargs + 1) * sizeof(*args))) ==
	    NULL) {
		free_node(a);
		return nomem(ps);
	}
	n->args = args;
	n->args[n->nargs++] = a;
	return true;
}

static void
no_function(struct parser *ps, const char *at, size_t len)
{
	char names[160];
	const struct ex_fn *fn;
	size_t k = 0;

	names[0] = '\0';
	for (fn = ex_fns; fn->name != NULL && k < sizeof(names); fn++)
		k += (size_t)snprintf(names + k, sizeof(names) - k, "%s%s",
		    k > 0 ? ", " : "", fn->name);
	syntax(ps, at, "no function \"%.*s\" (there are: %s)",
	    (int)(len > 40 ? 40 : len), at, names);
}

/* NAME(ARGS), with ps->p at the '(' */
static struct ex_node *
parse_call(struct parser *ps, const char *at, size_t len)
{
	const struct ex_fn *fn;
	struct ex_node *n, *a;

	for (fn = ex_fns; fn->name != NULL; fn++)
		if (strlen(fn->name) == len &&
		    strncasecmp(fn->name, at, len) == 0)
			break;
	if (fn->name == NULL) {
		no_function(ps, at, len);
		return NULL;
	}
	if ((n = new_node(ps, N_CALL, at)) == NULL)
		return NULL;
	n->fn = fn;
	ps->p++;	/* the '(' */
	blanks(ps);
	if (ps->p < ps->e && *ps->p == ')') {
		ps->p++;
	} else {
		for (;;) {
			if (n->nargs == EX_MAXARGS) {
				syntax(ps, ps->p, "more than %d arguments",
				    EX_MAXARGS);
				goto fail;
			}
			if ((a = parse_expr(ps)) == NULL ||
			    !add_arg(ps, n, a))
				goto fail;
			blanks(ps);
			if (ps->p < ps->e && *ps->p == ',') {
				ps->p++;
				continue;
			}
			if (ps->p < ps->e && *ps->p == ')') {
				ps->p++;
				break;
			}
			syntax(ps, ps->p, "expected ',' or ')' in the "
			    "arguments of %s", fn->name);
			goto fail;
		}
	}
	if (n->nargs < fn->min || n->nargs > fn->max) {
		if (fn->min == fn->max)
			syntax(ps, at, "%s takes %d argument%s, not %zu",
			    fn->name, fn->min, fn->min == 1 ? "" : "s",
			    n->nargs);
		else if (fn->max == EX_MAXARGS)
			syntax(ps, at, "%s takes at least %d argument%s",
			    fn->name, fn->min, fn->min == 1 ? "" : "s");
		else
			syntax(ps, at, "%s takes %d to %d arguments, not %zu",
			    fn->name, fn->min, fn->max, n->nargs);
		goto fail;
	}
	return n;
fail:
	free_node(n);
	return NULL;
}

static struct ex_node *
parse_number(struct parser *ps)
{
	const char *at = ps->p;
	struct ex_node *n;
	int64_t v;

	if (*ps->p == '-')
		ps->p++;
	while (ps->p < ps->e && *ps->p >= '0' && *ps->p <= '9')
		ps->p++;
	if ((ps->p < ps->e && word_char((unsigned char)*ps->p)) ||
	    !sl_parse_int(at, (size_t)(ps->p - at), INT64_MIN, INT64_MAX, &v)) {
		syntax(ps, at, "not an integer (a bigint)");
		return NULL;
	}
	if ((n = new_node(ps, N_LIT, at)) == NULL)
		return NULL;
	n->type = "int8";
	if (v < 0) {
		n->v.type = MSGPACK_OBJECT_NEGATIVE_INTEGER;
		n->v.via.i64 = v;
	} else {
		n->v.type = MSGPACK_OBJECT_POSITIVE_INTEGER;
		n->v.via.u64 = (uint64_t)v;
	}
	return n;
}

static struct ex_node *
parse_text(struct parser *ps)
{
	struct ex_node *n;

	if ((n = new_node(ps, N_LIT, ps->p)) == NULL)
		return NULL;
	if (!quoted(ps, '\'', &n->buf, "a 'text' literal")) {
		free_node(n);
		return NULL;
	}
	n->quoted = true;
	n->type = "text";
	n->v.type = MSGPACK_OBJECT_STR;
	n->v.via.str.ptr = n->buf.p == NULL ? "" : n->buf.p;
	n->v.via.str.size = (uint32_t)n->buf.len;
	return n;
}

/* A column: a bare word (not followed by '(') or a "quoted" name. */
static struct ex_node *
parse_column(struct parser *ps, const char *at, size_t len)
{
	struct sl_buf b = { 0 };
	struct ex_node *n;

	if (*at == '"') {
		if (!quoted(ps, '"', &b, "a \"quoted\" name"))
			goto fail;
		if (b.len == 0) {
			syntax(ps, at, "an empty \"\" name");
			goto fail;
		}
	} else if (!sl_buf_add(&b, at, len)) {
		buffail(ps);
		goto fail;
	}
	if (!sl_buf_cstr(&b)) {
		buffail(ps);
		goto fail;
	}
	if ((n = new_node(ps, N_COL, at)) == NULL)
		goto fail;
	n->name = b.p;
	return n;
fail:
	sl_buf_free(&b);
	return NULL;
}

static struct ex_node *
parse_expr(struct parser *ps)
{
	const char *at;
	struct ex_node *n;
	size_t len;

	blanks(ps);
	at = ps->p;
	if (ps->p == ps->e)
		return syntax(ps, at, "expected a value: 'text', a number, "
		    "NULL, a column or a function call"), NULL;
	if (++ps->depth > MAXDEPTH)
		return syntax(ps, at, "nested more than %d deep", MAXDEPTH),
		    NULL;
	if (*at == '\'') {
		n = parse_text(ps);
	} else if (*at == '"') {
		n = parse_column(ps, at, 0);
	} else if ((*at >= '0' && *at <= '9') || (*at == '-' &&
	    at + 1 < ps->e && at[1] >= '0' && at[1] <= '9')) {
		n = parse_number(ps);
	} else if (word_start((unsigned char)*at)) {
		while (ps->p < ps->e && word_char((unsigned char)*ps->p))
			ps->p++;
		len = (size_t)(ps->p - at);
		blanks(ps);
		if (ps->p < ps->e && *ps->p == '(') {
			n = parse_call(ps, at, len);
		} else if (len == 4 && strncasecmp(at, "null", 4) == 0) {
			n = new_node(ps, N_LIT, at);
		} else {
			ps->p = at + len;
			n = parse_column(ps, at, len);
		}
	} else {
		return syntax(ps, at, "expected a value: 'text', a number, "
		    "NULL, a column or a function call"), NULL;
	}
	ps->depth--;
	return n;
}

/* ::TYPE: a type name, with (N[,M]) and [] as PostgreSQL writes them. */
static bool
parse_cast(struct parser *ps)
{
	const char *at;

	if (ps->x->cast != NULL)
		return syntax(ps, ps->p, "a second ::TYPE");
	ps->p += 2;
	blanks(ps);
	at = ps->p;
	while (ps->p < ps->e && word_char((unsigned char)*ps->p))
		ps->p++;
	if (ps->p == at)
		return syntax(ps, at, "expected a type name after ::");
	if (ps->p < ps->e && *ps->p == '(') {
		while (ps->p < ps->e && *ps->p != ')')
			ps->p++;
		if (ps->p == ps->e)
			return syntax(ps, at, "a type's '(' that does not end");
		ps->p++;
	}
	while (ps->e - ps->p >= 2 && ps->p[0] == '[' && ps->p[1] == ']')
		ps->p += 2;
	ps->x->castpos = (size_t)(at - ps->s);
	if ((ps->x->cast = strndup(at, (size_t)(ps->p - at))) == NULL)
		return nomem(ps);
	return true;
}

/* !null or !reject */
static bool
parse_policy(struct parser *ps)
{
	const char *at;

	if (ps->x->policy != EX_POL_DEFAULT)
		return syntax(ps, ps->p, "a second !null or !reject");
	ps->p++;
	blanks(ps);
	at = ps->p;
	while (ps->p < ps->e && word_char((unsigned char)*ps->p))
		ps->p++;
	if (ps->p - at == 4 && strncasecmp(at, "null", 4) == 0)
		ps->x->policy = EX_POL_NULL;
	else if (ps->p - at == 6 && strncasecmp(at, "reject", 6) == 0)
		ps->x->policy = EX_POL_REJECT;
	else
		return syntax(ps, at, "expected null or reject after !");
	return true;
}

/* Runs each function's prep, innermost first; the root gets the ::TYPE. */
static int
prep_node(struct ex_node *n, const char *type, struct ex_perr *err)
{
	size_t i;
	int st;

	for (i = 0; i < n->nargs; i++)
		if ((st = prep_node(n->args[i], NULL, err)) != EX_OK)
			return st;
	if (n->kind != N_CALL)
		return EX_OK;
	if ((n->fn->flags & EX_F_FAILS) != 0)
		n->e->fallible = true;
	return n->fn->prep == NULL ? EX_OK : n->fn->prep(n, type, err);
}

int
ex_parse(const char *s, size_t n, size_t *end, struct ex_expr **out,
    struct ex_perr *err)
{
	struct parser ps = { s, s, s + n, NULL, err, 0, EX_OK };
	struct ex_expr *x;
	int st;

	*out = NULL;
	memset(err, 0, sizeof(*err));
	if ((x = calloc(1, sizeof(*x))) == NULL) {
		sl_err("out of memory");
		return EX_ERROR;
	}
	ps.x = x;
	if ((x->root = parse_expr(&ps)) == NULL)
		goto fail;
	for (;;) {
		blanks(&ps);
		if (ps.e - ps.p >= 2 && ps.p[0] == ':' && ps.p[1] == ':') {
			if (!parse_cast(&ps))
				goto fail;
		} else if (ps.p < ps.e && *ps.p == '!') {
			if (!parse_policy(&ps))
				goto fail;
		} else {
			break;
		}
	}
	if ((st = prep_node(x->root, x->root->kind == N_CALL &&
	    (x->root->fn->flags & EX_F_TYPED) ? x->cast : NULL, err)) !=
	    EX_OK) {
		if (st == EX_SYNTAX && err->pos == SIZE_MAX)
			err->pos = x->castpos;
		ps.st = st;
		goto fail;
	}
	*end = (size_t)(ps.p - s);
	*out = x;
	return EX_OK;
fail:
	ex_free(x);
	return ps.st == EX_OK ? EX_ERROR : ps.st;
}

void
ex_free(struct ex_expr *e)
{
	if (e == NULL)
		return;
	free_node(e->root);
	free(e->cast);
	sl_buf_free(&e->tbuf);
	free(e);
}
