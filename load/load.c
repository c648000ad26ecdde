/*
 * load: loads a row stream into PostgreSQL tables.
 *
 *	load [-nq] [-d CONNINFO] [-t TABLE] [-m MODE] [-k COLS] [-r FILE]
 *	     [--max-rejects N] [-b ROWS] [--ignore-extra] [--progress] [FILE]
 *
 * Each segment goes into its table (the header's, or -t's for every
 * segment) through COPY ... FROM STDIN in text format (or binary where
 * the server takes it faster: pgx_binary.h, --copy-format), its columns
 * matched to the table's by name. All of it happens in one transaction,
 * committed only after the last segment's trailer has been read and
 * matched: a stream cut short, or a pipe whose producer died, loads
 * nothing.
 *
 * This file is the loop over the stream and the decisions: which table,
 * which mode, where a rejected row goes, what the summary says. The
 * engines are in lib/ (docs/design.md, "load"): pgx_target.c finds the
 * table, matches the columns, encodes rows as COPY text and reads the
 * server's refusals; pgx_batch.c holds the rows in flight, streamed into
 * one COPY a segment without --rejects, and with it in batches, each its
 * own COPY under a savepoint, kept until the server has taken them and
 * handed to isolate.c, which finds the refused rows; upsert.c does
 * --mode upsert and insert-missing through a temporary table;
 * pgx_bulk.c and pgx_bulk_load.c do --bulk; pgx_tables.c notes the
 * tables loaded. Every function returns a status (0 or an exit status,
 * reported where it arose) up to main, which alone exits.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exitcodes.h"
#include "pgx.h"
#include "pgx_batch.h"
#include "pgx_bulk.h"
#include "pgx_tables.h"
#include "pgx_target.h"
#include "prog.h"
#include "progress.h"
#include "rejects.h"
#include "rowstream.h"
#include "upsert.h"
#include "value.h"

#define BATCH_ROWS	10000		/* default --batch */

enum mode { APPEND, TRUNCATE, UPSERT, MISSING };

static const char usage_text[] =
    "usage: load [-nq] [-d CONNINFO] [-t TABLE]\n"
    "            [-m append|truncate|upsert|insert-missing]\n"
    "            [-k COLS] [-r FILE] [--max-rejects N] [-b ROWS]\n"
    "            [--insert-only COLS] [--bulk] [--ignore-extra]\n"
    "            [--copy-format text|binary|auto] [--progress] [FILE]\n";

/* The options, set by main and read-only after it. */
static struct opts {
	const char	*conninfo, *totable, *rejpath;
	enum mode	 mode;
	bool		 staged; /* upsert, insert-missing: a temporary table */
	char		**keyopt;
	size_t		 nkeyopt;
	char		**insonly; /* --insert-only: set on insert only */
	size_t		 ninsonly;
	uint64_t	 maxrej;
	size_t		 batchrows;
	bool		 dryrun, ignore_extra, quiet, bulk;
	enum pgx_copyfmt copyfmt; /* --copy-format */
} opt = { .batchrows = BATCH_ROWS };

/*
 * The only state outside opt: the atexit hook (drop_rejects) and the
 * error hook (clear_progress) take no argument, and run from exit() or
 * die() wherever those are called, so what they read must be reachable
 * without a struct load.
 */
static bool succeeded;		/* exit 0: the rejects file stays */
static struct sl_progress pg;

/* A load in progress. */
struct load {
	PGconn			*conn;
	struct sl_rejects	*rj;
	uint64_t		 nread, nrej;
	uint64_t		 nmoved; /* --bulk: rows moved out again */
	struct pgx_target	 tg;	/* the current segment's table */
	uint64_t		 seg;
	struct sl_upsert	 up;
	struct pgx_bulk		*bulk;	/* --bulk: what to rebuild */
	struct pgx_batch	 bt;	/* the rows in flight */
	struct pgx_tables	 tables; /* for the summary, and truncate */
};

static int failed(int status, const char *fmt, ...) SL_PRINTF(2, 3);

