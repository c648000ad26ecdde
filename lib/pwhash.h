/*
 * pwhash.h: generated passwords and the hashes that applications store
 * for them, for a migration that gives users without one a password
 * (transform/password.c).
 *
 * A password is PW_LEN characters drawn with getrandom(2) from the 64
 * URL-safe characters (RFC 4648 section 5: A-Z a-z 0-9 - _), each
 * character chosen without bias: 6 random bits, 132 bits in all. A hash
 * is either bcrypt in the "$2b$" form that libxcrypt writes (and
 * GoTrue, Rails' bcrypt gem, Laravel and PHP's password_verify accept)
 * or Django's "pbkdf2_sha256$ITERATIONS$SALT$HASH", with a salt of 22
 * characters from Django's alphabet (a-z A-Z 0-9: 128 bits, as Django's
 * salt_entropy asks) and the 32-byte PBKDF2-HMAC-SHA256 in base64.
 *
 * These functions are called from several threads at once: they touch
 * no state but their arguments, and report nothing (not even through
 * sl_err): they return false and leave errno set, and the caller, who
 * knows the row, reports. Nothing here allocates.
 */
#ifndef SLUICE_PWHASH_H
#define SLUICE_PWHASH_H

#include <stdbool.h>
#include <stddef.h>

#define PW_LEN		22	/* characters of a generated password */
#define PW_HASH_MAX	160	/* a hash's bytes, its NUL included */

/* Defaults: Laravel's and Rails' bcrypt cost; Django 5.2's iterations. */
#define PW_BCRYPT_COST		12
#define PW_BCRYPT_MIN		4
#define PW_BCRYPT_MAX		31
#define PW_PBKDF2_ITERATIONS	1000000UL

enum pw_scheme { PW_BCRYPT, PW_PBKDF2_SHA256 };

/* What pw_hash needs of scratch memory a thread owns (bcrypt's). */
size_t pw_scratch_size(void);

bool pw_random(char *out, size_t n, const char *alphabet, size_t alen);
bool pw_generate(char out[PW_LEN + 1]);
bool pw_hash(enum pw_scheme scheme, unsigned long cost, const char *pw,
    char out[PW_HASH_MAX], void *scratch);
bool pw_bcrypt(const char *pw, const char *setting, char out[PW_HASH_MAX],
    void *scratch);
bool pw_pbkdf2_sha256(const char *pw, const char *salt,
    unsigned long iterations, char out[PW_HASH_MAX]);

#endif
