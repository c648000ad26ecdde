/*
 * Unit tests of the row stream reader and writer (lib/rs_*.c).
 */
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <xxhash.h>

#include "exitcodes.h"
#include "rowstream.h"
#include "unit.h"

static const size_t chunks[] = { 0, 1, 7, 4096 };

/* A header from "name:type" strings. */
static struct rs_header *
hdr(const char *table, size_t n, const char *const *cols)
{
	struct rs_header *h = rs_header_new(table, n);
	char name[256];
	const char *colon;
	size_t i;

	for (i = 0; i < n; i++) {
		colon = strchr(cols[i], ':');
		snprintf(name, sizeof(name), "%.*s", (int)(colon - cols[i]),
		    cols[i]);
		rs_header_setcol(h, i, name, colon + 1);
	}
	return h;
}

/* Reads a whole stream; returns the last event (RS_EOF or RS_ERROR). */
static enum rs_event
drain(const struct sl_buf *b, size_t chunk, uint64_t *rows)
{
	struct rs_reader *r = rs_memopen(b->p, b->len, "test", chunk);
	enum rs_event ev;

	*rows = 0;
	while ((ev = rs_next(r)) > 0)
		if (ev == RS_ROW)
			(*rows)++;
	if (ev == RS_ERROR)
		CHECK(rs_status(r) == EXIT_STREAM);
	rs_close(r);
	return ev;
}

static void
expect_error(const struct sl_buf *b, const char *needle)
{
	uint64_t rows;
	size_t i;

	for (i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		CHECKF(drain(b, chunks[i], &rows) == RS_ERROR,
		    "chunk %zu: no error, wanted \"%s\"", chunks[i], needle);
		CHECKF(strstr(sl_lasterr(), needle) != NULL,
		    "chunk %zu: error \"%s\" lacks \"%s\"", chunks[i],
		    sl_lasterr(), needle);
	}
}

static int nmsgs;	/* messages reported, counted by count_msg */

static void
count_msg(void)
{
	nmsgs++;
}

static const char *const kinds[] = {
	"i:int8", "f:float8", "b:bool", "s:text", "x:bytea", "d:date",
};

static void
put_kinds_row(struct rs_writer *w, int64_t i, double f, int b,
    const char *s, size_t sn, const char *x, size_t xn)
{
	rs_row_begin(w);
	rs_put_int(w, i);
	rs_put_double(w, f);
	if (b < 0)
		rs_put_nil(w);
	else
		rs_put_bool(w, b);
	if (s == NULL)
		rs_put_nil(w);
	else
		rs_put_str(w, s, sn);
	if (x == NULL)
		rs_put_nil(w);
	else
		rs_put_bin(w, x, xn);
	rs_put_str(w, "2024-02-29", 10);
	CHECK(rs_row_end(w));
}

static const int64_t ints[] = {
	0, 1, 127, 128, 255, 256, 65535, 65536, 4294967295LL, 4294967296LL,
	INT64_MAX, -1, -32, -33, -128, -129, -32768, -32769, INT32_MIN,
	(int64_t)INT32_MIN - 1, INT64_MIN,
};

static void
test_roundtrip_types(void)
{
	struct rs_header *h = hdr("kinds", 6, kinds);
	double floats[] = { 0.0, -0.0, 1.5, 0.1, DBL_MAX, DBL_MIN, 5e-324,
	    INFINITY, -INFINITY, NAN };
	size_t nrows = sizeof(ints) / sizeof(ints[0]), c, i;
	char big[70000];
	struct sl_buf b = { 0 };
	struct rs_writer *w = rs_wopen_buf(&b);
	const struct rs_row *row;
	struct rs_reader *r;
	double f;

	memset(big, 'x', sizeof(big));
	CHECK(rs_begin(w, h));
	for (i = 0; i < nrows; i++)
		put_kinds_row(w, ints[i], floats[i % 10], (int)(i % 3) - 1,
		    i == 3 ? NULL : big, i * 3000 % 70000, big, i * 2500);
	CHECK(rs_end(w));
	rs_wfinish(w);
	CHECK(rs_wclose(w));
	for (c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
		r = rs_memopen(b.p, b.len, "t", chunks[c]);
		CHECK(rs_next(r) == RS_HEADER);
		CHECK(strcmp(rs_header(r)->table, "kinds") == 0);
		CHECK(rs_header(r)->ncols == 6);
		CHECK(rs_header(r)->cols[1].cls == RS_FLOAT);
		for (i = 0; i < nrows; i++) {
			CHECKF(rs_next(r) == RS_ROW, "row %zu: %s", i,
			    sl_lasterr());
			row = rs_row(r);
			CHECK(row->num == i + 1);
			CHECK(row->v[0].type == (ints[i] >= 0 ?
			    MSGPACK_OBJECT_POSITIVE_INTEGER :
			    MSGPACK_OBJECT_NEGATIVE_INTEGER));
			CHECKF(row->v[0].via.i64 == ints[i], "int %" PRId64,
			    ints[i]);
			f = row->v[1].via.f64;
			CHECK(memcmp(&f, &floats[i % 10], sizeof(f)) == 0);
			if (i % 3 == 0)
				CHECK(row->v[2].type == MSGPACK_OBJECT_NIL);
			else
				CHECK(row->v[2].via.boolean == (i % 3 == 2));
			if (i == 3) {
				CHECK(row->v[3].type == MSGPACK_OBJECT_NIL);
			} else {
				CHECK(row->v[3].type == MSGPACK_OBJECT_STR);
				CHECK(row->v[3].via.str.size == i * 3000 % 70000);
			}
			CHECK(row->v[4].type == MSGPACK_OBJECT_BIN);
			CHECK(row->v[4].via.bin.size == i * 2500);
			CHECK(row->hash == XXH3_64bits(row->raw, row->len));
			CHECK(row->off[6] == row->len);
		}
		CHECK(rs_next(r) == RS_TRAILER);
		CHECK(rs_rows(r) == nrows);
		CHECK(rs_next(r) == RS_EOF);
		CHECK(rs_next(r) == RS_EOF);
		rs_close(r);
	}
	rs_header_free(h);
	sl_buf_free(&b);
}

