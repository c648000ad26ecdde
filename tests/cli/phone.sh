#!/bin/sh
# phone: lib/phone.h (e164, libphonenumber) against python3-phonenumbers,
# the Python port of the same library, on every region's example numbers
# in every format, read in their region and in others, damaged, with
# extensions and junk (tests/lib/phone_ref.py makes the cases). Each
# line must agree exactly: the E.164 form, or the same reason.
. "$(dirname "$0")/../lib/common.sh"
: "${TOOLS:=$ROOT/build/tests/tools}"
case $TOOLS in /*) ;; *) TOOLS=$ROOT/$TOOLS ;; esac
E164=$TOOLS/e164
REF=$ROOT/tests/lib/phone_ref.py

if ! $PY -c 'import phonenumbers' 2>"$T/err"; then
	notok "python3-phonenumbers is missing (scripts/install-deps)"
	indent "$T/err"
	exit 1
fi

$PY "$REF" cases >"$T/cases"
$PY "$REF" expect <"$T/cases" >"$T/want"
"$E164" <"$T/cases" >"$T/got" 2>"$T/err"
st=$?
n=$(wc -l <"$T/cases")
good=$(grep -c '^+' "$T/want")
if [ "$n" -lt 500 ] || [ "$good" -lt 250 ] || [ "$good" -eq "$n" ]; then
	notok "phone cases: $n lines, $good valid: too few, or no refusals"
elif [ "$st" -ne 0 ]; then
	notok "e164 on $n numbers: exit status $st"
	indent "$T/err"
elif paste "$T/cases" "$T/want" "$T/got" |
    awk -F '\t' '$3 != $4 { print; bad++ } END { exit bad > 0 }' \
    >"$T/diff"; then
	ok "e164 agrees with python3-phonenumbers on $n numbers ($good valid)"
else
	notok "e164 differs from python3-phonenumbers on" \
	    "$(wc -l <"$T/diff") of $n numbers (region, number, python, e164)"
	indent "$T/diff"
fi

# Every reason the library gives appears among the cases, so a change in
# how one is told (a new mapping, a reason lost) shows above.
for why in "not a number" "unknown region" "invalid country code" \
    "too short" "too long" "invalid length" "local number" \
    "invalid number"; do
	if grep -qx "! $why" "$T/want"; then
		ok "phone cases include \"$why\""
	else
		notok "phone cases include \"$why\""
	fi
done

# The issue's forms, spelled out (the reference agrees above; this says
# what it agreed on).
printf 'US\t(202) 555-0143\nUS\t202.555.0143\nUS\t+1 202 555 0143\nGB\t0044 20 7946 0958\nUS\t(202) 555-0143 ext. 12\nUS\tnot a phone\n' |
    "$E164" >"$T/out" 2>/dev/null
printf '+12025550143\n+12025550143\n+12025550143\n+442079460958\n+12025550143\n! not a number\n' >"$T/exp"
if diff -u "$T/exp" "$T/out" >"$T/d"; then
	ok "e164: the issue's examples"
else
	notok "e164: the issue's examples"
	indent "$T/d"
fi
