/*
 * jsonl.c: JSON lines into row stream rows, through json-c. See jsonl.h.
 *
 * json-c builds a tree for each line (it allocates; no JSON library in
 * Debian parses without), which is freed before the next line: memory
 * stays that of one line. Its tokener is made once and reset a line, in
 * strict mode (no trailing commas, no leading zeros, nothing after the
 * object). It is lenient still where RFC 8259 is not (single-quoted
 * strings, NaN, raw tabs in strings are taken), and an integer beyond
 * the 64-bit range is clamped to it: docs/extract.1, BUGS.
 */
#include <ctype.h>
#include <inttypes.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>
#include <nettle/base64.h>

#include "exitcodes.h"
#include "jsonl.h"
#include "lines.h"
#include "textval.h"
#include "value.h"

/* What a value is, once its Extended JSON wrapper is taken off. */
enum kind { K_NONE, K_OID, K_DATE, K_LONG, K_INT, K_DOUBLE, K_DECIMAL,
    K_BINARY };

static const struct {
	const char	*key;
	enum kind	 kind;
	const char	*type;		/* a path ending at key: its type */
} wrappers[] = {
	{ "$oid", K_OID, "text" },
	{ "$date", K_DATE, "timestamptz" },
	{ "$numberLong", K_LONG, "int8" },
	{ "$numberInt", K_INT, "int8" },
	{ "$numberDouble", K_DOUBLE, "float8" },
	{ "$numberDecimal", K_DECIMAL, "numeric" },
	{ "$binary", K_BINARY, "bytea" },
};
#define NWRAP	(sizeof(wrappers) / sizeof(wrappers[0]))

/*
 * A key of a path, looked up in json-c's hash tables with the hash
 * computed once (json-c's string hash is one function for every object
 * of the process): hashing the key again on every row was a tenth of
 * the time spent outside json-c's parser.
 */
struct jpart {
	char		*key;		/* into its path's store */
	unsigned long	 hash;
	size_t		 idx;		/* the key as an array index */
	bool		 isidx;		/* it is one (digits alone) */
};

struct jcol {
	char		*path;		/* as written, for messages */
	char		*store;		/* path again, split at its dots */
	struct jpart	*parts;		/* its keys, into store */
	size_t		 nparts;
	bool		 under;		/* parts address the unwound element */
	enum kind	 hint;		/* the wrapper key the path ends at */
	bool		 json;		/* a json or jsonb column */
	int64_t		 lo, hi;	/* an integer column's range */
};

struct jsonl {
	struct sl_lines		*in;
	struct rs_header	*h;
	struct jcol		*cols;
	size_t			 ncols;
	char			*uwcopy;	/* the unwind path, split */
	struct jpart		*uw;
	size_t			 nuw;
	struct json_tokener	*tok;
	struct sl_buf		 conv;		/* a decoded value, reused */
	struct sl_buf		 text;		/* and its text, reused */
};

static enum kind
wrapper_kind(const char *key, const char **type)
{
	size_t i;

	for (i = 0; key[0] == '$' && i < NWRAP; i++)
		if (strcmp(key, wrappers[i].key) == 0) {
			if (type != NULL)
				*type = wrappers[i].type;
			return wrappers[i].kind;
		}
	return K_NONE;
}

/*
 * Splits path (in place) at its dots into *parts, each with its hash
 * and, when it is digits, its index; false for an empty key, which no
 * path can mean.
 */
static bool
split_path(char *path, struct jpart **parts, size_t *n)
{
	struct json_object *o;
	struct lh_table *t;
	size_t i, k = 1;
	char *p, *end;

	for (p = path; *p != '\0'; p++)
		k += *p == '.';
	if ((*parts = calloc(k, sizeof(**parts))) == NULL) {
		sl_err("out of memory");
		return false;
	}
	/* the hash function is the one every object's table has */
	if ((o = json_object_new_object()) == NULL) {
		sl_err("out of memory");
		return false;
	}
	t = json_object_get_object(o);
	for (i = 0, p = path; i < k; i++) {
		(*parts)[i].key = p;
		if ((p = strchr(p, '.')) != NULL)
			*p++ = '\0';
		if ((*parts)[i].key[0] == '\0') {
			json_object_put(o);
			sl_err("--columns: an empty key in a path");
			return false;
		}
		(*parts)[i].hash = lh_get_hash(t, (*parts)[i].key);
		if (isdigit((unsigned char)(*parts)[i].key[0])) {
			(*parts)[i].idx = strtoul((*parts)[i].key, &end, 10);
			(*parts)[i].isidx = *end == '\0';
		}
	}
	json_object_put(o);
	*n = k;
	return true;
}

