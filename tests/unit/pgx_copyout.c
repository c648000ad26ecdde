/*
 * Unit tests of the COPY OUT iterator (lib/pgx_copyout.c) against a
 * played server: a script of what PQexec, PQgetCopyData and PQgetResult
 * answer, so that the end, the errors in the middle (-2, a failed final
 * status) and the drain are each reached without a server. The lines
 * are malloc'd as libpq's are, and freed by the iterator: the sanitizer
 * build catches a leak or a double free. A real COPY is in tests/pg.
 */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "pgx_copyout.h"
#include "unit.h"

/* The script: exec's status, the lines (NULL then code), the results. */
static struct {
	ExecStatusType	 exec;
	const char	*lines[4];
	int		 endcode;	/* -1 or -2, after the lines */
	int		 waits;		/* 0s before each line, not waiting */
	ExecStatusType	 results[3];	/* PGRES_EMPTY_QUERY ends */
	size_t		 nline, nres, nwait, getresults;
	bool		 consume_fails;
} s;

static PGresult *
f_exec(PGconn *c, const char *sql)
{
	(void)c;
	(void)sql;
	return PQmakeEmptyPGresult(NULL, s.exec);
}

static int
f_getcopydata(PGconn *c, char **buf, int async)
{
	const char *l;

	(void)c;
	if (async && s.nwait < (size_t)s.waits) {
		s.nwait++;
		return 0;
	}
	s.nwait = 0;
	if ((l = s.lines[s.nline]) == NULL)
		return s.endcode;
	s.nline++;
	*buf = strdup(l);
	return (int)strlen(l);
}

static PGresult *
f_getresult(PGconn *c)
{
	(void)c;
	s.getresults++;
	if (s.nres >= 3 || s.results[s.nres] == PGRES_EMPTY_QUERY)
		return NULL;
	return PQmakeEmptyPGresult(NULL, s.results[s.nres++]);
}

static int
f_consume(PGconn *c)
{
	(void)c;
	return !s.consume_fails;
}

static const struct pgx_copy_io fake = {
	f_exec, f_getcopydata, f_getresult, f_consume, free
};

static void
script(ExecStatusType exec, int endcode, ExecStatusType r0, ExecStatusType r1)
{
	memset(&s, 0, sizeof(s));
	s.exec = exec;
	s.lines[0] = "1\tada\n";
	s.lines[1] = "2\t\\N\n";
	s.endcode = endcode;
	s.results[0] = r0;
	s.results[1] = r1;
	s.results[2] = PGRES_EMPTY_QUERY;
}

/* Runs the COPY to its end; the lines joined into got. */
static enum pgx_copy_ev
drive(bool wait, char *got, size_t *nlines)
{
	struct pgx_copyout co;
	enum pgx_copy_ev ev;
	const char *line;
	size_t len;

	*got = '\0';
	*nlines = 0;
	if (!pgx_copy_out_begin_io(&co, NULL, "COPY t TO STDOUT", "t", &fake))
		return PGX_COPY_ERROR;
	while ((ev = pgx_copy_out_next(&co, wait, &line, &len)) ==
	    PGX_COPY_LINE || ev == PGX_COPY_WAIT) {
		if (ev == PGX_COPY_LINE) {
			strncat(got, line, len);
			++*nlines;
		}
	}
	/* over is over: the same answer again, and no call to libpq */
	CHECK(pgx_copy_out_next(&co, wait, &line, &len) == ev);
	pgx_copy_out_end(&co);
	pgx_copy_out_end(&co);
	return ev;
}

/* A played COPY and what the iterator must make of it. */
static const struct {
	const char	*name;
	ExecStatusType	 exec, r0, r1;	/* exec's status, the results */
	int		 endcode, waits;
	bool		 consume_fails, wait;
	enum pgx_copy_ev want;
	size_t		 lines, getresults;
} cases[] = {
	{ "lines, then -1 and a good status", PGRES_COPY_OUT,
	    PGRES_COMMAND_OK, PGRES_EMPTY_QUERY, -1, 0, false, true,
	    PGX_COPY_END, 2, 2 },
	{ "not waiting, nothing yet is WAIT", PGRES_COPY_OUT,
	    PGRES_COMMAND_OK, PGRES_EMPTY_QUERY, -1, 2, false, false,
	    PGX_COPY_END, 2, 2 },
	{ "a command that is not COPY OUT", PGRES_FATAL_ERROR,
	    PGRES_COMMAND_OK, PGRES_EMPTY_QUERY, -1, 0, false, true,
	    PGX_COPY_ERROR, 0, 0 },
	{ "-2 is an error", PGRES_COPY_OUT, PGRES_COMMAND_OK,
	    PGRES_EMPTY_QUERY, -2, 0, false, true, PGX_COPY_ERROR, 2, 1 },
	/* a server error in mid-COPY comes as the final status, not -2 */
	{ "a failed final status is an error", PGRES_COPY_OUT,
	    PGRES_FATAL_ERROR, PGRES_EMPTY_QUERY, -1, 0, false, true,
	    PGX_COPY_ERROR, 2, 2 },
	{ "results drained to NULL after a good one", PGRES_COPY_OUT,
	    PGRES_COMMAND_OK, PGRES_FATAL_ERROR, -1, 0, false, true,
	    PGX_COPY_ERROR, 2, 3 },
	{ "PQconsumeInput failing", PGRES_COPY_OUT, PGRES_COMMAND_OK,
	    PGRES_EMPTY_QUERY, -1, 0, true, false, PGX_COPY_ERROR, 0, 0 },
};

static size_t cur;	/* the case run() runs */

static void
one(void)
{
	char got[64];
	size_t n;

	script(cases[cur].exec, cases[cur].endcode, cases[cur].r0,
	    cases[cur].r1);
	s.waits = cases[cur].waits;
	s.consume_fails = cases[cur].consume_fails;
	sl_err_quiet(true);
	CHECK(drive(cases[cur].wait, got, &n) == cases[cur].want);
	sl_err_quiet(false);
	CHECKF(n == cases[cur].lines, "%zu lines", n);
	CHECKF(s.getresults == cases[cur].getresults, "%zu results",
	    s.getresults);
	if (cases[cur].lines == 2)
		CHECKF(strcmp(got, "1\tada\n2\t\\N\n") == 0, "%s", got);
	if (cases[cur].want == PGX_COPY_ERROR)
		CHECKF(strncmp(sl_lasterr(), "t: ", 3) == 0, "%s",
		    sl_lasterr());
}

int
main(void)
{
	char name[128];

	for (cur = 0; cur < sizeof(cases) / sizeof(cases[0]); cur++) {
		snprintf(name, sizeof(name), "pgx_copyout: %s",
		    cases[cur].name);
		run(name, one);
	}
	return unit_bad ? 1 : 0;
}
