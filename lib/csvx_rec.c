/*
 * csvx_rec.c: the CSV reader's records (csvx.h has the contract; the
 * input layer that feeds libcsv is lib/csvx.c, and lib/csvx_int.h what
 * the two share).
 *
 * libcsv calls csvx_on_field and csvx_on_record as it parses; they keep
 * the record's fields in rd->data and, at the end of a record, make the
 * header (the first record, with a header line) or write the row. A
 * callback that fails sets rd->status, and every later callback does
 * nothing, so the first error is the one reported.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvx_int.h"
#include "nidx.h"
#include "textval.h"
#include "value.h"

/* The first error, at the record's line; bad() in csvx_int.h is its front. */
void
csvx_vbad(struct reader *rd, int status, const char *fmt, va_list ap)
{
	char msg[1024];

	if (rd->status != 0)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	sl_err("%s: line %" PRIu64 ": %s", rd->path, rd->recline, msg);
	rd->status = status;
}


/*
 * Field f's bytes. A record of NULL fields stores no bytes, and the
 * buffer may then have none at all: no pointer arithmetic on NULL.
 */
static const char *
field(const struct reader *rd, const struct field *f)
{
	return rd->data.p != NULL ? rd->data.p + f->off : "";
}

void
csvx_oom(struct reader *rd)
{
	if (rd->status == 0)
		sl_err("%s: out of memory", rd->path);
	rd->status = EXIT_IO;
}

/* One more field slot; NULL (reported) without memory. */
static struct field *
new_field(struct reader *rd)
{
	struct field *nf;

	if (rd->nf == rd->capf) {
		rd->capf = rd->capf ? 2 * rd->capf : 16;
		if ((nf = realloc(rd->f, rd->capf * sizeof(*nf))) == NULL) {
			oom(rd);
			return NULL;
		}
		rd->f = nf;
	}
	return &rd->f[rd->nf++];
}

void
csvx_on_field(void *s, size_t n, void *data)
{
	struct reader *rd = data;
	const char *ns = rd->o->nullstr;
	struct field *f;

	if (rd->status != 0 || (f = new_field(rd)) == NULL)
		return;
	f->off = rd->data.len;
	f->len = n;
	f->null = s == NULL || (ns != NULL && n == strlen(ns) &&
	    memcmp(s, ns, n) == 0);
	if (s != NULL && !sl_buf_add(&rd->data, s, n))
		oom(rd);
}

/* bytea in hex form (\x...), or as raw bytes when it does not start so. */
/* One value of col's class (lib/textval.c); false when s is not one. */
static bool
put_value(struct reader *rd, const struct rs_col *col, const char *s,
    size_t n)
{
	return tv_put(rd->w, col, s, n, &rd->conv);
}

static void
put_row(struct reader *rd)
{
	const struct rs_col *col;
	const struct field *f;
	const char *s;
	char cname[SL_PRINTABLE], val[SL_PRINTABLE];
	size_t i;

	if (!rs_row_begin(rd->w)) {
		rd->status = EXIT_IO;
		return;
	}
	for (i = 0; i < rd->h->ncols; i++) {
		col = &rd->h->cols[i];
		f = &rd->f[rd->map[i]];
		s = field(rd, f);
		if (f->null) {
			rs_put_nil(rd->w);
		} else if (!put_value(rd, col, s, f->len)) {
			sl_printable(cname, sizeof(cname), col->name,
			    strlen(col->name));
			sl_printable(val, sizeof(val), s, f->len);
			bad(rd, EXIT_STREAM, "column \"%s\" (%s): \"%s\" is "
			    "not a valid %s%s", cname, col->type, val, col->type,
			    col->cls == RS_TEXT ? " (not UTF-8, or a NUL byte; "
			    "iconv can convert the file)" : "");
			return;
		}
	}
	if (!rs_row_end(rd->w)) {
		rd->status = EXIT_IO;
		return;
	}
	if (rd->o->row_done != NULL)
		rd->o->row_done(rd->o->arg);
}

