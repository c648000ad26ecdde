/*
 * compare.c: jansson against json-c on the document extract --jsonl is
 * benchmarked with (bench/jsonl.sh), to choose the library by measure and
 * to know the floor the parser sets. Each parses N lines of 6-field
 * mongoexport JSON from one buffer, then parses them and walks the six
 * paths extract would read; the time is CPU time on one core, the best
 * of three; then both again with the thread in the C locale, as extract
 * runs json-c (json-c 0.16 duplicates the thread's locale on every parse
 * call, which is free for the C locale object). Measured on issue 16's
 * machine (shared, 2 cores), 10^6 lines of 201 bytes: jansson 2.14
 * 347,000 lines/s parsing, 329,000 walking; json-c 0.16 (strict) 568,000
 * and 518,000, in the C locale 624,000 and 572,000. The two headers
 * cannot be included together (both declare json_object), so the file is
 * built twice, -DJANSSON and -DJSONC, by `bench/jsonl.sh --compare`
 * (needs both -dev packages); it is not part of the build.
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef JANSSON
#include <jansson.h>
#define LIB "jansson " JANSSON_VERSION
#else
#include <json-c/json.h>
#define LIB "json-c " JSON_C_VERSION
#endif

static const char doc[] =
    "{\"_id\":{\"$oid\":\"5f1a2b3c4d5e6f7a8b9c%04x\"},\"name\":\"Ada "
    "Lovelace %d\",\"created\":{\"$date\":\"2024-01-02T10:00:00.000Z\"},"
    "\"n\":{\"$numberLong\":\"%d\"},\"address\":{\"city\":\"London\","
    "\"zip\":\"NW1\"},\"score\":91.5}\n";

static double
cpu(void)
{
	struct timespec t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

#ifdef JANSSON
static long
run(const char *buf, const size_t *off, int n, int walk)
{
	json_error_t e;
	json_t *o, *v;
	long sum = 0;
	int i;

	for (i = 0; i < n; i++) {
		o = json_loadb(buf + off[i], off[i + 1] - off[i],
		    JSON_DISABLE_EOF_CHECK | JSON_DECODE_ANY, &e);
		if (o == NULL)
			exit(1);
		if (!walk) {
			json_decref(o);
			continue;
		}
		v = json_object_get(json_object_get(o, "_id"), "$oid");
		sum += (long)json_string_length(v);
		sum += (long)json_string_length(json_object_get(o, "name"));
		v = json_object_get(json_object_get(o, "created"), "$date");
		sum += (long)json_string_length(v);
		v = json_object_get(json_object_get(o, "n"), "$numberLong");
		sum += (long)json_string_length(v);
		v = json_object_get(json_object_get(o, "address"), "city");
		sum += (long)json_string_length(v);
		sum += (long)json_real_value(json_object_get(o, "score"));
		json_decref(o);
	}
	return sum;
}
#else
static struct json_object *
get(struct json_object *o, const char *k)
{
	struct json_object *v;

	return o != NULL && json_object_object_get_ex(o, k, &v) ? v : NULL;
}

static long
run(const char *buf, const size_t *off, int n, int walk)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *o;
	long sum = 0;
	int i;

	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);	/* as extract */
	for (i = 0; i < n; i++) {
		json_tokener_reset(tok);
		o = json_tokener_parse_ex(tok, buf + off[i],
		    (int)(off[i + 1] - off[i]));
		if (o == NULL)
			exit(1);
		if (!walk) {
			json_object_put(o);
			continue;
		}
		sum += json_object_get_string_len(get(get(o, "_id"), "$oid"));
		sum += json_object_get_string_len(get(o, "name"));
		sum += json_object_get_string_len(get(get(o, "created"),
		    "$date"));
		sum += json_object_get_string_len(get(get(o, "n"),
		    "$numberLong"));
		sum += json_object_get_string_len(get(get(o, "address"),
		    "city"));
		sum += (long)json_object_get_double(get(o, "score"));
		json_object_put(o);
	}
	json_tokener_free(tok);
	return sum;
}
#endif

/* The best of three runs of run(), in lines per second of CPU time. */
static double
rate(const char *buf, const size_t *off, int n, int walk, long *s)
{
	double t0, t, best = 1e9;
	int k;

	for (k = 0; k < 3; k++) {
		t0 = cpu();
		*s = run(buf, off, n, walk);
		if ((t = cpu() - t0) < best)
			best = t;
	}
	return n / best;
}

int
main(int argc, char *argv[])
{
	int n = argc > 1 ? atoi(argv[1]) : 1000000, i, walk;
	size_t *off = malloc(((size_t)n + 1) * sizeof(*off)), len = 0;
	char *buf = malloc((size_t)n * 256);
	locale_t c;
	double r;
	long s = 0;

	if (buf == NULL || off == NULL || n <= 0)
		return 1;
	for (i = 0; i < n; i++) {
		off[i] = len;
		len += (size_t)sprintf(buf + len, doc, i & 0xffff, i, i);
	}
	off[n] = len;
	for (walk = 0; walk <= 1; walk++) {
		r = rate(buf, off, n, walk, &s);
		printf("%s, %s: %.0f lines/s (%d lines of %zu bytes; %ld)\n",
		    LIB, walk ? "parse and walk the 6 paths" : "parse only",
		    r, n, len / (size_t)n, s);
	}
	/*
	 * json-c duplicates the thread's locale on every parse call, which
	 * is free when the thread is in the C locale object (glibc), as
	 * extract --jsonl puts it; jansson does not touch the locale.
	 */
	if ((c = newlocale(LC_ALL_MASK, "C", (locale_t)0)) == (locale_t)0)
		return 1;
	uselocale(c);
	for (walk = 0; walk <= 1; walk++) {
		printf("%s, %s, thread in the C locale: %.0f lines/s\n", LIB,
		    walk ? "parse and walk the 6 paths" : "parse only",
		    rate(buf, off, n, walk, &s));
	}
	return 0;
}
