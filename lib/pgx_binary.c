/*
 * pgx_binary.c: row stream values -> COPY binary format (pgx_binary.h).
 *
 * Each value is written straight into the caller's buffer, grown once a
 * field: no allocation a row once the buffer has grown. The text forms
 * read here (uuid, date, timestamps) are read the way the server's
 * input functions read them (uuid) or in the one form the server prints
 * them in (dates and timestamps, with DateStyle ISO and TimeZone UTC as
 * pgx_connect() sets them; docs/rowstream.md), and the messages for a
 * value refused are the server's own where the server would refuse it
 * too, so that a rejects file says the same in either format.
 */
#include <endian.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "err.h"
#include "pgx.h"
#include "pgx_binary.h"
#include "value.h"

/* Built-in type OIDs (pg_type.dat); they never change. */
enum {
	BOOLOID = 16, BYTEAOID = 17, INT8OID = 20, INT2OID = 21, INT4OID = 23,
	TEXTOID = 25, FLOAT4OID = 700, FLOAT8OID = 701, BPCHAROID = 1042,
	VARCHAROID = 1043, DATEOID = 1082, TIMESTAMPOID = 1114,
	TIMESTAMPTZOID = 1184, UUIDOID = 2950
};

enum kind { K_INT2, K_INT4, K_INT8, K_FLOAT4, K_FLOAT8, K_BOOL, K_BYTEA,
	K_TEXT, K_UUID, K_DATE, K_TS, K_TSTZ };

/*
 * What each target type takes: its OID, the stream class its values
 * must have, for a text class the stream type names that promise the
 * output form (NULL: any str will do, the reading is the server's), and
 * whether the server is measurably faster taking it in binary (bench/
 * copyfmt.sh; bench/results.md has the figures). Measured, 1M rows, the
 * server's COPY FROM in binary against text: uuid 0.33x, timestamptz
 * 0.53x, date 0.67x pay; int4, int8 and text about 1.0x (sent in binary
 * only with a column that pays); numeric 1.26x, slower in binary, and
 * not encoded. timestamp goes the way timestamptz does (the same input
 * code in the server, DecodeDateTime).
 */
static const struct {
	Oid		 oid;
	enum kind	 kind;
	enum rs_class	 cls;
	const char	*names[3];
	bool		 pays;
	const char	*sqlname;	/* as the server's messages name it */
} types[] = {
	{ INT2OID, K_INT2, RS_INT, { NULL }, false, "smallint" },
	{ INT4OID, K_INT4, RS_INT, { NULL }, false, "integer" },
	{ INT8OID, K_INT8, RS_INT, { NULL }, false, "bigint" },
	{ FLOAT4OID, K_FLOAT4, RS_FLOAT, { NULL }, false, "real" },
	{ FLOAT8OID, K_FLOAT8, RS_FLOAT, { NULL }, false, "double precision" },
	{ BOOLOID, K_BOOL, RS_BOOL, { NULL }, false, "boolean" },
	{ BYTEAOID, K_BYTEA, RS_BYTEA, { NULL }, false, "bytea" },
	{ TEXTOID, K_TEXT, RS_TEXT, { NULL }, false, "text" },
	{ VARCHAROID, K_TEXT, RS_TEXT, { NULL }, false, "character varying" },
	{ BPCHAROID, K_TEXT, RS_TEXT, { NULL }, false, "character" },
	{ UUIDOID, K_UUID, RS_TEXT, { NULL }, true, "uuid" },
	{ DATEOID, K_DATE, RS_TEXT, { "date" }, true, "date" },
	{ TIMESTAMPOID, K_TS, RS_TEXT,
	    { "timestamp", "timestamp without time zone" }, true,
	    "timestamp" },
	{ TIMESTAMPTZOID, K_TSTZ, RS_TEXT,
	    { "timestamptz", "timestamp with time zone" }, true,
	    "timestamp with time zone" },
};
#define NTYPES	(sizeof(types) / sizeof(types[0]))

