/*
 * rs_reader.c: the cold half of the row stream reader (the hot half, which
 * turns bytes into rows, is lib/rs_read.c; lib/rs_int.h is what they
 * share): the checks of headers, trailers and end marks, done once a
 * segment; opening and closing readers; and the accessors.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exitcodes.h"
#include "rowstream.h"
#include "rs_int.h"

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
enum rs_event
rs_read_header(struct rs_reader *r, const msgpack_object *m)
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

enum rs_event
rs_read_trailer(struct rs_reader *r, const msgpack_object *m)
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
