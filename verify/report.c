/*
 * report.c: verify's report (report.h). A difference names its key
 * ("id=5, school=2", or a JSON object) and, where the table has an old
 * key, the old key too, so that a person can look the row up in the
 * old system.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <msgpack.h>

#include "report.h"
#include "value.h"

/* Scratch buffers: what is being formatted, and one value in it. */
struct out {
	struct sl_buf	 txt, val;
	bool		 ok;
};

/*
 * The values of cols (canonical bytes, one after another) as text
 * ("id=5, school=2") or as a JSON object, into o->txt.
 */
static void
cols_text(struct out *o, char *const *cols, size_t ncols, const char *p,
    size_t len, bool asjson)
{
	msgpack_unpacked u;
	size_t at = 0, j;
	bool okay;

	sl_buf_reset(&o->txt);
	msgpack_unpacked_init(&u);
	okay = sl_buf_adds(&o->txt, asjson ? "{" : "");
	for (j = 0; j < ncols && okay; j++) {
		if (msgpack_unpack_next(&u, p, len, &at) !=
		    MSGPACK_UNPACK_SUCCESS)
			break;
		okay = sl_buf_adds(&o->txt, j == 0 ? "" : asjson ? "," : ", ");
		if (asjson) {
			okay = okay && sl_fmt_json_str(&o->txt, cols[j],
			    strlen(cols[j])) && sl_buf_addc(&o->txt, ':');
			if (u.data.type == MSGPACK_OBJECT_POSITIVE_INTEGER ||
			    u.data.type == MSGPACK_OBJECT_NEGATIVE_INTEGER)
				okay = okay && sl_fmt_text(&o->txt, &u.data);
			else if (u.data.type == MSGPACK_OBJECT_NIL)
				okay = okay && sl_buf_adds(&o->txt, "null");
			else {
				sl_buf_reset(&o->val);
				okay = okay && sl_fmt_text(&o->val, &u.data) &&
				    sl_fmt_json_str(&o->txt, o->val.p,
				    o->val.len);
			}
		} else {
			okay = okay && sl_buf_printf(&o->txt, "%s=", cols[j]) &&
			    (u.data.type == MSGPACK_OBJECT_NIL ?
			    sl_buf_adds(&o->txt, "NULL") :
			    sl_fmt_text(&o->txt, &u.data));
		}
	}
	msgpack_unpacked_destroy(&u);
	if (!okay || !sl_buf_adds(&o->txt, asjson ? "}" : "") ||
	    !sl_buf_cstr(&o->txt))
		o->ok = false;
}

static void
print_line(const char *name, size_t w, const uint64_t *v, bool known,
    double cov, bool eq)
{
	printf("%-*s %10" PRIu64 " %10" PRIu64 " %9" PRIu64 " %8" PRIu64
	    " %8" PRIu64, (int)w, name, v[0], v[1], v[2], v[3], v[4]);
	if (known)
		printf(" %8" PRIu64, v[5]);
	else
		printf(" %8s", "-");
	printf(" %8.2f%% %5s\n", cov, eq ? "yes" : "no");
}

static void
sums(const struct vtab *t, uint64_t *v)
{
	v[0] = t->rows[VSRC];
	v[1] = t->rows[VTGT];
	v[2] = t->rej_rows;
	v[3] = t->n[VMISSING];
	v[4] = t->n[VEXTRA];
	v[5] = t->n[VCHANGED];
}

/* Whether a table was compared by key: any, for the total. */
static bool
any_key(const struct vcmp *v)
{
	size_t i;

	for (i = 0; i < v->ntabs; i++)
		if (v->tabs[i]->nkeys > 0)
			return true;
	return false;
}

