/*
 * Unit tests of the COPY binary encoder (lib/pgx_binary.c): each value's
 * bytes against those PostgreSQL's own COPY TO binary writes for it
 * (the table below), the forms refused with their messages, and the
 * choice of format for a table. tests/pg/binary.sh loads the same rows
 * both ways through a server and compares the tables.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "pgx_binary.h"
#include "unit.h"

/*
 * The reference: for each TYPE|TEXT, the field (int32 length, payload)
 * that PostgreSQL 15 writes for it, made once with
 *	psql -XAtq -c "copy (select E'TEXT'::TYPE) to stdout with
 *	    (format binary)" | xxd -p
 * less the 19-byte file header, the int16 field count and the trailer.
 */
static const struct {
	const char	*type;
	const char	*text;
	const char	*hex;
} ref[] = {
	{ "uuid", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "00000010a0eebc999c0b4ef8bb6d6bb9bd380a11" },
	{ "uuid", "{A0EEBC999C0B4EF8BB6D6BB9BD380A11}", "00000010a0eebc999c0b4ef8bb6d6bb9bd380a11" },
	{ "uuid", "a0eebc999c0b4ef8bb6d6bb9bd380a11", "00000010a0eebc999c0b4ef8bb6d6bb9bd380a11" },
	{ "uuid", "a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11", "00000010a0eebc999c0b4ef8bb6d6bb9bd380a11" },
	{ "uuid", "00000000-0000-0000-0000-000000000000", "0000001000000000000000000000000000000000" },
	{ "date", "2000-01-01", "0000000400000000" },
	{ "date", "1999-12-31", "00000004ffffffff" },
	{ "date", "2024-02-29", "0000000400002279" },
	{ "date", "1900-03-01", "00000004ffff718f" },
	{ "date", "1970-01-01", "00000004ffffd533" },
	{ "date", "0044-03-15 BC", "00000004fff49d7b" },
	{ "date", "0005-02-29 BC", "00000004fff4d511" },
	{ "date", "0001-01-01 BC", "00000004fff4da8b" },
	{ "date", "4714-11-24 BC", "00000004ffda97a7" },
	{ "date", "5874897-12-31", "000000047fda970c" },
	{ "date", "10000-01-01", "00000004002c95d4" },
	{ "date", "infinity", "000000047fffffff" },
	{ "date", "-infinity", "0000000480000000" },
	{ "timestamp", "2000-01-01 00:00:00", "000000080000000000000000" },
	{ "timestamp", "2024-02-29 12:00:00.5", "000000080002b582c47fb120" },
	{ "timestamp", "1999-12-31 23:59:59.999999", "00000008ffffffffffffffff" },
	{ "timestamp", "1970-01-01 00:00:00.000001", "00000008fffca2fec4c82001" },
	{ "timestamp", "0044-03-15 12:00:00 BC", "00000008ff1af9e8fb46d000" },
	{ "timestamp", "4714-11-24 00:00:00 BC", "00000008fd0f7cc1411fa000" },
	{ "timestamp", "294276-12-31 23:59:59.999999", "000000087fffff5bb3b29fff" },
	{ "timestamp", "infinity", "000000087fffffffffffffff" },
	{ "timestamp", "-infinity", "000000088000000000000000" },
	{ "timestamptz", "2024-02-29 12:00:00+00", "000000080002b582c4781000" },
	{ "timestamptz", "2024-02-29 12:00:00.123456+05:30", "000000080002b57e284dec40" },
	{ "timestamptz", "2024-02-29 12:00:00-08", "000000080002b58979153000" },
	{ "timestamptz", "1900-01-01 00:00:00+00:19:32", "00000008fff4c9ee36303300" },
	{ "timestamptz", "0044-03-15 12:00:00+00 BC", "00000008ff1af9e8fb46d000" },
	{ "timestamptz", "2000-01-01 00:00:00.01", "000000080000000000002710" },
	{ "timestamptz", "infinity", "000000087fffffffffffffff" },
	{ "timestamptz", "-infinity", "000000088000000000000000" },
	{ "text", "héllo", "0000000668c3a96c6c6f" },
	{ "text", "", "00000000" },
	{ "varchar", "tab\tand \\ back", "0000000e74616209616e64205c206261636b" },
	{ "bpchar", "ab", "000000026162" },
	{ "int2", "-32768", "000000028000" },
	{ "int2", "32767", "000000027fff" },
	{ "int4", "-2147483648", "0000000480000000" },
	{ "int4", "2147483647", "000000047fffffff" },
	{ "int4", "0", "0000000400000000" },
	{ "int8", "-9223372036854775808", "000000088000000000000000" },
	{ "int8", "9223372036854775807", "000000087fffffffffffffff" },
	{ "int8", "1", "000000080000000000000001" },
	{ "float8", "2.5", "000000084004000000000000" },
	{ "float8", "-0", "000000088000000000000000" },
	{ "float8", "NaN", "000000087ff8000000000000" },
	{ "float8", "Infinity", "000000087ff0000000000000" },
	{ "float8", "1e-300", "0000000801a56e1fc2f8f359" },
	{ "float8", "0.1", "000000083fb999999999999a" },
	{ "float4", "1.1", "000000043f8ccccd" },
	{ "float4", "3.4e+38", "000000047f7fc99e" },
	{ "float4", "-Infinity", "00000004ff800000" },
	{ "float4", "1.00000005", "000000043f800000" },
	{ "bool", "t", "0000000101" },
	{ "bool", "f", "0000000100" },
	{ "bytea", "\\x00ff", "0000000200ff" },
	{ "bytea", "\\x", "00000000" },
};

