/*
 * Unit tests of cols' expressions (lib/expr.c, lib/exfn.c, lib/datefmt.c):
 * tables of expression, row and expected value, of syntax errors and the
 * byte they point at, and of dates; and ascii()'s quick path for Latin
 * letters checked against ICU's transliterator for every Latin letter.
 * No server, no stream: rows are msgpack objects built here.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>
#include <unicode/utrans.h>

#include "datefmt.h"
#include "expr.h"
#include "unit.h"

/* The row every case runs on: text, an int, a NULL, a bool, a date. */
enum { NCOLS = 8 };
static const char *const colnames[NCOLS][2] = { { "email", "text" },
    { "n", "int8" }, { "nothing", "text" }, { "ok", "bool" },
    { "d", "date" }, { "name", "text" }, { "region", "text" },
    { "m", "int4" } };
static msgpack_object row[NCOLS];
static struct rs_header *hdr;

static void
str(msgpack_object *o, const char *s)
{
	o->type = MSGPACK_OBJECT_STR;
	o->via.str.ptr = s;
	o->via.str.size = (uint32_t)strlen(s);
}

static void
setup(void)
{
	size_t i;

	hdr = rs_header_new("t", NCOLS);
	for (i = 0; i < NCOLS; i++)
		rs_header_setcol(hdr, i, colnames[i][0], colnames[i][1]);
	str(&row[0], "  Mary.MÜLLER@Example.ORG \t");
	row[1].type = MSGPACK_OBJECT_NEGATIVE_INTEGER;
	row[1].via.i64 = -42;
	row[2].type = MSGPACK_OBJECT_NIL;
	row[3].type = MSGPACK_OBJECT_BOOLEAN;
	row[3].via.boolean = true;
	str(&row[4], "07/03/2024 14:05");
	str(&row[5], "José Müller");
	str(&row[6], "US");
	row[7].type = MSGPACK_OBJECT_POSITIVE_INTEGER;
	row[7].via.u64 = 7;
}

/* The value as text: NULL, the string, or an integer; FAIL: reason. */
static void
show(const msgpack_object *v, char *out, size_t n)
{
	if (v->type == MSGPACK_OBJECT_NIL)
		snprintf(out, n, "NULL");
	else if (v->type == MSGPACK_OBJECT_STR)
		snprintf(out, n, "%.*s", (int)v->via.str.size, v->via.str.ptr);
	else if (v->type == MSGPACK_OBJECT_POSITIVE_INTEGER)
		snprintf(out, n, "%" PRIu64, v->via.u64);
	else if (v->type == MSGPACK_OBJECT_NEGATIVE_INTEGER)
		snprintf(out, n, "%" PRId64, v->via.i64);
	else
		snprintf(out, n, "?type %d", (int)v->type);
}

/* Parses, binds and evaluates src on row; the result as text in out. */
static int
eval1(const char *src, char *out, size_t n, char *type, size_t tn)
{
	static struct ex_fail f;
	struct ex_expr *e;
	struct ex_perr err;
	msgpack_object v;
	size_t end;
	int st;

	if ((st = ex_parse(src, strlen(src), &end, &e, &err)) != EX_OK) {
		snprintf(out, n, "SYNTAX %zu: %s", err.pos, err.msg);
		return st;
	}
	if (end != strlen(src)) {
		snprintf(out, n, "END %zu", end);
		ex_free(e);
		return EX_SYNTAX;
	}
	if ((st = ex_bind(e, hdr, &err)) != EX_OK) {
		snprintf(out, n, "BIND %zu: %s%s", err.pos, err.msg, err.name);
		ex_free(e);
		return st;
	}
	snprintf(type, tn, "%s", ex_type(e));
	st = ex_eval(e, row, &v, &f);
	if (st == EX_OK)
		show(&v, out, n);
	else if (st == EX_FAIL)
		snprintf(out, n, "FAIL %s [%s]", f.reason.p, f.value.p);
	else
		snprintf(out, n, "ERROR");
	ex_free(e);
	return st;
}

