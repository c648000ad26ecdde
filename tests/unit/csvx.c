/*
 * csvx: the CSV reader without a program around it: names from a header
 * line or the caller, NULLs, types, the line a bad record is on, a
 * record of the wrong width writing nothing, and the dialects.
 */
#include <string.h>

#include "csvx.h"
#include "exitcodes.h"
#include "unit.h"

/* Reads csv with o into a stream; returns the status, the rows in *rows. */
static int
readcsv(struct csvx_opts *o, const char *csv, struct sl_buf *out)
{
	struct rs_writer *w = rs_wopen_buf(out);
	int st;

	st = csvx_read_mem(o, csv, strlen(csv), w);
	if (st == EXIT_OK)
		CHECK(rs_wfinish(w));
	rs_wclose(w);
	return st;
}

static int
int8_first(struct rs_header *h, void *arg)
{
	(void)arg;
	return rs_header_setcol(h, 0, h->cols[0].name, "int8") ? EXIT_OK :
	    EXIT_IO;
}

static void
test_header_line(void)
{
	struct csvx_opts o = { .path = "t.csv", .header = true,
	    .prepare = int8_first };
	struct sl_buf b = { 0 };
	struct rs_reader *r;
	const struct rs_row *row;

	CHECK(readcsv(&o, "\xef\xbb\xbfid,name\r\n1,\"a,b\"\r\n2,\r\n", &b) ==
	    EXIT_OK);
	r = rs_memopen(b.p, b.len, "t", 0);
	CHECK(rs_next(r) == RS_HEADER);
	CHECK(strcmp(rs_header(r)->table, "t") == 0);
	CHECK(rs_header(r)->ncols == 2 &&
	    strcmp(rs_header(r)->cols[0].type, "int8") == 0 &&
	    strcmp(rs_header(r)->cols[1].name, "name") == 0);
	CHECK(rs_next(r) == RS_ROW);
	row = rs_row(r);
	CHECK(row->v[0].via.i64 == 1 && row->v[1].via.str.size == 3 &&
	    memcmp(row->v[1].via.str.ptr, "a,b", 3) == 0);
	CHECK(rs_next(r) == RS_ROW);
	CHECK(rs_row(r)->v[1].type == MSGPACK_OBJECT_NIL);
	CHECK(rs_next(r) == RS_TRAILER && rs_next(r) == RS_EOF);
	rs_close(r);
	sl_buf_free(&b);
}

static void
test_caller_names(void)
{
	static const char *const cols[] = { "x", "y" };
	struct csvx_opts o = { .path = "-", .ncols = 2, .cols = cols,
	    .delim = ';', .nullstr = "NULL" };
	struct sl_buf b = { 0 };
	struct rs_reader *r;

	CHECK(readcsv(&o, "NULL;\n", &b) == EXIT_OK);
	r = rs_memopen(b.p, b.len, "t", 0);
	CHECK(rs_next(r) == RS_HEADER);
	CHECK(strcmp(rs_header(r)->table, "stdin") == 0);
	CHECK(rs_next(r) == RS_ROW);
	CHECK(rs_row(r)->v[0].type == MSGPACK_OBJECT_NIL);
	CHECK(rs_row(r)->v[1].type == MSGPACK_OBJECT_STR &&
	    rs_row(r)->v[1].via.str.size == 0);
	rs_close(r);
	sl_buf_free(&b);
}

static void
test_errors(void)
{
	static const char *const sel[] = { "nosuch" };
	struct csvx_opts o = { .path = "t.csv", .header = true };
	struct sl_buf b = { 0 };

	CHECK(readcsv(&o, "a,b\n1,2\n3\n", &b) == EXIT_STREAM);
	CHECKF(strstr(sl_lasterr(), "t.csv: line 3: 1 field, expected 2") !=
	    NULL, "%s", sl_lasterr());
	sl_buf_reset(&b);
	CHECK(readcsv(&o, "a,b\n\"1,2\n", &b) == EXIT_STREAM);
	CHECK(strstr(sl_lasterr(), "not closed") != NULL);
	sl_buf_reset(&b);
	CHECK(readcsv(&o, "a,b\n1\"x,2\n", &b) == EXIT_STREAM);
	CHECK(strstr(sl_lasterr(), "line 2: field 1: malformed quoting") !=
	    NULL);
	sl_buf_reset(&b);
	o.prepare = int8_first;
	CHECK(readcsv(&o, "a,b\n1,2\nx,3\n", &b) == EXIT_STREAM);
	CHECK(strstr(sl_lasterr(), "line 3: column \"a\" (int8): \"x\" is "
	    "not a valid int8") != NULL);
	sl_buf_reset(&b);
	CHECK(readcsv(&o, "", &b) == EXIT_STREAM);
	CHECK(strstr(sl_lasterr(), "no header line") != NULL);
	sl_buf_reset(&b);
	o.prepare = NULL;
	o.ncols = 1;
	o.cols = sel;
	CHECK(readcsv(&o, "a,b\n", &b) == EXIT_USAGE);
	CHECK(strstr(sl_lasterr(), "no column \"nosuch\"") != NULL);
	sl_buf_free(&b);
}

