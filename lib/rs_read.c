/*
 * rs_read.c: the row stream reader.
 *
 * Bytes go into msgpack-c's streaming unpacker (msgpack_unpacker), which
 * decodes them. Before the unpacker sees an object, a skimmer walks the
 * object's framing (type bytes and lengths only) to make sure the whole
 * object is in the buffer, within the size limit, nested no deeper than
 * RS_DEPTH and, for rows, made of exactly one scalar per column of the
 * right class. So the unpacker never sees a partial object: it never
 * allocates for an array or map whose elements have not arrived, garbage
 * is named at its byte offset, and msgpack-c's decoding is only asked to
 * do what it is good at.
 *
 * The skimmer also notes whether a row is already in canonical form (it
 * is when our own writer made it). If so the row's bytes are used as they
 * are; if not, the row is re-packed canonically from the decoded objects
 * into a scratch buffer. Either way the row hash is taken over canonical
 * bytes, so streams from other encoders (python-msgpack, say) check the
 * same.
 *
 * Memory: the unpacker's buffer (one read chunk, or the largest object),
 * msgpack-c's zone (cleared after every object, so reused), the header,
 * and per-column offsets. Nothing is allocated per row.
 *
 * This file is the per-object path, bytes to rows; the once-a-segment
 * half (header, trailer and end-mark checks, opening, closing and the
 * accessors) is lib/rs_reader.c, and lib/rs_int.h what the two share.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xxhash.h>

#include "exitcodes.h"
#include "rowstream.h"
#include "rs_int.h"

#define RS_CHUNK	(128 * 1024)	/* the least we ask read() for */
#define RS_DEPTH	16		/* nesting allowed in headers */
#define RS_ITEMS	(1 << 20)	/* elements allowed in a header */
#define RS_MAPLIMIT	(64UL * 1024 * 1024)	/* bytes in a header */

enum { SKIM_OK, SKIM_MORE, SKIM_ERR };

/* One element's framing, as item() decodes it. */
struct item {
	size_t	 hdr;		/* bytes of type and length fields */
	uint64_t payload;	/* bytes after them (str, bin, ext, numbers) */
	uint64_t children;	/* elements that follow (array n, map 2n) */
};

static const char *
typename(uint8_t b)
{
	if (b <= 0x7f || b >= 0xe0 || (b >= 0xcc && b <= 0xd3))
		return "an integer";
	if (b <= 0x8f || b == 0xde || b == 0xdf)
		return "a map";
	if (b <= 0x9f || b == 0xdc || b == 0xdd)
		return "an array";
	if (b <= 0xbf || (b >= 0xd9 && b <= 0xdb))
		return "a string";
	switch (b) {
	case 0xc0:
		return "nil";
	case 0xc2:
	case 0xc3:
		return "a boolean";
	case 0xc4:
	case 0xc5:
	case 0xc6:
		return "binary";
	case 0xca:
	case 0xcb:
		return "a float";
	case 0xc1:
		return "the invalid byte 0xc1";
	}
	return "an extension type";
}

/*
 * Records and reports the reader's error: "name: byte N: message". rel is
 * the offset within the current object. fail() in rs_int.h is its
 * printf-style front.
 */
enum rs_event
rs_vfail(struct rs_reader *r, int status, uint64_t rel, const char *fmt,
    va_list ap)
{
	char msg[384];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	snprintf(r->errmsg, sizeof(r->errmsg), "%s: byte %" PRIu64 ": %s",
	    r->name, r->pos + rel, msg);
	sl_err("%s", r->errmsg);
	r->failed = true;
	r->status = status;
	return RS_ERROR;
}

static uint64_t
be(const uint8_t *p, int n)
{
	uint64_t v = 0;

	while (n-- > 0)
		v = v << 8 | *p++;
	return v;
}

/*
 * Decodes the framing of the element at p. Returns the number of header
 * bytes, 0 when fewer than that are available (it->hdr then says how
 * many are needed), or -1 for the byte 0xc1, which MessagePack never uses.
 */
