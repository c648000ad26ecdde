/*
 * pgx_copyout.c: the COPY OUT iterator of pgx_copyout.h. The states and
 * why each is handled are psql's (handleCopyOut); see the header.
 */
#include <stdlib.h>

#include "err.h"
#include "pgx.h"
#include "pgx_copyout.h"

static void
libpq_freemem(void *p)
{
	PQfreemem(p);
}

const struct pgx_copy_io pgx_copy_libpq = {
	PQexec, PQgetCopyData, PQgetResult, PQconsumeInput, libpq_freemem
};

bool
pgx_copy_out_begin(struct pgx_copyout *co, PGconn *c, const char *sql,
    const char *what)
{
	return pgx_copy_out_begin_io(co, c, sql, what, &pgx_copy_libpq);
}

bool
pgx_copy_out_begin_io(struct pgx_copyout *co, PGconn *c, const char *sql,
    const char *what, const struct pgx_copy_io *io)
{
	PGresult *res;
	bool ok;

	co->c = c;
	co->io = io;
	co->what = what;
	co->line = NULL;
	co->copying = false;
	co->failed = false;
	/* a NULL result (no memory, no connection) is PGRES_FATAL_ERROR */
	res = io->exec(c, sql);
	ok = PQresultStatus(res) == PGRES_COPY_OUT;
	if (!ok)
		sl_err("%s: %s", what, pgx_errmsg(c, res));
	PQclear(res);
	co->copying = ok;
	co->failed = !ok;
	return ok;
}

/*
 * After -1 or -2: the COPY's own result, then the rest until NULL, so
 * that the connection is ready for the next command. The first result
 * that is not a success is reported; a -2 (connection lost) is an error
 * whatever the results say.
 */
static enum pgx_copy_ev
finish(struct pgx_copyout *co, bool broken)
{
	PGresult *res;
	bool ok = !broken;

	if (broken)
		sl_err("%s: %s", co->what, pgx_errmsg(co->c, NULL));
	co->copying = false;
	while ((res = co->io->getresult(co->c)) != NULL) {
		if (ok && PQresultStatus(res) != PGRES_COMMAND_OK) {
			sl_err("%s: %s", co->what, pgx_errmsg(co->c, res));
			ok = false;
		}
		PQclear(res);
		/*
		 * libpq still in COPY_OUT after -1 or -2 would be its bug
		 * (psql says the same) and would answer COPY_OUT forever.
		 */
		if (broken)
			break;
	}
	co->failed = !ok;
	return ok ? PGX_COPY_END : PGX_COPY_ERROR;
}

enum pgx_copy_ev
pgx_copy_out_next(struct pgx_copyout *co, bool wait, const char **line,
    size_t *len)
{
	char *p = NULL;
	int n;

	if (co->line != NULL) {
		co->io->freemem(co->line);
		co->line = NULL;
	}
	if (!co->copying)
		return co->failed ? PGX_COPY_ERROR : PGX_COPY_END;
	if (!wait && !co->io->consumeinput(co->c)) {
		sl_err("%s: %s", co->what, pgx_errmsg(co->c, NULL));
		co->copying = false;
		co->failed = true;
		return PGX_COPY_ERROR;
	}
	n = co->io->getcopydata(co->c, &p, !wait);
	if (n > 0) {
		co->line = p;
		*line = p;
		*len = (size_t)n;
		return PGX_COPY_LINE;
	}
	if (n == 0)
		return PGX_COPY_WAIT;
	return finish(co, n == -2);
}

void
pgx_copy_out_end(struct pgx_copyout *co)
{
	if (co->line != NULL)
		co->io->freemem(co->line);
	co->line = NULL;
}
