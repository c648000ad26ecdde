/*
 * unique: makes a column's values unique across a whole row stream.
 *
 *	unique -c COL [--suffix plus|number] [--fold] [--taken FILE --key COL]
 *	       [--dup suffix|null|reject] [--changes FILE] [-o FILE] [-r FILE] [-q]
 *	       [--progress]
 *
 * A filter: every segment of the input (teachers, parents, students in
 * one users stream) shares one set of values. The first row keeps its
 * value; a later duplicate gets the first free suffixed form
 * (john+2@x.com), is set to NULL or is rejected, and is listed in
 * --changes. --taken gives the values the target already holds and
 * their owners' keys, so that a re-run keeps every row's own value.
 * The engine is lib/uniq.c; rows in = rows out + rows rejected.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exitcodes.h"
#include "ledger.h"
#include "ofile.h"
#include "prog.h"
#include "progress.h"
#include "rowstream.h"
#include "uniq.h"
#include "value.h"

static const char usage_text[] =
    "usage: unique -c COL [--suffix plus|number] [--fold]\n"
    "              [--taken FILE --key COL] [--dup suffix|null|reject]\n"
    "              [--changes FILE] [-o FILE] [-r FILE] [-q] [--progress]\n";

#define ROWBITS	40			/* of a where: the row number */
#define NOSEG	((UINT64_C(1) << (64 - ROWBITS)) - 1)	/* a segment past counting */

enum dup { DUP_SUFFIX, DUP_NULL, DUP_REJECT };

static const char *column;
static const char *keycol;
static enum sl_uniq_how how = SL_UNIQ_PLUS;
static enum dup dup = DUP_SUFFIX;
static struct sl_common co;		/* -q, --progress */
static struct sl_uniq *uq;
static struct sl_ledger ledger;
/* the current segment */
static long idx;
static long kidx = -1;
static uint64_t seg;			/* 0-based, as ledger.seg */
static uint64_t nsuffixed, nnulled;
/* the changes file */
static const char *changes;
static struct sl_ofile *cof;
static struct rs_writer *cw;
/* per row, reused */
static struct sl_buf vtext, ktext, made, reason;

static void
oom(void)
{
	die(EXIT_IO, "out of memory");
}

/* The text form of a non-NULL value: its bytes for a str, else in b. */
static void
text_of(const msgpack_object *o, struct sl_buf *b, const char **p, size_t *n)
{
	if (o->type == MSGPACK_OBJECT_STR) {
		/* an empty str may come with no pointer at all */
		*p = o->via.str.size > 0 ? o->via.str.ptr : "";
		*n = o->via.str.size;
		return;
	}
	sl_buf_reset(b);
	if (!sl_fmt_text(b, o))
		oom();
	*p = b->p;
	*n = b->len;
}

/*
 * Reads --taken: a row stream of (value, owner key), e.g. extract -Q
 * "select email, id from users". Rows whose value is NULL own nothing;
 * a NULL owner keeps the value from every row. Dies on an error.
 */
static void
load_taken(const char *path)
{
	struct rs_reader *r;
	const struct rs_row *row;
	const struct rs_header *h;
	struct sl_buf vb = { 0 }, kb = { 0 };
	enum rs_event ev;
	const char *v, *k;
	size_t vn, kn;

	if ((r = rs_open(path)) == NULL)
		exit(EXIT_IO);
	while ((ev = rs_next(r)) != RS_EOF) {
		if (ev == RS_ERROR)
			exit(rs_status(r));
		h = rs_header(r);
		if (ev == RS_HEADER && h->ncols != 2)
			die(EXIT_DATA, "%s: a --taken file has two columns "
			    "(value, owner key), \"%s\" has %zu", path,
			    h->table, h->ncols);
		if (ev != RS_ROW || (row = rs_row(r))->v[0].type ==
		    MSGPACK_OBJECT_NIL)
			continue;
		text_of(&row->v[0], &vb, &v, &vn);
		k = NULL;
		kn = 0;
		if (row->v[1].type != MSGPACK_OBJECT_NIL)
			text_of(&row->v[1], &kb, &k, &kn);
		if (!sl_uniq_own(uq, v, vn, k, kn))
			exit(EXIT_IO);
	}
	rs_close(r);
	sl_buf_free(&vb);
	sl_buf_free(&kb);
}

