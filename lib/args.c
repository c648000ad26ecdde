/*
 * args.c: strict numbers and name lists for option arguments; see
 * args.h. Nothing here reports or exits.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"

/* A whole decimal number, nothing before or after it. */
bool
sl_parse_u64(const char *s, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return false;
	*out = v;
	return true;
}

bool
sl_parse_i64(const char *s, int64_t *out)
{
	long long v;
	char *end;

	if (*s != '-' && (*s < '0' || *s > '9'))
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || end == s)
		return false;
	*out = v;
	return true;
}

/* Whether the list of n names has name. */
bool
sl_list_has(char *const *items, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(items[i], name) == 0)
			return true;
	return false;
}