/* The CSV's basename without its extension: the default table name. */
static char *
table_name(const struct reader *rd)
{
	const char *b = strrchr(rd->path, '/');
	char *t, *dot;

	if (rd->o->table != NULL)
		return strdup(rd->o->table);
	if (strcmp(rd->o->path, "-") == 0)
		return strdup("stdin");
	if ((t = strdup(b != NULL ? b + 1 : rd->path)) == NULL)
		return NULL;
	if ((dot = strrchr(t, '.')) != NULL && dot != t)
		*dot = '\0';
	return t;
}

/* Column i's field: with a header line and -c, the field -c names. */
static bool
choose(struct reader *rd, size_t i, const struct sl_nidx *line)
{
	long j;

	if (line == NULL) {
		rd->map[i] = i;
		return true;
	}
	if ((j = sl_nidx_find(line, rd->o->cols[i])) < 0) {
		sl_err("--columns: no column \"%s\" in the header line of %s",
		    rd->o->cols[i], rd->path);
		rd->status = EXIT_USAGE;
		return false;
	}
	rd->map[i] = (size_t)j;
	return true;
}

/*
 * The rejects' header, noted at once so that a run without a ragged
 * record still leaves a whole (empty) rejects stream.
 */
static bool
rejects_begin(struct reader *rd)
{
	if (rd->o->rejects == NULL)
		return true;
	if ((rd->rh = rs_header_new(rd->h->table, 2)) == NULL ||
	    !rs_header_setcol(rd->rh, 0, "_line", "int8") ||
	    !rs_header_setcol(rd->rh, 1, "_fields", "json") ||
	    !rs_header_setsource(rd->rh, rd->path)) {
		oom(rd);
		return false;
	}
	return sl_rejects_note(rd->o->rejects, rd->rh);
}

/*
 * Makes the header from names (the header line's fields, or the
 * caller's) and starts the segment. With a header line and cols, cols
 * chooses among its names.
 */
void
csvx_begin(struct reader *rd, size_t n, const char *const *names)
{
	const struct csvx_opts *o = rd->o;
	size_t i, ncols = o->header && o->ncols > 0 ? o->ncols : n;
	struct sl_nidx *line = NULL;
	char *table;
	int st;

	if (o->header && o->ncols > 0) {
		if ((line = sl_nidx_new(n)) == NULL) {
			oom(rd);
			return;
		}
		for (i = 0; i < n; i++)
			if (sl_nidx_add(line, names[i], i) < 0) {
				sl_nidx_free(line);
				oom(rd);
				return;
			}
	}
	table = table_name(rd);
	rd->h = table != NULL ? rs_header_new(table, ncols) : NULL;
	free(table);
	if (rd->h == NULL || (rd->map = calloc(ncols + 1,
	    sizeof(*rd->map))) == NULL || !rs_header_setsource(rd->h,
	    rd->path)) {
		sl_nidx_free(line);
		oom(rd);
		return;
	}
	for (i = 0; i < ncols; i++) {
		if (!choose(rd, i, line))
			break;
		if (!rs_header_setcol(rd->h, i, line != NULL ? o->cols[i] :
		    names[i], "text")) {
			oom(rd);
			break;
		}
	}
	sl_nidx_free(line);
	if (rd->status != 0)
		return;
	if (o->prepare != NULL && (st = o->prepare(rd->h, o->arg)) != 0) {
		rd->status = st;
		return;
	}
	if (!rs_header_check(rd->h, rd->path)) {
		rd->status = EXIT_STREAM;
		return;
	}
	rd->want = n;
	if (!rs_begin(rd->w, rd->h) || !rejects_begin(rd))
		rd->status = EXIT_IO;
}

/*
 * Whether header field i cannot be a column name (reported): one holding
 * a NUL would be cut there, one that is not UTF-8 is no name PostgreSQL
 * (client_encoding UTF8) or a row stream's reader downstream can take.
 */
static bool
bad_name(struct reader *rd, size_t i)
{
	const char *s = field(rd, &rd->f[i]);
	char show[SL_PRINTABLE];

	if (sl_text_valid(s, rd->f[i].len))
		return false;
	bad(rd, EXIT_STREAM, "header field %zu, \"%s\", %s, which a column "
	    "name cannot", i + 1, sl_printable(show, sizeof(show), s,
	    rd->f[i].len), memchr(s, '\0', rd->f[i].len) != NULL ?
	    "holds a NUL byte" : "is not UTF-8");
	return true;
}

