/*
 * csvx.c: the CSV reader (csvx.h has the contract).
 *
 * libcsv calls on_field and on_record as it parses; they keep the
 * record's fields in rd->data and, at the end of a record, make the
 * header (the first record, with a header line) or write the row. A
 * callback that fails sets rd->status, and every later callback does
 * nothing, so the first error is the one reported.
 *
 * The bytes go through three steps before libcsv: iconv (--encoding,
 * into a reused buffer; a partial character waits for the next read),
 * the lines skipped and the BOM, and the escape character (libcsv knows
 * only doubled quotes: inside a quoted field, an escaped quote is given
 * to libcsv as a doubled one, an escaped escape as itself).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
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
	uint64_t		 skip;		/* lines still to skip */
	bool			 first;		/* no byte seen yet (the BOM) */
	bool			 esc_open;	/* an escape ended the last piece */
	iconv_t			 cd;		/* (iconv_t)-1: no --encoding */
	char			*ib, *ob;	/* iconv's input and output */
	size_t			 nib;		/* bytes waiting in ib */
	uint64_t		 chars;		/* characters since the last \n */
	struct rs_header	*rh;		/* the rejects' columns */
	struct sl_buf		 rvals;		/* a rejected record */
	int			 status;	/* set by a callback that failed */
};

/* libcsv's parser states (libcsv.c); its header does not name them. */
enum { ROW_NOT_BEGUN, FIELD_NOT_BEGUN, FIELD_BEGUN, FIELD_MIGHT_HAVE_ENDED };

#define IBUF	(1 << 16)	/* iconv's buffers */
#define ISLACK	32		/* room for a partial character */

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

static void
on_field(void *s, size_t n, void *data)
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
		begin(rd, rd->nf, (const char *const *)names);
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
		ragged(rd);
	else
		put_row(rd);
	rd->nf = 0;
	sl_buf_reset(&rd->data);
}

/*
 * libcsv's space functions: which bytes it drops before a field and
 * after a closing quote, and strips from the end of an unquoted one.
 * RFC 4180 has none; --trim has blanks, tab only when it does not
 * separate fields (libcsv asks is_space before it looks for the
 * delimiter).
 */
static int
no_space(unsigned char c)
{
	(void)c;
	return 0;
}

static int
blank(unsigned char c)
{
	return c == ' ' || c == '\t';
}

static int
space(unsigned char c)
{
	return c == ' ';
}

/* Gives libcsv n bytes; a parse error is reported with the line. */
static void
parse(struct reader *rd, const char *s, size_t n)
{
	char q = rd->o->quote ? rd->o->quote : '"';
	size_t m;
	bool blank_quote;

	if (n == 0 || rd->status != 0)
		return;
	if ((m = csv_parse(&rd->p, s, n, on_field, on_record, rd)) == n)
		return;
	/* libcsv stops at the byte it refused: a quote after a blank? */
	blank_quote = m > 0 && m < n && s[m] == q &&
	    blank((unsigned char)s[m - 1]);
	if (csv_error(&rd->p) != CSV_EPARSE) {
		if (rd->status == 0)
			sl_err("%s: %s", rd->path,
			    csv_strerror(csv_error(&rd->p)));
		rd->status = EXIT_IO;
		return;
	}
	rd->recline = rd->line;
	bad(rd, EXIT_STREAM, "field %zu: malformed quoting: a quote inside "
	    "an unquoted field, or text after a closing quote%s", rd->nf + 1,
	    blank_quote && !rd->o->trim ? " (--trim reads a blank before a "
	    "quote as outside the field)" : "");
}

/* Whether libcsv is inside a quoted field, where escapes count. */
static bool
in_quotes(const struct reader *rd)
{
	return rd->p.pstate == FIELD_BEGUN && rd->p.quoted;
}

/*
 * The byte after an escape inside quotes: a quote goes to libcsv as a
 * doubled quote, the escape as itself; before anything else the escape
 * is an ordinary byte (COPY's rule), and c is left to the caller.
 * Returns whether c was used.
 */
