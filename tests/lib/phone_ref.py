"""phone_ref.py: python3-phonenumbers (the Python port of libphonenumber,
the same 8.12 metadata in Debian) as the reference for lib/phone.h.

    phone_ref.py cases      prints "REGION<TAB>NUMBER" test lines
    phone_ref.py expect     reads such lines, prints what lib/phone.h
                            must answer: the E.164 form or "! reason"

The cases come from the library's own example numbers, for every region
and number type, written in each of its formats (E164, NATIONAL,
INTERNATIONAL, RFC3966), read in their own region and in others, with
the international prefixes (00, 011), extensions, letters, other
punctuation and damage (a digit lost, a digit more, junk). A fixed seed
makes the same lines every run.
"""
import random
import sys

import phonenumbers as pn
from phonenumbers import NumberParseException as NPE
from phonenumbers import PhoneNumberFormat as F
from phonenumbers import PhoneNumberType as PT
from phonenumbers import ValidationResult as VR

TYPES = [PT.FIXED_LINE, PT.MOBILE, PT.TOLL_FREE, PT.PREMIUM_RATE,
         PT.VOIP, PT.PERSONAL_NUMBER, PT.UAN, PT.PAGER, PT.VOICEMAIL]
FORMATS = [F.E164, F.INTERNATIONAL, F.NATIONAL, F.RFC3966]


def region_of(r):
    """What lib/phone.cc makes of a region: ASCII upper case, or ZZ."""
    if len(r) == 0 or len(r) > 3:
        return "ZZ"
    return "".join(c.upper() if "a" <= c <= "z" else c for c in r)


def expect(region, number):
    r = region_of(region)
    try:
        n = pn.parse(number, r)
    except NPE as e:
        t = e.error_type
        if t == NPE.INVALID_COUNTRY_CODE:
            if pn.country_code_for_region(r) == 0:
                return "! unknown region"
            return "! invalid country code"
        if t in (NPE.TOO_SHORT_AFTER_IDD, NPE.TOO_SHORT_NSN):
            return "! too short"
        if t == NPE.TOO_LONG:
            return "! too long"
        return "! not a number"
    if not pn.is_valid_number(n):
        return "! " + {
            VR.INVALID_COUNTRY_CODE: "invalid country code",
            VR.TOO_SHORT: "too short",
            VR.TOO_LONG: "too long",
            VR.INVALID_LENGTH: "invalid length",
            VR.IS_POSSIBLE_LOCAL_ONLY: "local number",
        }.get(pn.is_possible_number_with_reason(n), "invalid number")
    return pn.format_number(n, F.E164)


def damaged(rng, s):
    """s with one of the mistakes people make typing a number."""
    digits = [i for i, c in enumerate(s) if c.isdigit()]
    k = rng.randrange(9)
    if k == 0 and digits:			# a digit lost
        i = rng.choice(digits)
        return s[:i] + s[i + 1:]
    if k == 1 and digits:			# a digit more
        i = rng.choice(digits)
        return s[:i] + str(rng.randrange(10)) + s[i:]
    if k == 2 and digits:			# a digit changed
        i = rng.choice(digits)
        return s[:i] + str((int(s[i]) + 1 + rng.randrange(9)) % 10) + \
            s[i + 1:]
    if k == 3:
        return s + rng.choice([" ext. 12", " x12", " ext 7", ";ext=123",
                               " #4", " extension 99"])
    if k == 4:
        return rng.choice(["tel: ", "Phone: ", "(", " ", "\u00a0"]) + s
    if k == 5:
        return s.replace(" ", rng.choice([".", "-", "/", "", "  "]))
    if k == 6:				# wide digits, as some forms send
        return "".join(chr(ord(c) - 0x30 + 0xFF10) if c.isdigit() else c
                       for c in s)
    if k == 7:
        return s + rng.choice(["abc", "?", " (home)", " or 555"])
    return s.replace("+", rng.choice(["", "00", "011", "++", "+ "]), 1)


def cases():
    rng = random.Random(11)
    regions = sorted(pn.SUPPORTED_REGIONS)
    out = []
    for r in regions:
        nums = []
        for t in TYPES:
            n = pn.example_number_for_type(r, t)
            if n is not None:
                nums.append(n)
        bad = pn.invalid_example_number(r)
        for n in nums:
            for f in FORMATS:
                s = pn.format_number(n, f)
                out.append((r, s))
                if f == F.NATIONAL:
                    out.append((r.lower(), s))
                if f == F.INTERNATIONAL:
                    out.append((rng.choice(regions), s))
                out.append((r, damaged(rng, s)))
            nsn = pn.national_significant_number(n)
            cc = str(n.country_code)
            out.append(("DE", "00" + cc + " " + nsn))
            out.append(("US", "011 " + cc + " " + nsn))
            out.append(("US", "00" + cc + nsn))
            out.append((r, nsn))
            out.append(("XX", pn.format_number(n, F.NATIONAL)))
            out.append(("", pn.format_number(n, F.E164)))
        if bad is not None:
            out.append((r, pn.format_number(bad, F.NATIONAL)))
            out.append((r, pn.format_number(bad, F.E164)))
    # The examples, and junk.
    out += [("US", "(202) 555-0143"), ("US", "202.555.0143"),
            ("US", "+1 202 555 0143"), ("GB", "0044 20 7946 0958"),
            ("US", "(202) 555-0143 ext. 12"), ("US", "1-800-FLOWERS"),
            ("US", "555-0143"), ("US", ""), ("US", "   "), ("US", "n/a"),
            ("US", "+"), ("US", "+999 1234 5678"), ("US", "00"),
            ("US", "1" * 40), ("US", "2" * 300), ("GB", "+44"),
            ("US", "tel:+1-202-555-0143"), ("US", "\u0662\u0660\u0662"
                                             "\u0665\u0665\u0665\u0660"
                                             "\u0661\u0664\u0663"),
            ("ZZ", "+1 202 555 0143"), ("001", "+800 1234 5678"),
            ("usa", "2025550143"), ("U", "2025550143")]
    return out


def main():
    if sys.argv[1:] == ["cases"]:
        for r, s in cases():
            print(r + "\t" + s)
    elif sys.argv[1:] == ["expect"]:
        for line in sys.stdin:
            line = line.rstrip("\n")
            r, _, s = line.partition("\t") if "\t" in line else \
                ("", "", line)
            print(expect(r, s))
    else:
        sys.exit("usage: phone_ref.py cases|expect")


if __name__ == "__main__":
    main()
