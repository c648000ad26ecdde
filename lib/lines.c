/*
 * lines.c: a file read line by line with getline(3). See lines.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "lines.h"

struct sl_lines *
sl_lines_open(const char *path)
{
	struct sl_lines *l;
	bool in = strcmp(path, "-") == 0;

	if ((l = calloc(1, sizeof(*l))) == NULL ||
	    (l->path = strdup(in ? "stdin" : path)) == NULL) {
		sl_err("out of memory");
		free(l);
		return NULL;
	}
	if ((l->fp = in ? stdin : fopen(path, "r")) == NULL) {
		sl_err("%s: %s", path, strerror(errno));
		free(l->path);
		free(l);
		return NULL;
	}
	return l;
}

int
sl_lines_next(struct sl_lines *l, const char **line, size_t *len)
{
	ssize_t n;
	char *p;

	errno = 0;
	if ((n = getline(&l->buf, &l->cap, l->fp)) < 0) {
		if (ferror(l->fp)) {
			sl_err("%s: %s", l->path, strerror(errno ? errno :
			    EIO));
			return -1;
		}
		return 0;
	}
	p = l->buf;
	l->off = l->next;
	l->next += (uint64_t)n;
	if (l->lineno++ == 0 && n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
		p += 3;
		n -= 3;
		l->off += 3;
	}
	if (n > 0 && p[n - 1] == '\n')
		n--;
	if (n > 0 && p[n - 1] == '\r')
		n--;
	*line = p;
	*len = (size_t)n;
	return 1;
}

void
sl_lines_close(struct sl_lines *l)
{
	if (l == NULL)
		return;
	if (l->fp != NULL && l->fp != stdin)
		fclose(l->fp);
	free(l->buf);
	free(l->path);
	free(l);
}
