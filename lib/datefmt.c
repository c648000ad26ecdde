/*
 * datefmt.c: dates and timestamps read with a format. See datefmt.h.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "datefmt.h"

static const char *const months[] = { "january", "february", "march",
    "april", "may", "june", "july", "august", "september", "october",
    "november", "december" };
static const char *const days[] = { "monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday" };

/* The fields a format sets, as bits, for the checks of df_compile. */
enum { F_Y = 1, F_M = 2, F_D = 4, F_H = 8, F_I = 16, F_P = 32, F_TIME = 64,
    F_Z = 128 };

static int
field_of(unsigned char c)
{
	switch (c) {
	case 'Y': case 'y': return F_Y;
	case 'm': case 'b': case 'B': case 'h': return F_M;
	case 'd': case 'e': return F_D;
	case 'H': return F_H | F_TIME;
	case 'I': return F_I | F_TIME;
	case 'p': return F_P | F_TIME;
	case 'M': case 'S': case 'f': return F_TIME;
	case 'z': return F_Z;
	default: return 0;
	}
}

static bool
is_blank(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static bool
add_step(struct df_fmt *f, unsigned char c, bool lit)
{
	if (f->nstep == DF_MAXSTEPS)
		return false;
	f->step[f->nstep] = c;
	f->lit[f->nstep++] = lit;
	return true;
}

/* Adds the directives of an abbreviation such as %T ("H:M:S"). */
static bool
add_steps(struct df_fmt *f, const char *dirs)
{
	for (; *dirs != '\0'; dirs++)
		if (!add_step(f, (unsigned char)*dirs, strchr("/:-", *dirs) !=
		    NULL))
			return false;
	return true;
}

bool
df_compile(struct df_fmt *f, const char *s, size_t n, size_t *pos,
    const char **msg)
{
	static const char *const expand[] = { "T", "H:M:S", "R", "H:M",
	    "F", "Y-m-d", "D", "m/d/y" };
	unsigned char c;
	size_t i, k;
	int have = 0;
	bool ok;

	memset(f, 0, sizeof(*f));
	for (i = 0; i < n; i++) {
		*pos = i;
		c = (unsigned char)s[i];
		if (is_blank(c)) {
			ok = f->nstep > 0 && f->step[f->nstep - 1] == ' ' &&
			    !f->lit[f->nstep - 1] ? true : add_step(f, ' ', false);
		} else if (c != '%') {
			ok = add_step(f, c, true);
		} else if (++i == n) {
			*msg = "a % that ends the format";
			return false;
		} else {
			c = (unsigned char)s[i];
			for (k = 0; k < 8 && expand[k][0] != c; k += 2)
				;
			if (k < 8) {
				ok = add_steps(f, expand[k + 1]);
				for (const char *d = expand[k + 1]; *d; d++)
					have |= field_of((unsigned char)*d);
			} else if (c == '%') {
				ok = add_step(f, '%', true);
			} else if (c == 'n' || c == 't') {
				ok = add_step(f, ' ', false);
			} else if (field_of(c) != 0 || c == 'a' || c == 'A') {
				have |= field_of(c);
				ok = add_step(f, c, false);
			} else {
				*pos = i - 1;
				*msg = "an unknown directive (the known ones: "
				    "%Y %y %m %d %e %H %I %M %S %f %p %b %B %h "
				    "%a %A %z %T %R %F %D %n %t %%)";
				return false;
			}
		}
		if (!ok) {
			*msg = "a format too long";
			return false;
		}
	}
	*pos = SIZE_MAX;	/* the whole format */
	if ((have & (F_Y | F_M | F_D)) != (F_Y | F_M | F_D)) {
		*msg = "a format without the year, the month and the day "
		    "(a date needs them all)";
		return false;
	}
	if ((have & F_I) != 0 && (have & F_P) == 0) {
		*msg = "%I without %p: is it AM or PM?";
		return false;
	}
	if ((have & F_P) != 0 && (have & F_I) == 0) {
		*msg = "%p without %I (the hour from 1 to 12)";
		return false;
	}
	if ((have & F_H) != 0 && (have & F_I) != 0) {
		*msg = "both %H and %I";
		return false;
	}
	f->kind = (have & F_Z) != 0 ? DF_TIMESTAMPTZ : (have & F_TIME) != 0 ?
	    DF_TIMESTAMP : DF_DATE;
	return true;
}

/* The fields read so far. */
struct tm_ {
	int	 y, mon, d, h, min, s, usec, pm, off;
	bool	 zone;
};

/* Reads from min to max digits at *p as a number; false if none. */
static bool
digits(const char **p, const char *e, int min, int max, int *v)
{
	int k = 0;

	*v = 0;
	while (*p < e && k < max && **p >= '0' && **p <= '9') {
		*v = *v * 10 + (**p - '0');
		(*p)++;
		k++;
	}
	return k >= min;
}

/* A name of names[] or its first three letters; its index, or -1. */
static int
name(const char **p, const char *e, const char *const *names, int n)
{
	size_t len, have = (size_t)(e - *p);
	int i;

	for (i = 0; i < n; i++) {
		len = strlen(names[i]);
		if (have >= len && strncasecmp(*p, names[i], len) == 0) {
			*p += len;
			return i;
		}
	}
	for (i = 0; i < n; i++)
		if (have >= 3 && strncasecmp(*p, names[i], 3) == 0) {
			*p += 3;
			return i;
		}
	return -1;
}

/* %z: Z, +HH, +HHMM or +HH:MM. */
static bool
zone(const char **p, const char *e, int *off)
{
	int sign, hh, mm = 0;

	if (*p < e && (**p == 'Z' || **p == 'z')) {
		(*p)++;
		*off = 0;
		return true;
	}
	if (*p == e || (**p != '+' && **p != '-'))
		return false;
	sign = **p == '-' ? -1 : 1;
	(*p)++;
	if (!digits(p, e, 2, 2, &hh) || hh > 15)
		return false;
	if (*p < e && **p == ':')
		(*p)++;
	if (*p < e && **p >= '0' && **p <= '9' &&
	    (!digits(p, e, 2, 2, &mm) || mm > 59))
		return false;
	*off = sign * (hh * 60 + mm);
	return true;
}

static const char *
what(unsigned char c)
{
	switch (c) {
	case 'Y': return "a 4-digit year (%Y)";
	case 'y': return "a 2-digit year (%y)";
	case 'm': return "a month (%m)";
	case 'd': case 'e': return "a day (%d)";
	case 'H': return "an hour (%H)";
	case 'I': return "an hour from 1 to 12 (%I)";
	case 'M': return "minutes (%M)";
	case 'S': return "seconds (%S)";
	case 'f': return "a fraction of a second (%f)";
	case 'p': return "AM or PM (%p)";
	case 'b': case 'B': case 'h': return "a month's name (%b)";
	case 'a': case 'A': return "a weekday's name (%a)";
	case 'z': return "a time zone offset (%z)";
	default: return "?";
	}
}

/* One directive at *p into t; false if the text does not match. */
static bool
directive(unsigned char c, const char **p, const char *e, struct tm_ *t)
{
	int v, k;
	const char *start;

	switch (c) {
	case 'Y':
		return digits(p, e, 4, 4, &t->y);
	case 'y':
		if (!digits(p, e, 2, 2, &v))
			return false;
		t->y = v < 69 ? 2000 + v : 1900 + v;
		return true;
	case 'm': return digits(p, e, 1, 2, &t->mon);
	case 'e':
		if (*p < e && **p == ' ')
			(*p)++;
		/* FALLTHROUGH */
	case 'd': return digits(p, e, 1, 2, &t->d);
	case 'H': case 'I': return digits(p, e, 1, 2, &t->h);
	case 'M': return digits(p, e, 1, 2, &t->min);
	case 'S': return digits(p, e, 1, 2, &t->s);
	case 'f':
		start = *p;
		if (!digits(p, e, 1, 6, &t->usec))
			return false;
		for (k = (int)(*p - start); k < 6; k++)
			t->usec *= 10;
		return true;
	case 'p':
		if (e - *p < 2 || (strncasecmp(*p, "am", 2) != 0 &&
		    strncasecmp(*p, "pm", 2) != 0))
			return false;
		t->pm = (**p == 'p' || **p == 'P') ? 1 : 0;
		*p += 2;
		return true;
	case 'b': case 'B': case 'h':
		if ((v = name(p, e, months, 12)) < 0)
			return false;
		t->mon = v + 1;
		return true;
	case 'a': case 'A':
		return name(p, e, days, 7) >= 0;
	case 'z':
		t->zone = true;
		return zone(p, e, &t->off);
	default:
		return false;
	}
}

static int
days_in(int y, int m)
{
	static const int dim[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
	    31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : dim[m - 1];
}

/* Checks the fields' ranges; false with why. */
static bool
check(struct tm_ *t, char *why, size_t whylen)
{
	if (t->pm >= 0) {
		if (t->h < 1 || t->h > 12) {
			snprintf(why, whylen, "hour %d is not from 1 to 12",
			    t->h);
			return false;
		}
		t->h = t->h % 12 + (t->pm ? 12 : 0);
	}
	if (t->y < 1)
		snprintf(why, whylen, "year 0 is not a year");
	else if (t->mon < 1 || t->mon > 12)
		snprintf(why, whylen, "month %d is out of range", t->mon);
	else if (t->d < 1 || t->d > days_in(t->y, t->mon))
		snprintf(why, whylen, "day %d is out of range for %04d-%02d",
		    t->d, t->y, t->mon);
	else if (t->h > 23)
		snprintf(why, whylen, "hour %d is out of range", t->h);
	else if (t->min > 59)
		snprintf(why, whylen, "minute %d is out of range", t->min);
	else if (t->s > 59)
		snprintf(why, whylen, "second %d is out of range", t->s);
	else
		return true;
	return false;
}

/* Writes v in k digits, zero-padded, at p; returns the end. */
static char *
put_digits(char *p, int v, int k)
{
	int i;

	for (i = k - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + k;
}

/* The text form; by hand, as snprintf was most of the cost of ts(). */
static bool
emit(const struct tm_ *t, enum df_kind kind, struct sl_buf *out)
{
	char s[48], *p = s;
	int k, u = t->usec, off = t->off < 0 ? -t->off : t->off;

	p = put_digits(p, t->y, 4);
	*p++ = '-';
	p = put_digits(p, t->mon, 2);
	*p++ = '-';
	p = put_digits(p, t->d, 2);
	if (kind != DF_DATE) {
		*p++ = ' ';
		p = put_digits(p, t->h, 2);
		*p++ = ':';
		p = put_digits(p, t->min, 2);
		*p++ = ':';
		p = put_digits(p, t->s, 2);
	}
	if (kind != DF_DATE && u != 0) {
		/* PostgreSQL prints microseconds without trailing zeros */
		for (k = 6; u % 10 == 0; k--)
			u /= 10;
		*p++ = '.';
		p = put_digits(p, u, k);
	}
	if (kind == DF_TIMESTAMPTZ && t->zone) {
		*p++ = t->off < 0 ? '-' : '+';
		p = put_digits(p, off / 60, 2);
		if (off % 60 != 0) {
			*p++ = ':';
			p = put_digits(p, off % 60, 2);
		}
	}
	return sl_buf_add(out, s, (size_t)(p - s));
}

bool
df_parse(const struct df_fmt *f, enum df_kind kind, const char *s, size_t n,
    struct sl_buf *out, char *why, size_t whylen)
{
	struct tm_ t = { 0, 0, 0, 0, 0, 0, 0, -1, 0, false };
	const char *p = s, *e = s + n, *at;
	size_t i;

	while (p < e && is_blank((unsigned char)*p))
		p++;
	while (e > p && is_blank((unsigned char)e[-1]))
		e--;
	for (i = 0; i < f->nstep; i++) {
		if (!f->lit[i] && f->step[i] == ' ') {
			while (p < e && is_blank((unsigned char)*p))
				p++;
		} else if (f->lit[i]) {
			if (p == e || (unsigned char)*p != f->step[i]) {
				snprintf(why, whylen, "expected '%c' at "
				    "character %zu", f->step[i],
				    (size_t)(p - s) + 1);
				return false;
			}
			p++;
		} else if (at = p, !directive(f->step[i], &p, e, &t)) {
			snprintf(why, whylen, "expected %s at character %zu",
			    what(f->step[i]), (size_t)(at - s) + 1);
			return false;
		}
	}
	if (p != e) {
		snprintf(why, whylen, "text after the %s at character %zu",
		    f->kind == DF_DATE ? "date" : "timestamp",
		    (size_t)(p - s) + 1);
		return false;
	}
	if (!check(&t, why, whylen))
		return false;
	if (!emit(&t, kind, out)) {
		why[0] = '\0';
		return false;
	}
	return true;
}
