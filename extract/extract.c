/*
 * extract: where rows come from. Reads tables or a query from PostgreSQL
 * (COPY ... TO STDOUT), a SQLite file, a CSV file, a text dump (COPY
 * text format, mysql --batch) or JSON lines, and writes a row stream.
 *
 *	extract [-d CONNINFO] -t TABLE [-t TABLE ...] [-c COLS] [-w WHERE]
 *	        [--since COL=VALUE]
 *	extract [-d CONNINFO] -q SQL [--name TABLE]
 *	extract --csv FILE|- (--header | -c COLS) [--types COL:TYPE,...]
 *	extract --text FILE|- (--header | -c COLS) [--types COL:TYPE,...]
 *	extract --jsonl FILE|- -c 'PATH AS NAME, ...' [--unwind PATH]
 *
 * All tables of one call are read in one REPEATABLE READ READ ONLY
 * transaction, so they are consistent with each other; each becomes one
 * segment. Every segment is checked (the table and columns exist, they
 * may be read) before the first row is written, and a segment gets its
 * trailer only when all its rows are out: a consumer of a stream cut
 * short by an error sees no trailer and fails safe.
 */
#include <ctype.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "exitcodes.h"
#include "ofile.h"
#include "pgx.h"
#include "pgx_copyout.h"
#include "prog.h"
#include "progress.h"
#include "rowstream.h"
#include "value.h"
#include "xsrc.h"

static const char usage_text[] =
    "usage: extract [-d CONNINFO] -t TABLE ... [-c COLS] [-w WHERE]\n"
    "               [--since COL=VALUE] [--key COL[,COL]] [--shard I/N]\n"
    "               [--name TABLE] [-o FILE]\n"
    "       extract [-d CONNINFO] -Q SQL [--name TABLE] [...]\n"
    "       extract --sqlite FILE (-t TABLE ... | -Q SQL) [-c COLS] [-w WHERE]\n"
    "               [--types COL:TYPE,...] [--busy-timeout MS] [--name TABLE]\n"
    "               [-o FILE]\n"
    "       extract --csv FILE|- (--header | -c COLS) [--types COL:TYPE,...]\n"
    "               [--key COL[,COL]] [--null STRING] [--delimiter C]\n"
    "               [--quote C] [--escape C] [--trim] [--encoding NAME]\n"
    "               [--skip N] [--ragged null|reject [--rejects FILE]]\n"
    "               [--name TABLE] [-o FILE]\n"
    "       extract --text FILE|- (--header | -c COLS) [--types COL:TYPE,...]\n"
    "               [--null STRING] [--key COL[,COL]] [--name TABLE] [-o FILE]\n"
    "       extract --jsonl FILE|- -c 'PATH [AS NAME],...' [--unwind PATH]\n"
    "               [--types COL:TYPE,...] [--key COL[,COL]] [--name TABLE]\n"
    "               [-o FILE]\n"
    "       common: [-q] [--progress]\n";

/* What the user asked for. */
static const char *conninfo;
static const char **tables;
static size_t ntables;
static const char *query;
static char *colopt;		/* -c, as given */
static const char *where;
static char *since_col, *since_val;	/* --since COL=VALUE */
static const char *name;
static uint64_t shard_i, shard_n;
static const char *keyopt;	/* --key: the header's key, --shard's column */
/* The sources without a server (lib/xsrc.c), and the CSV dialect. */
static struct xsrc xs = { .busy_ms = 5000, .delim = ',' };

/* Where the stream goes, and how far it got. */
static struct sl_ofile *ofile;
static struct rs_writer *w;
static struct sl_progress pg;
static uint64_t nsegs;

/* Gives up: the output file, if any, is removed, no trailer is written. */
static _Noreturn void
fail(int status)
{
	sl_ofile_abort(ofile);
	exit(status);
}

/* Splits a comma-separated list in place; returns the number of items. */
static size_t
split(char *s, char ***items)
{
	size_t n;

	if (!xsrc_split(s, items, &n))
		usage_error(usage_text, "an empty name in a list");
	return n;
}

