/*
 * rowstream.h: rowstream v1, the format rows travel in between sluice
 * programs (docs/rowstream.md has the byte-level specification).
 *
 * A stream is one or more segments. A segment is a header (a map naming
 * the table and its columns), rows (arrays with one value per column) and
 * a trailer (a map with the segment's row count and the sum, modulo 2^64,
 * of the XXH3-64 hashes of the rows' canonical MessagePack bytes).
 *
 * The reader (rs_read.c) decodes with msgpack-c's streaming unpacker and
 * checks everything: arity, value types against column types, trailers,
 * truncation. It hands out each row three ways: as msgpack-c objects, as
 * the row's canonical bytes, and as the byte span of each value inside
 * them, so that a filter can copy the columns it does not touch.
 *
 * A stream ends with an end mark, the map {"end": N}, N the number of
 * segments its writer wrote: it tells a whole stream from one cut right
 * after a trailer. Streams may be joined (cat a b): an end mark followed
 * by a header starts the next one, and the input must end with an end
 * mark. A program writes it, with rs_wfinish(), only when it succeeded.
 *
 * The writer (rs_write.c) encodes canonically, hashes each row as it
 * finishes it and writes the trailer. Its sticky error flag (as in redis'
 * rio) lets a caller put a row's values and check once, at rs_row_end().
 */
#ifndef SLUICE_ROWSTREAM_H
#define SLUICE_ROWSTREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <msgpack.h>

#include "buf.h"

#define RS_VERSION	1
#define RS_LIMIT	(1024UL * 1024 * 1024)	/* largest object read */

/* What a column's values are, decided by its type name. */
enum rs_class {
	RS_TEXT,	/* str: everything not below */
	RS_INT,		/* int: int2, int4, int8, oid */
	RS_FLOAT,	/* float64: float4, float8 */
	RS_BOOL,	/* bool */
	RS_BYTEA	/* bin */
};

struct rs_col {
	char		*name;
	char		*type;
	enum rs_class	 cls;
};

struct sl_nidx;

/*
 * Build and change a header through the functions below only: idx, the
 * index of column names that rs_header_find and rs_header_check use, is
 * built on first use and must follow every change of a name.
 */
struct rs_header {
	char		*table;
	char		*source;	/* NULL when absent */
	size_t		 ncols;
	struct rs_col	*cols;
	size_t		 nkey;
	char		**key;		/* names of key columns */
	struct sl_nidx	*idx;		/* names -> columns, or NULL */
};

/*
 * rs_header.c: building and inspecting headers. A header owns all its
 * strings: the setters copy what they are given, rs_header_dup copies
 * everything, rs_header_free frees it all. rs_header_find returns a
 * column's index or -1; rs_header_check reports (once, naming what) and
 * returns false for a header no stream may carry.
 */
struct rs_header *rs_header_new(const char *table, size_t ncols);
bool rs_header_setcol(struct rs_header *h, size_t i, const char *name,
    const char *type);
bool rs_header_setkey(struct rs_header *h, size_t nkey,
    const char *const *names);
bool rs_header_setsource(struct rs_header *h, const char *source);
bool rs_header_settable(struct rs_header *h, const char *table);
struct rs_header *rs_header_dup(const struct rs_header *h);
void rs_header_free(struct rs_header *h);
long rs_header_find(const struct rs_header *h, const char *name);
bool rs_header_check(const struct rs_header *h, const char *what);
int rs_header_fault(const struct rs_header *h, char *msg, size_t size);
enum rs_class rs_type_class(const char *type);
const char *rs_class_name(enum rs_class cls);

/*
 * rs_read.c: the reader. Lifetimes: what rs_header() returns belongs to
 * the reader and stays valid until the next RS_HEADER (or rs_close);
 * what rs_row() returns, the msgpack objects and the raw bytes included,
 * until the next rs_next() call. Copy what must live longer. The name
 * given to rs_fdopen/rs_memopen is copied; the fd stays the caller's
 * (rs_open's own fd is closed by rs_close); rs_memopen's bytes must
 * outlive the reader. Errors are reported once, when they happen, as
 * "NAME: byte N: message"; rs_errmsg() keeps the text, rs_status() the
 * exit status it calls for (3 for the stream, 5 for I/O).
 */
