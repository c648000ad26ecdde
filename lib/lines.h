/*
 * lines.h: a file read one line at a time, for the line-oriented sources
 * (extract --text, --jsonl). The line buffer grows to the longest line
 * and is reused, so memory stays constant whatever the file's length.
 * The reader knows each line's number and the byte offset where it
 * starts, so that every error can name both.
 *
 * sl_lines_next() hands out the line without its line break ("\n", or
 * "\r\n"); it stays valid until the next call. A UTF-8 byte order mark
 * at the start of the file is skipped (offsets still count it: off is
 * where the line handed out starts). Returns
 * 1 for a line, 0 at the end, -1 on a read error (reported).
 */
#ifndef SLUICE_LINES_H
#define SLUICE_LINES_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct sl_lines {
	FILE		*fp;
	char		*path;		/* for messages: "stdin" for - */
	char		*buf;
	size_t		 cap;
	uint64_t	 lineno;	/* of the line last handed out */
	uint64_t	 off;		/* where its first byte is in the file */
	uint64_t	 next;		/* where the next one starts */
};

struct sl_lines *sl_lines_open(const char *path);
int sl_lines_next(struct sl_lines *l, const char **line, size_t *len);
void sl_lines_close(struct sl_lines *l);

#endif
