/*
 * Unit tests of the COPY text encoder (lib/pgx_text.c). The round trip
 * through a real server is in tests/pg/load.sh; these pin the bytes.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "pgx.h"
#include "unit.h"

static struct sl_buf b;

/* Values as msgpack-c hands them out. */
#define OBJ(t, f, v)	((msgpack_object){ .type = (t), .via.f = (v) })
#define NIL()		OBJ(MSGPACK_OBJECT_NIL, u64, 0)
#define BOOLEAN(v)	OBJ(MSGPACK_OBJECT_BOOLEAN, boolean, (v))
#define UNS(v)		OBJ(MSGPACK_OBJECT_POSITIVE_INTEGER, u64, (v))
#define DBL(v)		OBJ(MSGPACK_OBJECT_FLOAT64, f64, (v))
#define STR(s, n)	((msgpack_object){ .type = MSGPACK_OBJECT_STR,	\
			    .via.str = { (uint32_t)(n), (s) } })
#define BIN(s, n)	((msgpack_object){ .type = MSGPACK_OBJECT_BIN,	\
			    .via.bin = { (uint32_t)(n), (s) } })

/* An integer as msgpack-c gives it: negative ones only as int64. */
static msgpack_object
sint(int64_t i)
{
	if (i >= 0)
		return UNS((uint64_t)i);
	return OBJ(MSGPACK_OBJECT_NEGATIVE_INTEGER, i64, i);
}

/* Encodes o alone and compares with want (want NULL: must fail). */
static bool
enc(msgpack_object o, const char *want, size_t wlen)
{
	bool ok;

	sl_buf_reset(&b);
	ok = pgx_encode_value(&b, &o);
	if (want == NULL)
		return !ok;
	if (!ok || b.len != wlen || memcmp(b.p, want, wlen) != 0) {
		printf("#   got '%.*s', wanted '%.*s'\n", (int)b.len,
		    ok ? b.p : "(failed)", (int)wlen, want);
		return false;
	}
	return true;
}

#define ENC(o, lit)	enc((o), (lit), sizeof(lit) - 1)

static void
test_scalars(void)
{
	CHECK(ENC(NIL(), "\\N"));
	CHECK(ENC(BOOLEAN(true), "t"));
	CHECK(ENC(BOOLEAN(false), "f"));
	CHECK(ENC(sint(0), "0"));
	CHECK(ENC(sint(7), "7"));
	CHECK(ENC(sint(-1), "-1"));
	CHECK(ENC(sint(1234567890123), "1234567890123"));
	CHECK(ENC(sint(INT64_MIN), "-9223372036854775808"));
	CHECK(ENC(sint(INT64_MAX), "9223372036854775807"));
	CHECK(ENC(UNS(UINT64_MAX), "18446744073709551615"));
	CHECK(ENC(DBL(1.5), "1.5"));
	CHECK(ENC(DBL(0.1), "0.1"));
	CHECK(ENC(DBL(-2.5e-300), "-2.5e-300"));
	CHECK(ENC(DBL(NAN), "NaN"));
	CHECK(ENC(DBL(INFINITY), "Infinity"));
	CHECK(ENC(DBL(-INFINITY), "-Infinity"));
}

static void
test_strings(void)
{
	CHECK(ENC(STR("", 0), ""));
	CHECK(ENC(STR("plain", 5), "plain"));
	CHECK(ENC(STR("a\tb", 3), "a\\tb"));
	CHECK(ENC(STR("a\nb\r\n", 5), "a\\nb\\r\\n"));
	CHECK(ENC(STR("back\\slash", 10), "back\\\\slash"));
	/* a value that is COPY's end-of-data marker stays a value */
	CHECK(ENC(STR("\\.", 2), "\\\\."));
	/* the string "\N" is not NULL */
	CHECK(ENC(STR("\\N", 2), "\\\\N"));
	CHECK(ENC(STR("\\", 1), "\\\\"));
	/* other control characters and UTF-8 go as they are */
	CHECK(ENC(STR("\x01\x7f\xc3\xa9", 4), "\x01\x7f\xc3\xa9"));
	CHECK(ENC(STR("Østergaard", strlen("Østergaard")), "Østergaard"));
}

static void
test_nul(void)
{
	size_t len;

	CHECK(enc(STR("a\0b", 3), NULL, 0));
	CHECK(strstr(sl_lasterr(), "0x00") != NULL);
	CHECK(strstr(sl_lasterr(), "offset 1") != NULL);
	CHECK(enc(STR("\0", 1), NULL, 0));
	/* a NUL in bytea is fine */
	CHECK(ENC(BIN("\0\xff", 2), "\\\\x00ff"));
	CHECK(ENC(BIN("", 0), "\\\\x"));

	/* a failed row leaves the buffer as it was */
	{
		msgpack_object v[3] = { sint(1), STR("x\0y", 3), NIL() };
		struct rs_row row = { .ncols = 3, .v = v };

		sl_buf_reset(&b);
		CHECK(sl_buf_adds(&b, "before\n"));
		len = b.len;
		CHECK(!pgx_encode_row(&b, &row));
		CHECK(b.len == len);
	}
}

static void
test_rows(void)
{
	msgpack_object v[6] = { sint(42), STR("Ada\tL", 5), NIL(),
	    DBL(2.25), BOOLEAN(true), BIN("\x01", 1) };
	struct rs_row row = { .ncols = 6, .v = v };
	static const char want[] = "42\tAda\\tL\t\\N\t2.25\tt\t\\\\x01\n";
	struct rs_row empty = { .ncols = 0, .v = v };

	sl_buf_reset(&b);
	CHECK(pgx_encode_row(&b, &row));
	CHECK(b.len == sizeof(want) - 1 && memcmp(b.p, want, b.len) == 0);
	/* rows append */
	CHECK(pgx_encode_row(&b, &row));
	CHECK(b.len == 2 * (sizeof(want) - 1));
	/* a row of no columns is an empty line, as COPY expects */
	sl_buf_reset(&b);
	CHECK(pgx_encode_row(&b, &empty));
	CHECK(b.len == 1 && b.p[0] == '\n');
}

/* A long value with escapes spread through it: the runs add up. */
static void
test_long(void)
{
	static char s[100000];
	size_t i, n = 0;

	for (i = 0; i < sizeof(s); i++)
		s[i] = i % 1000 == 999 ? '\n' : (char)('a' + i % 26);
	sl_buf_reset(&b);
	CHECK(pgx_encode_value(&b, &STR(s, sizeof(s))));
	CHECK(b.len == sizeof(s) + sizeof(s) / 1000);
	for (i = 0; i < b.len; i++)
		if (b.p[i] == '\\')
			n++;
	CHECK(n == sizeof(s) / 1000);
	CHECK(memchr(b.p, '\n', b.len) == NULL);
}

int
main(void)
{
	sl_setprogname("unit");
	sl_err_quiet(true);
	run("pgx_text: scalars", test_scalars);
	run("pgx_text: strings and escapes", test_strings);
	run("pgx_text: NUL in text is refused, in bytea is fine", test_nul);
	run("pgx_text: whole rows", test_rows);
	run("pgx_text: a long value with escapes", test_long);
	sl_buf_free(&b);
	return unit_bad ? 1 : 0;
}
