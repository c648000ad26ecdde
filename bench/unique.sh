#!/bin/sh
# unique on ROWS rows of 6 columns (bench/rsgen): the email column has
# ROWS distinct values, so the set ends holding all of them; the city
# column has 5, so all but 5 rows are duplicates that take a suffix
# (each one a new distinct value too); and a re-run against the first
# run's output as --taken (ROWS owned values more). Target (issue 11):
# >= 1,000,000 rows/s on one core; the memory a distinct value costs is
# the peak RSS above the pass-through's, over ROWS.
# QUICK=1: 100,000 rows, one run.
. "$(dirname "$0")/lib.sh"

"$GEN" -n "$ROWS" >"$T/in.rs"
echo "unique, $ROWS rows of 6 columns ($(du -m "$T/in.rs" | cut -f1) MB), best of $RUNS:"

best "$ROOT/build/bench/rspass copy <'$T/in.rs' >/dev/null" || { echo "  rspass failed"; exit 0; }
BASE=$RSS

# run NAME CMD: rows/s against the target, peak RSS, bytes a distinct value
run() {
	best "$2 <'$T/in.rs' >/dev/null" || { echo "  $1: failed"; return; }
	r=$(rate "$ROWS" "$SECS")
	printf '  %-46s %5.2f s %9d rows/s (%.2fx 1M)  peak RSS %6.1f MB, %5.1f B a value\n' \
	    "$1" "$SECS" "$r" "$(echo "scale=2; $r / 1000000" | bc)" "$(mb "$RSS")" \
	    "$(echo "scale=1; ($RSS - $BASE) * 1024 / $3" | bc)"
}

run "unique -c email ($ROWS distinct)" "$BIN/unique -q -c email" "$ROWS"
run "unique -c email --fold" "$BIN/unique -q -c email --fold" "$ROWS"
run "unique -c city (all but 5 suffixed)" "$BIN/unique -q -c city" "$ROWS"
run "unique -c city --dup null" "$BIN/unique -q -c city --dup null" "$ROWS"
"$BIN/unique" -q -c email <"$T/in.rs" | "$BIN/cols" -q 'email, id' >"$T/taken.rs"
run "unique -c email --taken (a re-run) --key id" \
    "$BIN/unique -q -c email --taken $T/taken.rs --key id" "$ROWS"
bench_exit
