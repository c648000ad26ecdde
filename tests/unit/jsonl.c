/*
 * Unit tests of the JSON lines source (lib/jsonl.c): each case writes
 * its lines to a file, reads it with jsonl_open/jsonl_copy into a
 * stream in memory, and compares the rows as text (rows.h).
 */
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "exitcodes.h"
#include "jsonl.h"
#include "rows.h"
#include "unit.h"

static char path[] = "/tmp/sluice-jsonl-XXXXXX";
static struct sl_buf got;

/* Reads input with the column list cols (and unwind); the status. */
static int
run_jsonl(const char *input, const char *cols, const char *uw,
    const char *retype)
{
	struct jsonl_spec sp = { .path = path, .cols = cols, .unwind = uw,
	    .table = "t" };
	struct sl_buf stream = { 0 };
	struct rs_writer *w;
	struct sl_progress pg = { 0 };
	struct jsonl *j;
	FILE *fp = fopen(path, "w");
	int status;

	fputs(input, fp);
	fclose(fp);
	sl_buf_reset(&got);
	if ((j = jsonl_open(&sp, &status)) == NULL)
		return status;
	if (retype != NULL)	/* "COLUMN:TYPE", as --types */
		rs_header_setcol(jsonl_header(j), 0,
		    jsonl_header(j)->cols[0].name, retype);
	w = rs_wopen_buf(&stream);
	status = jsonl_copy(j, w, &pg);
	if (status == EXIT_OK && (!rs_wfinish(w) || !rows_text(&stream, &got)))
		status = -1;
	rs_wclose(w);
	jsonl_free(j);
	sl_buf_free(&stream);
	return status;
}

#define EXPECT(want) CHECKF(got.p != NULL && strcmp(got.p, want) == 0, \
    "got\n%s", got.p != NULL ? got.p : "nothing")

static void
test_extended_json(void)
{
	CHECK(run_jsonl("{\"_id\":{\"$oid\":\"5f1a\"},"
	    "\"c\":{\"$date\":\"2024-01-02T10:00:00Z\"},"
	    "\"n\":{\"$numberLong\":\"7\"},\"i\":{\"$numberInt\":\"-3\"},"
	    "\"f\":{\"$numberDouble\":\"-Infinity\"},"
	    "\"m\":{\"$numberDecimal\":\"1.10\"},"
	    "\"b\":{\"$binary\":{\"base64\":\"AP8=\",\"subType\":\"00\"}}}\n",
	    "_id.$oid AS id, c.$date, n.$numberLong, i.$numberInt, "
	    "f.$numberDouble, m.$numberDecimal, b.$binary", NULL, NULL) ==
	    EXIT_OK);
	EXPECT("id:text,c:timestamptz,n:int8,i:int8,f:float8,m:numeric,"
	    "b:bytea\n5f1a|2024-01-02 10:00:00+00|7|-3|-Infinity|1.10|\\x00ff\n");
}

static void
test_dates(void)
{
	CHECK(run_jsonl("{\"d\":{\"$date\":{\"$numberLong\":\"1704189600123\"}}}\n"
	    "{\"d\":{\"$date\":\"2024-01-02T11:30:00.5+01:30\"}}\n"
	    "{\"d\":{\"$date\":-62135596800001}}\n", "d", NULL, NULL) == EXIT_OK);
	EXPECT("d:text\n2024-01-02 10:00:00.123+00\n2024-01-02 10:00:00.5+00\n"
	    "0001-12-31 23:59:59.999+00 BC\n");
	CHECK(run_jsonl("{\"d\":{\"$date\":\"2023-02-29T00:00:00Z\"}}\n", "d",
	    NULL, NULL) == EXIT_STREAM);
}

