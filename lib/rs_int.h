/*
 * rs_int.h: what the two halves of the row stream reader share, inside
 * lib/ only (not part of the API in rowstream.h). lib/rs_read.c holds
 * the per-object path (buffering, the framing skimmer, decoding, rows);
 * lib/rs_reader.c the once-per-segment checks (headers, trailers, end
 * marks), opening and closing, and the accessors.
 */
#ifndef SLUICE_RS_INT_H
#define SLUICE_RS_INT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "rowstream.h"

#define RS_BUFSIZE	(256 * 1024)	/* the unpacker's initial buffer */

/*
 * Where the reader is: before anything, inside a segment, after a trailer
 * (an end mark or another header must follow), after an end mark (the
 * input may end, or another stream may be joined on).
 */
enum { ST_START, ST_SEG, ST_AFTER, ST_END };
#define RS_END	((enum rs_event)99)	/* an end mark: rs_next reads on */

struct rs_reader {
	char		*name;
	int		 fd;
	bool		 ownfd;
	const char	*mem;		/* memory source, for tests */
	size_t		 memlen;
	size_t		 mempos;
	size_t		 memchunk;
	bool		 eof;
	bool		 failed;
	int		 status;
	char		 errmsg[512];

	msgpack_unpacker mpac;
	bool		 zoned;		/* the zone holds the last object */
	size_t		 limit;

	int		 state;
	struct rs_header *hdr;
	uint32_t	*off;		/* ncols + 1 offsets */
	struct sl_buf	 canon;		/* re-packed non-canonical rows */
	msgpack_packer	 canonpk;
	struct rs_row	 row;

	uint64_t	 seg;		/* segments begun */
	uint64_t	 since;		/* segments since the last end mark */
	uint64_t	 ends;		/* end marks read */
	uint64_t	 rows;		/* rows in this segment */
	uint64_t	 hash;		/* their hash sum */
	uint64_t	 total;		/* rows in all segments */
	uint64_t	 pos;		/* stream offset of the current object */
};

enum rs_event rs_vfail(struct rs_reader *r, int status, uint64_t rel,
    const char *fmt, va_list ap);

/* rs_vfail with the arguments inline: the error of either half. */
static inline enum rs_event SL_PRINTF(4, 5)
fail(struct rs_reader *r, int status, uint64_t rel, const char *fmt, ...)
{
	enum rs_event ev;
	va_list ap;

	va_start(ap, fmt);
	ev = rs_vfail(r, status, rel, fmt, ap);
	va_end(ap);
	return ev;
}

enum rs_event rs_read_header(struct rs_reader *r, const msgpack_object *m);
enum rs_event rs_read_trailer(struct rs_reader *r, const msgpack_object *m);

#endif