/* The words of one item, "PATH" or "PATH AS NAME", in place. */
static bool
parse_item(char *item, char **path, char **name)
{
	char *w[4], *save = NULL;
	size_t n = 0;

	for (w[0] = strtok_r(item, " \t\n", &save); w[n] != NULL && n < 3;)
		w[++n] = strtok_r(NULL, " \t\n", &save);
	if ((n != 1 && n != 3) || (n == 3 && strcasecmp(w[1], "as") != 0)) {
		sl_err("--columns: \"%s\" is not PATH or PATH AS NAME",
		    n > 0 ? w[0] : "");
		return false;
	}
	*path = w[0];
	*name = n == 3 ? w[2] : NULL;
	return true;
}

/* One column of the list: its path, whether under unwind, its name. */
static bool
add_col(struct jsonl *j, size_t i, char *item)
{
	struct jcol *c = &j->cols[i];
	const char *type = "text", *name;
	char *path, *nm;
	size_t k;

	if (!parse_item(item, &path, &nm))
		return false;
	if ((c->path = strdup(path)) == NULL ||
	    (c->store = strdup(path)) == NULL) {
		sl_err("out of memory");
		return false;
	}
	if (!split_path(c->store, &c->parts, &c->nparts))
		return false;
	c->hint = wrapper_kind(c->parts[c->nparts - 1].key, &type);
	for (k = 0; k < j->nuw && k < c->nparts; k++)
		if (strcmp(c->parts[k].key, j->uw[k].key) != 0)
			break;
	if (j->nuw > 0 && k == j->nuw) {
		c->under = true;
		c->parts += j->nuw;
		c->nparts -= j->nuw;
	}
	name = nm;
	for (k = c->nparts; name == NULL && k > 0; k--)
		if (c->parts[k - 1].key[0] != '$')
			name = c->parts[k - 1].key;
	if (name == NULL)	/* only $ keys, or the element itself */
		name = c->path;
	return rs_header_setcol(j->h, i, name, type);
}

/* The -c list into columns, and the header they make. */
static int
parse_cols(struct jsonl *j, const struct jsonl_spec *sp)
{
	char *copy, *item, *save = NULL;
	size_t n = 1, i;
	const char *p;

	for (p = sp->cols; *p != '\0'; p++)
		n += *p == ',';
	if ((copy = strdup(sp->cols)) == NULL ||
	    (j->cols = calloc(n, sizeof(*j->cols))) == NULL ||
	    (j->h = rs_header_new(sp->table, n)) == NULL) {
		free(copy);
		sl_err("out of memory");
		return EXIT_IO;
	}
	j->ncols = n;
	/* strtok_r would skip an empty item: strsep keeps it, to refuse */
	save = copy;
	for (i = 0; i < n; i++) {
		item = strsep(&save, ",");
		if (!add_col(j, i, item)) {
			free(copy);
			return EXIT_USAGE;
		}
	}
	free(copy);
	return EXIT_OK;
}

struct jsonl *
jsonl_open(const struct jsonl_spec *sp, int *status)
{
	struct jsonl *j;

	*status = EXIT_IO;
	if ((j = calloc(1, sizeof(*j))) == NULL) {
		sl_err("out of memory");
		return NULL;
	}
	if (sp->unwind != NULL && ((j->uwcopy = strdup(sp->unwind)) == NULL ||
	    !split_path(j->uwcopy, &j->uw, &j->nuw))) {
		*status = EXIT_USAGE;
		goto bad;
	}
	if ((*status = parse_cols(j, sp)) != EXIT_OK)
		goto bad;
	*status = EXIT_IO;
	if (!rs_header_setsource(j->h, strcmp(sp->path, "-") == 0 ? "stdin" :
	    sp->path) || (j->tok = json_tokener_new()) == NULL ||
	    (j->in = sl_lines_open(sp->path)) == NULL)
		goto bad;
	json_tokener_set_flags(j->tok, JSON_TOKENER_STRICT);
	*status = EXIT_OK;
	return j;
bad:
	jsonl_free(j);
	return NULL;
}