/* The writer's bytes for single values are the canonical ones. */
static void
test_canonical_bytes(void)
{
	static const struct {
		int64_t		 v;
		const char	*hex;
	} cases[] = {
		{ 0, "00" }, { 127, "7f" }, { 128, "cc80" }, { 256, "cd0100" },
		{ 65536, "ce00010000" }, { 4294967296LL, "cf0000000100000000" },
		{ -1, "ff" }, { -32, "e0" }, { -33, "d0df" }, { -129, "d1ff7f" },
		{ -32769, "d2ffff7fff" },
	};
	const char *const cols[] = { "v:int8" };
	struct rs_header *h = hdr("c", 1, cols);
	struct sl_buf b = { 0 };
	struct rs_writer *w;
	struct rs_reader *r;
	char hex[64];
	size_t i, j;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sl_buf_reset(&b);
		w = rs_wopen_buf(&b);
		rs_begin(w, h);
		rs_row_begin(w);
		rs_put_int(w, cases[i].v);
		rs_row_end(w);
		rs_end(w);
		rs_wfinish(w);
		rs_wclose(w);
		r = rs_memopen(b.p, b.len, "t", 0);
		rs_next(r);
		CHECK(rs_next(r) == RS_ROW);
		for (j = 0; j + 1 < rs_row(r)->len && j < 20; j++)
			snprintf(hex + 2 * j, 3, "%02x",
			    (unsigned char)rs_row(r)->raw[j + 1]);
		hex[2 * j] = '\0';
		CHECKF(strcmp(hex, cases[i].hex) == 0, "%" PRId64 ": %s, not %s",
		    cases[i].v, hex, cases[i].hex);
		rs_close(r);
	}
	rs_header_free(h);
	sl_buf_free(&b);
}

static void
test_nulls_and_empty(void)
{
	struct rs_header *h = hdr("n", 6, kinds);
	struct sl_buf b = { 0 };
	struct rs_writer *w = rs_wopen_buf(&b);
	struct rs_reader *r;
	const struct rs_row *row;
	size_t i;

	rs_begin(w, h);
	rs_row_begin(w);
	for (i = 0; i < 6; i++)
		rs_put_nil(w);
	CHECK(rs_row_end(w));
	put_kinds_row(w, 0, 0, 0, "", 0, "", 0);
	rs_end(w);
	rs_wfinish(w);
	rs_wclose(w);
	r = rs_memopen(b.p, b.len, "t", 0);
	CHECK(rs_next(r) == RS_HEADER);
	CHECK(rs_next(r) == RS_ROW);
	for (i = 0; i < 6; i++)
		CHECK(rs_row(r)->v[i].type == MSGPACK_OBJECT_NIL);
	CHECK(rs_next(r) == RS_ROW);
	row = rs_row(r);
	CHECK(row->v[3].type == MSGPACK_OBJECT_STR && row->v[3].via.str.size == 0);
	CHECK(row->v[4].type == MSGPACK_OBJECT_BIN && row->v[4].via.bin.size == 0);
	CHECK(rs_next(r) == RS_TRAILER);
	CHECK(rs_next(r) == RS_EOF);
	rs_close(r);
	rs_header_free(h);
	sl_buf_free(&b);
}

static void
test_zero_columns(void)
{
	struct rs_header *h = rs_header_new("empty", 0);
	struct sl_buf b = { 0 };
	struct rs_writer *w = rs_wopen_buf(&b);
	uint64_t rows;
	int i;

	rs_begin(w, h);
	for (i = 0; i < 3; i++) {
		rs_row_begin(w);
		CHECK(rs_row_end(w));
	}
	CHECK(rs_end(w));
	rs_wfinish(w);
	rs_wclose(w);
	CHECK(drain(&b, 0, &rows) == RS_EOF);
	CHECK(rows == 3);
	CHECK(drain(&b, 1, &rows) == RS_EOF);
	rs_header_free(h);
	sl_buf_free(&b);
}

