/*
 * rowcat: shows a row stream to a person or to another tool.
 *
 *	rowcat [--json | --csv | --table | --schema] [--head N] [FILE ...]
 *
 * JSON Lines for jq, CSV for spreadsheets, an aligned table for a
 * terminal (the default when stdout is one; JSON Lines otherwise), or the
 * segments' schemas. On a broken stream it prints every row it read, then
 * the error, and exits 3.
 */
#include <getopt.h>
#include <inttypes.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include <csv.h>

#include "exitcodes.h"
#include "prog.h"
#include "progress.h"
#include "rowstream.h"
#include "value.h"

#define BATCH	1000	/* rows a table's column widths are measured on */

enum mode { JSON, CSV, TABLE, SCHEMA };

static const char usage_text[] =
    "usage: rowcat [-jcts] [-n N] [--null STRING] [--bytea hex|base64]\n"
    "              [-q] [--progress] [FILE ...]\n";

static enum mode mode;
static const char *nullstr;
static bool base64;
static struct sl_buf out;	/* the current row, as text */
static struct sl_buf cell;	/* one value, as text */

/* The table mode's batch: cells of up to BATCH rows, and their widths. */
static struct sl_buf cells;
static size_t *cellend;
static size_t *width;
static size_t nbatch;
static bool titled;
static const struct rs_header *thdr;

/* JSON mode: the column names, already quoted, per segment. */
static struct sl_buf jnames;
static size_t *jname;

static bool
numeric(const struct rs_col *c)
{
	return c->cls == RS_INT || c->cls == RS_FLOAT;
}

/* The columns a string takes on a terminal. */
static size_t
dwidth(const char *s, size_t n)
{
	mbstate_t st;
	size_t w = 0, k;
	wchar_t wc;
	int cw;

	memset(&st, 0, sizeof(st));
	while (n > 0) {
		k = mbrtowc(&wc, s, n, &st);
		if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
			memset(&st, 0, sizeof(st));
			k = 1;
			cw = 1;
		} else if ((cw = wcwidth(wc)) < 0) {
			cw = 1;
		}
		w += (size_t)cw;
		s += k;
		n -= k;
	}
	return w;
}

/*
 * A value for the table: its text form with control characters and
 * invalid UTF-8 escaped, so that every row stays on one line.
 */
static void
table_text(struct sl_buf *b, const msgpack_object *o)
{
	const char *s;
	size_t i, n, k;
	unsigned char c;

	sl_buf_reset(&cell);
	if (o->type == MSGPACK_OBJECT_NIL) {
		if (nullstr != NULL && !sl_buf_adds(b, nullstr))
			die(EXIT_IO, "out of memory");
		return;
	}
	if (!sl_fmt_text(&cell, o))
		die(EXIT_IO, "out of memory");
	s = cell.p;
	n = cell.len;
	for (i = 0; i < n; i += k) {
		c = (unsigned char)s[i];
		k = c < 0x80 ? 1 : sl_utf8_valid(s + i, n - i);
		if (c >= 0x20 && c != 0x7f && k > 0) {
			if (!sl_buf_add(b, s + i, k))
				die(EXIT_IO, "out of memory");
			continue;
		}
		k = 1;
		if (c == '\n' ? !sl_buf_adds(b, "\\n") :
		    c == '\t' ? !sl_buf_adds(b, "\\t") :
		    c == '\r' ? !sl_buf_adds(b, "\\r") :
		    !sl_buf_printf(b, "\\x%02x", c))
			die(EXIT_IO, "out of memory");
	}
}

static void
pad(size_t n)
{
	while (n-- > 0)
		putchar(' ');
}

static void
table_rule(const struct rs_header *h)
{
	size_t i, j;

	for (i = 0; i < h->ncols; i++) {
		if (i > 0)
			putchar('+');
		for (j = 0; j < width[i] + 2; j++)
			putchar('-');
	}
	putchar('\n');
}

