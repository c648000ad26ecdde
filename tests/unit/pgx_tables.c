/*
 * Unit tests of lib/pgx_tables.c: the tables a load went into, named
 * once each in the summary (a count past three), and a table emptied
 * only the first time a segment goes into it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pgx_tables.h"
#include "unit.h"

/* What pgx_tables_print() writes, in a buffer the caller frees. */
static char *
printed(const struct pgx_tables *t)
{
	char *s = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&s, &n);

	if (f == NULL)
		return NULL;
	pgx_tables_print(t, f);
	fclose(f);
	return s;
}

static void
check_print(const struct pgx_tables *t, const char *want)
{
	char *s = printed(t);

	CHECKF(s != NULL && strcmp(s, want) == 0, "\"%s\", not \"%s\"",
	    s != NULL ? s : "(null)", want);
	free(s);
}

static void
test_names(void)
{
	struct pgx_tables t = { 0 };

	check_print(&t, "");
	CHECK(pgx_tables_note(&t, "users"));
	check_print(&t, "users: ");
	CHECK(pgx_tables_note(&t, "users"));
	check_print(&t, "users: ");
	CHECK(pgx_tables_note(&t, "courses"));
	CHECK(pgx_tables_note(&t, "users"));
	check_print(&t, "users, courses: ");
	CHECK(pgx_tables_note(&t, "a.b"));
	check_print(&t, "users, courses, a.b: ");
	CHECK(pgx_tables_note(&t, "d"));
	CHECK(pgx_tables_note(&t, "courses"));
	check_print(&t, "4 tables: ");
	CHECK(t.nnames == 4);
	pgx_tables_free(&t);
}

static void
test_empty(void)
{
	struct pgx_tables t = { 0 };
	bool first = false;

	CHECK(pgx_tables_empty(&t, 16384, &first) && first);
	CHECK(pgx_tables_empty(&t, 16384, &first) && !first);
	CHECK(pgx_tables_empty(&t, 16390, &first) && first);
	CHECK(pgx_tables_empty(&t, 16384, &first) && !first);
	CHECK(pgx_tables_empty(&t, 16390, &first) && !first);
	CHECK(t.nemptied == 2);
	pgx_tables_free(&t);
}

int
main(void)
{
	run("pgx_tables: each name once, a count past three", test_names);
	run("pgx_tables: a table emptied the first time only", test_empty);
	return unit_bad ? 1 : 0;
}
