/*
 * names.c: the name splitter (names.h). A name is cut into words (at
 * blanks, tabs, non-breaking and other Unicode spaces) and commas, the
 * words are looked up in the table below, and then:
 *
 *   no comma:           [titles] first [middles] [particles] last [suffixes]
 *   "Last, First ...":  [titles] last [suffixes], [titles] first [middles]
 *                       [suffixes] [, suffix ...]
 *   "First Last, Jr.":  what follows the comma is all suffixes
 *
 * Nicknames in double quotes or parentheses are left out.
 * A particle (van, de la, bin) that is not the first word starts the
 * last name, so "Juan de la Vega" has the last name "de la Vega"; a name
 * that begins with one written in small letters is all last name
 * ("van Gogh"), while a capitalized one is a first name ("Van Morrison").
 * No allocation: words live in fixed arrays on the stack, the parts are
 * written into the caller's reused buffer.
 */
#include <stdint.h>
#include <string.h>
#include <wctype.h>

#include "names.h"

#define MAXWORDS	64	/* more are folded into the last word */
#define MAXPIECES	8	/* comma-separated pieces; more commas are blanks */
#define KEYMAX		12	/* longest word in the table */
#define NSLOTS		256	/* hash slots for the table, a power of two */

enum { TITLE = 1, SUFFIX = 2, PARTICLE = 4 };

/*
 * The word lists. A word matches whatever its case and dots ("dr",
 * "DR.", "Ph.D." all match); the spelling here is the one --case title
 * gives it. Titles are taken only from the front of a name, suffixes
 * only from its end or after a comma, particles only after the first
 * name. Words that are also common given names (Ben, Do, Dean, Ma) are
 * left out on purpose.
 */
static const struct entry {
	unsigned char	 kind;
	const char	*word;
} table[] = {
	{ TITLE, "Mr" },	{ TITLE, "Mrs" },	{ TITLE, "Ms" },
	{ TITLE, "Miss" },	{ TITLE, "Mx" },	{ TITLE, "Master" },
	{ TITLE, "Dr" },	{ TITLE, "Doctor" },	{ TITLE, "Prof" },
	{ TITLE, "Professor" },	{ TITLE, "Rev" },	{ TITLE, "Revd" },
	{ TITLE, "Reverend" },	{ TITLE, "Fr" },	{ TITLE, "Rabbi" },
	{ TITLE, "Imam" },	{ TITLE, "Sir" },	{ TITLE, "Dame" },
	{ TITLE, "Lord" },	{ TITLE, "Lady" },	{ TITLE, "Hon" },
	{ TITLE, "Sister" },	{ TITLE, "Brother" },	{ TITLE, "Judge" },
	{ TITLE, "Capt" },	{ TITLE, "Captain" },	{ TITLE, "Col" },
	{ TITLE, "Lt" },	{ TITLE, "Maj" },	{ TITLE, "Sgt" },
	{ TITLE, "Cpl" },	{ TITLE, "Pvt" },	{ TITLE, "Gen" },
	{ TITLE, "Adm" },	{ TITLE, "Cmdr" },	{ TITLE, "Mme" },
	{ TITLE, "Mlle" },	{ TITLE, "Herr" },	{ TITLE, "Frau" },
	{ TITLE, "Sra" },	{ TITLE, "Srta" },	{ TITLE, "Dra" },

	{ SUFFIX, "Jr" },	{ SUFFIX, "Jnr" },	{ SUFFIX, "Sr" },
	{ SUFFIX, "Snr" },	{ SUFFIX, "II" },	{ SUFFIX, "III" },
	{ SUFFIX, "IV" },	{ SUFFIX, "V" },	{ SUFFIX, "2nd" },
	{ SUFFIX, "3rd" },	{ SUFFIX, "PhD" },	{ SUFFIX, "MD" },
	{ SUFFIX, "DDS" },	{ SUFFIX, "DMD" },	{ SUFFIX, "DVM" },
	{ SUFFIX, "JD" },	{ SUFFIX, "EdD" },	{ SUFFIX, "PsyD" },
	{ SUFFIX, "MBA" },	{ SUFFIX, "CPA" },	{ SUFFIX, "RN" },
	{ SUFFIX, "Esq" },	{ SUFFIX, "Esquire" },	{ SUFFIX, "QC" },
	{ SUFFIX, "KC" },	{ SUFFIX, "OBE" },	{ SUFFIX, "MBE" },
	{ SUFFIX, "CBE" },	{ SUFFIX, "KBE" },	{ SUFFIX, "DBE" },
	{ SUFFIX, "FRS" },

	{ PARTICLE, "van" },	{ PARTICLE, "von" },	{ PARTICLE, "der" },
	{ PARTICLE, "den" },	{ PARTICLE, "des" },	{ PARTICLE, "de" },
	{ PARTICLE, "del" },	{ PARTICLE, "della" },	{ PARTICLE, "la" },
	{ PARTICLE, "le" },	{ PARTICLE, "los" },	{ PARTICLE, "las" },
	{ PARTICLE, "da" },	{ PARTICLE, "das" },	{ PARTICLE, "di" },
	{ PARTICLE, "du" },	{ PARTICLE, "dos" },	{ PARTICLE, "ter" },
	{ PARTICLE, "ten" },	{ PARTICLE, "bin" },	{ PARTICLE, "binti" },
	{ PARTICLE, "bint" },	{ PARTICLE, "ibn" },	{ PARTICLE, "al" },
	{ PARTICLE, "el" },	{ PARTICLE, "St" },	{ PARTICLE, "Ste" },
};

