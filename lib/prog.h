/*
 * prog.h: helpers for the programs' main files, not for the library.
 * The e-prefixed functions die on failure (exit status 5, a system
 * error), as in sbase; lib/ modules themselves never call them, since
 * lib/ never exits. Also: the version, the number parsers of args.h
 * (which lib/ uses too: they never exit), and the fshut() that turns a
 * failed write to stdout into an exit status.
 */
#ifndef SLUICE_PROG_H
#define SLUICE_PROG_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "args.h"	/* sl_parse_u64, sl_parse_i64, sl_list_has */
#include "err.h"
#include "nidx.h"
#include "rowstream.h"

#define SLUICE_VERSION	"0.1.0"

void *emalloc(size_t n);
void *ecalloc(size_t n, size_t size);
void *erealloc(void *p, size_t n);
char *estrdup(const char *s);
struct sl_nidx *enidx_new(size_t n);
long enidx_add(struct sl_nidx *x, const char *name, size_t val);
_Noreturn void die(int status, const char *fmt, ...) SL_PRINTF(2, 3);
_Noreturn void usage_error(const char *usage, const char *fmt, ...)
    SL_PRINTF(2, 3);
_Noreturn void sl_no_column(const struct rs_header *h, const char *opt,
    const char *col);
void sl_version(void);
bool fshut(FILE *fp, const char *name);
/*
 * The options every program takes, read in one place so that they mean
 * the same everywhere: -q/--quiet (no summary on stderr), --progress (a
 * progress line on stderr), -h/--help and --version. A main puts
 * SL_COMMON_SHORT in its getopt string and SL_COMMON_LONG last in its
 * long options (it ends the table), and its switch's default case calls
 * sl_common_opt(), which takes the option (printing the help or version
 * and exiting for -h and --version) or exits with the usage error. A filter
 * (the transforms) also puts "o:r:" and SL_FILTER_LONG in its tables:
 * -o/--output FILE and -r/--rejects FILE, for lib/ledger.c. The help
 * text's lines for the common options are sl_common_help()'s.
 */
enum { SL_OPT_PROGRESS = 1000, SL_OPT_VERSION };
#define SL_COMMON_SHORT	"hq"
#define SL_COMMON_LONG						\
	{ "help", no_argument, NULL, 'h' },			\
	{ "progress", no_argument, NULL, SL_OPT_PROGRESS },	\
	{ "quiet", no_argument, NULL, 'q' },			\
	{ "version", no_argument, NULL, SL_OPT_VERSION },	\
	{ NULL, 0, NULL, 0 }
#define SL_FILTER_LONG						\
	{ "output", required_argument, NULL, 'o' },		\
	{ "rejects", required_argument, NULL, 'r' }

struct sl_common {
	bool		 quiet;
	bool		 progress;
	const char	*output;	/* a filter's -o; NULL: stdout */
	const char	*rejects;	/* a filter's -r; NULL: none */
};

void sl_common_opt(struct sl_common *co, int c, void (*help)(void),
    const char *usage);
void sl_common_help(int width);
void sl_no_operands(int argc, char *argv[], const char *usage);
void sl_list_add(char ***items, size_t *n, char *s);

#endif
