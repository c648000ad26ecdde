/*
 * remap: gives rows new keys and makes their foreign keys follow.
 *
 *	remap [-a COL=[map:FILE,]uuid5:NS|uuid4|serial[:START]]
 *	      [-k [COL=]NEWCOL]
 *	      [--map-out [COL=]FILE] [--fk COL=uuid5:NS|map:FILE]
 *	      [--map COL=FILE] [--known COL=FILE] [--upstream COL[:KEY]=FILE]
 *	      [--orphans reject|null|keep|fail] [-o FILE] [-r FILE] [-q] [--progress]
 *
 * A filter: a row stream in, the same rows out with the --assign columns
 * holding new keys (the old ones optionally kept in a tracking column)
 * and the --fk columns rewritten by the same function or through a map.
 * An --assign through a map keeps the keys the map has (rows a run
 * before moved) and makes the others by its fallback.
 * A foreign key with no new key is an orphan; --orphans says what
 * becomes of its row. Every row comes out or goes to --rejects, so that
 * rows in = rows out + rows rejected.
 * With --upstream, an orphan's reason says why its parent is not there:
 * rejected upstream (and the parent's own reason), or not in the source.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exitcodes.h"
#include "keymap.h"
#include "ledger.h"
#include "ofile.h"
#include "prog.h"
#include "progress.h"
#include "rmspec.h"
#include "rowstream.h"
#include "uuid.h"
#include "value.h"

static const char usage_text[] =
    "usage: remap [-a COL=[map:FILE,]uuid5:NS|uuid4|serial[:START]]\n"
    "             [-k [COL=]NEWCOL]\n"
    "             [--map-out [COL=]FILE] [--fk COL=uuid5:NS|map:FILE]\n"
    "             [--map COL=FILE] [--known COL=FILE]\n"
    "             [--upstream COL[:KEY]=FILE]\n"
    "             [--orphans reject|null|keep|fail] [-o FILE] [-r FILE] [-q]\n"
    "             [--progress]\n";

enum opkind { OP_COPY, OP_SPEC, OP_KEEP };

/* An output column, or a run of copied ones. */
struct op {
	enum opkind	 kind;
	size_t		 col;		/* first input column */
	size_t		 ncol;		/* OP_COPY: how many */
	struct rm_spec	*sp;
};

static struct rm_set set;		/* the set.specs: lib/rmspec.h */
static struct op *ops;
static size_t nops;
static struct sl_ledger ledger;
static struct sl_common co;		/* -q, --progress */

static void
add_op(enum opkind kind, size_t col, struct rm_spec *sp)
{
	if (kind == OP_COPY && nops > 0 && ops[nops - 1].kind == OP_COPY &&
	    ops[nops - 1].col + ops[nops - 1].ncol == col) {
		ops[nops - 1].ncol++;
		return;
	}
	ops = erealloc(ops, (nops + 1) * sizeof(*ops));
	ops[nops].kind = kind;
	ops[nops].col = col;
	ops[nops].ncol = 1;
	ops[nops].sp = sp;
	nops++;
}

/* Begins a map-out segment: the old key (its input type), the new. */
static void
mapout_begin(struct rm_spec *sp, const struct rs_header *in)
{
	struct rs_header *h = rs_header_new(in->table, 2);
	struct sl_buf old = { 0 };

	if (h == NULL)
		exit(EXIT_IO);
	if (sp->keep != NULL)
		sl_buf_adds(&old, sp->keep);
	else
		sl_buf_printf(&old, "old_%s", sp->col);
	if (!sl_buf_cstr(&old) ||
	    !rs_header_setcol(h, 0, old.p, in->cols[sp->idx].type) ||
	    !rs_header_setcol(h, 1, sp->col, rm_new_type(sp,
	    in->cols[sp->idx].type)) ||
	    !rs_begin(sp->mow, h))
		exit(EXIT_IO);
	sl_buf_free(&old);
	rs_header_free(h);
}

