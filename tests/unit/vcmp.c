/*
 * Unit tests of verify's engine (lib/vcmp.c, vtab.c, vreject.c) without
 * a server or a stream: the two sides' rows are packed here and fed to
 * vcmp_row() in the phases verify runs (index, stream, rescan), and the
 * differences it keeps are checked, old key included.
 */
#include <string.h>

#include <msgpack.h>
#include <xxhash.h>

#include "exitcodes.h"
#include "vcmp.h"
#include "unit.h"

static struct sl_buf rb;
static uint32_t off[8];

/* The row (id, old_id, name) as a stream holds it. */
static struct vrow
mkrow(int64_t id, int64_t old, const char *name)
{
	msgpack_packer pk;
	struct vrow r;

	sl_buf_reset(&rb);
	msgpack_packer_init(&pk, &rb, rs_buf_write);
	msgpack_pack_array(&pk, 3);
	msgpack_pack_int64(&pk, id);
	msgpack_pack_int64(&pk, old);
	msgpack_pack_str_with_body(&pk, name, strlen(name));
	r.raw = rb.p;
	r.len = rb.len;
	r.off = off;
	r.hash = XXH3_64bits(rb.p, rb.len);
	CHECK(vcmp_row_spans(r.raw, r.len, 3, off));
	return r;
}

static struct rs_header *
header(void)
{
	struct rs_header *h = rs_header_new("t", 3);

	CHECK(h != NULL && rs_header_setcol(h, 0, "id", "int8") &&
	    rs_header_setcol(h, 1, "old_id", "int8") &&
	    rs_header_setcol(h, 2, "name", "text"));
	return h;
}

static int64_t
int_of(const char *p, size_t n)
{
	msgpack_unpacked u;
	size_t at = 0;
	int64_t i = -1;

	msgpack_unpacked_init(&u);
	if (msgpack_unpack_next(&u, p, n, &at) == MSGPACK_UNPACK_SUCCESS)
		i = u.data.via.i64;
	msgpack_unpacked_destroy(&u);
	return i;
}

static const struct vdiff *
diff_of(const struct vtab *t, enum vkind k)
{
	size_t i;

	for (i = 0; i < t->ndiff; i++)
		if (t->d[i].kind == k)
			return &t->d[i];
	return NULL;
}

static void
feed(struct vcmp *v, struct vtab *t, enum vside s, const int64_t *ids,
    const char *const *names, size_t n)
{
	struct vrow r;
	size_t i;

	for (i = 0; i < n; i++) {
		r = mkrow(ids[i], ids[i] + 10, names[i]);
		CHECK(vcmp_row(v, t, s, &r));
	}
}

/* source 1,2,3; target 1,2 (name changed),4: each kind, old key too */
static void
t_keyed(void)
{
	static const int64_t src[] = { 1, 2, 3 }, tgt[] = { 1, 2, 4 };
	static const char *const sn[] = { "a", "b", "c" },
	    *const tn[] = { "a", "B", "d" };
	char *keycols[] = { "id" };
	struct vkeyspec ks = { NULL, keycols, 1, false };
	struct rs_header *h = header();
	const struct vdiff *d;
	struct vcmp v;
	struct vtab *t;

	vcmp_init(&v);
	v.keyspecs = &ks;
	v.nkeyspecs = 1;
	if ((t = vcmp_tab_new(&v, "t", h)) == NULL) {
		CHECK(!"vcmp_tab_new");
		return;
	}
	CHECK(t->nkeys == 1 && t->nolds == 1 &&
	    strcmp(t->olds[0], "old_id") == 0);
	v.phase = VPH_INDEX;
	feed(&v, t, VTGT, tgt, tn, 3);
	CHECK(kidx_seal(t->ix));
	v.phase = VPH_STREAM;
	feed(&v, t, VSRC, src, sn, 3);
	vcmp_settle(&v, t);
	CHECK(t->n[VMISSING] == 1 && t->n[VEXTRA] == 1 &&
	    t->n[VCHANGED] == 1);
	CHECK(vcmp_rescan_needed(&v, t));	/* extra 4, and the columns */
	v.phase = VPH_RESCAN;
	feed(&v, t, VTGT, tgt, tn, 3);
	CHECK(!vcmp_rescan_needed(&v, t));
	vcmp_finish(&v, t);
	CHECK(!vcmp_tab_ok(t) && v.status == EXIT_OK);
	CHECK((d = diff_of(t, VMISSING)) != NULL &&
	    int_of(d->key, d->keylen) == 3 && int_of(d->old, d->oldlen) == 13);
	CHECK((d = diff_of(t, VEXTRA)) != NULL &&
	    int_of(d->key, d->keylen) == 4 && int_of(d->old, d->oldlen) == 14);
	CHECK((d = diff_of(t, VCHANGED)) != NULL &&
	    int_of(d->old, d->oldlen) == 12 && d->cols != NULL &&
	    strcmp(d->cols, "name") == 0);
	CHECK(t->n[VEXTRA] == 1 && t->ndiff == 3);
	rs_header_free(h);
	vcmp_free(&v);
}