static int
item(const uint8_t *p, size_t avail, struct item *it)
{
	static const uint8_t fixlen[] = { 1, 2, 4, 8 };
	uint8_t b;

	it->payload = it->children = 0;
	it->hdr = 1;
	if (avail < 1)
		return 0;
	b = p[0];
	if (b <= 0x7f || b >= 0xe0 || b == 0xc0 || b == 0xc2 || b == 0xc3)
		return 1;
	if (b <= 0x8f) {
		it->children = 2 * (uint64_t)(b & 0x0f);
		return 1;
	}
	if (b <= 0x9f) {
		it->children = b & 0x0f;
		return 1;
	}
	if (b <= 0xbf) {
		it->payload = b & 0x1f;
		return 1;
	}
	switch (b) {
	case 0xc1:
		return -1;
	case 0xc4: case 0xc5: case 0xc6:	/* bin 8, 16, 32 */
		it->hdr = 1 + fixlen[b - 0xc4];
		if (avail < it->hdr)
			return 0;
		it->payload = be(p + 1, (int)it->hdr - 1);
		return (int)it->hdr;
	case 0xc7: case 0xc8: case 0xc9:	/* ext 8, 16, 32 */
		it->hdr = 2 + fixlen[b - 0xc7];
		if (avail < it->hdr)
			return 0;
		it->payload = be(p + 1, (int)it->hdr - 2);
		return (int)it->hdr;
	case 0xca:
		it->payload = 4;
		return 1;
	case 0xcb:
		it->payload = 8;
		return 1;
	case 0xcc: case 0xcd: case 0xce: case 0xcf:
		it->payload = fixlen[b - 0xcc];
		return 1;
	case 0xd0: case 0xd1: case 0xd2: case 0xd3:
		it->payload = fixlen[b - 0xd0];
		return 1;
	case 0xd4: case 0xd5: case 0xd6: case 0xd7: case 0xd8:
		it->hdr = 2;
		it->payload = (uint64_t)1 << (b - 0xd4);
		return avail < 2 ? 0 : 2;
	case 0xd9: case 0xda: case 0xdb:	/* str 8, 16, 32 */
		it->hdr = 1 + fixlen[b - 0xd9];
		if (avail < it->hdr)
			return 0;
		it->payload = be(p + 1, (int)it->hdr - 1);
		return (int)it->hdr;
	case 0xdc: case 0xdd:			/* array 16, 32 */
		it->hdr = 1 + fixlen[b - 0xdc + 1];
		if (avail < it->hdr)
			return 0;
		it->children = be(p + 1, (int)it->hdr - 1);
		return (int)it->hdr;
	case 0xde: case 0xdf:			/* map 16, 32 */
		it->hdr = 1 + fixlen[b - 0xde + 1];
		if (avail < it->hdr)
			return 0;
		it->children = 2 * be(p + 1, (int)it->hdr - 1);
		return (int)it->hdr;
	}
	return -1;
}

/*
 * Walks a header or trailer (any MessagePack object, within limits).
 * SKIM_OK: *need is its length. SKIM_MORE: *need is the least number of
 * bytes it is known to take. SKIM_ERR: reported.
 */
static int
skim_any(struct rs_reader *r, const uint8_t *p, size_t avail, size_t *need)
{
	uint64_t left[RS_DEPTH + 1], items = 0, pos = 0, limit;
	struct item it;
	int depth = 0, h;

	limit = r->limit < RS_MAPLIMIT ? r->limit : RS_MAPLIMIT;
	left[0] = 1;
	while (depth >= 0) {
		if (left[depth] == 0) {
			depth--;
			continue;
		}
		left[depth]--;
		if ((h = item(p + pos, avail - pos, &it)) == 0) {
			*need = pos + it.hdr;
			return SKIM_MORE;
		}
		if (h < 0) {
			fail(r, EXIT_STREAM, pos, "invalid MessagePack byte 0x%02x",
			    p[pos]);
			return SKIM_ERR;
		}
		if (++items > RS_ITEMS) {
			fail(r, EXIT_STREAM, pos, "header or trailer has more "
			    "than %d elements", RS_ITEMS);
			return SKIM_ERR;
		}
		pos += it.hdr + it.payload;
		if (pos + it.children > limit) {
			fail(r, EXIT_STREAM, 0, "header or trailer of at least "
			    "%" PRIu64 " bytes is larger than the limit of "
			    "%" PRIu64, pos + it.children, limit);
			return SKIM_ERR;
		}
		if (it.children > 0) {
			if (depth == RS_DEPTH) {
				fail(r, EXIT_STREAM, pos, "nested deeper than "
				    "%d levels", RS_DEPTH);
				return SKIM_ERR;
			}
			left[++depth] = it.children;
		}
		if (pos > avail) {
			*need = pos;
			return SKIM_MORE;
		}
	}
	*need = pos;
	return SKIM_OK;
}