/* "t: missing id=5 (old_id=12)", "t: changed id=7: name (old_id=3)" */
static void
text_diffs(struct out *o, const struct vtab *t)
{
	const struct vdiff *d;
	size_t j, k;

	for (k = VMISSING; k <= VCHANGED; k++) {
		for (j = 0; j < t->ndiff; j++) {
			if ((d = &t->d[j])->kind != k)
				continue;
			cols_text(o, t->keys, t->nkeys, d->key, d->keylen,
			    false);
			printf("%s: %s %s", t->name, vcmp_kindname[k], o->txt.p);
			if (k == VCHANGED)
				printf(": %s", d->cols != NULL ? d->cols : "?");
			if (d->old != NULL) {
				cols_text(o, t->olds, t->nolds, d->old,
				    d->oldlen, false);
				printf(" (%s)", o->txt.p);
			}
			putchar('\n');
		}
		if (t->n[k] > t->nd[k] && t->nkeys > 0)
			printf("%s: %s: %" PRIu64 " more\n", t->name,
			    vcmp_kindname[k], t->n[k] - t->nd[k]);
	}
}

bool
report_text(const struct vcmp *v)
{
	struct out o = { .ok = true };
	uint64_t n[6], tot[6] = { 0 };
	size_t i, j, k, w = 5;
	bool alleq = true;
	const struct vtab *t;

	for (i = 0; i < v->ntabs; i++)
		if (strlen(v->tabs[i]->name) > w)
			w = strlen(v->tabs[i]->name);
	printf("%-*s %10s %10s %9s %8s %8s %8s %9s %5s\n", (int)w, "table",
	    "source", "target", "rejected", "missing", "extra", "changed",
	    "coverage", "hash");
	for (i = 0; i < v->ntabs; i++) {
		t = v->tabs[i];
		sums(t, n);
		for (j = 0; j < 6; j++)
			tot[j] += n[j];
		alleq = alleq && vcmp_hash_eq(t);
		print_line(t->name, w, n, t->nkeys > 0,
		    vcmp_coverage(n[0], n[3]), vcmp_hash_eq(t));
	}
	print_line("total", w, tot, any_key(v), vcmp_coverage(tot[0], tot[3]),
	    alleq);
	for (i = 0; i < v->ntabs && o.ok; i++) {
		t = v->tabs[i];
		for (k = 0; k < t->nreason; k++)
			printf("%s: rejected %" PRIu64 ": %s\n", t->name,
			    t->reason[k].rows, t->reason[k].text);
		if (t->rej_other > 0)
			printf("%s: rejected %" PRIu64 ": other reasons\n",
			    t->name, t->rej_other);
		text_diffs(&o, t);
	}
	sl_buf_free(&o.txt);
	sl_buf_free(&o.val);
	if (!o.ok)
		sl_err("out of memory");
	return o.ok;
}

static void
json_strn(struct out *o, const char *s, size_t n)
{
	sl_buf_reset(&o->val);
	if (!sl_fmt_json_str(&o->val, s, n))
		o->ok = false;
	else
		fwrite(o->val.p, 1, o->val.len, stdout);
}

static void
json_counts(const uint64_t *v, bool known, bool eq, bool ok)
{
	printf("\"source_rows\":%" PRIu64 ",\"target_rows\":%" PRIu64
	    ",\"rejected\":%" PRIu64 ",\"missing\":%" PRIu64 ",\"extra\":%"
	    PRIu64 ",", v[0], v[1], v[2], v[3], v[4]);
	if (known)
		printf("\"changed\":%" PRIu64, v[5]);
	else
		printf("\"changed\":null");
	printf(",\"coverage\":%.2f,\"hash_equal\":%s,\"match\":%s",
	    vcmp_coverage(v[0], v[3]), eq ? "true" : "false",
	    ok ? "true" : "false");
}

/* "a,b" as "a","b"; NULL (the row was not found again) as nothing. */
static void
json_cols(struct out *o, const char *cols)
{
	const char *c, *e;

	for (c = cols; c != NULL && *c != '\0'; c = *e == ',' ? e + 1 : e) {
		e = c + strcspn(c, ",");
		printf("%s", c == cols ? "" : ",");
		json_strn(o, c, (size_t)(e - c));
	}
}

/*
 * "keys": {"missing": [KEY...], "extra": [...], "changed": [{"key":
 * KEY, "columns": [...]}...]}; with old the same of the old keys, as
 * "old_keys", each in the place of its key.
 */
