#!/bin/sh
# The full pipeline of issue 12, extract | remap | split-name | load, for
# ROWS people (bench/rsgen: id, school_id, full_name, email, city, born)
# from a source table into a V2-like users table (uuid primary key, the
# old key kept in a unique column, the name split in three), side by side
# on one throwaway server against:
#
#   its honest floor: psql \copy of the pipeline's own final rows from a
#   file into the same target (what the server alone costs for them);
#   the raw pipe: psql copy people | psql copy into a table like people
#   (bytes passed through, nothing transformed).
#
# and the same pipeline with load --bulk (what the runner does for an
# empty table), with load held to COPY text (load sends this table in
# binary: its uuid columns pay), and the floor from a binary file (the
# server's cost of the same rows in binary: what load's binary COPY is
# up against). Every turn starts from empty targets (truncated, with a
# checkpoint, outside the timing); the contenders take turns, RUNS (3)
# rounds; each gets its median with min and max and the peak RSS of its
# largest process. Target (issue 12): the pipeline at most 1.15x its
# floor, every program under 16 MB. QUICK=1: 100,000 rows, one round.
# ONLY="pipeline" runs only the contenders named, TSV=FILE appends their
# figures to FILE (bench/growth.sh).
. "$(dirname "$0")/lib.sh"

for p in extract remap split-name load; do
	[ -x "$BIN/$p" ] || { echo "bench pipeline: needs $BIN/$p (make)"; exit 0; }
done
server || { echo "bench pipeline: no server"; exit 1; }
DB=bench_pipe
S="psql -XAtq -v ON_ERROR_STOP=1 -d $DB"
createdb "$DB"
$S -c "
create table people (id bigint primary key, school_id int, full_name text,
	email text, city text, born date);
create table people2 (like people including all);
$(users_ddl uuid)" || { fail "setup failed"; bench_exit; }
"$GEN" -n "$ROWS" | "$BIN/load" -q --bulk -d "$DB" -t people ||
    { fail "loading people failed"; bench_exit; }
$S -c "vacuum analyze"

PIPE="$BIN/extract -q -d $DB -t people |
    $BIN/remap -q -a id=uuid5:bench-people -k old_id --fk school_id=uuid5:bench-schools |
    $BIN/split-name -q -c full_name"
# the floor's file: the pipeline's final rows, as the server gives them back
sh -c "$PIPE | $BIN/load -q -d $DB -t users" || { fail "pipeline failed"; bench_exit; }
$S -c "\\copy users to '$T/final.txt'" -c "\\copy users to '$T/final.bin' with (format binary)"

names=$(only "raw floor floor-binary pipeline pipeline-text pipeline-bulk")
cmd_raw="psql -XAtq -d $DB -c 'copy people to stdout' | psql -XAtq -d $DB -c 'copy people2 from stdin'"
cmd_floor="psql -XAtq -d $DB -c \"\\\\copy users from '$T/final.txt'\""
cmd_floor_binary="psql -XAtq -d $DB -c \"\\\\copy users from '$T/final.bin' with (format binary)\""
cmd_pipeline="$PIPE | $BIN/load -q -d $DB -t users"
cmd_pipeline_text="$PIPE | $BIN/load -q --copy-format text -d $DB -t users"
cmd_pipeline_bulk="$PIPE | $BIN/load -q --bulk -d $DB -t users"
label_raw="raw: psql copy | psql copy (people)"
label_floor="floor: psql \\copy of the final rows"
label_floor_binary="the same floor from a binary file"
label_pipeline="extract | remap | split-name | load"
label_pipeline_text="the same with load --copy-format text"
label_pipeline_bulk="the same with load --bulk"

empty() {
	$S -c "truncate users, people2" -c "checkpoint"
}
# check NAME: the target holds every row (and the raw pipe's, all of them)
check() {
	t=users
	[ "$1" = raw ] && t=people2
	got=$($S -c "select count(*) from $t")
	[ "$got" = "$ROWS" ] || fail "$1 left $got rows in $t, not $ROWS"
}

rounds "$names"
echo "full pipeline, $ROWS people (6 columns) into users (uuid pkey, unique old_id, name split in 3), $RUNS rounds:"
table "$names" floor raw
echo "  (target: the pipeline at most 1.15x its floor; peak RSS: the largest process of each command, < 16 MB)"
bench_exit
