/*
 * exfn.c: the functions of cols' expressions (expr.h), one entry each in
 * the table ex_fns[] at the end. Text is UTF-8; lower, upper and ascii
 * go through ICU (root locale: no Turkish or Lithuanian rules), and
 * leave plain ASCII to a loop of their own, which is most of the data
 * and many times faster. trim strips Unicode white space (ICU's
 * White_Space property), not only the spaces PostgreSQL's trim strips.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/ucasemap.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>
#include <unicode/utrans.h>

#include "datefmt.h"
#include "err.h"
#include "expr.h"
#include "phone.h"
#include "value.h"

/* ascii(): romanize other scripts, strip accents, drop what is left. */
#define ASCII_ID	"Any-Latin; Latin-ASCII; [:^ASCII:] Remove"

static UCaseMap *casemap;
static UTransliterator *translit;
static const UNormalizer2 *nfd;
static UChar *ubuf;		/* UTF-16 text for the transliterator */
static int32_t ucap;

static bool
icu_failed(const char *what, UErrorCode e)
{
	sl_err("ICU %s: %s", what, u_errorName(e));
	return false;
}

static int
icu_error(const char *what, UErrorCode e)
{
	icu_failed(what, e);
	return EX_ERROR;
}

static bool
open_icu(void)
{
	UErrorCode e = U_ZERO_ERROR;

	if (casemap == NULL && (casemap = ucasemap_open("", 0, &e)) == NULL)
		return icu_failed("ucasemap_open", e);
	if (nfd == NULL && (nfd = unorm2_getNFDInstance(&e)) == NULL)
		return icu_failed("unorm2_getNFDInstance", e);
	return true;
}

static bool
open_translit(void)
{
	UChar id[64];
	UParseError pe;
	UErrorCode e = U_ZERO_ERROR;
	int32_t n;

	if (translit != NULL)
		return true;
	u_strFromUTF8(id, 64, &n, ASCII_ID, -1, &e);
	if (U_SUCCESS(e))
		translit = utrans_openU(id, n, UTRANS_FORWARD, NULL, 0, &pe, &e);
	return U_SUCCESS(e) ? true : icu_failed("utrans_openU " ASCII_ID, e);
}

void
ex_shutdown(void)
{
	if (casemap != NULL)
		ucasemap_close(casemap);
	if (translit != NULL)
		utrans_close(translit);
	free(ubuf);
	casemap = NULL;
	translit = NULL;
	ubuf = NULL;
	ucap = 0;
}

/* The text of argument 0, checked to be UTF-8 ICU can take. */
static int
utf8_arg(struct ex_node *n, struct ex_fail *f, const char **p, size_t *len)
{
	size_t bad;

	if (!ex_text(n, 0, p, len))
		return EX_ERROR;
	if ((bad = sl_utf8_bad(*p, *len)) != SIZE_MAX)
		return ex_failf(n, f, "invalid UTF-8 at byte %zu", bad + 1);
	if (*len > INT32_MAX / 4)
		return ex_failf(n, f, "a value of %zu bytes is too long", *len);
	return EX_OK;
}

static bool
ascii_only(const char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)p[i] >= 0x80)
			return false;
	return true;
}

/* lower, upper of ASCII: the input itself when nothing changes. */
static int
ascii_case(struct ex_node *n, const char *p, size_t len, bool up)
{
	struct sl_buf *b = ex_buf(n);
	char lo = up ? 'a' : 'A', hi = up ? 'z' : 'Z';
	size_t i;

	for (i = 0; i < len && (p[i] < lo || p[i] > hi); i++)
		;
	if (i == len)
		return ex_ret_str(n, p, len);
	sl_buf_reset(b);
	if (!sl_buf_add(b, p, len))
		return EX_ERROR;
	for (; i < len; i++)
		if (b->p[i] >= lo && b->p[i] <= hi)
			b->p[i] ^= 0x20;
	return ex_ret_buf(n);
}

