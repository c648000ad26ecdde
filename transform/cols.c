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
#include "colist.h"
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

/* One output column, or (OP_COPY) a run of input columns copied whole. */
enum opkind { OP_COPY, OP_CONST, OP_CAST, OP_EXPR };
struct op {
	enum opkind	 kind;
	size_t		 col;
	size_t		 ncol;
	const struct cl_item *it;
	enum cl_cast	 cast;		/* OP_CAST, OP_EXPR (CL_NONE: none) */
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
	enum cl_cast	 to;
	bool		 used;
};

/* the items of the list: lib/colist.h */
static struct cl_list list = { .on_error = EX_POL_NULL };
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

static void
opt_cast(char *arg)
{
	char *colon = strrchr(arg, ':');
	enum cl_cast to;

	if (colon == NULL || colon == arg)
		usage_error(usage_text, "--cast: \"%s\" is not COL:TYPE", arg);
	*colon = '\0';
	if ((to = cl_cast_type(colon + 1)) == CL_NONE)
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
add_op(enum opkind kind, size_t col, const struct cl_item *it)
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
	struct cl_item	*it;
	const char	*name;
};

static struct outcol *outs;
static size_t nouts, capouts;
static struct sl_nidx *outx;	/* output names -> outs */
static bool *dropped;		/* by input column */
static long *firstout;		/* input column -> its first output, or -1 */

static void
add_out(long col, struct cl_item *it, const char *name)
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
	struct cl_item *it;
	size_t i, j;
	long c;

	nouts = 0;
	sl_nidx_free(outx);
	outx = enidx_new(in->ncols + list.nitems);
	free(dropped);
	dropped = ecalloc(in->ncols + 1, sizeof(*dropped));
	for (i = 0; i < ndrops; i++) {
		if ((c = rs_header_find(in, drops[i])) < 0)
			sl_no_column(in, "--drop", drops[i]);
		dropped[c] = true;
	}
	for (i = 0; i < list.nitems; i++) {
		it = &list.items[i];
		if (it->kind == CL_STAR) {
			for (j = 0; j < in->ncols; j++)
				if (!dropped[j])
					add_out((long)j, it,
					    in->cols[j].name);
		} else if (it->kind == CL_CONST || it->kind == CL_EXPR) {
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
add_expr_op(struct cl_item *it, const char *name, const struct castopt *co)
{
	struct op *op;

	add_op(OP_EXPR, 0, it);
	op = &ops[nops - 1];
	op->name = name;
	op->cast = co == NULL ? CL_NONE : co->to;
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
bind_expr(const struct cl_item *it, const struct rs_header *in)
{
	struct ex_perr err;
	int st = ex_bind(it->ex, in, &err);

	if (st == EX_NOCOL)
		sl_no_column(in, "the list", err.name);
	if (st == EX_SYNTAX) {
		cl_error(&list, it->pos + err.pos, err.msg);
		exit(EXIT_USAGE);
	}
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
		    outs[i].it->kind == CL_EXPR ? bind_expr(outs[i].it, in) :
		    outs[i].it->type;
		if (co != NULL)
			type = cl_cast_name(co->to);
		if (!rs_header_setcol(out, i, outs[i].name, type))
			exit(EXIT_IO);
		if (outs[i].col < 0 && outs[i].it->kind == CL_EXPR)
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
	if ((st = cl_cast(op->cast, o, &op->v, &op->text, &scratch)) < 0)
		exit(EXIT_IO);	/* reported */
	if (st == 0)
		return 0;
	sl_buf_reset(&reason);
	sl_buf_reset(&scratch);
	if (!sl_fmt_text(&scratch, o) ||
	    !sl_buf_printf(&reason, "cast: %s=%s is %s %s", op->name,
	    sl_printable(show, sizeof(show), scratch.p, scratch.len),
	    st == 2 ? "out of range for" : "not a valid",
	    cl_cast_name(op->cast)))
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
	return op->cast == CL_NONE || cast_value(op, &v) == 0 ? 0 : 1;
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
	cl_free(&list);
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
	    "  -r, --rejects FILE      rejected rows, with the reason in _error\n", stdout);
	sl_common_help(26);
	fputs("\n"
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
		SL_FILTER_LONG,
		SL_COMMON_LONG
	};
	static const struct sl_filter filter = { plan, do_row, NULL,
	    NULL, finish };
	struct sl_progress pg;
	static struct sl_buf text;	/* the list points into it to the end */
	const char *nulledpath = NULL;
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
		case OPT_NULLED:
			nulledpath = optarg;
			break;
		case OPT_ONERROR:
			if (strcmp(optarg, "null") == 0)
				list.on_error = EX_POL_NULL;
			else if (strcmp(optarg, "reject") == 0)
				list.on_error = EX_POL_REJECT;
			else
				usage_error(usage_text, "--on-error: \"%s\" is "
				    "neither null nor reject", optarg);
			break;
		default:
			sl_common_opt(&co, c, help, usage_text);
		}
	}
	/* several arguments are one list: cols id, name AS n */
	for (i = optind; i < argc; i++)
		if ((i > optind && !sl_buf_addc(&text, ' ')) ||
		    !sl_buf_adds(&text, argv[i]))
			die(EXIT_IO, "out of memory");
	if (text.len == 0 && !sl_buf_addc(&text, '*'))
		die(EXIT_IO, "out of memory");
	if (!sl_buf_cstr(&text))
		die(EXIT_IO, "out of memory");
	/* text stays: messages quote it */
	if ((status = cl_parse(&list, text.p)) == CL_BADARG)
		usage_error(usage_text, NULL);
	if (status != EXIT_OK)
		return status;	/* reported */
	if (!sl_ledger_open(&ledger, co.rejects, co.output))
		return EXIT_IO;
	atexit(cleanup);
	if (nulledpath != NULL && (nulled = sl_nulled_open(nulledpath)) == NULL)
		return EXIT_IO;
	for (i = 0; i < (int)list.nitems; i++)
		if (list.items[i].kind == CL_EXPR)
			ledger.nulls = true;
	sl_progress_start(&pg, co.progress);
	status = sl_ledger_run(&ledger, &filter, &pg, co.quiet);
	sl_progress_end(&pg);
	if (status == EXIT_OK && !sl_ledger_close(&ledger, true))
		status = EXIT_IO;
	return status;
}
