/*
 * Unit tests of the text dump source (lib/textdump.c): COPY text format
 * and mysql --batch lines written to a file, read with td_open/td_copy
 * into a stream in memory, compared as text (rows.h).
 */
#include <string.h>
#include <unistd.h>

#include "exitcodes.h"
#include "rows.h"
#include "textdump.h"
#include "unit.h"

static char path[] = "/tmp/sluice-textdump-XXXXXX";
static struct sl_buf got;

/* Reads input; cols is -c ("a,b"), retype the first column's type. */
static int
run_td(const char *input, bool header, const char *cols, const char *null,
    const char *retype)
{
	struct td_spec sp = { .path = path, .header = header, .null = null,
	    .table = "t" };
	struct sl_buf stream = { 0 };
	struct sl_progress pg = { 0 };
	char copy[256], *names[16], *save = NULL;
	struct rs_writer *w;
	struct td *t;
	FILE *fp = fopen(path, "w");
	int status;

	fputs(input, fp);
	fclose(fp);
	sl_buf_reset(&got);
	if (cols != NULL) {
		snprintf(copy, sizeof(copy), "%s", cols);
		for (names[0] = strtok_r(copy, ",", &save); names[sp.ncols];)
			names[++sp.ncols] = strtok_r(NULL, ",", &save);
		sp.cols = (const char *const *)names;
	}
	if ((t = td_open(&sp, &status)) == NULL)
		return status;
	if (retype != NULL)
		rs_header_setcol(td_header(t), 0, td_header(t)->cols[0].name,
		    retype);
	w = rs_wopen_buf(&stream);
	status = td_copy(t, w, &pg);
	if (status == EXIT_OK && (!rs_wfinish(w) || !rows_text(&stream, &got)))
		status = -1;
	rs_wclose(w);
	td_free(t);
	sl_buf_free(&stream);
	return status;
}

#define EXPECT(want) CHECKF(got.p != NULL && strcmp(got.p, want) == 0, \
    "got\n%s", got.p != NULL ? got.p : "nothing")

static void
test_escapes(void)
{
	CHECK(run_td("a\tb\n1\\n2\tx\\ty\n\\\\\t\\101\\x42\\b\\f\\v\\r\n",
	    true, NULL, NULL, NULL) == EXIT_OK);
	EXPECT("a:text,b:text\n1\n2|x\ty\n\\|AB\b\f\v\r\n");
}

static void
test_nulls(void)
{
	CHECK(run_td("\\N\t\\\\N\t\n", false, "a,b,c", NULL, NULL) ==
	    EXIT_OK);
	EXPECT("a:text,b:text,c:text\n\\N|\\N|\n");	/* b is \ then N */
	CHECK(run_td("id\tn\n1\tNULL\n", true, NULL, "NULL", "int8") ==
	    EXIT_OK);
	EXPECT("id:int8,n:text\n1|\\N\n");
}

static void
test_end_and_crlf(void)
{
	CHECK(run_td("1\r\n2\n\\.\n3\tnot read\n", false, "n", NULL, "int4") ==
	    EXIT_OK);
	EXPECT("n:int4\n1\n2\n");
}

static void
test_header_columns(void)
{
	CHECK(run_td("a\tb\tc\n1\t2\t3\n", true, "c,a", NULL, NULL) ==
	    EXIT_OK);
	EXPECT("c:text,a:text\n3|1\n");
	CHECK(run_td("a\tb\n1\t2\n", true, "z", NULL, NULL) == EXIT_USAGE);
	CHECK(run_td("", true, NULL, NULL, NULL) == EXIT_STREAM);
}

static void
test_bad_lines(void)
{
	CHECK(run_td("a\tb\n1\t2\n1\n", true, NULL, NULL, NULL) ==
	    EXIT_STREAM);
	CHECKF(strstr(sl_lasterr(), "line 3: 1 field, expected 2") != NULL,
	    "%s", sl_lasterr());
	CHECK(run_td("x\n", false, "n", NULL, "int8") == EXIT_STREAM);
	CHECK(run_td("\\377\n", false, "s", NULL, NULL) == EXIT_STREAM);
}

int
main(void)
{
	int fd;

	sl_setprogname("textdump");
	sl_err_quiet(true);
	if ((fd = mkstemp(path)) < 0)
		return 1;
	close(fd);
	run("textdump: backslash escapes undone", test_escapes);
	run("textdump: \\N or --null is NULL, \\\\N and empty are not",
	    test_nulls);
	run("textdump: \\. ends the data, CRLF lines", test_end_and_crlf);
	run("textdump: a header line, and columns chosen from it",
	    test_header_columns);
	run("textdump: bad lines named", test_bad_lines);
	unlink(path);
	sl_buf_free(&got);
	return unit_bad ? 1 : 0;
}