static int
fn_case(struct ex_node *n, struct ex_fail *f, bool up)
{
	struct sl_buf *b = ex_buf(n);
	UErrorCode e;
	const char *p;
	size_t len;
	int32_t k;
	int st;

	if (!ex_text(n, 0, &p, &len))
		return EX_ERROR;
	if (ascii_only(p, len))
		return ascii_case(n, p, len, up);
	if ((st = utf8_arg(n, f, &p, &len)) != EX_OK)
		return st;
	if (!open_icu())
		return EX_ERROR;
	sl_buf_reset(b);
	if (!sl_buf_grow(b, len + 16))
		return EX_ERROR;
	for (;;) {
		e = U_ZERO_ERROR;
		k = (up ? ucasemap_utf8ToUpper : ucasemap_utf8ToLower)(casemap,
		    b->p, b->cap > INT32_MAX ? INT32_MAX : (int32_t)b->cap, p,
		    (int32_t)len, &e);
		if (e != U_BUFFER_OVERFLOW_ERROR)
			break;
		if (!sl_buf_grow(b, (size_t)k + 1))
			return EX_ERROR;
	}
	if (U_FAILURE(e))
		return icu_error("case mapping", e);
	b->len = (size_t)k;
	return ex_ret_buf(n);
}

static int
fn_lower(struct ex_node *n, struct ex_fail *f)
{
	return fn_case(n, f, false);
}

static int
fn_upper(struct ex_node *n, struct ex_fail *f)
{
	return fn_case(n, f, true);
}

/* Whether c is to be trimmed: white space, or one of set[0..sn). */
static bool
trims(UChar32 c, const char *set, size_t sn)
{
	int32_t i = 0, len = (int32_t)sn;
	UChar32 s;

	if (set == NULL)
		return c < 0x80 ? c == ' ' || (c >= '\t' && c <= '\r') :
		    u_isUWhiteSpace(c);
	while (i < len) {
		U8_NEXT(set, i, len, s);
		if (s == c)
			return true;
	}
	return false;
}

/* trim(s) strips white space at both ends, trim(s, chars) those chars. */
static int
fn_trim(struct ex_node *n, struct ex_fail *f)
{
	const char *p, *set = NULL;
	size_t len, sn = 0;
	int32_t i = 0, j, k, end;
	UChar32 c;
	int st;

	if ((st = utf8_arg(n, f, &p, &len)) != EX_OK)
		return st;
	if (ex_nargs(n) == 2) {
		if (!ex_text(n, 1, &set, &sn))
			return EX_ERROR;
		if (sl_utf8_bad(set, sn) != SIZE_MAX)
			return ex_failf(n, f, "the characters to trim are not "
			    "UTF-8");
	}
	end = (int32_t)len;
	while (i < end) {
		k = i;
		U8_NEXT(p, k, end, c);
		if (!trims(c, set, sn))
			break;
		i = k;
	}
	while (end > i) {
		j = end;
		U8_PREV(p, i, j, c);
		if (!trims(c, set, sn))
			break;
		end = j;
	}
	return ex_ret_str(n, p + i, (size_t)(end - i));
}

/* concat(a, b, ...): NULL if any is (unlike PostgreSQL's concat). */
static int
fn_concat(struct ex_node *n, struct ex_fail *f)
{
	struct sl_buf *b = ex_buf(n);
	const char *p;
	size_t i, len;

	(void)f;
	sl_buf_reset(b);
	for (i = 0; i < ex_nargs(n); i++)
		if (!ex_text(n, i, &p, &len) || !sl_buf_add(b, p, len))
			return EX_ERROR;
	return ex_ret_buf(n);
}

static int
fn_coalesce(struct ex_node *n, struct ex_fail *f)
{
	static const msgpack_object nil = { MSGPACK_OBJECT_NIL, { 0 } };
	size_t i;
	int st;

	for (i = 0; i < ex_nargs(n); i++) {
		if ((st = ex_arg_eval(n, i, f)) != EX_OK)
			return st;
		if (ex_arg(n, i)->type != MSGPACK_OBJECT_NIL)
			return ex_ret_val(n, ex_arg(n, i));
	}
	return ex_ret_val(n, &nil);
}

/* nullif(a, b): NULL when their text forms are equal, else a. */
static int
fn_nullif(struct ex_node *n, struct ex_fail *f)
{
	static const msgpack_object nil = { MSGPACK_OBJECT_NIL, { 0 } };
	const char *a, *b;
	size_t an, bn;

	(void)f;
	if (ex_arg(n, 0)->type == MSGPACK_OBJECT_NIL)
		return ex_ret_val(n, &nil);
	if (ex_arg(n, 1)->type == MSGPACK_OBJECT_NIL)
		return ex_ret_val(n, ex_arg(n, 0));
	if (!ex_text(n, 0, &a, &an) || !ex_text(n, 1, &b, &bn))
		return EX_ERROR;
	if (an == bn && memcmp(a, b, an) == 0)
		return ex_ret_val(n, &nil);
	return ex_ret_val(n, ex_arg(n, 0));
}

