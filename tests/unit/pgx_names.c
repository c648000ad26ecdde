/*
 * Unit tests of the name checks in lib/pgx.c: PostgreSQL keeps 63 bytes
 * of a name, so a longer one is refused, each part of schema.table on
 * its own, counted in bytes. Quoting through a server is in
 * tests/pg/names.sh.
 */
#include <string.h>

#include "err.h"
#include "pgx.h"
#include "unit.h"

/* n copies of the string s (one character, maybe several bytes) */
static const char *
rep(char *buf, size_t size, const char *s, size_t n)
{
	size_t i, k = strlen(s);

	buf[0] = '\0';
	for (i = 0; i < n && (i + 1) * k < size; i++)
		memcpy(buf + i * k, s, k + 1);
	return buf;
}

static void
test_ident(void)
{
	char b[400];

	CHECK(pgx_check_ident(rep(b, sizeof(b), "a", 63)));
	CHECK(!pgx_check_ident(rep(b, sizeof(b), "a", 64)));
	CHECK(strstr(sl_lasterr(), "a name of 64 bytes; PostgreSQL's names "
	    "are at most 63 bytes") != NULL);
	CHECK(pgx_check_ident(rep(b, sizeof(b), "\xc3\xa9", 31)));
	CHECK(!pgx_check_ident(rep(b, sizeof(b), "\xc3\xa9", 32)));
	CHECK(pgx_check_ident(""));
}

static void
test_name(void)
{
	char a63[100], a64[100], n[400];

	rep(a63, sizeof(a63), "a", 63);
	rep(a64, sizeof(a64), "a", 64);
	CHECK(pgx_check_name(a63));
	CHECK(!pgx_check_name(a64));
	snprintf(n, sizeof(n), "%s.%s", a63, a63);	/* 127 bytes in all */
	CHECK(pgx_check_name(n));
	snprintf(n, sizeof(n), "%s.%s", a64, a63);
	CHECK(!pgx_check_name(n));
	snprintf(n, sizeof(n), "%s.%s", a63, a64);
	CHECK(!pgx_check_name(n));
	/* quoted: the quotes are not counted, a "" is one byte */
	snprintf(n, sizeof(n), "\"%s\"", a63);
	CHECK(pgx_check_name(n));
	snprintf(n, sizeof(n), "\"%.61s\"\"\"", a63);
	CHECK(pgx_check_name(n));
	snprintf(n, sizeof(n), "\"%.62s\"\"x\"", a63);
	CHECK(!pgx_check_name(n));
	CHECK(!pgx_check_name("a.b.c"));
	CHECK(strstr(sl_lasterr(), "bad table name") != NULL);
	CHECK(!pgx_check_name("\"open"));
	CHECK(!pgx_check_name(""));
}

int
main(void)
{
	sl_setprogname("unit");
	sl_err_quiet(true);
	run("pgx_check_ident: 63 bytes, not characters", test_ident);
	run("pgx_check_name: each part of schema.table, quotes not counted",
	    test_name);
	return unit_bad ? 1 : 0;
}
