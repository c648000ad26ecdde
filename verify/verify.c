/*
 * verify: proves that every row arrived, with counts and hashes, and
 * names the ones that did not.
 *
 *	verify [-d CONNINFO] [-t TABLE] [options] < STREAM
 *	verify [-t TABLE] [options] A B
 *
 * The source side is the stream on stdin (or A); the target side is the
 * table as it is now, read through COPY with the stream's columns cast
 * to the stream's types and decoded as extract decodes them (or B). The
 * comparison is lib/vcmp.h's, the table's scan lib/vscan.h's, the
 * report report.c's; this file reads the options and the streams, and
 * decides the order: with --key one side is held in a key index and the
 * other streamed past it (the table in table mode, as it can be read
 * again in the same snapshot to name keys the index holds only as
 * hashes; B in file mode unless B is stdin), then the index side is read
 * again if keys or columns are still to be named.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "exitcodes.h"
#include "pgx.h"
#include "prog.h"
#include "progress.h"
#include "report.h"
#include "rowstream.h"
#include "vcmp.h"
#include "vscan.h"

static const char usage_text[] =
    "usage: verify [-d CONNINFO] [-t TABLE] [-k [TABLE=]COL[,COL]]... "
    "[-m N]\n"
    "              [--old-key [TABLE=]COL[,COL]]... [-r FILE]... "
    "[--ignore COL]...\n"
    "              [-jq] [--progress] [A B]\n";

static struct {
	const char	*conninfo;
	const char	*table;
	const char	*path[2];	/* file mode: A and B */
	bool		 json, dbmode, quiet, progress;
} opt;

/* What a run holds: the comparison, and the table's scan. */
struct run {
	struct vcmp	 v;
	struct vscan	 scan;
};

/*
 * --key a,b for every table, --key TABLE=a,b for one (repeatable; a
 * table's own key wins). Given twice for the same table, the columns add
 * up to one composite key. --old-key is read the same way.
 */
static void
parse_keys(struct vkeyspec **specs, size_t *nspecs, const char *what,
    char *s)
{
	char *eq = strchr(s, '='), *tname = NULL;
	struct vkeyspec *ks = NULL;
	size_t i;

	if (eq != NULL) {
		*eq = '\0';
		tname = s;
		s = eq + 1;
		if (*tname == '\0')
			usage_error(usage_text, "%s =%s: no table named", what,
			    s);
	}
	for (i = 0; i < *nspecs && ks == NULL; i++)
		if (tname == NULL ? (*specs)[i].table == NULL :
		    (*specs)[i].table != NULL &&
		    strcmp((*specs)[i].table, tname) == 0)
			ks = &(*specs)[i];
	if (ks == NULL) {
		*specs = erealloc(*specs, (*nspecs + 1) * sizeof(**specs));
		ks = &(*specs)[(*nspecs)++];
		memset(ks, 0, sizeof(*ks));
		ks->table = tname;
	}
	sl_list_add(&ks->cols, &ks->ncols, s);
	if (ks->ncols == 0)
		usage_error(usage_text, "%s%s%s: no column named", what,
		    tname != NULL ? " " : "", tname != NULL ? tname : "");
}

/* A --key for a table no stream had is a mistake, probably a typo. */
static bool
specs_used(const struct vkeyspec *specs, size_t n, const char *what)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (specs[i].table != NULL && !specs[i].used) {
			sl_err("%s %s=...: no table \"%s\" was compared", what,
			    specs[i].table, specs[i].table);
			return false;
		}
	return true;
}

static void
help(void)
{
	fputs(usage_text, stdout);
	fputs("Compare a row stream with a table, or two streams, by counts "
	    "and hashes.\n"
	    "\n"
	    "  -d, --dbname CONNINFO  the target database (default: the PG* "
	    "environment)\n"
	    "  -t, --table TABLE      compare with TABLE (default: each "
	    "segment's table)\n"
	    "  -k, --key COL[,COL]    name the keys missing, extra and "
	    "changed\n"
	    "  -k, --key TABLE=COL[,COL]\n"
	    "                         the key of TABLE alone (repeatable)\n"
	    "      --old-key [TABLE=]COL[,COL]\n"
	    "                         the old system's key, named beside "
	    "each key\n"
	    "                         (default: an old_id or old_*_id "
	    "column)\n"
	    "  -m, --max-diffs N      keys named of each kind a table "
	    "(default 20)\n"
	    "  -r, --rejects FILE     rows rejected by an earlier stage "
	    "(repeatable)\n"
	    "      --ignore COL       compare rows without COL (a column a "
	    "re-run makes\n"
	    "                         anew: a generated password hash); "
	    "repeatable\n"
	    "  -j, --json             the report as JSON\n"
	    "  -q, --quiet            no summary line on stderr\n"
	    "      --progress         a progress line on stderr\n"
	    "  -h, --help             this text\n"
	    "      --version          the version\n"
	    "\n"
	    "With A and B (either may be -), compare stream A with stream "
	    "B.\n"
	    "Exit status: 0 all tables match, 1 they do not, 2 usage, 3 bad "
	    "stream,\n"
	    "4 database error, 5 I/O error.\n", stdout);
}