/* The header line's fields as names. */
static void
header_line(struct reader *rd)
{
	char **names;
	size_t i;

	for (i = 0; i < rd->nf; i++)
		if (bad_name(rd, i))
			return;
	if ((names = calloc(rd->nf + 1, sizeof(*names))) == NULL) {
		oom(rd);
		return;
	}
	for (i = 0; i < rd->nf; i++) {
		if ((names[i] = malloc(rd->f[i].len + 1)) == NULL) {
			oom(rd);
			break;
		}
		memcpy(names[i], field(rd, &rd->f[i]), rd->f[i].len);
		names[i][rd->f[i].len] = '\0';
	}
	if (rd->status == 0)
		csvx_begin(rd, rd->nf, (const char *const *)names);
	for (i = 0; i < rd->nf; i++)
		free(names[i]);
	free(names);
}

/* The record's fields as a JSON array, for the rejects. */
static bool
fields_json(struct reader *rd, struct sl_buf *b)
{
	size_t i;
	bool ok = sl_buf_add(b, "[", 1);

	for (i = 0; ok && i < rd->nf; i++) {
		if (i > 0)
			ok = sl_buf_add(b, ",", 1);
		if (ok)
			ok = rd->f[i].null ? sl_buf_adds(b, "null") :
			    sl_fmt_json_str(b, field(rd, &rd->f[i]),
			    rd->f[i].len);
	}
	return ok && sl_buf_add(b, "]", 1);
}

/* The record, its line and why into the rejects stream. */
static void
reject(struct reader *rd, const char *why)
{
	struct sl_buf js = { 0 };
	msgpack_packer pk;

	sl_buf_reset(&rd->rvals);
	msgpack_packer_init(&pk, &rd->rvals, rs_buf_write);
	if (!fields_json(rd, &js) ||
	    msgpack_pack_uint64(&pk, rd->recline) != 0 ||
	    msgpack_pack_str(&pk, js.len) != 0 ||
	    msgpack_pack_str_body(&pk, js.p, js.len) != 0) {
		sl_buf_free(&js);
		oom(rd);
		return;
	}
	sl_buf_free(&js);
	if (!sl_rejects_put(rd->o->rejects, 1, rd->rh, rd->rvals.p,
	    rd->rvals.len, why))
		rd->status = EXIT_IO;
}

/*
 * Extra fields --ragged null may drop: empty or NULL ones (a spreadsheet
 * writes them), never a value.
 */
static bool
extras_empty(const struct reader *rd)
{
	size_t i;

	for (i = rd->want; i < rd->nf; i++)
		if (!rd->f[i].null && rd->f[i].len > 0)
			return false;
	return true;
}

/* A record of nf fields where want were expected. */
static void
ragged(struct reader *rd)
{
	char why[128];
	struct field *f;

	snprintf(why, sizeof(why), "%zu field%s, expected %zu", rd->nf,
	    rd->nf == 1 ? "" : "s", rd->want);
	switch (rd->o->ragged) {
	case CSVX_RAGGED_REJECT:
		reject(rd, why);
		return;
	case CSVX_RAGGED_NULL:
		if (rd->nf > rd->want && !extras_empty(rd)) {
			bad(rd, EXIT_STREAM, "%s, and a value in the extra "
			    "ones (--ragged null drops only empty fields)",
			    why);
			return;
		}
		while (rd->nf < rd->want)
			if ((f = new_field(rd)) == NULL)
				return;
			else
				*f = (struct field){ .null = true };
		rd->nf = rd->want;
		put_row(rd);
		return;
	case CSVX_RAGGED_ERROR:
		break;
	}
	bad(rd, EXIT_STREAM, "%s", why);
}

void
csvx_on_record(int c, void *data)
{
	struct reader *rd = data;

	(void)c;
	if (rd->status != 0)
		return;
	if (rd->h == NULL)
		header_line(rd);
	else if (rd->nf != rd->want)
		ragged(rd);
	else
		put_row(rd);
	rd->nf = 0;
	sl_buf_reset(&rd->data);
}