enum rs_event {
	RS_ERROR = -1,	/* reported; rs_status() gives the exit status */
	RS_EOF = 0,	/* clean end: the input ended with an end mark */
	RS_HEADER,	/* a segment begins: rs_header() */
	RS_ROW,		/* a row: rs_row() */
	RS_TRAILER	/* a segment ended and its trailer matched */
};

struct rs_row {
	size_t			 ncols;
	const msgpack_object	*v;	/* one value per column */
	const char		*raw;	/* the row's canonical bytes */
	size_t			 len;
	const uint32_t		*off;	/* value i: raw[off[i]..off[i+1]) */
	uint64_t		 hash;	/* XXH3-64 of raw */
	uint64_t		 num;	/* 1-based, within its segment */
};

struct rs_reader;

struct rs_reader *rs_open(const char *path);
struct rs_reader *rs_fdopen(int fd, const char *name);
struct rs_reader *rs_memopen(const void *p, size_t n, const char *name,
    size_t chunk);
void rs_close(struct rs_reader *r);
void rs_set_limit(struct rs_reader *r, size_t limit);
enum rs_event rs_next(struct rs_reader *r);
const struct rs_header *rs_header(const struct rs_reader *r);
const struct rs_row *rs_row(const struct rs_reader *r);
const char *rs_name(const struct rs_reader *r);
uint64_t rs_segment(const struct rs_reader *r);
uint64_t rs_rows(const struct rs_reader *r);
uint64_t rs_hash(const struct rs_reader *r);
uint64_t rs_total_rows(const struct rs_reader *r);
uint64_t rs_ends(const struct rs_reader *r);
uint64_t rs_offset(const struct rs_reader *r);
int rs_status(const struct rs_reader *r);
const char *rs_errmsg(const struct rs_reader *r);

/*
 * rs_write.c: the writer. rs_begin copies the header; rs_wheader returns
 * the writer's copy, valid until the next rs_begin. rs_wopen's fd stays
 * the caller's to close; rs_wopen_buf appends to out, which the caller
 * owns. The rs_put_* calls return nothing: a failure is sticky and shows
 * at rs_row_end, rs_end, rs_wfinish or rs_wclose, which return false.
 * rs_wfinish writes the end mark and flushes: call it once, last, only
 * when the program has succeeded. rs_wclose flushes and frees, writing
 * no end mark.
 */
struct rs_writer;

struct rs_writer *rs_wopen(int fd, const char *name);
struct rs_writer *rs_wopen_buf(struct sl_buf *out);
bool rs_wfinish(struct rs_writer *w);
bool rs_wclose(struct rs_writer *w);
bool rs_wflush(struct rs_writer *w);
bool rs_begin(struct rs_writer *w, const struct rs_header *h);
bool rs_end(struct rs_writer *w);
bool rs_row_begin(struct rs_writer *w);
bool rs_row_end(struct rs_writer *w);
bool rs_row_copy(struct rs_writer *w, const struct rs_row *row);
void rs_put_nil(struct rs_writer *w);
void rs_put_bool(struct rs_writer *w, bool b);
void rs_put_int(struct rs_writer *w, int64_t i);
void rs_put_uint(struct rs_writer *w, uint64_t u);
void rs_put_double(struct rs_writer *w, double d);
void rs_put_str(struct rs_writer *w, const char *p, size_t n);
void rs_put_bin(struct rs_writer *w, const void *p, size_t n);
void rs_put_value(struct rs_writer *w, const msgpack_object *o);
void rs_put_raw(struct rs_writer *w, const char *p, size_t n);
void rs_put_raws(struct rs_writer *w, const char *p, size_t n, size_t nvals);
bool rs_wfailed(const struct rs_writer *w);
const struct rs_header *rs_wheader(const struct rs_writer *w);
uint64_t rs_wrows(const struct rs_writer *w);
uint64_t rs_whash(const struct rs_writer *w);
uint64_t rs_wtotal_rows(const struct rs_writer *w);
uint64_t rs_wbytes(const struct rs_writer *w);
uint64_t rs_wsegments(const struct rs_writer *w);

/* Canonical encoding of one value, shared by reader and writer. */
int rs_pack_value(msgpack_packer *pk, const msgpack_object *o);
int rs_buf_write(void *data, const char *p, size_t n);

#endif
