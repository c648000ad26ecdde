/*
 * exitcodes.h: the exit statuses every sluice program uses, one name each.
 * They are part of the contract between programs and the scripts that run
 * them (docs/design.md, "Exit status").
 */
#ifndef SLUICE_EXITCODES_H
#define SLUICE_EXITCODES_H

#define EXIT_OK		0	/* everything passed */
#define EXIT_DATA	1	/* data did not pass: verify mismatch, rejects
				   over the limit, orphans under --orphans=fail */
#define EXIT_USAGE	2	/* bad options or arguments */
#define EXIT_STREAM	3	/* bad or truncated input stream */
#define EXIT_DB		4	/* database error */
#define EXIT_IO		5	/* other I/O or system error */

#endif