static void
json_keys(struct out *o, const struct vtab *t, bool old)
{
	const struct vdiff *d;
	size_t j, k;
	bool first;

	printf(",\"%s\":{", old ? "old_keys" : "keys");
	for (k = VMISSING; k <= VCHANGED; k++) {
		printf("%s\"%s\":[", k > 0 ? "," : "", vcmp_kindname[k]);
		first = true;
		for (j = 0; j < t->ndiff; j++) {
			if ((d = &t->d[j])->kind != k)
				continue;
			if (old)
				cols_text(o, t->olds, t->nolds, d->old,
				    d->oldlen, true);
			else
				cols_text(o, t->keys, t->nkeys, d->key,
				    d->keylen, true);
			printf("%s", first ? "" : ",");
			first = false;
			if (old || k != VCHANGED) {
				fputs(o->txt.p, stdout);
				continue;
			}
			printf("{\"key\":%s,\"columns\":[", o->txt.p);
			json_cols(o, d->cols);
			printf("]}");
		}
		printf("]");
	}
	printf("}");
}

static void
json_diffs(struct out *o, const struct vtab *t)
{
	size_t k;

	printf(",\"rejected_by_reason\":[");
	for (k = 0; k < t->nreason; k++) {
		printf("%s{\"reason\":", k > 0 ? "," : "");
		json_strn(o, t->reason[k].text, strlen(t->reason[k].text));
		printf(",\"rows\":%" PRIu64 "}", t->reason[k].rows);
	}
	if (t->rej_other > 0)
		printf("%s{\"reason\":null,\"rows\":%" PRIu64 "}",
		    t->nreason > 0 ? "," : "", t->rej_other);
	printf("]");
	if (t->nkeys == 0)
		return;
	json_keys(o, t, false);
	if (t->nolds > 0)
		json_keys(o, t, true);
}

/* A key's columns as a JSON array, or null. */
static void
json_key(struct out *o, char *const *cols, size_t n)
{
	size_t i;

	if (n == 0)
		printf("null");
	for (i = 0; i < n; i++) {
		printf("%s", i == 0 ? "[" : ",");
		json_strn(o, cols[i], strlen(cols[i]));
	}
	printf("%s", n > 0 ? "]" : "");
}

/* The --key for every table, or NULL. */
static const struct vkeyspec *
key_all(const struct vcmp *v)
{
	size_t i;

	for (i = 0; i < v->nkeyspecs; i++)
		if (v->keyspecs[i].table == NULL)
			return &v->keyspecs[i];
	return NULL;
}

bool
report_json(const struct vcmp *v, bool allok)
{
	const struct vkeyspec *all = key_all(v);
	struct out o = { .ok = true };
	uint64_t n[6], tot[6] = { 0 };
	const struct vtab *t;
	size_t i, j;
	bool alleq = true;

	printf("{\"tables\":[");
	for (i = 0; i < v->ntabs && o.ok; i++) {
		t = v->tabs[i];
		sums(t, n);
		for (j = 0; j < 6; j++)
			tot[j] += n[j];
		alleq = alleq && vcmp_hash_eq(t);
		printf("%s{\"table\":", i > 0 ? "," : "");
		json_strn(&o, t->name, strlen(t->name));
		printf(",\"key\":");
		json_key(&o, t->keys, t->nkeys);
		if (t->nolds > 0) {
			printf(",\"old_key\":");
			json_key(&o, t->olds, t->nolds);
		}
		putchar(',');
		json_counts(n, t->nkeys > 0, vcmp_hash_eq(t), vcmp_tab_ok(t));
		json_diffs(&o, t);
		putchar('}');
	}
	printf("],\"total\":{");
	json_counts(tot, any_key(v), alleq, allok);
	printf("},\"key\":");
	json_key(&o, all != NULL ? all->cols : NULL, all != NULL ? all->ncols :
	    0);
	printf("}\n");
	sl_buf_free(&o.txt);
	sl_buf_free(&o.val);
	if (!o.ok)
		sl_err("out of memory");
	return o.ok;
}
