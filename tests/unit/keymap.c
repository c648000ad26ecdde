/*
 * Unit tests of lib/keymap.c: keys by their text form, growth, sets,
 * and map files read from row streams.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "exitcodes.h"
#include "keymap.h"
#include "rowstream.h"
#include "uuid.h"
#include "unit.h"

static int64_t
ival(const void *p)
{
	int64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static void
test_text_form(void)
{
	struct sl_keymap *m = sl_keymap_new(SL_KEYMAP_INT);
	int64_t v;
	const void *old;

	v = 1;
	CHECK(sl_keymap_put_int(m, 42, &v, NULL) == 1);
	v = 2;
	CHECK(sl_keymap_put_text(m, "042", 3, &v, NULL) == 1);
	v = 3;
	CHECK(sl_keymap_put_text(m, "-7", 2, &v, NULL) == 1);
	v = 4;
	CHECK(sl_keymap_put_text(m, "507f1f77bcf86cd799439011", 24, &v,
	    NULL) == 1);
	v = 5;
	CHECK(sl_keymap_put_text(m, "18446744073709551615", 20, &v, NULL) == 1);
	v = 6;
	CHECK(sl_keymap_put_int(m, INT64_MIN, &v, NULL) == 1);
	v = 9;
	CHECK(sl_keymap_put_text(m, "42", 2, &v, &old) == 0);
	CHECK(ival(old) == 1);
	CHECK(sl_keymap_count(m) == 6);
	CHECK(ival(sl_keymap_get_text(m, "42", 2)) == 1);
	CHECK(ival(sl_keymap_get_int(m, 42)) == 1);
	CHECK(ival(sl_keymap_get_text(m, "042", 3)) == 2);
	CHECK(ival(sl_keymap_get_int(m, -7)) == 3);
	CHECK(ival(sl_keymap_get_text(m, "507f1f77bcf86cd799439011", 24)) == 4);
	CHECK(ival(sl_keymap_get_text(m, "18446744073709551615", 20)) == 5);
	CHECK(ival(sl_keymap_get_text(m, "-9223372036854775808", 20)) == 6);
	CHECK(sl_keymap_get_text(m, "-0", 2) == NULL);
	CHECK(sl_keymap_get_text(m, "+42", 3) == NULL);
	CHECK(sl_keymap_get_text(m, "", 0) == NULL);
	CHECK(sl_keymap_get_text(m, "4", 1) == NULL);
	CHECK(sl_keymap_get_int(m, 0) == NULL);
	CHECK(sl_keymap_get_text(m, "507f1f77bcf86cd799439012", 24) == NULL);
	sl_keymap_free(m);
}

/* Many keys, both kinds: the index grows and every key is still found. */
static void
test_grow(void)
{
	struct sl_keymap *m = sl_keymap_new(SL_KEYMAP_UUID);
	uint8_t u[SL_UUID_LEN];
	const uint8_t *p;
	char s[32];
	int64_t i;
	int n;

	for (i = 0; i < 300000; i++) {
		memset(u, 0, sizeof(u));
		memcpy(u, &i, sizeof(i));
		if (i % 3 == 0) {
			n = snprintf(s, sizeof(s), "k%" PRId64, i);
			CHECK(sl_keymap_put_text(m, s, (size_t)n, u, NULL) == 1);
		} else {
			CHECK(sl_keymap_put_int(m, i * 7919, u, NULL) == 1);
		}
	}
	CHECK(sl_keymap_count(m) == 300000);
	for (i = 0; i < 300000; i++) {
		if (i % 3 == 0) {
			n = snprintf(s, sizeof(s), "k%" PRId64, i);
			p = sl_keymap_get_text(m, s, (size_t)n);
		} else {
			p = sl_keymap_get_int(m, i * 7919);
		}
		CHECKF(p != NULL && ival(p) == i, "key %" PRId64, i);
		if (p == NULL || ival(p) != i)
			break;
	}
	CHECK(sl_keymap_get_int(m, 1) == NULL);
	CHECK(sl_keymap_bytes(m) < 300000 * 48);
	sl_keymap_free(m);
}

static void
test_set(void)
{
	struct sl_keymap *m = sl_keymap_new(SL_KEYMAP_SET);

	CHECK(sl_keymap_put_text(m, "7", 1, NULL, NULL) == 1);
	CHECK(sl_keymap_put_int(m, 7, NULL, NULL) == 0);
	CHECK(sl_keymap_get_int(m, 7) != NULL);
	CHECK(sl_keymap_get_text(m, "7", 1) != NULL);
	CHECK(sl_keymap_get_int(m, 8) == NULL);
	sl_keymap_free(m);
}

