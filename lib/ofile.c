/*
 * ofile.c: output files that appear whole or not at all. See ofile.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "ofile.h"

struct sl_ofile {
	int	 fd;
	char	*path;
	char	*tmp;		/* NULL for stdout */
};

struct sl_ofile *
sl_ofile_open(const char *path)
{
	struct sl_ofile *f;
	size_t n;

	if ((f = calloc(1, sizeof(*f))) == NULL ||
	    (f->path = strdup(path)) == NULL) {
		free(f);
		sl_err("out of memory");
		return NULL;
	}
	if (strcmp(path, "-") == 0) {
		f->fd = STDOUT_FILENO;
		return f;
	}
	n = strlen(path) + sizeof(".tmp.XXXXXX");
	if ((f->tmp = malloc(n)) == NULL) {
		sl_err("out of memory");
		free(f->path);
		free(f);
		return NULL;
	}
	snprintf(f->tmp, n, "%s.tmp.XXXXXX", path);
	if ((f->fd = mkstemp(f->tmp)) < 0) {
		sl_err("%s: %s", path, strerror(errno));
		free(f->tmp);
		free(f->path);
		free(f);
		return NULL;
	}
	/* mkstemp makes it 0600; an output file gets the umask's mode. */
	{
		mode_t um = umask(0);

		umask(um);
		if (fchmod(f->fd, 0666 & ~um) < 0) {
			sl_err("%s: %s", f->tmp, strerror(errno));
			sl_ofile_abort(f);
			return NULL;
		}
	}
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
	free(f->path);
	free(f);
}

bool
sl_ofile_commit(struct sl_ofile *f)
{
	bool ok = true;

	if (f->tmp == NULL) {
		ofree(f);
		return true;
	}
	if (close(f->fd) < 0) {
		sl_err("%s: %s", f->path, strerror(errno));
		ok = false;
	} else if (rename(f->tmp, f->path) < 0) {
		sl_err("%s: cannot rename %s into place: %s", f->path,
		    f->tmp, strerror(errno));
		ok = false;
	}
	if (!ok)
		unlink(f->tmp);
	ofree(f);
	return ok;
}

void
sl_ofile_abort(struct sl_ofile *f)
{
	if (f == NULL)
		return;
	if (f->tmp != NULL) {
		close(f->fd);
		unlink(f->tmp);
	}
	ofree(f);
}
