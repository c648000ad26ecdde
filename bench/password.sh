#!/bin/sh
# password: hashes a second at the default costs (bcrypt 12, Django 5.2's
# 1,000,000 PBKDF2 iterations), on one thread and on every CPU, on
# PWROWS rows of 6 columns (bench/rsgen) given a new column. Per core is
# hashes over CPU seconds (user + system), which a busy machine does not
# skew; the totals are hashes over wall seconds, which it does (the line
# shows the CPUs the run had, CPU s / wall s). The issue asks for the
# figures, no target. Also what the rest costs: --missing over ROWS rows
# that all have a value, so nothing is hashed and every row is copied.
# QUICK=1: 100,000 rows, one run, 8 rows hashed.
. "$(dirname "$0")/lib.sh"
: "${PWROWS:=64}"
quick && PWROWS=8	# bcrypt 12 and 1M PBKDF2 rounds: a few a second
NCPU=$(nproc)

"$GEN" -n "$PWROWS" >"$T/pw.rs"
"$GEN" -n "$ROWS" >"$T/in.rs"
echo "password, $PWROWS rows hashed a run, $NCPU CPUs:"

# hashes ARGS JOBS: one run; prints the line
hashes() {
	/usr/bin/time -f '%e %U %S %M' -o "$T/time" \
	    sh -c "$BIN/password -q -j $2 -c pw $1 <'$T/pw.rs' >/dev/null" ||
	    { echo "  password $1 -j $2: failed"; return; }
	read -r wall u s rss <"$T/time"
	cpu=$(echo "$u + $s" | bc)
	printf '  %-40s -j %d  %6.2f s  %6.1f hashes/s total  %6.2f hashes/s per core (CPU %.2f s, %.2f CPUs busy)  peak RSS %4.1f MB\n' \
	    "password $1" "$2" "$wall" "$(echo "scale=2; $PWROWS / $wall" | bc)" \
	    "$(echo "scale=3; $PWROWS / $cpu" | bc)" "$cpu" \
	    "$(echo "scale=2; $cpu / $wall" | bc)" "$(mb "$rss")"
}

for args in "--scheme bcrypt" "--scheme pbkdf2-sha256"; do
	hashes "$args" 1
	hashes "$args" "$NCPU"
done

echo "password --missing, $ROWS rows that all have a value (nothing hashed), best of $RUNS:"
best "$BIN/password -q --missing -c email <'$T/in.rs' >/dev/null"
printf '  %-52s %5.2f s %9d rows/s  peak RSS %6.1f MB\n' \
    "password --missing -c email" "$SECS" "$(rate "$ROWS" "$SECS")" "$(mb "$RSS")"
bench_exit
