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
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xxhash.h>

#include "exitcodes.h"
#include "rowstream.h"

#define RS_BUFSIZE	(256 * 1024)	/* the unpacker's initial buffer */
#define RS_CHUNK	(128 * 1024)	/* the least we ask read() for */
#define RS_DEPTH	16		/* nesting allowed in headers */
#define RS_ITEMS	(1 << 20)	/* elements allowed in a header */
#define RS_MAPLIMIT	(64UL * 1024 * 1024)	/* bytes in a header */

/*
 * Where the reader is: before anything, inside a segment, after a trailer
 * (an end mark or another header must follow), after an end mark (the
 * input may end, or another stream may be joined on).
 */
enum { ST_START, ST_SEG, ST_AFTER, ST_END };
enum { SKIM_OK, SKIM_MORE, SKIM_ERR };
#define RS_END	((enum rs_event)99)	/* an end mark: rs_next reads on */

struct rs_reader {
	char		*name;
	int		 fd;
	bool		 ownfd;
	const char	*mem;		/* memory source, for tests */
	size_t		 memlen;
	size_t		 mempos;
	size_t		 memchunk;
	bool		 eof;
	bool		 failed;
	int		 status;
	char		 errmsg[512];

	msgpack_unpacker mpac;
	bool		 zoned;		/* the zone holds the last object */
	size_t		 limit;

	int		 state;
	struct rs_header *hdr;
	uint32_t	*off;		/* ncols + 1 offsets */
	struct sl_buf	 canon;		/* re-packed non-canonical rows */
	msgpack_packer	 canonpk;
	struct rs_row	 row;

	uint64_t	 seg;		/* segments begun */
	uint64_t	 since;		/* segments since the last end mark */
	uint64_t	 ends;		/* end marks read */
	uint64_t	 rows;		/* rows in this segment */
	uint64_t	 hash;		/* their hash sum */
	uint64_t	 total;		/* rows in all segments */
	uint64_t	 pos;		/* stream offset of the current object */
};

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
 * the offset within the current object.
 */
