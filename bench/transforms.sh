#!/bin/sh
# The transforms remap and cols on a stream of ROWS rows of 6 columns
# (bench/rsgen), and remap's map at ten million pairs. Targets (issue 4):
# >= 1,500,000 rows/s on one core and peak memory < 16 MB (remap: plus
# its map); a 10,000,000-pair bigint -> uuid map in <= 40 bytes a pair
# (400 MB), loaded in < 3 s. QUICK=1: 100,000 rows, one run, a map of
# 1,000,000 pairs.
. "$(dirname "$0")/lib.sh"
KM=$ROOT/build/bench/kmload
: "${MAPPAIRS:=10000000}"
quick && MAPPAIRS=1000000	# the 10M-pair map alone takes 20 s here

"$GEN" -n "$ROWS" >"$T/in.rs"
"$KM" -g "$ROWS" >"$T/map.rs"
"$KM" -g 500 >"$T/schools.rs"
echo "transforms, $ROWS rows of 6 columns ($(du -m "$T/in.rs" | cut -f1) MB), best of $RUNS:"

# run NAME CMD: rows/s against the target, and peak RSS
run() {
	best "$2 <'$T/in.rs' >/dev/null" || { echo "  $1: failed"; return; }
	r=$(rate "$ROWS" "$SECS")
	printf '  %-52s %5.2f s %9d rows/s (%.2fx 1.5M)  peak RSS %6.1f MB\n' \
	    "$1" "$SECS" "$r" "$(echo "scale=2; $r / 1500000" | bc)" "$(mb "$RSS")"
}

run "pass-through (rspass copy), for scale" "$ROOT/build/bench/rspass copy"
run "remap --assign id=uuid5 --fk school_id=uuid5" \
    "$BIN/remap -q --assign id=uuid5:people --fk school_id=uuid5:schools"
run "remap --assign id=uuid5 --fk school_id=map:FILE" \
    "$BIN/remap -q --assign id=uuid5:people --fk school_id=map:$T/schools.rs"
run "remap ... -k old_id --map-out" \
    "$BIN/remap -q -a id=uuid5:people -k old_id --fk school_id=uuid5:schools --map-out $T/out.map"
run "remap --assign id=serial" "$BIN/remap -q --assign id=serial"
run "remap --map id=FILE ($ROWS pairs)" "$BIN/remap -q --map id=$T/map.rs"
run "cols 'id, full_name AS name, email, role=t'" \
    "$BIN/cols -q 'id, full_name AS name, email, role=teacher'"
run "cols -x born --cast school_id:text" "$BIN/cols -q -x born --cast school_id:text"

# The map at scale: load time and memory a pair.
"$KM" -g "$MAPPAIRS" >"$T/big.map"
echo "remap's map: $MAPPAIRS bigint -> uuid pairs ($(du -m "$T/big.map" | cut -f1) MB file):"
RUNS=1 best "$KM '$T/big.map' >'$T/km.out'"
cat "$T/km.out" | sed 's/^/  /'
printf '  peak RSS %.1f MB: %.1f bytes a pair (target <= 40), %.2f s in all (load < 3 s)\n' \
    "$(mb "$RSS")" "$(echo "scale=1; $RSS * 1024 / $MAPPAIRS" | bc)" "$SECS"
RUNS=1 best "$BIN/remap -q --map id=$T/big.map <'$T/in.rs' >/dev/null" || true
printf '  remap --map id=FILE (%d pairs) over %d rows: %.2f s, peak RSS %.1f MB\n' \
    "$MAPPAIRS" "$ROWS" "$SECS" "$(mb "$RSS")"
bench_exit
