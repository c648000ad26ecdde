/*
 * textdump.c: COPY text format and mysql --batch output, line by line,
 * into row stream rows. See textdump.h.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "exitcodes.h"
#include "lines.h"
#include "nidx.h"
#include "pgx.h"
#include "textdump.h"
#include "textval.h"
#include "value.h"

struct field {
	const char	*p;
	size_t		 len;
};

struct td {
	struct sl_lines		*in;
	struct rs_header	*h;
	const char		*null;
	size_t			 nnull;
	size_t			 want;		/* fields a line has */
	size_t			*map;		/* column -> field */
	struct field		*f;		/* the line's fields */
	struct sl_buf		 text;		/* a field, unescaped */
	struct sl_buf		 conv;		/* a bytea value */
};

/* Splits the line at its tabs into t->f; returns the number of fields. */
static size_t
split(struct td *t, const char *line, size_t len)
{
	const char *p = line, *end = line + len, *tab;
	size_t n = 0;

	for (;;) {
		if ((tab = memchr(p, '\t', (size_t)(end - p))) == NULL)
			tab = end;
		if (n < t->want)
			t->f[n] = (struct field){ p, (size_t)(tab - p) };
		n++;
		if (tab == end)
			return n;
		p = tab + 1;
	}
}

/* The field's text with its escapes undone: in place or in t->text. */
static bool
unescape(struct td *t, struct field *f)
{
	if (memchr(f->p, '\\', f->len) == NULL)
		return true;
	if (!pgx_copy_unescape(&t->text, f->p, f->len))
		return false;
	f->p = t->text.p;
	f->len = t->text.len;
	return true;
}

static bool
is_null(const struct td *t, const struct field *f)
{
	return f->len == t->nnull && memcmp(f->p, t->null, t->nnull) == 0;
}

/*
 * The header: the first line's names (or none), with sp->cols the ones
 * kept; or sp->cols alone.
 */
static int
make_header(struct td *t, const struct td_spec *sp, size_t n,
    char *const *names)
{
	struct sl_nidx *x = NULL;
	size_t i, ncols = sp->ncols > 0 ? sp->ncols : n;
	long j;
	int status = EXIT_IO;

	if ((t->h = rs_header_new(sp->table, ncols)) == NULL ||
	    !rs_header_setsource(t->h, t->in->path) ||
	    (t->map = calloc(ncols + 1, sizeof(*t->map))) == NULL ||
	    (names != NULL && (x = sl_nidx_new(n)) == NULL))
		goto out;
	for (i = 0; names != NULL && i < n; i++)
		if (sl_nidx_add(x, names[i], i) < 0)
			goto out;
	for (i = 0; i < ncols; i++) {
		j = (long)i;
		if (sp->ncols > 0 && names != NULL &&
		    (j = sl_nidx_find(x, sp->cols[i])) < 0) {
			sl_err("--columns: no column \"%s\" in the header "
			    "line of %s", sp->cols[i], t->in->path);
			status = EXIT_USAGE;
			goto out;
		}
		t->map[i] = (size_t)j;
		if (!rs_header_setcol(t->h, i, sp->ncols > 0 ? sp->cols[i] :
		    names[i], "text"))
			goto out;
	}
	t->want = n;
	status = EXIT_OK;
out:
	if (status == EXIT_IO && t->h != NULL)
		sl_err("out of memory");
	sl_nidx_free(x);
	return status;
}

/* Grows the fields array to n. */
static bool
grow_fields(struct td *t, size_t n)
{
	if ((t->f = calloc(n, sizeof(*t->f))) == NULL) {
		sl_err("out of memory");
		return false;
	}
	return true;
}

