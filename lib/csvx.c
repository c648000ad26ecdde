/*
 * csvx.c: the CSV reader (csvx.h has the contract).
 *
 * libcsv calls on_field and on_record as it parses; they keep the
 * record's fields in rd->data and, at the end of a record, make the
 * header (the first record, with a header line) or write the row. A
 * callback that fails sets rd->status, and every later callback does
 * nothing, so the first error is the one reported.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <csv.h>

#include "csvx.h"
#include "err.h"
#include "exitcodes.h"
#include "nidx.h"
#include "textval.h"
#include "value.h"

struct field {
	size_t	 off, len;
	bool	 null;
};

struct reader {
	const struct csvx_opts	*o;
	struct csv_parser	 p;
	struct rs_writer	*w;
	struct rs_header	*h;
	const char		*path;		/* for messages */
	struct sl_buf		 data;		/* the record's fields */
	struct sl_buf		 conv;		/* a bytea value */
	struct field		*f;
	size_t			 nf, capf;
	size_t			 want;		/* fields a record has */
	size_t			*map;		/* column -> field */
	uint64_t		 line;		/* the physical line fed */
	uint64_t		 recline;	/* where the record began */
	int			 status;	/* set by a callback that failed */
};

static void SL_PRINTF(3, 4)
bad(struct reader *rd, int status, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (rd->status != 0)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
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

static void
oom(struct reader *rd)
{
	if (rd->status == 0)
		sl_err("%s: out of memory", rd->path);
	rd->status = EXIT_IO;
}

static void
on_field(void *s, size_t n, void *data)
{
	struct reader *rd = data;
	const char *ns = rd->o->nullstr;
	struct field *f, *nf;

	if (rd->status != 0)
		return;
	if (rd->nf == rd->capf) {
		rd->capf = rd->capf ? 2 * rd->capf : 16;
		if ((nf = realloc(rd->f, rd->capf * sizeof(*nf))) == NULL) {
			oom(rd);
			return;
		}
		rd->f = nf;
	}
	f = &rd->f[rd->nf++];
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
 * Makes the header from names (the header line's fields, or the
 * caller's) and starts the segment. With a header line and cols, cols
 * chooses among its names.
 */
static void
begin(struct reader *rd, size_t n, const char *const *names)
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
	if (!rs_begin(rd->w, rd->h))
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
		begin(rd, rd->nf, (const char *const *)names);
	for (i = 0; i < rd->nf; i++)
		free(names[i]);
	free(names);
}

static void
on_record(int c, void *data)
{
	struct reader *rd = data;

	(void)c;
	if (rd->status != 0)
		return;
	if (rd->h == NULL)
		header_line(rd);
	else if (rd->nf != rd->want)
		bad(rd, EXIT_STREAM, "%zu field%s, expected %zu", rd->nf,
		    rd->nf == 1 ? "" : "s", rd->want);
	else
		put_row(rd);
	rd->nf = 0;
	sl_buf_reset(&rd->data);
}

static int
no_space(unsigned char c)
{
	(void)c;
	return 0;	/* RFC 4180: spaces are part of a field */
}

/* Feeds one piece of input, which ends a line or the buffer. */
static void
feed(struct reader *rd, const char *s, size_t n)
{
	if (rd->p.pstate == 0)	/* no record open: one begins here */
		rd->recline = rd->line;
	if (csv_parse(&rd->p, s, n, on_field, on_record, rd) == n)
		return;
	if (csv_error(&rd->p) != CSV_EPARSE) {
		if (rd->status == 0)
			sl_err("%s: %s", rd->path,
			    csv_strerror(csv_error(&rd->p)));
		rd->status = EXIT_IO;
		return;
	}
	rd->recline = rd->line;
	bad(rd, EXIT_STREAM, "malformed quoting: a quote inside an unquoted "
	    "field, or text after a closing quote");
}

/* Feeds a buffer line by line; false once an error is set. */
static bool
feed_buf(struct reader *rd, const char *s, size_t n)
{
	const char *nl;

	while (n > 0 && rd->status == 0) {
		nl = memchr(s, '\n', n);
		feed(rd, s, nl != NULL ? (size_t)(nl - s) + 1 : n);
		if (nl == NULL)
			break;
		rd->line++;
		n -= (size_t)(nl - s) + 1;
		s = nl + 1;
	}
	return rd->status == 0;
}

static bool
start(struct reader *rd, const struct csvx_opts *o, struct rs_writer *w)
{
	unsigned char opts = CSV_STRICT | CSV_STRICT_FINI;

	memset(rd, 0, sizeof(*rd));
	rd->o = o;
	rd->w = w;
	rd->path = strcmp(o->path, "-") == 0 ? "stdin" : o->path;
	rd->line = 1;
	if (o->nullstr == NULL)
		opts |= CSV_EMPTY_IS_NULL;
	if (csv_init(&rd->p, opts) != 0) {
		oom(rd);
		return false;
	}
	csv_set_delim(&rd->p, (unsigned char)(o->delim ? o->delim : ','));
	csv_set_space_func(&rd->p, no_space);
	if (!o->header)
		begin(rd, o->ncols, o->cols);
	return rd->status == 0;
}

/* Ends the input: the last record, the trailer; returns the status. */
static int
finish(struct reader *rd)
{
	/* with CSV_STRICT_FINI, only an open quote fails here */
	if (rd->status == 0 && csv_fini(&rd->p, on_field, on_record, rd) != 0)
		bad(rd, EXIT_STREAM, "a quoted field is not closed before the "
		    "end of the input");
	if (rd->status == 0 && rd->h == NULL) {
		sl_err("%s: no header line", rd->path);
		rd->status = EXIT_STREAM;
	}
	if (rd->status == 0 && !rs_end(rd->w))
		rd->status = EXIT_IO;
	csv_free(&rd->p);
	rs_header_free(rd->h);
	free(rd->map);
	free(rd->f);
	sl_buf_free(&rd->data);
	sl_buf_free(&rd->conv);
	return rd->status;
}

/* Skips a UTF-8 byte order mark at the start of the input. */
static size_t
bom(const char *p, size_t n)
{
	return n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
}

int
csvx_read(const struct csvx_opts *o, struct rs_writer *w)
{
	static char buf[1 << 16];
	struct reader rd;
	bool first = true;
	size_t skip;
	ssize_t n;
	int fd;

	fd = strcmp(o->path, "-") == 0 ? 0 : open(o->path, O_RDONLY |
	    O_CLOEXEC);
	if (fd < 0) {
		sl_err("%s: %s", o->path, strerror(errno));
		return EXIT_IO;
	}
	if (start(&rd, o, w)) {
		while ((n = read(fd, buf, sizeof(buf))) != 0) {
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0) {
				sl_err("%s: %s", rd.path, strerror(errno));
				rd.status = EXIT_IO;
				break;
			}
			skip = first ? bom(buf, (size_t)n) : 0;
			first = false;
			if (!feed_buf(&rd, buf + skip, (size_t)n - skip))
				break;
		}
	}
	if (fd != 0)
		close(fd);
	return finish(&rd);
}

int
csvx_read_mem(const struct csvx_opts *o, const char *p, size_t n,
    struct rs_writer *w)
{
	struct reader rd;
	size_t skip = bom(p, n);

	if (start(&rd, o, w))
		feed_buf(&rd, p + skip, n - skip);
	return finish(&rd);
}
