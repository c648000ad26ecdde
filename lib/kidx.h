/*
 * kidx.h: a key index for verify --key, one side of a comparison held as
 * key hash -> row hash, so that the other side can be streamed past it.
 *
 * It is a sorted array of 16-byte entries (the XXH3-64 of the key's
 * canonical bytes and the row hash) with a byte of state per entry and a
 * directory on the top bits of the key hash, so a lookup touches one or
 * two cache lines. While rows are added the array grows by half, so the
 * index never holds more than 27 bytes a row (24 while filling, 19 once
 * sealed): the 32-byte budget of docs/design.md. Keys are kept as hashes
 * only; a caller that must name a key reads the row again.
 *
 * Duplicate keys and duplicate rows are allowed: the index is a multiset
 * and each entry can be matched once.
 */
#ifndef SLUICE_KIDX_H
#define SLUICE_KIDX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum kidx_state {
	KIDX_FREE,	/* not matched yet */
	KIDX_TAKEN,	/* matched by a row of the other side */
	KIDX_DONE	/* accounted for otherwise (rejected, reported) */
};

enum kidx_match {
	KIDX_NONE,	/* no free entry with this key */
	KIDX_SAME,	/* a free entry with this key and this row hash */
	KIDX_CHANGED	/* free entries with this key, other row hashes */
};

struct kidx;

struct kidx *kidx_new(void);
void kidx_free(struct kidx *ix);

/* Adds an entry; only before kidx_seal(). False (reported) without memory. */
bool kidx_add(struct kidx *ix, uint64_t key, uint64_t row);

/* Sorts and builds the directory; after it, no more kidx_add. */
bool kidx_seal(struct kidx *ix);

/*
 * Matches a row of the other side: takes (marks KIDX_TAKEN) the free entry
 * with the same key and row hash, else the first free entry with the same
 * key. *at is the entry taken.
 */
enum kidx_match kidx_match(struct kidx *ix, uint64_t key, uint64_t row,
    size_t *at);

/* The first entry with key and row hash in state st, or SIZE_MAX. */
size_t kidx_find(const struct kidx *ix, uint64_t key, uint64_t row,
    enum kidx_state st);

size_t kidx_len(const struct kidx *ix);
uint64_t kidx_key(const struct kidx *ix, size_t i);
uint64_t kidx_row(const struct kidx *ix, size_t i);
enum kidx_state kidx_state(const struct kidx *ix, size_t i);
void kidx_set(struct kidx *ix, size_t i, enum kidx_state st);

/* Bytes held now, for the memory budget. */
size_t kidx_bytes(const struct kidx *ix);

#endif
