/*
 * phone.h: telephone numbers to E.164 (+12025550143) through Google's
 * libphonenumber, the library the field uses (Android, most web forms).
 * libphonenumber is C++; lib/phone.cc is a thin extern "C" shim over
 * it, built into its own archive (lib/libsluice_phone.a) so that only
 * the programs that format phones link libphonenumber and libstdc++
 * (the Makefile's XLIBS_prog variables).
 *
 * What it accepts is what libphonenumber's PhoneNumberUtil::Parse
 * accepts with a default region: national forms ("(202) 555-0143",
 * "202.555.0143", "202-555-0143"), international ones ("+1 202 555
 * 0143", "0044 20 7946 0958": the region's international prefix, 00 or
 * 011, like a "+"), "tel:" URIs (RFC 3966), letters on a keypad
 * ("1-800-FLOWERS"), wide and Arabic-Indic digits, and punctuation in
 * between. A number is accepted only when IsValidNumber says so: its
 * length and its leading digits match a range the country has given
 * out. Extensions ("ext. 12", "x12", ";ext=12") are parsed and then
 * dropped: E.164 has no place for them, and a PBX extension is not
 * part of the number one dials to reach the line.
 *
 * The default region only matters for numbers written without their
 * country code: "+44 20 7946 0958" gives +442079460958 whatever the
 * region.
 *
 * Usage: one struct sl_phone per thread (it holds the parse buffers
 * libphonenumber wants; PhoneNumberUtil itself is a shared, read-only
 * singleton), made once and reused for every value: sl_phone_e164
 * allocates nothing the caller sees, and the C++ strings it keeps grow
 * to the longest value and stay.
 */
#ifndef SLUICE_PHONE_H
#define SLUICE_PHONE_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Bytes sl_phone_e164 may write to out: "+", a country code of up to 3
 * digits, a national number of up to 17 (libphonenumber's kMaxLengthFor
 * Nsn), and a NUL. Valid numbers are shorter (E.164 allows 15 digits),
 * but the bound costs nothing and leaves no case unchecked.
 */
#define SL_PHONE_E164_SIZE	24

struct sl_phone;

/*
 * A parser, with libphonenumber's metadata loaded (the first call in a
 * process loads it, some milliseconds). NULL when memory runs out.
 * Free it with sl_phone_free.
 */
struct sl_phone *sl_phone_new(void);
void sl_phone_free(struct sl_phone *p);

/*
 * Formats the n bytes at in (UTF-8, not NUL-terminated; embedded NULs
 * make it "not a number") as E.164, reading national forms as numbers
 * of region, the rlen bytes at region: an ISO 3166 code, "US", "GB"
 * ("us" is taken as "US"). Any other region (empty, "XX", "USA",
 * "001") reads only numbers written with their country code: "+800 1234
 * 5678" formats, "800 1234 5678" is "unknown region". Note that "00" is
 * an international prefix only in the regions that dial it: "0044 20
 * 7946 0958" is +442079460958 in GB or DE, "too long" in US (011).
 *
 * True: out holds the E.164 form, NUL-terminated, its length in
 * *outlen. False: *why says why, a static string (never freed, the
 * same pointer for the same reason, so a caller may count by it):
 *
 *	"not a number"		no digits where a number should be
 *				(also invalid UTF-8, a NUL byte)
 *	"unknown region"	written without a country code, and region
 *				is not one libphonenumber knows
 *	"invalid country code"	a "+" or international prefix followed by
 *				digits that are no country's code
 *	"too short"		fewer digits than any number there
 *				(also: too short after the "+" or 00)
 *	"too long"		more digits than any number there
 *	"invalid length"	between the shortest and the longest, but a
 *				length no number there has
 *	"local number"		the length of a number dialled within an
 *				area only: the area code is missing
 *	"invalid number"	a possible length, but no range the country
 *				has given out (555-0100, 999 999 9999)
 *	"out of memory"		the C++ side could not allocate
 *
 * p is used (its buffers), so one p must not be shared by threads.
 */
bool sl_phone_e164(struct sl_phone *p, const char *in, size_t n,
    const char *region, size_t rlen, char out[SL_PHONE_E164_SIZE],
    size_t *outlen, const char **why);

/*
 * True when the rlen bytes at region (case as for sl_phone_e164) are a
 * region libphonenumber has metadata for: a program checks a literal
 * region once, when it reads its arguments, rather than on every row.
 */
bool sl_phone_region_ok(const char *region, size_t rlen);

#ifdef __cplusplus
}
#endif

#endif