struct ecase {
	const char	*src;
	const char	*want;		/* the value, or "FAIL reason [value]" */
	const char	*type;		/* the output type, or NULL: not checked */
};

static const struct ecase cases[] = {
	/* literals */
	{ "'teacher'", "teacher", "text" },
	{ "'it''s'", "it's", "text" },
	{ "''", "", "text" },
	{ "NULL", "NULL", "text" },
	{ "null::int8", "NULL", "int8" },
	{ "'x'::varchar(20)", "x", "varchar(20)" },
	/* lower, upper: ICU's root locale */
	{ "lower(email)", "  mary.müller@example.org \t", "text" },
	{ "upper(name)", "JOSÉ MÜLLER", "text" },
	{ "LOWER('ABC')", "abc", "text" },
	{ "lower('abc')", "abc", NULL },
	{ "upper('straße')", "STRASSE", NULL },
	{ "lower('ΣΑΣ ΟΔΟΣ')", "σας οδος", NULL },
	{ "lower('İ')", "i̇", NULL },
	{ "upper('ı')", "I", NULL },
	{ "upper('ﬁ')", "FI", NULL },
	{ "lower(n)", "-42", "text" },
	{ "lower(ok)", "t", NULL },
	{ "lower(nothing)", "NULL", "text" },
	/* trim: Unicode white space, or the characters given */
	{ "trim(email)", "Mary.MÜLLER@Example.ORG", NULL },
	{ "lower(trim(email))", "mary.müller@example.org", NULL },
	{ "trim('\u00a0 x y\u3000')", "x y", NULL },
	{ "trim('xxhixx', 'x')", "hi", NULL },
	{ "trim('éaé', 'é')", "a", NULL },
	{ "trim('   ')", "", NULL },
	{ "trim(nothing)", "NULL", NULL },
	/* concat: NULL if any argument is */
	{ "concat('a', n, ok, 'b')", "a-42tb", "text" },
	{ "concat(lower(ascii(name)), '@school.org')",
	    "jose muller@school.org", NULL },
	{ "concat('a', nothing)", "NULL", NULL },
	{ "concat(coalesce(nothing, ''), 'a')", "a", NULL },
	/* coalesce, nullif: the type of their arguments when they agree */
	{ "coalesce(nothing, name)", "José Müller", "text" },
	{ "coalesce(nothing, NULL)", "NULL", "text" },
	{ "coalesce(n, 5)", "-42", "int8" },
	{ "coalesce(m, n)", "7", "int4" },
	{ "coalesce(nothing, n)", "-42", "text" },
	{ "coalesce(name, ts(region, '%F'))", "José Müller", NULL },
	{ "nullif(region, 'US')", "NULL", "text" },
	{ "nullif(region, 'FR')", "US", NULL },
	{ "nullif(nothing, 'x')", "NULL", NULL },
	{ "nullif(region, NULL)", "US", NULL },
	{ "nullif(n, -42)", "NULL", "int8" },
	{ "nullif(trim('  '), '')", "NULL", NULL },
	/* replace */
	{ "replace(name, 'ü', 'ue')", "José Mueller", NULL },
	{ "replace('aaa', 'a', 'bb')", "bbbbbb", NULL },
	{ "replace('abc', '', 'x')", "abc", NULL },
	{ "replace('abc', 'abcd', 'x')", "abc", NULL },
	{ "replace(nothing, 'a', 'b')", "NULL", NULL },
	/* substr: characters, PostgreSQL's rules */
	{ "substr(name, 1, 4)", "José", NULL },
	{ "substr(name, 6)", "Müller", NULL },
	{ "substr('hello', 0, 3)", "he", NULL },
	{ "substr('hello', -5, 3)", "", NULL },
	{ "substr('hello', 4, 100)", "lo", NULL },
	{ "substr('hello', 9)", "", NULL },
	{ "substr('hello', '2', '2')", "el", NULL },
	{ "substr('hello', m)", "", NULL },
	{ "substr('hello', 2, -1)", "FAIL substr: a negative length (-1) "
	    "[hello]", NULL },
	{ "substr('hello', 'x')", "FAIL substr: the start \"x\" is not an "
	    "integer [hello]", NULL },
	{ "substr('hello', 1, 9223372036854775807)", "hello", NULL },
	/* ascii */
	{ "ascii(name)", "Jose Muller", NULL },
	{ "ascii('Zoë')", "Zoe", NULL },
	{ "ascii('Łukasz')", "Lukasz", NULL },
	{ "ascii('Straße Østergaard')", "Strasse Ostergaard", NULL },
	{ "ascii('Москва')", "Moskva", NULL },
	{ "ascii('Siobhán Ó Briain')", "Siobhan O Briain", NULL },
	{ "ascii('Nguyễn Văn')", "Nguyen Van", NULL },
	{ "ascii('x😀y')", "xy", NULL },
	{ "ascii('plain')", "plain", NULL },
	/* ts */
	{ "ts(d, '%d/%m/%Y %H:%M')", "2024-03-07 14:05:00", "timestamp" },
	{ "ts(d, '%d/%m/%Y %H:%M')::date", "2024-03-07", "date" },
	{ "ts(d, '%d/%m/%Y %H:%M')::text", "2024-03-07 14:05:00", "text" },
	{ "ts('2024-02-29', '%Y-%m-%d')", "2024-02-29", "date" },
	{ "ts('2024-02-29', '%F')::timestamp", "2024-02-29 00:00:00",
	    "timestamp" },
	{ "ts('2023-02-29', '%Y-%m-%d')", "FAIL ts: not a date in the format "
	    "'%Y-%m-%d': day 29 is out of range for 2023-02 [2023-02-29]",
	    NULL },
	{ "ts(' 3 Mar 24 ', '%d %b %y')", "2024-03-03", NULL },
	{ "ts('March 3, 1999', '%B %d, %Y')", "1999-03-03", NULL },
	{ "ts('Tue, 05 Mar 2024 07:08:09 +0530', '%a, %d %b %Y %T %z')",
	    "2024-03-05 07:08:09+05:30", "timestamptz" },
	{ "ts('2024-03-05T07:08:09Z', '%Y-%m-%dT%H:%M:%S%z')",
	    "2024-03-05 07:08:09+00", "timestamptz" },
	{ "ts('2024-03-05 07:08:09.120', '%F %T.%f')",
	    "2024-03-05 07:08:09.12", NULL },
	{ "ts('1/2/2024 12:30 AM', '%m/%d/%Y %I:%M %p')",
	    "2024-01-02 00:30:00", NULL },
	{ "ts('1/2/2024 12:30 pm', '%m/%d/%Y %I:%M %p')",
	    "2024-01-02 12:30:00", NULL },
	{ "ts('2024-13-01', '%Y-%m-%d')", "FAIL ts: not a date in the format "
	    "'%Y-%m-%d': month 13 is out of range [2024-13-01]", NULL },
	{ "ts('2024-01-01 24:00', '%Y-%m-%d %H:%M')", "FAIL ts: not a "
	    "timestamp in the format '%Y-%m-%d %H:%M': hour 24 is out of "
	    "range [2024-01-01 24:00]", NULL },
	{ "ts('2024-01-01x', '%Y-%m-%d')", "FAIL ts: not a date in the format "
	    "'%Y-%m-%d': text after the date at character 11 [2024-01-01x]",
	    NULL },
	{ "ts('24-01-01', '%Y-%m-%d')", "FAIL ts: not a date in the format "
	    "'%Y-%m-%d': expected a 4-digit year (%Y) at character 1 "
	    "[24-01-01]", NULL },
	{ "ts('0000-01-01', '%Y-%m-%d')", "FAIL ts: not a date in the format "
	    "'%Y-%m-%d': year 0 is not a year [0000-01-01]", NULL },
	{ "ts(nothing, '%Y-%m-%d')", "NULL", "date" },
	{ "ts(n, '%Y')", "SYNTAX 6: ts: a format without the year, the "
	    "month and the day (a date needs them all)", NULL },
	/* bare and quoted names, blanks */
	{ " lower ( \"email\" ) ", "  mary.müller@example.org \t", NULL },
	{ "lower(nope)", "BIND 6: nope", NULL },
	{ "concat(email, \"no pe\")", "BIND 14: no pe", NULL },
	{ "lower(n)::int8", "BIND 10: ::int8: the value is text; convert it "
	    "with --cast NAME:int8", NULL },
	{ "coalesce(n, 1)::text", "-42", "text" },
	{ "coalesce(n, 1)::int4", "-42", "int4" },
};