static void
test_paths(void)
{
	CHECK(run_jsonl("{\"a\":{\"b\":{\"c\":1}},\"l\":[10,{\"x\":\"y\"}],"
	    "\"t\":true,\"z\":null}\n{}\n",
	    "a.b.c AS c, l.1.x, l.0 AS first, a.b AS doc, t, z, a.q.r",
	    NULL, NULL) == EXIT_OK);
	EXPECT("c:text,x:text,first:text,doc:text,t:text,z:text,r:text\n"
	    "1|y|10|{\"c\":1}|true|\\N|\\N\n\\N|\\N|\\N|\\N|\\N|\\N|\\N\n");
}

static void
test_unwind(void)
{
	CHECK(run_jsonl("{\"id\":1,\"e\":[{\"g\":\"A\"},{\"g\":\"B\"}]}\n"
	    "{\"id\":2,\"e\":[]}\n{\"id\":3}\n{\"id\":4,\"e\":null}\n"
	    "{\"id\":5,\"e\":{\"g\":\"C\"}}\n", "id, e.g AS grade", "e", NULL) ==
	    EXIT_OK);
	EXPECT("id:text,grade:text\n1|A\n1|B\n5|C\n");
	CHECK(run_jsonl("{\"tags\":[\"x\",\"y\"]}\n", "tags AS tag", "tags",
	    NULL) == EXIT_OK);
	EXPECT("tag:text\nx\ny\n");
}

static void
test_types(void)
{
	CHECK(run_jsonl("{\"n\":7}\n{\"n\":\"8\"}\n", "n", NULL, "int4") ==
	    EXIT_OK);
	EXPECT("n:int4\n7\n8\n");
	CHECK(run_jsonl("{\"n\":7.5}\n", "n", NULL, "int8") == EXIT_STREAM);
	CHECK(run_jsonl("{\"n\":70000}\n", "n", NULL, "int2") == EXIT_STREAM);
	CHECK(run_jsonl("{\"n\":{\"a\":[1, 2]}}\n", "n", NULL, "jsonb") ==
	    EXIT_OK);
	EXPECT("n:jsonb\n{\"a\":[1,2]}\n");
	CHECK(run_jsonl("{\"n\":1.50}\n", "n", NULL, NULL) == EXIT_OK);
	EXPECT("n:text\n1.50\n");	/* a number's text as written */
}

static void
test_bad_lines(void)
{
	CHECK(run_jsonl("{\"a\":1}\n{\"a\":\n", "a", NULL, NULL) ==
	    EXIT_STREAM);
	CHECKF(strstr(sl_lasterr(), "line 2, byte 13:") != NULL, "%s",
	    sl_lasterr());
	CHECK(run_jsonl("[1]\n", "a", NULL, NULL) == EXIT_STREAM);
	CHECK(run_jsonl("{\"a\":1} 2\n", "a", NULL, NULL) == EXIT_STREAM);
	CHECK(run_jsonl("{\"a\":1}\n\n", "a", NULL, NULL) == EXIT_OK);
	CHECK(run_jsonl("", "a..b", NULL, NULL) == EXIT_USAGE);
	CHECK(run_jsonl("", "a AS", NULL, NULL) == EXIT_USAGE);
	CHECK(run_jsonl("", "a,", NULL, NULL) == EXIT_USAGE);
}

int
main(void)
{
	int fd;

	sl_setprogname("jsonl");
	sl_err_quiet(true);
	if ((fd = mkstemp(path)) < 0)
		return 1;
	close(fd);
	run("jsonl: every Extended JSON wrapper, and its column's type",
	    test_extended_json);
	run("jsonl: $date's three forms, offsets, BC", test_dates);
	run("jsonl: nested paths, array elements, documents, missing paths",
	    test_paths);
	run("jsonl: unwind, as MongoDB's $unwind", test_unwind);
	run("jsonl: retyped columns", test_types);
	run("jsonl: bad lines and bad column lists", test_bad_lines);
	unlink(path);
	sl_buf_free(&got);
	return unit_bad ? 1 : 0;
}
