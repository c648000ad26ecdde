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
# timing, in its own transaction for both). The two pipes take turns,
# RUNS rounds of them, so that a slow moment of the machine hits both;
# each gets its median with min and max, and the peak RSS of its largest
# process (extract's and load's are also given apart). EXTRACT may name
# another extract binary. QUICK=1: 100,000 rows, one round.
. "$(dirname "$0")/lib.sh"
: "${EXTRACT:=$BIN/extract}"

if [ ! -x "$EXTRACT" ] || [ ! -x "$BIN/load" ]; then
	echo "bench extract-load: needs $EXTRACT and $BIN/load (make)"
	exit 0
fi
server || { echo "bench extract-load: no server"; exit 1; }
DB=bench_el
createdb "$DB"
pgtable "$DB"

empty() {
	psql -XAtq -d "$DB" -c "truncate t2" -c "checkpoint"
}
check() {
	:
}
cmd_psql="psql -XAtq -d $DB -c 'copy t to stdout' | psql -XAtq -d $DB -c 'copy t2 from stdin'"
cmd_sluice="/usr/bin/time -f %M -a -o $T/ex.rss $EXTRACT --quiet -d $DB -t t |
    /usr/bin/time -f %M -a -o $T/ld.rss $BIN/load -q -d $DB -t t2"
# the same pipe with load held to COPY text: what the binary format
# (load --copy-format auto, lib/pgx_binary.c: the date column) gives
cmd_sluice_text="$EXTRACT --quiet -d $DB -t t | $BIN/load -q --copy-format text -d $DB -t t2"
label_psql="psql copy | psql copy"
label_sluice="extract | load"
label_sluice_text="extract | load --copy-format text"
rounds "psql sluice sluice-text"
exrss=$(sort -n "$T/ex.rss" | tail -n 1)
ldrss=$(sort -n "$T/ld.rss" | tail -n 1)
n=$(psql -XAtq -d "$DB" -c "select count(*) from (select * from t except select * from t2) x")
[ "$n" = 0 ] || fail "t2 differs from t in $n rows"

echo "extract | load, $ROWS rows of (bigint, int, 3 short text, date) with a primary key, $RUNS rounds:"
table "psql sluice sluice-text" psql
echo "  (target: extract | load at most 1.10x psql, issue 12: at most 1.0x)"
printf '  peak RSS: extract %5.1f MB, load %5.1f MB (target < 16 MB each)\n' \
    "$(mb "$exrss")" "$(mb "$ldrss")"
bsluice=$(stats sluice | cut -d' ' -f1)

# load --rejects keeps each batch; a clean load costs a savepoint a batch
"$EXTRACT" --quiet -d "$DB" -t t >"$T/t.rs"
best "psql -XAtq -d $DB -c 'truncate t2'; $BIN/load -q -d $DB -t t2 -r $T/rej.rs <$T/t.rs"
printf '  load --rejects (file)   %6.2f s  %9d rows/s  peak RSS %5.1f MB (with a truncate)\n' \
    "$SECS" "$(rate "$ROWS" "$SECS")" "$(mb "$RSS")"

# Text or binary COPY FROM? The server's side of it alone, from files
# psql wrote (load sends this table in binary: its date column pays;
# bench/copyfmt.sh has the figures per type).
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
bench_exit