static void
test_wide_10000(void)
{
	struct rs_header *h = rs_header_new("wide", 10000);
	struct sl_buf b = { 0 };
	struct rs_writer *w = rs_wopen_buf(&b);
	struct rs_reader *r;
	char name[32];
	size_t i, k;

	for (i = 0; i < 10000; i++) {
		snprintf(name, sizeof(name), "c%zu", i);
		rs_header_setcol(h, i, name, i % 2 ? "int4" : "text");
	}
	CHECK(rs_begin(w, h));
	for (k = 0; k < 3; k++) {
		rs_row_begin(w);
		for (i = 0; i < 10000; i++) {
			if (i % 2)
				rs_put_int(w, (int64_t)(i * k));
			else
				rs_put_str(w, name, k);
		}
		CHECK(rs_row_end(w));
	}
	rs_end(w);
	rs_wfinish(w);
	CHECK(rs_wclose(w));
	r = rs_memopen(b.p, b.len, "t", 1000);
	CHECK(rs_next(r) == RS_HEADER);
	CHECK(rs_header(r)->ncols == 10000);
	CHECK(strcmp(rs_header(r)->cols[9999].name, "c9999") == 0);
	for (k = 0; k < 3; k++) {
		CHECK(rs_next(r) == RS_ROW);
		CHECK(rs_row(r)->v[9999].via.u64 == 9999 * k);
	}
	CHECK(rs_next(r) == RS_TRAILER);
	CHECK(rs_next(r) == RS_EOF);
	rs_close(r);
	rs_header_free(h);
	sl_buf_free(&b);
}

static void
test_big_values(void)
{
	const char *const cols[] = { "s:text", "x:bytea" };
	struct rs_header *h = hdr("big", 2, cols);
	size_t n = 1024 * 1024, c;
	char *big = malloc(n);
	struct sl_buf b = { 0 };
	struct rs_writer *w = rs_wopen_buf(&b);
	struct rs_reader *r;

	memset(big, 'v', n);
	big[n / 2] = '\0';
	rs_begin(w, h);
	rs_row_begin(w);
	rs_put_str(w, big, n);
	rs_put_bin(w, big, n);
	CHECK(rs_row_end(w));
	rs_end(w);
	rs_wfinish(w);
	rs_wclose(w);
	for (c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
		if (chunks[c] == 1)
			continue;	/* 2 MiB a byte at a time is slow */
		r = rs_memopen(b.p, b.len, "t", chunks[c]);
		CHECK(rs_next(r) == RS_HEADER);
		CHECK(rs_next(r) == RS_ROW);
		CHECK(rs_row(r)->v[0].via.str.size == n);
		CHECK(memcmp(rs_row(r)->v[0].via.str.ptr, big, n) == 0);
		CHECK(memcmp(rs_row(r)->v[1].via.bin.ptr, big, n) == 0);
		CHECK(rs_next(r) == RS_TRAILER);
		CHECK(rs_next(r) == RS_EOF);
		rs_close(r);
	}
	free(big);
	rs_header_free(h);
	sl_buf_free(&b);
}

/* Writes segments t1 (1 row), t2 (0 rows), t3 (2 rows) into b. */
static void
three_segments(struct sl_buf *b, size_t *ends)
{
	const char *const cols[] = { "id:int8" };
	struct rs_writer *w = rs_wopen_buf(b);
	char name[16];
	int s, i;

	for (s = 1; s <= 3; s++) {
		struct rs_header *h;

		snprintf(name, sizeof(name), "t%d", s);
		h = hdr(name, 1, cols);
		rs_begin(w, h);
		for (i = 0; i < (s == 1 ? 1 : s == 2 ? 0 : 2); i++) {
			rs_row_begin(w);
			rs_put_int(w, s * 10 + i);
			rs_row_end(w);
		}
		rs_end(w);
		rs_wflush(w);
		if (ends != NULL)
			ends[s - 1] = b->len;
		rs_header_free(h);
	}
	CHECK(rs_wfinish(w));
	CHECK(rs_wclose(w));
}

static void
test_multi_segment(void)
{
	struct sl_buf b = { 0 };
	struct rs_reader *r;
	static const enum rs_event want[] = { RS_HEADER, RS_ROW, RS_TRAILER,
	    RS_HEADER, RS_TRAILER, RS_HEADER, RS_ROW, RS_ROW, RS_TRAILER,
	    RS_EOF, RS_EOF };
	size_t i;

	three_segments(&b, NULL);
	r = rs_memopen(b.p, b.len, "t", 3);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		CHECKF(rs_next(r) == want[i], "event %zu", i);
		if (want[i] == RS_HEADER)
			CHECK(rs_segment(r) == (i == 0 ? 1 : i == 3 ? 2 : 3));
	}
	CHECK(strcmp(rs_header(r)->table, "t3") == 0);
	CHECK(rs_total_rows(r) == 3);
	CHECK(rs_ends(r) == 1);
	CHECK(rs_offset(r) == b.len);
	rs_close(r);
	sl_buf_free(&b);
}

/*
 * Every prefix of a stream is an error, the segment boundaries included:
 * only the end mark makes a stream whole.
 */
