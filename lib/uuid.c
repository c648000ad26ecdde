/*
 * uuid.c: UUIDs of versions 4 and 5, and their text form. See uuid.h.
 */
#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "err.h"
#include "uuid.h"

#define POOL	4096	/* random bytes fetched per getrandom(2) call */

const uint8_t sl_uuid_ns_url[SL_UUID_LEN] = {
	0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
	0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8
};

/* Hex digit values plus one, 0 for anything else: parsing maps is hot. */
static const uint8_t hexval[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5,
	['5'] = 6, ['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
	['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15,
	['f'] = 16, ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14,
	['E'] = 15, ['F'] = 16,
};

/*
 * Parses the 36-character form, either case. PostgreSQL also accepts
 * braces and missing hyphens on input, but it never prints them, and a
 * map or a namespace we read was printed by something.
 */
bool
sl_uuid_parse(const char *s, size_t n, uint8_t out[SL_UUID_LEN])
{
	static const uint8_t at[SL_UUID_LEN] = { 0, 2, 4, 6, 9, 11, 14, 16,
	    19, 21, 24, 26, 28, 30, 32, 34 };
	const unsigned char *p = (const unsigned char *)s;
	int bad = 0, hi, lo;
	size_t i;

	if (n != SL_UUID_TEXT || p[8] != '-' || p[13] != '-' ||
	    p[18] != '-' || p[23] != '-')
		return false;
	for (i = 0; i < SL_UUID_LEN; i++) {
		hi = hexval[p[at[i]]];
		lo = hexval[p[at[i] + 1]];
		bad |= hi == 0 || lo == 0;
		out[i] = (uint8_t)((unsigned)(hi - 1) << 4 |
		    (unsigned)(lo - 1));
	}
	return !bad;
}

void
sl_uuid_fmt(const uint8_t u[SL_UUID_LEN], char out[SL_UUID_TEXT])
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < SL_UUID_LEN; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*out++ = '-';
		out[0] = digits[u[i] >> 4];
		out[1] = digits[u[i] & 15];
		out += 2;
	}
}

/* Stamps the version and the RFC 4122 variant on 16 bytes of hash or noise. */
static void
stamp(uint8_t u[SL_UUID_LEN], int version)
{
	u[6] = (uint8_t)((u[6] & 0x0f) | version << 4);
	u[8] = (uint8_t)((u[8] & 0x3f) | 0x80);
}

void
sl_uuid5_init(struct sl_uuid5 *g, const uint8_t ns[SL_UUID_LEN])
{
	memcpy(g->ns, ns, SL_UUID_LEN);
	sha1_init(&g->ctx);
	sha1_update(&g->ctx, SL_UUID_LEN, ns);
}

/* The version-5 UUID of the generator's namespace and name (n bytes). */
void
sl_uuid5(const struct sl_uuid5 *g, const void *name, size_t n,
    uint8_t out[SL_UUID_LEN])
{
	struct sha1_ctx ctx = g->ctx;
	uint8_t d[SHA1_DIGEST_SIZE];

	sha1_update(&ctx, n, name);
	sha1_digest(&ctx, sizeof(d), d);
	memcpy(out, d, SL_UUID_LEN);
	stamp(out, 5);
}

/*
 * A namespace as a user gives it: a UUID, or any other text, which names
 * the namespace uuid5(NAMESPACE_URL, text), as Python's
 * uuid.uuid5(uuid.NAMESPACE_URL, text) does. False (reported) when empty.
 */
bool
sl_uuid5_ns(struct sl_uuid5 *g, const char *spec)
{
	struct sl_uuid5 url;
	uint8_t ns[SL_UUID_LEN];

	if (*spec == '\0') {
		sl_err("an empty namespace");
		return false;
	}
	if (!sl_uuid_parse(spec, strlen(spec), ns)) {
		sl_uuid5_init(&url, sl_uuid_ns_url);
		sl_uuid5(&url, spec, strlen(spec), ns);
	}
	sl_uuid5_init(g, ns);
	return true;
}

/*
 * A random (version 4) UUID. Noise is fetched POOL bytes at a time so
 * that a stream of them costs one system call per 256 UUIDs.
 */
bool
sl_uuid4(uint8_t out[SL_UUID_LEN])
{
	static uint8_t pool[POOL];
	static size_t left;
	ssize_t n;

	while (left < SL_UUID_LEN) {
		n = getrandom(pool, sizeof(pool), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			sl_err("getrandom: %s", strerror(errno));
			return false;
		}
		left = (size_t)n;
	}
	left -= SL_UUID_LEN;
	memcpy(out, pool + left, SL_UUID_LEN);
	stamp(out, 4);
	return true;
}
