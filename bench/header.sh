#!/bin/sh
# Wide headers: every program that reads a header, on a stream of COLS
# columns (default 300,000, within the format's 1,048,576) and two rows
# (bench/rswide). Checking a header and matching names against it were
# quadratic (issue 14: 15 to 60 s and more, cols '*' 3 minutes); with the
# index of names (lib/nidx.c) each run is linear. Budget: 5 s a program,
# the most a header within the documented limits may cost anywhere.
# load runs against a sandbox server when one starts (a table of 1,000
# of the stream's columns, --ignore-extra, --dry-run); the others need
# no database. QUICK=1: 30,000 columns, one run.
. "$(dirname "$0")/lib.sh"
WIDE=$ROOT/build/bench/rswide
: "${COLS:=300000}"
quick && COLS=30000	# a tenth: 300,000 columns take 15 s in all
: "${BUDGET:=5}"
C2=column_of_a_wide_table_2 C4=column_of_a_wide_table_4

"$WIDE" -c "$COLS" >"$T/wide.rs" || { fail "rswide failed"; bench_exit; }
cp "$T/wide.rs" "$T/wide2.rs"
echo "a header of $COLS columns ($(du -m "$T/wide.rs" | cut -f1) MB), two rows, best of $RUNS (budget $BUDGET s each):"

# run NAME CMD: the best time of CMD (stdin the wide stream), against the budget
run() {
	best "$2 <'$T/wide.rs' >/dev/null" || { echo "  $1: failed"; return; }
	over=$(echo "$SECS > $BUDGET" | bc)
	printf '  %-54s %6.2f s  peak RSS %6.1f MB%s\n' "$1" "$SECS" \
	    "$(mb "$RSS")" "$([ "$over" = 1 ] && echo '  OVER BUDGET')"
}

run "rspass copy (read and write), for scale" "$ROOT/build/bench/rspass copy"
run "rowcat --json" "$BIN/rowcat -q --json"
run "rowcat --schema" "$BIN/rowcat -q --schema"
run "cols '*'" "$BIN/cols -q '*'"
run "cols '*' -x id --cast $C4:text" "$BIN/cols -q '*' -x id --cast $C4:text"
run "cols 'id, $C2 AS b'" "$BIN/cols -q 'id, $C2 AS b'"
run "remap -a id=serial" "$BIN/remap -q -a id=serial"
run "split-name -c $C2" "$BIN/split-name -q -c $C2"
run "verify (stream against stream)" "$BIN/verify -q - '$T/wide2.rs'"

PGSB=$ROOT/scripts/pg-sandbox
if ! env=$("$PGSB" start "$T/pg" 2>"$T/pg.err"); then
	echo "  load: skipped, no sandbox server"
	exit 0
fi
eval "$env"
trap '"$PGSB" stop "$T/pg" >/dev/null 2>&1; rm -rf "$T"' EXIT
createdb bench_header || exit 1
{
	printf 'create table wide (id int8'
	i=2
	while [ $i -le 1000 ]; do
		[ $((i % 3)) -eq 1 ] && t=int8 || t=text
		printf ', column_of_a_wide_table_%d %s' $i $t
		i=$((i + 1))
	done
	printf ');\n'
} | psql -XAtq -d bench_header -v ON_ERROR_STOP=1 || exit 1
run "load --ignore-extra -n (1,000 table columns)" \
    "$BIN/load -q -d bench_header --ignore-extra -n"
bench_exit