/* replace(s, from, to): every from in s, left to right. */
static int
fn_replace(struct ex_node *n, struct ex_fail *f)
{
	struct sl_buf *b = ex_buf(n);
	const char *s, *from, *to, *hit, *e;
	size_t sn, fn, tn;

	(void)f;
	if (!ex_text(n, 0, &s, &sn) || !ex_text(n, 1, &from, &fn) ||
	    !ex_text(n, 2, &to, &tn))
		return EX_ERROR;
	if (fn == 0 || fn > sn || (hit = memmem(s, sn, from, fn)) == NULL)
		return ex_ret_str(n, s, sn);
	sl_buf_reset(b);
	e = s + sn;
	do {
		if (!sl_buf_add(b, s, (size_t)(hit - s)) ||
		    !sl_buf_add(b, to, tn))
			return EX_ERROR;
		s = hit + fn;
	} while ((hit = memmem(s, (size_t)(e - s), from, fn)) != NULL);
	if (!sl_buf_add(b, s, (size_t)(e - s)))
		return EX_ERROR;
	return ex_ret_buf(n);
}

/* Argument i as a bigint: an integer, or text that is one. */
static int
int_arg(struct ex_node *n, size_t i, struct ex_fail *f, const char *what,
    int64_t *v)
{
	const msgpack_object *o = ex_arg(n, i);
	char show[SL_PRINTABLE];
	const char *p;
	size_t len;

	if (o->type == MSGPACK_OBJECT_POSITIVE_INTEGER) {
		*v = o->via.u64 > INT64_MAX ? INT64_MAX : (int64_t)o->via.u64;
		return EX_OK;
	}
	if (o->type == MSGPACK_OBJECT_NEGATIVE_INTEGER) {
		*v = o->via.i64;
		return EX_OK;
	}
	if (!ex_text(n, i, &p, &len))
		return EX_ERROR;
	if (o->type == MSGPACK_OBJECT_STR &&
	    sl_parse_int(p, len, INT64_MIN, INT64_MAX, v))
		return EX_OK;
	return ex_failf(n, f, "%s \"%s\" is not an integer", what,
	    sl_printable(show, sizeof(show), p, len));
}

/* The byte offset of character k (1-based) of p, or len past the end. */
static size_t
char_at(const char *p, size_t len, int64_t k)
{
	size_t i = 0;

	while (k > 1 && i < len) {
		i++;
		while (i < len && ((unsigned char)p[i] & 0xc0) == 0x80)
			i++;
		k--;
	}
	return i;
}

/* substr(s, from [, count]): characters, as PostgreSQL counts them. */
static int
fn_substr(struct ex_node *n, struct ex_fail *f)
{
	const char *p;
	size_t len, a, b;
	int64_t from, count, end = INT64_MAX;
	int st;

	if ((st = utf8_arg(n, f, &p, &len)) != EX_OK ||
	    (st = int_arg(n, 1, f, "the start", &from)) != EX_OK)
		return st;
	if (ex_nargs(n) == 3) {
		if ((st = int_arg(n, 2, f, "the length", &count)) != EX_OK)
			return st;
		if (count < 0)
			return ex_failf(n, f, "a negative length (%lld)",
			    (long long)count);
		end = from > 0 && count > INT64_MAX - from ? INT64_MAX :
		    from + count;
	}
	if (from < 1)
		from = 1;
	if (end <= from)
		return ex_ret_str(n, p, 0);
	a = char_at(p, len, from);
	b = end == INT64_MAX ? len : a + char_at(p + a, len - a, end - from + 1);
	return ex_ret_str(n, p + a, b - a);
}

/*
 * The quick way for Latin letters: the ASCII letter a letter decomposes
 * to with its accents dropped (é: e and U+0301). False when a letter is
 * not that simple (Ł, ß, Москва): the transliterator then takes the
 * whole text. tests/unit/expr.c checks every Latin letter both ways.
 */
static bool
ascii_quick(const char *p, int32_t len, struct sl_buf *b)
{
	UChar d[16];
	UErrorCode e;
	int32_t i = 0, k, dn;
	UChar32 c, x;

	while (i < len) {
		U8_NEXT(p, i, len, c);
		if (c < 0x80) {
			if (!sl_buf_addc(b, (char)c))
				return false;
			continue;
		}
		e = U_ZERO_ERROR;
		if (uscript_getScript(c, &e) != USCRIPT_LATIN ||
		    (dn = unorm2_getDecomposition(nfd, c, d, 16, &e)) <= 0 ||
		    U_FAILURE(e))
			return false;
		for (k = 0; k < dn;) {
			U16_NEXT(d, k, dn, x);
			if (x < 0x80) {
				if (!sl_buf_addc(b, (char)x))
					return false;
			} else if (u_charType(x) != U_NON_SPACING_MARK) {
				return false;
			}
		}
	}
	return true;
}

