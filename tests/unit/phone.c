/*
 * Unit tests of lib/phone.h, the libphonenumber shim: the forms the
 * issue names, each reason, what the C side relies on (lengths, bytes
 * that are not text, the same reason pointer). tests/cli/phone.sh
 * compares thousands more with python3-phonenumbers.
 */
#include <string.h>

#include "phone.h"
#include "unit.h"

static struct sl_phone *ph;

/* want: the E.164 form, or "! reason" */
static void
one(const char *region, const char *in, size_t n, const char *want)
{
	char out[SL_PHONE_E164_SIZE];
	const char *why = NULL;
	size_t len = 99;

	if (sl_phone_e164(ph, in, n, region, strlen(region), out, &len,
	    &why)) {
		CHECKF(want[0] == '+' && strcmp(out, want) == 0 &&
		    len == strlen(want), "%s/%s: got %s (%zu), wanted %s",
		    region, in, out, len, want);
	} else {
		CHECKF(want[0] == '!' && why != NULL &&
		    strcmp(why, want + 2) == 0, "%s/%s: got ! %s, wanted %s",
		    region, in, why ? why : "(null)", want);
	}
}

#define ONE(r, s, w)	one((r), (s), strlen(s), (w))

static void
test_forms(void)
{
	ONE("US", "(202) 555-0143", "+12025550143");
	ONE("US", "202.555.0143", "+12025550143");
	ONE("US", "202-555-0143", "+12025550143");
	ONE("US", "+1 202 555 0143", "+12025550143");
	ONE("US", "1 (202) 555-0143", "+12025550143");
	ONE("US", "tel:+1-202-555-0143", "+12025550143");
	/* the international prefix is the region's: 00 in GB, 011 in US */
	ONE("GB", "0044 20 7946 0958", "+442079460958");
	ONE("DE", "0044 20 7946 0958", "+442079460958");
	ONE("US", "011 44 20 7946 0958", "+442079460958");
	ONE("GB", "020 7946 0958", "+442079460958");
	/* a "+" wins over the region */
	ONE("FR", "+1 202 555 0143", "+12025550143");
	ONE("FR", "01 23 45 67 89", "+33123456789");
	ONE("US", "1-800-FLOWERS", "+18003569377");
}

static void
test_extension_dropped(void)
{
	ONE("US", "(202) 555-0143 ext. 12", "+12025550143");
	ONE("US", "202-555-0143 x12", "+12025550143");
	ONE("US", "+1 202 555 0143;ext=12", "+12025550143");
	ONE("GB", "020 7946 0958 ext 7", "+442079460958");
}

static void
test_reasons(void)
{
	ONE("US", "", "! not a number");
	ONE("US", "n/a", "! not a number");
	ONE("US", "+", "! not a number");
	ONE("US", "202 555 0143", "+12025550143");
	ONE("XX", "202 555 0143", "! unknown region");
	ONE("", "202 555 0143", "! unknown region");
	ONE("XX", "+1 202 555 0143", "+12025550143");
	ONE("US", "+999 1234 5678", "! invalid country code");
	ONE("US", "2", "! not a number");
	ONE("US", "20", "! too short");
	ONE("US", "+44 1", "! too short");
	ONE("US", "202 555 0143 9", "! too long");
	ONE("US", "0044 20 7946 0958", "! too long");
	ONE("DE", "030 1234", "+49301234");
	ONE("AU", "+61 1800 1123 456", "! invalid length");
	ONE("US", "555-0143", "! local number");
	ONE("US", "(999) 555-0143", "! invalid number");
	ONE("US", "(202) 155-0143", "! invalid number");
}

/* Region codes as a country column has them. */
static void
test_region(void)
{
	ONE("us", "202 555 0143", "+12025550143");
	ONE("Gb", "020 7946 0958", "+442079460958");
	ONE("USA", "202 555 0143", "! unknown region");
	ONE("United States", "202 555 0143", "! unknown region");
	ONE("001", "+800 1234 5678", "+80012345678");
	ONE("001", "800 1234 5678", "! unknown region");
	CHECK(sl_phone_region_ok("US", 2));
	CHECK(sl_phone_region_ok("us", 2));
	CHECK(sl_phone_region_ok("GBX", 2));	/* only rlen bytes count */
	CHECK(!sl_phone_region_ok("XX", 2));
	CHECK(!sl_phone_region_ok("ZZ", 2));
	CHECK(!sl_phone_region_ok("", 0));
	CHECK(!sl_phone_region_ok("United States", 13));
}

/* Values come from a row stream: counted bytes, not C strings. */
static void
test_bytes(void)
{
	one("US", "202 555 0143garbage", 12, "+12025550143");
	one("US", "202 555\0 0143", 13, "! not a number");
	one("US", "202 555 01\xff" "43", 13, "! not a number");
	one("US", "\xc3(202) 555-0143", 15, "! not a number");
	/* UTF-8 that is not ASCII: fullwidth and Arabic-Indic digits */
	ONE("US", "\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92 555 0143",
	    "+12025550143");
	ONE("EG", "\xd9\xa0\xd9\xa2 \xd9\xa2\xd9\xa3\xd9\xa4\xd9\xa5 "
	    "\xd9\xa6\xd9\xa7\xd9\xa8\xd9\xa9", "+20223456789");
}

/* A caller may count refusals by pointer, and the buffer is reused. */
static void
test_reuse(void)
{
	char out[SL_PHONE_E164_SIZE];
	const char *w1 = NULL, *w2 = NULL;
	size_t len;
	int i, good = 0;

	CHECK(!sl_phone_e164(ph, "abc", 3, "US", 2, out, &len, &w1));
	CHECK(!sl_phone_e164(ph, "xyz", 3, "GB", 2, out, &len, &w2));
	CHECK(w1 != NULL && w1 == w2);
	for (i = 0; i < 1000; i++) {
		const char *s = i % 2 ? "+44 20 7946 0958" : "(202) 555-0143";
		const char *why;

		if (sl_phone_e164(ph, s, strlen(s), "US", 2, out, &len, &why) &&
		    strcmp(out, i % 2 ? "+442079460958" : "+12025550143") == 0)
			good++;
	}
	CHECK(good == 1000);
	/* a second handle is independent of the first */
	{
		struct sl_phone *p2 = sl_phone_new();
		const char *why;

		CHECK(p2 != NULL);
		CHECK(p2 != NULL && sl_phone_e164(p2, "020 7946 0958", 13,
		    "GB", 2, out, &len, &why) && len == 13);
		sl_phone_free(p2);
	}
}

int
main(void)
{
	if ((ph = sl_phone_new()) == NULL) {
		printf("not ok - sl_phone_new\n");
		return 1;
	}
	run("e164: national and international forms", test_forms);
	run("e164: extensions are dropped", test_extension_dropped);
	run("e164: each reason for a refusal", test_reasons);
	run("e164: region codes, any case; unknown regions", test_region);
	run("e164: counted bytes, NULs, invalid UTF-8, wide digits",
	    test_bytes);
	run("e164: static reasons, reused buffers, two handles", test_reuse);
	sl_phone_free(ph);
	sl_phone_free(NULL);
	return unit_bad != 0;
}