struct rs_header *
jsonl_header(struct jsonl *j)
{
	return j->h;
}

void
jsonl_free(struct jsonl *j)
{
	size_t i;

	if (j == NULL)
		return;
	for (i = 0; i < j->ncols; i++) {
		free(j->cols[i].path);
		free(j->cols[i].store);
		if (j->cols[i].under)
			j->cols[i].parts -= j->nuw;
		free(j->cols[i].parts);
	}
	free(j->cols);
	free(j->uw);
	free(j->uwcopy);
	if (j->tok != NULL)
		json_tokener_free(j->tok);
	sl_lines_close(j->in);
	rs_header_free(j->h);
	sl_buf_free(&j->conv);
	sl_buf_free(&j->text);
	free(j);
}

/*
 * Walking a path
 */

/* The value at parts[0..n) under v; NULL when missing or null. */
static struct json_object *
walk(struct json_object *v, const struct jpart *parts, size_t n)
{
	struct lh_entry *e;
	size_t i;

	for (i = 0; i < n && v != NULL; i++) {
		if (json_object_is_type(v, json_type_object)) {
			if ((e = lh_table_lookup_entry_w_hash(
			    json_object_get_object(v), parts[i].key,
			    parts[i].hash)) == NULL)
				return NULL;
			v = (struct json_object *)lh_entry_v(e);
		} else if (json_object_is_type(v, json_type_array) &&
		    parts[i].isidx) {
			if (parts[i].idx >= json_object_array_length(v))
				return NULL;
			v = json_object_array_get_idx(v, parts[i].idx);
		} else {
			return NULL;
		}
	}
	return v;
}

/*
 * The wrapper v is, and in *inner what it wraps: {"$oid": "..."} and the
 * others of one key, and the legacy {"$binary": "...", "$type": "..."}.
 */
static enum kind
unwrap(struct json_object *v, struct json_object **inner)
{
	struct json_object_iterator it;
	enum kind k;
	int n;

	*inner = v;
	if (!json_object_is_type(v, json_type_object) ||
	    (n = json_object_object_length(v)) < 1 || n > 2)
		return K_NONE;
	it = json_object_iter_begin(v);
	k = wrapper_kind(json_object_iter_peek_name(&it), NULL);
	if (n == 2 && (k != K_BINARY ||
	    !json_object_object_get_ex(v, "$type", NULL)))
		return K_NONE;
	if (k != K_NONE)
		*inner = json_object_iter_peek_value(&it);
	return k;
}

/*
 * Extended JSON values
 */

