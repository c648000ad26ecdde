/*
 * split-name: splits a full-name column into first, middle and last name
 * columns (and, if asked, title and suffix), for a schema that stores the
 * parts (lib/names.c says how a name is read).
 *
 *	split-name -c COL [--into A,B,C] [--title COL] [--suffix COL]
 *	    [--keep] [--case keep|title] [-r FILE] [-q] [--progress]
 *
 * A filter: a row stream in, the same stream with the new columns out.
 * The other columns are copied as bytes, never decoded and re-encoded.
 */
#include <getopt.h>
#include <inttypes.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exitcodes.h"
#include "names.h"
#include "prog.h"
#include "progress.h"
#include "rejects.h"
#include "rowstream.h"
#include "value.h"

static const char usage_text[] =
    "usage: split-name -c COL [--into FIRST,MIDDLE,LAST] [--title COL]\n"
    "                  [--suffix COL] [--keep] [--case keep|title]\n"
    "                  [-r FILE] [-q] [--progress]\n";

/* The options. */
static const char *column;
static const char *into[3] = { "first_name", "middle_name", "last_name" };
static const char *title_col, *suffix_col;
static bool keep;
static int nmflags;

/* Output columns after the kept source, in order, and the parts they hold. */
static const char *newcol[5];
static enum nm_part newpart[5];
static size_t nnew;

/* The current segment. */
static size_t src;		/* index of the name column */
static struct nm_name nm;
static struct sl_buf table;	/* its table's name, for the summary */
static uint64_t nin, nout;

static void
plan_columns(void)
{
	static const enum nm_part parts[3] = { NM_FIRST, NM_MIDDLE, NM_LAST };
	size_t i, j;

	for (i = 0; i < 3; i++) {
		newcol[nnew] = into[i];
		newpart[nnew++] = parts[i];
	}
	if (title_col != NULL) {
		newcol[nnew] = title_col;
		newpart[nnew++] = NM_TITLE;
	}
	if (suffix_col != NULL) {
		newcol[nnew] = suffix_col;
		newpart[nnew++] = NM_SUFFIX;
	}
	for (i = 0; i < nnew; i++) {
		if (newcol[i][0] == '\0')
			usage_error(usage_text, "an output column needs a "
			    "name");
		if (keep && strcmp(newcol[i], column) == 0)
			usage_error(usage_text, "--keep keeps \"%s\", so no "
			    "other column can have that name", column);
		for (j = 0; j < i; j++)
			if (strcmp(newcol[i], newcol[j]) == 0)
				usage_error(usage_text, "\"%s\" names two "
				    "output columns", newcol[i]);
	}
}

/* --into A,B,C: three names, blanks around them ignored. */
static void
parse_into(char *arg)
{
	char *p, *end;
	size_t n = 0;

	for (p = strtok(arg, ","); p != NULL; p = strtok(NULL, ",")) {
		p += strspn(p, " \t");
		end = p + strlen(p);
		while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		if (n == 3)
			break;
		into[n++] = p;
	}
	if (n != 3 || p != NULL || arg[strlen(arg) - 1] == ',' || arg[0] == ',')
		usage_error(usage_text, "--into wants three column names, "
		    "FIRST,MIDDLE,LAST");
}

/* Says COL is missing, naming the stream's columns to show a typo. */
static int
no_column(const struct rs_header *h)
{
	struct sl_buf b = { 0 };
	size_t i;
	bool ok = true;

	for (i = 0; ok && i < h->ncols; i++)
		ok = sl_buf_printf(&b, "%s%s", i > 0 ? ", " : "",
		    h->cols[i].name);
	if (!ok || !sl_buf_cstr(&b)) {
		sl_buf_free(&b);
		return EXIT_IO;
	}
	sl_err("\"%s\" has no column \"%s\"; its columns are: %s", h->table,
	    column, h->ncols > 0 ? b.p : "(none)");
	sl_buf_free(&b);
	return EXIT_USAGE;
}

/* The output header of a segment: h with the name column split. */
static struct rs_header *
out_header(const struct rs_header *h)
{
	struct rs_header *o;
	const char **key;
	size_t i, k, nkey = 0;
	bool ok = true;

	if ((o = rs_header_new(h->table, h->ncols - !keep + nnew)) == NULL)
		return NULL;
	for (i = k = 0; ok && i < h->ncols; i++) {
		if (i != src || keep)
			ok = rs_header_setcol(o, k++, h->cols[i].name,
			    h->cols[i].type);
		if (i == src) {
			for (size_t j = 0; ok && j < nnew; j++)
				ok = rs_header_setcol(o, k++, newcol[j],
				    "text");
		}
	}
	if ((key = calloc(h->nkey + 1, sizeof(*key))) == NULL) {
		sl_err("out of memory");
		rs_header_free(o);
		return NULL;
	}
	for (i = 0; i < h->nkey; i++)
		if (keep || strcmp(h->key[i], column) != 0)
			key[nkey++] = h->key[i];
	ok = ok && rs_header_setkey(o, nkey, key);
	if (ok && h->source != NULL)
		ok = rs_header_setsource(o, h->source);
	free(key);
	if (!ok) {
		rs_header_free(o);
		return NULL;	/* reported */
	}
	return o;
}

