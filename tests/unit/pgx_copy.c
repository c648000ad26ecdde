/*
 * Unit tests of the COPY text decoder (lib/pgx_copy.c): each line is
 * decoded into a one-row stream, which is read back and checked value
 * by value.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "err.h"
#include "pgx.h"
#include "rowstream.h"
#include "unit.h"

static struct sl_buf sbuf;
static struct rs_reader *rd;

/* A header from "name:type" strings. */
static struct rs_header *
hdr(size_t n, const char *const *cols)
{
	struct rs_header *h = rs_header_new("t", n);
	char name[64];
	const char *colon;
	size_t i;

	for (i = 0; i < n; i++) {
		colon = strchr(cols[i], ':');
		snprintf(name, sizeof(name), "%.*s", (int)(colon - cols[i]),
		    cols[i]);
		rs_header_setcol(h, i, name, colon + 1);
	}
	return h;
}

/*
 * Decodes line as row 7 of a table with columns cols; on success the
 * row is left in rd for the caller to look at. Returns what
 * pgx_decode_row returned.
 */
static bool
decode(size_t n, const char *const *cols, const char *line, size_t len)
{
	struct rs_header *h = hdr(n, cols);
	struct pgx_decoder *d = pgx_decoder_new(h);
	struct rs_writer *w;
	bool ok;

	rs_close(rd);
	rd = NULL;
	sl_buf_reset(&sbuf);
	w = rs_wopen_buf(&sbuf);
	CHECK(d != NULL && w != NULL);
	CHECK(rs_begin(w, h) && rs_row_begin(w));
	ok = pgx_decode_row(d, line, len, 7, w);
	if (ok) {
		CHECK(rs_row_end(w) && rs_end(w));
		CHECK(rs_wclose(w));
		rd = rs_memopen(sbuf.p, sbuf.len, "test", 0);
		CHECK(rs_next(rd) == RS_HEADER);
		CHECK(rs_next(rd) == RS_ROW);
	} else {
		rs_wclose(w);
	}
	pgx_decoder_free(d);
	rs_header_free(h);
	return ok;
}

static const msgpack_object *
val(size_t i)
{
	return &rs_row(rd)->v[i];
}

static bool
str_is(size_t i, const char *s, size_t n)
{
	return val(i)->type == MSGPACK_OBJECT_STR &&
	    val(i)->via.str.size == n && memcmp(val(i)->via.str.ptr, s, n) == 0;
}

static void
test_escapes(void)
{
	static const char *const cols[] = { "a:text", "b:text", "c:text" };
	static const char line[] =
	    "tab\\there\tnl\\nbs\\\\cr\\r\toct\\101\\7hex\\x41\\x4zq\\q\n";

	CHECK(decode(3, cols, line, sizeof(line) - 1));
	CHECK(str_is(0, "tab\there", 8));
	CHECK(str_is(1, "nl\nbs\\cr\r", 9));
	CHECK(str_is(2, "octA\7hexA\4zqq", 13));
}

static void
test_nulls(void)
{
	static const char *const cols[] = { "a:int8", "b:text", "c:text",
	    "d:bytea" };
	static const char line[] = "\\N\t\\\\N\t\t\\N\n";

	CHECK(decode(4, cols, line, sizeof(line) - 1));
	CHECK(val(0)->type == MSGPACK_OBJECT_NIL);
	CHECK(str_is(1, "\\N", 2));	/* an escaped backslash, then N */
	CHECK(str_is(2, "", 0));	/* the empty string is not NULL */
	CHECK(val(3)->type == MSGPACK_OBJECT_NIL);
}

static void
test_numbers(void)
{
	static const char *const cols[] = { "a:int2", "b:int8", "c:int8",
	    "d:float8", "e:float8", "f:float8", "g:float4", "h:oid" };
	static const char line[] = "-32768\t9223372036854775807\t"
	    "-9223372036854775808\tNaN\tInfinity\t-Infinity\t1.1\t4294967295";

	CHECK(decode(8, cols, line, sizeof(line) - 1));
	CHECK(val(0)->type == MSGPACK_OBJECT_NEGATIVE_INTEGER &&
	    val(0)->via.i64 == -32768);
	CHECK(val(1)->type == MSGPACK_OBJECT_POSITIVE_INTEGER &&
	    val(1)->via.u64 == INT64_MAX);
	CHECK(val(2)->via.i64 == INT64_MIN);
	CHECK(val(3)->type == MSGPACK_OBJECT_FLOAT64 && isnan(val(3)->via.f64));
	CHECK(isinf(val(4)->via.f64) && val(4)->via.f64 > 0);
	CHECK(isinf(val(5)->via.f64) && val(5)->via.f64 < 0);
	CHECK(val(6)->via.f64 == 1.1);
	CHECK(val(7)->via.u64 == 4294967295U);
}