static void
test_truncated_everywhere(void)
{
	struct sl_buf b = { 0 }, cut = { 0 };
	size_t ends[3], n, c;
	uint64_t rows;
	enum rs_event ev;
	bool boundary;

	three_segments(&b, ends);
	for (n = 0; n <= b.len; n++) {
		boundary = n == ends[0] || n == ends[1] || n == ends[2];
		for (c = 0; c < 3; c++) {
			sl_buf_reset(&cut);
			sl_buf_add(&cut, b.p, n);
			ev = drain(&cut, chunks[c], &rows);
			CHECKF(ev == (n == b.len ? RS_EOF : RS_ERROR),
			    "prefix of %zu bytes of %zu: %s", n, b.len,
			    ev == RS_EOF ? "accepted" : sl_lasterr());
			if (n < b.len)
				CHECKF(strstr(sl_lasterr(), "byte ") != NULL &&
				    (n == 0 || strstr(sl_lasterr(),
				    "truncated") != NULL),
				    "%zu: %s", n, sl_lasterr());
			if (boundary)
				CHECKF(strstr(sl_lasterr(), "without the end "
				    "mark") != NULL, "%zu: %s", n,
				    sl_lasterr());
		}
	}
	sl_buf_free(&b);
	sl_buf_free(&cut);
}

/* A stream with a header for cols, then the raw bytes of rows and trailer. */
static void
craft(struct sl_buf *b, size_t ncols, const char *const *cols,
    void (*body)(msgpack_packer *))
{
	struct rs_header *h = hdr("crafted", ncols, cols);
	struct rs_writer *w = rs_wopen_buf(b);
	msgpack_packer pk;

	rs_begin(w, h);
	rs_wflush(w);
	rs_wclose(w);
	rs_header_free(h);
	msgpack_packer_init(&pk, b, rs_buf_write);
	body(&pk);
}

static void
trailer(msgpack_packer *pk, uint64_t rows, uint64_t hash)
{
	msgpack_pack_map(pk, 2);
	msgpack_pack_str_with_body(pk, "rows", 4);
	msgpack_pack_uint64(pk, rows);
	msgpack_pack_str_with_body(pk, "hash", 4);
	msgpack_pack_uint64(pk, hash);
}

static void
raw_map(struct sl_buf *b, const char *bytes, size_t n)
{
	sl_buf_reset(b);
	sl_buf_add(b, bytes, n);
}

static void
endmark(msgpack_packer *pk, uint64_t n)
{
	msgpack_pack_map(pk, 1);
	msgpack_pack_str_with_body(pk, "end", 3);
	msgpack_pack_uint64(pk, n);
}

static void
arity_body(msgpack_packer *pk)
{
	msgpack_pack_array(pk, 3);
	msgpack_pack_int(pk, 1);
	msgpack_pack_int(pk, 2);
	msgpack_pack_int(pk, 3);
	trailer(pk, 1, 0);
}

static void
type_body(msgpack_packer *pk)
{
	msgpack_pack_array(pk, 2);
	msgpack_pack_str_with_body(pk, "1", 1);
	msgpack_pack_int(pk, 2);
	trailer(pk, 1, 0);
}

static void
nested_body(msgpack_packer *pk)
{
	msgpack_pack_array(pk, 2);
	msgpack_pack_int(pk, 1);
	msgpack_pack_array(pk, 0);
	trailer(pk, 1, 0);
}

static uint64_t
canon_hash(int64_t a, int64_t b)
{
	struct sl_buf t = { 0 };
	msgpack_packer pk;
	uint64_t h;

	msgpack_packer_init(&pk, &t, rs_buf_write);
	msgpack_pack_array(&pk, 2);
	msgpack_pack_int64(&pk, a);
	msgpack_pack_int64(&pk, b);
	h = XXH3_64bits(t.p, t.len);
	sl_buf_free(&t);
	return h;
}

static void
count_body(msgpack_packer *pk)
{
	msgpack_pack_array(pk, 2);
	msgpack_pack_int(pk, 1);
	msgpack_pack_int(pk, 2);
	trailer(pk, 2, canon_hash(1, 2));
}

static void
hash_body(msgpack_packer *pk)
{
	msgpack_pack_array(pk, 2);
	msgpack_pack_int(pk, 1);
	msgpack_pack_int(pk, 2);
	trailer(pk, 1, canon_hash(1, 3));
}

static void
nohash_body(msgpack_packer *pk)
{
	msgpack_pack_map(pk, 1);
	msgpack_pack_str_with_body(pk, "rows", 4);
	msgpack_pack_uint64(pk, 0);
}

static void
header_again_body(msgpack_packer *pk)
{
	msgpack_pack_map(pk, 1);
	msgpack_pack_str_with_body(pk, "rowstream", 9);
	msgpack_pack_uint64(pk, 1);
}

static void
garbage_after_body(msgpack_packer *pk)
{
	trailer(pk, 0, 0);
	msgpack_pack_int(pk, 7);
}