#define NTABLE	(sizeof(table) / sizeof(table[0]))

struct word {
	uint32_t	 off;
	uint32_t	 len;
	int		 entry;		/* index into table, or -1 */
	unsigned char	 kind;
	unsigned char	 piece;
	bool		 onechar;	/* a single letter, maybe with a dot */
};

struct parse {
	const char	*s;
	struct word	 w[MAXWORDS];
	size_t		 nw;
	size_t		 piece[MAXPIECES + 1];	/* piece p: words
						   piece[p]..piece[p+1] */
	size_t		 np;
	unsigned char	 seq[NM_NPARTS][MAXWORDS];	/* words of each part */
	size_t		 cnt[NM_NPARTS];
};

static short slots[NSLOTS];	/* table index + 1, 0 when free */
static bool hashed;

/* FNV-1a: the table is small and fixed, any fair hash does. */
static unsigned
hash(const char *k, size_t n)
{
	uint32_t h = 2166136261u;

	while (n-- > 0)
		h = (h ^ (unsigned char)*k++) * 16777619u;
	return h & (NSLOTS - 1);
}

/* The lookup key of a word: ASCII in small letters, dots left out. */
static size_t
key(const char *p, size_t n, char *k)
{
	size_t i, len = 0;
	unsigned char c;

	for (i = 0; i < n; i++) {
		c = (unsigned char)p[i];
		if (c == '.')
			continue;
		if (c >= 0x80 || len == KEYMAX)
			return 0;
		k[len++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	return len;
}

static void
hash_table(void)
{
	char k[KEYMAX];
	size_t i, n;
	unsigned h;

	for (i = 0; i < NTABLE; i++) {
		n = key(table[i].word, strlen(table[i].word), k);
		for (h = hash(k, n); slots[h] != 0; h = (h + 1) & (NSLOTS - 1))
			;
		slots[h] = (short)(i + 1);
	}
	hashed = true;
}

static int
lookup(const char *p, size_t n)
{
	char k[KEYMAX], t[KEYMAX];
	size_t len;
	unsigned h;
	int e;

	if ((len = key(p, n, k)) == 0)
		return -1;
	for (h = hash(k, len); slots[h] != 0; h = (h + 1) & (NSLOTS - 1)) {
		e = slots[h] - 1;
		if (key(table[e].word, strlen(table[e].word), t) == len &&
		    memcmp(k, t, len) == 0)
			return e;
	}
	return -1;
}

/* Bytes of the space character at s, 0 when it is not one. */
static size_t
space(const unsigned char *s, size_t n)
{
	if (s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r'))
		return 1;
	if (n >= 2 && s[0] == 0xc2 && (s[1] == 0xa0 || s[1] == 0x85))
		return 2;	/* NBSP, NEL */
	if (n >= 3 && s[0] == 0xe2 && s[1] == 0x80 &&
	    (s[2] <= 0x8a || s[2] == 0xa8 || s[2] == 0xa9 || s[2] == 0xaf))
		return 3;	/* U+2000..200A, line and paragraph separators,
				   narrow NBSP */
	if (n >= 3 && ((s[0] == 0xe2 && s[1] == 0x81 && s[2] == 0x9f) ||
	    (s[0] == 0xe3 && s[1] == 0x80 && s[2] == 0x80)))
		return 3;	/* medium mathematical space, ideographic space */
	return 0;
}

static void
add_word(struct parse *ps, size_t start, size_t end)
{
	struct word *w = &ps->w[ps->nw++];
	const char *p = ps->s + start;
	size_t n = end - start;

	w->off = (uint32_t)start;
	w->len = (uint32_t)n;
	w->piece = (unsigned char)(ps->np - 1);
	w->entry = lookup(p, n);
	w->kind = w->entry < 0 ? 0 : table[w->entry].kind;
	w->onechar = n == 1 || (n == 2 && p[1] == '.');
}

/*
 * The length of a nickname at s, "Bob", (Bob) or “Bob”, quotes
 * included, when it ends at a blank, a comma or the end; 0 otherwise.
 * Nicknames have no column, so they are left out of every part.
 */
static size_t
nickname(const unsigned char *s, size_t n)
{
	const char *close;
	size_t i, k, cn;

	if (s[0] == '"')
		close = "\"", k = 1;
	else if (s[0] == '(')
		close = ")", k = 1;
	else if (n >= 3 && memcmp(s, "\xe2\x80\x9c", 3) == 0)
		close = "\xe2\x80\x9d", k = 3;
	else
		return 0;
	cn = strlen(close);
	for (i = k; i + cn <= n; i++)
		if (memcmp(s + i, close, cn) == 0) {
			i += cn;
			if (i < n && s[i] != ',' && space(s + i, n - i) == 0)
				return 0;
			return i;
		}
	return 0;
}

/* Cuts s into words and comma-separated pieces. */
static void
tokenize(struct parse *ps, size_t n)
{
	const unsigned char *s = (const unsigned char *)ps->s;
	size_t i = 0, start, k;

	ps->nw = 0;
	ps->np = 1;
	ps->piece[0] = 0;
	while (i < n) {
		if ((k = space(s + i, n - i)) > 0) {
			i += k;
			continue;
		}
		if (s[i] == ',') {
			if (ps->np < MAXPIECES)
				ps->piece[ps->np++] = ps->nw;
			i++;
			continue;
		}
		if ((k = nickname(s + i, n - i)) > 0) {
			i += k;
			continue;
		}
		start = i;
		if (ps->nw == MAXWORDS - 1) {
			/* a name this long is not a name: keep the rest whole */
			k = n;
			while (k > i && space(s + k - 1, 1) > 0)
				k--;
			add_word(ps, start, k);
			break;
		}
		while (i < n && s[i] != ',' && space(s + i, n - i) == 0)
			i++;
		add_word(ps, start, i);
	}
	ps->piece[ps->np] = ps->nw;
}

static void
push(struct parse *ps, enum nm_part p, size_t w)
{
	ps->seq[p][ps->cnt[p]++] = (unsigned char)w;
}

static bool
is(const struct parse *ps, size_t w, unsigned kind)
{
	return (ps->w[w].kind & kind) != 0;
}

static bool
lower_start(const struct parse *ps, size_t w)
{
	unsigned char c = (unsigned char)ps->s[ps->w[w].off];

	return c >= 'a' && c <= 'z';
}

/* Titles from the front of words lo..hi; returns the first other word. */
static size_t
titles(struct parse *ps, size_t lo, size_t hi)
{
	while (lo < hi && is(ps, lo, TITLE))
		push(ps, NM_TITLE, lo++);
	return lo;
}

/*
 * First, middles and last of the words lo..hi of a name without commas.
 * A particle after the first word starts the last name; without one the
 * last word is the last name.
 */
static void
given_last(struct parse *ps, size_t lo, size_t hi, bool titled)
{
	size_t j;

	if (hi - lo == 1) {
		/* "Mr. Smith" is a surname; "Madonna" a given name */
		push(ps, titled ? NM_LAST : NM_FIRST, lo);
		return;
	}
	if (is(ps, lo, PARTICLE) && lower_start(ps, lo)) {
		for (j = lo; j < hi; j++)
			push(ps, NM_LAST, j);
		return;
	}
	push(ps, NM_FIRST, lo);
	for (j = lo + 1; j + 1 < hi && !is(ps, j, PARTICLE); j++)
		push(ps, NM_MIDDLE, j);
	for (; j < hi; j++)
		push(ps, NM_LAST, j);
}

/* A name without commas, words lo..hi. */
static void
plain(struct parse *ps, size_t lo, size_t hi)
{
	size_t i, e, j;

	i = titles(ps, lo, hi);
	/* like nameparser: "John Jr." is John with the last name Jr. */
	for (e = hi; e - i > 2 && is(ps, e - 1, SUFFIX); e--)
		;
	if (e > i)
		given_last(ps, i, e, i > lo);
	for (j = e; j < hi; j++)
		push(ps, NM_SUFFIX, j);
}

/*
 * "Last, First Middle[, Suffix ...]". A title may open either piece and
 * suffixes may end either; particles at the end of the given names
 * belong to the last name ("Berg, Jan van der", as Dutch lists sort).
 * A lone letter after the given names is an initial, not the suffix V.
 */
static void
comma(struct parse *ps)
{
	size_t a, b, c, d, e, f, j;

	a = titles(ps, ps->piece[0], ps->piece[1]);
	for (b = ps->piece[1]; b - a > 1 && is(ps, b - 1, SUFFIX); b--)
		;
	c = titles(ps, ps->piece[1], ps->piece[2]);
	for (d = ps->piece[2]; d - c > 1 && is(ps, d - 1, SUFFIX) &&
	    !ps->w[d - 1].onechar; d--)
		;
	for (e = d; e - c > 1 && is(ps, e - 1, PARTICLE); e--)
		;
	for (j = e; j < d; j++)
		push(ps, NM_LAST, j);
	for (j = a; j < b; j++)
		push(ps, NM_LAST, j);
	if (c < e)
		push(ps, NM_FIRST, c);
	for (j = c + 1; j < e; j++)
		push(ps, NM_MIDDLE, j);
	for (j = b; j < ps->piece[1]; j++)
		push(ps, NM_SUFFIX, j);
	for (j = d; j < ps->piece[2]; j++)
		push(ps, NM_SUFFIX, j);
	for (f = ps->piece[2]; f < ps->nw; f++)
		push(ps, NM_SUFFIX, f);
}

/* Whether everything after the first comma is suffixes: "Smith, Jr.". */
static bool
suffixes_after_comma(const struct parse *ps)
{
	size_t j;

	if (ps->np < 2 || ps->piece[1] == ps->nw)
		return false;
	for (j = ps->piece[1]; j < ps->nw; j++)
		if (!is(ps, j, SUFFIX) || ps->w[j].onechar)
			return false;
	return true;
}

/* UTF-8 decoding and encoding for the case mapping; s is valid UTF-8. */
static size_t
u8dec(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len, i;

	if (s[0] < 0x80 || n < 2) {
		*cp = s[0];
		return 1;
	}
	len = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : 2;
	if (len > n) {
		*cp = s[0];
		return 1;
	}
	*cp = s[0] & (0x7f >> len);
	for (i = 1; i < len; i++)
		*cp = *cp << 6 | (s[i] & 0x3f);
	return len;
}

static bool
u8add(struct sl_buf *b, uint32_t cp)
{
	char u[4];

	if (cp < 0x80)
		return sl_buf_addc(b, (char)cp);
	if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3f));
		return sl_buf_add(b, u, 2);
	}
	if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		return sl_buf_add(b, u, 3);
	}
	u[0] = (char)(0xf0 | cp >> 18);
	u[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	u[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	u[3] = (char)(0x80 | (cp & 0x3f));
	return sl_buf_add(b, u, 4);
}

/* Case tests and mappings, without the locale's tables for ASCII. */
static bool
is_upper(uint32_t cp)
{
	return cp < 0x80 ? cp >= 'A' && cp <= 'Z' : iswupper((wint_t)cp);
}

static bool
is_lower(uint32_t cp)
{
	return cp < 0x80 ? cp >= 'a' && cp <= 'z' : iswlower((wint_t)cp);
}

static uint32_t
to_upper(uint32_t cp)
{
	return cp < 0x80 ? (is_lower(cp) ? cp - 32 : cp) :
	    (uint32_t)towupper((wint_t)cp);
}

static uint32_t
to_lower(uint32_t cp)
{
	return cp < 0x80 ? (is_upper(cp) ? cp + 32 : cp) :
	    (uint32_t)towlower((wint_t)cp);
}

/* Whether the word has both capitals and small letters. */
static bool
mixed_case(const char *p, size_t n)
{
	bool up = false, low = false;
	uint32_t cp;
	size_t i, k;

	for (i = 0; i < n; i += k) {
		k = u8dec((const unsigned char *)p + i, n - i, &cp);
		up = up || is_upper(cp);
		low = low || is_lower(cp);
	}
	return up && low;
}

/*
 * Capitalizes a word: the first letter and each letter after a hyphen,
 * an apostrophe (' or U+2019) or a dot, and the third letter of Mc....
 */
static bool
capitalize(struct sl_buf *b, const char *p, size_t n)
{
	bool cap = true;
	uint32_t cp;
	size_t i, k;

	for (i = 0; i < n; i += k) {
		k = u8dec((const unsigned char *)p + i, n - i, &cp);
		if (cp < 0x80 ? is_upper(cp) || is_lower(cp) :
		    iswalpha((wint_t)cp)) {
			cp = cap ? to_upper(cp) : to_lower(cp);
			cap = i == 1 && n > 2 && (p[0] == 'M' || p[0] == 'm') &&
			    (p[1] == 'C' || p[1] == 'c');
		} else {
			cap = cp == '-' || cp == '\'' || cp == 0x2019 ||
			    cp == '.';
		}
		if (!u8add(b, cp))
			return false;
	}
	return true;
}

/* A word of the table, in the table's spelling, dots where written. */
static bool
respell(struct sl_buf *b, const char *p, size_t n, const char *as)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!sl_buf_addc(b, p[i] == '.' ? '.' : *as++))
			return false;
	return true;
}