static void
test_eval(void)
{
	char got[512], type[64];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		type[0] = '\0';
		eval1(cases[i].src, got, sizeof(got), type, sizeof(type));
		CHECKF(strcmp(got, cases[i].want) == 0, "%s: got \"%s\", "
		    "wanted \"%s\"", cases[i].src, got, cases[i].want);
		if (cases[i].type != NULL)
			CHECKF(strcmp(type, cases[i].type) == 0, "%s: type "
			    "%s, wanted %s", cases[i].src, type,
			    cases[i].type);
	}
}

struct scase {
	const char	*src;
	size_t		 pos;		/* the byte the message points at */
	const char	*msg;		/* what it starts with */
};

static const struct scase syntax[] = {
	{ "", 0, "expected a value" },
	{ "lower(", 6, "expected a value" },
	{ "lower(email", 11, "expected ',' or ')'" },
	{ "lower(email email)", 12, "expected ',' or ')'" },
	{ "lowr(email)", 0, "no function \"lowr\" (there are: ascii, " },
	{ "lower(email, 'x')", 0, "lower takes 1 argument, not 2" },
	{ "concat()", 0, "concat takes at least 1 argument" },
	{ "substr('x')", 0, "substr takes 2 to 3 arguments, not 1" },
	{ "lower('abc)", 6, "a 'text' literal that does not end" },
	{ "lower(\"abc)", 6, "a \"quoted\" name that does not end" },
	{ "lower(\"\")", 6, "an empty \"\" name" },
	{ "substr('x', 12abc)", 12, "not an integer" },
	{ "substr('x', 99999999999999999999)", 12, "not an integer" },
	{ "lower(@)", 6, "expected a value" },
	{ "ts(d, fmt)", 6, "ts: the format must be a 'literal'" },
	{ "ts(d, '%Y-%m-%q')", 13, "ts: an unknown directive" },
	{ "ts(d, '%Y-%m-%d %')", 16, "ts: a % that ends the format" },
	{ "ts(d, '''%Y %d %q')", 15, "ts: an unknown directive" },
	{ "ts(d, '%Y %m %d %I')", 6, "ts: %I without %p" },
	{ "ts(d, '%Y %m %d %H %p')", 6, "ts: %p without %I" },
	{ "ts(d, '%F')::int8", 13, "ts(...)::int8: ts makes a date" },
	{ "lower(d)::", 10, "expected a type name" },
	{ "lower(d)::text::text", 14, "a second ::TYPE" },
	{ "lower(d)!maybe", 9, "expected null or reject" },
	{ "lower(d)!null!reject", 13, "a second !null or !reject" },
};