static int
begin_segment(const struct rs_header *h, struct rs_writer *w)
{
	struct rs_header *o;
	long i;
	size_t j;
	bool ok;

	sl_buf_reset(&table);
	if (!sl_buf_adds(&table, h->table) || !sl_buf_cstr(&table))
		return EXIT_IO;
	if ((i = rs_header_find(h, column)) < 0)
		return no_column(h);
	src = (size_t)i;
	if (h->cols[src].cls != RS_TEXT) {
		sl_err("column \"%s\" of \"%s\" is %s, not text", column,
		    h->table, h->cols[src].type);
		return EXIT_USAGE;
	}
	for (j = 0; j < nnew; j++)
		if ((i = rs_header_find(h, newcol[j])) >= 0 &&
		    (keep || (size_t)i != src)) {
			sl_err("\"%s\" already has a column \"%s\"; choose "
			    "other names with --into, --title or --suffix",
			    h->table, newcol[j]);
			return EXIT_USAGE;
		}
	if ((o = out_header(h)) == NULL)
		return EXIT_IO;
	ok = rs_begin(w, o);
	rs_header_free(o);
	return ok ? EXIT_OK : EXIT_IO;
}

/* The offset of the first byte that is not UTF-8, or SIZE_MAX. */
static size_t
bad_utf8(const char *p, size_t n)
{
	size_t i, k;

	for (i = 0; i < n; i += k)
		if ((k = (unsigned char)p[i] < 0x80 ? 1 :
		    sl_utf8_valid(p + i, n - i)) == 0)
			return i;
	return SIZE_MAX;
}

/*
 * A name that is not UTF-8: to the rejects with the reason, or the end of
 * the run.
 */
static int
reject(struct rs_reader *r, struct sl_rejects *rj, size_t at)
{
	char why[256];

	snprintf(why, sizeof(why), "%s: invalid UTF-8 at byte %zu", column,
	    at);
	if (rj == NULL) {
		sl_err("\"%s\" row %" PRIu64 " (segment %" PRIu64 "): %s "
		    "(--rejects FILE sets such rows aside)", rs_header(r)->table,
		    rs_row(r)->num, rs_segment(r), why);
		return EXIT_STREAM;
	}
	return sl_rejects_row(rj, r, why) ? EXIT_OK : EXIT_IO;
}

static int
split_row(struct rs_reader *r, struct rs_writer *w, struct sl_rejects *rj)
{
	const struct rs_row *row = rs_row(r);
	const msgpack_object *v = &row->v[src];
	const char *raw = row->raw, *p;
	size_t i, at, len;
	bool null = v->type == MSGPACK_OBJECT_NIL;

	if (!null) {
		at = bad_utf8(v->via.str.ptr, v->via.str.size);
		if (at != SIZE_MAX)
			return reject(r, rj, at);
		if (!nm_split(&nm, v->via.str.ptr, v->via.str.size, nmflags))
			return EXIT_IO;
	}
	rs_row_begin(w);
	rs_put_raws(w, raw + row->off[0], row->off[src] - row->off[0], src);
	if (keep)
		rs_put_raw(w, raw + row->off[src], row->off[src + 1] -
		    row->off[src]);
	for (i = 0; i < nnew; i++) {
		if (null) {
			rs_put_nil(w);
			continue;
		}
		p = nm_part(&nm, newpart[i], &len);
		rs_put_str(w, p, len);
	}
	rs_put_raws(w, raw + row->off[src + 1], row->off[row->ncols] -
	    row->off[src + 1], row->ncols - src - 1);
	if (!rs_row_end(w))
		return EXIT_IO;
	nout++;
	return EXIT_OK;
}

static int
run(struct rs_reader *r, struct rs_writer *w, struct sl_rejects *rj,
    struct sl_progress *pg)
{
	enum rs_event ev;
	int status = EXIT_OK;

	while (status == EXIT_OK && (ev = rs_next(r)) != RS_EOF) {
		switch (ev) {
		case RS_ERROR:
			return rs_status(r);
		case RS_HEADER:
			if (!sl_rejects_note(rj, rs_header(r)))
				return EXIT_IO;
			status = begin_segment(rs_header(r), w);
			break;
		case RS_ROW:
			nin++;
			status = split_row(r, w, rj);
			sl_progress_update(pg, nin, rs_offset(r));
			break;
		case RS_TRAILER:
			status = rs_end(w) ? EXIT_OK : EXIT_IO;
			break;
		default:
			break;
		}
	}
	return status;
}