static bool
emit(struct nm_name *nm, const struct parse *ps, enum nm_part part,
    size_t k, int flags)
{
	const struct word *w = &ps->w[ps->seq[part][k]];
	const char *p = ps->s + w->off;
	unsigned want;

	if (!(flags & NM_TITLECASE) || mixed_case(p, w->len))
		return sl_buf_add(&nm->buf, p, w->len);
	want = part == NM_TITLE ? TITLE : part == NM_SUFFIX ? SUFFIX :
	    part == NM_LAST && k + 1 < ps->cnt[part] ? PARTICLE : 0;
	if (w->kind & want)
		return respell(&nm->buf, p, w->len, table[w->entry].word);
	return capitalize(&nm->buf, p, w->len);
}

/* Suffixes are a list ("Jr., PhD"); other parts are words. */
static const char *
separator(const struct parse *ps, enum nm_part part, size_t k)
{
	const struct word *w = &ps->w[ps->seq[part][k]];
	const struct word *prev = &ps->w[ps->seq[part][k - 1]];

	if (part == NM_SUFFIX && (w->piece != prev->piece ||
	    (w->kind & SUFFIX)))
		return ", ";
	return " ";
}

static bool
build(struct nm_name *nm, const struct parse *ps, int flags)
{
	size_t p, k;

	for (p = 0; p < NM_NPARTS; p++) {
		nm->off[p] = nm->buf.len;
		for (k = 0; k < ps->cnt[p]; k++) {
			if (k > 0 && !sl_buf_adds(&nm->buf,
			    separator(ps, (enum nm_part)p, k)))
				return false;
			if (!emit(nm, ps, (enum nm_part)p, k, flags))
				return false;
		}
	}
	nm->off[NM_NPARTS] = nm->buf.len;
	return true;
}

bool
nm_split(struct nm_name *nm, const char *s, size_t n, int flags)
{
	struct parse ps;
	size_t p;

	if (!hashed)
		hash_table();
	ps.s = s;
	memset(ps.cnt, 0, sizeof(ps.cnt));
	tokenize(&ps, n);
	if (suffixes_after_comma(&ps)) {
		plain(&ps, 0, ps.piece[1]);
		for (p = ps.piece[1]; p < ps.nw; p++)
			push(&ps, NM_SUFFIX, p);
	} else if (ps.np >= 2) {
		comma(&ps);
	} else {
		plain(&ps, 0, ps.nw);
	}
	sl_buf_reset(&nm->buf);
	if (build(nm, &ps, flags))
		return true;
	sl_buf_reset(&nm->buf);
	memset(nm->off, 0, sizeof(nm->off));
	return false;
}

void
nm_free(struct nm_name *nm)
{
	sl_buf_free(&nm->buf);
	memset(nm->off, 0, sizeof(nm->off));
}