/* Prints the batch of rows, and the title and column names before the first. */
static void
table_flush(void)
{
	const struct rs_header *h = thdr;
	size_t r, i, start, len, w, left;

	if (h == NULL || (titled && nbatch == 0))
		return;
	for (r = 0; r < nbatch; r++)
		for (i = 0; i < h->ncols; i++) {
			start = r * h->ncols + i == 0 ? 0 :
			    cellend[r * h->ncols + i - 1];
			w = dwidth(cells.p + start, cellend[r * h->ncols + i] -
			    start);
			if (w > width[i])
				width[i] = w;
		}
	if (!titled && h->ncols == 0) {
		printf("%s\n--\n", h->table);
		titled = true;
	}
	if (!titled) {
		printf("%s\n", h->table);
		for (i = 0; i < h->ncols; i++) {
			w = dwidth(h->cols[i].name, strlen(h->cols[i].name));
			left = (width[i] - w) / 2;
			printf("%s ", i > 0 ? "|" : "");
			pad(left);
			fputs(h->cols[i].name, stdout);
			pad(width[i] - w - left + 1);
		}
		putchar('\n');
		table_rule(h);
		titled = true;
	}
	for (r = 0; r < nbatch && h->ncols > 0; r++) {
		for (i = 0; i < h->ncols; i++) {
			start = r * h->ncols + i == 0 ? 0 :
			    cellend[r * h->ncols + i - 1];
			len = cellend[r * h->ncols + i] - start;
			w = dwidth(cells.p + start, len);
			printf("%s ", i > 0 ? "|" : "");
			if (numeric(&h->cols[i]))
				pad(width[i] > w ? width[i] - w : 0);
			fwrite(cells.p + start, 1, len, stdout);
			if (!numeric(&h->cols[i]) && i + 1 < h->ncols)
				pad(width[i] > w ? width[i] - w : 0);
			if (i + 1 < h->ncols)
				putchar(' ');
		}
		putchar('\n');
	}
	nbatch = 0;
	sl_buf_reset(&cells);
}

static void
table_begin(const struct rs_header *h)
{
	size_t i;

	thdr = h;
	titled = false;
	nbatch = 0;
	sl_buf_reset(&cells);
	free(cellend);
	free(width);
	cellend = ecalloc((size_t)BATCH * h->ncols + 1, sizeof(*cellend));
	width = ecalloc(h->ncols + 1, sizeof(*width));
	for (i = 0; i < h->ncols; i++)
		width[i] = dwidth(h->cols[i].name, strlen(h->cols[i].name));
}

static void
table_row(const struct rs_row *row)
{
	size_t i;

	for (i = 0; i < row->ncols; i++) {
		table_text(&cells, &row->v[i]);
		cellend[nbatch * row->ncols + i] = cells.len;
	}
	if (++nbatch == BATCH)
		table_flush();
}

static void
table_end(uint64_t rows)
{
	table_flush();
	printf("(%" PRIu64 " row%s)\n\n", rows, rows == 1 ? "" : "s");
	thdr = NULL;
}

static void
json_begin(const struct rs_header *h)
{
	size_t i;

	sl_buf_reset(&jnames);
	free(jname);
	jname = ecalloc(h->ncols + 1, sizeof(*jname));
	for (i = 0; i < h->ncols; i++) {
		if (!sl_fmt_json_str(&jnames, h->cols[i].name, strlen(
		    h->cols[i].name)) || !sl_buf_addc(&jnames, ':'))
			die(EXIT_IO, "out of memory");
		jname[i + 1] = jnames.len;
	}
}

static bool
json_value(struct sl_buf *b, const msgpack_object *o)
{
	switch (o->type) {
	case MSGPACK_OBJECT_NIL:
		return sl_buf_adds(b, "null");
	case MSGPACK_OBJECT_BOOLEAN:
		return sl_buf_adds(b, o->via.boolean ? "true" : "false");
	case MSGPACK_OBJECT_FLOAT32:
	case MSGPACK_OBJECT_FLOAT64:
		if (o->via.f64 != o->via.f64 || o->via.f64 - o->via.f64 != 0) {
			/* NaN and the infinities are not JSON numbers */
			return sl_buf_addc(b, '"') && sl_fmt_double(b,
			    o->via.f64) && sl_buf_addc(b, '"');
		}
		return sl_fmt_double(b, o->via.f64);
	case MSGPACK_OBJECT_STR:
		return sl_fmt_json_str(b, o->via.str.ptr, o->via.str.size);
	case MSGPACK_OBJECT_BIN:
		sl_buf_reset(&cell);
		if (!(base64 ? sl_fmt_base64(&cell, o->via.bin.ptr,
		    o->via.bin.size) : sl_fmt_hex(&cell, o->via.bin.ptr,
		    o->via.bin.size)))
			return false;
		return sl_fmt_json_str(b, cell.p, cell.len);
	default:
		return sl_fmt_text(b, o);
	}
}

static void
json_row(const struct rs_row *row)
{
	size_t i;

	sl_buf_reset(&out);
	if (!sl_buf_addc(&out, '{'))
		die(EXIT_IO, "out of memory");
	for (i = 0; i < row->ncols; i++) {
		if ((i > 0 && !sl_buf_addc(&out, ',')) ||
		    !sl_buf_add(&out, jnames.p + jname[i], jname[i + 1] -
		    jname[i]) || !json_value(&out, &row->v[i]))
			die(EXIT_IO, "out of memory");
	}
	if (!sl_buf_adds(&out, "}\n"))
		die(EXIT_IO, "out of memory");
	fwrite(out.p, 1, out.len, stdout);
}