static void
test_syntax(void)
{
	char got[512], type[64];
	const struct scase *c;
	char want[64];
	size_t i;

	for (i = 0; i < sizeof(syntax) / sizeof(syntax[0]); i++) {
		c = &syntax[i];
		eval1(c->src, got, sizeof(got), type, sizeof(type));
		snprintf(want, sizeof(want), "SYNTAX %zu: ", c->pos);
		CHECKF(strncmp(got, want, strlen(want)) == 0 &&
		    strncmp(got + strlen(want), c->msg, strlen(c->msg)) == 0,
		    "%s: got \"%s\", wanted \"%s%s...\"", c->src, got, want,
		    c->msg);
	}
}

/* Deep nesting is refused, not a stack overflow. */
static void
test_depth(void)
{
	char src[4096], got[512], type[64];
	size_t i, n = 0;

	for (i = 0; i < 500; i++)
		n += (size_t)snprintf(src + n, sizeof(src) - n, "lower(");
	src[n++] = 'x';
	for (i = 0; i < 500; i++)
		src[n++] = ')';
	src[n] = '\0';
	eval1(src, got, sizeof(got), type, sizeof(type));
	CHECKF(strstr(got, "nested more than") != NULL, "%s", got);
}

/* Policies, the item's end, its only column. */
static void
test_item(void)
{
	struct ex_expr *e;
	struct ex_perr err;
	size_t end;
	const char *s = "ts(d, '%F')::date ! reject AS born";

	if (ex_parse(s, strlen(s), &end, &e, &err) != EX_OK) {
		CHECKF(0, "%s: %s", s, err.msg);
		return;
	}
	CHECK(ex_policy(e) == EX_POL_REJECT);
	CHECK(ex_fallible(e));
	CHECKF(strcmp(s + end, "AS born") == 0, "%s", s + end);
	CHECK(strcmp(ex_column(e), "d") == 0);
	ex_free(e);
	s = "concat(a, b)!null";
	CHECK(ex_parse(s, strlen(s), &end, &e, &err) == EX_OK);
	CHECK(ex_policy(e) == EX_POL_NULL);
	CHECK(!ex_fallible(e));
	CHECK(ex_column(e) == NULL);
	ex_free(e);
	s = "concat(a, '.', a)";
	CHECK(ex_parse(s, strlen(s), &end, &e, &err) == EX_OK);
	CHECK(ex_policy(e) == EX_POL_DEFAULT);
	CHECK(strcmp(ex_column(e), "a") == 0);
	ex_free(e);
}