/*
 * A segment begins: finds the set.specs' columns, plans the output columns
 * and makes the output header (the new columns' types, the tracking
 * columns after the keys they keep).
 */
static struct rs_header *
plan(const struct rs_header *in)
{
	struct rs_header *out;
	size_t i, k, n = in->ncols;
	/* the spec of each column; static, so that a die() leaks nothing */
	static struct rm_spec **specof;
	struct rm_spec *sp;

	free(specof);
	specof = ecalloc(in->ncols + 1, sizeof(*specof));
	for (i = 0; i < set.nspecs; i++) {
		sp = &set.specs[i];
		if ((sp->idx = rs_header_find(in, sp->col)) < 0)
			sl_no_column(in, sp->fk ? "--fk" : "--assign", sp->col);
		specof[sp->idx] = sp;
		if (sp->keep != NULL) {
			if (rs_header_find(in, sp->keep) >= 0)
				die(EXIT_USAGE, "--keep-old %s: \"%s\" already "
				    "has a column \"%s\"", sp->keep, in->table,
				    sp->keep);
			n++;
		}
	}
	nops = 0;
	if ((out = rs_header_new(in->table, n)) == NULL ||
	    (in->source != NULL && !rs_header_setsource(out, in->source)) ||
	    (in->nkey > 0 && !rs_header_setkey(out, in->nkey,
	    (const char *const *)in->key)))
		exit(EXIT_IO);
	for (i = k = 0; i < in->ncols; i++) {
		sp = specof[i];
		if (!rs_header_setcol(out, k++, in->cols[i].name,
		    sp ? rm_new_type(sp, in->cols[i].type) : in->cols[i].type))
			exit(EXIT_IO);
		add_op(sp ? OP_SPEC : OP_COPY, i, sp);
		if (sp == NULL || sp->keep == NULL)
			continue;
		if (!rs_header_setcol(out, k++, sp->keep, in->cols[i].type))
			exit(EXIT_IO);
		add_op(OP_KEEP, i, sp);
	}
	for (i = 0; i < set.nspecs; i++)
		if (set.specs[i].mow != NULL)
			mapout_begin(&set.specs[i], in);
	return out;
}

/*
 * An orphan kept under --orphans keep, in a map column: its old value
 * as it was when the column's class allows, as text in a UUID column.
 */
static void
put_old(struct rs_writer *w, const struct rm_spec *sp, const struct rs_row *row)
{
	const msgpack_object *o = &row->v[sp->idx];
	bool isint = o->type == MSGPACK_OBJECT_POSITIVE_INTEGER ||
	    o->type == MSGPACK_OBJECT_NEGATIVE_INTEGER;

	if (isint == (sl_keymap_kind(sp->map) == SL_KEYMAP_INT) &&
	    (isint || o->type == MSGPACK_OBJECT_STR)) {
		rs_put_raw(w, row->raw + row->off[sp->idx],
		    row->off[sp->idx + 1] - row->off[sp->idx]);
		return;
	}
	if (!rm_key_text(&set, o))
		die(EXIT_IO, "out of memory");
	rs_put_str(w, set.keytext.p, set.keytext.len);
}

static void
put_new(struct rs_writer *w, struct rm_spec *sp, const struct rs_row *row)
{
	enum rm_how how = sp->usefb ? sp->fb : sp->how;
	char t[SL_UUID_TEXT];

	if (sp->null) {
		rs_put_nil(w);
		return;
	}
	if (sp->old) {
		put_old(w, sp, row);
		return;
	}
	if (sp->how == RM_MAP && !sp->fk && sp->usefb)
		sp->made++;
	else if (sp->how == RM_MAP && !sp->fk)
		sp->kept++;
	if (how == RM_SERIAL)
		sp->n = sp->next++;
	else if (how == RM_UUID4 && !sl_uuid4(sp->u))
		exit(EXIT_IO);
	if (sp->istext) {
		rs_put_str(w, sp->tv.p, sp->tv.n);
		return;
	}
	if (sp->isint) {
		rs_put_int(w, sp->n);
		return;
	}
	if (sp->text != NULL) {
		rs_put_str(w, sp->text, SL_UUID_TEXT);
		return;
	}
	sl_uuid_fmt(sp->u, t);
	rs_put_str(w, t, sizeof(t));
}