/* Integers in wide encodings: valid, and hashed in canonical form. */
static void
wide_body(msgpack_packer *pk)
{
	static const char row[] = "\xdd\x00\x00\x00\x02"
	    "\xd3\x00\x00\x00\x00\x00\x00\x00\x05" "\xd1\xff\xfe";

	msgpack_pack_str_body(pk, row, sizeof(row) - 1);
	trailer(pk, 1, canon_hash(5, -2));
	endmark(pk, 1);
}

static void
end_count_body(msgpack_packer *pk)
{
	trailer(pk, 0, 0);
	endmark(pk, 2);
}

static void
end_inside_body(msgpack_packer *pk)
{
	endmark(pk, 1);
}

static void
end_negative_body(msgpack_packer *pk)
{
	trailer(pk, 0, 0);
	msgpack_pack_map(pk, 1);
	msgpack_pack_str_with_body(pk, "end", 3);
	msgpack_pack_int64(pk, -1);
}

/* Two whole streams joined, the second empty, then a third: all good. */
static void
join_body(msgpack_packer *pk)
{
	trailer(pk, 0, 0);
	endmark(pk, 1);
	endmark(pk, 0);
	msgpack_pack_map(pk, 3);
	msgpack_pack_str_with_body(pk, "rowstream", 9);
	msgpack_pack_uint64(pk, 1);
	msgpack_pack_str_with_body(pk, "table", 5);
	msgpack_pack_str_with_body(pk, "u", 1);
	msgpack_pack_str_with_body(pk, "columns", 7);
	msgpack_pack_array(pk, 0);
	trailer(pk, 0, 0);
	endmark(pk, 1);
}

/* A join whose second part ends after its trailer: cut. */
static void
join_cut_body(msgpack_packer *pk)
{
	trailer(pk, 0, 0);
	endmark(pk, 1);
	msgpack_pack_map(pk, 3);
	msgpack_pack_str_with_body(pk, "rowstream", 9);
	msgpack_pack_uint64(pk, 1);
	msgpack_pack_str_with_body(pk, "table", 5);
	msgpack_pack_str_with_body(pk, "u", 1);
	msgpack_pack_str_with_body(pk, "columns", 7);
	msgpack_pack_array(pk, 0);
	trailer(pk, 0, 0);
}

static void
test_bad_streams(void)
{
	const char *const two[] = { "a:int8", "b:int8" };
	struct sl_buf b = { 0 };
	uint64_t rows;

	craft(&b, 2, two, arity_body);
	expect_error(&b, "row 1 of \"crafted\" has 3 values, the header has 2");
	sl_buf_reset(&b);
	craft(&b, 2, two, type_body);
	expect_error(&b, "column \"a\" (int8): expected an integer, found a string");
	sl_buf_reset(&b);
	craft(&b, 2, two, nested_body);
	expect_error(&b, "column \"b\": an array is not a valid value");
	sl_buf_reset(&b);
	craft(&b, 2, two, count_body);
	expect_error(&b, "says 2 rows, the segment has 1");
	sl_buf_reset(&b);
	craft(&b, 2, two, hash_body);
	expect_error(&b, "the rows hash to");
	sl_buf_reset(&b);
	craft(&b, 2, two, nohash_body);
	expect_error(&b, "lacks an unsigned \"rows\" or \"hash\"");
	sl_buf_reset(&b);
	craft(&b, 2, two, header_again_body);
	expect_error(&b, "a new header after 0 rows");
	sl_buf_reset(&b);
	craft(&b, 2, two, garbage_after_body);
	expect_error(&b, "not a row stream: expected a header map, found an integer");
	sl_buf_reset(&b);
	craft(&b, 2, two, wide_body);
	CHECKF(drain(&b, 0, &rows) == RS_EOF, "%s", sl_lasterr());
	CHECK(drain(&b, 1, &rows) == RS_EOF && rows == 1);
	sl_buf_reset(&b);
	expect_error(&b, "no data, not even a header");
	craft(&b, 2, two, end_count_body);
	expect_error(&b, "end mark says 2 segments, the stream has 1 since "
	    "its start");
	sl_buf_reset(&b);
	craft(&b, 2, two, end_inside_body);
	expect_error(&b, "an end mark after 0 rows of \"crafted\" (segment 1), "
	    "which has no trailer");
	sl_buf_reset(&b);
	craft(&b, 2, two, end_negative_body);
	expect_error(&b, "\"end\" is not an unsigned integer");
	sl_buf_reset(&b);
	craft(&b, 2, two, join_cut_body);
	expect_error(&b, "input ends after the trailer of \"u\" (segment 2) "
	    "without the end mark");
	sl_buf_reset(&b);
	craft(&b, 2, two, join_body);
	CHECKF(drain(&b, 0, &rows) == RS_EOF, "%s", sl_lasterr());
	CHECK(drain(&b, 1, &rows) == RS_EOF && rows == 0);
	/* a stream of no segments: just the end mark */
	raw_map(&b, "\x81\xa3" "end" "\x00", 6);
	CHECKF(drain(&b, 0, &rows) == RS_EOF, "%s", sl_lasterr());
	raw_map(&b, "\x81\xa3" "end" "\x01", 6);
	expect_error(&b, "end mark says 1 segments, the stream has 0");
	sl_buf_free(&b);
}