static void
help(void)
{
	fputs(usage_text, stdout);
	fputs("Split a full-name column into first, middle and last names.\n"
	    "\n"
	    "  -c, --column COL      the column holding full names "
	    "(required)\n"
	    "      --into A,B,C      names of the first, middle and last "
	    "name\n"
	    "                        columns (default first_name,middle_name,"
	    "\n"
	    "                        last_name), put where COL was\n"
	    "      --title COL       keep titles (Dr., Mrs) in column COL\n"
	    "      --suffix COL      keep suffixes (Jr., III, PhD) in column "
	    "COL\n"
	    "                        (without these two they are dropped)\n"
	    "      --keep            keep COL itself too, before the new "
	    "columns\n"
	    "      --case MODE       keep (the default: as written) or title\n"
	    "                        (JOHN MCDONALD -> John McDonald)\n"
	    "  -r, --rejects FILE    write rows whose name is not UTF-8 to "
	    "FILE\n"
	    "                        (a row stream with an _error column)\n"
	    "  -q, --quiet           no summary line on stderr\n"
	    "      --progress        a progress line on stderr\n"
	    "  -h, --help            this text\n"
	    "      --version         the version\n"
	    "\n"
	    "Reads a row stream on stdin, writes one on stdout. NULL gives "
	    "NULLs.\n"
	    "Exit status: 0 ok, 2 usage or no such column, 3 bad input "
	    "stream or\n"
	    "a name that is not UTF-8 (without --rejects), 5 I/O error.\n",
	    stdout);
}

static void
summary(int status, uint64_t rejected, const struct sl_progress *pg)
{
	fprintf(stderr, "%s: %s: %" PRIu64 " rows in, %" PRIu64 " out, %"
	    PRIu64 " rejected, %.2f s%s\n", sl_progname,
	    table.len > 0 ? table.p : "-", nin, nout, rejected,
	    sl_progress_elapsed(pg), status == EXIT_OK ? "" :
	    " (stopped by an error)");
}

int
main(int argc, char *argv[])
{
	enum { OPT_CASE = 256, OPT_INTO, OPT_KEEP, OPT_PROGRESS, OPT_SUFFIX,
	    OPT_TITLE, OPT_VERSION };
	static const struct option opts[] = {
		{ "case", required_argument, NULL, OPT_CASE },
		{ "column", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ "into", required_argument, NULL, OPT_INTO },
		{ "keep", no_argument, NULL, OPT_KEEP },
		{ "progress", no_argument, NULL, OPT_PROGRESS },
		{ "quiet", no_argument, NULL, 'q' },
		{ "rejects", required_argument, NULL, 'r' },
		{ "suffix", required_argument, NULL, OPT_SUFFIX },
		{ "title", required_argument, NULL, OPT_TITLE },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	struct sl_progress pg;
	struct sl_rejects *rj = NULL;
	struct rs_reader *r;
	struct rs_writer *w;
	const char *rjpath = NULL;
	uint64_t rejected;
	bool quiet = false, progress = false;
	int c, status;

	sl_setprogname(argv[0]);
	while ((c = getopt_long(argc, argv, "c:hqr:", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			column = optarg;
			break;
		case 'q':
			quiet = true;
			break;
		case 'r':
			rjpath = optarg;
			break;
		case OPT_CASE:
			if (strcmp(optarg, "keep") != 0 &&
			    strcmp(optarg, "title") != 0)
				usage_error(usage_text, "--case: \"%s\" is "
				    "neither keep nor title", optarg);
			nmflags = strcmp(optarg, "title") == 0 ?
			    NM_TITLECASE : 0;
			break;
		case OPT_INTO:
			parse_into(optarg);
			break;
		case OPT_KEEP:
			keep = true;
			break;
		case OPT_PROGRESS:
			progress = true;
			break;
		case OPT_SUFFIX:
			suffix_col = optarg;
			break;
		case OPT_TITLE:
			title_col = optarg;
			break;
		case 'h':
			help();
			return fshut(stdout, "stdout") ? EXIT_OK : EXIT_IO;
		case OPT_VERSION:
			sl_version();
			return fshut(stdout, "stdout") ? EXIT_OK : EXIT_IO;
		default:
			usage_error(usage_text, NULL);
		}
	}
	if (optind < argc)
		usage_error(usage_text, "unexpected argument \"%s\": the "
		    "stream comes on stdin", argv[optind]);
	if (column == NULL || column[0] == '\0')
		usage_error(usage_text, "-c COL names the full-name column");
	plan_columns();
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		setlocale(LC_CTYPE, "");
	if (rjpath != NULL && (rj = sl_rejects_open(rjpath)) == NULL)
		return EXIT_IO;
	if ((r = rs_fdopen(0, "stdin")) == NULL)
		return EXIT_IO;
	if ((w = rs_wopen(1, "stdout")) == NULL) {
		rs_close(r);
		return EXIT_IO;
	}
	sl_progress_start(&pg, progress);
	status = run(r, w, rj, &pg);
	sl_progress_end(&pg);
	if (status == EXIT_OK && !rs_wfinish(w))
		status = EXIT_IO;
	if (!rs_wclose(w) && status == EXIT_OK)
		status = EXIT_IO;
	rejected = rj != NULL ? sl_rejects_count(rj) : 0;
	if (!sl_rejects_close(rj, status == EXIT_OK) && status == EXIT_OK)
		status = EXIT_IO;
	rs_close(r);
	nm_free(&nm);
	if (!quiet)
		summary(status, rejected, &pg);
	sl_buf_free(&table);
	return status;
}