static void
mapout_row(struct rm_spec *sp, const struct rs_row *row)
{
	char t[SL_UUID_TEXT];

	rs_row_begin(sp->mow);
	rs_put_raw(sp->mow, row->raw + row->off[sp->idx],
	    row->off[sp->idx + 1] - row->off[sp->idx]);
	if (sp->istext) {
		rs_put_str(sp->mow, sp->tv.p, sp->tv.n);
	} else if (sp->isint) {
		rs_put_int(sp->mow, sp->n);
	} else {
		sl_uuid_fmt(sp->u, t);
		rs_put_str(sp->mow, t, sizeof(t));
	}
	if (!rs_row_end(sp->mow))
		exit(EXIT_IO);
}

static void
write_row(struct rs_writer *w, const struct rs_row *row)
{
	const struct op *op;
	size_t i;

	rs_row_begin(w);
	for (op = ops; op < ops + nops; op++) {
		switch (op->kind) {
		case OP_COPY:
			rs_put_raws(w, row->raw + row->off[op->col],
			    row->off[op->col + op->ncol] - row->off[op->col],
			    op->ncol);
			break;
		case OP_KEEP:
			rs_put_raw(w, row->raw + row->off[op->col],
			    row->off[op->col + 1] - row->off[op->col]);
			break;
		case OP_SPEC:
			put_new(w, op->sp, row);
			break;
		}
	}
	if (!rs_row_end(w))
		exit(EXIT_IO);
	for (i = 0; i < set.nspecs; i++)
		if (set.specs[i].mow != NULL)
			mapout_row(&set.specs[i], row);
}

/*
 * One row: its new keys, or its rejection. Without a rejects file the
 * output stops at the first rejected row (ledger.h); the input is still
 * read to the end, to count and check it.
 */
static bool
do_row(struct sl_ledger *l, struct rs_reader *r, struct rs_writer *w)
{
	const struct rs_row *row = rs_row(r);
	const char *table = rs_header(r)->table;
	size_t i;

	int st;

	for (i = 0; i < set.nspecs; i++)
		if ((st = rm_compute(&set, &set.specs[i], row, table)) ==
		    RM_ROWREJECT)
			return sl_ledger_reject(l, r, set.reason.p);
		else if (st != RM_PASS)
			exit(st);	/* reported */
	if (!sl_ledger_stopped(l))
		write_row(w, row);
	return true;
}

/*
 * After a segment, on stderr: the orphans kept or set to NULL, and how
 * many keys each --assign through a map kept and made.
 */
static void
orphan_notes(const char *table)
{
	size_t i;

	for (i = 0; i < set.nspecs; i++) {
		if (set.specs[i].how == RM_MAP && !set.specs[i].fk)
			fprintf(stderr, "%s: %s: %s: %" PRIu64 " kept from the "
			    "map, %" PRIu64 " new\n", sl_progname, table,
			    set.specs[i].col, set.specs[i].kept, set.specs[i].made);
		set.specs[i].kept = set.specs[i].made = 0;
		if (set.specs[i].orphans > 0)
			fprintf(stderr, "%s: %s: %s: %" PRIu64 " orphan%s %s\n",
			    sl_progname, table, set.specs[i].col, set.specs[i].orphans,
			    set.specs[i].orphans == 1 ? "" : "s",
			    set.orphans == RM_NULL ? "set to NULL" : "kept");
		set.specs[i].orphans = 0;
	}
}