static bool
unescape(struct reader *rd, char c)
{
	char q = rd->o->quote ? rd->o->quote : '"';
	char two[2] = { q, q };

	if (c == q) {
		parse(rd, two, 2);
		return true;
	}
	parse(rd, &rd->o->escape, 1);
	return c == rd->o->escape;
}

/* Feeds n bytes with --escape: libcsv sees the escapes undone. */
static void
feed_escaped(struct reader *rd, const char *s, size_t n)
{
	const char *e;
	size_t k;

	if (rd->esc_open && n > 0) {
		rd->esc_open = false;
		if (unescape(rd, *s)) {
			s++;
			n--;
		}
	}
	while (n > 0 && rd->status == 0) {
		if ((e = memchr(s, rd->o->escape, n)) == NULL) {
			parse(rd, s, n);
			return;
		}
		k = (size_t)(e - s);
		parse(rd, s, k);
		s += k + 1;
		n -= k + 1;
		if (!in_quotes(rd))
			parse(rd, e, 1);
		else if (n == 0)
			rd->esc_open = true;	/* the next read says */
		else if (unescape(rd, *s)) {
			s++;
			n--;
		}
	}
}

/* Feeds one piece of input, which ends a line or the buffer. */
static void
feed(struct reader *rd, const char *s, size_t n)
{
	char q = rd->o->quote ? rd->o->quote : '"';

	if (rd->p.pstate == ROW_NOT_BEGUN)	/* a record begins here */
		rd->recline = rd->line;
	if (rd->o->escape != 0 && rd->o->escape != q)
		feed_escaped(rd, s, n);
	else
		parse(rd, s, n);
}

/* Characters (UTF-8 lead bytes) in n bytes: a column for messages. */
static uint64_t
nchars(const char *s, size_t n)
{
	uint64_t c = 0;
	size_t i;

	for (i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xc0) != 0x80;
	return c;
}

/* Skips a UTF-8 byte order mark at the start of the input. */
static size_t
bom(const char *p, size_t n)
{
	return n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
}

/*
 * Feeds UTF-8 (or, without --encoding, whatever the file holds) line
 * by line, after the BOM and the lines --skip skips; false once an
 * error is set.
 */
static bool
feed_buf(struct reader *rd, const char *s, size_t n)
{
	const char *nl;
	size_t len;

	if (rd->first && n > 0) {
		len = bom(s, n);
		s += len;
		n -= len;
		rd->first = false;
	}
	while (n > 0 && rd->status == 0) {
		nl = memchr(s, '\n', n);
		len = nl != NULL ? (size_t)(nl - s) + 1 : n;
		if (rd->skip == 0)
			feed(rd, s, len);
		if (nl == NULL) {
			if (rd->cd != (iconv_t)-1)
				rd->chars += nchars(s, n);
			break;
		}
		rd->chars = 0;
		rd->line++;
		if (rd->skip > 0)
			rd->skip--;
		n -= len;
		s += len;
	}
	return rd->status == 0;
}

/* A byte iconv cannot convert, at the line and column it would be. */
static void
bad_byte(struct reader *rd, unsigned char c)
{
	rd->recline = rd->line;
	if (rd->status == 0)
		sl_err("%s: line %" PRIu64 ", column %" PRIu64 " (field %zu): "
		    "byte 0x%02x is not %s", rd->path, rd->line, rd->chars + 1,
		    rd->p.pstate == ROW_NOT_BEGUN ? (size_t)1 : rd->nf + 1,
		    c, rd->o->encoding);
	rd->status = EXIT_STREAM;
}

/*
 * Converts the rd->nib bytes waiting in rd->ib and feeds them; a
 * character cut by the end of ib waits there for more.
 */
static void
convert(struct reader *rd)
{
	char *in = rd->ib, *out;
	size_t left = rd->nib, room, r;
	int e;

	while (left > 0 && rd->status == 0) {
		out = rd->ob;
		room = IBUF;
		r = iconv(rd->cd, &in, &left, &out, &room);
		e = r == (size_t)-1 ? errno : 0;
		if (e == EILSEQ) {
			feed_buf(rd, rd->ob, (size_t)(out - rd->ob));
			bad_byte(rd, (unsigned char)*in);
			return;
		}
		if (!feed_buf(rd, rd->ob, (size_t)(out - rd->ob)))
			return;
		if (e == EINVAL)
			break;		/* a partial character: keep it */
	}
	memmove(rd->ib, in, left);
	rd->nib = left;
}