static void
test_bool_bytea(void)
{
	static const char *const cols[] = { "a:bool", "b:bool", "c:bytea",
	    "d:bytea" };
	static const char line[] = "t\tf\t\\\\x00ff0a5C\t\\\\x\n";

	CHECK(decode(4, cols, line, sizeof(line) - 1));
	CHECK(val(0)->type == MSGPACK_OBJECT_BOOLEAN && val(0)->via.boolean);
	CHECK(val(1)->type == MSGPACK_OBJECT_BOOLEAN && !val(1)->via.boolean);
	CHECK(val(2)->type == MSGPACK_OBJECT_BIN && val(2)->via.bin.size == 4 &&
	    memcmp(val(2)->via.bin.ptr, "\0\377\n\\", 4) == 0);
	CHECK(val(3)->type == MSGPACK_OBJECT_BIN && val(3)->via.bin.size == 0);
}

/* A row decodes to the same bytes whether it ends in a newline or not. */
static void
test_no_newline(void)
{
	static const char *const cols[] = { "a:text", "b:int4" };
	struct sl_buf first = { 0 };

	CHECK(decode(2, cols, "x\t1\n", 4));
	sl_buf_add(&first, sbuf.p, sbuf.len);
	CHECK(decode(2, cols, "x\t1", 3));
	CHECK(first.len == sbuf.len && memcmp(first.p, sbuf.p, sbuf.len) == 0);
	sl_buf_free(&first);
}

static void
test_zero_columns(void)
{
	CHECK(decode(0, NULL, "\n", 1));
	CHECK(rs_row(rd)->ncols == 0);
	CHECK(!decode(0, NULL, "x\n", 2));
}

static void
expect_bad(size_t n, const char *const *cols, const char *line,
    const char *needle)
{
	CHECKF(!decode(n, cols, line, strlen(line)), "accepted %s", line);
	CHECKF(strstr(sl_lasterr(), needle) != NULL, "error \"%s\" lacks \"%s\"",
	    sl_lasterr(), needle);
}

static void
test_bad_lines(void)
{
	static const char *const two[] = { "id:int8", "name:text" };
	static const char *const f[] = { "x:float8" };
	static const char *const b[] = { "x:bool" };
	static const char *const y[] = { "x:bytea" };

	expect_bad(2, two, "1\n", "row 7: 1 fields on the COPY line, expected 2");
	expect_bad(2, two, "1\ta\tb\n", "row 7: 3 fields on the COPY line");
	expect_bad(2, two, "1\ta\t\n", "3 fields");
	expect_bad(2, two, "x1\ta\n", "row 7: column \"id\" (int8): \"x1\" is "
	    "not an integer");
	expect_bad(2, two, "\ta\n", "\"\" is not an integer");
	expect_bad(2, two, "9223372036854775808\ta\n", "not an integer");
	expect_bad(2, two, "-\ta\n", "not an integer");
	expect_bad(1, f, "1.5x\n", "column \"x\" (float8): \"1.5x\" is not a "
	    "float");
	expect_bad(1, b, "true\n", "not a boolean");
	expect_bad(1, y, "\\\\x0\n", "not bytea");
	expect_bad(1, y, "\\\\xzz\n", "not bytea");
	expect_bad(1, y, "00\n", "not bytea");
}

int
main(void)
{
	sl_setprogname("pgx_copy");
	sl_err_quiet(true);
	run("pgx_copy: escapes", test_escapes);
	run("pgx_copy: \\N is NULL, \\\\N and the empty string are not",
	    test_nulls);
	run("pgx_copy: integers, floats, NaN and the infinities", test_numbers);
	run("pgx_copy: bool and bytea", test_bool_bytea);
	run("pgx_copy: the newline is optional", test_no_newline);
	run("pgx_copy: a table of no columns", test_zero_columns);
	run("pgx_copy: bad lines are reported with row and column",
	    test_bad_lines);
	rs_close(rd);
	sl_buf_free(&sbuf);
	return unit_bad ? 1 : 0;
}
