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

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Parses the 36-character form, either case. PostgreSQL also accepts
 * braces and missing hyphens on input, but it never prints them, and a
 * map or a namespace we read was printed by something.
 */
bool
sl_uuid_parse(const char *s, size_t n, uint8_t out[SL_UUID_LEN])
{
	size_t i, k = 0;
	int hi, lo;

	if (n != SL_UUID_TEXT)
		return false;
	for (i = 0; i < n; i += 2) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
			i++;
		}
		if ((hi = hexval(s[i])) < 0 || (lo = hexval(s[i + 1])) < 0)
			return false;
		out[k++] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

void
sl_uuid_fmt(const uint8_t u[SL_UUID_LEN], char out[SL_UUID_TEXT])
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < SL_UUID_LEN; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*out++ = '-';
		*out++ = digits[u[i] >> 4];
		*out++ = digits[u[i] & 15];
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
