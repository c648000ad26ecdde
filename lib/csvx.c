/*
 * csvx.c: the CSV reader's input layer (csvx.h has the contract; the
 * records libcsv parses become headers, rows and rejects in
 * lib/csvx_rec.c, and lib/csvx_int.h is what the two share).
 *
 * The bytes go through three steps before libcsv: iconv (--encoding,
 * into a reused buffer; a partial character waits for the next read),
 * the lines skipped and the BOM, and the escape character (libcsv knows
 * only doubled quotes: inside a quoted field, an escaped quote is given
 * to libcsv as a doubled one, an escaped escape as itself).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvx_int.h"

/* libcsv's parser states (libcsv.c); its header does not name them. */
enum { ROW_NOT_BEGUN, FIELD_NOT_BEGUN, FIELD_BEGUN, FIELD_MIGHT_HAVE_ENDED };

#define IBUF	(1 << 16)	/* iconv's buffers */
#define ISLACK	32		/* room for a partial character */

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
	if ((m = csv_parse(&rd->p, s, n, csvx_on_field, csvx_on_record,
	    rd)) == n)
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
		csvx_begin(rd, o->ncols, o->cols);
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
	if (rd->status == 0 && csv_fini(&rd->p, csvx_on_field,
	    csvx_on_record, rd) != 0)
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
