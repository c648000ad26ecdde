/*
 * Unit tests of lib/isolate.c against a fake server: which rows end up
 * rejected, which committed and in what order, and how many attempts
 * (round trips) the search took. The fake refuses the first bad row of
 * an attempt and names it, as COPY does; a "late" bad row (a foreign
 * key, checked when the COPY ends) is refused without a name; a server
 * that "misleads" names the row after the bad one, as a translated
 * message read wrong might; a server may also fail outright at a given
 * attempt, which must stop the search with nothing more rejected.
 */
#include <stdio.h>
#include <string.h>

#include "isolate.h"
#include "unit.h"

#define MAXROWS	64

static struct fake {
	size_t	 n;
	char	 bad[MAXROWS];		/* 'x' named, 'l' late, 0 good */
	bool	 mislead;		/* names the row after the bad one */
	uint64_t fail_at;		/* attempt number that fails, 0 none */
	size_t	 maxrej;		/* reject() says stop after this many */
	size_t	 committed[MAXROWS * 4], ncommitted;
	size_t	 rejected[MAXROWS * 4], nrejected;
	uint64_t attempts;
	char	 reason[64];
} fk;

static void
fake(size_t n, const char *bad)
{
	memset(&fk, 0, sizeof(fk));
	fk.n = n;
	fk.maxrej = SIZE_MAX;
	for (size_t i = 0; bad != NULL && i < n && bad[i] != '\0'; i++)
		fk.bad[i] = bad[i] == '.' ? 0 : bad[i];
}

static enum sl_sent
fake_send(void *arg, size_t a, size_t b, struct sl_refusal *why)
{
	size_t i, late = SIZE_MAX;

	(void)arg;
	if (++fk.attempts == fk.fail_at)
		return SL_SENT_FAILED;
	for (i = a; i < b; i++) {
		if (fk.bad[i] == 'x') {
			snprintf(fk.reason, sizeof(fk.reason), "row %zu", i);
			why->reason = fk.reason;
			why->line = i - a + 1;
			if (fk.mislead && i + 1 < b)
				why->line++;
			return SL_SENT_REFUSED;
		}
		if (fk.bad[i] == 'l' && late == SIZE_MAX)
			late = i;
	}
	if (late != SIZE_MAX) {
		snprintf(fk.reason, sizeof(fk.reason), "late row %zu", late);
		why->reason = fk.reason;
		why->line = 0;
		return SL_SENT_REFUSED;
	}
	for (i = a; i < b; i++)
		fk.committed[fk.ncommitted++] = i;
	return SL_SENT_TAKEN;
}

static bool
fake_reject(void *arg, size_t k, const char *reason)
{
	char want[64];

	(void)arg;
	snprintf(want, sizeof(want), "%srow %zu", fk.bad[k] == 'l' ?
	    "late " : "", k);
	CHECKF(strcmp(reason, want) == 0, "row %zu rejected for \"%s\"", k,
	    reason);
	fk.rejected[fk.nrejected++] = k;
	return fk.nrejected < fk.maxrej;
}

static const struct sl_isolate_ops ops = { fake_send, fake_reject };

/*
 * The rows committed are exactly the good ones and the rejected exactly
 * the bad ones, each once, both in the batch's order.
 */
static void
check_outcome(void)
{
	size_t i, c = 0, r = 0;

	for (i = 0; i < fk.n; i++) {
		if (fk.bad[i] == 0) {
			CHECKF(c < fk.ncommitted && fk.committed[c] == i,
			    "row %zu: committed[%zu] is %zu", i, c,
			    c < fk.ncommitted ? fk.committed[c] : SIZE_MAX);
			c++;
		} else {
			CHECKF(r < fk.nrejected && fk.rejected[r] == i,
			    "row %zu: rejected[%zu] is %zu", i, r,
			    r < fk.nrejected ? fk.rejected[r] : SIZE_MAX);
			r++;
		}
	}
	CHECKF(c == fk.ncommitted, "%zu committed, want %zu", fk.ncommitted, c);
	CHECKF(r == fk.nrejected, "%zu rejected, want %zu", fk.nrejected, r);
}

/* Runs the batch search; returns its result, checks the attempt count. */
static bool
batch(bool trust, uint64_t want_attempts)
{
	struct sl_isolate iso;
	bool ok;

	sl_isolate_init(&iso, &ops, NULL, trust);
	ok = sl_isolate_batch(&iso, fk.n, NULL);
	CHECK(iso.nsent == fk.attempts);
	if (want_attempts > 0)
		CHECKF(fk.attempts == want_attempts, "%llu attempts, want "
		    "%llu", (unsigned long long)fk.attempts,
		    (unsigned long long)want_attempts);
	sl_isolate_free(&iso);
	return ok;
}

static void
test_clean(void)
{
	fake(10, NULL);
	CHECK(batch(true, 1));
	check_outcome();
}

/* [0,10) names row 3; [0,3) goes in, 3 is rejected, [4,10) goes in. */
static void
test_one_bad(void)
{
	fake(10, "...x");
	CHECK(batch(true, 3));
	check_outcome();
}

static void
test_several_bad(void)
{
	fake(20, "..x.x....xx.......x.");
	CHECK(batch(true, 0));
	check_outcome();
	CHECKF(fk.attempts <= 14, "%llu attempts",
	    (unsigned long long)fk.attempts);
}

