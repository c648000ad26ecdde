/*
 * rsout: the ending every stream-writing test tool and benchmark
 * generator shares (tests/tools/rsfixture.c, bench/rsgen.c,
 * bench/rswide.c, bench/kmload.c). Not a tool itself: the Makefile
 * links it into each of them.
 */
#ifndef SLUICE_RSOUT_H
#define SLUICE_RSOUT_H

#include "rowstream.h"

/*
 * Ends the table W is writing, frees H, writes the end mark and closes
 * W, which is freed whatever happens: EXIT_OK, or EXIT_IO if a write
 * failed (the stream then has no end mark, so no reader takes it as
 * whole).
 */
int rsout_done(struct rs_writer *w, struct rs_header *h);

#endif
