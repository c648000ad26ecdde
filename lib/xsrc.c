/*
 * xsrc.c: extract's sources without a server (xsrc.h has the contract).
 *
 * Each source has one function that turns the options into its
 * reader's spec, runs the reader into the writer and frees what it
 * made; the readers do the parsing. --types and --key are applied here,
 * on the header a reader hands back before its first row, the same way
 * for every source.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "err.h"
#include "exitcodes.h"
#include "jsonl.h"
#include "rejects.h"
#include "sqlx.h"
#include "textdump.h"
#include "xsrc.h"

/* --types, parsed once: COLUMN:TYPE pairs, and which were used. */
struct typed {
	const char	*col, *type;
	bool		 used;
};

/* One run: the options, the lists parsed from them, where rows go. */
struct run {
	const struct xsrc	*x;
	char			*typecopy;	/* the strings of types */
	struct typed		*types;
	size_t			 ntypes;
	char			*keycopy, **key;
	size_t			 nkey;
	char			*colcopy, **cols;
	size_t			 ncols;
	struct rs_writer	*w;
	struct sl_progress	*pg;
	uint64_t		 nsegs, nrej;
};

const char xsrc_help[] =
    "SQLite (read-only, all tables in one read transaction; -t, -c, "
    "-w and -Q\n"
    "as above, a table's name taken whole):\n"
    "      --sqlite FILE      read the SQLite database FILE\n"
    "      --types COL:TYPE,...  override the types the declared ones "
    "give\n"
    "      --busy-timeout MS  wait this long for a locked database "
    "(default 5000)\n"
    "\n"
    "CSV (RFC 4180; BOM and CRLF allowed):\n"
    "      --csv FILE|-       read FILE (- for standard input)\n"
    "      --header           column names from the first line\n"
    "  -c, --columns COLS     without --header: the columns' names;\n"
    "                         with it: the columns to keep\n"
    "      --types COL:TYPE,...  column types (default text); int, "
    "float, bool\n"
    "                         and bytea values are converted and "
    "checked\n"
    "      --null STRING      this field is NULL (default: an empty "
    "unquoted one)\n"
    "      --delimiter C      field separator (default ,; \\t for "
    "tab)\n"
    "      --quote C          the quote character (default \")\n"
    "      --escape C         inside quotes, C before a quote or C "
    "escapes it\n"
    "                         (default: a quote is doubled)\n"
    "      --trim             blanks around fields and quotes are not "
    "data\n"
    "      --encoding NAME    the file's encoding (iconv's names; "
    "default UTF-8)\n"
    "      --skip N           skip N lines before the header or data\n"
    "      --ragged null|reject  a record with too few or many fields: "
    "NULLs\n"
    "                         for the missing (extra ones must be "
    "empty), or\n"
    "                         into --rejects (default: an error)\n"
    "      --rejects FILE     a row stream of the records refused, with "
    "their line\n"
    "      --key COL[,COL]    the key the stream's header names\n"
    "\n"
    "Text dumps (COPY text format, mysql --batch: tabs, \\N, backslash "
    "escapes):\n"
    "      --text FILE|-      read FILE; --header, -c, --types, --null "
    "as for CSV\n"
    "                         (--null NULL for mysql --batch)\n"
    "\n"
    "JSON lines (mongoexport; Extended JSON decoded):\n"
    "      --jsonl FILE|-     read FILE, one JSON object a line\n"
    "  -c, --columns 'PATH [AS NAME],...'  the columns: paths of keys "
    "joined\n"
    "                         by dots (_id.$oid, address.city); missing: "
    "NULL\n"
    "      --unwind PATH      a row per element of the array at PATH\n"
    "      --types COL:TYPE,...  column types (default: text, or the "
    "type of the\n"
    "                         Extended JSON key a path ends at)\n"
    "\n"
    "      --key COL[,COL]    --text, --jsonl: the key the stream's "
    "header names\n";

bool
xsrc_split(char *s, char ***items, size_t *n)
{
	size_t k = 1, i;
	char *p;

	for (p = s; *p != '\0'; p++)
		k += *p == ',';
	if ((*items = calloc(k, sizeof(**items))) == NULL)
		return false;
	for (i = 0; i < k; i++) {
		(*items)[i] = s;
		if ((p = strchr(s, ',')) != NULL) {
			*p = '\0';
			s = p + 1;
		}
		if ((*items)[i][0] == '\0') {
			free(*items);
			*items = NULL;
			return false;
		}
	}
	*n = k;
	return true;
}

