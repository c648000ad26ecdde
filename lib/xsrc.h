/*
 * xsrc.h: the sources extract reads without a database server: a SQLite
 * file, CSV, a text dump, JSON lines. extract parses its options into a
 * struct xsrc; xsrc_check says which combination makes no sense, and
 * xsrc_run reads the source into the writer through its reader
 * (lib/sqlx.c, csvx.c, textdump.c, jsonl.c), putting --types and --key
 * on the header each reader makes. The reader reports its own errors;
 * xsrc_run returns the exit status, and on an error the segment it was
 * writing has no trailer and the rejects file (--rejects) is removed.
 */
#ifndef SLUICE_XSRC_H
#define SLUICE_XSRC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csvx.h"
#include "progress.h"
#include "rowstream.h"

struct xsrc {
	/* the source: one of these (a -t or -Q goes with --sqlite) */
	const char		*sqlite, *csv, *text, *jsonl;
	const char *const	*tables;	/* -t */
	size_t			 ntables;
	const char		*query;		/* -Q, its ';' trimmed */
	const char		*where;		/* -w, for --sqlite */
	const char		*cols;		/* -c, as given */
	const char		*types;		/* --types, as given */
	const char		*key;		/* --key, as given */
	const char		*name;		/* --name */
	bool			 header;	/* --header */
	const char		*null;		/* --null */
	int			 busy_ms;	/* --busy-timeout */
	const char		*unwind;	/* --unwind */
	/* the CSV dialect */
	char			 delim, quote, escape;
	bool			 trim;
	const char		*encoding;
	uint64_t		 skip;
	bool			 skip_set;
	enum csvx_ragged	 ragged;
	const char		*rejects;	/* --rejects FILE */
	/* options given that only PostgreSQL takes, for the checks */
	bool			 conninfo, since, shard, busy_set;
};

/* The file sources' part of extract --help. */
extern const char xsrc_help[];

/*
 * Sets x's long option opt (without its dashes: "csv", "quote", ...)
 * from arg (NULL for a flag); the message for a bad argument (in a
 * static buffer), or NULL.
 */
const char *xsrc_option(struct xsrc *x, const char *opt, const char *arg);

/*
 * The message for the first option that does not go with the others
 * (in a static buffer), or NULL when all go together. With no file
 * source (PostgreSQL) it checks only that no file option is given.
 */
const char *xsrc_check(const struct xsrc *x);

/*
 * Reads x's source into w, one segment per table (one for a file);
 * counts the segments in *nsegs and the records sent to --rejects in
 * *nrejected. Returns 0 or an exit status.
 */
int xsrc_run(const struct xsrc *x, struct rs_writer *w,
    struct sl_progress *pg, uint64_t *nsegs, uint64_t *nrejected);

/*
 * Splits a comma-separated list in place into *items (allocated, the
 * strings stay in s), *n of them; false (and nothing to free) when an
 * item is empty or there is no memory.
 */
bool xsrc_split(char *s, char ***items, size_t *n);

#endif
