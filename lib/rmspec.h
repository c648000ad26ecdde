/*
 * rmspec.h: remap's engine. A set of specs, one per --assign or --fk
 * (--map) column: how the column gets its new key (uuid5 of the old key,
 * uuid4, a serial, or a map of old -> new keys with a fallback), and the
 * work on one row: the new key of each spec, or the reason the row is
 * rejected (a NULL key, an orphan: a foreign key with no new key).
 *
 * Who owns what: the set owns its specs array, each spec's maps, key
 * lists, --upstream table and uuid5 cache, and the two buffers keytext
 * and reason; rm_free() frees them all. The strings a spec points at
 * (col, file, keep, mapout, upfile, ...) are the caller's: pieces of
 * its argv, split in place by the rm_opt_* functions, which must outlive
 * the set. mof and mow (the --map-out file and its writer) are the
 * program's, opened and closed by it; the set only holds them.
 *
 * Nothing here exits or prints but through sl_err(). The option
 * functions return EXIT_OK, EXIT_USAGE (a bad argument, reported: the
 * caller adds its usage text) or EXIT_IO (out of memory, reported).
 */
#ifndef SLUICE_RMSPEC_H
#define SLUICE_RMSPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "keymap.h"
#include "rowstream.h"
#include "uuid.h"

#define RM_CACHE	4096	/* uuid5 foreign keys cached, by integer key */

enum rm_how { RM_UUID5, RM_UUID4, RM_SERIAL, RM_MAP };
enum rm_orphans { RM_REJECT, RM_NULL, RM_KEEP, RM_FAIL };

/*
 * A foreign key repeats (a school's id in each of its students), and
 * SHA-1 is the most a uuid5 --fk costs: recent integer keys keep their
 * UUID's text in a direct-mapped cache.
 */
struct rm_cached {
	int64_t		 key;
	bool		 full;
	char		 text[SL_UUID_TEXT];
};

/* One --assign or --fk, and what it computed for the current row. */
struct rm_spec {
	char			*col;
	bool			 fk;
	enum rm_how		 how;
	enum rm_how		 fb;		/* --assign map: the fallback */
	struct sl_uuid5		 g;
	int64_t			 next;		/* serial */
	bool			 start;		/* serial: START given */
	const char		*file;		/* map: */
	struct sl_keymap	*map;
	const char		*knownfile;
	struct sl_keymap	*known;
	const char		*upfile;	/* --upstream FILE */
	const char		*upkey;		/* and its KEY column */
	struct sl_keymap	*up;		/* old key -> why rejected */
	char			*uptable;	/* the parent, for "not in" */
	const char		*keep;		/* --keep-old NEWCOL */
	const char		*mapout;	/* --map-out FILE */
	struct sl_ofile		*mof;		/* the program's */
	struct rs_writer	*mow;		/* the program's */
	struct rm_cached	*cache;		/* uuid5 --fk */
	uint64_t		 orphans;	/* kept or set to NULL */
	uint64_t		 kept;		/* --assign map: from the map */
	uint64_t		 made;		/* and by the fallback */
	long			 idx;		/* its column in this segment */
	/* the current row, set by rm_compute */
	bool			 null;		/* NULL out */
	bool			 old;		/* the old value out (keep) */
	bool			 usefb;		/* not in the map: the fallback */
	bool			 isint;		/* new value: n, else tv or u */
	bool			 istext;
	int64_t			 n;
	struct sl_keymap_text	 tv;
	uint8_t			 u[SL_UUID_LEN];
	const char		*text;		/* u's text, if known */
};

struct rm_set {
	struct rm_spec		*specs;
	size_t			 nspecs;
	enum rm_orphans		 orphans;
	struct sl_buf		 keytext;	/* the last key's text form */
	struct sl_buf		 reason;	/* why the row is rejected */
};

/* The options, in the order remap reads them: see remap(1). */
int rm_opt_assign(struct rm_set *s, char *arg);
int rm_opt_fk(struct rm_set *s, char *arg, bool map);
int rm_opt_deferred(struct rm_set *s, char *const *keeps, size_t nkeep,
    char *const *outs, size_t nout, char *const *knowns, size_t nknown);
int rm_opt_upstream(struct rm_set *s, char *arg);
struct rm_spec *rm_find(const struct rm_set *s, const char *col);

/*
 * Loads the maps, key lists and --upstream files, once, before the rows.
 * Returns EXIT_OK or the status to exit with (reported).
 */
int rm_load(struct rm_set *s);

/* A spec's column's type in the output, for its input type (after rm_load). */
const char *rm_new_type(const struct rm_spec *sp, const char *in);

/*
 * Computes sp's new key for row (of table; sp->idx is its column) into
 * sp's current-row fields. RM_PASS: the row goes on; RM_ROWREJECT: it is
 * rejected, s->reason says why; else an exit status, reported
 * (EXIT_DATA under --orphans fail, EXIT_IO).
 */
#define RM_PASS		0
#define RM_ROWREJECT	(-1)
int rm_compute(struct rm_set *s, struct rm_spec *sp, const struct rs_row *row,
    const char *table);

/* The text form of a key value, in s->keytext; false when out of memory. */
bool rm_key_text(struct rm_set *s, const msgpack_object *o);

void rm_free(struct rm_set *s);

#endif