/*
 * One CSV field, quoted by libcsv when it must be: when it holds a comma,
 * a quote, a line break or leading or trailing space, and when it is the
 * empty string, so that it differs from NULL, which is an empty unquoted
 * field (the convention of PostgreSQL's COPY ... CSV).
 */
static void
csv_field(struct sl_buf *b, const char *s, size_t n)
{
	size_t i, need;
	bool quote = n == 0 || s[0] == ' ' || s[n - 1] == ' ';

	for (i = 0; i < n && !quote; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
			quote = true;
	if (!quote) {
		if (!sl_buf_add(b, s, n))
			die(EXIT_IO, "out of memory");
		return;
	}
	need = csv_write(NULL, 0, s, n);
	if (need == SIZE_MAX || !sl_buf_grow(b, need))
		die(EXIT_IO, "a value too large for CSV");
	b->len += csv_write(b->p + b->len, need, s, n);
}

static void
csv_begin(const struct rs_header *h)
{
	size_t i;

	sl_buf_reset(&out);
	for (i = 0; i < h->ncols; i++) {
		if (i > 0 && !sl_buf_addc(&out, ','))
			die(EXIT_IO, "out of memory");
		csv_field(&out, h->cols[i].name, strlen(h->cols[i].name));
	}
	if (!sl_buf_addc(&out, '\n'))
		die(EXIT_IO, "out of memory");
	fwrite(out.p, 1, out.len, stdout);
}

static void
csv_row(const struct rs_row *row)
{
	size_t i;

	sl_buf_reset(&out);
	for (i = 0; i < row->ncols; i++) {
		if (i > 0 && !sl_buf_addc(&out, ','))
			die(EXIT_IO, "out of memory");
		if (row->v[i].type == MSGPACK_OBJECT_NIL) {
			if (nullstr != NULL && !sl_buf_adds(&out, nullstr))
				die(EXIT_IO, "out of memory");
			continue;
		}
		sl_buf_reset(&cell);
		if (!sl_fmt_text(&cell, &row->v[i]))
			die(EXIT_IO, "out of memory");
		csv_field(&out, cell.p, cell.len);
	}
	if (!sl_buf_addc(&out, '\n'))
		die(EXIT_IO, "out of memory");
	fwrite(out.p, 1, out.len, stdout);
}

static void
schema_begin(const struct rs_reader *r, const struct rs_header *h)
{
	size_t i, w = 0;

	printf("%s (segment %" PRIu64 " of %s): %zu column%s\n", h->table,
	    rs_segment(r), rs_name(r), h->ncols, h->ncols == 1 ? "" : "s");
	if (h->source != NULL)
		printf("  source: %s\n", h->source);
	if (h->nkey > 0) {
		printf("  key:");
		for (i = 0; i < h->nkey; i++)
			printf(" %s", h->key[i]);
		putchar('\n');
	}
	for (i = 0; i < h->ncols; i++)
		if (strlen(h->cols[i].name) > w)
			w = strlen(h->cols[i].name);
	for (i = 0; i < h->ncols; i++)
		printf("  %-*s  %s\n", (int)w, h->cols[i].name,
		    h->cols[i].type);
}

static void
schema_end(const struct rs_reader *r)
{
	printf("  %" PRIu64 " row%s, hash %016" PRIx64 "\n", rs_rows(r),
	    rs_rows(r) == 1 ? "" : "s", rs_hash(r));
}

/* Runs before an error is reported: what was read is shown first. */
static void
flush_before_error(void)
{
	if (mode == TABLE)
		table_flush();
	fflush(stdout);
}

/*
 * Shows one stream. Returns 0, or the exit status of its error; *left
 * counts down the rows --head still allows (UINT64_MAX: all).
 */
static int
cat(const char *path, uint64_t *left, uint64_t *rows, struct sl_progress *pg)
{
	struct rs_reader *r;
	enum rs_event ev;
	int status = EXIT_OK;

	if ((r = rs_open(path)) == NULL)
		return EXIT_IO;
	while (*left > 0 && (ev = rs_next(r)) != RS_EOF) {
		if (ev == RS_ERROR) {
			status = rs_status(r);
			break;
		}
		if (ev == RS_HEADER) {
			if (mode == JSON)
				json_begin(rs_header(r));
			else if (mode == CSV)
				csv_begin(rs_header(r));
			else if (mode == TABLE)
				table_begin(rs_header(r));
			else
				schema_begin(r, rs_header(r));
		} else if (ev == RS_ROW) {
			if (mode == JSON)
				json_row(rs_row(r));
			else if (mode == CSV)
				csv_row(rs_row(r));
			else if (mode == TABLE)
				table_row(rs_row(r));
			(*rows)++;
			if (mode != SCHEMA && *left != UINT64_MAX)
				(*left)--;
			sl_progress_update(pg, *rows, rs_offset(r));
		} else if (mode == TABLE) {
			table_end(rs_rows(r));
		} else if (mode == SCHEMA) {
			schema_end(r);
		}
	}
	if (mode == TABLE && thdr != NULL) {
		table_flush();
		if (status == EXIT_OK)
			printf("(first %" PRIu64 " row%s)\n\n", rs_rows(r),
			    rs_rows(r) == 1 ? "" : "s");
	}
	thdr = NULL;
	rs_close(r);
	return status;
}

static void
help(void)
{
	fputs(usage_text, stdout);
	fputs("Show a row stream as JSON Lines, CSV, a table or its schema.\n"
	    "\n"
	    "  -j, --json          JSON Lines: one object per row (the default\n"
	    "                      when stdout is not a terminal)\n"
	    "  -c, --csv           CSV with a header line per segment\n"
	    "  -t, --table         aligned columns (the default on a terminal)\n"
	    "  -s, --schema        each segment's table, columns, rows and hash\n"
	    "  -n, --head N        stop after N rows\n"
	    "      --null STRING   how --csv and --table show NULL (default:\n"
	    "                      an empty field)\n"
	    "      --bytea FORM    bytea in JSON as hex (\\x..., the default) "
	    "or base64\n", stdout);
	sl_common_help(22);
	fputs("\n"
	    "With no FILE, or when FILE is -, read standard input.\n"
	    "Exit status: 0 ok, 2 usage, 3 bad or truncated stream, 5 I/O "
	    "error.\n", stdout);
}

int
main(int argc, char *argv[])
{
	enum { OPT_NULL = 256, OPT_BYTEA };
	static const struct option opts[] = {
		{ "bytea", required_argument, NULL, OPT_BYTEA },
		{ "csv", no_argument, NULL, 'c' },
		{ "head", required_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ "null", required_argument, NULL, OPT_NULL },
		{ "schema", no_argument, NULL, 's' },
		{ "table", no_argument, NULL, 't' },
		SL_COMMON_LONG
	};
	static char obuf[1 << 16];
	struct sl_progress pg;
	uint64_t left = UINT64_MAX, rows = 0;
	struct sl_common co = { 0 };
	bool chosen = false;
	int c, i, status = EXIT_OK;

	sl_setprogname(argv[0]);
	while ((c = getopt_long(argc, argv, "cjhn:qst", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			mode = CSV;
			chosen = true;
			break;
		case 'j':
			mode = JSON;
			chosen = true;
			break;
		case 's':
			mode = SCHEMA;
			chosen = true;
			break;
		case 't':
			mode = TABLE;
			chosen = true;
			break;
		case 'n':
			if (!sl_parse_u64(optarg, &left))
				usage_error(usage_text, "--head: \"%s\" is not "
				    "a number of rows", optarg);
			break;
		case OPT_NULL:
			nullstr = optarg;
			break;
		case OPT_BYTEA:
			if (strcmp(optarg, "hex") != 0 &&
			    strcmp(optarg, "base64") != 0)
				usage_error(usage_text, "--bytea: \"%s\" is "
				    "neither hex nor base64", optarg);
			base64 = strcmp(optarg, "base64") == 0;
			break;
		default:
			sl_common_opt(&co, c, help, usage_text);
		}
	}
	if (!chosen)
		mode = isatty(1) ? TABLE : JSON;
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		setlocale(LC_CTYPE, "");
	setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	sl_err_hook(flush_before_error);
	sl_progress_start(&pg, co.progress);
	if (optind == argc)
		status = cat("-", &left, &rows, &pg);
	for (i = optind; i < argc && status == EXIT_OK; i++)
		status = cat(argv[i], &left, &rows, &pg);
	sl_progress_end(&pg);
	if (!fshut(stdout, "stdout") && status == EXIT_OK)
		status = EXIT_IO;
	if (!co.quiet)
		fprintf(stderr, "%s: %" PRIu64 " rows, %.2f s%s\n", sl_progname,
		    rows, sl_progress_elapsed(&pg),
		    status == EXIT_OK ? "" : " (stopped by an error)");
	return status;
}
