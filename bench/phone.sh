#!/bin/sh
# e164 (lib/phone.h, libphonenumber) on ROWS distinct phone numbers as a
# school's records have them: 60% US numbers in national and
# international forms (some with extensions), 25% from other countries
# (GB, DE, FR, IN, MX; +, 00 and national forms), 15% that are refused
# (local numbers, unassigned ranges, junk). Through the test tool
# build/tests/tools/e164, which reads "REGION<TAB>NUMBER" lines: -q
# counts without printing, the cost of the parse alone. Target (issue
# 11): if under 200,000 rows/s, say why (README, "Speed").
# QUICK=1: 20,000 numbers, one run (100,000 took 25 s here).
. "$(dirname "$0")/lib.sh"
quick && ROWS=20000
E164=$ROOT/build/tests/tools/e164

python3 - "$ROWS" >"$T/phones" <<'EOF'
import random, sys
rng = random.Random(11)
area = [201, 202, 212, 213, 305, 312, 404, 415, 512, 602, 617, 646, 702,
        713, 718, 801, 818, 904, 917, 949]
us = ["({a}) {e}-{l}", "{a}.{e}.{l}", "{a}-{e}-{l}", "+1 {a} {e} {l}",
      "1{a}{e}{l}", "({a}) {e}-{l} ext. {x}", "{a} {e} {l}", "+1-{a}-{e}-{l}"]
intl = [("GB", "+44 20 7946 {4}"), ("GB", "020 7946 {4}"),
        ("GB", "07700 9{5}"), ("US", "011 44 20 7946 {4}"),
        ("DE", "+49 30 1234{4}"), ("DE", "030 1234{4}"),
        ("FR", "+33 1 23 45 {2} {2b}"), ("FR", "06 12 34 {2} {2b}"),
        ("IN", "+91 98765 {5}"), ("MX", "+52 55 1234 {4}"),
        ("DE", "0044 20 7946 {4}")]
bad = ["555-{4}", "(999) 555-{4}", "n/a", "", "{4}", "call mom",
       "+999 {5}", "202-555-01{2}"]
for i in range(int(sys.argv[1])):
    d = lambda n: "%0*d" % (n, rng.randrange(10 ** n))
    k = rng.random()
    if k < 0.60:
        s = rng.choice(us).format(a=rng.choice(area),
                                  e=rng.randrange(200, 1000), l=d(4),
                                  x=rng.randrange(1, 999))
        r = "US"
    elif k < 0.85:
        r, f = rng.choice(intl)
        s = f.replace("{2b}", d(2)).replace("{2}", d(2)).replace(
            "{4}", d(4)).replace("{5}", d(5))
    else:
        r = "US"
        s = rng.choice(bad).replace("{2}", d(2)).replace(
            "{4}", d(4)).replace("{5}", d(5))
    print(r + "\t" + s)
EOF
echo "e164, $ROWS phone numbers ($(sort -u "$T/phones" | wc -l) distinct), best of $RUNS:"
"$E164" -q <"$T/phones" 2>&1 >/dev/null | sed 's/^/  /'
for args in "-q" ""; do
	best "$E164 $args <'$T/phones' >/dev/null 2>&1"
	r=$(rate "$ROWS" "$SECS")
	cpu "$E164 $args <'$T/phones' >/dev/null 2>&1"
	printf '  %-28s %6.2f s  %8d rows/s  peak RSS %5.1f MB  (%.2fx the 200k mark; CPU %.2f s = %d rows/s)\n' \
	    "e164 ${args:-(printing)}" "$SECS" "$r" "$(mb "$RSS")" \
	    "$(echo "scale=2; $r / 200000" | bc)" "$CPU" "$(rate "$ROWS" "$CPU")"
done
# The same numbers, all written +E.164 (a re-run over migrated data):
# the parse is cheaper when there is no national form to interpret.
"$E164" <"$T/phones" 2>/dev/null | paste "$T/phones" - |
    awk -F '\t' '$3 ~ /^\+/ { print "US\t" $3 }' >"$T/e164"
n=$(wc -l <"$T/e164")
cpu "$E164 -q <'$T/e164' >/dev/null 2>&1"
printf '  %-28s CPU %.2f s for %d numbers = %d rows/s\n' \
    "e164 -q on +E.164 input" "$CPU" "$n" "$(rate "$n" "$CPU")"
bench_exit