static const char *
str(struct json_object *v, size_t *n)
{
	if (!json_object_is_type(v, json_type_string))
		return NULL;
	*n = (size_t)json_object_get_string_len(v);
	return json_object_get_string(v);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

static void
civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* n digits at *p as a number, advancing *p; -1 when they are not. */
static int
digits(const char **p, const char *end, int n)
{
	int v = 0;

	for (; n > 0; n--, (*p)++) {
		if (*p == end || !isdigit((unsigned char)**p))
			return -1;
		v = v * 10 + (**p - '0');
	}
	return v;
}

static bool
expect(const char **p, const char *end, char c)
{
	if (*p == end || **p != c)
		return false;
	(*p)++;
	return true;
}

/*
 * An ISO 8601 date and time as mongoexport writes it (relaxed mode):
 * YYYY-MM-DDTHH:MM:SS, a fraction, then Z or an offset (+HH:MM, +HHMM,
 * +HH), into microseconds since the epoch. Digits past the microsecond
 * are cut: MongoDB keeps milliseconds.
 */
static bool
parse_iso(const char *s, size_t n, int64_t *us)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	const char *p = s, *end = s + n;
	int y, mo, d, h, mi, se, oh = 0, om = 0, sign = 0, k;
	int64_t frac = 0, scale = 100000;

	if ((y = digits(&p, end, 4)) < 0 || !expect(&p, end, '-') ||
	    (mo = digits(&p, end, 2)) < 1 || mo > 12 ||
	    !expect(&p, end, '-') || (d = digits(&p, end, 2)) < 1 ||
	    d > mdays[mo - 1] || (mo == 2 && d == 29 && (y % 4 != 0 ||
	    (y % 100 == 0 && y % 400 != 0))) || !expect(&p, end, 'T') ||
	    (h = digits(&p, end, 2)) < 0 || h > 23 || !expect(&p, end, ':') ||
	    (mi = digits(&p, end, 2)) < 0 || mi > 59 ||
	    !expect(&p, end, ':') || (se = digits(&p, end, 2)) < 0 || se > 59)
		return false;
	if (p < end && *p == '.') {
		for (p++, k = 0; p < end && isdigit((unsigned char)*p); p++,
		    k++) {
			frac += (*p - '0') * scale;
			scale /= 10;
		}
		if (k == 0)
			return false;
	}
	if (p < end && (*p == '+' || *p == '-')) {
		sign = *p++ == '-' ? -1 : 1;
		if ((oh = digits(&p, end, 2)) < 0 || oh > 23)
			return false;
		if (p < end && *p == ':')
			p++;
		if (p < end && ((om = digits(&p, end, 2)) < 0 || om > 59))
			return false;
	} else if (!expect(&p, end, 'Z')) {
		return false;
	}
	if (p != end)
		return false;
	*us = ((days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se -
	    sign * (oh * 3600 + om * 60)) * 1000000) + frac;
	return true;
}

/*
 * A $date's value: an ISO string, {"$numberLong": "ms"} (canonical
 * mode, and relaxed mode out of the years 1970 to 9999) or a number of
 * milliseconds (the legacy form), into microseconds since the epoch.
 */
static bool
date_us(struct json_object *v, int64_t *us)
{
	struct json_object *ms;
	const char *s;
	size_t n;
	int64_t m;

	if ((s = str(v, &n)) != NULL)
		return parse_iso(s, n, us);
	if (json_object_is_type(v, json_type_object) &&
	    json_object_object_length(v) == 1 &&
	    json_object_object_get_ex(v, "$numberLong", &ms)) {
		if ((s = str(ms, &n)) == NULL ||
		    !sl_parse_int(s, n, INT64_MIN, INT64_MAX, &m))
			return false;
	} else if (json_object_is_type(v, json_type_int)) {
		m = json_object_get_int64(v);
	} else {
		return false;
	}
	if (m > INT64_MAX / 1000 || m < INT64_MIN / 1000)
		return false;
	*us = m * 1000;
	return true;
}

/* v in n digits, with leading zeros, at p; returns the end. */
static char *
put_digits(char *p, int64_t v, int n)
{
	int i;

	for (i = n - 1; i >= 0; i--, v /= 10)
		p[i] = (char)('0' + v % 10);
	return p + n;
}

/*
 * Microseconds since the epoch in PostgreSQL's text form of timestamptz
 * at UTC (DateStyle ISO): 2024-01-02 10:00:00.5+00, BC after the zone
 * for years before 1. By hand, not with printf: this is per row, and
 * printf would be a tenth of extract's time.
 */
static bool
fmt_date(struct sl_buf *b, int64_t us)
{
	int64_t days = us / 86400000000LL, rem = us % 86400000000LL, y, ay;
	char s[48], *p = s;
	int m, d, frac, k;

	if (rem < 0) {
		rem += 86400000000LL;
		days--;
	}
	civil_from_days(days, &y, &m, &d);
	ay = y > 0 ? y : 1 - y;
	/* int64 microseconds reach the year 294247: six digits at most */
	p = put_digits(p, ay, ay < 10000 ? 4 : ay < 100000 ? 5 : 6);
	*p++ = '-';
	p = put_digits(p, m, 2);
	*p++ = '-';
	p = put_digits(p, d, 2);
	*p++ = ' ';
	p = put_digits(p, rem / 3600000000LL, 2);
	*p++ = ':';
	p = put_digits(p, rem / 60000000 % 60, 2);
	*p++ = ':';
	p = put_digits(p, rem / 1000000 % 60, 2);
	if ((frac = (int)(rem % 1000000)) != 0) {
		for (k = 6; frac % 10 == 0; k--)
			frac /= 10;
		*p++ = '.';
		p = put_digits(p, frac, k);
	}
	memcpy(p, y > 0 ? "+00" : "+00 BC", y > 0 ? 3 : 6);
	p += y > 0 ? 3 : 6;
	return sl_buf_add(b, s, (size_t)(p - s));
}

