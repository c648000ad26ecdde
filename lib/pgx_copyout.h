/*
 * pgx_copyout.h: one COPY ... TO STDOUT, read line by line, the loop
 * extract and verify share. Modelled on psql's handleCopyOut
 * (src/bin/psql/copy.c): the command must answer PGRES_COPY_OUT; then
 * PQgetCopyData gives lines (> 0), nothing yet (0, only when not
 * waiting), the end (-1) or a broken connection (-2); at the end
 * PQgetResult gives the COPY's own status, which must be
 * PGRES_COMMAND_OK (a server error in the middle of the COPY arrives
 * there, not as -2), and is drained to NULL so that the connection can
 * run the next command.
 *
 *	struct pgx_copyout co;
 *	if (!pgx_copy_out_begin(&co, conn, "COPY t TO STDOUT", "t"))
 *		return false;			(reported)
 *	while ((ev = pgx_copy_out_next(&co, true, &line, &len)) ==
 *	    PGX_COPY_LINE)
 *		use(line, len);			(valid until the next call)
 *	pgx_copy_out_end(&co);
 *	return ev == PGX_COPY_END;		(PGX_COPY_ERROR: reported)
 *
 * Errors are reported once through sl_err() as "WHAT: <server
 * message>". A COPY given up before PGX_COPY_END leaves the connection
 * in COPY state: the caller's only course is PQfinish().
 */
#ifndef SLUICE_PGX_COPYOUT_H
#define SLUICE_PGX_COPYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include <libpq-fe.h>

enum pgx_copy_ev {
	PGX_COPY_LINE,		/* *line, *len: one line, with its newline */
	PGX_COPY_WAIT,		/* not waiting, and no line has arrived yet */
	PGX_COPY_END,		/* the COPY ended with success */
	PGX_COPY_ERROR		/* reported; the COPY is over */
};

/*
 * The libpq calls the iterator makes, so that a unit test can play the
 * server (tests/unit/pgx_copyout.c); pgx_copy_libpq is libpq itself.
 */
struct pgx_copy_io {
	PGresult	*(*exec)(PGconn *, const char *);
	int		 (*getcopydata)(PGconn *, char **, int);
	PGresult	*(*getresult)(PGconn *);
	int		 (*consumeinput)(PGconn *);
	void		 (*freemem)(void *);
};
extern const struct pgx_copy_io pgx_copy_libpq;

struct pgx_copyout {
	PGconn			*c;
	const struct pgx_copy_io *io;
	const char		*what;	/* the caller's, for messages */
	char			*line;	/* libpq's, freed at the next call */
	bool			 copying;
	bool			 failed;	/* what the end was */
};

/*
 * Sends sql (a COPY ... TO STDOUT) and checks that the server answered
 * PGRES_COPY_OUT. what names the COPY in messages; it must outlive co.
 * False (reported) otherwise, and co is then finished.
 */
bool pgx_copy_out_begin(struct pgx_copyout *co, PGconn *c, const char *sql,
    const char *what);
bool pgx_copy_out_begin_io(struct pgx_copyout *co, PGconn *c,
    const char *sql, const char *what, const struct pgx_copy_io *io);

/*
 * The next line. With wait false it returns PGX_COPY_WAIT instead of
 * blocking when the server has sent no whole line yet (it reads what
 * has arrived first, PQconsumeInput). After PGX_COPY_END or
 * PGX_COPY_ERROR it keeps returning the same.
 */
enum pgx_copy_ev pgx_copy_out_next(struct pgx_copyout *co, bool wait,
    const char **line, size_t *len);

/* Frees the last line; safe to call twice, or after a failed begin. */
void pgx_copy_out_end(struct pgx_copyout *co);

#endif