/* Without a key: counts and hashes only, and equal sides pass. */
static void
t_counts(void)
{
	static const int64_t ids[] = { 1, 2 };
	static const char *const names[] = { "a", "b" };
	struct rs_header *h = header();
	struct vcmp v;
	struct vtab *t;

	vcmp_init(&v);
	if ((t = vcmp_tab_new(&v, "t", h)) == NULL) {
		CHECK(!"vcmp_tab_new");
		return;
	}
	CHECK(t->nkeys == 0 && t->nolds == 0);
	v.phase = VPH_STREAM;
	feed(&v, t, VSRC, ids, names, 2);
	feed(&v, t, VTGT, ids, names, 1);
	vcmp_finish(&v, t);
	CHECK(t->n[VMISSING] == 1 && !vcmp_tab_ok(t));
	CHECK(vcmp_coverage(2, 1) == 50.0);
	feed(&v, t, VTGT, ids + 1, names + 1, 1);
	t->n[VMISSING] = 0;
	vcmp_finish(&v, t);
	CHECK(vcmp_tab_ok(t) && vcmp_hash_eq(t));
	rs_header_free(h);
	vcmp_free(&v);
}

/* A --key column the table lacks is a usage error, reported. */
static void
t_bad_key(void)
{
	char *keycols[] = { "nosuch" };
	struct vkeyspec ks = { NULL, keycols, 1, false };
	struct rs_header *h = header();
	struct vcmp v;

	vcmp_init(&v);
	v.keyspecs = &ks;
	v.nkeyspecs = 1;
	sl_err_quiet(true);
	CHECK(vcmp_tab_new(&v, "t", h) == NULL);
	sl_err_quiet(false);
	CHECK(v.status == EXIT_USAGE && v.usage);
	CHECK(strcmp(sl_lasterr(), "--key: table \"t\" has no column "
	    "\"nosuch\"") == 0);
	rs_header_free(h);
	vcmp_free(&v);
}

static void
t_reason_shape(void)
{
	static const char *const in[][2] = {
		{ "Key (email)=(a@x) already exists",
		    "Key (email)=(...) already exists" },
		{ "orphan: student_id=12", "orphan: student_id=..." },
		{ "value too long", "value too long" },
	};
	struct sl_buf b = { 0 };
	size_t i;

	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		CHECK(vcmp_reason_shape(&b, in[i][0], strlen(in[i][0])));
		CHECKF(strcmp(b.p, in[i][1]) == 0, "%s", b.p);
	}
	sl_buf_free(&b);
}

int
main(void)
{
	run("vcmp: missing, extra, changed by key, with the old key", t_keyed);
	run("vcmp: without a key, counts and hashes", t_counts);
	run("vcmp: a --key column the table lacks", t_bad_key);
	run("vcmp: reasons counted by their shape", t_reason_shape);
	sl_buf_free(&rb);
	return unit_bad ? 1 : 0;
}