/* Opens the --map-out files; they appear only when the run succeeds. */
static void
mapout_open(void)
{
	size_t i;

	for (i = 0; i < set.nspecs; i++) {
		if (set.specs[i].mapout == NULL)
			continue;
		if ((set.specs[i].mof = sl_ofile_open(set.specs[i].mapout)) == NULL ||
		    (set.specs[i].mow = rs_wopen(sl_ofile_fd(set.specs[i].mof),
		    set.specs[i].mapout)) == NULL)
			exit(EXIT_IO);
	}
}

/* Closes the --map-out files: renamed into place, or removed. */
static bool
mapout_close(bool commit)
{
	struct rm_spec *sp;
	bool ok = true, wok;

	for (sp = set.specs; sp < set.specs + set.nspecs; sp++) {
		if (sp->mof == NULL)
			continue;
		wok = commit && rs_wfinish(sp->mow);
		wok = rs_wclose(sp->mow) && wok;
		if (wok) {
			ok = sl_ofile_commit(sp->mof) && ok;
		} else {
			sl_ofile_abort(sp->mof);
			ok = ok && !commit;
		}
		sp->mof = NULL;
		sp->mow = NULL;
	}
	return ok;
}

/* Abandons the output files when remap dies. */
static void
cleanup(void)
{
	mapout_close(false);
	sl_ledger_close(&ledger, false);
	rm_free(&set);
}

/* After a segment: the map-out segments end, and the orphans are told. */
static bool
seg_end(const struct rs_reader *r)
{
	size_t i;

	for (i = 0; i < set.nspecs; i++)
		if (set.specs[i].mow != NULL && !rs_end(set.specs[i].mow))
			return false;
	if (!co.quiet)
		orphan_notes(rs_header(r)->table);
	return true;
}

/* An option's status from lib/rmspec: a usage error shows the synopsis. */
static void
opt(int status)
{
	if (status == EXIT_USAGE)
		usage_error(usage_text, NULL);
	if (status != EXIT_OK)
		exit(status);
}

static void
help(void)
{
	fputs(usage_text, stdout);
	fputs("Give rows new keys and make their foreign keys follow.\n"
	    "\n"
	    "  -a, --assign COL=HOW    a new key in COL: uuid5:NS (the same old\n"
	    "                          key always gives the same UUID), uuid4\n"
	    "                          (random), serial[:START] (1, 2, ...)\n"
	    "  -a, --assign COL=map:FILE,HOW\n"
	    "                          the map's key for an old key it has, a\n"
	    "                          new one by HOW for the others\n"
	    "  -k, --keep-old [COL=]NEWCOL\n"
	    "                          keep COL's old value in NEWCOL, after COL\n"
	    "      --map-out [COL=]FILE\n"
	    "                          write the old -> new pairs to FILE\n"
	    "      --fk COL=uuid5:NS   rewrite a foreign key as --assign does\n"
	    "      --fk COL=map:FILE   rewrite it through a map (a two-column\n"
	    "                          row stream: old key, new key)\n"
	    "      --map COL=FILE      the same as --fk COL=map:FILE\n"
	    "      --known COL=FILE    the old keys that exist (first column of\n"
	    "                          a row stream), for a uuid5 --fk\n"
	    "      --upstream COL[:KEY]=FILE\n"
	    "                          the parent stage's rejects: an orphan's\n"
	    "                          reason says whether its parent was\n"
	    "                          rejected there (and why) or is not in\n"
	    "                          the source; KEY is FILE's old key column\n"
	    "      --orphans WHAT      a foreign key with no new key: reject\n"
	    "                          (the default), null, keep or fail\n"
	    "  -o, --output FILE       write the stream to FILE (default stdout),\n"
	    "                          in place only when it is whole; mode 0600\n"
	    "  -r, --rejects FILE      rejected rows, with the reason in _error\n", stdout);
	sl_common_help(26);
	fputs("\n"
	    "NS is a UUID, or a name standing for uuid5(NAMESPACE_URL, name).\n"
	    "Keys match by their text form: 42 and \"42\" are one key.\n"
	    "Exit status: 0 ok, 1 orphans under --orphans fail, or rows\n"
	    "rejected with no --rejects file, 2 usage, 3 bad input stream,\n"
	    "5 I/O error.\n", stdout);
}

