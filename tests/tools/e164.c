/*
 * e164: lib/phone.h on lines of text, for tests/cli/phone.sh (which
 * compares it with python3-phonenumbers) and bench/phone.sh. Reads
 * "REGION<TAB>NUMBER" lines on stdin and prints, one line each, the
 * E.164 form or "! reason". A line without a tab is a number with no
 * region. The number is the rest of the line, tabs and all.
 *
 *	e164 [-q]	-q: print nothing, only count (the benchmark's
 *			measure of the parse alone); the counts go to
 *			stderr either way
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exitcodes.h"
#include "phone.h"

int
main(int argc, char *argv[])
{
	struct sl_phone *p;
	char *line = NULL, out[SL_PHONE_E164_SIZE];
	const char *why, *num, *tab;
	size_t cap = 0, outlen, rlen;
	unsigned long good = 0, bad = 0;
	ssize_t n;
	int quiet = 0;

	if (argc == 2 && strcmp(argv[1], "-q") == 0)
		quiet = 1;
	else if (argc != 1) {
		fprintf(stderr, "usage: e164 [-q] <REGION-TAB-NUMBER lines\n");
		return EXIT_USAGE;
	}
	if ((p = sl_phone_new()) == NULL) {
		fprintf(stderr, "e164: out of memory\n");
		return EXIT_IO;
	}
	while ((n = getline(&line, &cap, stdin)) > 0) {
		if (line[n - 1] == '\n')
			line[--n] = '\0';
		if ((tab = memchr(line, '\t', (size_t)n)) == NULL) {
			rlen = 0;
			num = line;
		} else {
			rlen = (size_t)(tab - line);
			num = tab + 1;
		}
		if (sl_phone_e164(p, num, (size_t)n - (size_t)(num - line),
		    line, rlen, out, &outlen, &why)) {
			good++;
			if (!quiet && printf("%s\n", out) < 0)
				break;
		} else {
			bad++;
			if (!quiet && printf("! %s\n", why) < 0)
				break;
		}
	}
	free(line);
	sl_phone_free(p);
	fprintf(stderr, "e164: %lu formatted, %lu refused\n", good, bad);
	if (ferror(stdin) || fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "e164: I/O error\n");
		return EXIT_IO;
	}
	return EXIT_OK;
}
