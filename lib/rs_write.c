/*
 * rs_write.c: the row stream writer.
 *
 * Rows are packed with msgpack-c's packer into one output buffer, in
 * canonical form: integers in their smallest encoding (non-negative ones
 * as positive fixint or uint, negative ones as negative fixint or int),
 * strings and binaries with their smallest length field, floats as
 * float64. A row never straddles a flush, so when it is finished its
 * bytes lie together and are hashed in place with XXH3-64. The buffer is
 * written out when it passes WFLUSH bytes, between rows.
 *
 * Errors are sticky: after the first failure (a write error, a value of
 * the wrong class, too many values) every call is a no-op, and the
 * functions that return bool return false. The first error is reported.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xxhash.h>

#include "rowstream.h"

#define WFLUSH	(128 * 1024)

struct rs_writer {
	int		 fd;
	char		*name;
	struct sl_buf	*mem;		/* memory sink instead of fd */
	struct sl_buf	 out;
	msgpack_packer	 pk;
	struct rs_header *hdr;
	size_t		 rowstart;
	size_t		 nvals;
	bool		 inseg;
	bool		 inrow;
	bool		 failed;
	uint64_t	 rows;
	uint64_t	 hash;
	uint64_t	 total;
	uint64_t	 bytes;
	uint64_t	 segs;		/* segments ended */
};

/* The msgpack_packer callback: appends to a struct sl_buf. */
int
rs_buf_write(void *data, const char *p, size_t n)
{
	return sl_buf_add(data, p, n) ? 0 : -1;
}

/* Records the writer's first error and reports it as "name: message". */
static bool SL_PRINTF(2, 3)
wfail(struct rs_writer *w, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (!w->failed) {
		w->failed = true;
		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		sl_err("%s: %s", w->name, msg);
	}
	return false;
}

/* The packer's sink: the output buffer, failing the writer if it cannot grow. */
static int
wsink(void *data, const char *p, size_t n)
{
	struct rs_writer *w = data;

	if (!sl_buf_add(&w->out, p, n)) {
		wfail(w, "out of memory");
		return -1;
	}
	return 0;
}

/*
 * Packs one scalar in canonical form. Returns 0, or -1 when the packer's
 * sink fails or the object is not a scalar.
 */
int
rs_pack_value(msgpack_packer *pk, const msgpack_object *o)
{
	switch (o->type) {
	case MSGPACK_OBJECT_NIL:
		return msgpack_pack_nil(pk);
	case MSGPACK_OBJECT_BOOLEAN:
		return o->via.boolean ? msgpack_pack_true(pk) :
		    msgpack_pack_false(pk);
	case MSGPACK_OBJECT_POSITIVE_INTEGER:
		return msgpack_pack_uint64(pk, o->via.u64);
	case MSGPACK_OBJECT_NEGATIVE_INTEGER:
		return msgpack_pack_int64(pk, o->via.i64);
	case MSGPACK_OBJECT_FLOAT32:
	case MSGPACK_OBJECT_FLOAT64:
		return msgpack_pack_double(pk, o->via.f64);
	case MSGPACK_OBJECT_STR:
		if (msgpack_pack_str(pk, o->via.str.size) != 0)
			return -1;
		return msgpack_pack_str_body(pk, o->via.str.ptr,
		    o->via.str.size);
	case MSGPACK_OBJECT_BIN:
		if (msgpack_pack_bin(pk, o->via.bin.size) != 0)
			return -1;
		return msgpack_pack_bin_body(pk, o->via.bin.ptr,
		    o->via.bin.size);
	default:
		return -1;
	}
}

static struct rs_writer *
wnew(int fd, const char *name, struct sl_buf *mem)
{
	struct rs_writer *w;

	if ((w = calloc(1, sizeof(*w))) == NULL ||
	    (w->name = strdup(name)) == NULL ||
	    !sl_buf_grow(&w->out, 2 * WFLUSH)) {
		sl_err("out of memory");
		if (w != NULL)
			free(w->name);
		free(w);
		return NULL;
	}
	w->fd = fd;
	w->mem = mem;
	msgpack_packer_init(&w->pk, w, wsink);
	return w;
}

/* A writer on fd, which stays open; name is used in messages. */
struct rs_writer *
rs_wopen(int fd, const char *name)
{
	return wnew(fd, name, NULL);
}

/* A writer that appends the stream to out, for tests. */
struct rs_writer *
rs_wopen_buf(struct sl_buf *out)
{
	return wnew(-1, "memory", out);
}

