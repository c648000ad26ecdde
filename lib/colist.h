/*
 * colist.h: cols' engine for its list and its casts. The list is like a
 * SELECT list, 'id, full_name AS name, role=teacher, lower(email), *':
 * cl_parse() reads it into items (a column, a constant packed for its
 * type, an expression, or *); cl_cast() converts one value to int8,
 * text, bool or float8 as PostgreSQL's casts do. Planning a segment
 * from the items stays in cols.
 *
 * Who owns what: the list (struct cl_list) owns its items and, in each,
 * the names, the constant's type and value and the parsed expression;
 * cl_free() frees them. The list's text is the caller's, and must stay
 * while the list is used: items' positions and messages point into it.
 * cl_cast() may point *v into text (a value made text) or into the
 * value it converts; both are the caller's buffers.
 *
 * Nothing here exits or prints but through sl_err(). cl_parse returns
 * EXIT_OK; CL_BADARG, a bad item reported in one line, for which the
 * caller adds its synopsis; EXIT_USAGE, a syntax error reported whole
 * (the list with a caret under the place); or EXIT_IO.
 */
#ifndef SLUICE_COLIST_H
#define SLUICE_COLIST_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "expr.h"
#include "rowstream.h"

#define CL_BADARG	(-1)

enum cl_kind { CL_COL, CL_CONST, CL_STAR, CL_EXPR };
enum cl_cast { CL_NONE, CL_INT8, CL_TEXT, CL_BOOL, CL_FLOAT8 };

/* One item of the list, as the user wrote it. */
struct cl_item {
	enum cl_kind	 kind;
	char		*name;		/* the input column (CL_COL) */
	char		*as;		/* the output name */
	char		*type;		/* CL_CONST */
	struct sl_buf	 val;		/* CL_CONST: canonical MessagePack */
	struct ex_expr	*ex;		/* CL_EXPR */
	size_t		 pos;		/* CL_EXPR: where it is in the list */
	struct ex_fail	 fail;		/* CL_EXPR: why a row's value failed */
	enum ex_policy	 policy;	/* CL_EXPR: null or reject */
};

struct cl_list {
	struct cl_item	*items;
	size_t		 nitems;
	const char	*text;		/* the whole list, for messages */
	enum ex_policy	 on_error;	/* an expression's default policy */
};

/* Parses text (split in place; it stays the caller's) into l's items. */
int cl_parse(struct cl_list *l, char *text);

/*
 * Reports where the list is wrong: the message, the list, and a caret
 * under the character at byte pos of it. The caller exits 2.
 */
void cl_error(const struct cl_list *l, size_t pos, const char *msg);

void cl_free(struct cl_list *l);

/* A --cast type's cast (int8, bigint, text, ...), CL_NONE for another. */
enum cl_cast cl_cast_type(const char *t);
const char *cl_cast_name(enum cl_cast c);

/*
 * Converts o (not NULL) to c into *v: 0; 1 when it is not a valid value
 * of c, 2 when it is out of range; -1 out of memory (reported). scratch
 * and text are the caller's buffers, reused from row to row.
 */
int cl_cast(enum cl_cast c, const msgpack_object *o, msgpack_object *v,
    struct sl_buf *text, struct sl_buf *scratch);

#endif
