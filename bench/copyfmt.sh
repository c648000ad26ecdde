#!/bin/sh
# What binary COPY saves the server, type by type: for a one-column table
# of each of uuid, int4, int8, date, timestamptz, timestamp, numeric and
# text, and for a mixed table (uuid, int4, int8, date, timestamptz,
# numeric and three text columns), ROWS
# (1M) rows, psql \copy ... from a file in text format against the same
# rows from a file in binary format. Both files are written by the
# server's own COPY TO (text and format binary), so each side is the
# server's own encoding and the only difference is the input functions
# (text) against the receive functions (binary). The targets have no
# index, so that nothing else dilutes the difference.
#
# The two formats take turns, RUNS (3) rounds a table, each turn from an
# empty table (truncated, with a checkpoint, outside the timing); median
# with min and max, and binary's ratio to text. The figures decide which
# types load encodes in binary (lib/pgx_binary.c). The table is printed
# and, except under QUICK=1, written to bench/results.md under
# "## copyfmt" (replacing an earlier one). QUICK=1: 100,000 rows, one
# round.
. "$(dirname "$0")/lib.sh"

server || { echo "bench copyfmt: no server"; exit 1; }
DB=bench_fmt
S="psql -XAtq -v ON_ERROR_STOP=1 -d $DB"
createdb "$DB"
# realistic values: random uuids, ints over the whole int4 range and
# mostly small int8s, dates over 25 years, timestamps with microseconds,
# money-like numerics, short names
$S -c "
create table src as select
	md5(i::text)::uuid as u,
	(hashint4(i))::int4 as i4,
	i::int8 * 7919 as i8,
	date '2000-01-01' + (i % 9000) as d,
	timestamptz '2000-01-01 00:00:00+00' + i * interval '1.234567 s' as ts,
	timestamp '2000-01-01 00:00:00' + i * interval '1.234567 s' as tsn,
	round((i % 100000) * 1.37, 2)::numeric as n,
	'name ' || i as t,
	'city' || (i % 977) as t2,
	md5(i::text) as t3
	from generate_series(1, $ROWS) i;" || { fail "setup failed"; bench_exit; }

TYPES="uuid int4 int8 date timestamptz timestamp numeric text"
col_uuid=u col_int4=i4 col_int8=i8 col_date=d col_timestamptz=ts
col_timestamp=tsn col_numeric=n col_text=t
for ty in $TYPES mixed; do
	if [ "$ty" = mixed ]; then
		sel="u, i4, i8, d, ts, n, t, t2, t3"
	else
		eval "sel=\$col_$ty"
	fi
	$S -c "create table t_$ty as select $sel from src limit 0" \
	    -c "\\copy (select $sel from src) to '$T/$ty.txt'" \
	    -c "\\copy (select $sel from src) to '$T/$ty.bin' with (format binary)" ||
	    { fail "files for $ty failed"; bench_exit; }
	c1="$S -c \"\\\\copy t_$ty from '$T/$ty.txt'\""
	c2="$S -c \"\\\\copy t_$ty from '$T/$ty.bin' with (format binary)\""
	eval "cmd_${ty}_text=\$c1 cmd_${ty}_binary=\$c2"
	eval "label_${ty}_text=\"$ty text\""
	eval "label_${ty}_binary=\"$ty binary\""
done

empty() {
	$S -c "truncate t_${1%-*}" -c "checkpoint"
}
check() {
	got=$($S -c "select count(*) from t_${1%-*}")
	[ "$got" = "$ROWS" ] || fail "$1 left $got rows, not $ROWS"
}

out=$T/table
{
	echo "COPY FROM a file, text vs binary (the server's own encodings), $ROWS rows, $RUNS rounds, no index:"
	printf '  %-14s %8s %8s %8s   %8s %8s %8s   %7s %8s\n' type "text" min max \
	    binary min max "bin/txt" "saved"
	for ty in $TYPES mixed; do
		rounds "$ty-text $ty-binary"
		set -- $(stats "$ty-text") $(stats "$ty-binary")
		printf '  %-14s %7.2fs %7.2fs %7.2fs   %7.2fs %7.2fs %7.2fs   %6.2fx %7.2fs\n' \
		    "$ty" "$1" "$2" "$3" "$5" "$6" "$7" \
		    "$(echo "scale=2; $5 / $1" | bc)" "$(echo "$1 - $5" | bc)"
	done
	echo "  (mixed: uuid, int4, int8, date, timestamptz, numeric, 3 text; medians, min and max of each side)"
} >"$out"
cat "$out"
if ! quick && [ "$BENCH_ST" = 0 ]; then
	res=$ROOT/bench/results.md
	# replace an earlier copyfmt section (up to the next "## "), keep the rest
	awk -v f="$out" -v when="$(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)" '
	    function put() { print "## copyfmt (bench/copyfmt.sh, " when ")\n\n```"
		while ((getline l < f) > 0) print l; print "```\n"; done = 1 }
	    /^## copyfmt/ { skip = 1; put(); next }
	    skip && /^## / { skip = 0 }
	    !skip { print }
	    END { if (!done) { print ""; put() } }' "$res" >"$T/res" &&
	    cp "$T/res" "$res"
fi
bench_exit
