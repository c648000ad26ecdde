/*
 * pgx_tables.h: the tables a load has gone into, segment after segment:
 * their names as given, once each, for the summary line ("users: ",
 * "users, courses: ", "5 tables: "), and which of them --mode truncate
 * has emptied, so that a table that several segments go into is
 * emptied once, before the first. Knows no server: the caller runs the
 * TRUNCATE.
 */
#ifndef SLUICE_PGX_TABLES_H
#define SLUICE_PGX_TABLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <libpq-fe.h>

#include "buf.h"

struct pgx_tables {
	struct sl_buf	 names;		/* NUL-separated */
	size_t		 nnames;
	Oid		*emptied;
	size_t		 nemptied;
};

/* Notes table name (again is fine); false when memory ran out (said). */
bool pgx_tables_note(struct pgx_tables *t, const char *name);

/*
 * Table oid is to be emptied: *first says whether it is the first time
 * (now recorded). False when memory ran out (said).
 */
bool pgx_tables_empty(struct pgx_tables *t, Oid oid, bool *first);

/* Writes the summary's opening: the names (three at most) or a count. */
void pgx_tables_print(const struct pgx_tables *t, FILE *f);

void pgx_tables_free(struct pgx_tables *t);

#endif
