/*
 * expr.h: value expressions over a row's columns, for cols: function
 * calls, column names and SQL-style literals, as in a SELECT list:
 *
 *	lower(trim(email))
 *	concat(lower(ascii(first_name)), '.', lower(ascii(last)), '@x.org')
 *	ts(created, '%d/%m/%Y %H:%M')::timestamp!reject
 *
 * The grammar (docs/cols.1 has it for users):
 *
 *	item	:= expr [ '::' TYPE ] [ '!' ( null | reject ) ]
 *	expr	:= 'text' | INTEGER | NULL | COLUMN | "COLUMN"
 *		 | FUNCTION '(' [ expr { ',' expr } ] ')'
 *
 * Text literals are in single quotes ('' for a quote), names bare
 * (letters, digits, _, $, any byte beyond ASCII) or in double quotes;
 * function names and NULL in any case; blanks between tokens.
 *
 * Life of an expression: ex_parse once, ex_bind for each segment (it
 * resolves column names to indices and decides types), ex_eval for
 * each row. An evaluation allocates only when a value is longer than
 * any the same node made before: every node keeps its own buffer, and
 * a value that a function leaves unchanged is not copied.
 *
 * Functions: a NULL argument makes the result NULL (but for coalesce
 * and nullif, whose point is NULL). Arguments that are not text (an
 * int8 column in concat) are read in their PostgreSQL text form. A
 * value that does not convert (a date that does not parse) is a
 * failure, EX_FAIL, with a reason: the caller decides, by the item's
 * policy, whether that nulls the value or rejects the row.
 *
 * Case mapping (lower, upper) and ascii() go through ICU, with the root
 * locale; the ICU objects are opened on first use and shared by all
 * expressions (not thread-safe), closed by ex_shutdown().
 */
#ifndef SLUICE_EXPR_H
#define SLUICE_EXPR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <msgpack.h>

#include "buf.h"
#include "rowstream.h"

enum {
	EX_OK = 0,
	EX_FAIL,	/* a value did not convert: see struct ex_fail */
	EX_SYNTAX,	/* ex_parse, ex_bind: see struct ex_perr */
	EX_NOCOL,	/* ex_bind: no column err->name in the header */
	EX_ERROR	/* out of memory or an ICU error, reported */
};

enum ex_policy { EX_POL_DEFAULT, EX_POL_NULL, EX_POL_REJECT };

#define EX_MAXARGS	64

/* Where and why an expression is wrong; pos is a byte offset in it. */
struct ex_perr {
	size_t		 pos;
	char		 msg[200];
	char		 name[200];	/* EX_NOCOL: the column */
};

/*
 * Why a row's value failed: the function's message (reason, with the
 * function's name) and the value it was given (value, in its text
 * form). The buffers are the caller's, reused row after row.
 */
struct ex_fail {
	struct sl_buf	 reason;
	struct sl_buf	 value;
};

struct ex_expr;
struct ex_node;

/*
 * Parses the expression item at s[0..n): stops at the first byte that
 * cannot continue it, and sets *end to it (the caller decides what may
 * follow: cols allows AS NAME). EX_OK with *out set (free it with
 * ex_free), EX_SYNTAX with err set, or EX_ERROR.
 */
int ex_parse(const char *s, size_t n, size_t *end, struct ex_expr **out,
    struct ex_perr *err);

/*
 * Binds e to a segment's columns: EX_OK, EX_NOCOL (err->name, err->pos),
 * EX_SYNTAX (a type that cannot be: err) or EX_ERROR. After EX_OK,
 * ex_type is the output column's type name, valid until the next bind.
 */
int ex_bind(struct ex_expr *e, const struct rs_header *h,
    struct ex_perr *err);
const char *ex_type(const struct ex_expr *e);
enum ex_policy ex_policy(const struct ex_expr *e);
bool ex_fallible(const struct ex_expr *e);

/* The only column e refers to (lower(trim(email)): email), or NULL. */
const char *ex_column(const struct ex_expr *e);

/*
 * Evaluates e on a row of the bound segment (vals: one per column). On
 * EX_OK, *out is the value: it points into the row or into e's buffers,
 * valid until the next ex_eval or ex_bind. EX_FAIL fills f; EX_ERROR is
 * reported.
 */
int ex_eval(struct ex_expr *e, const msgpack_object *vals,
    msgpack_object *out, struct ex_fail *f);

void ex_free(struct ex_expr *e);
void ex_shutdown(void);

/*
 * Adding a function: write an ex_fn (the table is fns[] in expr.c, one
 * entry a function). eval reads its arguments' values, already
 * evaluated (never NIL unless EX_F_NULLS), with ex_arg and ex_text, and
 * sets its result with ex_ret_str (copied into the node's buffer),
 * ex_ret_buf (filled by the function in place) or ex_ret_val; a value
 * that does not convert returns ex_failf(). prep, if any, runs once
 * after parsing (e.g. to check a literal argument and keep what it
 * compiles in *ex_state()); done frees that state. A prep that finds
 * the item's ::TYPE wrong sets err->pos to SIZE_MAX: the parser points
 * at the type.
 */
#define EX_F_NULLS	0x1	/* gets NULL arguments (coalesce, nullif) */
#define EX_F_LAZY	0x2	/* evaluates its own arguments (ex_arg_eval) */
#define EX_F_FAILS	0x4	/* may fail on a value (ts, e164) */
#define EX_F_TYPED	0x8	/* takes the item's ::TYPE itself (ts) */

struct ex_fn {
	const char	*name;
	unsigned char	 min, max;	/* how many arguments */
	unsigned	 flags;
	int		(*eval)(struct ex_node *n, struct ex_fail *f);
	int		(*prep)(struct ex_node *n, const char *type,
			    struct ex_perr *err);
	void		(*done)(struct ex_node *n);
};

/* exfn.c: the table, ended by a NULL name. */
extern const struct ex_fn ex_fns[];

size_t ex_nargs(const struct ex_node *n);
const msgpack_object *ex_arg(const struct ex_node *n, size_t i);
int ex_arg_eval(struct ex_node *n, size_t i, struct ex_fail *f);
bool ex_text(struct ex_node *n, size_t i, const char **p, size_t *len);
bool ex_literal(const struct ex_node *n, size_t i, const char **p,
    size_t *len, size_t *pos);
struct sl_buf *ex_buf(struct ex_node *n);
void **ex_state(struct ex_node *n);
void ex_set_type(struct ex_node *n, const char *type);
int ex_ret_str(struct ex_node *n, const char *p, size_t len);
int ex_ret_buf(struct ex_node *n);
int ex_ret_val(struct ex_node *n, const msgpack_object *v);
int ex_failf(struct ex_node *n, struct ex_fail *f, const char *fmt, ...)
    SL_PRINTF(3, 4);

#endif
