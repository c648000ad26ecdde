/*
 * vcmp.h: verify's engine. Two sides of rows (the source stream; the
 * target table or stream) are reduced, per table, to row counts and sums
 * of row hashes, so that the comparison is a multiset one in constant
 * memory; with a key, one side is held in a key index (kidx.h, hashes
 * only) and the other streamed past it, and the keys that differ are
 * kept, up to maxdiffs of each kind, with their old key (a tracking
 * column such as old_id) when the table has one. Rows rejected by an
 * earlier stage are subtracted from the source side (vreject.c).
 *
 * vtab.c     tables: columns, key, old key
 * vcmp.c     rows and diffs
 * vreject.c  rejects files: accounted rows and the tally of reasons
 * vscan.c    the target table read through COPY (pgx_copyout.h)
 *
 * Like the rest of lib/, these report through sl_err() and return
 * false; the exit status to use is in vcmp.status. The caller (verify)
 * fills the options, reads the streams and feeds each row to
 * vcmp_row(), and prints the report from the tables.
 */
#ifndef SLUICE_VCMP_H
#define SLUICE_VCMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "kidx.h"
#include "progress.h"
#include "rowstream.h"

#define VCMP_MAXREASONS	10	/* distinct rejection reasons kept a table */

enum vside { VSRC, VTGT };
enum vkind { VMISSING, VEXTRA, VCHANGED };
enum vphase { VPH_INDEX, VPH_STREAM, VPH_RESCAN };
extern const char *const vcmp_kindname[3];

/* One row in the column order of its table's reference header. */
struct vrow {
	const char	*raw;
	size_t		 len;
	const uint32_t	*off;
	uint64_t	 hash;
};

/* A key that differs; for CHANGED, the streamed row until the rescan. */
struct vdiff {
	enum vkind	 kind;
	uint64_t	 khash;
	uint64_t	 partner;	/* CHANGED: the index side's row hash */
	char		*key;		/* the key values' canonical bytes */
	size_t		 keylen;
	char		*old;		/* the old key's, or NULL */
	size_t		 oldlen;
	char		*row;		/* CHANGED: the streamed row */
	size_t		 rowlen;
	char		*cols;		/* CHANGED: differing columns, or NULL */
};

struct vreason {
	char		*text;
	uint64_t	 rows;
};

/* One table's --key (or --old-key) columns, or (table NULL) all others'. */
struct vkeyspec {
	char		*table;
	char		**cols;
	size_t		 ncols;
	bool		 used;
};

struct vtab {
	char		*name;
	struct rs_header *h;		/* reference columns */
	char		**keys;		/* its key columns' names, or none */
	size_t		 nkeys;
	size_t		*kcol;		/* key columns in h */
	char		**olds;		/* its old key columns, or none */
	size_t		 nolds;
	size_t		*ocol;		/* old key columns in h */
	uint64_t	 rows[2], hash[2];
	uint64_t	 rej_rows, rej_hash, rej_other;
	uint64_t	 n[3];		/* missing, extra, changed */
	size_t		 nd[3];		/* diffs kept of each kind */
	struct vdiff	*d;
	size_t		 ndiff;
	struct kidx	*ix;
	struct kidx	**rej;		/* rejected rows, for --key */
	size_t		 nrej;
	char		**rejnames;	/* stream table names loaded */
	size_t		 nrejnames;
	struct vreason	 reason[VCMP_MAXREASONS];
	size_t		 nreason;
	bool		 scanned;	/* the table was read from the database */
};

struct vcmp {
	/* options, set by the caller before the first table */
	struct vkeyspec	*keyspecs;	/* --key */
	size_t		 nkeyspecs;
	struct vkeyspec	*oldspecs;	/* --old-key */
	size_t		 noldspecs;
	uint64_t	 maxdiffs;
	char		**ignored;	/* --ignore */
	size_t		 nignored;
	const char	**rejfiles;	/* --rejects */
	size_t		 nrejfiles;
	enum vside	 ixside;	/* the side in the key index */
	struct sl_progress *pg;
	/* state */
	enum vphase	 phase;
	struct vtab	**tabs;
	size_t		 ntabs;
	uint64_t	 seen;
	struct sl_buf	 prow, kbuf, txt;
	uint32_t	*poff, *soff, *doff;
	size_t		 offcap;
	int		 status;	/* the exit status of the first failure */
	bool		 usage;		/* it was an option's: show the usage */
};

/*
 * Reports fmt (unless NULL: already reported) and keeps status as the
 * one to exit with, the first failure's. Returns false.
 */
bool vcmp_fail(struct vcmp *v, int status, const char *fmt, ...)
    SL_PRINTF(3, 4);

void vcmp_init(struct vcmp *v);
void vcmp_free(struct vcmp *v);

struct vtab *vcmp_find(const struct vcmp *v, const char *name);
/*
 * A new table compared as name, its first segment's header h, with its
 * --key and old key; NULL on failure (EXIT_USAGE: a key column missing
 * or ignored).
 */
struct vtab *vcmp_tab_new(struct vcmp *v, const char *name,
    const struct rs_header *h);
/* The number of columns of h that are compared (not --ignore'd). */
size_t vcmp_compared(const struct vcmp *v, const struct rs_header *h);

/*
 * How the columns of header o map onto t's (by name), into map (t's
 * ncols + 1); *moved when rows must be rebuilt in t's order. False
 * (EXIT_DATA) when o lacks one of t's columns or has it of another class.
 */
bool vcmp_projection(struct vcmp *v, const struct vtab *t,
    const struct rs_header *o, const char *what, long *map, bool *moved);
/* A row read from a stream, in t's column order (valid until the next). */
bool vcmp_project(struct vcmp *v, const struct vtab *t,
    const struct rs_row *in, const long *map, bool moved, struct vrow *out);

/* Finds the byte spans of a row's ncols values; false if malformed. */
bool vcmp_row_spans(const char *raw, size_t len, size_t ncols, uint32_t *off);
/* Makes v's offset arrays fit ncols; false (reported) without memory. */
bool vcmp_offs_fit(struct vcmp *v, size_t ncols);

/* The hash of r's key (t's key columns); its bytes are left in v->kbuf. */
bool vcmp_key_hash(struct vcmp *v, const struct vtab *t, const struct vrow *r,
    uint64_t *kh);

/* Every row of either side, in every phase. */
bool vcmp_row(struct vcmp *v, struct vtab *t, enum vside s,
    const struct vrow *r);

/* After the streamed side: what the index still holds free is unmatched. */
void vcmp_settle(struct vcmp *v, struct vtab *t);
/* Must the index side be read again to name keys or columns? */
bool vcmp_rescan_needed(const struct vcmp *v, const struct vtab *t);
/* The end: counts without a key, reasons sorted. */
void vcmp_finish(struct vcmp *v, struct vtab *t);
bool vcmp_tab_ok(const struct vtab *t);
bool vcmp_hash_eq(const struct vtab *t);
double vcmp_coverage(uint64_t src, uint64_t missing);

/* vreject.c: the rejects of source segments named name, once per name. */
bool vcmp_rejects_for(struct vcmp *v, struct vtab *t, const char *name);
/* A reason without the values it names (exported for its unit test). */
bool vcmp_reason_shape(struct sl_buf *b, const char *p, size_t n);

#endif