/* Reports (fmt NULL: it has been said) and returns status. */
static int
failed(int status, const char *fmt, ...)
{
	char m[1024];
	va_list ap;

	if (fmt != NULL) {
		va_start(ap, fmt);
		vsnprintf(m, sizeof(m), fmt, ap);
		va_end(ap);
		sl_err("%s", m);
	}
	return status;
}

/* The closing line: the tables, the counts or the outcome, the time. */
static void
summary(const struct load *l, const char *outcome)
{
	uint64_t nin = l->up.ninserted - l->nmoved;

	if (opt.quiet)
		return;
	fprintf(stderr, "%s: ", sl_progname);
	pgx_tables_print(&l->tables, stderr);
	fprintf(stderr, "%" PRIu64 " rows read, ", l->nread);
	/* rows --bulk moved out again were inserted first */
	if (outcome == NULL && opt.mode == MISSING)
		fprintf(stderr, "%" PRIu64 " loaded, %" PRIu64 " already there, "
		    "%" PRIu64 " rejected, %.2f s%s\n", nin,
		    l->nread - l->nrej - nin, l->nrej,
		    sl_progress_elapsed(&pg),
		    opt.dryrun ? " (dry run: rolled back)" : "");
	else if (outcome == NULL)
		fprintf(stderr, "%" PRIu64 " loaded, %" PRIu64 " rejected, "
		    "%.2f s%s\n", l->nread - l->nrej, l->nrej,
		    sl_progress_elapsed(&pg),
		    opt.dryrun ? " (dry run: rolled back)" : "");
	else
		fprintf(stderr, "none loaded (%s), %.2f s\n", outcome,
		    sl_progress_elapsed(&pg));
}

/*
 * After a failure: rolls everything back and removes the rejects file:
 * nothing was loaded, so nothing was rejected (and drop_rejects()
 * removes an earlier one).
 */
static void
roll_back(struct load *l)
{
	if (l->conn != NULL) {
		pgx_target_abort(&l->tg);
		if (PQstatus(l->conn) == CONNECTION_OK)
			PQclear(PQexec(l->conn, "ROLLBACK"));
		PQfinish(l->conn);
		l->conn = NULL;
	}
	sl_rejects_close(l->rj, false);
	l->rj = NULL;
	sl_progress_end(&pg);
	summary(l, "rolled back");
}

/*
 * A row the server (or the encoder) refused: into the rejects file, or,
 * without one, the end of the load. num is its row number. The batch
 * holder's callback (pgx_batch.h).
 */
static int
reject(void *arg, const char *vals, size_t len, uint64_t num,
    const char *reason)
{
	struct load *l = arg;
	const char *name = l->tg.name;

	if (l->rj == NULL)
		return failed(EXIT_DATA, "%s: row %" PRIu64 ": %s", name, num,
		    reason);
	if (!sl_rejects_put(l->rj, l->seg, l->tg.h, vals, len, reason))
		return EXIT_IO;
	if (++l->nrej > opt.maxrej)
		return failed(EXIT_DATA, "%s: more than %" PRIu64 " rows "
		    "rejected (--max-rejects); the last, row %" PRIu64 ": %s",
		    name, opt.maxrej, num, reason);
	return 0;
}

/*
 * auto: a value the binary encoder cannot write but the server might
 * read in text (a date not in the output form: pgx_binary.h) sends the
 * table's rows from this one on in text, said once. Before binary COPY
 * such rows loaded, and COPY's format is a COPY's, not the transaction's.
 */
static int
to_text(struct load *l, const struct rs_row *row)
{
	long c = pgx_binary_failed(l->tg.bin);
	const msgpack_object *v = &row->v[c];
	char show[SL_PRINTABLE];

	if (!opt.quiet)
		sl_err("%s: %s=\"%s\" is not in PostgreSQL's output form; "
		    "loading the rest of the table in text format", l->tg.name,
		    l->tg.h->cols[c].name, sl_printable(show, sizeof(show),
		    v->via.str.ptr, v->via.str.size));
	return pgx_batch_to_text(&l->bt);
}

/*
 * Why a row cannot be sent: a NULL key (upsert), or what the encoder
 * cannot write; NULL when it is now at the end of bt.text. *st is set
 * when memory ran out or going on in text failed.
 */