int
main(int argc, char *argv[])
{
	enum { OPT_MAPOUT = 256, OPT_FK, OPT_MAP, OPT_KNOWN, OPT_ORPHANS,
	    OPT_UPSTREAM };
	static const struct option opts[] = {
		{ "assign", required_argument, NULL, 'a' },
		{ "fk", required_argument, NULL, OPT_FK },
		{ "keep-old", required_argument, NULL, 'k' },
		{ "known", required_argument, NULL, OPT_KNOWN },
		{ "map", required_argument, NULL, OPT_MAP },
		{ "map-out", required_argument, NULL, OPT_MAPOUT },
		{ "orphans", required_argument, NULL, OPT_ORPHANS },
		{ "upstream", required_argument, NULL, OPT_UPSTREAM },
		SL_FILTER_LONG,
		SL_COMMON_LONG
	};
	static const char *const onames[] = { "reject", "null", "keep",
	    "fail" };
	static const struct sl_filter filter = { plan, do_row, seg_end,
	    NULL, NULL };
	struct sl_progress pg;
	static char **keeps, **outs, **knowns, **ups;
	size_t nkeep = 0, nout = 0, nknown = 0, nup = 0, i;
	bool found;
	int c, status;

	sl_setprogname(argv[0]);
	keeps = ecalloc((size_t)argc, sizeof(*keeps));
	outs = ecalloc((size_t)argc, sizeof(*outs));
	knowns = ecalloc((size_t)argc, sizeof(*knowns));
	ups = ecalloc((size_t)argc, sizeof(*ups));
	while ((c = getopt_long(argc, argv, "a:hk:qo:r:", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			opt(rm_opt_assign(&set, optarg));
			break;
		case OPT_FK:
		case OPT_MAP:
			opt(rm_opt_fk(&set, optarg, c == OPT_MAP));
			break;
		case 'k':
			keeps[nkeep++] = optarg;
			break;
		case OPT_MAPOUT:
			outs[nout++] = optarg;
			break;
		case OPT_KNOWN:
			knowns[nknown++] = optarg;
			break;
		case OPT_UPSTREAM:
			ups[nup++] = optarg;
			break;
		case OPT_ORPHANS:
			for (i = 0, found = false; i < 4 && !found; i++)
				if ((found = strcmp(optarg, onames[i]) == 0))
					set.orphans = (enum rm_orphans)i;
			if (!found)
				usage_error(usage_text, "--orphans: \"%s\" is "
				    "none of reject, null, keep, fail", optarg);
			break;
		default:
			sl_common_opt(&co, c, help, usage_text);
		}
	}
	sl_no_operands(argc, argv, usage_text);
	if (set.nspecs == 0)
		usage_error(usage_text, "nothing to do: no --assign, --fk "
		    "or --map");
	opt(rm_opt_deferred(&set, keeps, nkeep, outs, nout, knowns, nknown));
	for (i = 0; i < nup; i++)
		opt(rm_opt_upstream(&set, ups[i]));
	free(ups);
	free(keeps);
	free(outs);
	free(knowns);
	if ((status = rm_load(&set)) != EXIT_OK)
		return status;	/* reported */
	if (!sl_ledger_open(&ledger, co.rejects, co.output))
		return EXIT_IO;
	atexit(cleanup);
	mapout_open();
	sl_progress_start(&pg, co.progress);
	status = sl_ledger_run(&ledger, &filter, &pg, co.quiet);
	sl_progress_end(&pg);
	if (status == EXIT_OK && (!mapout_close(true) ||
	    !sl_ledger_close(&ledger, true)))
		status = EXIT_IO;
	return status;
}
