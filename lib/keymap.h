/*
 * keymap.h: a hash map from old keys to new ones, for remap's foreign
 * keys (and, with no values, a set of keys that exist).
 *
 * Keys are matched by their text form, so that the integer 42 and the
 * string "42" are the same key, while "042" is another: a key whose text
 * is a canonical decimal integer in int64's range is stored as that
 * integer (8 bytes), any other key (a Mongo ObjectId, a code) as its
 * bytes in an arena. Values are all of one kind per map: none (a
 * set), an int64 (8 bytes), a UUID's bytes (16), or text of any length
 * (for a target keyed by text: 8 bytes, the offset of its length and
 * bytes in the arena, beside the string keys).
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

/* What a map's values are. */
enum sl_keymap_kind {
	SL_KEYMAP_SET,		/* none: a set of keys */
	SL_KEYMAP_INT,		/* int64 */
	SL_KEYMAP_UUID,		/* a UUID's 16 bytes */
	SL_KEYMAP_TEXT		/* text: put and get with struct sl_keymap_text */
};

/* A text value: what put takes and sl_keymap_text gives for a text map. */
struct sl_keymap_text {
	const char	*p;
	size_t		 n;
};

struct sl_keymap *sl_keymap_new(enum sl_keymap_kind kind);
void sl_keymap_free(struct sl_keymap *m);
enum sl_keymap_kind sl_keymap_kind(const struct sl_keymap *m);
const char *sl_keymap_kind_name(enum sl_keymap_kind kind);
size_t sl_keymap_count(const struct sl_keymap *m);
size_t sl_keymap_bytes(const struct sl_keymap *m);
void sl_keymap_reserve(struct sl_keymap *m, size_t n);

/*
 * Adds key -> val: an int64, 16 bytes of UUID or a struct sl_keymap_text
 * (its bytes copied), by the map's kind; NULL for a set. Returns 1 when
 * added, 0 when the key was already there (its value is kept and *old,
 * if not NULL, points at it, as get would), -1 when memory ran out
 * (reported).
 */
int sl_keymap_put_int(struct sl_keymap *m, int64_t key, const void *val,
    const void **old);
int sl_keymap_put_text(struct sl_keymap *m, const char *key, size_t n,
    const void *val, const void **old);

/*
 * The key's value (for a set: any non-NULL pointer), or NULL. It stays
 * valid until the next put; for a text map, sl_keymap_text reads it.
 */
const void *sl_keymap_get_int(const struct sl_keymap *m, int64_t key);
const void *sl_keymap_get_text(const struct sl_keymap *m, const char *key,
    size_t n);
struct sl_keymap_text sl_keymap_text(const struct sl_keymap *m,
    const void *val);

/* An int map's largest value; false when it has none. */
bool sl_keymap_max(const struct sl_keymap *m, int64_t *max);

/*
 * The key's value for the caller to change in place (a counter kept per
 * key), or NULL. It stays where it is while the map grows.
 */
void *sl_keymap_ref_text(struct sl_keymap *m, const char *key, size_t n);

/*
 * Reads a map file: a row stream (any number of segments) whose first
 * column is the old key and, unless set, whose second and last column
 * is the new one. The map's values are int64 when that column is of an
 * integer type, UUIDs when it is of type uuid (each value must then be
 * a UUID's text), and text otherwise. Rows whose old key is NULL are
 * skipped (they map nothing: in "select old_id, id from users", the
 * users V1 never had); a NULL new key, or a key given two different new
 * ones, is an error. A stream of no segment is an empty map whose
 * sl_keymap_type is NULL. Returns the map, or NULL with *status set to
 * an exit status (the error reported).
 */
struct sl_keymap *sl_keymap_load(const char *path, bool set, int *status);

/*
 * The type name of a loaded map's new key column (its first segment's),
 * or NULL for a set or a map made by sl_keymap_new or of no segment.
 */
const char *sl_keymap_type(const struct sl_keymap *m);

#endif
