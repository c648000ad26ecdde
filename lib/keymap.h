/*
 * keymap.h: a hash map from old keys to new ones, for remap's foreign
 * keys (and, with no values, a set of keys that exist).
 *
 * Keys are matched by their text form, so that the integer 42 and the
 * string "42" are the same key, while "042" is another: a key whose text
 * is a canonical decimal integer in int64's range is stored as that
 * integer (8 bytes), any other key (a Mongo ObjectId, a code) as its
 * bytes in an arena. Values are all of one size per map: 0 (a set),
 * 8 (an int64) or 16 (a UUID's bytes).
 *
 * The layout is for ten million pairs and more: entries (8 bytes of key
 * and the value) are appended to fixed chunks that never move, and an
 * open-addressing index of 32-bit slots (entry number and, in the bits
 * the number does not need, a tag of the hash) points at them, at most
 * three quarters full. A bigint -> UUID pair costs 24 bytes of entry and
 * 5 to 11 of index; growing rehashes the index only. Lookups do not
 * allocate.
 */
#ifndef SLUICE_KEYMAP_H
#define SLUICE_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sl_keymap;

struct sl_keymap *sl_keymap_new(size_t vsize);
void sl_keymap_free(struct sl_keymap *m);
size_t sl_keymap_vsize(const struct sl_keymap *m);
size_t sl_keymap_count(const struct sl_keymap *m);
size_t sl_keymap_bytes(const struct sl_keymap *m);
void sl_keymap_reserve(struct sl_keymap *m, size_t n);

/*
 * Adds key -> val (vsize bytes; NULL for a set). Returns 1 when added,
 * 0 when the key was already there (its value is kept and *old, if not
 * NULL, points at it), -1 when memory ran out (reported).
 */
int sl_keymap_put_int(struct sl_keymap *m, int64_t key, const void *val,
    const void **old);
int sl_keymap_put_text(struct sl_keymap *m, const char *key, size_t n,
    const void *val, const void **old);

/* The key's value (for a set: any non-NULL pointer), or NULL. */
const void *sl_keymap_get_int(const struct sl_keymap *m, int64_t key);
const void *sl_keymap_get_text(const struct sl_keymap *m, const char *key,
    size_t n);

/*
 * The key's value for the caller to change in place (a counter kept per
 * key), or NULL. It stays where it is while the map grows.
 */
void *sl_keymap_ref_text(struct sl_keymap *m, const char *key, size_t n);

/*
 * Reads a map file: a row stream (any number of segments) whose first
 * column is the old key and, unless set, whose second and last column
 * is the new one. The map's values are int64 when that column is of an
 * integer type and UUIDs otherwise (each value must then be a UUID's
 * text). Rows whose old key is NULL are skipped (they map nothing: in
 * "select old_id, id from users", the users V1 never had); a NULL new
 * key, or a key given two different new ones, is an error. Returns the
 * map, or NULL with *status set to an exit status (the error reported).
 */
struct sl_keymap *sl_keymap_load(const char *path, bool set, int *status);

#endif
