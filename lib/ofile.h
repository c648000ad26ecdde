/*
 * ofile.h: an output file that appears whole or not at all. It is
 * written under a temporary name in the same directory (PATH.tmp.XXXXXX)
 * and renamed to PATH by sl_ofile_commit(); sl_ofile_abort() removes it.
 * A run that fails half way never leaves a file that looks complete
 * (maps, rejects). "-" is stdout, written in place.
 */
#ifndef SLUICE_OFILE_H
#define SLUICE_OFILE_H

#include <stdbool.h>

struct sl_ofile;

struct sl_ofile *sl_ofile_open(const char *path);
int sl_ofile_fd(const struct sl_ofile *f);
const char *sl_ofile_path(const struct sl_ofile *f);
bool sl_ofile_commit(struct sl_ofile *f);	/* frees f */
void sl_ofile_abort(struct sl_ofile *f);	/* frees f; NULL is fine */

#endif
