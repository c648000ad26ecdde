/*
 * Unit tests of lib/uuid.c. The expected version-5 values come from
 * Python's uuid.uuid5, an independent implementation.
 */
#include <string.h>

#include "err.h"
#include "uuid.h"
#include "unit.h"

static const char dns[] = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";

/* uuid5(ns, name) as text, ns given as remap's users give it. */
static void
v5(const char *ns, const char *name, size_t n, char out[SL_UUID_TEXT + 1])
{
	struct sl_uuid5 g;
	uint8_t u[SL_UUID_LEN];

	CHECK(sl_uuid5_ns(&g, ns));
	sl_uuid5(&g, name, n, u);
	sl_uuid_fmt(u, out);
	out[SL_UUID_TEXT] = '\0';
}

static void
test_v5_python(void)
{
	static const struct {
		const char	*ns, *name, *want;
	} cases[] = {
		/* uuid.uuid5(uuid.NAMESPACE_DNS, "python.org") */
		{ dns, "python.org", "886313e1-3b8a-5372-9b90-0c9aee199e5d" },
		/* a name: uuid5(NAMESPACE_URL, "school") */
		{ "school", "42", "a82a55e3-8476-57ab-beff-d5d21f3ef0f8" },
		{ "5cdcec85-7ef0-572f-aae3-5370d2ba3a11", "42",
		    "a82a55e3-8476-57ab-beff-d5d21f3ef0f8" },
		{ "school", "", "1954638e-5ad2-58e1-aaef-06dc2274e3da" },
	};
	char got[SL_UUID_TEXT + 1], x[101];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		v5(cases[i].ns, cases[i].name, strlen(cases[i].name), got);
		CHECKF(strcmp(got, cases[i].want) == 0, "%s/%s: %s",
		    cases[i].ns, cases[i].name, got);
	}
	/* a name longer than a SHA-1 block */
	memset(x, 'x', 100);
	x[100] = '\0';
	v5("school", x, 100, got);
	CHECKF(strcmp(got, "d8817fef-a18e-54e5-91b5-0f82f0c43656") == 0, "%s",
	    got);
}

static void
test_ns(void)
{
	struct sl_uuid5 g;

	sl_err_quiet(true);
	CHECK(!sl_uuid5_ns(&g, ""));
	sl_err_quiet(false);
	CHECK(sl_uuid5_ns(&g, dns));
	CHECK(memcmp(g.ns, sl_uuid_ns_url, SL_UUID_LEN) != 0);
	CHECK(sl_uuid5_ns(&g, "6BA7B811-9DAD-11D1-80B4-00C04FD430C8"));
	CHECK(memcmp(g.ns, sl_uuid_ns_url, SL_UUID_LEN) == 0);
}

static void
test_parse(void)
{
	static const char *const bad[] = {
		"", "6ba7b810-9dad-11d1-80b4-00c04fd430c",
		"6ba7b810-9dad-11d1-80b4-00c04fd430c8a",
		"6ba7b8109dad-11d1-80b4-00c04fd430c8a",
		"6ba7b810-9dad-11d1-80b4-00c04fd430cg",
		"6ba7b810 9dad-11d1-80b4-00c04fd430c8",
		"{ba7b810-9dad-11d1-80b4-00c04fd430c}",
	};
	uint8_t u[SL_UUID_LEN];
	char out[SL_UUID_TEXT];
	size_t i;

	CHECK(sl_uuid_parse(dns, strlen(dns), u));
	CHECK(u[0] == 0x6b && u[15] == 0xc8);
	sl_uuid_fmt(u, out);
	CHECK(memcmp(out, dns, SL_UUID_TEXT) == 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECKF(!sl_uuid_parse(bad[i], strlen(bad[i]), u), "%s", bad[i]);
}

static void
test_v4(void)
{
	uint8_t a[SL_UUID_LEN], b[SL_UUID_LEN];
	int i;

	/* more than one pool of noise, and every one stamped */
	for (i = 0; i < 1000; i++) {
		CHECK(sl_uuid4(a));
		CHECK(sl_uuid4(b));
		CHECK(memcmp(a, b, SL_UUID_LEN) != 0);
		CHECK(a[6] >> 4 == 4 && (a[8] & 0xc0) == 0x80);
	}
}

int
main(void)
{
	run("uuid5 agrees with python's uuid.uuid5", test_v5_python);
	run("uuid5 namespaces: a UUID or a name", test_ns);
	run("uuid text form: parse and format", test_parse);
	run("uuid4: random, version 4, variant 1", test_v4);
	return unit_bad != 0;
}