static void
put_row_done(void)
{
	if (!rs_row_end(w))
		fail(EXIT_IO);
	sl_progress_update(&pg, rs_wtotal_rows(w), rs_wbytes(w));
}

/*
 * PostgreSQL
 */

struct seg {
	const char		*what;	/* the table or query, for messages */
	struct sl_buf		 copy;	/* the COPY statement */
	struct rs_header	*h;
};

static void
eadd(struct sl_buf *b, const char *s)
{
	if (!sl_buf_adds(b, s))
		fail(EXIT_IO);
}

static void
equote(PGconn *c, struct sl_buf *b, const char *ident, bool whole_name)
{
	if (!(whole_name ? pgx_quote_name(c, b, ident) :
	    pgx_quote_ident(c, b, ident)))
		fail(EXIT_USAGE);
}

/* The -c columns, quoted, comma-separated; "*" without -c. */
static void
build_cols(PGconn *c, struct sl_buf *b)
{
	char **cols, *copy;
	size_t n, i;

	if (colopt == NULL) {
		eadd(b, "*");
		return;
	}
	copy = estrdup(colopt);
	n = split(copy, &cols);
	for (i = 0; i < n; i++) {
		if (i > 0)
			eadd(b, ", ");
		equote(c, b, cols[i], false);
	}
	free(cols);
	free(copy);
}

/*
 * The SELECT for a table or the query: columns, WHERE, since and shard.
 * --since's value goes in as a quoted literal (COPY takes no parameter),
 * of unknown type, so that the server reads it as the column's.
 */
static void
build_select(PGconn *c, struct sl_buf *b, const char *from)
{
	eadd(b, "SELECT ");
	build_cols(c, b);
	eadd(b, " FROM ");
	eadd(b, from);
	if (where != NULL) {
		eadd(b, " WHERE (");
		eadd(b, where);
		eadd(b, "\n)");
	}
	if (since_col != NULL) {
		eadd(b, where != NULL ? " AND " : " WHERE ");
		equote(c, b, since_col, false);
		eadd(b, " >= ");
		if (!pgx_quote_literal(c, b, since_val))
			fail(EXIT_USAGE);
	}
	if (shard_n > 0) {
		/* NULL keys go to shard 0, so the shards still add up */
		eadd(b, where != NULL || since_col != NULL ? " AND " :
		    " WHERE ");
		eadd(b, "(coalesce(hashtextextended(");
		equote(c, b, keyopt, false);
		if (!sl_buf_printf(b, "::text, 0), 0) & 9223372036854775807) "
		    "%% %" PRIu64 " = %" PRIu64, shard_n, shard_i))
			fail(EXIT_IO);
	}
}

/*
 * The table's primary key, in index order, when it has one and every
 * part of it is among the columns extracted; and whether it is a plain
 * table (relkind r), which COPY can read without a query. Also makes a
 * missing table an error with the server's message.
 */
static bool
table_info(PGconn *c, struct rs_header *h, const char *qname)
{
	static const char sql[] =
	    "SELECT a.attname, c.relkind FROM pg_catalog.pg_class c"
	    " LEFT JOIN pg_catalog.pg_index i ON i.indrelid = c.oid"
	    "  AND i.indisprimary"
	    " LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid"
	    "  AND a.attnum = ANY (i.indkey)"
	    " WHERE c.oid = $1::regclass"
	    " ORDER BY array_position(i.indkey::int2[], a.attnum)";
	const char **names;
	PGresult *res;
	bool plain;
	int i, n;

	if ((res = pgx_query(c, sql, 1, &qname)) == NULL)
		fail(EXIT_DB);
	n = PQntuples(res);
	plain = n > 0 && strcmp(PQgetvalue(res, 0, 1), "r") == 0;
	if (n > 0 && PQgetisnull(res, 0, 0))
		n = 0;
	names = ecalloc((size_t)n + 1, sizeof(*names));
	for (i = 0; i < n; i++)
		if (rs_header_find(h, names[i] = PQgetvalue(res, i, 0)) < 0)
			break;
	if (n > 0 && i == n && !rs_header_setkey(h, (size_t)n, names))
		fail(EXIT_IO);
	free(names);
	PQclear(res);
	return plain;
}

