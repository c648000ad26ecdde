/*
 * progress.c: the live progress line on stderr; see progress.h.
 */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "err.h"
#include "progress.h"

double
sl_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
sl_progress_start(struct sl_progress *p, bool force)
{
	p->tty = isatty(2);
	p->on = force || p->tty;
	p->drawn = false;
	p->start = p->last = sl_now();
	p->calls = 0;
	p->rows = p->bytes = 0;
}

/*
 * Redraws the line if a second has passed. On a terminal the line is
 * overwritten in place; elsewhere (a log file) each update is a line.
 */
void
sl_progress_draw(struct sl_progress *p)
{
	double now = sl_now(), t = now - p->start;

	if (!p->on || now - p->last < 1.0)
		return;
	p->last = now;
	fprintf(stderr, "%s%s: %llu rows, %.0f rows/s, %.1f MB, %.0f s%s",
	    p->tty ? "\r" : "", sl_progname, (unsigned long long)p->rows,
	    t > 0 ? (double)p->rows / t : 0.0, (double)p->bytes / 1e6, t,
	    p->tty ? "\033[K" : "\n");
	p->drawn = true;
}

/* Clears the live line so that the summary starts on a clean line. */
void
sl_progress_end(struct sl_progress *p)
{
	if (p->drawn && p->tty)
		fprintf(stderr, "\r\033[K");
	p->drawn = false;
}

double
sl_progress_elapsed(const struct sl_progress *p)
{
	return sl_now() - p->start;
}
