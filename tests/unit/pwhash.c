/*
 * pwhash: generated passwords and their hashes against known answers
 * made with the references (python3's hashlib.pbkdf2_hmac for Django's
 * format, python3-bcrypt's hashpw for bcrypt), and the pool that runs
 * them on several threads.
 */
#include <crypt.h>
#include <string.h>

#include "pool.h"
#include "pwhash.h"
#include "unit.h"

static struct crypt_data scratch;

/* base64(hashlib.pbkdf2_hmac('sha256', pw, salt, n)), Django's layout. */
static void
test_pbkdf2(void)
{
	char out[PW_HASH_MAX];

	CHECK(pw_pbkdf2_sha256("l\xc3\xa8tmein", "seasalt", 1000, out));
	CHECK(strcmp(out, "pbkdf2_sha256$1000$seasalt$"
	    "JgZryXe2Ga8ysg6XbzkLpTdyPQrHqsinbL9BnnhgX4A=") == 0);
	CHECK(pw_pbkdf2_sha256("correct horse", "abcdefghijklmnopqrstuv", 1,
	    out));
	CHECK(strcmp(out, "pbkdf2_sha256$1$abcdefghijklmnopqrstuv$"
	    "Uz8NbdtAU3v/rdCQQodrEuQ2mCJ/nqAIVG6B+dg1oY0=") == 0);
	CHECK(!pw_pbkdf2_sha256("x", "y", 0, out));
}

/* bcrypt.hashpw(pw, setting) */
static void
test_bcrypt(void)
{
	char out[PW_HASH_MAX];

	CHECK(pw_bcrypt("U6Xk-9_aQ2rT0bLmZp4wYc", "$2b$04$abcdefghijklmnopqrstuu",
	    out, &scratch));
	CHECK(strcmp(out, "$2b$04$abcdefghijklmnopqrstuu"
	    "FvwWJ2I6xjkceJvfyZeDD6U.m.jhYFS") == 0);
	CHECK(pw_bcrypt("U6Xk-9_aQ2rT0bLmZp4wYc", "$2b$05$/OK.fbVrR/bpIqNJ5ianF.",
	    out, &scratch));
	CHECK(strcmp(out, "$2b$05$/OK.fbVrR/bpIqNJ5ianF."
	    "LGd3Vohy433Lmr3LUscOpZTeO7KQroy") == 0);
	CHECK(!pw_bcrypt("x", "$2b$99$abcdefghijklmnopqrstuu", out, &scratch));
}

/* A fresh salt each time; the hash is the one its setting gives. */
static void
test_hash(void)
{
	char a[PW_HASH_MAX], b[PW_HASH_MAX], again[PW_HASH_MAX];
	char setting[30];

	CHECK(pw_hash(PW_BCRYPT, 4, "secret", a, &scratch));
	CHECK(pw_hash(PW_BCRYPT, 4, "secret", b, &scratch));
	CHECK(strlen(a) == 60 && strncmp(a, "$2b$04$", 7) == 0);
	CHECK(strcmp(a, b) != 0);
	memcpy(setting, a, 29);
	setting[29] = '\0';
	CHECK(pw_bcrypt("secret", setting, again, &scratch));
	CHECK(strcmp(a, again) == 0);
	CHECK(!pw_hash(PW_BCRYPT, 3, "secret", a, &scratch));

	CHECK(pw_hash(PW_PBKDF2_SHA256, 10, "secret", a, &scratch));
	CHECK(pw_hash(PW_PBKDF2_SHA256, 10, "secret", b, &scratch));
	CHECK(strncmp(a, "pbkdf2_sha256$10$", 17) == 0);
	CHECK(strlen(a) == 17 + 22 + 1 + 44);
	CHECK(strspn(a + 17, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV"
	    "WXYZ0123456789") == 22 && a[17 + 22] == '$');
	CHECK(strcmp(a, b) != 0);
	a[17 + 22] = '\0';
	CHECK(pw_pbkdf2_sha256("secret", a + 17, 10, again));
	CHECK(strcmp(again, b) != 0 && strncmp(again, a, 17) == 0);
}

/* Passwords: PW_LEN URL-safe characters, never the same twice. */
static void
test_generate(void)
{
	char a[PW_LEN + 1], b[PW_LEN + 1];
	int i;

	for (i = 0; i < 1000; i++) {
		CHECK(pw_generate(a) && pw_generate(b));
		CHECK(strlen(a) == PW_LEN && PW_LEN >= 16);
		CHECK(strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		    "0123456789-_") == PW_LEN);
		CHECK(strcmp(a, b) != 0);
	}
}

/*
 * Unbiased: with 200 characters, b % 200 over every byte would draw the
 * first 56 twice as often as the rest (bytes 200-255 land on them), 781
 * times in 100,000 draws instead of 500. Unbiased, each count is 500
 * give or take 22 (one sigma); the bounds are 6 sigma, which a correct
 * loop crosses about once in a billion runs and the biased one always.
 */
static void
test_random(void)
{
	static char s[100001];
	char alpha[200];
	size_t n[200], i, bad;
	unsigned c;

	for (i = 0; i < 200; i++)
		alpha[i] = (char)(i + 1);
	memset(n, 0, sizeof(n));
	CHECK(pw_random(s, 100000, alpha, 200));
	CHECK(s[100000] == '\0');
	for (i = 0, bad = 0; i < 100000; i++) {
		c = (unsigned char)s[i];
		if (c >= 1 && c <= 200)
			n[c - 1]++;
		else
			bad++;
	}
	CHECKF(bad == 0, "%zu characters not in the alphabet", bad);
	for (i = 0; i < 200; i++)
		CHECKF(n[i] > 366 && n[i] < 634, "character %zu: %zu times",
		    i, n[i]);
	CHECK(!pw_random(s, 4, "a", 1));
}

static void
twice(void *arg, size_t i, void *scratch_)
{
	int *v = arg;

	(void)scratch_;
	v[i] = v[i] * 2 + 1;
}

/* Every item of every batch done exactly once, whatever the threads. */
static void
test_pool(void)
{
	static int v[1000];
	struct sl_pool *p;
	size_t i, done, round;
	unsigned t;

	for (t = 1; t <= 4; t++) {
		CHECK((p = sl_pool_new(t, 64, twice)) != NULL);
		if (p == NULL)
			return;
		memset(v, 0, sizeof(v));
		for (round = 0; round < 3; round++) {
			sl_pool_start(p, v, round == 1 ? 7 : 1000);
			while (!sl_pool_wait(p, 0.01, &done))
				CHECK(done <= 1000);
			CHECK(!sl_pool_busy(p));
		}
		for (i = 0; i < 7; i++)
			CHECK(v[i] == 7);
		for (i = 7; i < 1000; i++)
			CHECK(v[i] == 3);
		sl_pool_start(p, v, 0);
		CHECK(sl_pool_wait(p, 0, NULL));
		sl_pool_start(p, v, 1000);
		sl_pool_free(p);	/* waits for the batch */
		CHECK(v[999] == 7);
	}
}

int
main(void)
{
	run("pbkdf2_sha256 agrees with hashlib, in Django's format", test_pbkdf2);
	run("bcrypt agrees with python3-bcrypt", test_bcrypt);
	run("pw_hash: a fresh salt each time, the hash its setting gives",
	    test_hash);
	run("pw_generate: URL-safe, 22 characters, never twice", test_generate);
	run("pw_random: every character of the alphabet as often", test_random);
	run("pool: every item of every batch once, 1 to 4 threads", test_pool);
	return unit_bad != 0;
}