/* The text a text map gives a key, as a C string (static). */
static const char *
tval(const struct sl_keymap *m, const void *v)
{
	static char b[64];
	struct sl_keymap_text t;

	if (v == NULL)
		return "(none)";
	t = sl_keymap_text(m, v);
	snprintf(b, sizeof(b), "%.*s", (int)t.n, t.p);
	return b;
}

/*
 * Text values live in the arena beside the string keys: they survive the
 * index's growth and the arena's, and an empty text is a value.
 */
static void
test_text_values(void)
{
	struct sl_keymap *m = sl_keymap_new(SL_KEYMAP_TEXT);
	struct sl_keymap_text t;
	const void *old;
	char k[32], v[32];
	int64_t i, max;
	int n;

	CHECK(sl_keymap_kind(m) == SL_KEYMAP_TEXT);
	t.p = "EN-101";
	t.n = 6;
	CHECK(sl_keymap_put_int(m, 1, &t, NULL) == 1);
	t.p = "";
	t.n = 0;
	CHECK(sl_keymap_put_text(m, "abc", 3, &t, NULL) == 1);
	t.p = "other";
	t.n = 5;
	CHECK(sl_keymap_put_text(m, "1", 1, &t, &old) == 0);
	CHECK(strcmp(tval(m, old), "EN-101") == 0);
	for (i = 0; i < 100000; i++) {
		n = snprintf(k, sizeof(k), "k%" PRId64, i);
		t.p = v;
		t.n = (size_t)snprintf(v, sizeof(v), "value %" PRId64, i);
		CHECK(sl_keymap_put_text(m, k, (size_t)n, &t, NULL) == 1);
		CHECK(sl_keymap_put_int(m, 1000 + i, &t, NULL) == 1);
	}
	CHECK(strcmp(tval(m, sl_keymap_get_int(m, 1)), "EN-101") == 0);
	CHECK(strcmp(tval(m, sl_keymap_get_text(m, "abc", 3)), "") == 0);
	CHECK(strcmp(tval(m, sl_keymap_get_text(m, "k77", 3)), "value 77") ==
	    0);
	CHECK(strcmp(tval(m, sl_keymap_get_int(m, 100999)), "value 99999") ==
	    0);
	CHECK(sl_keymap_get_int(m, 2) == NULL);
	CHECK(!sl_keymap_max(m, &max));
	sl_keymap_free(m);

	m = sl_keymap_new(SL_KEYMAP_INT);
	CHECK(!sl_keymap_max(m, &max));
	for (i = -5; i < 5; i++)
		CHECK(sl_keymap_put_int(m, i, &(int64_t){ 10 * i }, NULL) == 1);
	CHECK(sl_keymap_max(m, &max) && max == 40);
	sl_keymap_free(m);
}

/* Writes a stream of two columns (types given) to a temporary file. */
static char *
mapfile(const char *ktype, const char *vtype, int nrows,
    const char *const *vals)
{
	static char path[] = "/tmp/sluice-keymap.XXXXXX";
	struct rs_header *h = rs_header_new("map", 2);
	struct rs_writer *w;
	int fd, i;

	strcpy(path, "/tmp/sluice-keymap.XXXXXX");
	fd = mkstemp(path);
	w = rs_wopen(fd, path);
	if (ktype == NULL)	/* a stream of no segment */
		goto end;
	rs_header_setcol(h, 0, "old_id", ktype);
	rs_header_setcol(h, 1, "id", vtype);
	rs_begin(w, h);
	for (i = 0; i < nrows; i++) {
		rs_row_begin(w);
		if (strcmp(ktype, "text") == 0)
			rs_put_str(w, vals[2 * i], strlen(vals[2 * i]));
		else
			rs_put_int(w, atoi(vals[2 * i]));
		if (vals[2 * i + 1] == NULL)
			rs_put_nil(w);
		else if (strcmp(vtype, "int8") == 0 ||
		    strcmp(vtype, "int4") == 0)
			rs_put_int(w, atoi(vals[2 * i + 1]));
		else
			rs_put_str(w, vals[2 * i + 1], strlen(vals[2 * i + 1]));
		rs_row_end(w);
	}
	rs_end(w);
end:
	rs_wfinish(w);
	CHECK(rs_wclose(w));
	close(fd);
	rs_header_free(h);
	return path;
}