/* Begins a --changes segment: where each changed value was, and how. */
static void
changes_begin(const struct rs_header *in)
{
	static const char *const cols[][2] = { { "row", "int8" },
	    { "key", "text" }, { "column", "text" }, { "value", "text" },
	    { "new_value", "text" }, { "reason", "text" } };
	struct rs_header *h;
	size_t i;

	if ((h = rs_header_new(in->table, 6)) == NULL)
		exit(EXIT_IO);
	for (i = 0; i < 6; i++)
		if (!rs_header_setcol(h, i, cols[i][0], cols[i][1]))
			exit(EXIT_IO);
	if (!rs_begin(cw, h))
		exit(EXIT_IO);
	rs_header_free(h);
}

/* A segment begins: finds the columns; the output header is the input's. */
static struct rs_header *
begin(const struct rs_header *in)
{
	struct rs_header *out;

	if ((idx = rs_header_find(in, column)) < 0)
		sl_no_column(in, "-c", column);
	if (keycol != NULL && (kidx = rs_header_find(in, keycol)) < 0)
		sl_no_column(in, "--key", keycol);
	/* without --key, a one-column header key names rows in --changes */
	if (keycol == NULL)
		kidx = in->nkey == 1 ? rs_header_find(in, in->key[0]) : -1;
	if (dup == DUP_SUFFIX && in->cols[idx].cls != RS_TEXT)
		die(EXIT_USAGE, "-c %s: column \"%s\" of \"%s\" is %s, which "
		    "takes no suffix (--dup null or --dup reject)", column,
		    column, in->table, in->cols[idx].type);
	seg = ledger.nseg;	/* the ledger's entry for it comes next */
	nsuffixed = nnulled = 0;
	if (cw != NULL)
		changes_begin(in);
	if ((out = rs_header_dup(in)) == NULL)
		exit(EXIT_IO);
	return out;
}

/* Why a duplicate is one, in reason. */
static void
set_reason(const char *v, size_t n, enum sl_uniq_res res,
    const struct sl_uniq_row *u)
{
	uint64_t s = u->first >> ROWBITS;
	bool ok;

	sl_buf_reset(&reason);
	ok = sl_buf_printf(&reason, "duplicate %s: ", column) &&
	    sl_buf_add(&reason, v, n);
	if (res == SL_UNIQ_TAKEN)
		ok = ok && sl_buf_adds(&reason, " (taken in the target") &&
		    (u->by == NULL || (sl_buf_adds(&reason, " by ") &&
		    sl_buf_add(&reason, u->by, u->bylen))) &&
		    sl_buf_adds(&reason, ")");
	else
		ok = ok && sl_buf_printf(&reason, " (first at row %" PRIu64,
		    u->first & ((UINT64_C(1) << ROWBITS) - 1)) &&
		    (s == NOSEG || sl_buf_printf(&reason, " of \"%s\"",
		    ledger.seg[s].table)) && sl_buf_adds(&reason, ")");
	if (!ok || !sl_buf_cstr(&reason))
		oom();
}

static void
change(const struct rs_row *row, const struct sl_uniq_row *u, const char *v,
    size_t n, bool null)
{
	rs_row_begin(cw);
	rs_put_uint(cw, row->num);
	if (u->key != NULL)
		rs_put_str(cw, u->key, u->keylen);
	else
		rs_put_nil(cw);
	rs_put_str(cw, column, strlen(column));
	rs_put_str(cw, v, n);
	if (null)
		rs_put_nil(cw);
	else
		rs_put_str(cw, made.p, made.len);
	rs_put_str(cw, reason.p, reason.len);
	if (!rs_row_end(cw))
		exit(EXIT_IO);
}

/* Writes row with its value replaced: made, or NULL. */
static bool
write_changed(struct rs_writer *w, const struct rs_row *row, bool null)
{
	size_t i = (size_t)idx;

	rs_row_begin(w);
	rs_put_raws(w, row->raw + row->off[0], row->off[i] - row->off[0], i);
	if (null)
		rs_put_nil(w);
	else
		rs_put_str(w, made.p, made.len);
	rs_put_raws(w, row->raw + row->off[i + 1], row->off[row->ncols] -
	    row->off[i + 1], row->ncols - i - 1);
	return rs_row_end(w);
}