/* Is the integer, length or count field of the element at p minimal? */
static bool
minimal(const uint8_t *p)
{
	switch (p[0]) {
	case 0xcc:				/* uint 8: 128 .. 255 */
		return p[1] >= 0x80;
	case 0xcd:				/* uint 16: from 2^8 */
	case 0xda:				/* str 16 */
	case 0xc5:				/* bin 16 */
		return p[1] != 0;
	case 0xce:				/* uint 32: from 2^16 */
	case 0xdb:				/* str 32 */
	case 0xc6:				/* bin 32 */
	case 0xdd:				/* array 32 */
		return (p[1] | p[2]) != 0;
	case 0xcf:				/* uint 64: from 2^32 */
		return (p[1] | p[2] | p[3] | p[4]) != 0;
	case 0xd0:				/* int 8: -128 .. -33 */
		return (int8_t)p[1] < -32;
	case 0xd1:
		return (int16_t)be(p + 1, 2) < -128;
	case 0xd2:
		return (int32_t)be(p + 1, 4) < -32768;
	case 0xd3:
		return (int64_t)be(p + 1, 8) < INT32_MIN;
	case 0xd9:				/* str 8: from 32 bytes */
		return p[1] >= 32;
	case 0xdc:				/* array 16: from 16 */
		return be(p + 1, 2) >= 16;
	case 0xca:				/* floats are float64 */
		return false;
	}
	return true;
}

/* The class of a scalar's first byte; -1 for nil, -2 for non-scalars. */
static int
classof(uint8_t b)
{
	if (b <= 0x7f || b >= 0xe0 || (b >= 0xcc && b <= 0xd3))
		return RS_INT;
	if ((b >= 0xa0 && b <= 0xbf) || (b >= 0xd9 && b <= 0xdb))
		return RS_TEXT;
	switch (b) {
	case 0xc0:
		return -1;
	case 0xc2:
	case 0xc3:
		return RS_BOOL;
	case 0xc4:
	case 0xc5:
	case 0xc6:
		return RS_BYTEA;
	case 0xca:
	case 0xcb:
		return RS_FLOAT;
	}
	return -2;
}

/*
 * Walks a row: an array of exactly ncols scalars of the columns' classes.
 * Fills r->off with each value's offset and sets *canon when every length
 * and integer is in its smallest form and floats are float64.
 */
static int
skim_row(struct rs_reader *r, const uint8_t *p, size_t avail, size_t *need,
    bool *canon)
{
	const struct rs_header *h = r->hdr;
	uint64_t n, pos;
	struct item it;
	size_t i;
	int c;

	if (item(p, avail, &it) == 0) {
		*need = it.hdr;
		return SKIM_MORE;
	}
	n = it.children;
	if (n != h->ncols) {
		fail(r, EXIT_STREAM, 0, "row %" PRIu64 " of \"%s\" has %" PRIu64
		    " values, the header has %zu columns", r->rows + 1,
		    h->table, n, h->ncols);
		return SKIM_ERR;
	}
	*canon = minimal(p);
	pos = it.hdr;
	for (i = 0; i < n; i++) {
		r->off[i] = (uint32_t)pos;
		if (item(p + pos, avail - pos, &it) == 0) {
			*need = pos + it.hdr;
			return SKIM_MORE;
		}
		c = classof(p[pos]);
		if (c == -2) {
			fail(r, EXIT_STREAM, pos, "row %" PRIu64 " of \"%s\", "
			    "column \"%s\": %s is not a valid value",
			    r->rows + 1, h->table, h->cols[i].name,
			    typename(p[pos]));
			return SKIM_ERR;
		}
		if (c >= 0 && (enum rs_class)c != h->cols[i].cls) {
			fail(r, EXIT_STREAM, pos, "row %" PRIu64 " of \"%s\", "
			    "column \"%s\" (%s): expected %s, found %s",
			    r->rows + 1, h->table, h->cols[i].name,
			    h->cols[i].type, rs_class_name(h->cols[i].cls),
			    typename(p[pos]));
			return SKIM_ERR;
		}
		if (pos + it.hdr + it.payload > r->limit) {
			fail(r, EXIT_STREAM, 0, "row %" PRIu64 " of \"%s\" is "
			    "larger than the limit of %zu bytes", r->rows + 1,
			    h->table, r->limit);
			return SKIM_ERR;
		}
		if (pos + it.hdr + it.payload > avail) {
			*need = pos + it.hdr + it.payload;
			return SKIM_MORE;
		}
		if (*canon && !minimal(p + pos))
			*canon = false;
		pos += it.hdr + it.payload;
	}
	r->off[n] = (uint32_t)pos;
	*need = pos;
	return SKIM_OK;
}

