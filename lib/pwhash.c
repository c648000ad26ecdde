/*
 * pwhash.c: generated passwords and their bcrypt or Django PBKDF2
 * hashes. See pwhash.h.
 */
#include <crypt.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include <nettle/base64.h>
#include <nettle/pbkdf2.h>

#include "pwhash.h"

static const char urlsafe[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
/* django.utils.crypto.RANDOM_STRING_CHARS */
static const char django[] =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

#define DJANGO_SALT	22	/* ceil(128 / log2(62)) */
#define BCRYPT_SALT	16	/* random bytes in a bcrypt salt */

size_t
pw_scratch_size(void)
{
	return sizeof(struct crypt_data);
}

/* Fills p[0..n) from the kernel's generator; EINTR is retried. */
static bool
fill(void *p, size_t n)
{
	char *s = p;
	ssize_t got;

	while (n > 0) {
		if ((got = getrandom(s, n, 0)) < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		s += got;
		n -= (size_t)got;
	}
	return true;
}

/*
 * n characters of alphabet (alen of them, 2 to 256) into out, NUL
 * after them. Unbiased: a random byte b is used only when it is below
 * the largest multiple of alen that fits in a byte, and then b % alen
 * picks the character; the other bytes are drawn again. For 64
 * characters no byte is ever drawn again.
 */
bool
pw_random(char *out, size_t n, const char *alphabet, size_t alen)
{
	unsigned char r[64];
	unsigned limit;
	size_t i = 0, j;

	if (alen < 2 || alen > 256) {
		errno = EINVAL;
		return false;
	}
	limit = 256 - 256 % (unsigned)alen;
	while (i < n) {
		if (!fill(r, sizeof(r)))
			return false;
		for (j = 0; j < sizeof(r) && i < n; j++)
			if (r[j] < limit)
				out[i++] = alphabet[r[j] % alen];
	}
	out[n] = '\0';
	explicit_bzero(r, sizeof(r));
	return true;
}

bool
pw_generate(char out[PW_LEN + 1])
{
	return pw_random(out, PW_LEN, urlsafe, sizeof(urlsafe) - 1);
}

/*
 * bcrypt of pw under setting ("$2b$CC$" and 22 salt characters).
 * scratch: pw_scratch_size() bytes, zeroed before their first use (as
 * crypt_rn asks of a new struct crypt_data) and then kept by one thread.
 */
bool
pw_bcrypt(const char *pw, const char *setting, char out[PW_HASH_MAX],
    void *scratch)
{
	const char *h;
	size_t n;

	errno = 0;
	if ((h = crypt_rn(pw, setting, scratch,
	    (int)sizeof(struct crypt_data))) == NULL) {
		if (errno == 0)
			errno = EINVAL;
		return false;
	}
	if ((n = strlen(h)) >= PW_HASH_MAX) {
		errno = EOVERFLOW;
		return false;
	}
	memcpy(out, h, n + 1);
	return true;
}

/* Django's PBKDF2PasswordHasher.encode(pw, salt, iterations). */
bool
pw_pbkdf2_sha256(const char *pw, const char *salt, unsigned long iterations,
    char out[PW_HASH_MAX])
{
	uint8_t dk[32];
	char b64[BASE64_ENCODE_RAW_LENGTH(sizeof(dk)) + 1];
	int n;

	if (iterations == 0 || iterations > UINT_MAX) {
		errno = EINVAL;
		return false;
	}
	pbkdf2_hmac_sha256(strlen(pw), (const uint8_t *)pw,
	    (unsigned)iterations, strlen(salt), (const uint8_t *)salt,
	    sizeof(dk), dk);
	base64_encode_raw(b64, sizeof(dk), dk);
	b64[sizeof(b64) - 1] = '\0';
	explicit_bzero(dk, sizeof(dk));
	n = snprintf(out, PW_HASH_MAX, "pbkdf2_sha256$%lu$%s$%s", iterations,
	    salt, b64);
	if (n < 0 || n >= PW_HASH_MAX) {
		errno = EOVERFLOW;
		return false;
	}
	return true;
}

/*
 * The hash of pw under scheme at cost (bcrypt's log2 rounds, PBKDF2's
 * iterations), with a fresh random salt. scratch: as for pw_bcrypt.
 */
bool
pw_hash(enum pw_scheme scheme, unsigned long cost, const char *pw,
    char out[PW_HASH_MAX], void *scratch)
{
	char rb[BCRYPT_SALT], setting[CRYPT_GENSALT_OUTPUT_SIZE];
	char salt[DJANGO_SALT + 1];

	if (scheme == PW_PBKDF2_SHA256)
		return pw_random(salt, DJANGO_SALT, django,
		    sizeof(django) - 1) &&
		    pw_pbkdf2_sha256(pw, salt, cost, out);
	if (!fill(rb, sizeof(rb)))
		return false;
	errno = 0;
	if (crypt_gensalt_rn("$2b$", cost, rb, (int)sizeof(rb), setting,
	    (int)sizeof(setting)) == NULL) {
		if (errno == 0)
			errno = EINVAL;
		return false;
	}
	explicit_bzero(rb, sizeof(rb));
	return pw_bcrypt(pw, setting, out, scratch);
}
