/*
 * jsonl.h: JSON lines, one JSON object a line as mongoexport writes
 * them, as a source of row streams (extract --jsonl).
 *
 * Columns are paths into each line's object, "PATH [AS NAME], ...":
 * PATH is keys joined by dots (address.city), a number standing for an
 * element of an array (phones.0); a missing path, or one that meets a
 * JSON null, gives NULL. NAME defaults to the last key of PATH that is
 * not an Extended JSON one ($oid ...). With unwind (a path to an array),
 * a line gives one row per element, as MongoDB's $unwind: paths that
 * start with the unwind path address the element, the others the whole
 * line; an empty or missing array (or a null) gives no row, and a value
 * that is not an array is one element.
 *
 * MongoDB Extended JSON is decoded (docs/extract.1 has the table): a
 * value that is a wrapper ({"$oid": ...}, {"$date": ...}, ...) is the
 * value it wraps, and a path that ends at a wrapper's key (_id.$oid)
 * gives its column a type of its own (text, timestamptz, int8, float8,
 * numeric, bytea); every other column is text unless the caller retypes
 * it, before jsonl_copy, through jsonl_header(). A json or jsonb column
 * gets the value's compact JSON text as it is.
 *
 * The parser is json-c (chosen over jansson by speed: bench/jsonl.sh
 * --compare). Lines are read one at a time (lib/lines.c): memory is the
 * longest line and its parse tree. Functions report their own errors
 * and return an exit status (exitcodes.h), or NULL with *status set:
 * EXIT_USAGE for a bad column list, EXIT_STREAM for a line that is not
 * a JSON object or a value that does not fit its column (naming the
 * line, and for bad JSON the byte), EXIT_IO for I/O.
 */
#ifndef SLUICE_JSONL_H
#define SLUICE_JSONL_H

#include "progress.h"
#include "rowstream.h"

struct jsonl;

struct jsonl_spec {
	const char	*path;		/* a file, or - */
	const char	*cols;		/* "PATH [AS NAME], ..." */
	const char	*unwind;	/* a path, or NULL */
	const char	*table;		/* the header's table */
};

struct jsonl *jsonl_open(const struct jsonl_spec *sp, int *status);
struct rs_header *jsonl_header(struct jsonl *j);
int jsonl_copy(struct jsonl *j, struct rs_writer *w, struct sl_progress *pg);
void jsonl_free(struct jsonl *j);

#endif