static const struct {
	const char	*name;
	Oid		 oid;
	const char	*stream;	/* the stream's type for it */
} oids[] = {
	{ "bool", 16, "bool" }, { "bytea", 17, "bytea" },
	{ "int8", 20, "int8" }, { "int2", 21, "int2" }, { "int4", 23, "int4" },
	{ "text", 25, "text" }, { "float4", 700, "float4" },
	{ "float8", 701, "float8" }, { "bpchar", 1042, "text" },
	{ "varchar", 1043, "text" }, { "date", 1082, "date" },
	{ "timestamp", 1114, "timestamp" },
	{ "timestamptz", 1184, "timestamptz" }, { "uuid", 2950, "uuid" },
	{ "numeric", 1700, "numeric" },
};

static Oid
oid_of(const char *name, const char **stream)
{
	size_t i;

	for (i = 0; i < sizeof(oids) / sizeof(oids[0]); i++)
		if (strcmp(oids[i].name, name) == 0) {
			*stream = oids[i].stream;
			return oids[i].oid;
		}
	abort();
}

static int
hexval(int c)
{
	return c <= '9' ? c - '0' : c - 'a' + 10;
}

/* hex into b (reset first) */
static void
unhex(struct sl_buf *b, const char *hex)
{
	size_t i, n = strlen(hex);

	sl_buf_reset(b);
	for (i = 0; i + 1 < n; i += 2)
		sl_buf_addc(b, (char)(hexval(hex[i]) << 4 | hexval(hex[i + 1])));
}

static struct sl_buf out, want, bytes;
static bool textual;	/* pgx_binary_textual() after enc1's row */

/* The value for text as a stream of class cls carries it. */
static msgpack_object
value(enum rs_class cls, const char *text)
{
	msgpack_object o = { .type = MSGPACK_OBJECT_STR };
	long long i;

	switch (cls) {
	case RS_INT:
		i = strtoll(text, NULL, 10);
		if (i < 0) {
			o.type = MSGPACK_OBJECT_NEGATIVE_INTEGER;
			o.via.i64 = i;
		} else {
			o.type = MSGPACK_OBJECT_POSITIVE_INTEGER;
			o.via.u64 = (uint64_t)i;
		}
		return o;
	case RS_FLOAT:
		o.type = MSGPACK_OBJECT_FLOAT64;
		o.via.f64 = strcmp(text, "NaN") == 0 ? NAN : strtod(text, NULL);
		return o;
	case RS_BOOL:
		o.type = MSGPACK_OBJECT_BOOLEAN;
		o.via.boolean = text[0] == 't';
		return o;
	case RS_BYTEA:
		unhex(&bytes, text + 2);
		o.type = MSGPACK_OBJECT_BIN;
		o.via.bin.ptr = bytes.p;
		o.via.bin.size = (uint32_t)bytes.len;
		return o;
	case RS_TEXT:
		break;
	}
	o.via.str.ptr = text;
	o.via.str.size = (uint32_t)strlen(text);
	return o;
}

/*
 * Encodes a one-column row of type (as the stream types it: stream)
 * holding o into out; false when the encoder refused it or would not be
 * made (*why then says why).
 */