/*
 * One row: kept as it is when its value is NULL or free, else given a
 * suffixed value, NULL, or rejected.
 */
static bool
do_row(struct sl_ledger *l, struct rs_reader *r, struct rs_writer *w)
{
	const struct rs_row *row = rs_row(r);
	struct sl_uniq_row u = { 0 };
	enum sl_uniq_res res;
	const char *v;
	size_t n;

	if (row->v[idx].type == MSGPACK_OBJECT_NIL)
		return sl_ledger_stopped(l) || rs_row_copy(w, row);
	text_of(&row->v[idx], &vtext, &v, &n);
	if (kidx >= 0 && row->v[kidx].type != MSGPACK_OBJECT_NIL)
		text_of(&row->v[kidx], &ktext, &u.key, &u.keylen);
	u.where = (seg < NOSEG ? seg : NOSEG) << ROWBITS |
	    (row->num & ((UINT64_C(1) << ROWBITS) - 1));
	if ((res = sl_uniq_take(uq, v, n, &u)) == SL_UNIQ_ERROR)
		return false;
	if (res == SL_UNIQ_KEPT)
		return sl_ledger_stopped(l) || rs_row_copy(w, row);
	set_reason(v, n, res, &u);
	if (dup == DUP_REJECT)
		return sl_ledger_reject(l, r, reason.p);
	if (dup == DUP_SUFFIX && sl_uniq_suffix(uq, v, n, &u, &made) ==
	    SL_UNIQ_ERROR)
		return false;
	if (dup == DUP_SUFFIX)
		nsuffixed++;
	else
		nnulled++;
	if (cw != NULL)
		change(row, &u, v, n, dup == DUP_NULL);
	return sl_ledger_stopped(l) || write_changed(w, row, dup == DUP_NULL);
}

/* After a segment: its changes segment ends, and the changes are told. */
static bool
end(const struct rs_reader *r)
{
	if (cw != NULL && !rs_end(cw))
		return false;
	if (!co.quiet && nsuffixed > 0)
		fprintf(stderr, "%s: %s: %s: %" PRIu64 " duplicate%s suffixed\n",
		    sl_progname, rs_header(r)->table, column, nsuffixed,
		    nsuffixed == 1 ? "" : "s");
	if (!co.quiet && nnulled > 0)
		fprintf(stderr, "%s: %s: %s: %" PRIu64 " duplicate%s set to "
		    "NULL\n", sl_progname, rs_header(r)->table, column, nnulled,
		    nnulled == 1 ? "" : "s");
	return true;
}

static void
changes_open(void)
{
	if (changes == NULL)
		return;
	if ((cof = sl_ofile_open(changes)) == NULL ||
	    (cw = rs_wopen(sl_ofile_fd(cof), changes)) == NULL)
		exit(EXIT_IO);
}

/* Closes --changes: into place (commit), or removed. */
static bool
changes_close(bool commit)
{
	bool ok;

	if (cof == NULL)
		return true;
	ok = commit && rs_wfinish(cw);
	ok = rs_wclose(cw) && ok;
	if (ok)
		ok = sl_ofile_commit(cof);
	else
		sl_ofile_abort(cof);
	cof = NULL;
	cw = NULL;
	return ok || !commit;
}

static void
cleanup(void)
{
	changes_close(false);
	sl_ledger_close(&ledger, false);
	sl_uniq_free(uq);
	uq = NULL;
}

