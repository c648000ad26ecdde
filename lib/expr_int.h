/*
 * expr_int.h: the expression tree, shared inside lib/ by the parser
 * (lib/expr_parse.c) and the binder and evaluator (lib/expr.c); expr.h
 * is the API.
 */
#ifndef SLUICE_EXPR_INT_H
#define SLUICE_EXPR_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "expr.h"


enum nkind { N_LIT, N_COL, N_CALL };

struct ex_node {
	enum nkind	 kind;
	size_t		 pos;		/* where it starts in the item */
	struct ex_expr	*e;
	char		*name;		/* N_COL */
	long		 col;		/* N_COL, bound */
	bool		 quoted;	/* N_LIT: a 'text' literal */
	const struct ex_fn *fn;		/* N_CALL */
	struct ex_node	**args;
	size_t		 nargs;
	const char	*type;		/* NULL: a NULL literal's, any */
	bool		 typed;		/* type set by the function's prep */
	bool		 totext;	/* values of mixed types: as text */
	msgpack_object	 v;		/* the current value */
	struct sl_buf	 buf;		/* what v may point into */
	struct sl_buf	 tbuf;		/* v in text form, for ex_text */
	void		*state;		/* the function's (prep, done) */
};

struct ex_expr {
	struct ex_node		*root;
	char			*cast;		/* ::TYPE, or NULL */
	size_t			 castpos;
	enum ex_policy		 policy;
	const char		*type;
	bool			 totext;	/* cast to a text type */
	bool			 fallible;
	const msgpack_object	*vals;		/* the row being evaluated */
	struct sl_buf		 tbuf;
};

#endif
