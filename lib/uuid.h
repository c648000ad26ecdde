/*
 * uuid.h: RFC 4122 UUIDs, as 16 bytes and as PostgreSQL's text form
 * (36 characters, lower-case hex, hyphens 8-4-4-4-12).
 *
 * Version 5 is SHA-1 (from nettle) of a namespace UUID and a name: the
 * same namespace and name give the same UUID everywhere, which is what
 * lets re-runs and parallel shards of remap agree without sharing a map.
 * Version 4 is random, from getrandom(2).
 */
#ifndef SLUICE_UUID_H
#define SLUICE_UUID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <nettle/sha1.h>

#define SL_UUID_LEN	16
#define SL_UUID_TEXT	36	/* characters of the text form, no NUL */

/* RFC 4122 appendix C: the namespace for URLs. */
extern const uint8_t sl_uuid_ns_url[SL_UUID_LEN];

/*
 * A version-5 generator for one namespace: the SHA-1 state after the
 * namespace, kept so that each name only hashes its own bytes.
 */
struct sl_uuid5 {
	struct sha1_ctx	 ctx;
	uint8_t		 ns[SL_UUID_LEN];
};

bool sl_uuid_parse(const char *s, size_t n, uint8_t out[SL_UUID_LEN]);
void sl_uuid_fmt(const uint8_t u[SL_UUID_LEN], char out[SL_UUID_TEXT]);
void sl_uuid5_init(struct sl_uuid5 *g, const uint8_t ns[SL_UUID_LEN]);
void sl_uuid5(const struct sl_uuid5 *g, const void *name, size_t n,
    uint8_t out[SL_UUID_LEN]);
bool sl_uuid5_ns(struct sl_uuid5 *g, const char *spec);
bool sl_uuid4(uint8_t out[SL_UUID_LEN]);

#endif
