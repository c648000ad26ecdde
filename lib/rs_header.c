/*
 * rs_header.c: the segment header of a row stream: table name, columns
 * with their PostgreSQL type names, optional key columns and source.
 * A header owns all its strings; rs_header_free() releases them.
 *
 * Headers may have a million columns (docs/rowstream.md), so finding a
 * column by name goes through an index of the names (nidx.h), built on
 * the first lookup and dropped when a name changes: a program matching
 * every column of one header against another stays linear.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "exitcodes.h"
#include "nidx.h"
#include "rowstream.h"
#include "value.h"

static char *
dupstr(const char *s)
{
	char *p;

	if ((p = strdup(s)) == NULL)
		sl_err("out of memory");
	return p;
}

/* A header for ncols columns, all still unnamed. NULL when out of memory. */
struct rs_header *
rs_header_new(const char *table, size_t ncols)
{
	struct rs_header *h;

	if ((h = calloc(1, sizeof(*h))) == NULL) {
		sl_err("out of memory");
		return NULL;
	}
	if (ncols > 0 && (h->cols = calloc(ncols, sizeof(*h->cols))) == NULL) {
		sl_err("out of memory for %zu columns", ncols);
		free(h);
		return NULL;
	}
	h->ncols = ncols;
	if ((h->table = dupstr(table)) == NULL) {
		rs_header_free(h);
		return NULL;
	}
	return h;
}

bool
rs_header_setcol(struct rs_header *h, size_t i, const char *name,
    const char *type)
{
	char *n, *t;

	if ((t = dupstr(type)) == NULL)
		return false;
	free(h->cols[i].type);
	h->cols[i].type = t;
	h->cols[i].cls = rs_type_class(type);
	/* a new type under the same name keeps the index (extract --types) */
	if (h->cols[i].name != NULL && strcmp(h->cols[i].name, name) == 0)
		return true;
	if ((n = dupstr(name)) == NULL)
		return false;
	sl_nidx_free(h->idx);
	h->idx = NULL;
	free(h->cols[i].name);
	h->cols[i].name = n;
	h->cols[i].cls = rs_type_class(type);
	return true;
}

bool
rs_header_setkey(struct rs_header *h, size_t nkey, const char *const *names)
{
	char **key = NULL;
	size_t i;

	if (nkey > 0 && (key = calloc(nkey, sizeof(*key))) == NULL) {
		sl_err("out of memory");
		return false;
	}
	for (i = 0; i < nkey; i++) {
		if ((key[i] = dupstr(names[i])) == NULL) {
			while (i > 0)
				free(key[--i]);
			free(key);
			return false;
		}
	}
	for (i = 0; i < h->nkey; i++)
		free(h->key[i]);
	free(h->key);
	h->key = key;
	h->nkey = nkey;
	return true;
}

bool
rs_header_setsource(struct rs_header *h, const char *source)
{
	char *s = NULL;

	if (source != NULL && (s = dupstr(source)) == NULL)
		return false;
	free(h->source);
	h->source = s;
	return true;
}

bool
rs_header_settable(struct rs_header *h, const char *table)
{
	char *s;

	if ((s = dupstr(table)) == NULL)
		return false;
	free(h->table);
	h->table = s;
	return true;
}

struct rs_header *
rs_header_dup(const struct rs_header *h)
{
	struct rs_header *d;
	size_t i;

	if ((d = rs_header_new(h->table, h->ncols)) == NULL)
		return NULL;
	for (i = 0; i < h->ncols; i++)
		if (!rs_header_setcol(d, i, h->cols[i].name, h->cols[i].type))
			goto fail;
	if (!rs_header_setkey(d, h->nkey, (const char *const *)h->key) ||
	    !rs_header_setsource(d, h->source))
		goto fail;
	return d;
fail:
	rs_header_free(d);
	return NULL;
}

void
rs_header_free(struct rs_header *h)
{
	size_t i;

	if (h == NULL)
		return;
	for (i = 0; i < h->ncols && h->cols != NULL; i++) {
		free(h->cols[i].name);
		free(h->cols[i].type);
	}
	for (i = 0; i < h->nkey; i++)
		free(h->key[i]);
	free(h->key);
	free(h->cols);
	free(h->table);
	free(h->source);
	sl_nidx_free(h->idx);
	free(h);
}

/*
 * The index of h's names, built now if need be; NULL when out of memory.
 * The index is a cache of what the header says, not part of it, so it is
 * kept in a const header (every header is allocated by rs_header_new).
 */