/* Reads until at least want bytes are buffered or the input ends. */
static bool
fill(struct rs_reader *r, size_t want)
{
	msgpack_unpacker *u = &r->mpac;
	size_t avail = u->used - u->off, ask;
	ssize_t n;

	while (avail < want && !r->eof) {
		/*
		 * Ask for what is missing, but never more than twice what has
		 * arrived: a length field is only a claim, and a few bytes
		 * that declare a gigabyte must not make us allocate one.
		 */
		ask = want - avail;
		if (ask > avail)
			ask = avail;
		if (ask < RS_CHUNK)
			ask = RS_CHUNK;
		if (!msgpack_unpacker_reserve_buffer(u, ask)) {
			fail(r, EXIT_IO, avail, "out of memory buffering "
			    "%zu bytes", want);
			return false;
		}
		ask = msgpack_unpacker_buffer_capacity(u);
		if (r->mem != NULL) {
			n = (ssize_t)(r->memlen - r->mempos);
			if (r->memchunk > 0 && (size_t)n > r->memchunk)
				n = (ssize_t)r->memchunk;
			if ((size_t)n > ask)
				n = (ssize_t)ask;
			memcpy(msgpack_unpacker_buffer(u), r->mem + r->mempos,
			    (size_t)n);
			r->mempos += (size_t)n;
		} else if ((n = read(r->fd, msgpack_unpacker_buffer(u),
		    ask)) < 0) {
			if (errno == EINTR)
				continue;
			fail(r, EXIT_IO, avail, "read error: %s",
			    strerror(errno));
			return false;
		}
		if (n == 0)
			r->eof = true;
		msgpack_unpacker_buffer_consumed(u, (size_t)n);
		avail += (size_t)n;
	}
	return true;
}

static enum rs_event
truncated(struct rs_reader *r, size_t avail)
{
	if (avail > 0)
		return fail(r, EXIT_STREAM, avail, "truncated stream: input "
		    "ends inside an object that starts at byte %" PRIu64,
		    r->pos);
	if (r->state == ST_START)
		return fail(r, EXIT_STREAM, 0, "truncated stream: no data, "
		    "not even a header (did the program writing it fail?)");
	if (r->state == ST_AFTER)
		return fail(r, EXIT_STREAM, 0, "truncated stream: input ends "
		    "after the trailer of \"%s\" (segment %" PRIu64 ") without "
		    "the end mark (did the program writing it fail?)",
		    r->hdr->table, r->seg);
	return fail(r, EXIT_STREAM, 0, "truncated stream: input ends after "
	    "%" PRIu64 " rows of \"%s\" (segment %" PRIu64 "), before its "
	    "trailer", r->rows, r->hdr->table, r->seg);
}

/*
 * Makes sure one whole object is buffered at the unpacker's offset, which
 * the caller has made sure is not at the end of input. Returns its length
 * in *len, or 0 on error (reported).
 */
static size_t
whole(struct rs_reader *r, bool row, bool *canon)
{
	msgpack_unpacker *u = &r->mpac;
	size_t avail, need;
	int s;

	for (;;) {
		avail = u->used - u->off;
		*canon = false;
		s = row ? skim_row(r, (const uint8_t *)u->buffer + u->off,
		    avail, &need, canon) :
		    skim_any(r, (const uint8_t *)u->buffer + u->off, avail,
		    &need);
		if (s == SKIM_OK)
			return need;
		if (s == SKIM_ERR)
			return 0;
		if (r->eof) {
			truncated(r, avail);
			return 0;
		}
		if (!fill(r, need))
			return 0;
	}
}