/*
 * Non-canonical rows come out canonical, with their offsets: one with a
 * wide array header, one with a minimal header but wide values.
 */
static void
test_canonicalized(void)
{
	const char *const two[] = { "a:int8", "f:float8" };
	static const char row1[] = "\xdc\x00\x02" "\xcd\x00\x05"
	    "\xca\x3f\xc0\x00\x00";
	static const char row2[] = "\x92" "\xd0\x05" "\xca\x3f\xc0\x00\x00";
	static const char want[] = "\x92\x05\xcb\x3f\xf8\x00\x00\x00\x00\x00\x00";
	struct sl_buf b = { 0 };
	struct rs_header *h = hdr("w", 2, two);
	struct rs_writer *w = rs_wopen_buf(&b);
	struct rs_reader *r;
	msgpack_packer pk;
	int i;

	rs_begin(w, h);
	rs_wflush(w);
	rs_wclose(w);
	msgpack_packer_init(&pk, &b, rs_buf_write);
	msgpack_pack_str_body(&pk, row1, sizeof(row1) - 1);
	msgpack_pack_str_body(&pk, row2, sizeof(row2) - 1);
	trailer(&pk, 2, 2 * XXH3_64bits(want, sizeof(want) - 1));
	r = rs_memopen(b.p, b.len, "t", 0);
	CHECK(rs_next(r) == RS_HEADER);
	for (i = 0; i < 2; i++) {
		CHECKF(rs_next(r) == RS_ROW, "%s", sl_lasterr());
		CHECK(rs_row(r)->len == sizeof(want) - 1);
		CHECK(memcmp(rs_row(r)->raw, want, sizeof(want) - 1) == 0);
		CHECK(rs_row(r)->off[0] == 1 && rs_row(r)->off[1] == 2 &&
		    rs_row(r)->off[2] == 11);
		CHECK(rs_row(r)->v[1].type == MSGPACK_OBJECT_FLOAT64);
		CHECK(rs_row(r)->v[1].via.f64 == 1.5);
	}
	CHECKF(rs_next(r) == RS_TRAILER, "%s", sl_lasterr());
	rs_close(r);
	rs_header_free(h);
	sl_buf_free(&b);
}

static void
test_bad_headers(void)
{
	struct sl_buf b = { 0 };
	msgpack_packer pk;
	uint64_t rows;
	int i;

	/* {"rowstream": 2, ...} */
	msgpack_packer_init(&pk, &b, rs_buf_write);
	msgpack_pack_map(&pk, 3);
	msgpack_pack_str_with_body(&pk, "rowstream", 9);
	msgpack_pack_int(&pk, 2);
	msgpack_pack_str_with_body(&pk, "table", 5);
	msgpack_pack_str_with_body(&pk, "t", 1);
	msgpack_pack_str_with_body(&pk, "columns", 7);
	msgpack_pack_array(&pk, 0);
	expect_error(&b, "unsupported rowstream version");

	/* columns not pairs */
	sl_buf_reset(&b);
	msgpack_pack_map(&pk, 3);
	msgpack_pack_str_with_body(&pk, "rowstream", 9);
	msgpack_pack_int(&pk, 1);
	msgpack_pack_str_with_body(&pk, "table", 5);
	msgpack_pack_str_with_body(&pk, "t", 1);
	msgpack_pack_str_with_body(&pk, "columns", 7);
	msgpack_pack_array(&pk, 1);
	msgpack_pack_str_with_body(&pk, "id", 2);
	expect_error(&b, "column 1 is not a [name, type] pair");

	/* duplicate column */
	sl_buf_reset(&b);
	msgpack_pack_map(&pk, 3);
	msgpack_pack_str_with_body(&pk, "rowstream", 9);
	msgpack_pack_int(&pk, 1);
	msgpack_pack_str_with_body(&pk, "table", 5);
	msgpack_pack_str_with_body(&pk, "t", 1);
	msgpack_pack_str_with_body(&pk, "columns", 7);
	msgpack_pack_array(&pk, 2);
	for (i = 0; i < 2; i++) {
		msgpack_pack_array(&pk, 2);
		msgpack_pack_str_with_body(&pk, "id", 2);
		msgpack_pack_str_with_body(&pk, "int8", 4);
	}
	expect_error(&b, "column \"id\" appears twice");
	nmsgs = 0;
	sl_err_hook(count_msg);
	CHECK(drain(&b, b.len, &rows) == RS_ERROR);
	sl_err_hook(NULL);
	CHECKF(nmsgs == 1, "%d messages", nmsgs);	/* once, one prefix */
	CHECKF(strcmp(sl_lasterr(), "test: byte 0: column \"id\" appears "
	    "twice in \"t\"") == 0, "%s", sl_lasterr());

	/* key naming no column */
	sl_buf_reset(&b);
	msgpack_pack_map(&pk, 4);
	msgpack_pack_str_with_body(&pk, "rowstream", 9);
	msgpack_pack_int(&pk, 1);
	msgpack_pack_str_with_body(&pk, "table", 5);
	msgpack_pack_str_with_body(&pk, "t", 1);
	msgpack_pack_str_with_body(&pk, "columns", 7);
	msgpack_pack_array(&pk, 0);
	msgpack_pack_str_with_body(&pk, "key", 3);
	msgpack_pack_array(&pk, 1);
	msgpack_pack_str_with_body(&pk, "id", 2);
	expect_error(&b, "key column \"id\" is not a column");

	/* no table */
	sl_buf_reset(&b);
	msgpack_pack_map(&pk, 2);
	msgpack_pack_str_with_body(&pk, "rowstream", 9);
	msgpack_pack_int(&pk, 1);
	msgpack_pack_str_with_body(&pk, "columns", 7);
	msgpack_pack_array(&pk, 0);
	expect_error(&b, "\"table\" is missing");

	/* a NUL in a name */
	sl_buf_reset(&b);
	msgpack_pack_map(&pk, 3);
	msgpack_pack_str_with_body(&pk, "rowstream", 9);
	msgpack_pack_int(&pk, 1);
	msgpack_pack_str_with_body(&pk, "table", 5);
	msgpack_pack_str_with_body(&pk, "a\0b", 3);
	msgpack_pack_str_with_body(&pk, "columns", 7);
	msgpack_pack_array(&pk, 0);
	expect_error(&b, "contains a NUL byte");

	/* a trailer first, a map without rowstream, text */
	sl_buf_reset(&b);
	trailer(&pk, 0, 0);
	expect_error(&b, "found a trailer where a header was expected");
	sl_buf_reset(&b);
	msgpack_pack_map(&pk, 0);
	expect_error(&b, "a map without \"rowstream\"");
	raw_map(&b, "id,name\n1,x\n", 12);
	expect_error(&b, "byte 0: not a row stream: expected a header map, "
	    "found an integer (byte 0x69)");

	/* deep nesting under an unknown key */
	sl_buf_reset(&b);
	msgpack_pack_map(&pk, 1);
	msgpack_pack_str_with_body(&pk, "junk", 4);
	for (i = 0; i < 40; i++)
		msgpack_pack_array(&pk, 1);
	msgpack_pack_nil(&pk);
	expect_error(&b, "nested deeper than 16 levels");

	/* 0xc1 */
	raw_map(&b, "\x81\xc1", 2);
	expect_error(&b, "byte 1: invalid MessagePack byte 0xc1");
	sl_buf_free(&b);
}