/* A copy of list split into *items; false (reported) when it is bad. */
static bool
split_opt(const char *opt, const char *list, char **copy, char ***items,
    size_t *n)
{
	*n = 0;
	if (list == NULL)
		return true;
	if ((*copy = strdup(list)) == NULL || !xsrc_split(*copy, items, n)) {
		sl_err("%s: \"%s\": an empty name in a list (or no memory)",
		    opt, list);
		return false;
	}
	return true;
}

/* Parses -c, --types and --key; false (reported) for a bad one. */
static bool
run_lists(struct run *r)
{
	char **items = NULL, *colon;
	size_t i;

	if (!split_opt("--key", r->x->key, &r->keycopy, &r->key, &r->nkey) ||
	    !split_opt("--types", r->x->types, &r->typecopy, &items,
	    &r->ntypes))
		return false;
	if (r->x->jsonl == NULL && !split_opt("--columns", r->x->cols,
	    &r->colcopy, &r->cols, &r->ncols))
		goto bad;
	if (r->ntypes > 0 && (r->types = calloc(r->ntypes,
	    sizeof(*r->types))) == NULL)
		goto bad;
	for (i = 0; i < r->ntypes; i++) {
		if ((colon = strchr(items[i], ':')) == NULL || colon[1] == '\0') {
			sl_err("--types: \"%s\" is not COLUMN:TYPE", items[i]);
			goto bad;
		}
		*colon = '\0';
		r->types[i] = (struct typed){ items[i], colon + 1, false };
	}
	free(items);
	return true;
bad:
	free(items);
	return false;
}

static void
run_free(struct run *r)
{
	free(r->typecopy);
	free(r->types);
	free(r->keycopy);
	free(r->key);
	free(r->colcopy);
	free(r->cols);
}

/* Applies --types to the columns of h that it names. */
static int
apply_types(struct run *r, struct rs_header *h)
{
	size_t i;
	long k;

	for (i = 0; i < r->ntypes; i++) {
		if ((k = rs_header_find(h, r->types[i].col)) < 0)
			continue;
		r->types[i].used = true;
		if (!rs_header_setcol(h, (size_t)k, r->types[i].col,
		    r->types[i].type))
			return EXIT_IO;
	}
	return EXIT_OK;
}

/* Every column --types names must be a column (of some segment). */
static int
types_used(const struct run *r, const char *what)
{
	size_t i;

	for (i = 0; i < r->ntypes; i++)
		if (!r->types[i].used) {
			sl_err("--types: no column \"%s\" in %s",
			    r->types[i].col, what);
			return EXIT_USAGE;
		}
	return EXIT_OK;
}

/*
 * --key for a file: the header's key, so that load --mode upsert and
 * verify --key find it as they find a table's primary key.
 */
static int
apply_key(const struct run *r, struct rs_header *h, const char *what)
{
	size_t i;

	for (i = 0; i < r->nkey; i++)
		if (rs_header_find(h, r->key[i]) < 0) {
			sl_err("--key: no column \"%s\" in %s", r->key[i], what);
			return EXIT_USAGE;
		}
	if (r->nkey > 0 && !rs_header_setkey(h, r->nkey,
	    (const char *const *)r->key))
		return EXIT_IO;
	return EXIT_OK;
}

/* --types and --key on a file's header (what names it in messages). */
static int
file_header(struct run *r, struct rs_header *h, const char *what)
{
	int st;

	if ((st = apply_types(r, h)) != EXIT_OK ||
	    (st = types_used(r, what)) != EXIT_OK)
		return st;
	return apply_key(r, h, what);
}

/* A file's basename without its extension: the default table name. */
static char *
file_table(const struct xsrc *x, const char *path)
{
	const char *b = strrchr(path, '/');
	char *t, *dot;

	if (x->name != NULL || strcmp(path, "-") == 0)
		return strdup(x->name != NULL ? x->name : "stdin");
	if ((t = strdup(b != NULL ? b + 1 : path)) == NULL)
		return NULL;
	if ((dot = strrchr(t, '.')) != NULL && dot != t)
		*dot = '\0';
	return t;
}

static const char *
shown_path(const char *path)
{
	return strcmp(path, "-") == 0 ? "stdin" : path;
}