/* Table mode: -t and --key name a table and columns PostgreSQL must keep. */
static void
check_names(const struct vcmp *v)
{
	bool ok = opt.table == NULL || pgx_check_name(opt.table);
	size_t i, j;

	for (i = 0; i < v->nkeyspecs; i++)
		for (j = 0; j < v->keyspecs[i].ncols; j++)
			ok = pgx_check_ident(v->keyspecs[i].cols[j]) && ok;
	if (!ok)
		exit(EXIT_USAGE);
}

static void
options(int argc, char *argv[], struct vcmp *v)
{
	enum { OPT_IGNORE = 256, OPT_OLDKEY };
	static const struct option opts[] = {
		{ "dbname", required_argument, NULL, 'd' },
		{ "ignore", required_argument, NULL, OPT_IGNORE },
		{ "json", no_argument, NULL, 'j' },
		{ "key", required_argument, NULL, 'k' },
		{ "max-diffs", required_argument, NULL, 'm' },
		{ "old-key", required_argument, NULL, OPT_OLDKEY },
		{ "rejects", required_argument, NULL, 'r' },
		{ "table", required_argument, NULL, 't' },
		SL_COMMON_LONG
	};
	struct sl_common co = { 0 };
	int c;

	while ((c = getopt_long(argc, argv, "d:hjk:m:qr:t:", opts, NULL)) !=
	    -1) {
		switch (c) {
		case 'd':
			opt.conninfo = optarg;
			break;
		case 'j':
			opt.json = true;
			break;
		case 'k':
			parse_keys(&v->keyspecs, &v->nkeyspecs, "--key",
			    optarg);
			break;
		case 'm':
			if (!sl_parse_u64(optarg, &v->maxdiffs))
				usage_error(usage_text, "--max-diffs: \"%s\" "
				    "is not a number", optarg);
			break;
		case 'r':
			v->rejfiles = erealloc(v->rejfiles, (v->nrejfiles +
			    1) * sizeof(*v->rejfiles));
			v->rejfiles[v->nrejfiles++] = optarg;
			break;
		case 't':
			opt.table = optarg;
			break;
		case OPT_IGNORE:
			sl_list_add(&v->ignored, &v->nignored, estrdup(optarg));
			break;
		case OPT_OLDKEY:
			parse_keys(&v->oldspecs, &v->noldspecs, "--old-key",
			    optarg);
			break;
		default:
			sl_common_opt(&co, c, help, usage_text);
		}
	}
	opt.quiet = co.quiet;
	opt.progress = co.progress;
	if (argc - optind != 0 && argc - optind != 2)
		usage_error(usage_text, "give two streams, or none to compare "
		    "stdin with a table");
	opt.dbmode = argc == optind;
	if (opt.dbmode)
		check_names(v);
	if (!opt.dbmode && opt.conninfo != NULL)
		usage_error(usage_text, "-d: two streams are compared without "
		    "a database");
	if (!opt.dbmode) {
		opt.path[VSRC] = argv[optind];
		opt.path[VTGT] = argv[optind + 1];
		if (strcmp(opt.path[VSRC], "-") == 0 &&
		    strcmp(opt.path[VTGT], "-") == 0)
			usage_error(usage_text, "only one of A and B can be "
			    "stdin");
		if (strcmp(opt.path[VTGT], "-") == 0)
			v->ixside = VSRC;
	}
}

/*
 * -d as psql takes it: a bare database name is dbname='NAME', since
 * pgx_connect() wants a keyword string or URI.
 */