static enum rs_event SL_PRINTF(4, 5)
fail(struct rs_reader *r, int status, uint64_t rel, const char *fmt, ...)
{
	char msg[384];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
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

static bool
isstr(const msgpack_object *o, const char *s)
{
	size_t n = strlen(s);

	return o->type == MSGPACK_OBJECT_STR && o->via.str.size == n &&
	    memcmp(o->via.str.ptr, s, n) == 0;
}

static const msgpack_object *
lookup(const msgpack_object *map, const char *key)
{
	uint32_t i;

	for (i = 0; i < map->via.map.size; i++)
		if (isstr(&map->via.map.ptr[i].key, key))
			return &map->via.map.ptr[i].val;
	return NULL;
}

/* A C string from a MessagePack str, or NULL (reported) if it has a NUL. */
static char *
cstr(struct rs_reader *r, const msgpack_object *o, const char *what)
{
	char *s;

	if (memchr(o->via.str.ptr, '\0', o->via.str.size) != NULL) {
		fail(r, EXIT_STREAM, 0, "header: %s contains a NUL byte", what);
		return NULL;
	}
	if ((s = malloc(o->via.str.size + 1)) == NULL) {
		fail(r, EXIT_IO, 0, "out of memory");
		return NULL;
	}
	memcpy(s, o->via.str.ptr, o->via.str.size);
	s[o->via.str.size] = '\0';
	return s;
}

static bool
header_cols(struct rs_reader *r, struct rs_header *h, const msgpack_object *c)
{
	const msgpack_object *pair;
	char *name, *type;
	uint32_t i;
	bool ok;

	for (i = 0; i < c->via.array.size; i++) {
		pair = &c->via.array.ptr[i];
		if (pair->type != MSGPACK_OBJECT_ARRAY ||
		    pair->via.array.size != 2 ||
		    pair->via.array.ptr[0].type != MSGPACK_OBJECT_STR ||
		    pair->via.array.ptr[1].type != MSGPACK_OBJECT_STR) {
			fail(r, EXIT_STREAM, 0, "header: column %u is not a "
			    "[name, type] pair of strings", i + 1);
			return false;
		}
		if ((name = cstr(r, &pair->via.array.ptr[0], "a column name"))
		    == NULL)
			return false;
		if ((type = cstr(r, &pair->via.array.ptr[1], "a type name"))
		    == NULL) {
			free(name);
			return false;
		}
		ok = rs_header_setcol(h, i, name, type);
		free(name);
		free(type);
		if (!ok)
			return false;
	}
	return true;
}

static bool
header_key(struct rs_reader *r, struct rs_header *h, const msgpack_object *k)
{
	char **names;
	uint32_t i, n = 0;
	bool ok = false;

	if (k->type != MSGPACK_OBJECT_ARRAY) {
		fail(r, EXIT_STREAM, 0, "header: \"key\" is not an array");
		return false;
	}
	if ((names = calloc(k->via.array.size + 1, sizeof(*names))) == NULL) {
		fail(r, EXIT_IO, 0, "out of memory");
		return false;
	}
	for (n = 0; n < k->via.array.size; n++) {
		if (k->via.array.ptr[n].type != MSGPACK_OBJECT_STR) {
			fail(r, EXIT_STREAM, 0, "header: \"key\" holds a "
			    "value that is not a column name");
			goto out;
		}
		if ((names[n] = cstr(r, &k->via.array.ptr[n], "a key name"))
		    == NULL)
			goto out;
	}
	ok = rs_header_setkey(h, n, (const char *const *)names);
out:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return ok;
}

/*
 * An end mark, {"end": N}: the writer finished, having written N segments
 * since its start (or since the previous end mark, when streams are
 * joined). What follows may be the end of input or another stream.
 */
static enum rs_event
endmark(struct rs_reader *r, const msgpack_object *n)
{
	if (n->type != MSGPACK_OBJECT_POSITIVE_INTEGER)
		return fail(r, EXIT_STREAM, 0, "end mark: \"end\" is not an "
		    "unsigned integer");
	if (n->via.u64 != r->since)
		return fail(r, EXIT_STREAM, 0, "end mark says %" PRIu64
		    " segments, the stream has %" PRIu64 " since %s",
		    n->via.u64, r->since, r->ends > 0 ? "the previous end "
		    "mark" : "its start");
	r->since = 0;
	r->ends++;
	r->state = ST_END;
	return RS_END;
}

/* Builds r->hdr from a header map. */
static enum rs_event
header(struct rs_reader *r, const msgpack_object *m)
{
	const msgpack_object *v, *table, *cols;
	struct rs_header *h;
	char *s, why[320];
	bool ok;
	int st;

	if ((v = lookup(m, "rowstream")) == NULL) {
		if ((v = lookup(m, "end")) != NULL)
			return endmark(r, v);
		if (lookup(m, "rows") != NULL)
			return fail(r, EXIT_STREAM, 0, "found a trailer where "
			    "a header was expected");
		return fail(r, EXIT_STREAM, 0, "not a row stream: a map "
		    "without \"rowstream\" where a header was expected");
	}
	if (v->type != MSGPACK_OBJECT_POSITIVE_INTEGER || v->via.u64 != 1)
		return fail(r, EXIT_STREAM, 0, "unsupported rowstream version "
		    "(this reader knows version %d)", RS_VERSION);
	table = lookup(m, "table");
	cols = lookup(m, "columns");
	if (table == NULL || table->type != MSGPACK_OBJECT_STR)
		return fail(r, EXIT_STREAM, 0, "header: \"table\" is missing "
		    "or not a string");
	if (cols == NULL || cols->type != MSGPACK_OBJECT_ARRAY)
		return fail(r, EXIT_STREAM, 0, "header: \"columns\" is missing "
		    "or not an array");
	if ((s = cstr(r, table, "the table name")) == NULL)
		return RS_ERROR;
	h = rs_header_new(s, cols->via.array.size);
	free(s);
	if (h == NULL)
		return fail(r, EXIT_IO, 0, "out of memory");
	ok = header_cols(r, h, cols);
	if (ok && (v = lookup(m, "key")) != NULL)
		ok = header_key(r, h, v);
	if (ok && (v = lookup(m, "source")) != NULL) {
		if (v->type != MSGPACK_OBJECT_STR) {
			fail(r, EXIT_STREAM, 0, "header: \"source\" is not a "
			    "string");
			ok = false;
		} else if ((s = cstr(r, v, "the source")) == NULL) {
			ok = false;
		} else {
			ok = rs_header_setsource(h, s);
			free(s);
		}
	}
	if (ok && (st = rs_header_fault(h, why, sizeof(why))) != 0) {
		fail(r, st, 0, "%s", why);	/* one message, one prefix */
		ok = false;
	}
	if (!ok) {
		rs_header_free(h);
		return RS_ERROR;
	}
	free(r->off);
	if ((r->off = calloc(h->ncols + 1, sizeof(*r->off))) == NULL) {
		rs_header_free(h);
		return fail(r, EXIT_IO, 0, "out of memory");
	}
	rs_header_free(r->hdr);
	r->hdr = h;
	r->state = ST_SEG;
	r->seg++;
	r->since++;
	r->rows = 0;
	r->hash = 0;
	return RS_HEADER;
}

static enum rs_event
trailer(struct rs_reader *r, const msgpack_object *m)
{
	const msgpack_object *rows, *hash;

	if (lookup(m, "end") != NULL && lookup(m, "rows") == NULL)
		return fail(r, EXIT_STREAM, 0, "an end mark after %" PRIu64
		    " rows of \"%s\" (segment %" PRIu64 "), which has no "
		    "trailer", r->rows, r->hdr->table, r->seg);
	if (lookup(m, "rowstream") != NULL)
		return fail(r, EXIT_STREAM, 0, "a new header after %" PRIu64
		    " rows of \"%s\" (segment %" PRIu64 "), which has no "
		    "trailer", r->rows, r->hdr->table, r->seg);
	rows = lookup(m, "rows");
	hash = lookup(m, "hash");
	if (rows == NULL || rows->type != MSGPACK_OBJECT_POSITIVE_INTEGER ||
	    hash == NULL || hash->type != MSGPACK_OBJECT_POSITIVE_INTEGER)
		return fail(r, EXIT_STREAM, 0, "trailer of \"%s\" lacks an "
		    "unsigned \"rows\" or \"hash\"", r->hdr->table);
	if (rows->via.u64 != r->rows)
		return fail(r, EXIT_STREAM, 0, "trailer of \"%s\" says %" PRIu64
		    " rows, the segment has %" PRIu64, r->hdr->table,
		    rows->via.u64, r->rows);
	if (hash->via.u64 != r->hash)
		return fail(r, EXIT_STREAM, 0, "trailer of \"%s\" has hash "
		    "%016" PRIx64 ", the rows hash to %016" PRIx64
		    " (rows changed on the way?)", r->hdr->table,
		    hash->via.u64, r->hash);
	r->state = ST_AFTER;
	return RS_TRAILER;
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
	ev = r->state == ST_SEG ? trailer(r, &o) : header(r, &o);
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

/* Opens a stream file; "-" is standard input. NULL on error (reported). */
struct rs_reader *
rs_open(const char *path)
{
	struct rs_reader *r;
	int fd;

	if (strcmp(path, "-") == 0)
		return rs_fdopen(0, "stdin");
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		sl_err("%s: %s", path, strerror(errno));
		return NULL;
	}
	if ((r = rs_fdopen(fd, path)) == NULL) {
		close(fd);
		return NULL;
	}
	r->ownfd = true;
	return r;
}

/* A reader on fd, which stays open; name is used in messages. */
struct rs_reader *
rs_fdopen(int fd, const char *name)
{
	struct rs_reader *r;

	if ((r = calloc(1, sizeof(*r))) == NULL) {
		sl_err("out of memory");
		return NULL;
	}
	if ((r->name = strdup(name)) == NULL ||
	    !msgpack_unpacker_init(&r->mpac, RS_BUFSIZE)) {
		sl_err("out of memory");
		free(r->name);
		free(r);
		return NULL;
	}
	r->fd = fd;
	r->limit = RS_LIMIT;
	r->state = ST_START;
	msgpack_packer_init(&r->canonpk, &r->canon, rs_buf_write);
	return r;
}

/*
 * A reader on n bytes at p, which must outlive it. chunk, when not 0, is
 * the most one read returns, so tests can feed a stream a byte at a time.
 */
struct rs_reader *
rs_memopen(const void *p, size_t n, const char *name, size_t chunk)
{
	struct rs_reader *r;

	if ((r = rs_fdopen(-1, name)) == NULL)
		return NULL;
	r->mem = p != NULL ? p : "";
	r->memlen = n;
	r->memchunk = chunk;
	return r;
}

void
rs_close(struct rs_reader *r)
{
	if (r == NULL)
		return;
	if (r->ownfd)
		close(r->fd);
	msgpack_unpacker_destroy(&r->mpac);
	rs_header_free(r->hdr);
	sl_buf_free(&r->canon);
	free(r->off);
	free(r->name);
	free(r);
}

/* The largest object (row, header) the reader accepts, in bytes. */
void
rs_set_limit(struct rs_reader *r, size_t limit)
{
	r->limit = limit < UINT32_MAX ? limit : UINT32_MAX;
}

const struct rs_header *
rs_header(const struct rs_reader *r)
{
	return r->hdr;
}

const struct rs_row *
rs_row(const struct rs_reader *r)
{
	return &r->row;
}

const char *
rs_name(const struct rs_reader *r)
{
	return r->name;
}

uint64_t
rs_segment(const struct rs_reader *r)
{
	return r->seg;
}

uint64_t
rs_rows(const struct rs_reader *r)
{
	return r->rows;
}

uint64_t
rs_hash(const struct rs_reader *r)
{
	return r->hash;
}

/* End marks read so far: 1 for a whole stream, more for joined ones. */
uint64_t
rs_ends(const struct rs_reader *r)
{
	return r->ends;
}

uint64_t
rs_total_rows(const struct rs_reader *r)
{
	return r->total;
}

/* Bytes of the stream read so far, up to the end of the last object. */
uint64_t
rs_offset(const struct rs_reader *r)
{
	return r->pos;
}

/* The exit status the last error calls for: EXIT_STREAM or EXIT_IO. */
int
rs_status(const struct rs_reader *r)
{
	return r->failed ? r->status : 0;
}

const char *
rs_errmsg(const struct rs_reader *r)
{
	return r->errmsg;
}
