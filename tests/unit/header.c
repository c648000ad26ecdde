/*
 * Unit tests of the header's name index (rs_header_find, the checks of
 * rs_header_fault, nidx.c), and of sl_printable, which renders input
 * bytes for messages.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "exitcodes.h"
#include "nidx.h"
#include "rowstream.h"
#include "value.h"
#include "unit.h"

#define WIDE	300000

static char *
colname(char *b, size_t size, size_t i)
{
	snprintf(b, size, "column_%zu", i);
	return b;
}

static struct rs_header *
wide(size_t n)
{
	struct rs_header *h = rs_header_new("t", n);
	char b[32];
	size_t i;

	for (i = 0; h != NULL && i < n; i++)
		if (!rs_header_setcol(h, i, colname(b, sizeof(b), i), "text")) {
			rs_header_free(h);
			return NULL;
		}
	return h;
}

static void
test_find_many(void)
{
	struct rs_header *h = wide(WIDE);
	char b[32], msg[256];
	size_t i, bad = 0;

	CHECK(h != NULL);
	if (h == NULL)
		return;
	for (i = 0; i < WIDE; i++)
		if (rs_header_find(h, colname(b, sizeof(b), i)) != (long)i)
			bad++;
	CHECKF(bad == 0, "%zu of %d names not found where they are", bad,
	    WIDE);
	CHECK(rs_header_find(h, colname(b, sizeof(b), WIDE)) == -1);
	CHECK(rs_header_find(h, "") == -1);
	CHECK(rs_header_find(h, "column_") == -1);
	CHECK(rs_header_fault(h, msg, sizeof(msg)) == 0);

	/* a new type keeps the name; a new name moves the lookup with it */
	CHECK(rs_header_setcol(h, 7, "column_7", "int8"));
	CHECK(rs_header_find(h, "column_7") == 7);
	CHECK(h->cols[7].cls == RS_INT);
	CHECK(rs_header_setcol(h, 7, "seven", "int8"));
	CHECK(rs_header_find(h, "column_7") == -1);
	CHECK(rs_header_find(h, "seven") == 7);
	CHECK(rs_header_find(h, "column_8") == 8);
	rs_header_free(h);

	h = rs_header_new("empty", 0);
	CHECK(h != NULL && rs_header_find(h, "x") == -1);
	rs_header_free(h);
}

static void
test_duplicates(void)
{
	struct rs_header *h = wide(WIDE), *d;
	const char *key[1] = { "nope" };
	char msg[256];

	CHECK(h != NULL);
	if (h == NULL)
		return;
	CHECK(rs_header_find(h, "column_5") == 5);	/* index built */
	CHECK(rs_header_setcol(h, WIDE - 1, "column_5", "text"));
	CHECK(rs_header_fault(h, msg, sizeof(msg)) == EXIT_STREAM);
	CHECKF(strcmp(msg, "column \"column_5\" appears twice in \"t\"") == 0,
	    "%s", msg);
	CHECK(rs_header_find(h, "column_5") == 5);	/* the first */
	CHECK(!rs_header_check(h, "stdin"));
	CHECKF(strcmp(sl_lasterr(), "stdin: column \"column_5\" appears "
	    "twice in \"t\"") == 0, "%s", sl_lasterr());

	/* a copy has its own index */
	d = rs_header_dup(h);
	CHECK(d != NULL && rs_header_fault(d, msg, sizeof(msg)) == EXIT_STREAM);
	rs_header_free(d);

	CHECK(rs_header_setcol(h, WIDE - 1, "last", "text"));
	CHECK(rs_header_fault(h, msg, sizeof(msg)) == 0);
	CHECK(rs_header_setkey(h, 1, key));
	CHECK(rs_header_fault(h, msg, sizeof(msg)) == EXIT_STREAM);
	CHECKF(strcmp(msg, "key column \"nope\" is not a column of \"t\"") ==
	    0, "%s", msg);
	key[0] = "last";
	CHECK(rs_header_setkey(h, 1, key));
	CHECK(rs_header_fault(h, msg, sizeof(msg)) == 0);
	rs_header_free(h);
}

struct hashed {
	uint32_t	 hash;
	uint32_t	 i;
};

static int
by_hash(const void *a, const void *b)
{
	const struct hashed *x = a, *y = b;

	return x->hash < y->hash ? -1 : x->hash > y->hash;
}

/*
 * Two names of equal hash, found by the birthday paradox: among 300,000
 * names some ten pairs share their 32-bit hash. False if none did.
 */
static bool
colliding(char *a, char *b, size_t size)
{
	struct hashed *v = calloc(WIDE, sizeof(*v));
	char s[32];
	size_t i;
	bool found = false;

	if (v == NULL)
		return false;
	for (i = 0; i < WIDE; i++) {
		v[i].hash = sl_nidx_hash(colname(s, sizeof(s), i));
		v[i].i = (uint32_t)i;
	}
	qsort(v, WIDE, sizeof(*v), by_hash);
	for (i = 1; i < WIDE && !found; i++)
		if (v[i].hash == v[i - 1].hash) {
			colname(a, size, v[i - 1].i);
			colname(b, size, v[i].i);
			found = true;
		}
	free(v);
	return found;
}