/* A value no longer than the last one reuses the node's buffer. */
static void
test_reuse(void)
{
	struct ex_fail f = { { 0 }, { 0 } };
	struct ex_expr *e;
	struct ex_perr err;
	msgpack_object v, r[NCOLS];
	const char *first;
	size_t end;
	const char *s = "concat(lower(name), '!')";

	memcpy(r, row, sizeof(r));
	CHECK(ex_parse(s, strlen(s), &end, &e, &err) == EX_OK);
	CHECK(ex_bind(e, hdr, &err) == EX_OK);
	CHECK(ex_eval(e, r, &v, &f) == EX_OK);
	first = v.via.str.ptr;
	str(&r[5], "ÀB");
	CHECK(ex_eval(e, r, &v, &f) == EX_OK);
	CHECK(v.via.str.ptr == first);
	CHECK(v.via.str.size == 4 && memcmp(v.via.str.ptr, "àb!", 4) == 0);
	/* lower of what is lower already is the input itself */
	ex_free(e);
	s = "lower(region)";
	str(&r[6], "us");
	CHECK(ex_parse(s, strlen(s), &end, &e, &err) == EX_OK);
	CHECK(ex_bind(e, hdr, &err) == EX_OK);
	CHECK(ex_eval(e, r, &v, &f) == EX_OK);
	CHECK(v.via.str.ptr == r[6].via.str.ptr);
	ex_free(e);
	sl_buf_free(&f.reason);
	sl_buf_free(&f.value);
}