/* A $binary's bytes into j->conv: {"base64": ..., "subType": ...}, or
 * the legacy form's string. The subtype is not kept. */
static bool
binary(struct jsonl *j, struct json_object *v)
{
	struct base64_decode_ctx ctx;
	struct json_object *b64 = v;
	const char *s;
	size_t n, out;

	if (json_object_is_type(v, json_type_object) &&
	    !json_object_object_get_ex(v, "base64", &b64))
		return false;
	if ((s = str(b64, &n)) == NULL)
		return false;
	sl_buf_reset(&j->conv);
	if (!sl_buf_grow(&j->conv, BASE64_DECODE_LENGTH(n) + 1))
		return false;
	out = j->conv.cap;
	base64_decode_init(&ctx);
	if (!base64_decode_update(&ctx, &out, (uint8_t *)j->conv.p, n, s) ||
	    !base64_decode_final(&ctx))
		return false;
	j->conv.len = out;
	return true;
}

/*
 * Values into columns
 */

/* The compact JSON text of v, which stays v's (json-c keeps it). */
static const char *
json_text(struct json_object *v, size_t *n)
{
	return json_object_to_json_string_length(v, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE, n);
}

static const char *
put_text(struct rs_writer *w, const char *s, size_t n)
{
	if (s == NULL)
		return "not Extended JSON (the wrapper holds no string)";
	if (!sl_text_valid(s, n))
		return "not UTF-8, or holds a NUL byte";
	rs_put_str(w, s, n);
	return NULL;
}

/* The string a number arrives as: a wrapper's, or a plain string. */
static const char *
num_text(enum kind k, struct json_object *v, size_t *n)
{
	return k == K_DATE || k == K_OID || k == K_BINARY ? NULL : str(v, n);
}

static const char *
put_int(const struct jcol *c, enum kind k, struct json_object *v,
    struct rs_writer *w)
{
	int64_t i, lo = c->lo, hi = c->hi;
	const char *s;
	size_t n;

	if ((s = num_text(k, v, &n)) != NULL) {
		if (!sl_parse_int(s, n, lo, hi, &i))
			return "not an integer (or out of the column's range)";
	} else if (k == K_NONE && json_object_is_type(v, json_type_int)) {
		i = json_object_get_int64(v);
		if ((i == INT64_MAX && json_object_get_uint64(v) >
		    (uint64_t)INT64_MAX) || i < lo || i > hi)
			return "out of the column's range";
	} else {
		return "not an integer";
	}
	rs_put_int(w, i);
	return NULL;
}

static const char *
put_float(enum kind k, struct json_object *v, struct rs_writer *w)
{
	const char *s;
	size_t n;
	double d;

	if ((s = num_text(k, v, &n)) != NULL) {
		if (!sl_parse_float(s, n, &d))
			return "not a number";
	} else if (k == K_NONE && (json_object_is_type(v, json_type_int) ||
	    json_object_is_type(v, json_type_double))) {
		d = json_object_get_double(v);
	} else {
		return "not a number";
	}
	rs_put_double(w, d);
	return NULL;
}

static const char *
put_bool(enum kind k, struct json_object *v, struct rs_writer *w)
{
	const char *s;
	size_t n;
	int b;

	if (k == K_NONE && json_object_is_type(v, json_type_boolean))
		b = json_object_get_boolean(v);
	else if (k == K_NONE && (s = str(v, &n)) != NULL &&
	    (b = sl_parse_bool(s, n)) >= 0)
		;
	else
		return "not a boolean";
	rs_put_bool(w, b != 0);
	return NULL;
}