/* ascii(s) through ICU's transliterator, in UTF-16. */
static int
ascii_translit(struct ex_node *n, const char *p, size_t len)
{
	struct sl_buf *b = ex_buf(n);
	UErrorCode e = U_ZERO_ERROR;
	int32_t un, lim, need = (int32_t)len * 2 + 16, on;
	UChar *nb;

	if (!open_translit())
		return EX_ERROR;
	for (;;) {
		if (ucap < need) {
			if ((nb = realloc(ubuf, (size_t)need * sizeof(*nb))) ==
			    NULL) {
				sl_err("out of memory");
				return EX_ERROR;
			}
			ubuf = nb;
			ucap = need;
		}
		e = U_ZERO_ERROR;
		u_strFromUTF8(ubuf, ucap, &un, p, (int32_t)len, &e);
		if (U_FAILURE(e))
			return icu_error("u_strFromUTF8", e);
		lim = un;
		utrans_transUChars(translit, ubuf, &un, ucap, 0, &lim, &e);
		if (e == U_BUFFER_OVERFLOW_ERROR && need < INT32_MAX / 2) {
			need *= 2;
			continue;
		}
		if (U_FAILURE(e))
			return icu_error("utrans_transUChars", e);
		break;
	}
	sl_buf_reset(b);
	if (!sl_buf_grow(b, (size_t)un * 3 + 1))
		return EX_ERROR;
	e = U_ZERO_ERROR;
	u_strToUTF8(b->p, (int32_t)b->cap, &on, ubuf, un, &e);
	if (U_FAILURE(e))
		return icu_error("u_strToUTF8", e);
	b->len = (size_t)on;
	return ex_ret_buf(n);
}

static int
fn_ascii(struct ex_node *n, struct ex_fail *f)
{
	struct sl_buf *b = ex_buf(n);
	const char *p;
	size_t len;
	int st;

	if (!ex_text(n, 0, &p, &len))
		return EX_ERROR;
	if (ascii_only(p, len))
		return ex_ret_str(n, p, len);
	if ((st = utf8_arg(n, f, &p, &len)) != EX_OK)
		return st;
	if (!open_icu())
		return EX_ERROR;
	sl_buf_reset(b);
	if (ascii_quick(p, (int32_t)len, b))
		return ex_ret_buf(n);
	return ascii_translit(n, p, len);
}

/* ts(s, 'FORMAT'): the compiled format, and what to make. */
struct ts_state {
	struct df_fmt	 fmt;
	enum df_kind	 kind;
	const char	*text;		/* the format, for reasons */
	size_t		 len;
};

static const char *const kinds[] = { "date", "timestamp", "timestamptz" };

/* The byte of the item that is byte k of a 'literal' starting at pos. */
static size_t
lit_pos(const char *lit, size_t k, size_t pos)
{
	size_t i, at = pos + 1;

	for (i = 0; i < k; i++)
		at += lit[i] == '\'' ? 2 : 1;
	return at;
}

static int
ts_prep(struct ex_node *n, const char *type, struct ex_perr *err)
{
	struct ts_state *ts;
	const char *fmt, *msg;
	size_t len, pos, at;
	int k;

	if (!ex_literal(n, 1, &fmt, &len, &pos)) {
		err->pos = pos;
		snprintf(err->msg, sizeof(err->msg), "ts: the format must be "
		    "a 'literal'");
		return EX_SYNTAX;
	}
	if ((ts = calloc(1, sizeof(*ts))) == NULL) {
		sl_err("out of memory");
		return EX_ERROR;
	}
	*ex_state(n) = ts;
	ts->text = fmt;
	ts->len = len;
	if (!df_compile(&ts->fmt, fmt, len, &at, &msg)) {
		err->pos = at == SIZE_MAX ? pos : lit_pos(fmt, at, pos);
		snprintf(err->msg, sizeof(err->msg), "ts: %s", msg);
		return EX_SYNTAX;
	}
	ts->kind = ts->fmt.kind;
	ex_set_type(n, kinds[ts->kind]);
	if (type == NULL)
		return EX_OK;
	for (k = 0; k < 3 && strcmp(type, kinds[k]) != 0; k++)
		;
	if (k < 3) {
		ts->kind = (enum df_kind)k;
		ex_set_type(n, kinds[k]);
	} else if (strcmp(type, "text") == 0) {
		ex_set_type(n, "text");
	} else {
		err->pos = SIZE_MAX;	/* the ::TYPE */
		snprintf(err->msg, sizeof(err->msg), "ts(...)::%s: ts makes "
		    "a date, timestamp, timestamptz or text", type);
		return EX_SYNTAX;
	}
	return EX_OK;
}

