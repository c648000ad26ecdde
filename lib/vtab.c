/*
 * vtab.c: verify's tables (vcmp.h): each made with the first segment of
 * its name, which gives its columns (less the --ignore ones), its key
 * and its old key.
 */
#include <stdlib.h>
#include <string.h>

#include "exitcodes.h"
#include "vcmp.h"

static void
tab_free(struct vtab *t)
{
	size_t i;

	for (i = 0; i < t->ndiff; i++) {
		free(t->d[i].key);
		free(t->d[i].old);
		free(t->d[i].row);
		free(t->d[i].cols);
	}
	for (i = 0; i < t->nrej; i++)
		kidx_free(t->rej[i]);
	for (i = 0; i < t->nrejnames; i++)
		free(t->rejnames[i]);
	for (i = 0; i < t->nreason; i++)
		free(t->reason[i].text);
	kidx_free(t->ix);
	rs_header_free(t->h);
	void *own[] = { t->d, t->rej, t->rejnames, t->kcol, t->ocol, t->name,
	    t };
	for (i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		free(own[i]);
}

void
vcmp_free(struct vcmp *v)
{
	size_t i;

	for (i = 0; i < v->ntabs; i++)
		tab_free(v->tabs[i]);
	free(v->tabs);
	sl_buf_free(&v->prow);
	sl_buf_free(&v->kbuf);
	sl_buf_free(&v->txt);
	free(v->poff);
	free(v->soff);
	free(v->doff);
	v->tabs = NULL;
	v->ntabs = 0;
}

static bool
is_ignored(const struct vcmp *v, const char *name)
{
	size_t i;

	for (i = 0; i < v->nignored; i++)
		if (strcmp(v->ignored[i], name) == 0)
			return true;
	return false;
}

size_t
vcmp_compared(const struct vcmp *v, const struct rs_header *h)
{
	size_t i, n = 0;

	for (i = 0; i < h->ncols; i++)
		n += !is_ignored(v, h->cols[i].name);
	return n;
}

/*
 * A table's header: the first segment's without the --ignore columns,
 * which vcmp_projection() then leaves out of every row, and the COPY
 * of vscan.c out of the table's.
 */
static struct rs_header *
compared_header(const struct vcmp *v, const struct rs_header *h)
{
	struct rs_header *c;
	const char **key;
	size_t i, k = 0, nk = 0;

	if (v->nignored == 0)
		return rs_header_dup(h);
	if ((c = rs_header_new(h->table, vcmp_compared(v, h))) == NULL ||
	    (h->source != NULL && !rs_header_setsource(c, h->source)))
		return NULL;
	for (i = 0; i < h->ncols; i++)
		if (!is_ignored(v, h->cols[i].name) && !rs_header_setcol(c, k++,
		    h->cols[i].name, h->cols[i].type))
			return NULL;
	if ((key = calloc(h->nkey + 1, sizeof(*key))) == NULL)
		return NULL;
	for (i = 0; i < h->nkey; i++)
		if (!is_ignored(v, h->key[i]))
			key[nk++] = h->key[i];
	if (!rs_header_setkey(c, nk, key))
		c = NULL;
	free(key);
	return c;
}

struct vtab *
vcmp_find(const struct vcmp *v, const char *name)
{
	size_t i;

	for (i = 0; i < v->ntabs; i++)
		if (strcmp(v->tabs[i]->name, name) == 0)
			return v->tabs[i];
	return NULL;
}

/*
 * The spec of a table compared as name, its segments named h->table:
 * its own (by either name), else the one for every table, else none.
 */
static struct vkeyspec *
spec_for(struct vkeyspec *specs, size_t n, const char *name,
    const struct rs_header *h)
{
	struct vkeyspec *all = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		if (specs[i].table == NULL)
			all = &specs[i];
		else if (strcmp(specs[i].table, name) == 0 ||
		    strcmp(specs[i].table, h->table) == 0)
			return &specs[i];
	}
	return all;
}

/*
 * A tracking column, when no --old-key names one: old_id, or else the
 * one column named old_*_id (two such are a foreign key's and its
 * own: which is which is the user's to say). Not a key column.
 */