static bool
enc1(const char *type, const char *stream, msgpack_object o, bool force,
    const char **why)
{
	struct rs_header *h = rs_header_new("t", 1);
	const char *st;
	size_t keep = 0;
	Oid oid = oid_of(type, &st);
	struct pgx_binary *e;
	struct rs_row row = { .ncols = 1, .v = &o, .num = 7 };
	bool ok;

	if (h == NULL || !rs_header_setcol(h, 0, "c", stream ? stream : st))
		abort();
	if ((e = pgx_binary_make(h, &keep, 1, &oid, false, force, why)) ==
	    NULL) {
		rs_header_free(h);
		return false;
	}
	sl_buf_reset(&out);
	sl_buf_add(&out, "x", 1);	/* must stay there */
	ok = pgx_binary_row(e, &out, &row, 7);
	textual = pgx_binary_textual(e);
	if (!ok && (out.len != 1 || pgx_binary_failed(e) != 0)) {
		printf("#   a refusal left %zu bytes, column %ld\n", out.len,
		    pgx_binary_failed(e));
		ok = true;	/* so that the caller's check fails */
	}
	pgx_binary_free(e);
	rs_header_free(h);
	return ok;
}

static void
test_reference(void)
{
	const char *st, *why;
	size_t i;

	for (i = 0; i < sizeof(ref) / sizeof(ref[0]); i++) {
		struct rs_header *h = rs_header_new("t", 1);

		oid_of(ref[i].type, &st);
		rs_header_setcol(h, 0, "c", st);
		unhex(&want, ref[i].hex);
		if (!enc1(ref[i].type, NULL, value(h->cols[0].cls, ref[i].text),
		    true, &why)) {
			CHECKF(0, "%s '%s' refused: %s", ref[i].type,
			    ref[i].text, why ? why : sl_lasterr());
		} else {
			/* "x", the field count 1, the field */
			CHECKF(out.len == 3 + want.len && memcmp(out.p,
			    "x\0\1", 3) == 0 && memcmp(out.p + 3, want.p,
			    want.len) == 0, "%s '%s': not the server's bytes",
			    ref[i].type, ref[i].text);
		}
		rs_header_free(h);
	}
}

static void
test_null(void)
{
	msgpack_object nil = { .type = MSGPACK_OBJECT_NIL };
	const char *why;

	CHECK(enc1("uuid", NULL, nil, true, &why));
	CHECK(out.len == 7 && memcmp(out.p, "x\0\1\377\377\377\377", 7) == 0);
	CHECK(enc1("date", NULL, nil, true, &why));
	CHECK(out.len == 7 && memcmp(out.p + 3, "\377\377\377\377", 4) == 0);
}

/* type: text is refused, and the message is msg */
static bool
refused(const char *type, const char *text, const char *msg)
{
	const char *st, *why;
	struct rs_header *h = rs_header_new("t", 1);
	bool ok;

	oid_of(type, &st);
	rs_header_setcol(h, 0, "c", st);
	sl_err_quiet(true);
	ok = !enc1(type, NULL, value(h->cols[0].cls, text), true, &why);
	sl_err_quiet(false);
	rs_header_free(h);
	if (!ok) {
		printf("#   %s '%s' was taken\n", type, text);
		return false;
	}
	if (msg != NULL && strcmp(sl_lasterr(), msg) != 0) {
		printf("#   %s '%s': '%s'\n", type, text, sl_lasterr());
		return false;
	}
	return true;
}

#define NOTFORM(v, t)	"column \"c\": \"" v "\" is not in the output form of " t	\
	" (docs/rowstream.md); load --copy-format text lets the server "	\
	"read it"