static void
ts_done(struct ex_node *n)
{
	free(*ex_state(n));
}

static int
fn_ts(struct ex_node *n, struct ex_fail *f)
{
	struct ts_state *ts = *ex_state(n);
	struct sl_buf *b = ex_buf(n);
	const char *p;
	size_t len;
	char why[160];

	if (!ex_text(n, 0, &p, &len))
		return EX_ERROR;
	sl_buf_reset(b);
	if (df_parse(&ts->fmt, ts->kind, p, len, b, why, sizeof(why)))
		return ex_ret_buf(n);
	if (why[0] == '\0')
		return EX_ERROR;
	return ex_failf(n, f, "not a %s in the format '%.*s': %s",
	    kinds[ts->fmt.kind], (int)ts->len, ts->text, why);
}

/*
 * e164(phone, 'REGION' | region_col): the number in E.164 through
 * libphonenumber (lib/phone.h); national forms are read as numbers of
 * the region. The node keeps one parser (made once, in prep); a literal
 * region is checked there, a region column on every row by the parse.
 */
static int
e164_prep(struct ex_node *n, const char *type, struct ex_perr *err)
{
	const char *r;
	size_t len, pos;

	if (type != NULL && strcmp(type, "text") != 0) {
		err->pos = SIZE_MAX;
		snprintf(err->msg, sizeof(err->msg), "e164(...)::%s: e164 "
		    "makes text", type);
		return EX_SYNTAX;
	}
	if (ex_literal(n, 1, &r, &len, &pos) && !sl_phone_region_ok(r, len)) {
		err->pos = pos;
		snprintf(err->msg, sizeof(err->msg), "e164: '%.*s' is no "
		    "region libphonenumber knows (an ISO 3166 code: 'US', "
		    "'GB')", (int)(len < 16 ? len : 16), r);
		return EX_SYNTAX;
	}
	if ((*ex_state(n) = sl_phone_new()) == NULL) {
		sl_err("out of memory");
		return EX_ERROR;
	}
	return EX_OK;
}

static void
e164_done(struct ex_node *n)
{
	sl_phone_free(*ex_state(n));
}

static int
fn_e164(struct ex_node *n, struct ex_fail *f)
{
	struct sl_buf *b = ex_buf(n);
	const char *p, *r, *why;
	char out[SL_PHONE_E164_SIZE];
	size_t len, rlen, olen;

	if (!ex_text(n, 0, &p, &len) || !ex_text(n, 1, &r, &rlen))
		return EX_ERROR;
	if (!sl_phone_e164(*ex_state(n), p, len, r, rlen, out, &olen, &why))
		return ex_failf(n, f, "not a phone number of %.*s: %s",
		    (int)(rlen < 16 ? rlen : 16), r, why);
	sl_buf_reset(b);
	if (!sl_buf_add(b, out, olen))
		return EX_ERROR;
	return ex_ret_buf(n);
}

/* The functions. A new one is one line here (see struct ex_fn in expr.h). */
const struct ex_fn ex_fns[] = {
	{ "ascii", 1, 1, 0, fn_ascii, NULL, NULL },
	{ "coalesce", 1, EX_MAXARGS, EX_F_NULLS | EX_F_LAZY, fn_coalesce,
	    NULL, NULL },
	{ "concat", 1, EX_MAXARGS, 0, fn_concat, NULL, NULL },
	{ "e164", 2, 2, EX_F_FAILS, fn_e164, e164_prep, e164_done },
	{ "lower", 1, 1, 0, fn_lower, NULL, NULL },
	{ "nullif", 2, 2, EX_F_NULLS, fn_nullif, NULL, NULL },
	{ "replace", 3, 3, 0, fn_replace, NULL, NULL },
	{ "substr", 2, 3, EX_F_FAILS, fn_substr, NULL, NULL },
	{ "trim", 1, 2, 0, fn_trim, NULL, NULL },
	{ "ts", 2, 2, EX_F_FAILS | EX_F_TYPED, fn_ts, ts_prep, ts_done },
	{ "upper", 1, 1, 0, fn_upper, NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL }
};