/* Reads the first line's names, each unescaped, into a header. */
static int
header_line(struct td *t, const struct td_spec *sp)
{
	char **names, show[SL_PRINTABLE];
	const char *line;
	size_t len, n, i;
	int rc, status = EXIT_IO;

	if ((rc = sl_lines_next(t->in, &line, &len)) <= 0) {
		if (rc == 0)
			sl_err("%s: no header line", t->in->path);
		return rc == 0 ? EXIT_STREAM : EXIT_IO;
	}
	for (n = 1, i = 0; i < len; i++)
		n += line[i] == '\t';
	t->want = n;
	if (!grow_fields(t, n) || (names = calloc(n, sizeof(*names))) == NULL)
		return EXIT_IO;
	split(t, line, len);
	for (i = 0; i < n; i++) {
		if (!unescape(t, &t->f[i]))
			goto out;
		if (!sl_text_valid(t->f[i].p, t->f[i].len)) {
			sl_err("%s: line 1: header field %zu, \"%s\", is not "
			    "UTF-8 or holds a NUL byte, which a column name "
			    "cannot", t->in->path, i + 1, sl_printable(show,
			    sizeof(show), t->f[i].p, t->f[i].len));
			status = EXIT_STREAM;
			goto out;
		}
		if ((names[i] = strndup(t->f[i].p, t->f[i].len)) == NULL) {
			sl_err("out of memory");
			goto out;
		}
	}
	status = make_header(t, sp, n, names);
out:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return status;
}

struct td *
td_open(const struct td_spec *sp, int *status)
{
	struct td *t;

	if ((t = calloc(1, sizeof(*t))) == NULL) {
		sl_err("out of memory");
		*status = EXIT_IO;
		return NULL;
	}
	t->null = sp->null != NULL ? sp->null : "\\N";
	t->nnull = strlen(t->null);
	if ((t->in = sl_lines_open(sp->path)) == NULL)
		*status = EXIT_IO;
	else if (sp->header)
		*status = header_line(t, sp);
	else if ((*status = make_header(t, sp, sp->ncols, NULL)) == EXIT_OK)
		*status = grow_fields(t, sp->ncols) ? EXIT_OK : EXIT_IO;
	if (*status != EXIT_OK) {
		td_free(t);
		return NULL;
	}
	return t;
}

struct rs_header *
td_header(struct td *t)
{
	return t->h;
}

void
td_free(struct td *t)
{
	if (t == NULL)
		return;
	sl_lines_close(t->in);
	rs_header_free(t->h);
	free(t->map);
	free(t->f);
	sl_buf_free(&t->text);
	sl_buf_free(&t->conv);
	free(t);
}

/* Reports a field that is no value of its column. */
static int
bad_value(const struct td *t, const struct rs_col *col, const char *s,
    size_t n)
{
	char cname[SL_PRINTABLE], val[SL_PRINTABLE];

	sl_err("%s: line %" PRIu64 ": column \"%s\" (%s): \"%s\" is not a "
	    "valid %s%s", t->in->path, t->in->lineno, sl_printable(cname,
	    sizeof(cname), col->name, strlen(col->name)), col->type,
	    sl_printable(val, sizeof(val), s, n), col->type,
	    col->cls == RS_TEXT ? " (not UTF-8, or a NUL byte)" : "");
	return EXIT_STREAM;
}

/* One line into one row of w, or an error naming the line. */
static int
put_line(struct td *t, const char *line, size_t len, struct rs_writer *w)
{
	const struct rs_header *h = rs_wheader(w);
	struct field f;
	size_t i, n = split(t, line, len);

	if (n != t->want) {
		sl_err("%s: line %" PRIu64 ": %zu field%s, expected %zu",
		    t->in->path, t->in->lineno, n, n == 1 ? "" : "s",
		    t->want);
		return EXIT_STREAM;
	}
	if (!rs_row_begin(w))
		return EXIT_IO;
	for (i = 0; i < h->ncols; i++) {
		f = t->f[t->map[i]];
		if (is_null(t, &f)) {
			rs_put_nil(w);
			continue;
		}
		if (!unescape(t, &f))
			return EXIT_IO;
		if (!tv_put(w, &h->cols[i], f.p, f.len, &t->conv))
			return bad_value(t, &h->cols[i], f.p, f.len);
	}
	return rs_row_end(w) ? EXIT_OK : EXIT_IO;
}

int
td_copy(struct td *t, struct rs_writer *w, struct sl_progress *pg)
{
	const char *line;
	size_t len;
	int rc, status;

	if (!rs_begin(w, t->h))
		return EXIT_IO;
	while ((rc = sl_lines_next(t->in, &line, &len)) > 0) {
		if (len == 2 && line[0] == '\\' && line[1] == '.')
			break;
		if ((status = put_line(t, line, len, w)) != EXIT_OK)
			return status;
		sl_progress_update(pg, rs_wtotal_rows(w), rs_wbytes(w));
	}
	if (rc < 0)
		return EXIT_IO;
	return rs_end(w) ? EXIT_OK : EXIT_IO;
}