static const char *
put_bytea(struct jsonl *j, const struct rs_col *col, enum kind k,
    struct json_object *v, struct rs_writer *w)
{
	const char *s;
	size_t n;

	if (k == K_BINARY) {
		if (!binary(j, v))
			return "not Extended JSON $binary (base64)";
		rs_put_bin(w, j->conv.p, j->conv.len);
		return NULL;
	}
	if (k == K_NONE && (s = str(v, &n)) != NULL &&
	    tv_put(w, col, s, n, &j->conv))
		return NULL;
	return "not bytea ($binary, or a string)";
}

/* Text: a wrapper's value decoded, a scalar's text, a document's JSON. */
static const char *
put_textual(struct jsonl *j, enum kind k, struct json_object *v,
    struct rs_writer *w)
{
	const char *s;
	int64_t us;
	size_t n;

	switch (k) {
	case K_DATE:
		sl_buf_reset(&j->conv);
		if (!date_us(v, &us))
			return "not Extended JSON $date (an ISO 8601 date and "
			    "time, or milliseconds in $numberLong)";
		if (!fmt_date(&j->conv, us))
			return "too long (out of memory)";
		rs_put_str(w, j->conv.p, j->conv.len);
		return NULL;
	case K_BINARY:
		if (!binary(j, v))
			return "not Extended JSON $binary (base64)";
		sl_buf_reset(&j->text);
		if (!sl_fmt_hex(&j->text, j->conv.p, j->conv.len))
			return "too long (out of memory)";
		rs_put_str(w, j->text.p, j->text.len);
		return NULL;
	case K_NONE:
		if ((s = str(v, &n)) == NULL)
			s = json_text(v, &n);
		return put_text(w, s, n);
	default:
		s = str(v, &n);
		return put_text(w, s, n);
	}
}

/* Puts v (NULL: missing or null) into w as col wants it; NULL, or why
 * it cannot. */
static const char *
put_value(struct jsonl *j, const struct jcol *c, const struct rs_col *col,
    struct json_object *v, struct rs_writer *w)
{
	struct json_object *in = v;
	enum kind k = c->hint;
	const char *s;
	size_t n;

	if (v == NULL) {
		rs_put_nil(w);
		return NULL;
	}
	if (c->json) {
		s = json_text(v, &n);
		return put_text(w, s, n);
	}
	if (k == K_NONE)
		k = unwrap(v, &in);
	switch (col->cls) {
	case RS_INT:
		return put_int(c, k, in, w);
	case RS_FLOAT:
		return put_float(k, in, w);
	case RS_BOOL:
		return put_bool(k, in, w);
	case RS_BYTEA:
		return put_bytea(j, col, k, in, w);
	case RS_TEXT:
		break;
	}
	return put_textual(j, k, in, w);
}

/*
 * Lines into rows
 */

static int
bad_json(struct jsonl *j, size_t at, const char *why)
{
	sl_err("%s: line %" PRIu64 ", byte %" PRIu64 ": %s", j->in->path,
	    j->in->lineno, j->in->off + at, why);
	return EXIT_STREAM;
}

static bool
blank(const char *s, size_t n)
{
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	return n == 0;
}

/* The line's object, or NULL with the error reported. */
static struct json_object *
parse_line(struct jsonl *j, const char *line, size_t len, int *status)
{
	struct json_object *o;
	enum json_tokener_error e;
	size_t end;

	json_tokener_reset(j->tok);
	o = json_tokener_parse_ex(j->tok, line, (int)len);
	end = json_tokener_get_parse_end(j->tok);
	e = json_tokener_get_error(j->tok);
	if (o == NULL && e == json_tokener_continue)
		*status = bad_json(j, len, "the line ends inside a JSON value");
	else if (o == NULL)
		*status = bad_json(j, end,
		    json_tokener_error_desc(e));
	else if (!json_object_is_type(o, json_type_object))
		*status = bad_json(j, 0, "not a JSON object");
	else if (!blank(line + end, len - end))
		*status = bad_json(j, end, "text after the JSON object");
	else
		return o;
	json_object_put(o);
	return NULL;
}