static void
test_collisions(void)
{
	char a[32], b[32], msg[256];
	struct rs_header *h;
	struct sl_nidx *x;

	CHECK(colliding(a, b, sizeof(a)));
	CHECK(strcmp(a, b) != 0 && sl_nidx_hash(a) == sl_nidx_hash(b));

	/* the header: both found, each where it is, and not duplicates */
	h = rs_header_new("t", 3);
	CHECK(h != NULL && rs_header_setcol(h, 0, "id", "int8") &&
	    rs_header_setcol(h, 1, a, "text") &&
	    rs_header_setcol(h, 2, b, "text"));
	CHECK(rs_header_find(h, a) == 1);
	CHECK(rs_header_find(h, b) == 2);
	CHECK(rs_header_fault(h, msg, sizeof(msg)) == 0);
	/* one of them only: the other, of the same hash, is not there */
	CHECK(rs_header_setcol(h, 2, "other", "text"));
	CHECK(rs_header_find(h, a) == 1);
	CHECK(rs_header_find(h, b) == -1);
	rs_header_free(h);

	/* the index itself, full enough to grow past its first size */
	x = sl_nidx_new(1);
	CHECK(x != NULL);
	if (x == NULL)
		return;
	CHECK(sl_nidx_add(x, b, 0) == 0);
	CHECK(sl_nidx_find(x, a) == -1);
	CHECK(sl_nidx_add(x, a, 1) == 1);
	CHECK(sl_nidx_add(x, b, 2) == 0);	/* the first number stays */
	CHECK(sl_nidx_add(x, "c", 3) == 3);
	CHECK(sl_nidx_find(x, a) == 1 && sl_nidx_find(x, b) == 0 &&
	    sl_nidx_find(x, "c") == 3);
	CHECK(sl_nidx_add(x, "d", (size_t)SL_NIDX_MAX + 1) == -1);
	sl_nidx_free(x);
}

#define SHOW(in, want) do {						\
	char b_[SL_PRINTABLE];						\
	sl_printable(b_, sizeof(b_), in, sizeof(in) - 1);		\
	CHECKF(strcmp(b_, want) == 0, "got \"%s\", wanted \"%s\"", b_,	\
	    want);							\
} while (0)

static void
test_printable(void)
{
	char b[12], big[200];
	size_t i;

	SHOW("plain text", "plain text");
	SHOW("", "");
	SHOW("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
	    "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	SHOW("a\0b", "a\\0b");
	SHOW("bad \xff\xfe end", "bad \\xff\\xfe end");
	SHOW("cut \xc3", "cut \\xc3");
	SHOW("tab\tnl\ndel\x7f", "tab\\x09nl\\x0adel\\x7f");
	SHOW("c1 \xc2\x85 nbsp \xc2\xa0", "c1 \\xc2\\x85 nbsp \xc2\xa0");
	SHOW("\xed\xa0\x80", "\\xed\\xa0\\x80");	/* a surrogate */
	SHOW("back\\slash", "back\\slash");

	/* too long: cut at a whole character or escape, then "..." */
	CHECK(strcmp(sl_printable(b, sizeof(b), "abcdefghijklmnop", 16),
	    "abcdefgh...") == 0);
	CHECK(strcmp(sl_printable(b, sizeof(b), "abcdefghijk", 11),
	    "abcdefghijk") == 0);
	CHECK(strcmp(sl_printable(b, sizeof(b), "abcdef\xff\xffgh", 10),
	    "abcdef...") == 0);
	CHECK(strcmp(sl_printable(b, sizeof(b), "abcdef\xc3\xa9xyzw", 12),
	    "abcdef\xc3\xa9...") == 0);
	CHECK(strcmp(sl_printable(b, sizeof(b), "abcdefg\xe2\x82\xacxyz", 13),
	    "abcdefg...") == 0);	/* not the euro sign's first byte */
	for (i = 0; i < sizeof(big); i++)
		big[i] = (char)(i % 2 ? 0xff : 'x');
	sl_printable(b, sizeof(b), big, sizeof(big));
	CHECKF(strcmp(b, "x\\xffx...") == 0, "%s", b);
	memset(big, '\0', sizeof(big));
	CHECK(strlen(sl_printable(b, sizeof(b), big, sizeof(big))) < sizeof(b));
}

int
main(void)
{
	sl_setprogname("unit");
	sl_err_quiet(true);
	run("header: find each of 300,000 names", test_find_many);
	run("header: duplicates and key columns found", test_duplicates);
	run("header: names of equal hash told apart", test_collisions);
	run("value: sl_printable renders input for messages",
	    test_printable);
	return unit_bad ? 1 : 0;
}