/*
 * [0,10) names 0; then a window from 1 row doubling: [1,2) [2,4) [4,8)
 * [8,10) names 9; [8,9) goes in and 9 is rejected.
 */
static void
test_first_last(void)
{
	fake(10, "x........x");
	CHECK(batch(true, 6));
	check_outcome();
}

/* Every row bad (an append run twice): an attempt a row, no more. */
static void
test_all_bad(void)
{
	fake(12, "xxxxxxxxxxxx");
	CHECK(batch(true, 12));
	check_outcome();
}

static void
test_one_row(void)
{
	fake(1, "x");
	CHECK(batch(true, 1));
	check_outcome();
	fake(1, NULL);
	CHECK(batch(true, 1));
	check_outcome();
	fake(0, NULL);
	CHECK(batch(true, 0));
	CHECK(fk.attempts == 0);
}

/*
 * A refusal that names no row halves the window:
 * [0,8) [0,4)+ [4,8) [4,6) [4,5)+ [5,7) [5,6)x [6,7)+ [7,8)+.
 */
static void
test_late(void)
{
	fake(8, ".....l..");
	CHECK(batch(true, 9));
	check_outcome();
	fake(16, "l.....l.l......l");
	CHECK(batch(true, 0));
	check_outcome();
}

/* Named and unnamed refusals in one batch. */
static void
test_mixed(void)
{
	fake(16, ".x...l..x.l....x");
	CHECK(batch(true, 0));
	check_outcome();
}

/*
 * Read from translated words, the named row may not be the bad one: it
 * is tried alone before it is rejected, and a good row so named goes in.
 */
static void
test_untrusted(void)
{
	fake(10, "...x....x.");
	fk.mislead = true;
	CHECK(batch(false, 0));
	check_outcome();
	fake(10, "xxxxxxxxxx");
	fk.mislead = true;
	CHECK(batch(false, 0));
	check_outcome();
}

/* A failure that is not the data's aborts: nothing more is tried. */
static void
test_failure(void)
{
	fake(10, "...x......");
	fk.fail_at = 2;
	CHECK(!batch(true, 2));
	CHECK(fk.nrejected == 0);
	CHECK(fk.ncommitted == 0);
	fake(10, "x.........");
	fk.fail_at = 1;
	CHECK(!batch(true, 1));
	CHECK(fk.nrejected == 0);
	/* after the reject of row 0: [1,2) fails */
	fake(10, "x.........");
	fk.fail_at = 2;
	CHECK(!batch(true, 2));
	CHECK(fk.nrejected == 1);
	fake(10, "x.........");
	fk.fail_at = 3;
	fk.mislead = true;
	CHECK(!batch(false, 3));
}

/* reject() saying stop (--max-rejects) stops the search there. */
static void
test_stop(void)
{
	fake(10, "x.x.x.x.x.");
	fk.maxrej = 2;
	CHECK(!batch(true, 0));
	CHECK(fk.nrejected == 2);
}

/* A first attempt the caller made already is not made again. */
static void
test_first(void)
{
	struct sl_isolate iso;
	struct sl_refusal first = { 4, "row 3" };

	fake(10, "...x");
	sl_isolate_init(&iso, &ops, NULL, true);
	CHECK(sl_isolate_batch(&iso, fk.n, &first));
	CHECK(fk.attempts == 2);
	check_outcome();
	sl_isolate_free(&iso);
}

static bool
bisect(uint64_t want_attempts)
{
	struct sl_isolate iso;
	bool ok;

	sl_isolate_init(&iso, &ops, NULL, true);
	ok = sl_isolate_bisect(&iso, fk.n);
	if (want_attempts > 0)
		CHECKF(fk.attempts == want_attempts, "%llu attempts, want "
		    "%llu", (unsigned long long)fk.attempts,
		    (unsigned long long)want_attempts);
	sl_isolate_free(&iso);
	return ok;
}

/* [0,8) [0,4)+ [4,8) [4,6) [4,5)+ [5,6)x [6,8)+ */
static void
test_bisect(void)
{
	fake(8, ".....l..");
	CHECK(bisect(7));
	check_outcome();
	fake(9, "l.l.l...l");
	CHECK(bisect(0));
	check_outcome();
	fake(5, "lllll");
	CHECK(bisect(0));
	check_outcome();
	fake(1, "l");
	CHECK(bisect(1));
	check_outcome();
	fake(8, "...l....");
	fk.fail_at = 3;
	CHECK(!bisect(3));
	CHECK(fk.nrejected == 0);
}

int
main(void)
{
	run("isolate: a clean batch is one attempt", test_clean);
	run("isolate: one bad row, three attempts", test_one_bad);
	run("isolate: several bad rows in one batch", test_several_bad);
	run("isolate: the first and the last row bad", test_first_last);
	run("isolate: every row bad, an attempt a row", test_all_bad);
	run("isolate: a batch of one row, and of none", test_one_row);
	run("isolate: refusals naming no row halve the window", test_late);
	run("isolate: named and unnamed refusals together", test_mixed);
	run("isolate: an untrusted line is checked alone", test_untrusted);
	run("isolate: a non-data failure aborts", test_failure);
	run("isolate: reject() can stop the search", test_stop);
	run("isolate: the caller's first attempt counts", test_first);
	run("isolate: bisect for attempts that name no row", test_bisect);
	return unit_bad ? 1 : 0;
}