static bool
connect_db(struct run *r)
{
	struct sl_buf ci = { 0 };
	const char *s;
	bool ok;

	if (opt.conninfo == NULL || strchr(opt.conninfo, '=') != NULL ||
	    strstr(opt.conninfo, "://") != NULL) {
		r->scan.c = pgx_connect(opt.conninfo);
		return r->scan.c != NULL || vcmp_fail(&r->v, EXIT_DB, NULL);
	}
	ok = sl_buf_adds(&ci, "dbname='");
	for (s = opt.conninfo; *s != '\0' && ok; s++)
		ok = !((*s == '\'' || *s == '\\') && !sl_buf_addc(&ci, '\\')) &&
		    sl_buf_addc(&ci, *s);
	if (!ok || !sl_buf_adds(&ci, "'") || !sl_buf_cstr(&ci)) {
		sl_buf_free(&ci);
		return vcmp_fail(&r->v, EXIT_IO, "out of memory");
	}
	r->scan.c = pgx_connect(ci.p);
	sl_buf_free(&ci);
	return r->scan.c != NULL || vcmp_fail(&r->v, EXIT_DB, NULL);
}

/*
 * The table a segment is compared as: -t, or its own name. In table
 * mode a new table is read from the database now: its index, with a
 * key; without a key (and only one table) its COPY starts, to run while
 * the stream is read.
 */
static struct vtab *
segment_tab(struct run *r, const struct rs_header *h, enum vside s,
    const char *name)
{
	struct vcmp *v = &r->v;
	const char *tname = opt.table != NULL ? opt.table : h->table;
	struct vtab *t = vcmp_find(v, tname);

	if (t == NULL) {
		if ((t = vcmp_tab_new(v, tname, h)) == NULL)
			return NULL;
		if (opt.dbmode && v->nkeyspecs == 0 && r->scan.t == NULL &&
		    v->ntabs == 1 && !vscan_begin(&r->scan, v, t))
			return NULL;
		if (opt.dbmode && t->nkeys > 0) {
			v->phase = VPH_INDEX;
			if (!vscan_table(&r->scan, v, t))
				return NULL;
			if (!kidx_seal(t->ix)) {
				vcmp_fail(v, EXIT_IO, NULL);
				return NULL;
			}
			v->phase = VPH_STREAM;
		}
	}
	if (t->h->ncols != vcmp_compared(v, h)) {
		vcmp_fail(v, EXIT_DATA, "%s: \"%s\" has %zu columns, \"%s\" "
		    "%zu", name, h->table, vcmp_compared(v, h), tname,
		    t->h->ncols);
		return NULL;
	}
	if (s == VSRC && !vcmp_rejects_for(v, t, h->table))
		return NULL;
	return t;
}

/* One event of a stream read as side s. */
static bool
stream_event(struct run *r, struct rs_reader *rd, enum rs_event ev,
    enum vside s, struct vtab **t, long **map, bool *moved)
{
	struct vcmp *v = &r->v;
	struct vrow row;
	bool more;

	if (ev == RS_ERROR)
		return vcmp_fail(v, rs_status(rd), NULL);
	if (ev == RS_HEADER) {
		if ((*t = segment_tab(r, rs_header(rd), s, rs_name(rd))) == NULL)
			return false;
		*map = erealloc(*map, ((*t)->h->ncols + 1) * sizeof(**map));
		return vcmp_projection(v, *t, rs_header(rd), rs_name(rd), *map,
		    moved);
	}
	if (ev != RS_ROW)
		return true;
	if (!vcmp_project(v, *t, rs_row(rd), *map, *moved, &row) ||
	    !vcmp_row(v, *t, s, &row))
		return false;
	if (r->scan.t != NULL && (rs_rows(rd) & 255) == 0)
		return vscan_some(&r->scan, v, false, &more);
	return true;
}

/* Reads one stream file (or stdin) as side s. */
static bool
read_stream(struct run *r, const char *file, enum vside s)
{
	struct rs_reader *rd;
	enum rs_event ev;
	struct vtab *t = NULL;
	long *map = NULL;
	bool moved = false, ok = true;

	if ((rd = rs_open(file)) == NULL)
		return vcmp_fail(&r->v, EXIT_IO, NULL);
	while (ok && (ev = rs_next(rd)) != RS_EOF)
		ok = stream_event(r, rd, ev, s, &t, &map, &moved);
	rs_close(rd);
	free(map);
	return ok;
}

