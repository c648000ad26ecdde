#!/bin/sh
# The row stream pass-through: read, check, hash, write, trailer, for a
# stream of ROWS rows of 6 columns (bigint, int, three short strings, a
# date string). Targets (issue 2): >= 2,500,000 rows/s on one core, peak
# memory < 16 MB whatever the row count.
# QUICK=1: 100,000 rows, one run.
. "$(dirname "$0")/lib.sh"
PASS=$ROOT/build/bench/rspass

"$GEN" -n "$ROWS" >"$T/in.rs"
echo "rowstream pass-through, $ROWS rows of 6 columns ($(du -m "$T/in.rs" | cut -f1) MB), best of $RUNS:"
for mode in copy spans repack; do
	best "$PASS $mode <'$T/in.rs' >/dev/null"
	r=$(rate "$ROWS" "$SECS")
	printf '  %-7s %6.2f s  %9d rows/s  (%.2fx the 2.5M target)  peak RSS %5.1f MB\n' \
	    "$mode" "$SECS" "$r" "$(echo "scale=2; $r / 2500000" | bc)" "$(mb "$RSS")"
done
best "$BIN/rowcat -q --json <'$T/in.rs' >/dev/null"
printf '  rowcat --json  %6.2f s  %9d rows/s  peak RSS %5.1f MB\n' "$SECS" \
    "$(rate "$ROWS" "$SECS")" "$(mb "$RSS")"
# memory must not grow with the row count
"$GEN" -n $((ROWS * 4)) >"$T/big.rs"
RUNS=1 best "$PASS copy <'$T/big.rs' >/dev/null"
printf '  copy of %d rows: peak RSS %5.1f MB (target < 16 MB)\n' \
    $((ROWS * 4)) "$(mb "$RSS")"
bench_exit