/* One row: each column's path from the line's object or the element. */
static int
put_row(struct jsonl *j, struct json_object *o, struct json_object *elem,
    struct rs_writer *w)
{
	const struct rs_header *h = rs_wheader(w);
	struct json_object *v;
	char cname[SL_PRINTABLE], val[SL_PRINTABLE];
	const char *why, *s;
	size_t i, n;

	if (!rs_row_begin(w))
		return EXIT_IO;
	for (i = 0; i < j->ncols; i++) {
		v = walk(j->cols[i].under ? elem : o, j->cols[i].parts,
		    j->cols[i].nparts);
		if ((why = put_value(j, &j->cols[i], &h->cols[i], v, w)) ==
		    NULL)
			continue;
		s = json_text(v, &n);
		sl_err("%s: line %" PRIu64 ": column \"%s\" (%s): %s is %s",
		    j->in->path, j->in->lineno, sl_printable(cname,
		    sizeof(cname), h->cols[i].name, strlen(h->cols[i].name)),
		    h->cols[i].type, sl_printable(val, sizeof(val), s, n), why);
		return EXIT_STREAM;
	}
	return rs_row_end(w) ? EXIT_OK : EXIT_IO;
}

/* A line's rows: one, or one per element of the unwound array. */
static int
put_line(struct jsonl *j, struct json_object *o, struct rs_writer *w)
{
	struct json_object *a;
	size_t i, n;
	int status;

	if (j->nuw == 0)
		return put_row(j, o, NULL, w);
	if ((a = walk(o, j->uw, j->nuw)) == NULL)
		return EXIT_OK;
	if (!json_object_is_type(a, json_type_array))
		return put_row(j, o, a, w);
	n = json_object_array_length(a);
	for (i = 0; i < n; i++)
		if ((status = put_row(j, o, json_object_array_get_idx(a, i),
		    w)) != EXIT_OK)
			return status;
	return EXIT_OK;
}

static int
copy_lines(struct jsonl *j, struct rs_writer *w, struct sl_progress *pg)
{
	struct json_object *o;
	const char *line;
	size_t len;
	int rc, status = EXIT_OK;

	while (status == EXIT_OK &&
	    (rc = sl_lines_next(j->in, &line, &len)) > 0) {
		if (blank(line, len))
			continue;
		if (len > INT32_MAX)
			return bad_json(j, 0, "a line of 2 GB or more");
		if ((o = parse_line(j, line, len, &status)) == NULL)
			return status;
		status = put_line(j, o, w);
		json_object_put(o);
		sl_progress_update(pg, rs_wtotal_rows(w), rs_wbytes(w));
	}
	if (status != EXIT_OK)
		return status;
	if (rc < 0)
		return EXIT_IO;
	return rs_end(w) ? EXIT_OK : EXIT_IO;
}

/*
 * json-c 0.16 switches to the C locale for its numbers on every parse
 * call by duplicating the thread's locale (a malloc, a getenv, a free:
 * a tenth of a line's parse). Duplicating the C locale object itself is
 * free in glibc, so the thread is put in it while lines are read; the
 * values mean the same, extract's own numbers being C's already.
 */
int
jsonl_copy(struct jsonl *j, struct rs_writer *w, struct sl_progress *pg)
{
	locale_t c, old = (locale_t)0;
	size_t i;
	int status;

	for (i = 0; i < j->ncols; i++) {
		j->cols[i].json = strcasecmp(j->h->cols[i].type, "json") == 0 ||
		    strcasecmp(j->h->cols[i].type, "jsonb") == 0;
		sl_int_range(j->h->cols[i].type, &j->cols[i].lo,
		    &j->cols[i].hi);
	}
	if (!rs_begin(w, j->h))
		return EXIT_IO;
	/* without it (never with glibc) the parse is slower, not wrong */
	if ((c = newlocale(LC_ALL_MASK, "C", (locale_t)0)) != (locale_t)0)
		old = uselocale(c);
	status = copy_lines(j, w, pg);
	if (c != (locale_t)0) {
		uselocale(old);
		freelocale(c);
	}
	return status;
}
