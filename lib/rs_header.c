/*
 * rs_header.c: the segment header of a row stream: table name, columns
 * with their PostgreSQL type names, optional key columns and source.
 * A header owns all its strings; rs_header_free() releases them.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rowstream.h"

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

	if ((n = dupstr(name)) == NULL)
		return false;
	if ((t = dupstr(type)) == NULL) {
		free(n);
		return false;
	}
	free(h->cols[i].name);
	free(h->cols[i].type);
	h->cols[i].name = n;
	h->cols[i].type = t;
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
	free(h);
}

/* "a, b, c" or "none", after what b holds; false when memory ran out. */
bool
rs_header_names(const struct rs_header *h, struct sl_buf *b)
{
	size_t i;

	for (i = 0; i < h->ncols; i++)
		if (!sl_buf_printf(b, "%s%s", i ? ", " : "", h->cols[i].name))
			return false;
	if (h->ncols == 0 && !sl_buf_adds(b, "none"))
		return false;
	return sl_buf_cstr(b);
}

/* The index of the column called name, or -1. */
long
rs_header_find(const struct rs_header *h, const char *name)
{
	size_t i;

	for (i = 0; i < h->ncols; i++)
		if (strcmp(h->cols[i].name, name) == 0)
			return (long)i;
	return -1;
}

/*
 * Checks what the format requires of a header: every column named and
 * typed, names unique, key columns present. what names the stream in the
 * message. Quadratic in the column count only for the duplicate check,
 * which is fine for the widest tables PostgreSQL allows (1,600 columns)
 * and tolerable for the 10,000 the tests use.
 */
bool
rs_header_check(const struct rs_header *h, const char *what)
{
	size_t i, j;

	for (i = 0; i < h->ncols; i++) {
		if (h->cols[i].name == NULL || h->cols[i].type == NULL) {
			sl_err("%s: column %zu of \"%s\" has no name or type",
			    what, i + 1, h->table);
			return false;
		}
		if (h->cols[i].name[0] == '\0') {
			sl_err("%s: column %zu of \"%s\" has an empty name",
			    what, i + 1, h->table);
			return false;
		}
	}
	for (i = 0; i < h->ncols; i++)
		for (j = i + 1; j < h->ncols; j++)
			if (strcmp(h->cols[i].name, h->cols[j].name) == 0) {
				sl_err("%s: column \"%s\" appears twice in \"%s\"",
				    what, h->cols[i].name, h->table);
				return false;
			}
	for (i = 0; i < h->nkey; i++)
		if (rs_header_find(h, h->key[i]) < 0) {
			sl_err("%s: key column \"%s\" is not a column of \"%s\"",
			    what, h->key[i], h->table);
			return false;
		}
	return true;
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
