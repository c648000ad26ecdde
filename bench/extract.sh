#!/bin/sh
# extract against a raw COPY, on a throwaway server, for a ROWS-row table
# of bigint, int, three short text columns and a date (issue 3). Targets:
# extract -t T | load -t T2 at most 1.10x the time of
# psql "copy T to stdout" | psql "copy T2 from stdin"; extract's peak
# memory under 16 MB. Also: extract alone against psql's COPY alone, and
# COPY text against COPY binary on the server side (why extract reads
# text).
# QUICK=1: 100,000 rows, one run.
. "$(dirname "$0")/lib.sh"

server || { echo "bench extract: no server"; exit 1; }
createdb bench
DB=bench
pgtable "$DB"
echo "extract, $ROWS rows of (bigint, int, 3 short text, date), best of $RUNS:"

best "psql -XAtq -d $DB -c 'copy t to stdout' >/dev/null"
base=$SECS
printf '  psql copy t to stdout             %6.2f s  %9d rows/s\n' "$SECS" "$(rate "$ROWS" "$SECS")"
best "psql -XAtq -d $DB -c 'copy t to stdout (format binary)' >/dev/null"
printf '  psql copy t to stdout binary      %6.2f s  (%.2fx text)\n' "$SECS" \
    "$(echo "scale=2; $SECS / $base" | bc)"
best "$BIN/extract --quiet -d $DB -t t >/dev/null"
printf '  extract -t t                      %6.2f s  %9d rows/s  %.2fx psql  peak RSS %5.1f MB (target < 16 MB)\n' \
    "$SECS" "$(rate "$ROWS" "$SECS")" "$(echo "scale=2; $SECS / $base" | bc)" "$(mb "$RSS")"

if [ -x "$BIN/load" ]; then
	wall "psql -XAtq -d $DB -c 'copy t to stdout' | psql -XAtq -d $DB -c 'truncate t2' -c 'copy t2 from stdin'"
	base=$SECS
	printf '  psql copy | psql copy             %6.2f s  %9d rows/s\n' "$SECS" "$(rate "$ROWS" "$SECS")"
	wall "$BIN/extract --quiet -d $DB -t t | $BIN/load -q -d $DB -t t2 --mode truncate"
	printf '  extract | load --mode truncate    %6.2f s  %9d rows/s  %.2fx psql (target <= 1.10x)\n' \
	    "$SECS" "$(rate "$ROWS" "$SECS")" "$(echo "scale=2; $SECS / $base" | bc)"
	"$BIN/extract" --quiet -d $DB -t t >"$T/t.rs"
	best "$BIN/load -q -d $DB -t t2 --mode truncate <'$T/t.rs'"
	printf '  load (alone, from a file)         %6.2f s  peak RSS %5.1f MB (target < 16 MB)\n' \
	    "$SECS" "$(mb "$RSS")"
else
	echo "  (no $BIN/load: the extract | load pipe is not measured)"
fi
bench_exit