/* Writes the buffer out. */
bool
rs_wflush(struct rs_writer *w)
{
	size_t done = 0;
	ssize_t n;

	if (w->failed)
		return false;
	if (w->mem != NULL) {
		if (!sl_buf_add(w->mem, w->out.p, w->out.len))
			return wfail(w, "out of memory");
		done = w->out.len;
	}
	while (done < w->out.len) {
		n = write(w->fd, w->out.p + done, w->out.len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return wfail(w, "write error: %s", strerror(errno));
		done += (size_t)n;
	}
	w->bytes += done;
	w->out.len = 0;
	return true;
}

/*
 * Flushes and frees the writer; true when everything reached the sink.
 * It writes no end mark (rs_wfinish does) and closes no open segment:
 * their absence is how readers learn that this writer failed.
 */
bool
rs_wclose(struct rs_writer *w)
{
	bool ok;

	if (w == NULL)
		return true;
	ok = !w->inrow && rs_wflush(w);
	rs_header_free(w->hdr);
	sl_buf_free(&w->out);
	free(w->name);
	free(w);
	return ok;
}

static void
packstr(struct rs_writer *w, const char *s)
{
	size_t n = strlen(s);

	msgpack_pack_str(&w->pk, n);
	msgpack_pack_str_body(&w->pk, s, n);
}

/* Starts a segment: writes h, which the writer copies. */
bool
rs_begin(struct rs_writer *w, const struct rs_header *h)
{
	size_t i, n;

	if (w->failed)
		return false;
	if (w->inseg)
		return wfail(w, "internal error: a segment "
		    "begins inside another");
	rs_header_free(w->hdr);
	if (!rs_header_check(h, w->name) || (w->hdr = rs_header_dup(h)) == NULL) {
		w->hdr = NULL;
		w->failed = true;	/* already reported */
		return false;
	}
	n = 3 + (h->nkey > 0) + (h->source != NULL);
	msgpack_pack_map(&w->pk, n);
	packstr(w, "rowstream");
	msgpack_pack_uint64(&w->pk, RS_VERSION);
	packstr(w, "table");
	packstr(w, h->table);
	packstr(w, "columns");
	msgpack_pack_array(&w->pk, h->ncols);
	for (i = 0; i < h->ncols; i++) {
		msgpack_pack_array(&w->pk, 2);
		packstr(w, h->cols[i].name);
		packstr(w, h->cols[i].type);
	}
	if (h->nkey > 0) {
		packstr(w, "key");
		msgpack_pack_array(&w->pk, h->nkey);
		for (i = 0; i < h->nkey; i++)
			packstr(w, h->key[i]);
	}
	if (h->source != NULL) {
		packstr(w, "source");
		packstr(w, h->source);
	}
	w->inseg = true;
	w->rows = w->hash = 0;
	return true;
}

/* Ends the segment with its trailer. */
bool
rs_end(struct rs_writer *w)
{
	if (w->failed)
		return false;
	if (!w->inseg || w->inrow)
		return wfail(w, "internal error: trailer outside "
		    "a segment or inside a row");
	msgpack_pack_map(&w->pk, 2);
	packstr(w, "rows");
	msgpack_pack_uint64(&w->pk, w->rows);
	packstr(w, "hash");
	msgpack_pack_uint64(&w->pk, w->hash);
	w->inseg = false;
	w->segs++;
	return w->out.len < WFLUSH || rs_wflush(w);
}

/*
 * Writes the end mark, {"end": N} with N the segments written, and
 * flushes. Call it once, when the program has succeeded and will write
 * nothing more: a stream without it is one whose writer failed. It
 * refuses inside a segment.
 */
bool
rs_wfinish(struct rs_writer *w)
{
	if (w->failed)
		return false;
	if (w->inseg)
		return wfail(w, "internal error: the end mark inside a segment");
	msgpack_pack_map(&w->pk, 1);
	packstr(w, "end");
	msgpack_pack_uint64(&w->pk, w->segs);
	return rs_wflush(w);
}

bool
rs_row_begin(struct rs_writer *w)
{
	if (w->failed)
		return false;
	if (!w->inseg || w->inrow)
		return wfail(w, "internal error: row outside a "
		    "segment or inside a row");
	w->inrow = true;
	w->rowstart = w->out.len;
	w->nvals = 0;
	msgpack_pack_array(&w->pk, w->hdr->ncols);
	return true;
}

/* Finishes the row: checks its arity, hashes it, counts it. */
bool
rs_row_end(struct rs_writer *w)
{
	uint64_t h;

	if (w->failed)
		return false;
	if (w->nvals != w->hdr->ncols)
		return wfail(w, "internal error: a row of \"%s\" with %zu "
		    "values, not %zu", w->hdr->table, w->nvals, w->hdr->ncols);
	h = XXH3_64bits(w->out.p + w->rowstart, w->out.len - w->rowstart);
	w->hash += h;
	w->rows++;
	w->total++;
	w->inrow = false;
	return w->out.len < WFLUSH || rs_wflush(w);
}

/*
 * Writes a row as it came from a reader whose header has the same
 * columns, without decoding or re-hashing it.
 */
bool
rs_row_copy(struct rs_writer *w, const struct rs_row *row)
{
	if (w->failed)
		return false;
	if (!w->inseg || w->inrow || row->ncols != w->hdr->ncols)
		return wfail(w, "internal error: row copied into "
		    "the wrong place");
	if (wsink(w, row->raw, row->len) != 0)
		return false;
	w->hash += row->hash;
	w->rows++;
	w->total++;
	return w->out.len < WFLUSH || rs_wflush(w);
}

/* Checks that the next value may be of class cls (-1: nil, any column). */
static bool
slot(struct rs_writer *w, int cls)
{
	const struct rs_col *c;

	if (w->failed)
		return false;
	if (!w->inrow || w->nvals >= w->hdr->ncols)
		return wfail(w, "internal error: value outside a "
		    "row, or too many values");
	c = &w->hdr->cols[w->nvals++];
	if (cls >= 0 && (enum rs_class)cls != c->cls)
		return wfail(w, "internal error: column \"%s\" (%s) given "
		    "a value of another type", c->name, c->type);
	return true;
}

void
rs_put_nil(struct rs_writer *w)
{
	if (slot(w, -1))
		msgpack_pack_nil(&w->pk);
}

void
rs_put_bool(struct rs_writer *w, bool b)
{
	if (slot(w, RS_BOOL))
		b ? msgpack_pack_true(&w->pk) : msgpack_pack_false(&w->pk);
}

void
rs_put_int(struct rs_writer *w, int64_t i)
{
	if (slot(w, RS_INT))
		msgpack_pack_int64(&w->pk, i);
}

void
rs_put_uint(struct rs_writer *w, uint64_t u)
{
	if (slot(w, RS_INT))
		msgpack_pack_uint64(&w->pk, u);
}

void
rs_put_double(struct rs_writer *w, double d)
{
	if (slot(w, RS_FLOAT))
		msgpack_pack_double(&w->pk, d);
}

void
rs_put_str(struct rs_writer *w, const char *p, size_t n)
{
	if (slot(w, RS_TEXT)) {
		msgpack_pack_str(&w->pk, n);
		msgpack_pack_str_body(&w->pk, p, n);
	}
}

void
rs_put_bin(struct rs_writer *w, const void *p, size_t n)
{
	if (slot(w, RS_BYTEA)) {
		msgpack_pack_bin(&w->pk, n);
		msgpack_pack_bin_body(&w->pk, p, n);
	}
}

/* Puts a decoded scalar, re-encoded canonically. */
void
rs_put_value(struct rs_writer *w, const msgpack_object *o)
{
	int cls;

	switch (o->type) {
	case MSGPACK_OBJECT_NIL:
		cls = -1;
		break;
	case MSGPACK_OBJECT_BOOLEAN:
		cls = RS_BOOL;
		break;
	case MSGPACK_OBJECT_POSITIVE_INTEGER:
	case MSGPACK_OBJECT_NEGATIVE_INTEGER:
		cls = RS_INT;
		break;
	case MSGPACK_OBJECT_FLOAT32:
	case MSGPACK_OBJECT_FLOAT64:
		cls = RS_FLOAT;
		break;
	case MSGPACK_OBJECT_STR:
		cls = RS_TEXT;
		break;
	case MSGPACK_OBJECT_BIN:
		cls = RS_BYTEA;
		break;
	default:
		wfail(w, "internal error: not a scalar");
		return;
	}
	if (slot(w, cls))
		rs_pack_value(&w->pk, o);
}

/*
 * Puts one value's canonical bytes as a reader gave them (a span of
 * rs_row.raw). The caller vouches that the value suits the column.
 */
void
rs_put_raw(struct rs_writer *w, const char *p, size_t n)
{
	if (slot(w, -1))
		wsink(w, p, n);
}

/*
 * Puts nvals values' canonical bytes at once (a span of several values of
 * rs_row.raw, e.g. a whole row's values for a rejects file).
 */
void
rs_put_raws(struct rs_writer *w, const char *p, size_t n, size_t nvals)
{
	if (w->failed)
		return;
	if (!w->inrow || w->hdr->ncols - w->nvals < nvals) {
		wfail(w, "internal error: too many values in a row");
		return;
	}
	w->nvals += nvals;
	wsink(w, p, n);
}

bool
rs_wfailed(const struct rs_writer *w)
{
	return w->failed;
}

const struct rs_header *
rs_wheader(const struct rs_writer *w)
{
	return w->hdr;
}

uint64_t
rs_wrows(const struct rs_writer *w)
{
	return w->rows;
}

uint64_t
rs_whash(const struct rs_writer *w)
{
	return w->hash;
}

uint64_t
rs_wtotal_rows(const struct rs_writer *w)
{
	return w->total;
}

/* Bytes written to the sink so far (not counting the buffer). */
uint64_t
rs_wsegments(const struct rs_writer *w)
{
	return w->segs;
}

uint64_t
rs_wbytes(const struct rs_writer *w)
{
	return w->bytes;
}