static void
test_load(void)
{
	static const char *const good[] = {
		"1", "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
		"2", "6BA7B811-9DAD-11D1-80B4-00C04FD430C8",
		"1", "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
	};
	static const char *const ints[] = { "abc", "10", "42", "11" };
	static const char *const conflict[] = {
		"1", "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
		"1", "6ba7b811-9dad-11d1-80b4-00c04fd430c8",
	};
	static const char *const notuuid[] = { "1", "hello" };
	static const char *const texts[] = {
		"1", "hello",
		"2", "6BA7B811-9DAD-11D1-80B4-00C04FD430C8",
		"1", "hello",
	};
	static const char *const int4[] = { "42", "11" };
	static const char *const textconflict[] = { "1", "a", "1", "ab" };
	static const char *const null[] = { "1", NULL };
	struct sl_keymap *m;
	const uint8_t *u;
	char *path;
	int st;

	path = mapfile("int8", "uuid", 3, good);
	m = sl_keymap_load(path, false, &st);
	CHECK(m != NULL && st == EXIT_OK);
	CHECK(sl_keymap_count(m) == 2 && sl_keymap_kind(m) == SL_KEYMAP_UUID);
	u = sl_keymap_get_text(m, "2", 1);
	CHECK(u != NULL && u[0] == 0x6b && u[3] == 0x11);
	sl_keymap_free(m);
	m = sl_keymap_load(path, true, &st);
	CHECK(m != NULL && sl_keymap_kind(m) == SL_KEYMAP_SET && sl_keymap_count(m) == 2);
	sl_keymap_free(m);
	unlink(path);

	path = mapfile("text", "int8", 2, ints);
	m = sl_keymap_load(path, false, &st);
	CHECK(m != NULL && sl_keymap_kind(m) == SL_KEYMAP_INT);
	CHECK(m != NULL && ival(sl_keymap_get_text(m, "abc", 3)) == 10);
	CHECK(m != NULL && ival(sl_keymap_get_int(m, 42)) == 11);
	sl_keymap_free(m);
	unlink(path);

	/* a text new key: its type kept, UUIDs or not */
	path = mapfile("int8", "varchar(12)", 3, texts);
	m = sl_keymap_load(path, false, &st);
	CHECK(m != NULL && st == EXIT_OK && sl_keymap_kind(m) ==
	    SL_KEYMAP_TEXT && sl_keymap_count(m) == 2);
	CHECK(m != NULL && strcmp(sl_keymap_type(m), "varchar(12)") == 0);
	CHECK(m != NULL && strcmp(tval(m, sl_keymap_get_int(m, 1)), "hello") ==
	    0);
	CHECK(m != NULL && strcmp(tval(m, sl_keymap_get_int(m, 2)),
	    "6BA7B811-9DAD-11D1-80B4-00C04FD430C8") == 0);
	sl_keymap_free(m);
	unlink(path);
	path = mapfile("int8", "int4", 1, int4);
	m = sl_keymap_load(path, false, &st);
	CHECK(m != NULL && sl_keymap_kind(m) == SL_KEYMAP_INT);
	CHECK(m != NULL && strcmp(sl_keymap_type(m), "int4") == 0);
	sl_keymap_free(m);
	unlink(path);

	/* no segment at all: an empty map of no type */
	path = mapfile(NULL, NULL, 0, NULL);
	m = sl_keymap_load(path, false, &st);
	CHECK(m != NULL && st == EXIT_OK && sl_keymap_count(m) == 0);
	CHECK(m != NULL && sl_keymap_type(m) == NULL);
	CHECK(m != NULL && sl_keymap_get_int(m, 1) == NULL);
	sl_keymap_free(m);
	unlink(path);

	sl_err_quiet(true);
	path = mapfile("int8", "text", 2, textconflict);
	CHECK(sl_keymap_load(path, false, &st) == NULL && st == EXIT_DATA);
	CHECK(strstr(sl_lasterr(), "row 2") != NULL);
	unlink(path);
	path = mapfile("int8", "uuid", 2, conflict);
	CHECK(sl_keymap_load(path, false, &st) == NULL && st == EXIT_DATA);
	CHECK(strstr(sl_lasterr(), "row 2") != NULL);
	unlink(path);
	path = mapfile("int8", "uuid", 1, notuuid);
	CHECK(sl_keymap_load(path, false, &st) == NULL && st == EXIT_DATA);
	CHECK(strstr(sl_lasterr(), "not a UUID") != NULL);
	unlink(path);
	path = mapfile("int8", "uuid", 1, null);
	CHECK(sl_keymap_load(path, false, &st) == NULL && st == EXIT_DATA);
	CHECK(strstr(sl_lasterr(), "NULL") != NULL);
	unlink(path);
	CHECK(sl_keymap_load("/nonexistent/map.rs", false, &st) == NULL &&
	    st == EXIT_IO);
	sl_err_quiet(false);
}

int
main(void)
{
	run("keymap: keys by their text form", test_text_form);
	run("keymap: grows, finds every key", test_grow);
	run("keymap: a set of keys", test_set);
	run("keymap: text values, an int map's largest", test_text_values);
	run("keymap: map files from row streams", test_load);
	return unit_bad != 0;
}
