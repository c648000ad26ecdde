/*
 * vreject.c: verify's rejects files (vcmp.h). A rejects segment of the
 * stream verified (its columns, and "_error", as load writes them)
 * holds rows that are subtracted from the source side; any other (a
 * remap rejects file, with the int key the stream has as a uuid) holds
 * rows rejected before the stream, which count as source rows rejected.
 * Either way each row's reason is tallied by its shape.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "exitcodes.h"
#include "vcmp.h"

/*
 * A reason without the values it names, so that rows rejected for the
 * same cause count together: "Key (email)=(a@x) already exists" and
 * "orphan: student_id=12" become "Key (email)=(...) already exists" and
 * "orphan: student_id=...".
 */
bool
vcmp_reason_shape(struct sl_buf *b, const char *p, size_t n)
{
	size_t i = 0, depth;
	bool okay = true;

	sl_buf_reset(b);
	while (i < n && okay) {
		okay = sl_buf_addc(b, p[i]);
		if (p[i++] != '=' || i == n)
			continue;
		if (p[i] == '(') {
			for (depth = 0; i < n; i++)
				if (p[i] == '(')
					depth++;
				else if (p[i] == ')' && --depth == 0)
					break;
			i++;
			okay = sl_buf_adds(b, "(...)");
		} else if (p[i] != ' ') {
			while (i < n && p[i] != ' ' && p[i] != ',' && p[i] != ')')
				i++;
			okay = sl_buf_adds(b, "...");
		}
	}
	return okay && sl_buf_cstr(b);
}

static bool
tally_reason(struct vcmp *v, struct vtab *t, const msgpack_object *o)
{
	size_t i;

	if (o == NULL || o->type != MSGPACK_OBJECT_STR) {
		t->rej_other++;
		return true;
	}
	if (!vcmp_reason_shape(&v->txt, o->via.str.ptr, o->via.str.size))
		return vcmp_fail(v, EXIT_IO, "out of memory");
	for (i = 0; i < t->nreason; i++)
		if (strcmp(t->reason[i].text, v->txt.p) == 0) {
			t->reason[i].rows++;
			return true;
		}
	if (t->nreason == VCMP_MAXREASONS) {
		t->rej_other++;
		return true;
	}
	if ((t->reason[t->nreason].text = strdup(v->txt.p)) == NULL)
		return vcmp_fail(v, EXIT_IO, "out of memory");
	t->reason[t->nreason++].rows = 1;
	return true;
}

/* Whether a rejects segment holds rows of the stream verified. */
static bool
in_stream(const struct vcmp *v, const struct vtab *t,
    const struct rs_header *o)
{
	size_t i;
	long k;

	if (vcmp_compared(v, o) != t->h->ncols +
	    (rs_header_find(o, "_error") >= 0))
		return false;
	for (i = 0; i < t->h->ncols; i++)
		if ((k = rs_header_find(o, t->h->cols[i].name)) < 0 ||
		    strcasecmp(o->cols[k].type, t->h->cols[i].type) != 0)
			return false;
	return true;
}

/* One rejects segment's row. */
static bool
reject_row(struct vcmp *v, struct vtab *t, const struct rs_row *row,
    long e, bool ours, const long *map, bool moved, struct kidx *ix)
{
	struct vrow r;
	uint64_t kh = 0;

	t->rej_rows++;
	if (!tally_reason(v, t, e < 0 ? NULL : &row->v[e]))
		return false;
	if (!ours) {
		t->rows[VSRC]++;
		return true;
	}
	if (!vcmp_project(v, t, row, map, moved, &r))
		return false;
	t->rej_hash += r.hash;
	if (ix == NULL)
		return true;
	if (!vcmp_key_hash(v, t, &r, &kh))
		return false;
	return kidx_add(ix, kh, r.hash) || vcmp_fail(v, EXIT_IO, NULL);
}

/* Reads the segments of table name in one rejects file into t. */
static bool
load_rejects(struct vcmp *v, struct vtab *t, const char *file,
    const char *name, struct kidx *ix)
{
	struct rs_reader *r;
	enum rs_event ev;
	long *map, e = -1;
	bool moved = false, mine = false, ours = false, ok = true;
	struct stat st;

	/* a stage that rejected nothing leaves a rejects file of no segments */
	if (stat(file, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 0)
		return true;
	if ((map = calloc(t->h->ncols + 1, sizeof(*map))) == NULL)
		return vcmp_fail(v, EXIT_IO, "out of memory");
	if ((r = rs_open(file)) == NULL) {
		free(map);
		return vcmp_fail(v, EXIT_IO, NULL);
	}
	while (ok && (ev = rs_next(r)) != RS_EOF) {
		if (ev == RS_ERROR) {
			ok = vcmp_fail(v, rs_status(r), NULL);
		} else if (ev == RS_HEADER) {
			mine = strcmp(rs_header(r)->table, name) == 0;
			if (mine && (ours = in_stream(v, t, rs_header(r))))
				ok = vcmp_projection(v, t, rs_header(r), file,
				    map, &moved);
			if (mine)
				e = rs_header_find(rs_header(r), "_error");
		} else if (ev == RS_ROW && mine) {
			ok = reject_row(v, t, rs_row(r), e, ours, map, moved,
			    ix);
		}
	}
	rs_close(r);
	free(map);
	return ok;
}

bool
vcmp_rejects_for(struct vcmp *v, struct vtab *t, const char *name)
{
	struct kidx *ix = NULL, **rej;
	char **names;
	size_t i;

	for (i = 0; i < t->nrejnames; i++)
		if (strcmp(t->rejnames[i], name) == 0)
			return true;
	if ((names = realloc(t->rejnames, (t->nrejnames + 1) *
	    sizeof(*names))) == NULL)
		return vcmp_fail(v, EXIT_IO, "out of memory");
	t->rejnames = names;
	if ((t->rejnames[t->nrejnames] = strdup(name)) == NULL)
		return vcmp_fail(v, EXIT_IO, "out of memory");
	t->nrejnames++;
	if (v->nrejfiles == 0)
		return true;
	if (t->nkeys > 0 && (ix = kidx_new()) == NULL)
		return vcmp_fail(v, EXIT_IO, NULL);
	if ((rej = realloc(t->rej, (t->nrej + 1) * sizeof(*rej))) == NULL) {
		kidx_free(ix);
		return vcmp_fail(v, EXIT_IO, "out of memory");
	}
	t->rej = rej;
	if (ix != NULL)
		t->rej[t->nrej++] = ix;	/* owned by t from here */
	for (i = 0; i < v->nrejfiles; i++)
		if (!load_rejects(v, t, v->rejfiles[i], name, ix))
			return false;
	return ix == NULL || kidx_seal(ix) || vcmp_fail(v, EXIT_IO, NULL);
}
