/*
 * nulled.c: the file of nulled values. See nulled.h.
 */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "nulled.h"
#include "ofile.h"
#include "rejects.h"

static const char *const tail[][2] = { { "_row", "int8" },
    { "_column", "text" }, { "_value", "text" }, { "_reason", "text" } };
#define NTAIL	(sizeof(tail) / sizeof(tail[0]))

struct sl_nulled {
	struct sl_ofile		*f;
	struct rs_writer	*w;
	bool			 open;	/* inside a segment */
	uint64_t		 seg;	/* the input segment it is for */
	size_t			*key;	/* the key's columns in the input */
	size_t			 nkey;
	uint64_t		 count;
	struct rs_header	*noted;
};

struct sl_nulled *
sl_nulled_open(const char *path)
{
	struct sl_nulled *nl;

	if ((nl = calloc(1, sizeof(*nl))) == NULL) {
		sl_err("out of memory");
		return NULL;
	}
	if (!sl_sidefile_open(path, &nl->f, &nl->w)) {
		free(nl);
		return NULL;
	}
	return nl;
}

/* The header of the nulled segment for input header h. */
static struct rs_header *
header(struct sl_nulled *nl, const struct rs_header *h)
{
	struct rs_header *o;
	size_t i, k = 0;
	long c;
	bool ok = true;

	free(nl->key);
	if ((nl->key = calloc(h->nkey + 1, sizeof(*nl->key))) == NULL) {
		sl_err("out of memory");
		return NULL;
	}
	nl->nkey = 0;
	for (i = 0; i < h->nkey; i++)
		if ((c = rs_header_find(h, h->key[i])) >= 0)
			nl->key[nl->nkey++] = (size_t)c;
	if ((o = rs_header_new(h->table, nl->nkey + NTAIL)) == NULL)
		return NULL;
	for (i = 0; ok && i < nl->nkey; i++)
		ok = rs_header_setcol(o, k++, h->cols[nl->key[i]].name,
		    h->cols[nl->key[i]].type);
	for (i = 0; ok && i < NTAIL; i++)
		ok = rs_header_setcol(o, k++, tail[i][0], tail[i][1]);
	if (ok && nl->nkey > 0 && nl->nkey == h->nkey)
		ok = rs_header_setkey(o, h->nkey,
		    (const char *const *)h->key);
	if (ok && h->source != NULL)
		ok = rs_header_setsource(o, h->source);
	if (!ok) {
		rs_header_free(o);
		return NULL;
	}
	return o;
}

static bool
begin(struct sl_nulled *nl, uint64_t seg, const struct rs_header *h)
{
	struct rs_header *o;
	bool ok;

	if (nl->open && !rs_end(nl->w))
		return false;
	nl->open = false;
	if ((o = header(nl, h)) == NULL)
		return false;
	ok = rs_begin(nl->w, o);
	rs_header_free(o);
	if (!ok)
		return false;
	nl->open = true;
	nl->seg = seg;
	return true;
}

bool
sl_nulled_note(struct sl_nulled *nl, const struct rs_header *h)
{
	if (nl == NULL || nl->noted != NULL)
		return true;
	return (nl->noted = rs_header_dup(h)) != NULL;
}

bool
sl_nulled_put(struct sl_nulled *nl, const struct rs_reader *r,
    const char *column, const char *value, size_t vlen, const char *reason)
{
	const struct rs_row *row = rs_row(r);
	size_t i, c;

	if ((!nl->open || nl->seg != rs_segment(r)) &&
	    !begin(nl, rs_segment(r), rs_header(r)))
		return false;
	rs_row_begin(nl->w);
	for (i = 0; i < nl->nkey; i++) {
		c = nl->key[i];
		rs_put_raw(nl->w, row->raw + row->off[c],
		    row->off[c + 1] - row->off[c]);
	}
	rs_put_uint(nl->w, row->num);
	rs_put_str(nl->w, column, strlen(column));
	rs_put_str(nl->w, value, vlen);
	rs_put_str(nl->w, reason, strlen(reason));
	if (!rs_row_end(nl->w))
		return false;
	nl->count++;
	return true;
}

uint64_t
sl_nulled_count(const struct sl_nulled *nl)
{
	return nl == NULL ? 0 : nl->count;
}

bool
sl_nulled_close(struct sl_nulled *nl, bool commit)
{
	bool ok = true;

	if (nl == NULL)
		return true;
	/* nothing nulled: one empty segment, a whole stream */
	if (commit && !nl->open && nl->count == 0 && nl->noted != NULL)
		ok = begin(nl, 0, nl->noted);
	ok = sl_sidefile_close(nl->f, nl->w, nl->open, commit && ok) && ok;
	rs_header_free(nl->noted);
	free(nl->key);
	free(nl);
	return ok;
}
