/*
 * prog.c: helpers for the programs' main files; see prog.h.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "exitcodes.h"
#include "prog.h"

static void
vreport(const char *fmt, va_list ap)
{
	char msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	sl_err("%s", msg);
}

/* Reports the message and exits with status. */
void
die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
	exit(status);
}

/* Reports a usage error, prints the synopsis and exits with status 2. */
void
usage_error(const char *usage, const char *fmt, ...)
{
	va_list ap;

	if (fmt != NULL) {
		va_start(ap, fmt);
		vreport(fmt, ap);
		va_end(ap);
	}
	fputs(usage, stderr);
	fprintf(stderr, "Try '%s --help' for more information.\n",
	    sl_progname);
	exit(EXIT_USAGE);
}

void *
emalloc(size_t n)
{
	void *p;

	if ((p = malloc(n ? n : 1)) == NULL)
		die(EXIT_IO, "out of memory (%zu bytes)", n);
	return p;
}

void *
ecalloc(size_t n, size_t size)
{
	void *p;

	if ((p = calloc(n ? n : 1, size ? size : 1)) == NULL)
		die(EXIT_IO, "out of memory (%zu x %zu bytes)", n, size);
	return p;
}

void *
erealloc(void *p, size_t n)
{
	if ((p = realloc(p, n ? n : 1)) == NULL)
		die(EXIT_IO, "out of memory (%zu bytes)", n);
	return p;
}

char *
estrdup(const char *s)
{
	char *p;

	if ((p = strdup(s)) == NULL)
		die(EXIT_IO, "out of memory");
	return p;
}

struct sl_nidx *
enidx_new(size_t n)
{
	struct sl_nidx *x;

	if ((x = sl_nidx_new(n)) == NULL)
		die(EXIT_IO, "out of memory for an index of %zu names", n);
	return x;
}

/* sl_nidx_add: the name's number, val when it is new. */
long
enidx_add(struct sl_nidx *x, const char *name, size_t val)
{
	long v;

	if ((v = sl_nidx_add(x, name, val)) < 0)
		die(EXIT_IO, "out of memory for an index of names");
	return v;
}

/*
 * The one message of every program for a column a stream lacks, naming
 * the columns it has so that a typo shows: "OPT: no column "COL" in
 * "TABLE" (its columns: a, b)". Exits with EXIT_USAGE.
 */
void
sl_no_column(const struct rs_header *h, const char *opt, const char *col)
{
	struct sl_buf b = { 0 };
	size_t i;

	for (i = 0; i < h->ncols; i++)
		if (!sl_buf_printf(&b, "%s%s", i ? ", " : "", h->cols[i].name))
			die(EXIT_IO, "out of memory");
	if (!sl_buf_cstr(&b))
		die(EXIT_IO, "out of memory");
	die(EXIT_USAGE, "%s: no column \"%s\" in \"%s\" (its columns: %s)",
	    opt, col, h->table, h->ncols ? b.p : "none");
}

void
sl_version(void)
{
	printf("%s (sluice) %s\n", sl_progname, SLUICE_VERSION);
}

/*
 * One of the common options (see prog.h); any other c is a usage error
 * (getopt has said which option).
 */
void
sl_common_opt(struct sl_common *co, int c, void (*help)(void),
    const char *usage)
{
	switch (c) {
	case 'q':
		co->quiet = true;
		break;
	case SL_OPT_PROGRESS:
		co->progress = true;
		break;
	case 'o':
		co->output = optarg;
		break;
	case 'r':
		co->rejects = optarg;
		break;
	case 'h':
		help();
		exit(fshut(stdout, "stdout") ? EXIT_OK : EXIT_IO);
	case SL_OPT_VERSION:
		sl_version();
		exit(fshut(stdout, "stdout") ? EXIT_OK : EXIT_IO);
	default:
		usage_error(usage, NULL);
	}
}

/*
 * The help text's lines for the common options, on stdout, each
 * option's words padded to width columns.
 */
void
sl_common_help(int width)
{
	static const char *const lines[][2] = {
		{ "  -q, --quiet", "no summary line on stderr" },
		{ "      --progress", "a progress line on stderr" },
		{ "  -h, --help", "this text" },
		{ "      --version", "the version" },
	};
	size_t i;

	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		printf("%-*s%s\n", width, lines[i][0], lines[i][1]);
}

/* A filter's usage error for an operand after its options. */
void
sl_no_operands(int argc, char *argv[], const char *usage)
{
	if (optind < argc)
		usage_error(usage, "unexpected argument \"%s\": the stream "
		    "comes on stdin", argv[optind]);
}

/*
 * Flushes and checks a stream, as sbase's fshut: a write error (a full
 * disk, a closed pipe) must not pass for success. Reports and returns
 * false on error.
 */
bool
fshut(FILE *fp, const char *name)
{
	bool ok = fflush(fp) == 0 && !ferror(fp);

	if (fp != stdout && fp != stderr && fclose(fp) != 0)
		ok = false;
	if (!ok)
		sl_err("%s: write error: %s", name, strerror(errno));
	return ok;
}

/*
 * Appends the comma-separated names of s (an option's value, split in
 * place; empty names are skipped) to the list *items of *n names.
 */
void
sl_list_add(char ***items, size_t *n, char *s)
{
	char *p, *save = NULL;

	for (p = strtok_r(s, ",", &save); p != NULL;
	    p = strtok_r(NULL, ",", &save)) {
		*items = erealloc(*items, (*n + 1) * sizeof(**items));
		(*items)[(*n)++] = p;
	}
}
