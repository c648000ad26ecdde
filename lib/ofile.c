/*
 * ofile.c: output files that appear whole or not at all, private to
 * their owner, and never a replaced link or device. See ofile.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "ofile.h"

/* resolve()'s answer for a symbolic link to nothing (not an errno). */
#define DANGLING	(-1)

struct sl_ofile {
	int	 fd;
	bool	 own;	/* fd is ours to close (not stdout) */
	char	*path;	/* as given, for messages */
	char	*dest;	/* what tmp is renamed to: path or its link's target */
	char	*tmp;	/* NULL when written in place */
	bool	 noreplace;	/* sl_ofile_create: commit never replaces */
};

/*
 * The open descriptor that path names, as the shell takes these names:
 * "-", /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N. It is
 * written as it is, never reopened nor renamed over: a reopened
 * descriptor would lose >>'s O_APPEND, and the file behind it is the
 * caller's. -1 for any other path.
 */
static int
fdpath(const char *path)
{
	const char *n = NULL;
	char *end;
	long fd;

	if (strcmp(path, "-") == 0 || strcmp(path, "/dev/stdout") == 0)
		return STDOUT_FILENO;
	if (strcmp(path, "/dev/stderr") == 0)
		return STDERR_FILENO;
	if (strncmp(path, "/dev/fd/", 8) == 0)
		n = path + 8;
	else if (strncmp(path, "/proc/self/fd/", 14) == 0)
		n = path + 14;
	if (n == NULL || *n < '0' || *n > '9')
		return -1;
	fd = strtol(n, &end, 10);
	return *end == '\0' && fd <= INT_MAX ? (int)fd : -1;
}

/*
 * Where a file written for path goes: *dest is the file to replace by
 * rename (path itself when it is a regular file or does not exist, the
 * resolved target of a link to a regular file; malloc'd), or NULL when
 * path is to be written in place (a device or fifo, or a link to one).
 * Returns 0, an errno value, or DANGLING; reports nothing.
 */
static int
resolve(const char *path, char **dest)
{
	struct stat st;

	*dest = NULL;
	if (lstat(path, &st) < 0) {
		if (errno != ENOENT)
			return errno;
		st.st_mode = S_IFREG;	/* a new file: as a regular one */
	}
	if (S_ISREG(st.st_mode))
		return (*dest = strdup(path)) == NULL ? ENOMEM : 0;
	if (!S_ISLNK(st.st_mode))
		return 0;
	if (stat(path, &st) < 0)
		return errno == ENOENT ? DANGLING : errno;
	if (!S_ISREG(st.st_mode))
		return 0;
	return (*dest = realpath(path, NULL)) == NULL ? errno : 0;
}

/*
 * The temporary file next to f->dest. mkstemp makes it 0600 less the
 * umask; it is set to 0600 whatever the umask, and never widened: rows
 * are for the owner alone, and a file a signal leaves behind is too.
 */
static bool
open_tmp(struct sl_ofile *f)
{
	size_t n = strlen(f->dest) + sizeof(".tmp.XXXXXX");

	if ((f->tmp = malloc(n)) == NULL) {
		sl_err("out of memory");
		return false;
	}
	snprintf(f->tmp, n, "%s.tmp.XXXXXX", f->dest);
	if ((f->fd = mkostemp(f->tmp, O_CLOEXEC)) < 0) {
		sl_err("%s: %s", f->path, strerror(errno));
		return false;
	}
	f->own = true;
	if (fchmod(f->fd, 0600) < 0) {
		sl_err("%s: %s", f->tmp, strerror(errno));
		return false;
	}
	return true;
}

/*
 * A device or fifo, opened as it is (a fifo waits for its reader). It
 * must not have become a regular file since resolve() looked: written
 * in place, that would be a file that looks whole when it is not.
 */
static bool
open_inplace(struct sl_ofile *f)
{
	struct stat st;

	if ((f->fd = open(f->path, O_WRONLY | O_NOCTTY | O_CLOEXEC)) < 0) {
		sl_err("%s: %s", f->path, strerror(errno));
		return false;
	}
	f->own = true;
	if (fstat(f->fd, &st) < 0) {
		sl_err("%s: %s", f->path, strerror(errno));
		return false;
	}
	if (S_ISREG(st.st_mode)) {
		sl_err("%s: replaced by a regular file while being opened",
		    f->path);
		return false;
	}
	return true;
}