/*
 * SQLite: every segment is prepared (tables and columns checked,
 * --types applied) before the first row is written, as for PostgreSQL.
 */
static int
from_sqlite(struct run *r)
{
	const struct xsrc *x = r->x;
	struct sqlx_spec sp = { .query = x->query, .where = x->where,
	    .name = x->name, .ncols = r->ncols,
	    .cols = (const char *const *)r->cols };
	struct sqlx_seg **segs;
	struct sqlx *db;
	size_t i, n = x->query != NULL ? 1 : x->ntables, made = 0;
	int st, cst;

	if ((db = sqlx_open(x->sqlite, x->busy_ms, &st)) == NULL)
		return st;
	if ((segs = calloc(n, sizeof(*segs))) == NULL) {
		sl_err("out of memory");
		st = EXIT_IO;
		goto out;
	}
	for (; made < n; made++) {
		sp.table = x->query != NULL ? NULL : x->tables[made];
		if ((segs[made] = sqlx_prepare(db, &sp, &st)) == NULL ||
		    (st = apply_types(r, sqlx_header(segs[made]))) != EXIT_OK)
			goto out;
	}
	st = types_used(r, x->query != NULL ? "the query" : n == 1 ?
	    x->tables[0] : "any of the tables");
	for (i = 0; i < n && st == EXIT_OK; i++)
		if ((st = sqlx_copy(segs[i], r->w, r->pg)) == EXIT_OK)
			r->nsegs++;
out:
	for (i = 0; segs != NULL && i < n; i++)
		sqlx_seg_free(segs[i]);
	free(segs);
	cst = sqlx_close(db);
	return st != EXIT_OK ? st : cst;
}

/* CSV: the header goes through prepare, which csvx calls. */
static int
csv_prepare(struct rs_header *h, void *arg)
{
	struct run *r = arg;

	return file_header(r, h, shown_path(r->x->csv));
}

static void
csv_row_done(void *arg)
{
	struct run *r = arg;

	sl_progress_update(r->pg, rs_wtotal_rows(r->w), rs_wbytes(r->w));
}

static int
from_csv(struct run *r)
{
	const struct xsrc *x = r->x;
	struct csvx_opts o = { .path = x->csv, .table = x->name,
	    .nullstr = x->null, .delim = x->delim, .quote = x->quote,
	    .escape = x->escape, .trim = x->trim, .encoding = x->encoding,
	    .skip = x->skip, .ragged = x->ragged, .header = x->header,
	    .ncols = r->ncols, .cols = (const char *const *)r->cols,
	    .prepare = csv_prepare, .row_done = csv_row_done, .arg = r };
	int st;

	if (x->rejects != NULL && (o.rejects = sl_rejects_open(x->rejects)) ==
	    NULL)
		return EXIT_IO;
	st = csvx_read(&o, r->w);
	if (st == EXIT_OK)
		r->nsegs++;
	r->nrej = o.rejects != NULL ? sl_rejects_count(o.rejects) : 0;
	if (o.rejects != NULL && !sl_rejects_close(o.rejects, st == EXIT_OK))
		st = st != EXIT_OK ? st : EXIT_IO;
	if (st != EXIT_OK && x->rejects != NULL)
		(void)sl_rejects_remove(x->rejects);
	return st;
}

static int
from_text(struct run *r)
{
	const struct xsrc *x = r->x;
	struct td_spec sp = { .path = x->text, .header = x->header,
	    .null = x->null, .ncols = r->ncols,
	    .cols = (const char *const *)r->cols };
	struct td *t;
	int st;

	if ((sp.table = file_table(x, x->text)) == NULL) {
		sl_err("out of memory");
		return EXIT_IO;
	}
	if ((t = td_open(&sp, &st)) != NULL) {
		st = file_header(r, td_header(t), shown_path(x->text));
		if (st == EXIT_OK && !rs_header_check(td_header(t),
		    shown_path(x->text)))
			st = x->header ? EXIT_STREAM : EXIT_USAGE;
		if (st == EXIT_OK && (st = td_copy(t, r->w, r->pg)) == EXIT_OK)
			r->nsegs++;
		td_free(t);
	}
	free((char *)sp.table);
	return st;
}

