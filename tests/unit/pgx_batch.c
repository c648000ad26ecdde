/*
 * Unit tests of the batch holder's bookkeeping (lib/pgx_batch.c), which
 * needs no server: each row's stream bytes and number found again by its
 * index, the COPY text of a range of rows, when a batch is full (by rows,
 * by bytes) and that clearing it leaves it ready for the next.
 */
#include <stdio.h>
#include <string.h>

#include "pgx_batch.h"
#include "unit.h"

static int
no_reject(void *arg, const char *vals, size_t len, uint64_t num,
    const char *reason)
{
	(void)arg, (void)vals, (void)len, (void)num, (void)reason;
	return 0;
}

/* Row i: COPY text "t<i>\n", stream bytes of i + 1 copies of 'a' + i. */
static void
add(struct pgx_batch *b, size_t i, uint64_t num)
{
	char raw[16], text[16];

	memset(raw, 'a' + (int)i, i + 1);
	snprintf(text, sizeof(text), "t%zu\n", i);
	CHECK(sl_buf_adds(&b->text, text));
	CHECK(pgx_batch_add(b, raw, i + 1, num));
}

static bool
same(const char *p, size_t n, const char *want)
{
	return n == strlen(want) && memcmp(p, want, n) == 0;
}

static void
test_rows(void)
{
	struct pgx_target tg = { 0 };
	struct pgx_batch b;
	const char *p;
	size_t n;

	CHECK(pgx_batch_init(&b, 4, &tg, NULL, no_reject, NULL));
	add(&b, 0, 7);
	add(&b, 1, 9);
	add(&b, 2, 10);
	CHECK(b.n == 3);
	CHECK(!pgx_batch_full(&b));
	p = pgx_batch_vals(&b, 0, &n);
	CHECKF(same(p, n, "a"), "%.*s", (int)n, p);
	p = pgx_batch_vals(&b, 1, &n);
	CHECKF(same(p, n, "bb"), "%.*s", (int)n, p);
	p = pgx_batch_vals(&b, 2, &n);
	CHECKF(same(p, n, "ccc"), "%.*s", (int)n, p);
	CHECK(b.num[0] == 7 && b.num[1] == 9 && b.num[2] == 10);
	p = pgx_batch_text(&b, 0, 3, &n);
	CHECKF(same(p, n, "t0\nt1\nt2\n"), "%.*s", (int)n, p);
	p = pgx_batch_text(&b, 1, 2, &n);
	CHECKF(same(p, n, "t1\n"), "%.*s", (int)n, p);
	p = pgx_batch_text(&b, 1, 3, &n);
	CHECKF(same(p, n, "t1\nt2\n"), "%.*s", (int)n, p);
	add(&b, 3, 11);
	CHECK(pgx_batch_full(&b));
	pgx_batch_free(&b);
}

/* After clear, the next batch's rows are found from the start again. */
static void
test_clear(void)
{
	struct pgx_target tg = { 0 };
	struct pgx_batch b;
	const char *p;
	size_t n;

	CHECK(pgx_batch_init(&b, 2, &tg, NULL, no_reject, NULL));
	add(&b, 0, 1);
	add(&b, 1, 2);
	CHECK(pgx_batch_full(&b));
	b.sent = 3;
	b.broken = true;
	pgx_batch_clear(&b);
	CHECK(b.n == 0 && b.sent == 0 && !b.broken);
	CHECK(b.text.len == 0 && b.raw.len == 0);
	CHECK(!pgx_batch_full(&b));
	add(&b, 2, 3);
	p = pgx_batch_vals(&b, 0, &n);
	CHECKF(same(p, n, "ccc"), "%.*s", (int)n, p);
	p = pgx_batch_text(&b, 0, 1, &n);
	CHECKF(same(p, n, "t2\n"), "%.*s", (int)n, p);
	CHECK(b.num[0] == 3);
	pgx_batch_free(&b);
}

/* A batch is full at PGX_BATCH_BYTES of COPY text, whatever its rows. */
static void
test_bytes(void)
{
	struct pgx_target tg = { 0 };
	struct pgx_batch b;

	CHECK(pgx_batch_init(&b, 1000, &tg, NULL, no_reject, NULL));
	CHECK(sl_buf_grow(&b.text, PGX_BATCH_BYTES));
	memset(b.text.p, 'x', PGX_BATCH_BYTES - 1);
	b.text.len = PGX_BATCH_BYTES - 1;
	CHECK(pgx_batch_add(&b, "a", 1, 1));
	CHECK(!pgx_batch_full(&b));
	CHECK(sl_buf_adds(&b.text, "\n"));
	CHECK(pgx_batch_add(&b, "b", 1, 2));
	CHECK(pgx_batch_full(&b));
	pgx_batch_free(&b);
}

/* Streamed (max 0): no row tables, and freeing it is fine. */
static void
test_streamed(void)
{
	struct pgx_target tg = { 0 };
	struct pgx_batch b;

	CHECK(pgx_batch_init(&b, 0, &tg, NULL, no_reject, NULL));
	CHECK(b.tend == NULL && b.rend == NULL && b.num == NULL);
	CHECK(sl_buf_adds(&b.text, "t0\n"));
	pgx_batch_free(&b);
}

int
main(void)
{
	run("pgx_batch: rows found by index", test_rows);
	run("pgx_batch: clear starts the next batch", test_clear);
	run("pgx_batch: full by bytes", test_bytes);
	run("pgx_batch: streamed holds no rows", test_streamed);
	return unit_bad ? 1 : 0;
}
