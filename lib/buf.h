/*
 * buf.h: a growable byte buffer. Programs keep one per purpose and reuse
 * it for every row (sl_buf_reset keeps the memory), so the hot loops do
 * not allocate. Functions that grow it return false when memory runs out,
 * having reported it; the buffer is then unchanged.
 */
#ifndef SLUICE_BUF_H
#define SLUICE_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "err.h"

struct sl_buf {
	char	*p;
	size_t	 len;
	size_t	 cap;
};

bool sl_buf_grow(struct sl_buf *b, size_t need);
bool sl_buf_printf(struct sl_buf *b, const char *fmt, ...) SL_PRINTF(2, 3);
bool sl_buf_cstr(struct sl_buf *b);
void sl_buf_free(struct sl_buf *b);

static inline void
sl_buf_reset(struct sl_buf *b)
{
	b->len = 0;
}

static inline bool
sl_buf_add(struct sl_buf *b, const void *p, size_t n)
{
	if (b->cap - b->len < n && !sl_buf_grow(b, n))
		return false;
	if (n > 0)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	return true;
}

static inline bool
sl_buf_addc(struct sl_buf *b, char c)
{
	if (b->len == b->cap && !sl_buf_grow(b, 1))
		return false;
	b->p[b->len++] = c;
	return true;
}

static inline bool
sl_buf_adds(struct sl_buf *b, const char *s)
{
	return sl_buf_add(b, s, strlen(s));
}

#endif
