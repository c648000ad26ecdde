/*
 * datefmt.h: dates and timestamps read with a strptime-like format, for
 * cols' ts(). Unlike strptime(3) it does not depend on the locale (month
 * and day names are English), checks every field's range (no 31 April,
 * no hour 24), refuses text left over, and writes the value in
 * PostgreSQL's ISO text form, which PostgreSQL reads back whatever its
 * DateStyle:
 *
 *	date		2024-03-07
 *	timestamp	2024-03-07 14:05:00 (".5" and so on for fractions)
 *	timestamptz	2024-03-07 14:05:00+01 (the offset as parsed; "+05:30")
 *
 * The directives: %Y (4 digits), %y (2: 69-99 are 19xx, 00-68 20xx),
 * %m %d %e %H %I %M %S (1 or 2 digits), %f (1 to 6 digits of a second),
 * %p (AM or PM, with %I), %b %B %h (a month's name or its first three
 * letters, any case), %a %A (a weekday's name, read and ignored), %z
 * (Z, +HH, +HHMM or +HH:MM), %T (%H:%M:%S), %R (%H:%M), %F (%Y-%m-%d),
 * %D (%m/%d/%y), %n %t and blanks (any run of blanks, none included),
 * %% (a percent sign). Any other byte stands for itself. A format must
 * give the year, the month and the day.
 */
#ifndef SLUICE_DATEFMT_H
#define SLUICE_DATEFMT_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

enum df_kind { DF_DATE, DF_TIMESTAMP, DF_TIMESTAMPTZ };

#define DF_MAXSTEPS	64

struct df_fmt {
	unsigned char	 step[DF_MAXSTEPS];	/* a directive or a byte */
	bool		 lit[DF_MAXSTEPS];	/* step is a byte to match */
	size_t		 nstep;
	enum df_kind	 kind;		/* what the format's fields make */
};

/*
 * Compiles the format s[0..n). False with *msg (static text) and *pos
 * (the offending byte, or SIZE_MAX for the format as a whole) when the
 * format is not one.
 */
bool df_compile(struct df_fmt *f, const char *s, size_t n, size_t *pos,
    const char **msg);

/*
 * Reads s[0..n) (blanks around it ignored) and appends its text form as
 * kind to out. False with why[] (a sentence) when it does not match or
 * a field is out of range; false with why[0] == '\0' when memory ran out
 * (reported).
 */
bool df_parse(const struct df_fmt *f, enum df_kind kind, const char *s,
    size_t n, struct sl_buf *out, char *why, size_t whylen);

#endif
