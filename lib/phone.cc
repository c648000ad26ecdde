/*
 * phone.cc: the extern "C" shim over libphonenumber that phone.h
 * describes. C++ stays inside this file: no exception crosses into C
 * (each entry point catches them and answers "out of memory"), and the
 * only objects are those struct sl_phone keeps between calls.
 *
 * PhoneNumberUtil::GetInstance() is a singleton that compiles its
 * metadata and regular expressions on first use; the handle keeps the
 * pointer so that no call pays even for the lookup.
 */
#include <cstring>
#include <new>
#include <string>

#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include "phone.h"

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

struct sl_phone {
	const PhoneNumberUtil	*util;
	PhoneNumber		 num;	/* reused: Parse clears it */
	std::string		 in;	/* the value, copied: Parse takes a string */
	std::string		 region;
	std::string		 e164;
};

static const char WHY_NAN[] = "not a number";
static const char WHY_REGION[] = "unknown region";
static const char WHY_CC[] = "invalid country code";
static const char WHY_SHORT[] = "too short";
static const char WHY_LONG[] = "too long";
static const char WHY_LENGTH[] = "invalid length";
static const char WHY_LOCAL[] = "local number";
static const char WHY_INVALID[] = "invalid number";
static const char WHY_NOMEM[] = "out of memory";

/*
 * Region codes in libphonenumber's metadata are upper case; a school's
 * country column may not be. Anything longer than a code becomes "ZZ",
 * libphonenumber's "no region", which it treats as unknown.
 */
static void
region_set(std::string *dst, const char *region, size_t rlen)
{
	if (rlen == 0 || rlen > 3) {
		dst->assign("ZZ");
		return;
	}
	dst->assign(region, rlen);
	for (char &c : *dst)
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
}

static const char *
why_parse(const PhoneNumberUtil *util, PhoneNumberUtil::ErrorType e,
    const std::string &region)
{
	switch (e) {
	case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
		/* No "+" and no region to read the number in: say which. */
		return util->GetCountryCodeForRegion(region) == 0 ?
		    WHY_REGION : WHY_CC;
	case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
	case PhoneNumberUtil::TOO_SHORT_NSN:
		return WHY_SHORT;
	case PhoneNumberUtil::TOO_LONG_NSN:
		return WHY_LONG;
	case PhoneNumberUtil::NOT_A_NUMBER:
	default:
		return WHY_NAN;
	}
}

/* Why a parsed number is not valid: its length first, then its range. */
static const char *
why_invalid(const PhoneNumberUtil *util, const PhoneNumber &num)
{
	switch (util->IsPossibleNumberWithReason(num)) {
	case PhoneNumberUtil::INVALID_COUNTRY_CODE:
		return WHY_CC;
	case PhoneNumberUtil::TOO_SHORT:
		return WHY_SHORT;
	case PhoneNumberUtil::TOO_LONG:
		return WHY_LONG;
	case PhoneNumberUtil::INVALID_LENGTH:
		return WHY_LENGTH;
	case PhoneNumberUtil::IS_POSSIBLE_LOCAL_ONLY:
		return WHY_LOCAL;
	case PhoneNumberUtil::IS_POSSIBLE:
	default:
		return WHY_INVALID;
	}
}

extern "C" struct sl_phone *
sl_phone_new(void)
{
	try {
		struct sl_phone *p = new struct sl_phone;
		p->util = PhoneNumberUtil::GetInstance();
		return p;
	} catch (...) {
		return nullptr;
	}
}

extern "C" void
sl_phone_free(struct sl_phone *p)
{
	delete p;
}

static bool
e164(struct sl_phone *p, const char *in, size_t n, const char *region,
    size_t rlen, char *out, size_t *outlen, const char **why)
{
	/* libphonenumber would stop at a NUL; the value does not. */
	if (memchr(in, '\0', n) != nullptr) {
		*why = WHY_NAN;
		return false;
	}
	p->in.assign(in, n);
	region_set(&p->region, region, rlen);
	PhoneNumberUtil::ErrorType e = p->util->Parse(p->in, p->region,
	    &p->num);
	if (e != PhoneNumberUtil::NO_PARSING_ERROR) {
		*why = why_parse(p->util, e, p->region);
		return false;
	}
	if (!p->util->IsValidNumber(p->num)) {
		*why = why_invalid(p->util, p->num);
		return false;
	}
	p->util->Format(p->num, PhoneNumberUtil::E164, &p->e164);
	if (p->e164.size() >= SL_PHONE_E164_SIZE) {
		*why = WHY_LONG;	/* cannot happen: see SL_PHONE_E164_SIZE */
		return false;
	}
	memcpy(out, p->e164.data(), p->e164.size());
	out[p->e164.size()] = '\0';
	*outlen = p->e164.size();
	return true;
}

extern "C" bool
sl_phone_e164(struct sl_phone *p, const char *in, size_t n,
    const char *region, size_t rlen, char out[SL_PHONE_E164_SIZE],
    size_t *outlen, const char **why)
{
	try {
		return e164(p, in, n, region, rlen, out, outlen, why);
	} catch (...) {
		/* std::bad_alloc from a string: the library throws nothing. */
		*why = WHY_NOMEM;
		return false;
	}
}

extern "C" bool
sl_phone_region_ok(const char *region, size_t rlen)
{
	try {
		std::string r;
		region_set(&r, region, rlen);
		return PhoneNumberUtil::GetInstance()->GetCountryCodeForRegion(
		    r) != 0;
	} catch (...) {
		return false;
	}
}
