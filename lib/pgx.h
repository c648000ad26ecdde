/*
 * pgx.h: what the programs that talk to PostgreSQL share (extract, load,
 * verify): connecting with the session settings that make the server's
 * text forms stable, running commands with the server's message as the
 * error, quoting names, and turning COPY text rows into row stream values
 * and back.
 *
 * pgx.c        connections, commands, names, types
 * pgx_copy.c   COPY text format -> row stream values (extract, verify)
 * pgx_text.c   row stream values -> COPY text format (load)
 * pgx_binary.c row stream values -> COPY binary format (load; its own
 *              header, pgx_binary.h)
 *
 * Like the rest of lib/, these report through sl_err() and return a
 * failure value; they never exit.
 */
#ifndef SLUICE_PGX_H
#define SLUICE_PGX_H

#include <stdbool.h>
#include <stddef.h>

#include <libpq-fe.h>

#include "buf.h"
#include "rowstream.h"

/*
 * Connects with conninfo (a database name, keyword string or URI; NULL or "" means the
 * PG* environment, service file and ~/.pgpass, as psql does) and sets
 * client_encoding UTF8, TimeZone UTC, DateStyle ISO, IntervalStyle
 * postgres, extra_float_digits 3. Reports "could not connect: <server
 * message>" (never the password) and returns NULL on failure.
 */
PGconn *pgx_connect(const char *conninfo);

/* Runs sql, which returns no rows; reports the server's message. */
bool pgx_exec(PGconn *c, const char *sql);

/*
 * Runs sql (with PQexecParams, nparams text parameters) and returns its
 * result when it has status PGRES_TUPLES_OK or PGRES_COMMAND_OK; reports
 * the server's message and returns NULL otherwise. PQclear() it.
 */
PGresult *pgx_query(PGconn *c, const char *sql, int nparams,
    const char *const *params);

/* The server's message of a failed result (or connection), one line. */
const char *pgx_errmsg(PGconn *c, const PGresult *res);

/*
 * The longest name PostgreSQL keeps, in bytes: NAMEDATALEN - 1 of a
 * standard build. The server cuts a longer name short with only a
 * NOTICE, so that it names another table or column than the one meant
 * (or one that exists by chance); sluice refuses such names instead.
 */
#define PGX_NAME_MAX	63

/*
 * Whether ident, one identifier as it is (unquoted), is at most
 * PGX_NAME_MAX bytes. Reports the name, its length and the limit
 * otherwise; the programs exit 2 (usage) on it.
 */
bool pgx_check_ident(const char *ident);

/*
 * Whether name, a table name as pgx_quote_name() reads it, is well
 * formed and each of its parts (schema, table) fits pgx_check_ident();
 * for checking options before connecting. Reports what is wrong.
 */
bool pgx_check_name(const char *name);

/*
 * Appends name, quoted as an identifier, to b. A name with one dot
 * outside double quotes is schema.table and each part is quoted on its
 * own; a part written in double quotes is taken as it is (with "" for
 * a quote), otherwise as written (no case folding: "Users" and users
 * are different tables, as for PQescapeIdentifier). Each part is
 * checked by pgx_check_ident().
 */
bool pgx_quote_name(PGconn *c, struct sl_buf *b, const char *name);

/*
 * Appends one identifier, quoted with PQescapeIdentifier, after
 * pgx_check_ident(): every name that reaches SQL goes through here.
 */
bool pgx_quote_ident(PGconn *c, struct sl_buf *b, const char *ident);

/*
 * Appends a value as a string literal, quoted with PQescapeLiteral, for
 * the commands that take no bind parameter (COPY (SELECT ...) TO).
 */
bool pgx_quote_literal(PGconn *c, struct sl_buf *b, const char *value);

/*
 * The type name for the header of a column of type oid: the base type
 * of a domain, the name as format_type() prints it otherwise without a
 * typmod (int8, text, numeric, timestamptz, _int4 for int4[] ...).
 * Names are cached per connection-less process (type OIDs of built-in
 * types are stable; others are looked up once). NULL on error.
 */
const char *pgx_type_name(PGconn *c, Oid oid);

/*
 * The SQL spelling of the type a stream header names, for a cast:
 * schema.typname, both quoted, of the type found in the catalogue, so
 * that a header can never put SQL into a query. type is a pg_type name
 * as extract writes it (int4, _int4, bpchar, an enum named anything),
 * visible on the search path; or else a name the server's type grammar
 * reads (character varying, s.mood, int4[]), through to_regtype() and
 * a bind parameter. Not format_type(): its "character" and "bit" would
 * cast to char(1) and bit(1). Cached per process. NULL, reported as
 * "type \"T\": ...", when the database has no such type; a type that is
 * not even a name is the server's syntax error, which aborts the
 * caller's transaction.
 */
const char *pgx_type_sql(PGconn *c, const char *type);

/*
 * pgx_copy.c: decoding one line of COPY ... TO STDOUT text format (as
 * PQgetCopyData returns it, with its newline) into the values of one row,
 * by the classes of h's columns: \N is nil, int columns are integers,
 * float columns float64 (NaN, Infinity, -Infinity included), bool t/f,
 * bytea \x hex into bin, everything else str with the COPY escapes
 * undone. The values are put into w, which must be inside a row
 * (between rs_row_begin and rs_row_end). Reports "row N: column C: ..."
 * and returns false when the line does not fit h.
 */
struct pgx_decoder;

struct pgx_decoder *pgx_decoder_new(const struct rs_header *h);
void pgx_decoder_free(struct pgx_decoder *d);
bool pgx_decode_row(struct pgx_decoder *d, const char *line, size_t len,
    uint64_t rownum, struct rs_writer *w);
/* One field's COPY escapes undone into b (reset first, not terminated). */
bool pgx_copy_unescape(struct sl_buf *b, const char *s, size_t n);

/*
 * pgx_text.c: the reverse, for COPY ... FROM STDIN text format: appends
 * one row (values in column order, a tab between, a newline at the end)
 * to b. A str with a NUL byte cannot be sent as text: returns false and
 * reports it (the caller rejects the row).
 */
bool pgx_encode_value(struct sl_buf *b, const msgpack_object *o);
bool pgx_encode_row(struct sl_buf *b, const struct rs_row *row);

#endif