static void
test_refused(void)
{
	/* uuid_in's own message for what uuid_in refuses */
	CHECK(refused("uuid", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1",
	    "invalid input syntax for type uuid: "
	    "\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1\""));
	CHECK(refused("uuid", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a111", NULL));
	CHECK(refused("uuid", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}", NULL));
	CHECK(refused("uuid", "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", NULL));
	CHECK(refused("uuid", "a0eebc99--9c0b-4ef8-bb6d-6bb9bd380a11", NULL));
	CHECK(refused("uuid", "a0eeb-c999c0b4ef8bb6d6bb9bd380a11", NULL));
	CHECK(refused("uuid", "a0eebc999c0b4ef8bb6d6bb9bd380a11-", NULL));
	CHECK(refused("uuid", "g0eebc999c0b4ef8bb6d6bb9bd380a11", NULL));
	CHECK(refused("uuid", "", NULL));
	/* dates the server refuses too, and forms it would read but
	 * does not print */
	CHECK(refused("date", "0004-02-29 BC", NOTFORM("0004-02-29 BC", "date")));
	CHECK(refused("date", "2023-02-29", NULL));
	CHECK(refused("date", "2024-04-31", NULL));
	CHECK(refused("date", "2024-13-01", NULL));
	CHECK(refused("date", "0000-01-01", NULL));
	CHECK(refused("date", "24-01-01", NULL));
	CHECK(refused("date", "2024-1-01", NULL));
	CHECK(refused("date", "20240101", NULL));
	CHECK(refused("date", "12345678-01-01", NULL));
	CHECK(refused("date", "2024-01-01 ", NULL));
	CHECK(refused("date", "Jan 1 2024", NOTFORM("Jan 1 2024", "date")));
	/* no digit and no special word: what the server says for it */
	CHECK(refused("date", "not a date",
	    "invalid input syntax for type date: \"not a date\""));
	CHECK(refused("timestamptz", "soon",
	    "invalid input syntax for type timestamp with time zone: "
	    "\"soon\""));
	CHECK(refused("date", "Today", NOTFORM("Today", "date")));
	CHECK(refused("timestamp", "epoch", NOTFORM("epoch", "timestamp")));
	CHECK(refused("date", "Infinity", NULL));
	CHECK(refused("timestamp", "2024-01-01T00:00:00", NULL));
	CHECK(refused("timestamp", "2024-01-01 24:00:00", NULL));
	CHECK(refused("timestamp", "2024-01-01 00:60:00", NULL));
	CHECK(refused("timestamp", "2024-01-01 00:00:00.1234567", NULL));
	CHECK(refused("timestamp", "2024-01-01 00:00:00.", NULL));
	CHECK(refused("timestamp", "2024-01-01 00:00:00+00", NULL));
	CHECK(refused("timestamp", "2024-01-01", NULL));
	CHECK(refused("timestamptz", "2024-01-01 00:00:00+0", NULL));
	CHECK(refused("timestamptz", "2024-01-01 00:00:00+00:", NULL));
	CHECK(refused("timestamptz", "2024-01-01 00:00:00 UTC", NULL));
	CHECK(refused("timestamp", "294277-01-02 00:00:00",
	    "timestamp out of range: \"294277-01-02 00:00:00\""));
	/* out of range as the input functions say it */
	CHECK(refused("int4", "2147483648",
	    "value \"2147483648\" is out of range for type integer"));
	CHECK(refused("int4", "-2147483649",
	    "value \"-2147483649\" is out of range for type integer"));
	CHECK(refused("int2", "32768",
	    "value \"32768\" is out of range for type smallint"));
	CHECK(refused("float4", "1e39",
	    "\"1e+39\" is out of range for type real"));
	CHECK(refused("float4", "1e-50", NULL));
}

static void
test_nul(void)
{
	msgpack_object o = { .type = MSGPACK_OBJECT_STR,
	    .via.str = { 3, "a\0b" } };
	const char *why;

	sl_err_quiet(true);
	CHECK(!enc1("text", NULL, o, true, &why));
	sl_err_quiet(false);
	CHECK(strstr(sl_lasterr(), "0x00 (a NUL byte at offset 1") != NULL);
}

/* type: text is refused, and is (in_text) or is not one the server
 * might read in text, which load in auto then sends it in */
static bool
refused_text(const char *type, const char *text, bool in_text)
{
	if (!refused(type, text, NULL))
		return false;
	if (textual != in_text) {
		printf("#   %s '%s': textual %d\n", type, text, textual);
		return false;
	}
	return true;
}

static void
test_textual(void)
{
	msgpack_object o = { .type = MSGPACK_OBJECT_STR,
	    .via.str = { 3, "a\0b" } };
	const char *why;

	/* forms the server reads that the encoder does not */
	CHECK(refused_text("date", "1999-1-5", true));
	CHECK(refused_text("date", "Jan 1 2024", true));
	CHECK(refused_text("date", "Infinity", true));
	CHECK(refused_text("date", "Today", true));
	CHECK(refused_text("timestamp", "2024-01-01T00:00:00", true));
	CHECK(refused_text("timestamp", "2024-01-01", true));
	CHECK(refused_text("timestamptz", "2024-01-01T00:00:00Z", true));
	CHECK(refused_text("timestamptz", "2024-01-01 00:00:00 UTC", true));
	/* not a date at all to the encoder, which cannot tell it from one
	 * the server reads: text says what the server says of it */
	CHECK(refused_text("date", "2023-02-29", true));
	/* refused in the server's own words: the server refuses them too */
	CHECK(refused_text("date", "not a date", false));
	CHECK(refused_text("uuid", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1",
	    false));
	CHECK(refused_text("int4", "2147483648", false));
	CHECK(refused_text("float4", "1e39", false));
	CHECK(refused_text("timestamp", "294277-01-02 00:00:00", false));
	sl_err_quiet(true);
	CHECK(!enc1("text", NULL, o, true, &why) && !textual);
	sl_err_quiet(false);
	/* a row taken after one refused: nothing refused */
	CHECK(refused_text("date", "1999-1-5", true));
	CHECK(enc1("date", NULL, value(RS_TEXT, "1999-01-05"), true, &why) &&
	    !textual);
}

/* The choice for a table: which columns make it text. */
static void
test_choice(void)
{
	const char *why;
	msgpack_object o = value(RS_TEXT, "2024-01-01");

	/* a type not encoded, forced or not */
	CHECK(!enc1("numeric", NULL, value(RS_TEXT, "1.5"), true, &why) &&
	    why != NULL && strstr(why, "does not encode") != NULL);
	/* a date from a column the stream calls text: its form is not
	 * promised, the server must read it */
	CHECK(!enc1("date", "text", o, true, &why) && why != NULL &&
	    strstr(why, "stream type") != NULL);
	CHECK(enc1("date", "DATE", o, true, &why));
	/* an int column fed a str */
	CHECK(!enc1("int4", "text", value(RS_TEXT, "1"), true, &why) &&
	    why != NULL);
	/* nothing that pays: text, unless forced */
	CHECK(!enc1("int4", NULL, value(RS_INT, "1"), false, &why) &&
	    why != NULL && strstr(why, "faster") != NULL);
	CHECK(enc1("int4", NULL, value(RS_INT, "1"), true, &why));
	CHECK(enc1("uuid", NULL, value(RS_TEXT,
	    "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), false, &why));
}

/* Columns left out, and upsert's row number as the last field. */
static void
test_row(void)
{
	struct rs_header *h = rs_header_new("t", 3);
	size_t keep[2] = { 2, 0 };
	Oid types[2] = { 2950, 23 };
	msgpack_object v[3];
	struct rs_row row = { .ncols = 3, .v = v };
	struct pgx_binary *e;
	const char *why;

	rs_header_setcol(h, 0, "i", "int4");
	rs_header_setcol(h, 1, "skip", "text");
	rs_header_setcol(h, 2, "u", "uuid");
	v[0] = value(RS_INT, "-2");
	v[1] = value(RS_TEXT, "left out");
	v[2] = value(RS_TEXT, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
	e = pgx_binary_make(h, keep, 2, types, true, false, &why);
	CHECK(e != NULL);
	if (e != NULL) {
		sl_buf_reset(&out);
		CHECK(pgx_binary_row(e, &out, &row, 258));
		unhex(&want, "0003" "00000010a0eebc999c0b4ef8bb6d6bb9bd380a11"
		    "00000004fffffffe" "000000080000000000000102");
		CHECK(out.len == want.len && memcmp(out.p, want.p,
		    want.len) == 0);
	}
	pgx_binary_free(e);
	rs_header_free(h);
}

static void
test_header(void)
{
	/* the first 19 bytes of any COPY TO binary */
	unhex(&want, "5047434f50590aff0d0a00" "00000000" "00000000");
	CHECK(PGX_BINARY_HEADER_LEN == want.len &&
	    memcmp(PGX_BINARY_HEADER, want.p, want.len) == 0);
	CHECK(PGX_BINARY_TRAILER_LEN == 2 &&
	    memcmp(PGX_BINARY_TRAILER, "\377\377", 2) == 0);
}

int
main(void)
{
	run("pgx_binary: each type's bytes are the server's", test_reference);
	run("pgx_binary: NULL is length -1", test_null);
	run("pgx_binary: forms refused, in the server's words", test_refused);
	run("pgx_binary: a NUL in text refused as in text format", test_nul);
	run("pgx_binary: which refusals the server might read in text",
	    test_textual);
	run("pgx_binary: which tables go in binary", test_choice);
	run("pgx_binary: columns left out, upsert's row number", test_row);
	run("pgx_binary: the file header and trailer", test_header);
	sl_buf_free(&out);
	sl_buf_free(&want);
	sl_buf_free(&bytes);
	return unit_bad != 0;
}