/* Text that is not UTF-8 fails, for the functions that read letters. */
static void
test_bad_utf8(void)
{
	static const char *const fns[] = { "lower", "upper", "trim", "ascii" };
	struct ex_fail f = { { 0 }, { 0 } };
	struct ex_expr *e;
	struct ex_perr err;
	msgpack_object v, r[NCOLS];
	char src[64];
	size_t i, end;

	memcpy(r, row, sizeof(r));
	str(&r[5], "ab\xc3(");
	for (i = 0; i < 4; i++) {
		snprintf(src, sizeof(src), "%s(name)", fns[i]);
		CHECK(ex_parse(src, strlen(src), &end, &e, &err) == EX_OK);
		CHECK(ex_bind(e, hdr, &err) == EX_OK);
		CHECKF(ex_eval(e, r, &v, &f) == EX_FAIL && strstr(f.reason.p,
		    "invalid UTF-8 at byte 3") != NULL, "%s", src);
		ex_free(e);
	}
	sl_buf_free(&f.reason);
	sl_buf_free(&f.value);
}

/*
 * ascii() takes a quick way for Latin letters that are a letter and
 * accents; for every Latin code point it must give what ICU's
 * transliterator gives.
 */
static void
test_ascii_latin(void)
{
	struct ex_fail f = { { 0 }, { 0 } };
	struct ex_expr *e;
	struct ex_perr err;
	msgpack_object v, r[NCOLS];
	UTransliterator *t;
	UParseError pe;
	UErrorCode ue = U_ZERO_ERROR;
	UChar id[64], u[64];
	char s[8], want[256];
	int32_t idn, un, lim, wn, k, bad = 0, latin = 0;
	UChar32 c;
	size_t end;
	const char *src = "ascii(name)";

	u_strFromUTF8(id, 64, &idn,
	    "Any-Latin; Latin-ASCII; [:^ASCII:] Remove", -1, &ue);
	t = utrans_openU(id, idn, UTRANS_FORWARD, NULL, 0, &pe, &ue);
	CHECK(U_SUCCESS(ue));
	if (U_FAILURE(ue))
		return;
	memcpy(r, row, sizeof(r));
	CHECK(ex_parse(src, strlen(src), &end, &e, &err) == EX_OK);
	CHECK(ex_bind(e, hdr, &err) == EX_OK);
	for (c = 0x80; c < 0x110000; c++) {
		ue = U_ZERO_ERROR;
		if (uscript_getScript(c, &ue) != USCRIPT_LATIN ||
		    (c >= 0xd800 && c < 0xe000))
			continue;
		latin++;
		k = 0;
		U8_APPEND_UNSAFE(s, k, c);
		s[k] = '\0';
		un = 0;
		U16_APPEND_UNSAFE(u, un, c);
		lim = un;
		utrans_transUChars(t, u, &un, 64, 0, &lim, &ue);
		u_strToUTF8(want, sizeof(want), &wn, u, un, &ue);
		str(&r[5], s);
		if (ex_eval(e, r, &v, &f) != EX_OK || v.type !=
		    MSGPACK_OBJECT_STR || (int32_t)v.via.str.size != wn ||
		    memcmp(v.via.str.ptr, want, (size_t)wn) != 0) {
			if (bad++ < 10)
				CHECKF(0, "U+%04X %s: ascii() differs from the "
				    "transliterator's \"%.*s\"", (unsigned)c, s,
				    (int)wn, want);
		}
	}
	CHECKF(bad == 0 && latin > 1000, "%d of %d Latin code points differ",
	    bad, latin);
	ex_free(e);
	utrans_close(t);
	sl_buf_free(&f.reason);
	sl_buf_free(&f.value);
}

int
main(void)
{
	setup();
	run("expr: functions, literals, NULLs and types", test_eval);
	run("expr: syntax errors point at their byte", test_syntax);
	run("expr: nesting too deep is an error", test_depth);
	run("expr: an item's ::TYPE, !policy, end and column", test_item);
	run("expr: buffers are reused row after row", test_reuse);
	run("expr: text that is not UTF-8 fails", test_bad_utf8);
	run("expr: ascii() of every Latin letter is the transliterator's",
	    test_ascii_latin);
	rs_header_free(hdr);
	ex_shutdown();
	return unit_bad ? 1 : 0;
}
