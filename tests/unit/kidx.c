/*
 * Unit tests of the key index of verify --key (lib/kidx.c).
 */
#include <stdint.h>

#include "kidx.h"
#include "unit.h"

/* A spread of key hashes, as XXH3 would give: splitmix64. */
static uint64_t
mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static void
empty(void)
{
	struct kidx *ix = kidx_new();
	size_t at;

	CHECK(ix != NULL);
	CHECK(kidx_seal(ix));
	CHECK(kidx_len(ix) == 0);
	CHECK(kidx_match(ix, 1, 2, &at) == KIDX_NONE);
	CHECK(kidx_find(ix, 1, 2, KIDX_FREE) == SIZE_MAX);
	kidx_free(ix);
}

/* Every key found, changed rows seen as changed, absent keys absent. */
static void
many(void)
{
	struct kidx *ix = kidx_new();
	const uint64_t n = 100000;
	uint64_t i, same = 0, changed = 0, none = 0;
	size_t at;

	for (i = n; i > 0; i--)
		CHECK(kidx_add(ix, mix(i), mix(i + n)));
	CHECK(kidx_seal(ix));
	CHECK(kidx_len(ix) == n);
	CHECK(kidx_bytes(ix) <= 32 * n);
	for (i = 1; i <= n + 10; i++) {
		switch (kidx_match(ix, mix(i), i % 7 == 0 ? 5 : mix(i + n),
		    &at)) {
		case KIDX_SAME:
			same++;
			CHECK(kidx_key(ix, at) == mix(i));
			CHECK(kidx_state(ix, at) == KIDX_TAKEN);
			break;
		case KIDX_CHANGED:
			changed++;
			CHECK(kidx_row(ix, at) == mix(i + n));
			break;
		case KIDX_NONE:
			none++;
			break;
		}
	}
	CHECKF(changed == n / 7, "%llu", (unsigned long long)changed);
	CHECK(same == n - n / 7);
	CHECK(none == 10);
	/* each entry matches once */
	CHECK(kidx_match(ix, mix(1), mix(1 + n), &at) == KIDX_NONE);
	kidx_free(ix);
}

/* A multiset: two equal rows under one key match twice, then not. */
static void
duplicates(void)
{
	struct kidx *ix = kidx_new();
	size_t at, at2;

	CHECK(kidx_add(ix, 7, 1));
	CHECK(kidx_add(ix, 7, 1));
	CHECK(kidx_add(ix, 7, 2));
	CHECK(kidx_add(ix, 3, 9));
	CHECK(kidx_seal(ix));
	CHECK(kidx_match(ix, 7, 2, &at) == KIDX_SAME);
	CHECK(kidx_match(ix, 7, 1, &at) == KIDX_SAME);
	CHECK(kidx_match(ix, 7, 1, &at2) == KIDX_SAME);
	CHECK(at != at2);
	CHECK(kidx_match(ix, 7, 1, &at) == KIDX_NONE);
	CHECK(kidx_find(ix, 3, 9, KIDX_FREE) != SIZE_MAX);
	kidx_set(ix, kidx_find(ix, 3, 9, KIDX_FREE), KIDX_DONE);
	CHECK(kidx_find(ix, 3, 9, KIDX_FREE) == SIZE_MAX);
	CHECK(kidx_find(ix, 3, 9, KIDX_DONE) != SIZE_MAX);
	CHECK(kidx_match(ix, 3, 8, &at) == KIDX_NONE);
	kidx_free(ix);
}

/* Keys at both ends of the hash range land in the first and last bucket. */
static void
edges(void)
{
	struct kidx *ix = kidx_new();
	size_t at, i;

	for (i = 0; i < 5000; i++)
		CHECK(kidx_add(ix, mix(i), i));
	CHECK(kidx_add(ix, 0, 1));
	CHECK(kidx_add(ix, UINT64_MAX, 2));
	CHECK(kidx_seal(ix));
	CHECK(kidx_match(ix, 0, 1, &at) == KIDX_SAME);
	CHECK(kidx_match(ix, UINT64_MAX, 3, &at) == KIDX_CHANGED);
	CHECK(kidx_row(ix, at) == 2);
	kidx_free(ix);
}

int
main(void)
{
	run("kidx: an empty index finds nothing", empty);
	run("kidx: 100000 keys found, changed rows told apart", many);
	run("kidx: duplicate keys and rows are a multiset", duplicates);
	run("kidx: keys at the ends of the hash range", edges);
	return unit_bad ? 1 : 0;
}
