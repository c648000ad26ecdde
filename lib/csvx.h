/*
 * csvx.h: the CSV reader of extract --csv. RFC 4180 through libcsv,
 * read a buffer at a time and fed to libcsv a physical line at a time, so
 * that every message names the line where the bad record began. The
 * file becomes one segment of the row stream a writer is given: names
 * from the header line or from the caller, values converted to the
 * columns' classes (int, float, bool, bytea in hex or raw, text that
 * must be UTF-8 without NUL). A record's fields are kept in one reused
 * buffer until the record ends, so a record with the wrong number of
 * fields writes nothing, and no row allocates.
 *
 * Dialects (pgloader's and COPY's names): another quote character, an
 * escape character inside quotes (libcsv has none: csvx unescapes before
 * libcsv sees the bytes), blanks around fields trimmed (libcsv's space
 * function), an input encoding converted to UTF-8 by iconv a buffer at a
 * time, lines skipped before the first record, and ragged records (too
 * few or too many fields) made whole with NULLs or sent to a rejects
 * stream with their line.
 *
 * Errors are reported once (sl_err, "PATH: line N: ...") and returned as
 * an exit status: EXIT_STREAM for bad CSV, EXIT_USAGE for a --columns
 * name the header line lacks or an encoding iconv does not know, EXIT_IO
 * for I/O and memory. On any error the segment is left without its
 * trailer.
 */
#ifndef SLUICE_CSVX_H
#define SLUICE_CSVX_H

#include <stdbool.h>
#include <stddef.h>

#include "rejects.h"
#include "rowstream.h"

/* What a record with the wrong number of fields becomes. */
enum csvx_ragged {
	CSVX_RAGGED_ERROR,	/* an error: the default */
	CSVX_RAGGED_NULL,	/* missing fields NULL; extra ones must be empty */
	CSVX_RAGGED_REJECT	/* into rejects, with its line and the reason */
};

struct csvx_opts {
	const char	 *path;		/* "-": standard input */
	const char	 *table;	/* NULL: the file's basename, or "stdin" */
	const char	 *nullstr;	/* NULL: an empty unquoted field is NULL */
	char		  delim;	/* 0: ',' */
	char		  quote;	/* 0: '"' */
	char		  escape;	/* 0 or the quote: quotes are doubled */
	bool		  trim;		/* blanks around fields are not data */
	const char	 *encoding;	/* NULL: UTF-8, not converted */
	uint64_t	  skip;		/* lines before the first record */
	enum csvx_ragged  ragged;
	/*
	 * CSVX_RAGGED_REJECT: where the records go, as a segment of the
	 * table's name with columns _line (int8) and _fields (json: an
	 * array of the fields, null for a NULL one), and _error;
	 * sl_rejects_count() says how many.
	 */
	struct sl_rejects *rejects;
	bool		  header;	/* column names from the first line */
	size_t		  ncols;	/* without header: the names; with it: */
	const char *const *cols;	/* the columns kept (0: all) */
	/*
	 * Called with the header (all columns text) before the segment
	 * begins, to set types and the key; returns an exit status, 0 to
	 * go on. May be NULL.
	 */
	int		(*prepare)(struct rs_header *h, void *arg);
	/* Called after each row, for progress. May be NULL. */
	void		(*row_done)(void *arg);
	void		 *arg;
};

/* Reads o->path into one segment of w; returns 0 or an exit status. */
int csvx_read(const struct csvx_opts *o, struct rs_writer *w);

/* The same from n bytes at p (o->path names them in messages). */
int csvx_read_mem(const struct csvx_opts *o, const char *p, size_t n,
    struct rs_writer *w);

#endif
