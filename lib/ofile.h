/*
 * ofile.h: an output file that holds rows (-o, --rejects, --map-out).
 *
 * A regular file, or a path that does not exist, appears whole or not at
 * all: it is written under a temporary name in the same directory
 * (PATH.tmp.XXXXXX) and renamed to PATH by sl_ofile_commit();
 * sl_ofile_abort() removes it. A run that fails half way never leaves a
 * file that looks complete. The file is 0600 whatever the umask, also
 * when it replaces one with other modes: it holds rows, often personal
 * data.
 *
 * A symbolic link is never replaced: a link to a regular file is
 * followed (as cp and the shell's > do) and the temporary file is made
 * next to the link's target and renamed onto it; a dangling link is
 * refused (as cp refuses it). A path that is neither (a device, a fifo,
 * or a link to one) is written in place, so that -o /dev/null or a fifo
 * work: such an output cannot appear whole or not at all, and a failed
 * run leaves what it wrote. "-" and /dev/stdout are stdout, and
 * /dev/stderr, /dev/fd/N and /proc/self/fd/N the descriptor they name,
 * as in the shell: written in place, never reopened (>> stays >>).
 */
#ifndef SLUICE_OFILE_H
#define SLUICE_OFILE_H

#include <stdbool.h>

struct sl_ofile;

struct sl_ofile *sl_ofile_open(const char *path);

/*
 * The same for a file that must be new (generated passwords, which
 * another run's file must never lose): a path that is a regular file
 * or a symbolic link is refused (reported, errno EEXIST), and the
 * commit fails rather than replace a file that appeared meanwhile.
 * Devices, fifos and shell descriptors are written in place as above.
 */
struct sl_ofile *sl_ofile_create(const char *path);
int sl_ofile_fd(const struct sl_ofile *f);
const char *sl_ofile_path(const struct sl_ofile *f);
bool sl_ofile_commit(struct sl_ofile *f);	/* frees f */
void sl_ofile_abort(struct sl_ofile *f);	/* frees f; NULL is fine */

/*
 * Removes the file a commit to path puts in place (an earlier run's
 * output, stale after a failed run): the regular file, or a symbolic
 * link's regular target; never the link, a device, a fifo or a shell
 * descriptor. Reports nothing; returns 0 (also when there was nothing
 * to remove) or the errno of the failed unlink.
 */
int sl_ofile_unlink(const char *path);

#endif