static const char *
encode(struct load *l, const struct rs_row *row, int *st)
{
	const char *why_not;

	*st = 0;
	if (opt.staged && (why_not = sl_upsert_null_key(&l->up, l->tg.h,
	    row)) != NULL)
		return why_not;
	/* the one call into the row encoder */
	if (pgx_target_encode(&l->tg, &l->bt.text, row))
		return NULL;
	if (opt.copyfmt == PGX_FMT_AUTO && l->tg.bin != NULL &&
	    pgx_binary_textual(l->tg.bin)) {
		if ((*st = to_text(l, row)) != 0)
			return NULL;
		if (pgx_target_encode(&l->tg, &l->bt.text, row))
			return NULL;
	}
	if ((why_not = pgx_target_unencodable(&l->tg, row)) == NULL)
		*st = EXIT_IO;
	return why_not;
}

/* --rejects: a row joins the batch, and is sent as the batch grows. */
static int
batch_row(struct load *l, const struct rs_row *row)
{
	const char *vals = row->raw + row->off[0];
	size_t len = row->off[row->ncols] - row->off[0];
	const char *why_not;
	int st;

	if ((why_not = encode(l, row, &st)) != NULL || st != 0)
		return st != 0 ? st : reject(l, vals, len, row->num, why_not);
	return pgx_batch_row(&l->bt, vals, len, row->num);
}

/* Without --rejects: one COPY a segment, the rows streamed into it. */
static int
stream_row(struct load *l, const struct rs_row *row)
{
	const char *why_not;
	int st;

	if ((why_not = encode(l, row, &st)) != NULL || st != 0)
		return st != 0 ? st : pgx_batch_stream_refuse(&l->bt, row->num,
		    why_not);
	return pgx_batch_stream_row(&l->bt);
}

static int
segment_begin(struct load *l, const struct rs_reader *r)
{
	const struct rs_header *h = rs_header(r);
	const char *name = opt.totable != NULL ? opt.totable : h->table;
	bool first = false;
	Oid oid;
	int st;

	l->seg = rs_segment(r);
	if (!sl_rejects_note(l->rj, h))
		return EXIT_IO;
	l->tg.name = name;	/* for the messages of what follows */
	if (!pgx_tables_note(&l->tables, name))
		return EXIT_IO;
	if ((st = pgx_target_open(&l->tg, h, name, opt.ignore_extra,
	    &oid)) != 0)
		return st;
	/* truncate: each table once, however many segments go into it */
	if (opt.mode == TRUNCATE && !pgx_tables_empty(&l->tables, oid, &first))
		return EXIT_IO;
	if (opt.mode == TRUNCATE && first && !pgx_target_run(&l->tg,
	    "TRUNCATE %s", l->tg.qname.p))
		return EXIT_DB;
	if (opt.bulk && (l->bulk = pgx_bulk_load_begin(&l->tg, oid,
	    &st)) == NULL && st != 0)
		return st;
	if ((st = pgx_target_format(&l->tg, oid, opt.copyfmt, opt.staged)) != 0)
		return st;
	if (opt.staged)
		st = sl_upsert_prepare(&l->up, &l->tg, l->seg, opt.keyopt,
		    opt.nkeyopt, opt.insonly, opt.ninsonly, l->rj != NULL,
		    l->bulk != NULL);
	/* frozen: only bulk's tables, which are known to be ordinary */
	else if (!pgx_target_copy_into(&l->tg, l->tg.qname.p, l->rj != NULL,
	    opt.mode == TRUNCATE && l->rj == NULL && l->bulk != NULL))
		st = EXIT_IO;
	if (st == 0 && l->rj == NULL && !pgx_target_copy_begin(&l->tg))
		st = EXIT_DB;
	return st;
}