static int
from_jsonl(struct run *r)
{
	const struct xsrc *x = r->x;
	struct jsonl_spec sp = { .path = x->jsonl, .cols = x->cols,
	    .unwind = x->unwind };
	struct jsonl *j;
	int st;

	if ((sp.table = file_table(x, x->jsonl)) == NULL) {
		sl_err("out of memory");
		return EXIT_IO;
	}
	if ((j = jsonl_open(&sp, &st)) != NULL) {
		st = file_header(r, jsonl_header(j), shown_path(x->jsonl));
		if (st == EXIT_OK && !rs_header_check(jsonl_header(j),
		    shown_path(x->jsonl)))
			st = EXIT_USAGE;
		if (st == EXIT_OK &&
		    (st = jsonl_copy(j, r->w, r->pg)) == EXIT_OK)
			r->nsegs++;
		jsonl_free(j);
	}
	free((char *)sp.table);
	return st;
}

int
xsrc_run(const struct xsrc *x, struct rs_writer *w,
    struct sl_progress *pg, uint64_t *nsegs, uint64_t *nrejected)
{
	struct run r = { .x = x, .w = w, .pg = pg };
	int st = EXIT_USAGE;

	if (run_lists(&r))
		st = x->sqlite != NULL ? from_sqlite(&r) : x->csv != NULL ?
		    from_csv(&r) : x->text != NULL ? from_text(&r) :
		    from_jsonl(&r);
	*nsegs += r.nsegs;
	*nrejected += r.nrej;
	run_free(&r);
	return st;
}

/*
 * Options and checks
 */

static char msg[256];

/*
 * A one-character option (--delimiter, --quote, --escape): not a line
 * break, which would end records; "\t" or "tab" for a tab.
 */
static const char *
one_char(const char *opt, const char *s, char *c)
{
	if (strcmp(s, "\\t") == 0 || strcmp(s, "tab") == 0) {
		*c = '\t';
		return NULL;
	}
	if (strlen(s) == 1 && s[0] != '\n' && s[0] != '\r') {
		*c = s[0];
		return NULL;
	}
	snprintf(msg, sizeof(msg), "--%s: \"%s\" is not one character "
	    "(other than a line break)", opt, s);
	return msg;
}

/* A number of --skip or --busy-timeout. */
static const char *
number(const char *opt, const char *s, uint64_t max, uint64_t *n)
{
	if (sl_parse_u64(s, n) && *n <= max)
		return NULL;
	snprintf(msg, sizeof(msg), "--%s: \"%s\" is not a number of %s", opt,
	    s, strcmp(opt, "skip") == 0 ? "lines" : "milliseconds");
	return msg;
}

const char *
xsrc_option(struct xsrc *x, const char *opt, const char *arg)
{
	static const struct { const char *name; size_t off; } paths[] = {
		{ "csv", offsetof(struct xsrc, csv) },
		{ "encoding", offsetof(struct xsrc, encoding) },
		{ "jsonl", offsetof(struct xsrc, jsonl) },
		{ "null", offsetof(struct xsrc, null) },
		{ "rejects", offsetof(struct xsrc, rejects) },
		{ "sqlite", offsetof(struct xsrc, sqlite) },
		{ "text", offsetof(struct xsrc, text) },
		{ "types", offsetof(struct xsrc, types) },
		{ "unwind", offsetof(struct xsrc, unwind) },
	};
	uint64_t n;
	size_t i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (strcmp(opt, paths[i].name) == 0) {
			*(const char **)((char *)x + paths[i].off) = arg;
			return NULL;
		}
	x->header |= strcmp(opt, "header") == 0;
	x->trim |= strcmp(opt, "trim") == 0;
	if (strcmp(opt, "delimiter") == 0)
		return one_char(opt, arg, &x->delim);
	if (strcmp(opt, "quote") == 0)
		return one_char(opt, arg, &x->quote);
	if (strcmp(opt, "escape") == 0)
		return one_char(opt, arg, &x->escape);
	if (strcmp(opt, "skip") == 0) {
		x->skip_set = true;
		return number(opt, arg, UINT64_MAX, &x->skip);
	}
	if (strcmp(opt, "busy-timeout") == 0) {
		x->busy_set = true;
		if (number(opt, arg, INT_MAX, &n) != NULL)
			return msg;
		x->busy_ms = (int)n;
		return NULL;
	}
	if (strcmp(opt, "ragged") == 0 && strcmp(arg, "null") == 0)
		x->ragged = CSVX_RAGGED_NULL;
	else if (strcmp(opt, "ragged") == 0 && strcmp(arg, "reject") == 0)
		x->ragged = CSVX_RAGGED_REJECT;
	else if (strcmp(opt, "ragged") == 0)
		return "--ragged: give null or reject";
	return NULL;
}