/* Sizes declared past the limit fail at once, without reading them. */
static void
test_limits(void)
{
	const char *const one[] = { "s:text" };
	struct sl_buf b = { 0 };
	struct rs_header *h = hdr("lim", 1, one);
	struct rs_writer *w = rs_wopen_buf(&b);
	struct rs_reader *r;
	char big[2000];

	memset(big, 'y', sizeof(big));
	rs_begin(w, h);
	rs_row_begin(w);
	rs_put_str(w, big, sizeof(big));
	rs_row_end(w);
	rs_end(w);
	rs_wfinish(w);
	rs_wclose(w);
	r = rs_memopen(b.p, b.len, "t", 0);
	rs_set_limit(r, 1000);
	CHECK(rs_next(r) == RS_HEADER);
	CHECK(rs_next(r) == RS_ERROR);
	CHECKF(strstr(rs_errmsg(r), "larger than the limit of 1000") != NULL,
	    "%s", rs_errmsg(r));
	rs_close(r);

	/* a header claiming a 4 GiB string, then nothing */
	raw_map(&b, "\x81\xa4" "junk" "\xdb\xff\xff\xff\xf0", 11);
	expect_error(&b, "larger than the limit");
	/* a header claiming an array of 4 billion elements */
	raw_map(&b, "\x81\xa4" "junk" "\xdd\xff\xff\xff\xf0", 11);
	expect_error(&b, "larger than the limit");
	/*
	 * A row whose string claims 900 MB, within the 1 GiB limit, and then
	 * ends: a truncated stream (exit 3), without buffering 900 MB first.
	 */
	sl_buf_reset(&b);
	w = rs_wopen_buf(&b);
	rs_begin(w, h);
	rs_wflush(w);
	rs_wclose(w);
	sl_buf_add(&b, "\x91\xdb\x35\xa4\xe9\x00xy", 8);
	r = rs_memopen(b.p, b.len, "t", 0);
	CHECK(rs_next(r) == RS_HEADER);
	CHECK(rs_next(r) == RS_ERROR);
	CHECKF(rs_status(r) == EXIT_STREAM && strstr(rs_errmsg(r),
	    "truncated stream") != NULL, "%d %s", rs_status(r), rs_errmsg(r));
	rs_close(r);
	/* a row claiming 4 billion values */
	sl_buf_reset(&b);
	w = rs_wopen_buf(&b);
	rs_begin(w, h);
	rs_wflush(w);
	rs_wclose(w);
	sl_buf_add(&b, "\xdd\xff\xff\xff\xf0", 5);
	expect_error(&b, "has 4294967280 values, the header has 1");
	rs_header_free(h);
	sl_buf_free(&b);
}

static uint64_t rng = 88172645463325252ULL;