/* The rows of stream b, a line each: fields joined by |, NULL as \\N. */
static void
shown(const struct sl_buf *b, struct sl_buf *txt)
{
	struct rs_reader *r = rs_memopen(b->p, b->len, "t", 0);
	const struct rs_row *row;
	enum rs_event ev;
	size_t i;

	sl_buf_reset(txt);
	while ((ev = rs_next(r)) > 0) {
		if (ev != RS_ROW)
			continue;
		row = rs_row(r);
		for (i = 0; i < rs_header(r)->ncols; i++) {
			if (i > 0)
				CHECK(sl_buf_adds(txt, "|"));
			CHECK(row->v[i].type == MSGPACK_OBJECT_NIL ?
			    sl_buf_adds(txt, "\\N") : sl_buf_add(txt,
			    row->v[i].via.str.ptr, row->v[i].via.str.size));
		}
		CHECK(sl_buf_adds(txt, "\n"));
	}
	CHECK(ev == RS_EOF);
	CHECK(sl_buf_cstr(txt));
	rs_close(r);
}

static const struct {
	const char	*what, *csv, *want;	/* want NULL: an error */
	char		 quote, escape;
	bool		 trim;
	const char	*encoding;
	uint64_t	 skip;
	enum csvx_ragged ragged;
} dialects[] = {
	{ "trim", "a,b\n  x , \"y \" \n", "x|y \n", 0, 0, true, NULL, 0, 0 },
	{ "no trim", "a,b\n x , y\n", " x | y\n", 0, 0, false, NULL, 0, 0 },
	{ "blank quote", "a,b\nx, \"y\"\n", NULL, 0, 0, false, NULL, 0, 0 },
	{ "quote", "a,b\n'x,''y',z\n", "x,'y|z\n", '\'', 0, false, NULL,
	    0, 0 },
	{ "escape", "a,b\n\"\\\"q\\\\\\x\",x\\y\n", "\"q\\\\x|x\\y\n", 0,
	    '\\', false, NULL, 0, 0 },
	{ "latin1", "a\n\xa5\n", "\xc2\xa5\n", 0, 0, false, "LATIN1", 0, 0 },
	{ "skip", "x\n\"\na\n1\n", "1\n", 0, 0, false, NULL, 2, 0 },
	{ "ragged null", "a,b\n1\n2,3,\n", "1|\\N\n2|3\n", 0, 0, false,
	    NULL, 0, CSVX_RAGGED_NULL },
	{ "ragged null, a value", "a,b\n2,3,4\n", NULL, 0, 0, false, NULL, 0,
	    CSVX_RAGGED_NULL },
};

static void
test_dialects(void)
{
	struct sl_buf b = { 0 }, txt = { 0 };
	struct csvx_opts o;
	size_t i;
	int st;

	for (i = 0; i < sizeof(dialects) / sizeof(dialects[0]); i++) {
		o = (struct csvx_opts){ .path = "t.csv", .header = true,
		    .quote = dialects[i].quote, .escape = dialects[i].escape,
		    .trim = dialects[i].trim, .encoding = dialects[i].encoding,
		    .skip = dialects[i].skip, .ragged = dialects[i].ragged };
		sl_buf_reset(&b);
		st = readcsv(&o, dialects[i].csv, &b);
		if (dialects[i].want == NULL) {
			CHECKF(st == EXIT_STREAM, "%s", dialects[i].what);
			continue;
		}
		CHECKF(st == EXIT_OK, "%s: %s", dialects[i].what,
		    sl_lasterr());
		if (st != EXIT_OK)
			continue;
		shown(&b, &txt);
		CHECKF(strcmp(txt.p, dialects[i].want) == 0, "%s: %s",
		    dialects[i].what, txt.p);
	}
	o = (struct csvx_opts){ .path = "t.csv", .header = true,
	    .encoding = "ASCII" };
	sl_buf_reset(&b);
	CHECK(readcsv(&o, "a,b\n1,x\xff\n", &b) == EXIT_STREAM);
	CHECKF(strstr(sl_lasterr(), "t.csv: line 2, column 4 (field 2): byte "
	    "0xff is not ASCII") != NULL, "%s", sl_lasterr());
	sl_buf_free(&b);
	sl_buf_free(&txt);
}

int
main(void)
{
	sl_setprogname("unit");
	sl_err_quiet(true);
	run("csvx: a header line, BOM, CRLF, quotes, NULL, types", test_header_line);
	run("csvx: the caller's names, a delimiter, a null string", test_caller_names);
	run("csvx: wrong width, open quote, bad quoting, bad value, no header, a name the line lacks",
	    test_errors);
	run("csvx: trim, quote, escape, encoding, skip, ragged", test_dialects);
	return unit_bad ? 1 : 0;
}
