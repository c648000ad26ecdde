/*
 * names.h: splits a person's full name into title, first, middle, last
 * and suffix, the way people write names in a school's records: "First
 * Middle Last", "Last, First Middle", "Last, First, Suffix", with titles
 * (Dr., Mrs), suffixes (Jr., III, PhD) and surname particles (van der,
 * de la, bin, St.). The word lists are one table in names.c.
 *
 * The parts are rebuilt from the name's words joined by single spaces
 * (suffixes by ", "), so odd spacing (tabs, non-breaking spaces, runs of
 * blanks) disappears; otherwise the words are kept as written, unless
 * NM_TITLECASE asks for them to be capitalized properly.
 */
#ifndef SLUICE_NAMES_H
#define SLUICE_NAMES_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

enum nm_part { NM_TITLE, NM_FIRST, NM_MIDDLE, NM_LAST, NM_SUFFIX, NM_NPARTS };

/*
 * A split name: part i is buf.p[off[i]..off[i + 1]), an empty span when
 * the name has no such part. Reuse one for every name: nm_split resets
 * it and only allocates when a name is longer than any before it.
 */
struct nm_name {
	struct sl_buf	 buf;
	size_t		 off[NM_NPARTS + 1];
};

/*
 * NM_TITLECASE: words written all in capitals or all in small letters
 * are capitalized: "O'BRIEN" and "o'brien" become O'Brien, "mcdonald"
 * McDonald, "VAN DER BERG" as a surname van der Berg, "PHD" PhD. Words
 * in mixed case (DeShawn, MacKenzie) were capitalized by someone who knew
 * and are kept. Letters beyond ASCII are cased through towupper(3), so
 * the program must have set a UTF-8 LC_CTYPE.
 */
#define NM_TITLECASE	0x1

/*
 * Splits the n bytes at s, which must be valid UTF-8, into nm. False
 * only when memory runs out (reported; nm is then empty).
 */
bool nm_split(struct nm_name *nm, const char *s, size_t n, int flags);

static inline const char *
nm_part(const struct nm_name *nm, enum nm_part i, size_t *len)
{
	*len = nm->off[i + 1] - nm->off[i];
	return nm->buf.p == NULL ? "" : nm->buf.p + nm->off[i];
}

void nm_free(struct nm_name *nm);

#endif