struct sl_ofile *
sl_ofile_open(const char *path)
{
	struct sl_ofile *f;
	int e;

	if ((f = calloc(1, sizeof(*f))) == NULL ||
	    (f->path = strdup(path)) == NULL) {
		free(f);
		sl_err("out of memory");
		return NULL;
	}
	if ((f->fd = fdpath(path)) >= 0) {
		if (fcntl(f->fd, F_GETFL) < 0) {
			sl_err("%s: %s", path, strerror(errno));
			sl_ofile_abort(f);
			return NULL;
		}
		return f;
	}
	if ((e = resolve(path, &f->dest)) != 0) {
		if (e == DANGLING)
			sl_err("%s: not writing through a dangling symbolic "
			    "link", path);
		else
			sl_err("%s: %s", path, strerror(e));
		sl_ofile_abort(f);
		return NULL;
	}
	if (!(f->dest != NULL ? open_tmp(f) : open_inplace(f))) {
		sl_ofile_abort(f);
		return NULL;
	}
	return f;
}

/*
 * Whether path names something a commit would replace or write
 * through: a regular file, or a symbolic link (dangling or not). Sets
 * errno when it cannot tell.
 */
static bool
taken(const char *path, bool *yes)
{
	struct stat st;

	*yes = false;
	if (lstat(path, &st) < 0)
		return errno == ENOENT;
	if (S_ISLNK(st.st_mode) && stat(path, &st) < 0 && errno != ENOENT)
		return false;
	*yes = S_ISREG(st.st_mode) || S_ISLNK(st.st_mode);
	return true;
}

struct sl_ofile *
sl_ofile_create(const char *path)
{
	struct sl_ofile *f;
	bool yes = false;

	if (fdpath(path) < 0 && !taken(path, &yes)) {
		sl_err("%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fdpath(path) < 0 && yes) {
		sl_err("%s: exists; not replacing it", path);
		errno = EEXIST;
		return NULL;
	}
	if ((f = sl_ofile_open(path)) != NULL)
		f->noreplace = true;
	return f;
}

int
sl_ofile_fd(const struct sl_ofile *f)
{
	return f->fd;
}

const char *
sl_ofile_path(const struct sl_ofile *f)
{
	return f->path;
}

static void
ofree(struct sl_ofile *f)
{
	free(f->tmp);
	free(f->dest);
	free(f->path);
	free(f);
}

/*
 * rename(2) that fails with EEXIST rather than replace dest: renameat2's
 * RENAME_NOREPLACE, or, on a file system without it, link(2) (which
 * never replaces either) and unlink.
 */
static int
rename_new(const char *tmp, const char *dest)
{
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, dest, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	if (link(tmp, dest) < 0)
		return -1;
	unlink(tmp);
	return 0;
}

bool
sl_ofile_commit(struct sl_ofile *f)
{
	bool ok = true;

	/*
	 * A file that must be new holds what no other copy has (passwords
	 * whose hashes go on to be loaded): on disk before it is in place.
	 */
	if (f->noreplace && f->tmp != NULL && fsync(f->fd) < 0) {
		sl_err("%s: %s", f->path, strerror(errno));
		ok = false;
	}
	if (f->own && close(f->fd) < 0 && ok) {
		sl_err("%s: %s", f->path, strerror(errno));
		ok = false;
	}
	if (ok && f->tmp != NULL && (f->noreplace ?
	    rename_new(f->tmp, f->dest) : rename(f->tmp, f->dest)) < 0) {
		sl_err("%s: cannot rename %s into place: %s", f->path,
		    f->tmp, strerror(errno));
		ok = false;
	}
	if (!ok && f->tmp != NULL)
		unlink(f->tmp);
	ofree(f);
	return ok;
}

/* Also undoes a half-done sl_ofile_open(): no descriptor, no tmp. */
void
sl_ofile_abort(struct sl_ofile *f)
{
	if (f == NULL)
		return;
	if (f->own)
		close(f->fd);
	if (f->own && f->tmp != NULL)
		unlink(f->tmp);
	ofree(f);
}

int
sl_ofile_unlink(const char *path)
{
	char *dest;
	int e = 0;

	if (fdpath(path) >= 0 || resolve(path, &dest) != 0)
		return 0;
	if (dest != NULL && unlink(dest) < 0 && errno != ENOENT)
		e = errno;
	free(dest);
	return e;
}
