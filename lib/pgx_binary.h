/*
 * pgx_binary.h: row stream values -> COPY ... FROM STDIN (FORMAT binary),
 * for load, beside pgx_text.c's text format.
 *
 * The server's side of a COPY is cheaper in binary for some types: a
 * uuid, a timestamp or a date read by its receive function instead of
 * parsed from text (bench/copyfmt.sh measures it type by type; the
 * figures are in bench/results.md). A COPY is all binary or all text,
 * so the choice is made for a table: binary when every column loaded is
 * of a type encoded here and at least one of them is of a type that
 * pays (PGX_BINARY_PAYS below), text otherwise.
 *
 * Encoded: int2, int4, int8 (from int values), float4, float8 (from
 * float), bool, bytea, text, varchar, bpchar (from str), uuid (from str,
 * read as the server's uuid_in reads it), and date, timestamp and
 * timestamptz from str in their output form (docs/rowstream.md) when the
 * stream's header gives the column that same type, since only then is
 * that form promised: such a value not in the output form is refused,
 * with a message that says --copy-format text lets the server read it
 * (pgx_binary_textual(); load in auto then goes on in text).
 * Domains, arrays, numeric and everything else: text.
 *
 * The format: a 19-byte header (PGX_BINARY_HEADER) once a COPY; each row
 * an int16 field count, then per field an int32 length (-1 for NULL) and
 * that many bytes in network order; the trailer int16 -1.
 */
#ifndef SLUICE_PGX_BINARY_H
#define SLUICE_PGX_BINARY_H

#include <stdbool.h>
#include <stddef.h>

#include <libpq-fe.h>

#include "buf.h"
#include "rowstream.h"

#define PGX_BINARY_HEADER	"PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0"
#define PGX_BINARY_HEADER_LEN	19
#define PGX_BINARY_TRAILER	"\377\377"
#define PGX_BINARY_TRAILER_LEN	2

struct pgx_binary;

/* load --copy-format */
enum pgx_copyfmt { PGX_FMT_AUTO, PGX_FMT_TEXT, PGX_FMT_BINARY };

/*
 * An encoder for rows of h whose columns keep[0..nkeep) go, in that
 * order, into table columns of type OIDs types[0..nkeep) (and, with
 * rownum, a last int8 column taking the row's number: load's upsert).
 * force: binary even when no column pays. h must outlive the encoder
 * (its names are in messages). Returns NULL and sets *why to
 * the reason (static text naming no value) when the table should go in
 * text; NULL with *why NULL when out of memory (reported).
 */
struct pgx_binary *pgx_binary_make(const struct rs_header *h,
    const size_t *keep, size_t nkeep, const Oid *types, bool rownum,
    bool force, const char **why);

/*
 * The same, with the types of table's columns of the names of the
 * columns kept, from the catalogue. NULL with *why NULL on an error
 * (reported).
 */
struct pgx_binary *pgx_binary_new(PGconn *c, Oid table,
    const struct rs_header *h, const size_t *keep, size_t nkeep,
    bool rownum, bool force, const char **why);

void pgx_binary_free(struct pgx_binary *e);

/*
 * Appends one row (its number num for the rownum column). On failure b
 * is left as it was and the reason reported: a value that cannot be sent
 * (pgx_binary_failed() then gives its stream column) or memory.
 */
bool pgx_binary_row(struct pgx_binary *e, struct sl_buf *b,
    const struct rs_row *row, uint64_t num);

/*
 * The stream column of the value the last pgx_binary_row refused, or -1
 * when it failed for want of memory. The message is the server's own
 * where the server would refuse the value too (it names no column), a
 * column's for a value not in the output form the stream promised, and
 * pgx_text's for a NUL in text (the caller names the column).
 */
long pgx_binary_failed(const struct pgx_binary *e);

/*
 * Whether the value the last pgx_binary_row refused is one the server
 * might read in text: a date or timestamp not in the output form the
 * stream promised (the message names its column), not one the server
 * would refuse too. load --copy-format auto then goes on in text.
 */
bool pgx_binary_textual(const struct pgx_binary *e);

#endif