/* The CSV dialect's own checks. */
static const char *
check_dialect(const struct xsrc *x)
{
	char q = x->quote ? x->quote : '"';

	if (x->delim == q)
		return "--delimiter and --quote are the same character";
	if (x->escape != 0 && x->escape == x->delim)
		return "--escape and --delimiter are the same character";
	if (x->ragged == CSVX_RAGGED_REJECT && x->rejects == NULL)
		return "--ragged reject needs --rejects FILE";
	if (x->rejects != NULL && x->ragged != CSVX_RAGGED_REJECT)
		return "--rejects is for --ragged reject";
	if (x->rejects != NULL && *x->rejects == '\0')
		return "--rejects: an empty file name";
	return NULL;
}

/* Whether a CSV dialect option other than --delimiter is given. */
static bool
dialect_given(const struct xsrc *x)
{
	return x->quote || x->escape || x->trim || x->encoding != NULL ||
	    x->skip_set || x->ragged != CSVX_RAGGED_ERROR || x->rejects != NULL;
}

/* --text and --jsonl. */
static const char *
check_lines(const struct xsrc *x)
{
	const char *path = x->text != NULL ? x->text : x->jsonl;

	if ((x->text != NULL) + (x->jsonl != NULL) + (x->csv != NULL) +
	    (x->sqlite != NULL) + (x->ntables > 0) + (x->query != NULL) != 1)
		return "give one source: -t, -Q, --sqlite, --csv, --text or "
		    "--jsonl";
	if (x->conninfo || x->where != NULL || x->since || x->shard ||
	    x->busy_set || x->delim != ',' || dialect_given(x))
		return "-d, -w, --since, --shard, --busy-timeout, --delimiter "
		    "and the CSV dialect are not for --text or --jsonl";
	if (*path == '\0') {
		snprintf(msg, sizeof(msg), "%s: an empty file name",
		    x->text != NULL ? "--text" : "--jsonl");
		return msg;
	}
	if (x->text != NULL && x->unwind != NULL)
		return "--unwind is for --jsonl";
	if (x->text != NULL && !x->header && x->cols == NULL)
		return "--text needs --header or --columns";
	if (x->jsonl != NULL && (x->header || x->null != NULL))
		return "--header and --null are not for --jsonl";
	if (x->jsonl != NULL && x->cols == NULL)
		return "--jsonl needs --columns 'PATH [AS NAME],...'";
	return NULL;
}

const char *
xsrc_check(const struct xsrc *x)
{
	bool csv = x->csv != NULL;

	if (x->text != NULL || x->jsonl != NULL)
		return check_lines(x);
	if (x->unwind != NULL)
		return "--unwind is for --jsonl";
	if (csv && x->sqlite != NULL)
		return "--csv and --sqlite do not go together";
	if ((x->ntables > 0) + (x->query != NULL) + csv != 1)
		return "give one of -t, -Q and --csv";
	if (x->sqlite != NULL && (x->conninfo || x->shard || x->header ||
	    x->null != NULL || x->delim != ','))
		return "-d, --shard, --header, --null and --delimiter are not "
		    "for --sqlite";
	if (x->sqlite != NULL && x->since)
		return "--since is not for --sqlite";
	if (x->sqlite != NULL && *x->sqlite == '\0')
		return "--sqlite: an empty file name";
	if (!csv && (x->header || x->null != NULL || x->delim != ','))
		return "--header, --null and --delimiter are for --csv";
	if (!csv && dialect_given(x))
		return "--quote, --escape, --trim, --encoding, --skip, --ragged "
		    "and --rejects are for --csv";
	if (!csv && x->sqlite == NULL && x->types != NULL)
		return "--types is for --csv and --sqlite";
	if (csv && (x->conninfo || x->where != NULL || x->since || x->shard))
		return "-d, -w, --since and --shard are not for --csv";
	if (csv && !x->header && x->cols == NULL)
		return "--csv needs --header or --columns";
	return csv ? check_dialect(x) : NULL;
}
