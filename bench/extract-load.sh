#!/bin/sh
# extract | load against psql's COPY pipe (and pgloader, when installed),
# side by side on one throwaway server, for a ROWS-row table of bigint,
# int, three short text columns and a date, with its primary key.
# Targets (issue 3): extract -t T | load -t T2 at most 1.10x the time of
# psql -c "copy T to stdout" | psql -c "copy T2 from stdin"; the peak
# memory of extract and of load each under 16 MB. The README's claim:
# several times faster than pgloader.
#
# Every run starts from an empty T2 (truncated by a psql call outside the
# timing, in its own transaction for both). The runs alternate between
# the two pipes so that a slow moment of the machine hits both; the best
# of RUNS is reported. EXTRACT may name another extract binary.
. "$(dirname "$0")/lib.sh"
: "${EXTRACT:=$BIN/extract}"

if [ ! -x "$EXTRACT" ] || [ ! -x "$BIN/load" ]; then
	echo "bench extract-load: needs $EXTRACT and $BIN/load (make)"
	exit 0
fi
PGSB=$ROOT/scripts/pg-sandbox
env=$("$PGSB" start "$T/pg") || { echo "bench extract-load: no server"; exit 1; }
eval "$env"
trap '"$PGSB" stop "$T/pg" >/dev/null 2>&1; rm -rf "$T"' EXIT
DB=bench_el
createdb "$DB"
psql -XAtq -d "$DB" -c "
create table t (id bigint primary key, n int, a text, b text, c text, d date);
insert into t select i, i % 1000, 'first' || i, 'middle' || (i % 77),
	'last' || (i % 1013), date '2000-01-01' + (i % 9000)
	from generate_series(1, $ROWS) i;
create table t2 (like t including all);" -c "vacuum analyze t"

empty() {
	psql -XAtq -d "$DB" -c "truncate t2" -c "checkpoint"
}
# secs CMD: the wall time of the shell command CMD
secs() {
	t0=$(date +%s.%N)
	sh -c "$1" || { echo "bench extract-load: failed: $1" >&2; exit 1; }
	t1=$(date +%s.%N)
	echo "$t1 - $t0" | bc
}
min() {
	if [ -z "$1" ] || [ "$(echo "$2 < $1" | bc)" = 1 ]; then echo "$2"; else echo "$1"; fi
}
max() {
	if [ "$2" -gt "$1" ]; then echo "$2"; else echo "$1"; fi
}

PSQL="psql -XAtq -d $DB -c 'copy t to stdout' | psql -XAtq -d $DB -c 'copy t2 from stdin'"
SLUICE="/usr/bin/time -f %M -o $T/ex.rss $EXTRACT --quiet -d $DB -t t |
    /usr/bin/time -f %M -o $T/ld.rss $BIN/load -q -d $DB -t t2"
bpsql= bsluice= exrss=0 ldrss=0
i=0
while [ $i -lt "$RUNS" ]; do
	empty
	bpsql=$(min "$bpsql" "$(secs "$PSQL")")
	empty
	bsluice=$(min "$bsluice" "$(secs "$SLUICE")")
	exrss=$(max "$exrss" "$(cat "$T/ex.rss")")
	ldrss=$(max "$ldrss" "$(cat "$T/ld.rss")")
	i=$((i + 1))
done
n=$(psql -XAtq -d "$DB" -c "select count(*) from (select * from t except select * from t2) x")
[ "$n" = 0 ] || echo "bench extract-load: t2 differs from t in $n rows!"

echo "extract | load, $ROWS rows of (bigint, int, 3 short text, date) with a primary key, best of $RUNS:"
printf '  psql copy | psql copy   %6.2f s  %9d rows/s\n' "$bpsql" "$(rate "$ROWS" "$bpsql")"
printf '  extract | load          %6.2f s  %9d rows/s  %.2fx psql (target <= 1.10x)\n' \
    "$bsluice" "$(rate "$ROWS" "$bsluice")" "$(echo "scale=2; $bsluice / $bpsql" | bc)"
printf '  peak RSS: extract %5.1f MB, load %5.1f MB (target < 16 MB each)\n' \
    "$(mb "$exrss")" "$(mb "$ldrss")"

# load --rejects keeps each batch; a clean load costs a savepoint a batch
"$EXTRACT" --quiet -d "$DB" -t t >"$T/t.rs"
best "psql -XAtq -d $DB -c 'truncate t2'; $BIN/load -q -d $DB -t t2 -r $T/rej.rs <$T/t.rs"
printf '  load --rejects (file)   %6.2f s  %9d rows/s  peak RSS %5.1f MB (with a truncate)\n' \
    "$SECS" "$(rate "$ROWS" "$SECS")" "$(mb "$RSS")"

# Text or binary COPY FROM? The server's side of it alone, from files
# psql wrote: what load would gain if it sent binary (it sends text).
psql -XAtq -d "$DB" -c "\\copy t to '$T/t.txt'" \
    -c "\\copy t to '$T/t.bin' with (format binary)"
best "psql -XAtq -d $DB -c 'truncate t2' -c checkpoint; psql -XAtq -d $DB -c \"\\\\copy t2 from '$T/t.txt'\""
btxt=$SECS
best "psql -XAtq -d $DB -c 'truncate t2' -c checkpoint; psql -XAtq -d $DB -c \"\\\\copy t2 from '$T/t.bin' with (format binary)\""
printf '  psql copy from, text    %6.2f s;  binary %6.2f s (%.2fx text; both with a truncate and a checkpoint)\n' \
    "$btxt" "$SECS" "$(echo "scale=2; $SECS / $btxt" | bc)"

if command -v pgloader >/dev/null; then
	createdb "${DB}_pgl"
	psql -XAtq -d "${DB}_pgl" -c "create table t (like t)" 2>/dev/null ||
	    psql -XAtq -d "${DB}_pgl" -c "create table t (id bigint primary key,
		n int, a text, b text, c text, d date)"
	cat >"$T/pgl.load" <<EOF
LOAD DATABASE
  FROM pgsql://$PGUSER@unix:$PGHOST:$PGPORT/$DB
  INTO pgsql://$PGUSER@unix:$PGHOST:$PGPORT/${DB}_pgl
  WITH data only, truncate
  INCLUDING ONLY TABLE NAMES MATCHING 't' IN SCHEMA 'public';
EOF
	RUNS=1 best "pgloader --quiet $T/pgl.load >$T/pgl.out 2>&1"
	printf '  pgloader (db to db)     %6.2f s  %9d rows/s  %.1fx extract | load  peak RSS %5.1f MB\n' \
	    "$SECS" "$(rate "$ROWS" "$SECS")" "$(echo "scale=1; $SECS / $bsluice" | bc)" \
	    "$(mb "$RSS")"
else
	echo "  (pgloader is not installed: scripts/install-deps --bench)"
fi
