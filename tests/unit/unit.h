/*
 * unit.h: the smallest test harness that does the job. Each test is a
 * function; CHECK() notes a failure with its line and goes on; run()
 * prints "ok - name" or "not ok - name", the lines tests/run counts.
 */
#ifndef SLUICE_UNIT_H
#define SLUICE_UNIT_H

#include <stdio.h>
#include <stdlib.h>

static int unit_failed;		/* checks failed in the current test */
static int unit_bad;		/* tests failed */

#define CHECK(c) do {							\
	if (!(c)) {							\
		printf("#   %s:%d: CHECK(%s) failed\n", __FILE__,	\
		    __LINE__, #c);					\
		unit_failed++;						\
	}								\
} while (0)

#define CHECKF(c, ...) do {						\
	if (!(c)) {							\
		printf("#   %s:%d: CHECK(%s) failed: ", __FILE__,	\
		    __LINE__, #c);					\
		printf(__VA_ARGS__);					\
		putchar('\n');						\
		unit_failed++;						\
	}								\
} while (0)

static void
run(const char *name, void (*fn)(void))
{
	unit_failed = 0;
	fn();
	printf("%s - %s\n", unit_failed ? "not ok" : "ok", name);
	fflush(stdout);
	if (unit_failed)
		unit_bad++;
}

#endif
