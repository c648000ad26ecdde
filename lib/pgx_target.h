/*
 * pgx_target.h: the table a segment of load's stream goes into, and the
 * COPY that takes its rows. pgx_target_open() finds the table, matches
 * the stream's columns to its columns by name and writes the COPY
 * command; pgx_target_format() chooses text or binary for it;
 * pgx_target_encode() turns a row into COPY text or binary (the one place
 * load calls the row encoders, lib/pgx_text.c, lib/pgx_binary.c); the
 * copy functions run
 * one COPY ... FROM STDIN; and the refusal functions read what the
 * server said about a row it refused: whether it was the data, why,
 * and which line of the COPY.
 *
 * Errors are reported (sl_err, prefixed with the table's name where the
 * user needs it) and returned: an exit status (exitcodes.h) or false.
 */
#ifndef SLUICE_PGX_TARGET_H
#define SLUICE_PGX_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "buf.h"
#include "pgx_binary.h"
#include "rowstream.h"

struct pgx_target {
	PGconn			*conn;
	bool			 english; /* the server's messages untranslated */
	const struct rs_header	*h;	/* the segment's; the caller's */
	const char		*name;	/* as given: -t or the header's */
	struct sl_buf		 qname;	/* schema.table, quoted */
	struct sl_buf		 rel;	/* the COPY target, as errors name it */
	struct sl_buf		 cols;	/* the columns loaded, quoted */
	struct sl_buf		 copy;	/* [SAVEPOINT; ]COPY ... FROM STDIN */
	struct sl_buf		 into;	/* its table, quoted */
	bool			 savepoint, freeze; /* and the rest of it */
	size_t			*keep;	/* indexes of the columns loaded */
	size_t			 nkeep;
	bool			*loaded; /* by stream column: is it */
	bool			 all;	/* all of them, in order */
	bool			 rownum; /* encode() adds the row's number */
	bool			 copying; /* a COPY is in progress */
	struct pgx_binary	*bin;	/* COPY in binary: its encoder */
	uint64_t		 ncopied; /* rows the server's COPYs took */
	struct sl_buf		 msg, scratch;
};

/*
 * Sets the session's messages untranslated when the role may (see the
 * comment in pgx_target.c) and notes in t->english whether they are.
 */
void pgx_target_init(struct pgx_target *t, PGconn *conn);
void pgx_target_free(struct pgx_target *t);

/*
 * The segment with header h goes into table name: finds it (*oid) and
 * matches the columns, refusing a stream column the table lacks unless
 * ignore_extra. Writes the COPY into the table (after "SAVEPOINT
 * sluice; " when savepoint, WITH (FREEZE) when freeze). 0 or a status.
 */
int pgx_target_open(struct pgx_target *t, const struct rs_header *h,
    const char *name, bool ignore_extra, Oid *oid);
bool pgx_target_copy_into(struct pgx_target *t, const char *into,
    bool savepoint, bool freeze);

/*
 * A binary COPY's table goes on in text (load --copy-format auto, at a
 * value the encoder cannot write but the server might read in text):
 * the encoder is dropped and the COPY written again in text, for the
 * next pgx_target_copy_begin. False when memory ran out.
 */
bool pgx_target_text(struct pgx_target *t);

/*
 * The format of the segment's COPY (pgx_binary.h): text, binary, or auto
 * (binary when every column loaded is encoded and one pays); rownum:
 * upsert's row number will follow the columns. Call it after
 * pgx_target_open, before pgx_target_copy_into. 0 or a status: exit 4
 * when binary is asked for and a column cannot go in binary.
 */
int pgx_target_format(struct pgx_target *t, Oid oid, enum pgx_copyfmt fmt,
    bool rownum);

/* Runs a command built with printf's format; false (reported) on error. */
bool pgx_target_run(struct pgx_target *t, const char *fmt, ...)
    SL_PRINTF(2, 3);

/*
 * Appends row's COPY text (the columns loaded, then its number when
 * t->rownum) to b; false, b unchanged, when it cannot: then
 * pgx_target_unencodable() says why in the server's words (a NUL in
 * text), or returns NULL when memory ran out (reported).
 */
bool pgx_target_encode(struct pgx_target *t, struct sl_buf *b,
    const struct rs_row *row);
const char *pgx_target_unencodable(struct pgx_target *t,
    const struct rs_row *row);

/*
 * The COPY: begin (false, reported, when the server does not start it),
 * send (false when libpq stops taking data: the connection failed; a
 * refusal shows only at the end), end (NULL when the server took every
 * row, counted in t->ncopied; else the error, for the caller to
 * PQclear), abort (a COPY in progress is ended as failed).
 */
bool pgx_target_copy_begin(struct pgx_target *t);
bool pgx_target_send(struct pgx_target *t, const char *p, size_t n);
PGresult *pgx_target_copy_end(struct pgx_target *t);
void pgx_target_abort(struct pgx_target *t);

/*
 * Whether the server refused the data rather than the command: a data
 * exception (22), an integrity constraint (23) or a trigger's exception.
 */
bool pgx_refused(const PGresult *res);

/* Reports a failure that is not the data's: "name: message". */
void pgx_target_failed(struct pgx_target *t, const PGresult *res);

/*
 * The server's reason for refusing a row, valid until the next call
 * (NULL: out of memory, reported); the line of the COPY it names,
 * 1-based, 0 for none.
 */
const char *pgx_target_why(struct pgx_target *t, const PGresult *res);
uint64_t pgx_target_line(struct pgx_target *t, const PGresult *res);

#endif
