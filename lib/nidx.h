/*
 * nidx.h: an index of names, for looking names up among many: a header's
 * columns (rs_header_find, the duplicate check of rs_header_check) and a
 * program's lists matched against them, so that a header of a million
 * columns is checked and matched in linear time.
 *
 * It maps a NUL-terminated name to a number, usually the name's position
 * in the caller's list, and holds only pointers: the names must outlive
 * the index and not change. The first number given to a name stays.
 *
 * Open addressing with linear probing, at most half full; a slot holds
 * the name's pointer, a 32-bit hash of it (XXH3-64, folded) and its
 * number, so a lookup hashes the name once and compares bytes only
 * where the hashes are equal. Functions here do not report errors: a
 * caller that can do without the index (rs_header_find scans instead)
 * decides what running out of memory means.
 */
#ifndef SLUICE_NIDX_H
#define SLUICE_NIDX_H

#include <stddef.h>
#include <stdint.h>

#define SL_NIDX_MAX	0x7fffffffUL	/* largest number a name can have */

struct sl_nidx;

struct sl_nidx *sl_nidx_new(size_t n);
void sl_nidx_free(struct sl_nidx *x);
long sl_nidx_add(struct sl_nidx *x, const char *name, size_t val);
long sl_nidx_find(const struct sl_nidx *x, const char *name);
uint32_t sl_nidx_hash(const char *name);

#endif