static void
help(void)
{
	fputs(usage_text, stdout);
	fputs("Make a column's values unique across the whole stream.\n"
	    "\n"
	    "  -c, --column COL        the column (NULLs are never duplicates)\n"
	    "      --suffix HOW        a duplicate's new value: plus\n"
	    "                          (john+2@x.com, the default) or number\n"
	    "                          (john2@x.com); before the last '@', or\n"
	    "                          at the end of a value without one\n"
	    "      --fold              compare ASCII letters case-insensitively\n"
	    "      --taken FILE        values the target holds: a row stream of\n"
	    "                          (value, owner key); a row keeps a value\n"
	    "                          its key owns there and takes no other's\n"
	    "      --key COL           the stream's key column, for --taken\n"
	    "      --dup WHAT          a duplicate is suffixed (the default),\n"
	    "                          set to NULL (null) or rejected (reject)\n"
	    "      --changes FILE      the values suffixed or set to NULL: row,\n"
	    "                          key, column, value, new_value, reason\n"
	    "  -o, --output FILE       write the stream to FILE (default stdout),\n"
	    "                          in place only when it is whole; mode 0600\n"
	    "  -r, --rejects FILE      rejected rows, with the reason in _error\n", stdout);
	sl_common_help(26);
	fputs("\n"
	    "A made value is claimed like any other: a later row holding it\n"
	    "is a duplicate in its turn. The same input gives the same output.\n"
	    "Exit status: 0 ok, 1 rows rejected with no --rejects file, 2 usage\n"
	    "(an unknown column), 3 bad input stream, 5 I/O error.\n", stdout);
}

/* The index of arg in names (n of them), or a usage error. */
static int
choose(const char *opt, const char *arg, const char *const *names, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(arg, names[i]) == 0)
			return i;
	usage_error(usage_text, "%s: \"%s\" is none of %s, %s%s%s", opt, arg,
	    names[0], names[1], n > 2 ? ", " : "", n > 2 ? names[2] : "");
}

int
main(int argc, char *argv[])
{
	enum { OPT_SUFFIX = 256, OPT_FOLD, OPT_TAKEN, OPT_KEY, OPT_DUP,
	    OPT_CHANGES };
	static const struct option opts[] = {
		{ "changes", required_argument, NULL, OPT_CHANGES },
		{ "column", required_argument, NULL, 'c' },
		{ "dup", required_argument, NULL, OPT_DUP },
		{ "fold", no_argument, NULL, OPT_FOLD },
		{ "key", required_argument, NULL, OPT_KEY },
		{ "suffix", required_argument, NULL, OPT_SUFFIX },
		{ "taken", required_argument, NULL, OPT_TAKEN },
		SL_FILTER_LONG,
		SL_COMMON_LONG
	};
	static const char *const hows[] = { "plus", "number" };
	static const char *const dups[] = { "suffix", "null", "reject" };
	static const struct sl_filter filter = { begin, do_row, end, NULL,
	    NULL };
	struct sl_progress pg;
	const char *taken = NULL;
	bool fold = false;
	int c, status;

	sl_setprogname(argv[0]);
	while ((c = getopt_long(argc, argv, "c:hqo:r:", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			column = optarg;
			break;
		case OPT_SUFFIX:
			how = (enum sl_uniq_how)choose("--suffix", optarg, hows,
			    2);
			break;
		case OPT_FOLD:
			fold = true;
			break;
		case OPT_TAKEN:
			taken = optarg;
			break;
		case OPT_KEY:
			keycol = optarg;
			break;
		case OPT_DUP:
			dup = (enum dup)choose("--dup", optarg, dups, 3);
			break;
		case OPT_CHANGES:
			changes = optarg;
			break;
		default:
			sl_common_opt(&co, c, help, usage_text);
		}
	}
	sl_no_operands(argc, argv, usage_text);
	if (column == NULL)
		usage_error(usage_text, "-c COL names the column to make "
		    "unique");
	if ((taken == NULL) != (keycol == NULL))
		usage_error(usage_text, "--taken and --key go together: the "
		    "target's owners are matched by the stream's key");
	if ((uq = sl_uniq_new(fold, how)) == NULL)
		return EXIT_IO;
	atexit(cleanup);
	if (taken != NULL)
		load_taken(taken);
	if (!sl_ledger_open(&ledger, co.rejects, co.output))
		return EXIT_IO;
	changes_open();
	sl_progress_start(&pg, co.progress);
	status = sl_ledger_run(&ledger, &filter, &pg, co.quiet);
	sl_progress_end(&pg);
	if (status == EXIT_OK && (!changes_close(true) ||
	    !sl_ledger_close(&ledger, true)))
		status = EXIT_IO;
	return status;
}