static int
segment_end(struct load *l)
{
	struct pgx_bulk_sink sink = { l->rj, l->seg, opt.maxrej, &l->nrej,
	    &l->nmoved };
	int st;

	st = l->rj != NULL ? pgx_batch_end(&l->bt) :
	    pgx_batch_stream_end(&l->bt);
	if (st == 0 && opt.staged && !pgx_target_run(&l->tg, "DROP TABLE %s",
	    l->up.tmp.p))
		st = EXIT_DB;
	if (st == 0 && l->bulk != NULL) {
		st = pgx_bulk_load_end(l->bulk, &l->tg, &sink, opt.quiet);
		l->bulk = NULL;
	}
	return st;
}

/*
 * The end: every trailer matched. Deferred constraints are checked now
 * (so a dry run checks them too), the rejects file is put in place, and
 * the transaction committed, or rolled back for a dry run.
 */
static int
finish(struct load *l)
{
	PGresult *res;
	const char *reason;
	bool ok;

	if (!opt.staged && l->tg.ncopied - l->nmoved != l->nread - l->nrej)
		return failed(EXIT_DB, "the server took %" PRIu64 " rows, %"
		    PRIu64 " were sent", l->tg.ncopied, l->nread - l->nrej);
	res = PQexec(l->conn, "SET CONSTRAINTS ALL IMMEDIATE");
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		l->tg.name = "deferred constraints";
		if (!pgx_refused(res)) {
			pgx_target_failed(&l->tg, res);
			PQclear(res);
			return EXIT_DB;
		}
		reason = pgx_target_why(&l->tg, res);
		PQclear(res);
		return reason == NULL ? EXIT_IO : failed(EXIT_DATA, "%s",
		    reason);
	}
	PQclear(res);
	ok = l->rj == NULL || sl_rejects_close(l->rj, true);
	l->rj = NULL;
	if (!ok)
		return EXIT_IO;
	/* on failure drop_rejects() removes the file */
	if (!pgx_exec(l->conn, opt.dryrun ? "ROLLBACK" : "COMMIT"))
		return EXIT_DB;
	PQfinish(l->conn);
	l->conn = NULL;
	return 0;
}

static int
load(struct load *l, const char *path)
{
	struct rs_reader *r;
	enum rs_event ev;
	int st = 0;

	if ((r = rs_open(path)) == NULL)
		return EXIT_IO;
	while (st == 0 && (ev = rs_next(r)) != RS_EOF) {
		switch (ev) {
		case RS_ERROR:
			st = rs_status(r);
			break;
		case RS_HEADER:
			st = segment_begin(l, r);
			break;
		case RS_ROW:
			l->nread++;
			st = l->rj != NULL ? batch_row(l, rs_row(r)) :
			    stream_row(l, rs_row(r));
			sl_progress_update(&pg, l->nread, rs_offset(r));
			break;
		case RS_TRAILER:
			st = segment_end(l);
			break;
		default:
			break;
		}
	}
	rs_close(r);
	return st != 0 ? st : finish(l);
}

/* Connects, runs the load in a transaction; 0 or the exit status. */
static int
start(struct load *l, const char *path)
{
	if ((l->conn = pgx_connect(opt.conninfo)) == NULL)
		return EXIT_DB;
	pgx_target_init(&l->tg, l->conn);
	if (!pgx_batch_init(&l->bt, opt.rejpath != NULL ? opt.batchrows : 0,
	    &l->tg, opt.staged ? &l->up : NULL, reject, l))
		return EXIT_IO;
	l->up.update = opt.mode == UPSERT;
	if (!pgx_exec(l->conn, "BEGIN"))
		return EXIT_DB;
	return load(l, path);
}

static void
load_free(struct load *l)
{
	pgx_target_free(&l->tg);
	pgx_bulk_free(l->bulk);
	sl_upsert_free(&l->up);
	pgx_batch_free(&l->bt);
	pgx_tables_free(&l->tables);
}

/* --key a,b,c */
static void
parse_key(const char *s)
{
	char *copy = estrdup(s);
	size_t i, before = opt.nkeyopt;

	sl_list_add(&opt.keyopt, &opt.nkeyopt, copy);
	if (opt.nkeyopt == before)
		free(copy);	/* no name in it: nothing points into it */
	if (opt.nkeyopt == 0)
		usage_error(usage_text, "--key: no column named");
	for (i = 0; i < opt.nkeyopt; i++)
		if (!pgx_check_ident(opt.keyopt[i]))
			exit(EXIT_USAGE);
}