/*
 * --key: the header's key, in place of the table's primary key (or of a
 * query's none), so that load --mode upsert and verify --key find it.
 * A column the segment does not have is a usage error, named as every
 * program names one.
 */
static void
apply_key(struct rs_header *h)
{
	char **cols, *copy;
	size_t n, i;

	if (keyopt == NULL)
		return;
	copy = estrdup(keyopt);
	n = split(copy, &cols);
	for (i = 0; i < n; i++)
		if (rs_header_find(h, cols[i]) < 0) {
			sl_ofile_abort(ofile);
			sl_no_column(h, "--key", cols[i]);
		}
	if (!rs_header_setkey(h, n, (const char *const *)cols))
		fail(EXIT_IO);
	free(cols);
	free(copy);
}

/* The header from the columns of a result. */
static struct rs_header *
result_header(PGconn *c, const PGresult *res, const char *table)
{
	struct rs_header *h;
	const char *type;
	int i, n = PQnfields(res);

	h = rs_header_new(name != NULL ? name : table != NULL ? table :
	    "query", (size_t)n);
	if (h == NULL)
		fail(EXIT_IO);
	for (i = 0; i < n; i++) {
		if ((type = pgx_type_name(c, PQftype(res, i))) == NULL)
			fail(EXIT_DB);
		if (!rs_header_setcol(h, (size_t)i, PQfname(res, i), type))
			fail(EXIT_IO);
	}
	return h;
}

/*
 * Prepares one segment: runs its SELECT with LIMIT 0, which checks that
 * the table and columns exist and may be read, and gives the header.
 * A plain table read whole is copied as a table (COPY t (cols) TO),
 * which spares the server the executor; anything else as a query.
 */
static void
seg_prepare(PGconn *c, struct seg *s, const char *table)
{
	struct sl_buf from = { 0 }, sel = { 0 };
	PGresult *res;
	bool plain = false;

	s->what = table != NULL ? table : "the query";
	if (table != NULL) {
		equote(c, &from, table, true);
	} else {
		eadd(&from, "(");
		eadd(&from, query);
		eadd(&from, "\n) AS sluice_query");
	}
	if (!sl_buf_cstr(&from))
		fail(EXIT_IO);
	build_select(c, &sel, from.p);
	eadd(&sel, " LIMIT 0");
	if (!sl_buf_cstr(&sel))
		fail(EXIT_IO);
	if ((res = pgx_query(c, sel.p, 0, NULL)) == NULL)
		fail(EXIT_DB);
	s->h = result_header(c, res, table);
	PQclear(res);
	if (table != NULL)
		plain = table_info(c, s->h, from.p);
	apply_key(s->h);
	if (!rs_header_check(s->h, s->what))
		fail(EXIT_USAGE);
	eadd(&s->copy, "COPY ");
	if (plain && where == NULL && since_col == NULL && shard_n == 0) {
		eadd(&s->copy, from.p);
		if (colopt != NULL) {
			eadd(&s->copy, " (");
			build_cols(c, &s->copy);
			eadd(&s->copy, ")");
		}
	} else {
		sel.len -= strlen(" LIMIT 0");
		eadd(&s->copy, "(");
		if (!sl_buf_add(&s->copy, sel.p, sel.len))
			fail(EXIT_IO);
		eadd(&s->copy, "\n)");
	}
	eadd(&s->copy, " TO STDOUT");
	if (!sl_buf_cstr(&s->copy))
		fail(EXIT_IO);
	sl_buf_free(&from);
	sl_buf_free(&sel);
}

