#!/bin/sh
# verify against a table: `extract -t T | verify -t T2` for ROWS rows,
# against the raw COPY of both tables one after the other (psql -c "copy
# T to stdout" >/dev/null, then the same for T2). Targets (issue 5):
# counts and hashes <= 1.5x that, with --key id <= 2x, peak memory of
# verify < 64 MB.
# QUICK=1: 100,000 rows, one run.
. "$(dirname "$0")/lib.sh"

if ! env=$("$ROOT/scripts/pg-sandbox" start "$T/pg" 2>"$T/pg.err"); then
	cat "$T/pg.err"
	echo "bench verify: no sandbox server"
	exit 1
fi
eval "$env"
trap '"$ROOT/scripts/pg-sandbox" stop "$T/pg" >/dev/null 2>&1; rm -rf "$T"' EXIT
createdb vbench || exit 1
export PGDATABASE=vbench
psql -Xq -v ON_ERROR_STOP=1 -c "
    create table t (id int8 primary key, name text, amount numeric(12,2),
	at timestamptz, note text, active bool);
    insert into t select g, 'student ' || g, g * 1.25,
	'2020-01-01 00:00:00+00'::timestamptz + g * interval '1 minute',
	case when g % 3 = 0 then null else 'note ' || (g % 97) end, g % 2 = 0
    from generate_series(1, $ROWS) g;
    create table t2 as select * from t order by random()" || exit 1
psql -Xq -c "vacuum analyze" || exit 1

echo "verify, $ROWS rows of 6 columns (int8, text, numeric, timestamptz, text, bool), best of $RUNS:"
wall "psql -Xq -c 'copy t to stdout' >/dev/null && psql -Xq -c 'copy t2 to stdout' >/dev/null"
base=$SECS
printf '  copy t + copy t2 (psql)      %6.2f s\n' "$base"

# run NAME VERIFY-ARGS TARGET: time the pipeline, then verify's peak RSS
run() {
	wall "'$BIN/extract' --quiet -t t | '$BIN/verify' -q -t t2 $2 >'$T/out'"
	grep -q '^total.* yes$' "$T/out" || { fail "$1: verify did not pass:"; cat "$T/out" >&2; }
	s=$SECS
	"$BIN/extract" --quiet -t t | /usr/bin/time -f '%M' -o "$T/rss" \
	    "$BIN/verify" -q -t t2 $2 >/dev/null
	rss=$(cat "$T/rss")
	printf '  %-34s %6.2f s  %9d rows/s  %.2fx (target <= %s)  verify peak RSS %5.1f MB (target < 64 MB)\n' \
	    "$1" "$s" "$(rate "$ROWS" "$s")" "$(echo "scale=2; $s / $base" | bc)" "$3" "$(mb "$rss")"
}
run "extract | verify -t t2" "" 1.5x
run "extract | verify -t t2 --key id" "--key id" 2x
bench_exit