struct pgx_binary {
	const struct rs_header *h;	/* the caller's, for column names */
	size_t		 n;	/* fields a row, the row number's included */
	size_t		*col;	/* by field: its stream column */
	unsigned char	*type;	/* by field: its index in types[] */
	bool		 rownum;
	long		 failed;
	bool		 textual; /* the server might read it in text */
	struct sl_buf	 tmp;	/* float4: the double's text */
};

static int
find_type(Oid oid)
{
	size_t i;

	for (i = 0; i < NTYPES; i++)
		if (types[i].oid == oid)
			return (int)i;
	return -1;
}

/* Whether the stream type name promises the output form of types[t]. */
static bool
form_promised(size_t t, const char *name)
{
	size_t i;

	if (types[t].names[0] == NULL)
		return true;
	for (i = 0; i < 3 && types[t].names[i] != NULL; i++)
		if (strcasecmp(types[t].names[i], name) == 0)
			return true;
	return false;
}

void
pgx_binary_free(struct pgx_binary *e)
{
	if (e == NULL)
		return;
	free(e->col);
	free(e->type);
	sl_buf_free(&e->tmp);
	free(e);
}

struct pgx_binary *
pgx_binary_make(const struct rs_header *h, const size_t *keep, size_t nkeep,
    const Oid *oids, bool rownum, bool force, const char **why)
{
	struct pgx_binary *e;
	bool pays = false;
	size_t i;
	int t;

	*why = NULL;
	if (nkeep + rownum > 32767) {	/* the field count is an int16 */
		*why = "more columns than a binary COPY row holds";
		return NULL;
	}
	for (i = 0; i < nkeep; i++) {
		t = find_type(oids[i]);
		if (t < 0) {
			*why = "a column of a type load does not encode in "
			    "binary";
			return NULL;
		}
		if (types[t].cls != h->cols[keep[i]].cls ||
		    !form_promised((size_t)t, h->cols[keep[i]].type)) {
			*why = "a column whose stream type is not its "
			    "table type";
			return NULL;
		}
		pays |= types[t].pays;
	}
	if (!pays && !force) {
		*why = "no column of a type the server takes faster in "
		    "binary";
		return NULL;
	}
	if ((e = calloc(1, sizeof(*e))) == NULL ||
	    (e->col = calloc(nkeep + 1, sizeof(*e->col))) == NULL ||
	    (e->type = calloc(nkeep + 1, sizeof(*e->type))) == NULL) {
		pgx_binary_free(e);
		sl_err("out of memory");
		return NULL;
	}
	for (i = 0; i < nkeep; i++) {
		e->col[i] = keep[i];
		e->type[i] = (unsigned char)find_type(oids[i]);
	}
	e->h = h;
	e->n = nkeep + rownum;
	e->rownum = rownum;
	e->failed = -1;
	return e;
}

struct pgx_binary *
pgx_binary_new(PGconn *c, Oid table, const struct rs_header *h,
    const size_t *keep, size_t nkeep, bool rownum, bool force,
    const char **why)
{
	static const char q[] =
	    "SELECT attname, atttypid FROM pg_catalog.pg_attribute"
	    " WHERE attrelid = $1::oid AND attnum > 0 AND NOT attisdropped";
	struct pgx_binary *e = NULL;
	char soid[16];
	const char *param = soid;
	PGresult *res;
	Oid *oids;
	long *pos, col;
	size_t i;
	int a;

	*why = NULL;
	if ((oids = calloc(nkeep + 1, sizeof(*oids))) == NULL) {
		sl_err("out of memory");
		return NULL;
	}
	snprintf(soid, sizeof(soid), "%u", (unsigned)table);
	if ((res = pgx_query(c, q, 1, &param)) == NULL) {
		free(oids);
		return NULL;
	}
	/* a field by stream column, so that each attribute is looked up
	 * once in the header's index: linear in wide tables */
	if ((pos = malloc((h->ncols + 1) * sizeof(*pos))) == NULL) {
		PQclear(res);
		free(oids);
		sl_err("out of memory");
		return NULL;
	}
	for (i = 0; i < h->ncols; i++)
		pos[i] = -1;
	for (i = 0; i < nkeep; i++)
		pos[keep[i]] = (long)i;
	for (a = 0; a < PQntuples(res); a++)
		if ((col = rs_header_find(h, PQgetvalue(res, a, 0))) >= 0 &&
		    pos[col] >= 0)
			oids[pos[col]] = (Oid)strtoul(PQgetvalue(res, a, 1),
			    NULL, 10);
	free(pos);
	PQclear(res);
	e = pgx_binary_make(h, keep, nkeep, oids, rownum, force, why);
	free(oids);
	return e;
}

