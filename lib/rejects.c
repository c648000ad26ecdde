/*
 * rejects.c: the rejects stream of a stage. See rejects.h.
 */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "ofile.h"
#include "rejects.h"

struct sl_rejects {
	struct sl_ofile		*f;
	struct rs_writer	*w;
	bool			 open;	/* inside a segment */
	uint64_t		 seg;
	const struct rs_header	*h;	/* the input header of that segment */
	uint64_t		 count;
	struct rs_header	*noted;	/* the first segment noted */
};

struct sl_rejects *
sl_rejects_open(const char *path)
{
	struct sl_rejects *rj;

	if ((rj = calloc(1, sizeof(*rj))) == NULL) {
		sl_err("out of memory");
		return NULL;
	}
	if ((rj->f = sl_ofile_open(path)) == NULL) {
		free(rj);
		return NULL;
	}
	if ((rj->w = rs_wopen(sl_ofile_fd(rj->f), path)) == NULL) {
		sl_ofile_abort(rj->f);
		free(rj);
		return NULL;
	}
	return rj;
}

/* Begins a segment like h with the column _error added. */
static bool
begin(struct sl_rejects *rj, uint64_t seg, const struct rs_header *h)
{
	struct rs_header *rh;
	size_t i;
	bool ok;

	if (rj->open && !rs_end(rj->w))
		return false;
	rj->open = false;
	if ((rh = rs_header_new(h->table, h->ncols + 1)) == NULL)
		return false;
	ok = true;
	for (i = 0; ok && i < h->ncols; i++)
		ok = rs_header_setcol(rh, i, h->cols[i].name, h->cols[i].type);
	ok = ok && rs_header_setcol(rh, h->ncols, "_error", "text");
	if (ok && h->source != NULL)
		ok = rs_header_setsource(rh, h->source);
	ok = ok && rs_begin(rj->w, rh);
	rs_header_free(rh);
	if (!ok)
		return false;
	rj->open = true;
	rj->seg = seg;
	rj->h = h;
	return true;
}

bool
sl_rejects_put(struct sl_rejects *rj, uint64_t seg, const struct rs_header *h,
    const char *vals, size_t len, const char *reason)
{
	if (!rj->open || rj->seg != seg || rj->h != h)
		if (!begin(rj, seg, h))
			return false;
	rs_row_begin(rj->w);
	rs_put_raws(rj->w, vals, len, h->ncols);
	rs_put_str(rj->w, reason, strlen(reason));
	if (!rs_row_end(rj->w))
		return false;
	rj->count++;
	return true;
}

bool
sl_rejects_row(struct sl_rejects *rj, const struct rs_reader *r,
    const char *reason)
{
	const struct rs_row *row = rs_row(r);

	return sl_rejects_put(rj, rs_segment(r), rs_header(r),
	    row->raw + row->off[0], row->off[row->ncols] - row->off[0], reason);
}

bool
sl_rejects_note(struct sl_rejects *rj, const struct rs_header *h)
{
	if (rj == NULL || rj->noted != NULL)
		return true;
	return (rj->noted = rs_header_dup(h)) != NULL;
}

uint64_t
sl_rejects_count(const struct sl_rejects *rj)
{
	return rj->count;
}

bool
sl_rejects_close(struct sl_rejects *rj, bool commit)
{
	bool ok = true;

	if (rj == NULL)
		return true;
	if (commit) {
		/* nothing rejected: one empty segment, a whole stream */
		if (!rj->open && rj->count == 0 && rj->noted != NULL)
			ok = begin(rj, 0, rj->noted);
		if (ok && rj->open)
			ok = rs_end(rj->w);
		ok = ok && rs_wfinish(rj->w);
		ok = rs_wclose(rj->w) && ok;
		if (ok)
			ok = sl_ofile_commit(rj->f);
		else
			sl_ofile_abort(rj->f);
	} else {
		rs_wclose(rj->w);
		sl_ofile_abort(rj->f);
	}
	rs_header_free(rj->noted);
	free(rj);
	return ok;
}

bool
sl_rejects_remove(const char *path)
{
	int e = sl_ofile_unlink(path);

	if (e != 0) {
		sl_err("%s: cannot remove the rejects file of an earlier run: "
		    "%s", path, strerror(e));
		return false;
	}
	return true;
}
