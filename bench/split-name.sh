#!/bin/sh
# split-name on a stream of ROWS rows of 6 columns (bench/rsgen: its
# full_name column mixes plain names, middles, particles, apostrophes,
# hyphens, titles and suffixes, UTF-8). Targets (issue 4): >= 1,500,000
# rows/s on one core, peak memory < 16 MB whatever the row count. The
# pass-through (rspass spans) shows what reading and writing alone cost.
# QUICK=1: 100,000 rows, one run.
. "$(dirname "$0")/lib.sh"
PASS=$ROOT/build/bench/rspass

"$GEN" -n "$ROWS" >"$T/in.rs"
echo "split-name, $ROWS rows of 6 columns ($(du -m "$T/in.rs" | cut -f1) MB), best of $RUNS:"
best "$PASS spans <'$T/in.rs' >/dev/null"
base=$SECS
printf '  %-60s %6.2f s  %9d rows/s  peak RSS %5.1f MB\n' "rspass spans (no split)" \
    "$SECS" "$(rate "$ROWS" "$SECS")" "$(mb "$RSS")"
for args in "-c full_name" \
    "-c full_name --keep --title title --suffix suffix" \
    "-c full_name --case title"; do
	best "$BIN/split-name -q $args <'$T/in.rs' >/dev/null"
	r=$(rate "$ROWS" "$SECS")
	cpu "$BIN/split-name -q $args <'$T/in.rs' >/dev/null"
	printf '  %-60s %6.2f s  %9d rows/s  peak RSS %5.1f MB  (%.2fx the 1.5M target; %.2fx the time of pass-through; CPU %.2f s = %d rows/s)\n' \
	    "split-name $args" "$SECS" "$r" "$(mb "$RSS")" \
	    "$(echo "scale=2; $r / 1500000" | bc)" \
	    "$(echo "scale=2; $SECS / $base" | bc)" "$CPU" "$(rate "$ROWS" "$CPU")"
done
# memory must not grow with the row count
"$GEN" -n $((ROWS * 4)) >"$T/big.rs"
RUNS=1 best "$BIN/split-name -q -c full_name <'$T/big.rs' >/dev/null"
printf '  split-name of %d rows: peak RSS %5.1f MB (target < 16 MB)\n' \
    $((ROWS * 4)) "$(mb "$RSS")"
bench_exit
