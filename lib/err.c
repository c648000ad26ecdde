/*
 * err.c: the one place lib/ writes diagnostics. See err.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"

const char *sl_progname = "sluice";
static char lasterr[1024];
static bool quiet;
static void (*hook)(void);

void
sl_setprogname(const char *argv0)
{
	const char *p = strrchr(argv0, '/');

	sl_progname = p != NULL ? p + 1 : argv0;
}

/* Reports one error: kept for sl_lasterr() and written to stderr. */
void
sl_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sl_verr(fmt, ap);
	va_end(ap);
}

/* Formatted apart first: an argument may be sl_lasterr() itself. */
void
sl_verr(const char *fmt, va_list ap)
{
	char m[sizeof(lasterr)];

	vsnprintf(m, sizeof(m), fmt, ap);
	memcpy(lasterr, m, sizeof(lasterr));
	if (hook != NULL)
		hook();
	if (!quiet)
		fprintf(stderr, "%s: %s\n", sl_progname, lasterr);
}

/* sl_err, for a function that returns a status: returns status. */
int
sl_errs(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sl_verr(fmt, ap);
	va_end(ap);
	return status;
}

const char *
sl_lasterr(void)
{
	return lasterr;
}

/* Unit tests silence stderr and read sl_lasterr() instead. */
void
sl_err_quiet(bool q)
{
	quiet = q;
}

/*
 * fn runs before each message is written, so that a program can first
 * flush the rows it has already read: output, then the error.
 */
void
sl_err_hook(void (*fn)(void))
{
	hook = fn;
}
