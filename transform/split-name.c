/*
 * split-name: splits a full-name column into first, middle and last name
 * columns (and, if asked, title and suffix), for a schema that stores the
 * parts (lib/names.c says how a name is read).
 *
 *	split-name -c COL [--into A,B,C] [--title COL] [--suffix COL]
 *	    [--keep] [--case keep|title] [-o FILE] [-r FILE] [-q] [--progress]
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
#include "ledger.h"
#include "names.h"
#include "prog.h"
#include "progress.h"
#include "rejects.h"
#include "rowstream.h"
#include "value.h"

static const char usage_text[] =
    "usage: split-name -c COL [--into FIRST,MIDDLE,LAST] [--title COL]\n"
    "                  [--suffix COL] [--keep] [--case keep|title]\n"
    "                  [--empty empty|null]\n"
    "                  [-o FILE] [-r FILE] [-q] [--progress]\n";

/* The options. */
static const char *column;
static const char *into[3] = { "first_name", "middle_name", "last_name" };
static const char *title_col, *suffix_col;
static bool keep;
static bool empty_null;		/* --empty null: no part is '' */
static int nmflags;

/* Output columns after the kept source, in order, and the parts they hold. */
static const char *newcol[5];
static enum nm_part newpart[5];
static size_t nnew;

/* The current segment. */
static size_t src;		/* index of the name column */
static struct nm_name nm;
static struct sl_ledger ledger;

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

/*
 * The filter's begin: finds the name column and makes the output header.
 * A column missing, not text, or in the way of a new one is a usage
 * error, in every segment alike.
 */
static struct rs_header *
begin(const struct rs_header *h)
{
	long i;
	size_t j;

	if ((i = rs_header_find(h, column)) < 0)
		sl_no_column(h, "-c", column);
	src = (size_t)i;
	if (h->cols[src].cls != RS_TEXT)
		die(EXIT_USAGE, "-c: column \"%s\" of \"%s\" is %s, not text",
		    column, h->table, h->cols[src].type);
	for (j = 0; j < nnew; j++)
		if ((i = rs_header_find(h, newcol[j])) >= 0 &&
		    (keep || (size_t)i != src))
			die(EXIT_USAGE, "\"%s\" already has a column \"%s\"; "
			    "choose other names with --into, --title or "
			    "--suffix", h->table, newcol[j]);
	return out_header(h);
}

/*
 * The filter's row: the name split into its parts, or, for a name that
 * is not UTF-8, the row rejected (to the rejects file, or counted and
 * the output stopped, as in every filter: lib/ledger.h).
 */
static bool
split_row(struct sl_ledger *l, struct rs_reader *r, struct rs_writer *w)
{
	const struct rs_row *row = rs_row(r);
	const msgpack_object *v = &row->v[src];
	const char *raw = row->raw, *p;
	char why[256];
	size_t i, at, len;
	bool null = v->type == MSGPACK_OBJECT_NIL;

	if (!null) {
		at = sl_utf8_bad(v->via.str.ptr, v->via.str.size);
		if (at != SIZE_MAX) {
			snprintf(why, sizeof(why), "%s: invalid UTF-8 at byte "
			    "%zu", column, at);
			return sl_ledger_reject(l, r, why);
		}
		if (!nm_split(&nm, v->via.str.ptr, v->via.str.size, nmflags))
			return false;
	}
	if (sl_ledger_stopped(l))
		return true;
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
		if (len == 0 && empty_null)
			rs_put_nil(w);
		else
			rs_put_str(w, p, len);
	}
	rs_put_raws(w, raw + row->off[src + 1], row->off[row->ncols] -
	    row->off[src + 1], row->ncols - src - 1);
	return rs_row_end(w);
}

/* Abandons the rejects file when split-name dies. */
static void
cleanup(void)
{
	sl_ledger_close(&ledger, false);
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
	    "      --empty MODE      a part the name lacks: empty (the "
	    "default: '')\n"
	    "                        or null (NULL)\n"
	    "  -o, --output FILE     write the stream to FILE (default stdout),\n"
	    "                        in place only when it is whole; mode 0600\n"
	    "  -r, --rejects FILE    write rows whose name is not UTF-8 to "
	    "FILE\n"
	    "                        (a row stream with an _error column)\n", stdout);
	sl_common_help(24);
	fputs("\n"
	    "Reads a row stream on stdin, writes one on stdout. NULL gives "
	    "NULLs.\n"
	    "Exit status: 0 ok, 1 a name not UTF-8 without --rejects, 2 "
	    "usage or no\n"
	    "such column, 3 bad input stream, 5 I/O error.\n",
	    stdout);
}

int
main(int argc, char *argv[])
{
	enum { OPT_CASE = 256, OPT_EMPTY, OPT_INTO, OPT_KEEP, OPT_SUFFIX,
	    OPT_TITLE };
	static const struct option opts[] = {
		{ "case", required_argument, NULL, OPT_CASE },
		{ "column", required_argument, NULL, 'c' },
		{ "empty", required_argument, NULL, OPT_EMPTY },
		{ "into", required_argument, NULL, OPT_INTO },
		{ "keep", no_argument, NULL, OPT_KEEP },
		{ "suffix", required_argument, NULL, OPT_SUFFIX },
		{ "title", required_argument, NULL, OPT_TITLE },
		SL_FILTER_LONG,
		SL_COMMON_LONG
	};
	static const struct sl_filter filter = { begin, split_row, NULL,
	    NULL, NULL };
	struct sl_progress pg;
	struct sl_common co = { 0 };
	int c, status;

	sl_setprogname(argv[0]);
	while ((c = getopt_long(argc, argv, "c:hqo:r:", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			column = optarg;
			break;
		case OPT_CASE:
			if (strcmp(optarg, "keep") != 0 &&
			    strcmp(optarg, "title") != 0)
				usage_error(usage_text, "--case: \"%s\" is "
				    "neither keep nor title", optarg);
			nmflags = strcmp(optarg, "title") == 0 ?
			    NM_TITLECASE : 0;
			break;
		case OPT_EMPTY:
			if (strcmp(optarg, "null") != 0 &&
			    strcmp(optarg, "empty") != 0)
				usage_error(usage_text, "--empty: \"%s\" is "
				    "neither null nor empty", optarg);
			empty_null = strcmp(optarg, "null") == 0;
			break;
		case OPT_INTO:
			parse_into(optarg);
			break;
		case OPT_KEEP:
			keep = true;
			break;
		case OPT_SUFFIX:
			suffix_col = optarg;
			break;
		case OPT_TITLE:
			title_col = optarg;
			break;
		default:
			sl_common_opt(&co, c, help, usage_text);
		}
	}
	sl_no_operands(argc, argv, usage_text);
	if (column == NULL || column[0] == '\0')
		usage_error(usage_text, "-c COL names the full-name column");
	plan_columns();
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		setlocale(LC_CTYPE, "");
	if (!sl_ledger_open(&ledger, co.rejects, co.output))
		return EXIT_IO;
	atexit(cleanup);
	sl_progress_start(&pg, co.progress);
	status = sl_ledger_run(&ledger, &filter, &pg, co.quiet);
	sl_progress_end(&pg);
	if (!sl_ledger_close(&ledger, status == EXIT_OK) && status == EXIT_OK)
		status = EXIT_IO;
	nm_free(&nm);
	return status;
}
