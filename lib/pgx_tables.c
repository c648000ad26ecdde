/*
 * pgx_tables.c: the tables a load has gone into; see pgx_tables.h. A
 * load goes into a few tables, so a list searched from the start is
 * enough.
 */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "pgx_tables.h"

bool
pgx_tables_note(struct pgx_tables *t, const char *name)
{
	const char *p = t->names.p;
	size_t i;

	for (i = 0; i < t->nnames; i++, p += strlen(p) + 1)
		if (strcmp(p, name) == 0)
			return true;
	if (!sl_buf_add(&t->names, name, strlen(name) + 1))
		return false;
	t->nnames++;
	return true;
}

bool
pgx_tables_empty(struct pgx_tables *t, Oid oid, bool *first)
{
	Oid *p;
	size_t i;

	*first = false;
	for (i = 0; i < t->nemptied; i++)
		if (t->emptied[i] == oid)
			return true;
	if ((p = realloc(t->emptied, (t->nemptied + 1) * sizeof(*p))) ==
	    NULL) {
		sl_err("out of memory");
		return false;
	}
	t->emptied = p;
	t->emptied[t->nemptied++] = oid;
	*first = true;
	return true;
}

void
pgx_tables_print(const struct pgx_tables *t, FILE *f)
{
	const char *p = t->names.p;
	size_t i;

	if (t->nnames > 3)
		fprintf(f, "%zu tables: ", t->nnames);
	for (i = 0; t->nnames <= 3 && i < t->nnames; i++, p += strlen(p) + 1)
		fprintf(f, "%s%s", p, i + 1 < t->nnames ? ", " : ": ");
}

void
pgx_tables_free(struct pgx_tables *t)
{
	sl_buf_free(&t->names);
	free(t->emptied);
}
