/*
 * keymap_int.h: what the key map's two halves share inside lib/
 * (keymap.h is the API): lib/keymap.c is the hash table, lib/keymap_load.c
 * reads a map file into one. mix and key_int stay inline here, as
 * loading a pair used them inline before the split.
 */
#ifndef SLUICE_KEYMAP_INT_H
#define SLUICE_KEYMAP_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "keymap.h"

struct chunk;


struct sl_keymap {
	enum sl_keymap_kind kind;
	size_t		  vsize;	/* 0, 8 (int, text's offset) or 16 */
	size_t		  esize;	/* 8 bytes of key, then the value */
	char		 *type;		/* the map file's new key type */
	bool		  hasmax;	/* an int map: its largest value */
	int64_t		  max;
	uint32_t	 *slot;		/* 0, or tag | entry number + 1 */
	unsigned	  bits;
	size_t		  count;
	struct chunk	**chunk;
	size_t		  nchunk;
	size_t		  chunkcap;
	struct sl_buf	  arena;	/* string keys and text values: 4 bytes
					   of length, bytes */
};

/* A key ready to look up: an integer, or bytes that are not one. */
struct key {
	bool		 str;
	int64_t		 i;
	const char	*p;
	size_t		 n;
	uint64_t	 h;
};

/* murmur3's finalizer: every bit of the integer moves every bit of the hash. */
static inline uint64_t
mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static inline void
key_int(struct key *k, int64_t i)
{
	k->str = false;
	k->i = i;
	k->h = mix((uint64_t)i);
}

void km_key_text(struct key *k, const char *p, size_t n);
int km_put(struct sl_keymap *m, const struct key *k, const void *val,
    const void **old);

#endif
