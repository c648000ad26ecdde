/*
 * csvx_int.h: what the CSV reader's two halves share, inside lib/ only
 * (csvx.h is the API). lib/csvx.c is the input layer (iconv, --skip and
 * the BOM, escapes, --trim, libcsv); lib/csvx_rec.c makes headers, rows
 * and rejects of the records libcsv parses.
 */
#ifndef SLUICE_CSVX_INT_H
#define SLUICE_CSVX_INT_H

#include <iconv.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <csv.h>

#include "buf.h"
#include "csvx.h"
#include "err.h"
#include "exitcodes.h"
#include "rowstream.h"


struct field {
	size_t	 off, len;
	bool	 null;
};

struct reader {
	const struct csvx_opts	*o;
	struct csv_parser	 p;
	struct rs_writer	*w;
	struct rs_header	*h;
	const char		*path;		/* for messages */
	struct sl_buf		 data;		/* the record's fields */
	struct sl_buf		 conv;		/* a bytea value */
	struct field		*f;
	size_t			 nf, capf;
	size_t			 want;		/* fields a record has */
	size_t			*map;		/* column -> field */
	uint64_t		 line;		/* the physical line fed */
	uint64_t		 recline;	/* where the record began */
	uint64_t		 skip;		/* lines still to skip */
	bool			 first;		/* no byte seen yet (the BOM) */
	bool			 esc_open;	/* an escape ended the last piece */
	iconv_t			 cd;		/* (iconv_t)-1: no --encoding */
	char			*ib, *ob;	/* iconv's input and output */
	size_t			 nib;		/* bytes waiting in ib */
	uint64_t		 chars;		/* characters since the last \n */
	struct rs_header	*rh;		/* the rejects' columns */
	struct sl_buf		 rvals;		/* a rejected record */
	int			 status;	/* set by a callback that failed */
};

void csvx_vbad(struct reader *rd, int status, const char *fmt, va_list ap);
void csvx_oom(struct reader *rd);
void csvx_begin(struct reader *rd, size_t n, const char *const *names);
void csvx_on_field(void *s, size_t n, void *data);
void csvx_on_record(int c, void *data);

/* Reports the reader's first error, at the record's line. */
static inline void SL_PRINTF(3, 4)
bad(struct reader *rd, int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	csvx_vbad(rd, status, fmt, ap);
	va_end(ap);
}

/* Out of memory: reported once, the status EXIT_IO. */
static inline void
oom(struct reader *rd)
{
	csvx_oom(rd);
}

#endif