static long
old_column(const struct vtab *t)
{
	const char *c;
	size_t i, n;
	long at = -1;

	if ((at = rs_header_find(t->h, "old_id")) >= 0)
		return at;
	for (i = 0, n = 0; i < t->h->ncols; i++) {
		c = t->h->cols[i].name;
		if (strncmp(c, "old_", 4) == 0 && strlen(c) > 7 &&
		    strcmp(c + strlen(c) - 3, "_id") == 0 && n++ == 0)
			at = (long)i;
	}
	return n == 1 ? at : -1;
}

/* Columns by name into idx; false (EXIT_USAGE) when one is not there. */
static bool
find_cols(struct vcmp *v, const struct vtab *t, char **cols, size_t n,
    size_t **idx, const char *opt, const char *table)
{
	size_t j;
	long k;

	if ((*idx = calloc(n + 1, sizeof(**idx))) == NULL)
		return vcmp_fail(v, EXIT_IO, "out of memory");
	for (j = 0; j < n; j++) {
		v->usage = true;
		if (is_ignored(v, cols[j]))
			return vcmp_fail(v, EXIT_USAGE, "%s %s is --ignore'd: "
			    "a key column is always compared", opt, cols[j]);
		if ((k = rs_header_find(t->h, cols[j])) < 0)
			return vcmp_fail(v, EXIT_USAGE, "%s: table \"%s\" has "
			    "no column \"%s\"", opt, table, cols[j]);
		(*idx)[j] = (size_t)k;
		v->usage = false;
	}
	return true;
}

static bool
tab_olds(struct vcmp *v, struct vtab *t, const struct rs_header *h)
{
	struct vkeyspec *os = spec_for(v->oldspecs, v->noldspecs, t->name, h);
	long k;

	if (os != NULL) {
		os->used = true;
		t->olds = os->cols;
		t->nolds = os->ncols;
		return find_cols(v, t, t->olds, t->nolds, &t->ocol,
		    "--old-key", h->table);
	}
	if (t->nkeys == 0 || (k = old_column(t)) < 0)
		return true;
	if (t->nkeys == 1 && t->kcol[0] == (size_t)k)
		return true;	/* the key is the old key already */
	if ((t->ocol = calloc(1, sizeof(*t->ocol))) == NULL)
		return vcmp_fail(v, EXIT_IO, "out of memory");
	t->ocol[0] = (size_t)k;
	t->olds = &t->h->cols[k].name;
	t->nolds = 1;
	return true;
}

struct vtab *
vcmp_tab_new(struct vcmp *v, const char *name, const struct rs_header *h)
{
	struct vkeyspec *ks = spec_for(v->keyspecs, v->nkeyspecs, name, h);
	struct vtab *t, **tabs;

	if ((t = calloc(1, sizeof(*t))) == NULL ||
	    (tabs = realloc(v->tabs, (v->ntabs + 1) * sizeof(*tabs))) == NULL) {
		free(t);
		vcmp_fail(v, EXIT_IO, "out of memory");
		return NULL;
	}
	v->tabs = tabs;
	v->tabs[v->ntabs++] = t;
	if ((t->name = strdup(name)) == NULL) {
		vcmp_fail(v, EXIT_IO, "out of memory");
		return NULL;
	}
	if ((t->h = compared_header(v, h)) == NULL) {
		vcmp_fail(v, EXIT_IO, NULL);
		return NULL;
	}
	if (!vcmp_offs_fit(v, h->ncols))
		return NULL;
	if (ks != NULL) {
		ks->used = true;
		t->keys = ks->cols;
		t->nkeys = ks->ncols;
	}
	if (!find_cols(v, t, t->keys, t->nkeys, &t->kcol, "--key", h->table) ||
	    !tab_olds(v, t, h))
		return NULL;
	if (t->nkeys > 0 && (t->ix = kidx_new()) == NULL) {
		vcmp_fail(v, EXIT_IO, NULL);
		return NULL;
	}
	return t;
}