long
pgx_binary_failed(const struct pgx_binary *e)
{
	return e->failed;
}

bool
pgx_binary_textual(const struct pgx_binary *e)
{
	return e->failed >= 0 && e->textual;
}

/* Big-endian stores into p, which has room. */
static void
be16(char *p, uint16_t v)
{
	v = htobe16(v);
	memcpy(p, &v, 2);
}

static void
be32(char *p, uint32_t v)
{
	v = htobe32(v);
	memcpy(p, &v, 4);
}

static void
be64(char *p, uint64_t v)
{
	v = htobe64(v);
	memcpy(p, &v, 8);
}

/*
 * A field of n bytes: its length, and where they go. pgx_binary_row
 * made room for the whole row, once.
 */
static char *
field(struct sl_buf *b, size_t n)
{
	char *p = b->p + b->len;

	be32(p, (uint32_t)n);
	b->len += 4 + n;
	return p + 4;
}

/* A hex digit's value plus one, 0 for any other byte: a uuid is 32 of
 * them, and a lookup is cheaper than a call a digit. */
static const unsigned char hex1[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6,
	['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
	['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
	['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

/*
 * uuid_in's reading (PostgreSQL's string_to_uuid): an optional brace
 * pair around 32 hex digits, each pair of bytes but the last optionally
 * followed by a hyphen.
 */
static bool
parse_uuid(const char *s, size_t n, unsigned char out[16])
{
	size_t i, k = 0;
	bool braces = n > 0 && s[0] == '{';
	int hi, lo;

	if (braces)
		k++;
	for (i = 0; i < 16; i++) {
		if (k + 2 > n || (hi = hex1[(unsigned char)s[k]]) == 0 ||
		    (lo = hex1[(unsigned char)s[k + 1]]) == 0)
			return false;
		out[i] = (unsigned char)((hi - 1) << 4 | (lo - 1));
		k += 2;
		if (k < n && s[k] == '-' && i % 2 == 1 && i < 15)
			k++;
	}
	if (braces && (k >= n || s[k++] != '}'))
		return false;
	return k == n;
}

/* Exactly ndig decimal digits at s[*k], or from min to max of them. */
static bool
digits(const char *s, size_t n, size_t *k, int min, int max, int64_t *v)
{
	int d = 0;

	*v = 0;
	while (*k < n && d < max && s[*k] >= '0' && s[*k] <= '9') {
		*v = *v * 10 + (s[*k] - '0');
		(*k)++;
		d++;
	}
	return d >= min && (*k >= n || d < max || s[*k] < '0' ||
	    s[*k] > '9');
}

/* The Julian day of a proleptic Gregorian date (PostgreSQL's date2j). */
static int64_t
date2j(int64_t y, int64_t m, int64_t d)
{
	int64_t julian, century;

	if (m > 2) {
		m += 1;
		y += 4800;
	} else {
		m += 13;
		y += 4799;
	}
	century = y / 100;
	julian = y * 365 - 32167;
	julian += y / 4 - century + century / 4;
	julian += 7834 * m / 256 + d;
	return julian;
}

#define EPOCH_JDATE	2451545		/* date2j(2000, 1, 1) */

/*
 * YYYY-MM-DD (four to seven digits of year, as the server prints years
 * up to its limit) at s[*k]; *bc: a " BC" ends the whole value, which
 * the caller checks for. Days since 2000-01-01 in *days.
 */
static bool
parse_ymd(const char *s, size_t n, size_t *k, bool bc, int64_t *days)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int64_t y, m, d;
	bool leap;

	if (!digits(s, n, k, 4, 7, &y) || *k >= n || s[(*k)++] != '-' ||
	    !digits(s, n, k, 2, 2, &m) || *k >= n || s[(*k)++] != '-' ||
	    !digits(s, n, k, 2, 2, &d) || y == 0 || m < 1 || m > 12 ||
	    d < 1)
		return false;
	if (bc)
		y = -(y - 1);	/* 1 BC is year 0 */
	leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
	if (d > mdays[m - 1] + (m == 2 && leap))
		return false;
	*days = date2j(y, m, d) - EPOCH_JDATE;
	return true;
}

/* Whether s[0..n) ends in " BC"; if so n loses it. */
static bool
strip_bc(const char *s, size_t *n)
{
	if (*n > 3 && memcmp(s + *n - 3, " BC", 3) == 0) {
		*n -= 3;
		return true;
	}
	return false;
}

/* date's output form, or infinity / -infinity. */
static bool
parse_date(const char *s, size_t n, int32_t *out)
{
	size_t k = 0;
	int64_t days;
	bool bc;

	if (n == 8 && memcmp(s, "infinity", 8) == 0) {
		*out = INT32_MAX;
		return true;
	}
	if (n == 9 && memcmp(s, "-infinity", 9) == 0) {
		*out = INT32_MIN;
		return true;
	}
	bc = strip_bc(s, &n);
	if (!parse_ymd(s, n, &k, bc, &days) || k != n)
		return false;
	/* beyond int32 cannot be a date; the server checks the range */
	if (days <= INT32_MIN || days >= INT32_MAX)
		return false;
	*out = (int32_t)days;
	return true;
}

#define USECS_DAY	INT64_C(86400000000)

/*
 * timestamp's and timestamptz's output form: the date, a space,
 * HH:MM:SS, up to six digits of fraction, for timestamptz a UTC offset
 * ±HH[:MM[:SS]] (none: UTC, the session's zone), then " BC" when it is
 * one. Microseconds since 2000-01-01 00:00 UTC in *out; 0 on a form not
 * read, -1 on a value out of the range of any timestamp.
 */
static int
parse_ts(const char *s, size_t n, bool tz, int64_t *out)
{
	size_t k = 0, d0;
	int64_t days, hh, mi, ss, frac = 0, oh = 0, om = 0, os = 0, off;
	int sign;
	bool bc;

	if (n == 8 && memcmp(s, "infinity", 8) == 0) {
		*out = INT64_MAX;
		return 1;
	}
	if (n == 9 && memcmp(s, "-infinity", 9) == 0) {
		*out = INT64_MIN;
		return 1;
	}
	bc = strip_bc(s, &n);
	if (!parse_ymd(s, n, &k, bc, &days) || k >= n || s[k++] != ' ' ||
	    !digits(s, n, &k, 2, 2, &hh) || k >= n || s[k++] != ':' ||
	    !digits(s, n, &k, 2, 2, &mi) || k >= n || s[k++] != ':' ||
	    !digits(s, n, &k, 2, 2, &ss) || hh > 23 || mi > 59 || ss > 59)
		return 0;
	if (k < n && s[k] == '.') {
		k++;
		d0 = k;
		if (!digits(s, n, &k, 1, 6, &frac))
			return 0;
		for (d0 = k - d0; d0 < 6; d0++)	/* d0: digits read */
			frac *= 10;
	}
	if (tz && k < n && (s[k] == '+' || s[k] == '-')) {
		sign = s[k++] == '-' ? -1 : 1;
		if (!digits(s, n, &k, 2, 2, &oh) || oh > 15)
			return 0;
		if (k < n && s[k] == ':' && (k++, !digits(s, n, &k, 2, 2, &om) ||
		    om > 59))
			return 0;
		if (k < n && s[k] == ':' && (k++, !digits(s, n, &k, 2, 2, &os) ||
		    os > 59))
			return 0;
		off = sign * (oh * 3600 + om * 60 + os);
	} else {
		off = 0;
	}
	if (k != n)
		return 0;
	/* the server's range is 4714-11-24 BC (day -2451545) to 294276 AD
	 * (day 106751982): with a day either side for the offset, int64
	 * microseconds cannot overflow, and the server checks the rest */
	if (days < -2451546 || days > 106751983)
		return -1;
	*out = days * USECS_DAY + ((hh * 60 + mi) * 60 + ss - off) *
	    INT64_C(1000000) + frac;
	return 1;
}

/* A refused value: the server's words where it refuses it too. */
static bool
refuse(struct pgx_binary *e, size_t f, const char *fmt, const char *s,
    size_t n)
{
	char show[SL_PRINTABLE];

	e->failed = (long)e->col[f];
	sl_err(fmt, sl_printable(show, sizeof(show), s, n),
	    types[e->type[f]].sqlname);
	return false;
}

/*
 * Whether the server's date and time input would refuse s for want of a
 * digit: without one, only its special words (epoch, infinity, now,
 * today, tomorrow, yesterday) make a date or a time, and any other value
 * is "invalid input syntax" (datetime.c: a date needs its fields).
 */
static bool
no_date_at_all(const char *s, size_t n)
{
	static const char *const words[] = { "epoch", "infinity", "now",
	    "today", "tomorrow", "yesterday" };
	size_t i, k, w;

	for (i = 0; i < n; i++)
		if (s[i] >= '0' && s[i] <= '9')
			return false;
	for (w = 0; w < sizeof(words) / sizeof(words[0]); w++) {
		k = strlen(words[w]);
		for (i = 0; i + k <= n; i++)
			if (strncasecmp(s + i, words[w], k) == 0)
				return false;
	}
	return true;
}

/*
 * A date or timestamp not in its output form. When the server would
 * refuse it too, in its words (so that a reject says what text format
 * says); otherwise the server might read it, though the stream promised
 * the output form: named with its column, as the server's would not be.
 */
static bool
not_output_form(struct pgx_binary *e, size_t f, const char *s, size_t n)
{
	char show[SL_PRINTABLE];

	if (no_date_at_all(s, n))
		return refuse(e, f, "invalid input syntax for type %2$s: "
		    "\"%1$s\"", s, n);
	e->failed = (long)e->col[f];
	e->textual = true;
	sl_err("column \"%s\": \"%s\" is not in the output form of %s "
	    "(docs/rowstream.md); load --copy-format text lets the server "
	    "read it", e->h->cols[e->col[f]].name, sl_printable(show,
	    sizeof(show), s, n), types[e->type[f]].sqlname);
	return false;
}

/* An integer into an int2, int4 or int8 field, range checked. */
static bool
put_int(struct pgx_binary *e, struct sl_buf *b, size_t f,
    const msgpack_object *o, int bytes)
{
	char num[24];
	int64_t v, lim = bytes == 2 ? INT16_MAX : bytes == 4 ? INT32_MAX :
	    INT64_MAX;
	char *p;

	if (o->type == MSGPACK_OBJECT_POSITIVE_INTEGER) {
		if (o->via.u64 > (uint64_t)lim) {
			snprintf(num, sizeof(num), "%" PRIu64, o->via.u64);
			return refuse(e, f, "value \"%s\" is out of range for "
			    "type %s", num, strlen(num));
		}
		v = (int64_t)o->via.u64;
	} else {
		v = o->via.i64;
		if (v < -lim - 1) {
			snprintf(num, sizeof(num), "%" PRId64, v);
			return refuse(e, f, "value \"%s\" is out of range for "
			    "type %s", num, strlen(num));
		}
	}
	p = field(b, (size_t)bytes);
	if (bytes == 2)
		be16(p, (uint16_t)v);
	else if (bytes == 4)
		be32(p, (uint32_t)v);
	else
		be64(p, (uint64_t)v);
	return true;
}

/*
 * A float4 the way the server makes one of the text load would send:
 * strtof() of the double's shortest text, not a cast, which could round
 * the other way near a midpoint. Out of range as float4in says it.
 */
static bool
put_float4(struct pgx_binary *e, struct sl_buf *b, size_t f, double d)
{
	float v;
	uint32_t u;
	char *p;

	sl_buf_reset(&e->tmp);
	if (!sl_fmt_double(&e->tmp, d) || !sl_buf_cstr(&e->tmp))
		return false;
	errno = 0;
	v = strtof(e->tmp.p, NULL);
	if (errno == ERANGE && (v == 0 || isinf(v)))
		return refuse(e, f, "\"%s\" is out of range for type %s",
		    e->tmp.p, e->tmp.len);
	p = field(b, 4);
	memcpy(&u, &v, 4);
	be32(p, u);
	return true;
}

static bool
put_value(struct pgx_binary *e, struct sl_buf *b, size_t f,
    const msgpack_object *o)
{
	const char *s = o->via.str.ptr;
	size_t n = o->via.str.size;
	unsigned char u[16];
	int64_t ts;
	int32_t dt;
	uint64_t bits;
	char *p;
	int r;

	if (o->type == MSGPACK_OBJECT_NIL) {
		be32(b->p + b->len, UINT32_MAX);	/* -1: NULL */
		b->len += 4;
		return true;
	}
	switch (types[e->type[f]].kind) {
	case K_INT2:
		return put_int(e, b, f, o, 2);
	case K_INT4:
		return put_int(e, b, f, o, 4);
	case K_INT8:
		return put_int(e, b, f, o, 8);
	case K_FLOAT4:
		return put_float4(e, b, f, o->via.f64);
	case K_FLOAT8:
		p = field(b, 8);
		memcpy(&bits, &o->via.f64, 8);
		be64(p, bits);
		return true;
	case K_BOOL:
		p = field(b, 1);
		*p = o->via.boolean ? 1 : 0;
		return true;
	case K_BYTEA:
		p = field(b, o->via.bin.size);
		memcpy(p, o->via.bin.ptr, o->via.bin.size);
		return true;
	case K_TEXT:
		if ((p = memchr(s, '\0', n)) != NULL) {
			/* the words of the text encoder (pgx_text.c); load
			 * names the column, as it does for text */
			e->failed = (long)e->col[f];
			sl_err("invalid byte sequence for encoding \"UTF8\": "
			    "0x00 (a NUL byte at offset %zu; text cannot hold "
			    "one)", (size_t)(p - s));
			return false;
		}
		p = field(b, n);
		memcpy(p, s, n);
		return true;
	case K_UUID:
		if (!parse_uuid(s, n, u))
			return refuse(e, f, "invalid input syntax for type "
			    "%2$s: \"%1$s\"", s, n);
		p = field(b, 16);
		memcpy(p, u, 16);
		return true;
	case K_DATE:
		if (!parse_date(s, n, &dt))
			return not_output_form(e, f, s, n);
		p = field(b, 4);
		be32(p, (uint32_t)dt);
		return true;
	case K_TS:
	case K_TSTZ:
		r = parse_ts(s, n, types[e->type[f]].kind == K_TSTZ, &ts);
		if (r == 0)
			return not_output_form(e, f, s, n);
		if (r < 0)
			return refuse(e, f, "timestamp out of range: \"%s\"",
			    s, n);
		p = field(b, 8);
		be64(p, (uint64_t)ts);
		return true;
	}
	return false;
}

bool
pgx_binary_row(struct pgx_binary *e, struct sl_buf *b,
    const struct rs_row *row, uint64_t num)
{
	const msgpack_object *o;
	size_t i, len = b->len, need;

	e->failed = -1;
	e->textual = false;
	/* room for the row at once: 2 bytes of count, a length a field, and
	 * at most 16 bytes of payload a fixed-size field or a str's or a
	 * bin's bytes (a str read into a uuid or a date is at least as long
	 * as its binary form, but 16 more cost nothing) */
	need = 2 + 4 * e->n + (e->rownum ? 8 : 0);
	for (i = 0; i + e->rownum < e->n; i++) {
		o = &row->v[e->col[i]];
		need += o->type == MSGPACK_OBJECT_STR ? o->via.str.size + 16 :
		    o->type == MSGPACK_OBJECT_BIN ? o->via.bin.size : 16;
	}
	if (!sl_buf_grow(b, need))
		return false;
	be16(b->p + b->len, (uint16_t)e->n);
	b->len += 2;
	for (i = 0; i + e->rownum < e->n; i++)
		if (!put_value(e, b, i, &row->v[e->col[i]])) {
			b->len = len;
			return false;
		}
	if (e->rownum)
		be64(field(b, 8), num);
	return true;
}