static uint64_t
xorshift(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Random bytes and random damage to a valid stream: an answer, no crash. */
static void
test_garbage(void)
{
	struct sl_buf good = { 0 }, b = { 0 };
	uint64_t rows;
	enum rs_event ev;
	size_t i, j, n;

	three_segments(&good, NULL);
	for (i = 0; i < 20000; i++) {
		sl_buf_reset(&b);
		if (i % 2 == 0) {
			n = xorshift() % 300;
			for (j = 0; j < n; j++)
				sl_buf_addc(&b, (char)xorshift());
		} else {
			sl_buf_add(&b, good.p, good.len);
			for (j = 0; j < 1 + xorshift() % 4; j++)
				b.p[xorshift() % b.len] = (char)xorshift();
		}
		ev = drain(&b, i % 5, &rows);
		CHECK(ev == RS_ERROR || ev == RS_EOF);
	}
	sl_buf_free(&good);
	sl_buf_free(&b);
}

/* A filter's two ways to pass rows on both give the input bytes back. */
static void
test_passthrough(void)
{
	struct sl_buf in = { 0 }, out1 = { 0 }, out2 = { 0 };
	struct rs_reader *r;
	struct rs_writer *w1, *w2;
	const struct rs_row *row;
	enum rs_event ev;
	size_t i;

	three_segments(&in, NULL);
	r = rs_memopen(in.p, in.len, "t", 0);
	w1 = rs_wopen_buf(&out1);
	w2 = rs_wopen_buf(&out2);
	while ((ev = rs_next(r)) > 0) {
		if (ev == RS_HEADER) {
			CHECK(rs_begin(w1, rs_header(r)));
			CHECK(rs_begin(w2, rs_header(r)));
		} else if (ev == RS_TRAILER) {
			CHECK(rs_end(w1));
			CHECK(rs_end(w2));
		} else {
			row = rs_row(r);
			CHECK(rs_row_copy(w1, row));
			rs_row_begin(w2);
			for (i = 0; i < row->ncols; i++)
				rs_put_raw(w2, row->raw + row->off[i],
				    row->off[i + 1] - row->off[i]);
			CHECK(rs_row_end(w2));
		}
	}
	CHECK(ev == RS_EOF);
	CHECK(rs_wfinish(w1) && rs_wfinish(w2));
	CHECK(rs_wclose(w1) && rs_wclose(w2));
	CHECK(out1.len == in.len && memcmp(out1.p, in.p, in.len) == 0);
	CHECK(out2.len == in.len && memcmp(out2.p, in.p, in.len) == 0);
	rs_close(r);
	sl_buf_free(&in);
	sl_buf_free(&out1);
	sl_buf_free(&out2);
}

/* The writer refuses what would make a bad stream. */
static void
test_writer_errors(void)
{
	const char *const two[] = { "a:int8", "b:text" };
	struct rs_header *h = hdr("w", 2, two);
	struct sl_buf b = { 0 };
	struct rs_writer *w;

	w = rs_wopen_buf(&b);
	rs_begin(w, h);
	rs_row_begin(w);
	rs_put_str(w, "x", 1);
	CHECK(!rs_row_end(w));
	CHECK(strstr(sl_lasterr(), "column \"a\" (int8) given a value") != NULL);
	CHECK(rs_wfailed(w));
	CHECK(!rs_end(w));
	rs_wclose(w);

	w = rs_wopen_buf(&b);
	rs_begin(w, h);
	rs_row_begin(w);
	rs_put_int(w, 1);
	CHECK(!rs_row_end(w));
	CHECK(strstr(sl_lasterr(), "with 1 values, not 2") != NULL);
	rs_wclose(w);

	w = rs_wopen_buf(&b);
	CHECK(!rs_row_begin(w));
	rs_wclose(w);

	rs_header_setcol(h, 1, "a", "text");
	w = rs_wopen_buf(&b);
	CHECK(!rs_begin(w, h));
	CHECK(strstr(sl_lasterr(), "appears twice") != NULL);
	rs_wclose(w);
	rs_header_free(h);
	sl_buf_free(&b);
}

int
main(void)
{
	sl_setprogname("unit");
	sl_err_quiet(true);
	run("rowstream: every value type round-trips", test_roundtrip_types);
	run("rowstream: canonical integer encodings", test_canonical_bytes);
	run("rowstream: NULLs and empty values", test_nulls_and_empty);
	run("rowstream: zero columns", test_zero_columns);
	run("rowstream: 10,000 columns", test_wide_10000);
	run("rowstream: 1 MiB values", test_big_values);
	run("rowstream: multi-segment streams", test_multi_segment);
	run("rowstream: truncated at every byte", test_truncated_everywhere);
	run("rowstream: wrong arity, types, trailers", test_bad_streams);
	run("rowstream: non-canonical input is re-packed", test_canonicalized);
	run("rowstream: bad headers", test_bad_headers);
	run("rowstream: size limits", test_limits);
	run("rowstream: random garbage", test_garbage);
	run("rowstream: pass-through by copy and by spans", test_passthrough);
	run("rowstream: writer refuses bad rows", test_writer_errors);
	return unit_bad ? 1 : 0;
}
