/*
 * progress.h: the live progress line and the closing summary that every
 * program writes to stderr (docs/design.md, "Common to all"). The live line is
 * on when stderr is a terminal or the user asked (--progress), and is
 * redrawn about once a second; sl_progress_update() is cheap enough to
 * call for every row, as it looks at the clock only every 4096 calls.
 */
#ifndef SLUICE_PROGRESS_H
#define SLUICE_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

struct sl_progress {
	bool		 on;
	bool		 tty;
	bool		 drawn;
	double		 start;
	double		 last;
	unsigned	 calls;
	uint64_t	 rows;
	uint64_t	 bytes;
};

double sl_now(void);
void sl_progress_start(struct sl_progress *p, bool force);
void sl_progress_draw(struct sl_progress *p);
void sl_progress_end(struct sl_progress *p);
double sl_progress_elapsed(const struct sl_progress *p);

static inline void
sl_progress_update(struct sl_progress *p, uint64_t rows, uint64_t bytes)
{
	p->rows = rows;
	p->bytes = bytes;
	if (p->on && (++p->calls & 4095) == 0)
		sl_progress_draw(p);
}

#endif