/* Decodes the skimmed object of len bytes with msgpack-c. */
static bool
decode(struct rs_reader *r, size_t len, msgpack_object *o)
{
	msgpack_unpacker *u = &r->mpac;
	size_t off = u->off;
	int ret;

	ret = msgpack_unpacker_execute(u);
	if (ret <= 0 || u->off - off != len) {
		fail(r, EXIT_STREAM, 0, "cannot decode the object (%s)",
		    ret < 0 ? "msgpack-c reports a parse error" :
		    "msgpack-c disagrees on its length");
		return false;
	}
	*o = msgpack_unpacker_data(u);
	msgpack_unpacker_reset(u);
	r->zoned = true;
	return true;
}
/* Re-packs a row that was not canonical into r->canon. */
static bool
canonicalize(struct rs_reader *r, msgpack_object *v, size_t n)
{
	size_t i;

	sl_buf_reset(&r->canon);
	if (msgpack_pack_array(&r->canonpk, n) != 0)
		goto oom;
	for (i = 0; i < n; i++) {
		r->off[i] = (uint32_t)r->canon.len;
		if (v[i].type == MSGPACK_OBJECT_FLOAT32)
			v[i].type = MSGPACK_OBJECT_FLOAT64;
		if (rs_pack_value(&r->canonpk, &v[i]) != 0)
			goto oom;
	}
	r->off[n] = (uint32_t)r->canon.len;
	return true;
oom:
	fail(r, EXIT_IO, 0, "out of memory re-packing a row");
	return false;
}

static enum rs_event
row(struct rs_reader *r, size_t len, bool canon)
{
	const char *raw = r->mpac.buffer + r->mpac.off;
	msgpack_object o;

	if (!decode(r, len, &o))
		return RS_ERROR;
	r->row.ncols = r->hdr->ncols;
	r->row.v = o.via.array.ptr;
	r->row.off = r->off;
	if (canon) {
		r->row.raw = raw;
		r->row.len = len;
	} else {
		if (!canonicalize(r, o.via.array.ptr, o.via.array.size))
			return RS_ERROR;
		r->row.raw = r->canon.p;
		r->row.len = r->canon.len;
	}
	r->row.hash = XXH3_64bits(r->row.raw, r->row.len);
	r->row.num = ++r->rows;
	r->hash += r->row.hash;
	r->total++;
	r->pos += len;
	return RS_ROW;
}

/* The next object of the stream, end marks included. */
static enum rs_event
next_object(struct rs_reader *r)
{
	msgpack_unpacker *u = &r->mpac;
	msgpack_object o;
	enum rs_event ev;
	size_t len;
	bool canon;
	uint8_t b;

	if (r->failed)
		return RS_ERROR;
	if (r->zoned) {
		msgpack_unpacker_reset_zone(u);
		r->zoned = false;
	}
	if (u->used == u->off && !fill(r, 1))
		return RS_ERROR;
	if (u->used == u->off)
		return r->state == ST_END ? RS_EOF : truncated(r, 0);
	b = (uint8_t)u->buffer[u->off];
	if (r->state == ST_SEG && ((b & 0xf0) == 0x90 || b == 0xdc ||
	    b == 0xdd)) {
		if ((len = whole(r, true, &canon)) == 0)
			return RS_ERROR;
		return row(r, len, canon);
	}
	if ((b & 0xf0) != 0x80 && b != 0xde && b != 0xdf) {
		if (r->state == ST_SEG)
			return fail(r, EXIT_STREAM, 0, "expected a row or a "
			    "trailer, found %s (byte 0x%02x)", typename(b), b);
		return fail(r, EXIT_STREAM, 0, "not a row stream: expected a "
		    "header map, found %s (byte 0x%02x)", typename(b), b);
	}
	if ((len = whole(r, false, &canon)) == 0 || !decode(r, len, &o))
		return RS_ERROR;
	ev = r->state == ST_SEG ? rs_read_trailer(r, &o) :
	    rs_read_header(r, &o);
	if (ev == RS_ERROR)
		return ev;
	r->pos += len;
	return ev;
}

/*
 * The next event of the stream. After RS_ROW, rs_row() is valid until the
 * next call; after RS_HEADER, rs_header() until the next RS_HEADER. End
 * marks are checked and passed over: RS_EOF means the input ended right
 * after one. Once RS_ERROR is returned every later call returns it again.
 */
enum rs_event
rs_next(struct rs_reader *r)
{
	enum rs_event ev;

	while ((ev = next_object(r)) == RS_END)
		;
	return ev;
}