/* Feeds n input bytes, through iconv with --encoding. */
static bool
pump(struct reader *rd, const char *p, size_t n)
{
	size_t k;

	if (rd->cd == (iconv_t)-1)
		return feed_buf(rd, p, n);
	while (n > 0 && rd->status == 0) {
		k = IBUF + ISLACK - rd->nib;
		k = k < n ? k : n;
		memcpy(rd->ib + rd->nib, p, k);
		rd->nib += k;
		p += k;
		n -= k;
		convert(rd);
		if (rd->nib > ISLACK && rd->status == 0) {
			bad_byte(rd, (unsigned char)rd->ib[0]);
			return false;
		}
	}
	return rd->status == 0;
}

/* The end of the input for iconv: no partial character, a reset. */
static void
pump_end(struct reader *rd)
{
	char *out = rd->ob;
	size_t room = IBUF;

	if (rd->cd == (iconv_t)-1 || rd->status != 0)
		return;
	if (rd->nib > 0) {
		bad_byte(rd, (unsigned char)rd->ib[0]);
		return;
	}
	if (iconv(rd->cd, NULL, NULL, &out, &room) == (size_t)-1)
		bad_byte(rd, 0);
	else
		feed_buf(rd, rd->ob, (size_t)(out - rd->ob));
}

/* iconv for --encoding; false (reported) for an encoding it lacks. */
static bool
open_iconv(struct reader *rd)
{
	const char *enc = rd->o->encoding;

	if (enc == NULL)
		return true;
	if ((rd->cd = iconv_open("UTF-8", enc)) == (iconv_t)-1) {
		sl_err("--encoding: iconv knows no encoding \"%s\" (iconv -l "
		    "lists them)", enc);
		rd->status = EXIT_USAGE;
		return false;
	}
	if ((rd->ib = malloc(IBUF + ISLACK)) == NULL ||
	    (rd->ob = malloc(IBUF)) == NULL) {
		oom(rd);
		return false;
	}
	return true;
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
	rd->skip = o->skip;
	rd->first = true;
	rd->cd = (iconv_t)-1;
	if (o->nullstr == NULL)
		opts |= CSV_EMPTY_IS_NULL;
	if (csv_init(&rd->p, opts) != 0) {
		oom(rd);
		return false;
	}
	csv_set_delim(&rd->p, (unsigned char)(o->delim ? o->delim : ','));
	csv_set_quote(&rd->p, (unsigned char)(o->quote ? o->quote : '"'));
	csv_set_space_func(&rd->p, !o->trim ? no_space : o->delim == '\t' ?
	    space : blank);
	if (!open_iconv(rd))
		return false;
	if (!o->header)
		begin(rd, o->ncols, o->cols);
	return rd->status == 0;
}

/* Ends the input: the last record, the trailer; returns the status. */
static int
finish(struct reader *rd)
{
	pump_end(rd);
	if (rd->esc_open && rd->status == 0)
		parse(rd, &rd->o->escape, 1);
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
	if (rd->cd != (iconv_t)-1)
		iconv_close(rd->cd);
	csv_free(&rd->p);
	rs_header_free(rd->h);
	rs_header_free(rd->rh);
	free(rd->map);
	free(rd->f);
	free(rd->ib);
	free(rd->ob);
	sl_buf_free(&rd->data);
	sl_buf_free(&rd->conv);
	sl_buf_free(&rd->rvals);
	return rd->status;
}

int
csvx_read(const struct csvx_opts *o, struct rs_writer *w)
{
	static char buf[1 << 16];
	struct reader rd;
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
			if (!pump(&rd, buf, (size_t)n))
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

	if (start(&rd, o, w))
		pump(&rd, p, n);
	return finish(&rd);
}
