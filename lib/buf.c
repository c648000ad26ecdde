/*
 * buf.c: the growable byte buffer of buf.h.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "buf.h"

/* Makes room for need more bytes past len, doubling the capacity. */
bool
sl_buf_grow(struct sl_buf *b, size_t need)
{
	size_t cap = b->cap ? b->cap : 64;
	char *p;

	if (need > SIZE_MAX / 2 - b->len) {
		sl_err("buffer of %zu bytes cannot grow by %zu", b->len, need);
		return false;
	}
	while (cap - b->len < need)
		cap *= 2;
	if (cap == b->cap)
		return true;
	if ((p = realloc(b->p, cap)) == NULL) {
		sl_err("out of memory (%zu bytes)", cap);
		return false;
	}
	b->p = p;
	b->cap = cap;
	return true;
}

bool
sl_buf_printf(struct sl_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->cap == 0 && !sl_buf_grow(b, 64))
		return false;
	va_start(ap, fmt);
	n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0) {
		sl_err("cannot format \"%s\"", fmt);
		return false;
	}
	if ((size_t)n >= b->cap - b->len) {
		if (!sl_buf_grow(b, (size_t)n + 1))
			return false;
		va_start(ap, fmt);
		vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
	return true;
}

/* NUL-terminates the contents without counting the NUL in len. */
bool
sl_buf_cstr(struct sl_buf *b)
{
	if (!sl_buf_addc(b, '\0'))
		return false;
	b->len--;
	return true;
}

void
sl_buf_free(struct sl_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}