static void
help(void)
{
	fputs(usage_text, stdout);
	fputs("Load a row stream into PostgreSQL tables, in one transaction.\n"
	    "\n"
	    "  -d, --dbname CONNINFO  the database (a libpq keyword string or "
	    "URI;\n"
	    "                         default: the PG* environment, as psql)\n"
	    "  -t, --table TABLE      load every segment into TABLE (default: "
	    "each\n"
	    "                         segment into its header's table)\n"
	    "  -m, --mode MODE        append (the default), truncate (empty "
	    "the\n"
	    "                         table first), upsert (insert or "
	    "update)\n"
	    "                         or insert-missing (insert the rows whose "
	    "key\n"
	    "                         is not there, leave the others as they "
	    "are)\n"
	    "  -k, --key COLS         upsert's and insert-missing's key "
	    "columns,\n"
	    "                         a,b (default: the header's key)\n"
	    "  -r, --rejects FILE     write rows the server refuses to FILE, "
	    "with\n"
	    "                         an _error column, and load the rest\n"
	    "      --max-rejects N    roll back when more than N rows are "
	    "rejected\n"
	    "                         (default: no limit with --rejects, 0 "
	    "without)\n"
	    "  -b, --batch ROWS       rows per COPY with --rejects (default "
	    "10000)\n"
	    "  -n, --dry-run          do everything, then roll back\n"
	    "      --bulk             into an empty table: drop its keys, "
	    "indexes and\n"
	    "                         foreign keys, COPY, build them again\n"
	    "      --insert-only COLS upsert: set these columns when a row is "
	    "inserted,\n"
	    "                         never when it is updated\n"
	    "      --ignore-extra     leave out stream columns the table lacks\n"
	    "      --copy-format FMT  text, binary or auto (the default: "
	    "binary when\n"
	    "                         every column's type is encoded and one "
	    "pays)\n"
	    "  -q, --quiet            no summary line on stderr\n"
	    "      --progress         a progress line on stderr\n"
	    "  -h, --help             this text\n"
	    "      --version          the version\n"
	    "\n"
	    "With no FILE, or when FILE is -, read standard input.\n"
	    "Exit status: 0 loaded, 1 rows refused (without --rejects, or more "
	    "than\n"
	    "--max-rejects), 2 usage, 3 bad or truncated stream (nothing "
	    "loaded),\n"
	    "4 database error, 5 I/O error.\n", stdout);
}

/*
 * At exit, unless load succeeded: however it failed (rolled back, a
 * usage error, out of memory), no rejects file is left at --rejects
 * FILE, not even an earlier run's, which a reader would take for this
 * run's.
 */
static void
drop_rejects(void)
{
	if (!succeeded && opt.rejpath != NULL)
		sl_rejects_remove(opt.rejpath);
}

static void
clear_progress(void)
{
	sl_progress_end(&pg);
}

static void
parse_mode(const char *s)
{
	if (strcmp(s, "append") == 0)
		opt.mode = APPEND;
	else if (strcmp(s, "truncate") == 0)
		opt.mode = TRUNCATE;
	else if (strcmp(s, "upsert") == 0)
		opt.mode = UPSERT;
	else if (strcmp(s, "insert-missing") == 0)
		opt.mode = MISSING;
	else
		usage_error(usage_text, "--mode: \"%s\" is not append, "
		    "truncate, upsert or insert-missing", s);
	opt.staged = opt.mode == UPSERT || opt.mode == MISSING;
}