static const struct sl_nidx *
names(const struct rs_header *h)
{
	struct sl_nidx *x;
	size_t i;

	if (h->idx != NULL)
		return h->idx;
	if ((x = sl_nidx_new(h->ncols)) == NULL || h->ncols > SL_NIDX_MAX)
		goto fail;
	for (i = 0; i < h->ncols; i++)
		if (h->cols[i].name != NULL &&
		    sl_nidx_add(x, h->cols[i].name, i) < 0)
			goto fail;
	((struct rs_header *)h)->idx = x;
	return x;
fail:
	sl_nidx_free(x);
	return NULL;
}

/* The index of the (first) column called name, or -1. */
long
rs_header_find(const struct rs_header *h, const char *name)
{
	const struct sl_nidx *x = names(h);
	size_t i;

	if (x != NULL)
		return sl_nidx_find(x, name);
	for (i = 0; i < h->ncols; i++)	/* out of memory: slow, but right */
		if (h->cols[i].name != NULL &&
		    strcmp(h->cols[i].name, name) == 0)
			return (long)i;
	return -1;
}

/*
 * What is wrong with h as the format sees it: a column without a name or
 * type, or with an empty name, a name twice, a key column that is not a
 * column. Returns 0 when nothing is, else the exit status (EXIT_STREAM,
 * or EXIT_IO when out of memory) with the reason in msg, for the caller
 * to report with its own prefix. Linear in the number of columns.
 */
int
rs_header_fault(const struct rs_header *h, char *msg, size_t size)
{
	const struct sl_nidx *x;
	char a[SL_PRINTABLE], b[SL_PRINTABLE];
	const char *name;
	size_t i;

	for (i = 0; i < h->ncols; i++) {
		if ((name = h->cols[i].name) != NULL && name[0] != '\0' &&
		    h->cols[i].type != NULL)
			continue;
		snprintf(msg, size, "column %zu of \"%s\" has %s", i + 1,
		    sl_printable(b, sizeof(b), h->table, strlen(h->table)),
		    name == NULL || h->cols[i].type == NULL ?
		    "no name or type" : "an empty name");
		return EXIT_STREAM;
	}
	if ((x = names(h)) == NULL) {
		snprintf(msg, size, "out of memory for the names of %zu "
		    "columns", h->ncols);
		return EXIT_IO;
	}
	for (i = 0; i < h->ncols; i++)
		if (sl_nidx_find(x, h->cols[i].name) != (long)i) {
			name = h->cols[i].name;
			snprintf(msg, size, "column \"%s\" appears twice in "
			    "\"%s\"", sl_printable(a, sizeof(a), name,
			    strlen(name)), sl_printable(b, sizeof(b), h->table,
			    strlen(h->table)));
			return EXIT_STREAM;
		}
	for (i = 0; i < h->nkey; i++)
		if (sl_nidx_find(x, h->key[i]) < 0) {
			snprintf(msg, size, "key column \"%s\" is not a column "
			    "of \"%s\"", sl_printable(a, sizeof(a), h->key[i],
			    strlen(h->key[i])), sl_printable(b, sizeof(b),
			    h->table, strlen(h->table)));
			return EXIT_STREAM;
		}
	return 0;
}

/*
 * Checks what the format requires of a header (rs_header_fault) and
 * reports what is wrong once, as "what: reason".
 */
bool
rs_header_check(const struct rs_header *h, const char *what)
{
	char msg[512];

	if (rs_header_fault(h, msg, sizeof(msg)) == 0)
		return true;
	sl_err("%s: %s", what, msg);
	return false;
}

/*
 * The value class of a PostgreSQL type name. The catalog names (int8,
 * float8, bool, bytea) are what extract writes; the SQL spellings are
 * accepted too, for streams written by hand or by other tools.
 */
enum rs_class
rs_type_class(const char *type)
{
	static const struct {
		const char	*name;
		enum rs_class	 cls;
	} types[] = {
		{ "int2", RS_INT }, { "int4", RS_INT }, { "int8", RS_INT },
		{ "oid", RS_INT }, { "smallint", RS_INT },
		{ "integer", RS_INT }, { "int", RS_INT }, { "bigint", RS_INT },
		{ "float4", RS_FLOAT }, { "float8", RS_FLOAT },
		{ "real", RS_FLOAT }, { "double precision", RS_FLOAT },
		{ "bool", RS_BOOL }, { "boolean", RS_BOOL },
		{ "bytea", RS_BYTEA },
	};
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcasecmp(type, types[i].name) == 0)
			return types[i].cls;
	return RS_TEXT;
}

const char *
rs_class_name(enum rs_class cls)
{
	switch (cls) {
	case RS_INT:
		return "an integer";
	case RS_FLOAT:
		return "a float";
	case RS_BOOL:
		return "a boolean";
	case RS_BYTEA:
		return "binary";
	case RS_TEXT:
		break;
	}
	return "a string";
}
