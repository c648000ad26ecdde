/*
 * err.h: how lib/ reports errors. A library function that fails reports
 * the error once, through sl_err(), and returns a failure value; its
 * caller does not report it again ("errors have already been logged").
 * Messages go to stderr as "program: message"; the last one is also kept
 * so that a program can put it in a rejects file or a test can check it.
 */
#ifndef SLUICE_ERR_H
#define SLUICE_ERR_H

#include <stdarg.h>
#include <stdbool.h>

#if defined(__GNUC__)
#define SL_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define SL_PRINTF(f, a)
#endif

extern const char *sl_progname;

void sl_setprogname(const char *argv0);
void sl_err(const char *fmt, ...) SL_PRINTF(1, 2);
void sl_verr(const char *fmt, va_list ap);
int sl_errs(int status, const char *fmt, ...) SL_PRINTF(2, 3);
const char *sl_lasterr(void);
void sl_err_quiet(bool quiet);
void sl_err_hook(void (*fn)(void));

#endif
