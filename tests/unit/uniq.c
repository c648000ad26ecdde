/*
 * Unit tests of lib/uniq.c: first rows keep, duplicates take the first
 * free counter, made values are claimed, --fold, owners in the target
 * (several to a value, none), and a hint that never passes a value the
 * target keeps for a later row.
 */
#include <stdio.h>
#include <string.h>

#include "uniq.h"
#include "unit.h"

static struct sl_buf out;

/* Takes v for a row of key (NULL: none); returns the value it ends with. */
static const char *
give(struct sl_uniq *u, const char *v, const char *key)
{
	struct sl_uniq_row row = { .key = key, .keylen = key ? strlen(key) : 0,
	    .where = 7 };
	enum sl_uniq_res res = sl_uniq_take(u, v, strlen(v), &row);

	if (res == SL_UNIQ_KEPT)
		return v;
	if (res == SL_UNIQ_ERROR ||
	    sl_uniq_suffix(u, v, strlen(v), &row, &out) != SL_UNIQ_KEPT ||
	    !sl_buf_cstr(&out))
		return "(error)";
	return out.p;
}

#define GIVES(u, v, key, want) do {					\
	const char *got_ = give(u, v, key);				\
	CHECKF(strcmp(got_, want) == 0, "%s gave %s, not %s", v, got_,	\
	    want);							\
} while (0)

static void
test_suffix(void)
{
	struct sl_uniq *u = sl_uniq_new(false, SL_UNIQ_PLUS);
	struct sl_uniq_row row = { .where = 1 };

	GIVES(u, "john@x.com", NULL, "john@x.com");
	GIVES(u, "john+2@x.com", NULL, "john+2@x.com");
	GIVES(u, "john@x.com", NULL, "john+3@x.com");
	GIVES(u, "John@x.com", NULL, "John@x.com");
	GIVES(u, "a@b@c", NULL, "a@b@c");
	GIVES(u, "a@b@c", NULL, "a@b+2@c");
	GIVES(u, "kid", NULL, "kid");
	GIVES(u, "kid", NULL, "kid+2");
	GIVES(u, "kid+2", NULL, "kid+2+2");
	CHECK(sl_uniq_take(u, "john+3@x.com", 12, &row) == SL_UNIQ_SEEN);
	CHECK(row.first == 7);
	CHECK(sl_uniq_count(u) == 9);
	sl_uniq_free(u);

	u = sl_uniq_new(false, SL_UNIQ_NUMBER);
	GIVES(u, "john@x.com", NULL, "john@x.com");
	GIVES(u, "john@x.com", NULL, "john2@x.com");
	GIVES(u, "kid", NULL, "kid");
	GIVES(u, "kid", NULL, "kid2");
	GIVES(u, "kid2", NULL, "kid22");
	sl_uniq_free(u);
}

static void
test_fold(void)
{
	struct sl_uniq *u = sl_uniq_new(true, SL_UNIQ_PLUS);

	GIVES(u, "Mary@Y.org", NULL, "Mary@Y.org");
	GIVES(u, "MARY@y.ORG", NULL, "MARY+2@y.ORG");
	GIVES(u, "mary+2@y.org", NULL, "mary+2+2@y.org");
	/* past ASCII, bytes compare as they are */
	GIVES(u, "M\xc3\x9c@x", NULL, "M\xc3\x9c@x");
	GIVES(u, "m\xc3\xbc@x", NULL, "m\xc3\xbc@x");
	sl_uniq_free(u);
}

static void
test_taken(void)
{
	struct sl_uniq *u = sl_uniq_new(true, SL_UNIQ_PLUS);
	struct sl_uniq_row row = { .key = "5", .keylen = 1 };

	CHECK(sl_uniq_own(u, "john@x.com", 10, "1", 1));
	CHECK(sl_uniq_own(u, "john+2@x.com", 12, "3", 1));
	CHECK(sl_uniq_own(u, "JOHN+2@x.com", 12, "4", 1));	/* folds to one */
	CHECK(sl_uniq_own(u, "john+2@x.com", 12, "3", 1));	/* again */
	CHECK(sl_uniq_own(u, "nobody@x.com", 12, NULL, 0));
	/* a new row first: it passes over every owned value */
	GIVES(u, "john@x.com", "9", "john+3@x.com");
	/* the owners keep theirs, wherever they come */
	GIVES(u, "JOHN@x.com", "4", "JOHN+2@x.com");
	GIVES(u, "john@x.com", "1", "john@x.com");
	/* 3 owned john+2 too, but 4 has claimed it in the stream */
	GIVES(u, "john@x.com", "3", "john+4@x.com");
	CHECK(sl_uniq_take(u, "nobody@x.com", 12, &row) == SL_UNIQ_TAKEN);
	CHECK(row.by == NULL);
	GIVES(u, "nobody@x.com", NULL, "nobody+2@x.com");
	CHECK(sl_uniq_take(u, "john@x.com", 10, &row) == SL_UNIQ_SEEN);
	sl_uniq_free(u);

	u = sl_uniq_new(false, SL_UNIQ_PLUS);
	CHECK(sl_uniq_own(u, "a@x", 3, "2", 1));
	row.key = "5";
	CHECK(sl_uniq_take(u, "a@x", 3, &row) == SL_UNIQ_TAKEN);
	CHECK(row.by != NULL && row.bylen == 1 && row.by[0] == '2');
	sl_uniq_free(u);
}

/* Many copies: the hint keeps each one to a probe or two. */
static void
test_many(void)
{
	struct sl_uniq *u = sl_uniq_new(false, SL_UNIQ_NUMBER);
	char want[32];
	int i;

	GIVES(u, "v", NULL, "v");
	for (i = 2; i <= 20000; i++) {
		snprintf(want, sizeof(want), "v%d", i);
		GIVES(u, "v", NULL, want);
	}
	CHECK(sl_uniq_count(u) == 20000);
	CHECK(sl_uniq_bytes(u) > 20000 * 8);
	sl_uniq_free(u);
}

int
main(void)
{
	run("uniq: first keeps, duplicates take the first free counter",
	    test_suffix);
	run("uniq: --fold compares ASCII case-insensitively", test_fold);
	run("uniq: owners in the target keep their values", test_taken);
	run("uniq: 20,000 copies of a value", test_many);
	sl_buf_free(&out);
	return unit_bad ? 1 : 0;
}