/* Table mode: the stream, then each table (or its index first, with --key). */
static bool
run_db(struct run *r)
{
	struct vcmp *v = &r->v;
	struct vtab *t;
	size_t i;
	bool more = true;

	if (!connect_db(r))
		return false;
	/* one snapshot, so that a rescan sees the rows the first scan saw */
	if (!pgx_exec(r->scan.c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ "
	    "ONLY"))
		return vcmp_fail(v, EXIT_DB, NULL);
	v->phase = VPH_STREAM;
	if (!read_stream(r, "-", VSRC))
		return false;
	while (r->scan.t != NULL && more)
		if (!vscan_some(&r->scan, v, true, &more))
			return false;
	for (i = 0; i < v->ntabs; i++) {
		t = v->tabs[i];
		if (t->nkeys == 0) {
			if (!t->scanned && !vscan_table(&r->scan, v, t))
				return false;
			continue;
		}
		vcmp_settle(v, t);
		if (vcmp_rescan_needed(v, t)) {
			v->phase = VPH_RESCAN;
			if (!vscan_table(&r->scan, v, t))
				return false;
		}
	}
	pgx_exec(r->scan.c, "COMMIT");
	return true;
}

/* File mode: the index side first (with --key), then the other. */
static bool
run_files(struct run *r)
{
	struct vcmp *v = &r->v;
	enum vside ix = v->ixside, other = ix == VSRC ? VTGT : VSRC;
	size_t i;
	bool again = false;

	v->phase = v->nkeyspecs == 0 ? VPH_STREAM : VPH_INDEX;
	if (v->nkeyspecs == 0)
		return read_stream(r, opt.path[VSRC], VSRC) &&
		    read_stream(r, opt.path[VTGT], VTGT);
	if (!read_stream(r, opt.path[ix], ix))
		return false;
	for (i = 0; i < v->ntabs; i++)
		if (v->tabs[i]->ix != NULL && !kidx_seal(v->tabs[i]->ix))
			return vcmp_fail(v, EXIT_IO, NULL);
	v->phase = VPH_STREAM;
	if (!read_stream(r, opt.path[other], other))
		return false;
	for (i = 0; i < v->ntabs; i++) {
		if (v->tabs[i]->nkeys == 0)
			continue;
		vcmp_settle(v, v->tabs[i]);
		again = again || vcmp_rescan_needed(v, v->tabs[i]);
	}
	v->phase = VPH_RESCAN;
	return !again || read_stream(r, opt.path[ix], ix);
}

/* The run's tables, each finished; whether every one matches. */
static bool
finish(struct vcmp *v, uint64_t *src, uint64_t *tgt, uint64_t *rej)
{
	size_t i;
	bool ok = true;

	for (i = 0; i < v->ntabs; i++) {
		vcmp_finish(v, v->tabs[i]);
		ok = ok && vcmp_tab_ok(v->tabs[i]);
		*src += v->tabs[i]->rows[VSRC];
		*tgt += v->tabs[i]->rows[VTGT];
		*rej += v->tabs[i]->rej_rows;
	}
	return ok;
}

static int
verify(struct run *r)
{
	static char obuf[1 << 16];
	struct vcmp *v = &r->v;
	struct sl_progress pg;
	uint64_t src = 0, tgt = 0, rej = 0;
	bool ok;

	setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	sl_progress_start(&pg, opt.progress);
	v->pg = &pg;
	if (!(opt.dbmode ? run_db(r) : run_files(r)))
		return v->status;
	if (!specs_used(v->keyspecs, v->nkeyspecs, "--key") ||
	    !specs_used(v->oldspecs, v->noldspecs, "--old-key")) {
		v->usage = true;
		return EXIT_USAGE;
	}
	ok = finish(v, &src, &tgt, &rej);
	sl_progress_end(&pg);
	if (!(opt.json ? report_json(v, ok) : report_text(v)))
		return EXIT_IO;
	if (!fshut(stdout, "stdout"))
		return EXIT_IO;
	if (!opt.quiet)
		fprintf(stderr, "%s: %" PRIu64 " source rows, %" PRIu64
		    " target rows, %" PRIu64 " rejected, %zu table%s, %.2f s: "
		    "%s\n", sl_progname, src, tgt, rej, v->ntabs, v->ntabs == 1 ?
		    "" : "s", sl_progress_elapsed(&pg), ok ? "match" :
		    "MISMATCH");
	return ok ? EXIT_OK : EXIT_DATA;
}

int
main(int argc, char *argv[])
{
	/* static: the option lists in it live until exit, as argv does */
	static struct run r;
	int status;

	sl_setprogname(argv[0]);
	vcmp_init(&r.v);
	options(argc, argv, &r.v);
	status = verify(&r);
	if (r.scan.c != NULL) {
		vscan_free(&r.scan);
		PQfinish(r.scan.c);
	}
	vcmp_free(&r.v);
	/* an option found wrong with the streams' columns (reported) */
	if (status == EXIT_USAGE && r.v.usage)
		usage_error(usage_text, NULL);
	return status;
}
