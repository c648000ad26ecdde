/*
 * vscan.h: verify's target side in table mode: the table read through
 * COPY (SELECT "col"::type, ... FROM table) TO STDOUT, the stream's
 * columns cast to the stream's types, each line decoded as extract
 * decodes it and handed to vcmp_row() as a target row. One scan can be
 * under way while the stream is read (vscan_some with block false), so
 * that the server reads the table while the source is extracted.
 */
#ifndef SLUICE_VSCAN_H
#define SLUICE_VSCAN_H

#include <libpq-fe.h>

#include "pgx.h"
#include "pgx_copyout.h"
#include "vcmp.h"

struct vscan {
	PGconn			*c;	/* the caller's */
	struct vtab		*t;	/* the table under way, or NULL */
	struct pgx_decoder	*dec;
	struct rs_writer	*w;
	struct pgx_copyout	 co;
	uint64_t		 num;
	struct sl_buf		 sql, mem;
};

/* Starts reading t's rows. False (reported, v->status set) on failure. */
bool vscan_begin(struct vscan *s, struct vcmp *v, struct vtab *t);

/*
 * Takes the rows that have arrived (all of them if block); *more is
 * false when the scan ended (s->t is then NULL).
 */
bool vscan_some(struct vscan *s, struct vcmp *v, bool block, bool *more);

/* The whole of t, every row to vcmp_row(). */
bool vscan_table(struct vscan *s, struct vcmp *v, struct vtab *t);

void vscan_free(struct vscan *s);

#endif