/* Streams one segment: COPY text lines, decoded into rows. */
static void
seg_copy(PGconn *c, const struct seg *s)
{
	struct pgx_decoder *d;
	struct pgx_copyout co;
	enum pgx_copy_ev ev;
	const char *line;
	size_t n;

	if (!pgx_copy_out_begin(&co, c, s->copy.p, s->what))
		fail(EXIT_DB);
	if ((d = pgx_decoder_new(s->h)) == NULL || !rs_begin(w, s->h))
		fail(EXIT_IO);
	while ((ev = pgx_copy_out_next(&co, true, &line, &n)) ==
	    PGX_COPY_LINE) {
		if (!rs_row_begin(w))
			fail(EXIT_IO);
		if (!pgx_decode_row(d, line, n, rs_wrows(w) + 1, w))
			fail(rs_wfailed(w) ? EXIT_IO : EXIT_DB);
		put_row_done();
	}
	pgx_copy_out_end(&co);
	if (ev != PGX_COPY_END)
		fail(EXIT_DB);
	pgx_decoder_free(d);
	if (!rs_end(w))
		fail(EXIT_IO);
	nsegs++;
}

static void
from_postgres(void)
{
	struct seg *segs;
	PGconn *c;
	size_t i, n = query != NULL ? 1 : ntables;

	if ((c = pgx_connect(conninfo)) == NULL)
		fail(EXIT_DB);
	if (!pgx_exec(c, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
		fail(EXIT_DB);
	segs = ecalloc(n, sizeof(*segs));
	for (i = 0; i < n; i++)
		seg_prepare(c, &segs[i], query != NULL ? NULL : tables[i]);
	for (i = 0; i < n; i++)
		seg_copy(c, &segs[i]);
	if (!pgx_exec(c, "COMMIT"))
		fail(EXIT_DB);
	for (i = 0; i < n; i++) {
		rs_header_free(segs[i].h);
		sl_buf_free(&segs[i].copy);
	}
	free(segs);
	PQfinish(c);
}

static void
help(void)
{
	fputs(usage_text, stdout);
	fputs("Read tables, a query, a CSV file, a text dump or JSON lines and "
	    "write a\nrow stream.\n"
	    "\n"
	    "PostgreSQL (all tables in one REPEATABLE READ READ ONLY "
	    "transaction):\n"
	    "  -d, --dbname CONNINFO  a libpq keyword string or URI (default: "
	    "the PG*\n"
	    "                         environment, service file, ~/.pgpass)\n"
	    "  -t, --table TABLE      a table, schema-qualified or not; "
	    "repeatable\n"
	    "  -c, --columns COLS     these columns only, comma-separated\n"
	    "  -w, --where SQL        only rows where SQL holds (raw SQL, "
	    "not quoted)\n"
	    "  -Q, --query SQL        the rows of an arbitrary query\n"
	    "      --since COL=VALUE  only rows where COL >= VALUE (with -w: "
	    "both)\n"
	    "      --key COL[,COL]    the key the stream's header names (-t: "
	    "instead of\n"
	    "                         the primary key); --shard hashes it\n"
	    "      --shard I/N        only shard I (0 to N-1) of N, by a hash "
	    "of --key\n"
	    "\n",
	    stdout);
	fputs(xsrc_help, stdout);
	fputs("      --name TABLE       the table name in the stream's header\n"
	    "  -o, --output FILE      write FILE, whole or not at all "
	    "(default stdout)\n"
	    "  -q, --quiet            no summary line on stderr\n"
	    "      --progress         a progress line on stderr\n"
	    "  -h, --help             this text\n"
	    "      --version          the version\n"
	    "\n"
	    "Exit status: 0 ok, 2 usage, 3 a malformed file (CSV, text, JSON) or "
	    "a value\nthat does not fit its column, 4 database error, 5 I/O "
	    "error.\n",
	    stdout);
}

static void
parse_shard(const char *s)
{
	char buf[64], *slash;

	snprintf(buf, sizeof(buf), "%s", s);
	if ((slash = strchr(buf, '/')) == NULL)
		usage_error(usage_text, "--shard: \"%s\" is not I/N", s);
	*slash = '\0';
	if (!sl_parse_u64(buf, &shard_i) || !sl_parse_u64(slash + 1,
	    &shard_n) || shard_n == 0 || shard_i >= shard_n)
		usage_error(usage_text, "--shard: \"%s\" is not I/N with "
		    "0 <= I < N", s);
}

/* --since COL=VALUE; the value may hold '=' and be empty. */
static void
parse_since(char *s)
{
	char *eq = strchr(s, '=');

	if (eq == NULL || eq == s)
		usage_error(usage_text, "--since: \"%s\" is not COL=VALUE", s);
	*eq = '\0';
	since_col = s;
	since_val = eq + 1;
}

/*
 * The combinations of options that make sense: lib/xsrc.c knows the
 * file sources' (and which options are theirs only); PostgreSQL's here.
 */
static void
check_options(void)
{
	const char *why;

	xs.tables = tables;
	xs.ntables = ntables;
	xs.query = query;
	xs.where = where;
	xs.cols = colopt;
	xs.key = keyopt;
	xs.name = name;
	xs.conninfo = conninfo != NULL;
	xs.since = since_col != NULL;
	xs.shard = shard_n > 0;
	if ((why = xsrc_check(&xs)) != NULL)
		usage_error(usage_text, "%s", why);
	if (xs.text != NULL || xs.jsonl != NULL)
		return;
	if (xs.sqlite == NULL && xs.busy_set)
		usage_error(usage_text, "--busy-timeout is for --sqlite");
	if (shard_n > 0 && keyopt == NULL)
		usage_error(usage_text, "--shard and --key go together");
	if (shard_n > 0 && strchr(keyopt, ',') != NULL)
		usage_error(usage_text, "--shard hashes one --key column");
	if (xs.sqlite != NULL && keyopt != NULL)
		usage_error(usage_text, "--key is not for --sqlite");
	if (name != NULL && ntables > 1)
		usage_error(usage_text, "--name names one table, not %zu",
		    ntables);
}

/*
 * The names that go to SQL (-t, -c, --key), checked before anything is
 * connected or written: longer than PostgreSQL keeps is exit 2. With
 * --csv or --sqlite the names are the file's, and never reach PostgreSQL.
 */
static void
check_names(void)
{
	char **cols, *copy;
	size_t n, i;
	bool ok = true;

	if (xs.csv != NULL || xs.sqlite != NULL || xs.text != NULL ||
	    xs.jsonl != NULL)
		return;
	for (i = 0; i < ntables; i++)
		ok = pgx_check_name(tables[i]) && ok;
	if (shard_n > 0)	/* else --key is only matched to the header */
		ok = pgx_check_ident(keyopt) && ok;
	if (since_col != NULL)
		ok = pgx_check_ident(since_col) && ok;
	if (colopt != NULL) {
		copy = estrdup(colopt);
		n = split(copy, &cols);
		for (i = 0; i < n; i++)
			ok = pgx_check_ident(cols[i]) && ok;
		free(cols);
		free(copy);
	}
	if (!ok)
		exit(EXIT_USAGE);
}

/* The query without the semicolon it may end in: it becomes a subquery. */
static char *
trim_query(const char *q)
{
	char *s = estrdup(q);
	size_t n = strlen(s);

	while (n > 0 && (isspace((unsigned char)s[n - 1]) || s[n - 1] == ';'))
		s[--n] = '\0';
	return s;
}

/* "N rejected, " for the summary line, with --rejects. */
static const char *
rejected(uint64_t n)
{
	static char buf[64];

	snprintf(buf, sizeof(buf), "%" PRIu64 " rejected, ", n);
	return buf;
}

int
main(int argc, char *argv[])
{
	/* OPT_FILE: an option of the file sources, parsed by lib/xsrc.c */
	enum { OPT_SHARD = 256, OPT_KEY, OPT_NAME, OPT_SINCE,
	    OPT_FILE };
	static const struct option opts[] = {
		{ "busy-timeout", required_argument, NULL, OPT_FILE },
		{ "columns", required_argument, NULL, 'c' },
		{ "csv", required_argument, NULL, OPT_FILE },
		{ "dbname", required_argument, NULL, 'd' },
		{ "delimiter", required_argument, NULL, OPT_FILE },
		{ "encoding", required_argument, NULL, OPT_FILE },
		{ "escape", required_argument, NULL, OPT_FILE },
		{ "header", no_argument, NULL, OPT_FILE },
		{ "jsonl", required_argument, NULL, OPT_FILE },
		{ "key", required_argument, NULL, OPT_KEY },
		{ "name", required_argument, NULL, OPT_NAME },
		{ "null", required_argument, NULL, OPT_FILE },
		{ "output", required_argument, NULL, 'o' },
		{ "query", required_argument, NULL, 'Q' },
		{ "quote", required_argument, NULL, OPT_FILE },
		{ "ragged", required_argument, NULL, OPT_FILE },
		{ "rejects", required_argument, NULL, OPT_FILE },
		{ "shard", required_argument, NULL, OPT_SHARD },
		{ "since", required_argument, NULL, OPT_SINCE },
		{ "skip", required_argument, NULL, OPT_FILE },
		{ "sqlite", required_argument, NULL, OPT_FILE },
		{ "table", required_argument, NULL, 't' },
		{ "text", required_argument, NULL, OPT_FILE },
		{ "trim", no_argument, NULL, OPT_FILE },
		{ "types", required_argument, NULL, OPT_FILE },
		{ "unwind", required_argument, NULL, OPT_FILE },
		{ "where", required_argument, NULL, 'w' },
		SL_COMMON_LONG
	};
	const char *out = "-";
	struct sl_common co = { 0 };
	const char *why;
	uint64_t rows, nrej = 0;
	int c, st, li = 0;

	sl_setprogname(argv[0]);
	tables = ecalloc((size_t)argc, sizeof(*tables));
	while ((c = getopt_long(argc, argv, "c:d:ho:qQ:t:w:", opts, &li)) !=
	    -1) {
		switch (c) {
		case 'c': colopt = optarg; break;
		case 'd': conninfo = optarg; break;
		case 'o': out = optarg; break;
		case 'Q': query = optarg; break;
		case 't': tables[ntables++] = optarg; break;
		case 'w': where = optarg; break;
		case OPT_SHARD: parse_shard(optarg); break;
		case OPT_KEY: keyopt = optarg; break;
		case OPT_SINCE: parse_since(optarg); break;
		case OPT_FILE:
			if ((why = xsrc_option(&xs, opts[li].name, optarg)) !=
			    NULL)
				usage_error(usage_text, "%s", why);
			break;
		case OPT_NAME: name = optarg; break;
		default:
			sl_common_opt(&co, c, help, usage_text);
		}
	}
	if (optind < argc)
		usage_error(usage_text, "unexpected argument \"%s\"",
		    argv[optind]);
	if (query != NULL)
		query = trim_query(query);
	check_options();
	check_names();
	if ((ofile = sl_ofile_open(out)) == NULL)
		return EXIT_IO;
	if ((w = rs_wopen(sl_ofile_fd(ofile), sl_ofile_path(ofile))) == NULL)
		fail(EXIT_IO);
	sl_progress_start(&pg, co.progress);
	if (xs.csv != NULL || xs.text != NULL || xs.jsonl != NULL ||
	    xs.sqlite != NULL) {
		if ((st = xsrc_run(&xs, w, &pg, &nsegs, &nrej)) != EXIT_OK)
			fail(st);
	} else {
		from_postgres();
	}
	sl_progress_end(&pg);
	rows = rs_wtotal_rows(w);
	if (!rs_wfinish(w)) {
		rs_wclose(w);
		return EXIT_IO;
	}
	if (!rs_wclose(w) || !sl_ofile_commit(ofile)) {
		ofile = NULL;
		return EXIT_IO;
	}
	if (!co.quiet)
		fprintf(stderr, "%s: %" PRIu64 " rows, %" PRIu64 " segment%s, "
		    "%s%.2f s\n", sl_progname, rows, nsegs,
		    nsegs == 1 ? "" : "s", xs.rejects == NULL ? "" :
		    rejected(nrej), sl_progress_elapsed(&pg));
	free(tables);
	return EXIT_OK;
}