int
main(int argc, char *argv[])
{
	enum { OPT_MAXREJ = 256, OPT_EXTRA, OPT_BULK, OPT_INSONLY,
	    OPT_COPYFMT };
	static const struct option opts[] = {
		{ "batch", required_argument, NULL, 'b' },
		{ "bulk", no_argument, NULL, OPT_BULK },
		{ "copy-format", required_argument, NULL, OPT_COPYFMT },
		{ "dbname", required_argument, NULL, 'd' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "ignore-extra", no_argument, NULL, OPT_EXTRA },
		{ "insert-only", required_argument, NULL, OPT_INSONLY },
		{ "key", required_argument, NULL, 'k' },
		{ "max-rejects", required_argument, NULL, OPT_MAXREJ },
		{ "mode", required_argument, NULL, 'm' },
		{ "rejects", required_argument, NULL, 'r' },
		{ "table", required_argument, NULL, 't' },
		SL_COMMON_LONG
	};
	struct sl_common co = { 0 };
	struct load ld = { 0 };
	bool maxgiven = false;
	uint64_t u;
	int c, st;

	sl_setprogname(argv[0]);
	if (atexit(drop_rejects) != 0)
		die(EXIT_IO, "atexit failed");
	while ((c = getopt_long(argc, argv, "b:d:hk:m:nqr:t:", opts,
	    NULL)) != -1) {
		switch (c) {
		case 'b':
			if (!sl_parse_u64(optarg, &u) || u == 0 ||
			    u > 100000000)
				usage_error(usage_text, "--batch: \"%s\" is not "
				    "a number of rows (1 to 100000000)", optarg);
			opt.batchrows = (size_t)u;
			break;
		case 'd':
			opt.conninfo = optarg;
			break;
		case 'k':
			parse_key(optarg);
			break;
		case 'm':
			parse_mode(optarg);
			break;
		case 'n':
			opt.dryrun = true;
			break;
		case 'r':
			opt.rejpath = optarg;
			break;
		case 't':
			opt.totable = optarg;
			if (!pgx_check_name(opt.totable))
				exit(EXIT_USAGE);
			break;
		case OPT_MAXREJ:
			if (!sl_parse_u64(optarg, &opt.maxrej))
				usage_error(usage_text, "--max-rejects: \"%s\" "
				    "is not a number of rows", optarg);
			maxgiven = true;
			break;
		case OPT_EXTRA:
			opt.ignore_extra = true;
			break;
		case OPT_INSONLY:
			sl_list_add(&opt.insonly, &opt.ninsonly,
			    estrdup(optarg));
			break;
		case OPT_BULK:
			opt.bulk = true;
			break;
		case OPT_COPYFMT:
			if (strcmp(optarg, "auto") == 0)
				opt.copyfmt = PGX_FMT_AUTO;
			else if (strcmp(optarg, "text") == 0)
				opt.copyfmt = PGX_FMT_TEXT;
			else if (strcmp(optarg, "binary") == 0)
				opt.copyfmt = PGX_FMT_BINARY;
			else
				usage_error(usage_text, "--copy-format: \"%s\" "
				    "is not text, binary or auto", optarg);
			break;
		default:
			/* -h, --version: no load, nothing to remove */
			succeeded = c == 'h' || c == SL_OPT_VERSION;
			sl_common_opt(&co, c, help, usage_text);
		}
	}
	opt.quiet = co.quiet;
	if (argc - optind > 1)
		usage_error(usage_text, "one stream at a time");
	if (opt.nkeyopt > 0 && !opt.staged)
		usage_error(usage_text, "--key is for --mode upsert or "
		    "insert-missing");
	if (opt.ninsonly > 0 && opt.mode != UPSERT)
		usage_error(usage_text, "--insert-only is for --mode upsert "
		    "(the other modes never update a row)");
	if (maxgiven && opt.maxrej > 0 && opt.rejpath == NULL)
		usage_error(usage_text, "--max-rejects needs --rejects FILE: "
		    "a rejected row must go somewhere");
	if (!maxgiven)
		opt.maxrej = opt.rejpath != NULL ? UINT64_MAX : 0;
	sl_err_hook(clear_progress);
	sl_progress_start(&pg, co.progress);
	if (opt.rejpath != NULL &&
	    (ld.rj = sl_rejects_open(opt.rejpath)) == NULL)
		return EXIT_IO;
	if ((st = start(&ld, optind < argc ? argv[optind] : "-")) != 0) {
		roll_back(&ld);
	} else {
		sl_progress_end(&pg);
		summary(&ld, NULL);
		succeeded = true;
	}
	load_free(&ld);
	return st;
}
