#!/bin/sh
# Faults in a running pipeline: after each, the target holds nothing new
# or the whole load, never a part (issue 14, "Make it stay fixed").
#
# - kill -9 of each program of extract | remap | split-name | cols | load
#   (200,000 rows) at points drawn from a fixed seed, 4 kills a program;
# - a writer killed exactly after a trailer (two whole segments of three,
#   no end mark), straight into load and through remap;
# - a transform whose input fails between segments;
# - pg_terminate_backend of load's session during its COPY;
# - a full disk (a 256 kB tmpfs) for extract -o, load --rejects and
#   cols --rejects;
# - two concurrent upserts of the same rows into one table.
#
# "Nothing new" is checked by count; "the whole load" by verify against
# the stream load was given (counts and hashes). Kills are timed, the
# checks are not: any kill point must give one of the two outcomes.
. "$(dirname "$0")/../lib/common.sh"
. "$ROOT/tests/lib/pg.sh"
newdb sluice_faults
E=$BIN/extract L=$BIN/load
SEED=${FAULTS_SEED:-14}
MNT=
cleanup() {
	[ -n "$MNT" ] && umount "$MNT" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

q "create table people (id int primary key, full_name text, email text,
    grade int);
   insert into people select i, 'First' || i || ' M. Last' || (i % 977),
    'p' || i || '@x.org', i % 12 from generate_series(1, 200000) i;
   create table target (id uuid primary key, first_name text,
    middle_name text, last_name text, email text, grade int)" >/dev/null ||
    notok "faults: setup"

# outcome TABLE STREAM: "nothing" when TABLE is empty, "whole" when
# verify finds it equal to STREAM, else what it holds
outcome() {
	n=$(q "select count(*) from $1")
	if [ "$n" = 0 ]; then
		echo nothing
	elif "$BIN/verify" -q -d "$DB" -t "$1" <"$2" >/dev/null 2>&1; then
		echo whole
	else
		echo "$n rows, not the stream's"
	fi
}

# --- kill -9 of each program of a 200,000-row pipeline ---------------
# The stream load gets in a clean run, for verify; and how long it takes,
# to draw the kill points from (0.05 s to 1.2 times that).
start=$(date +%s.%N)
"$E" -q -d "$DB" -t people | "$BIN/remap" -q -a id=uuid5:school |
    "$BIN/split-name" -q -c full_name | "$BIN/cols" -q -x grade |
    tee "$T/whole.rs" | "$L" -q -d "$DB" -t target 2>"$T/err"
st=$?
secs=$(echo "$start $(date +%s.%N)" | awk '{ printf "%.2f", $2 - $1 }')
if [ "$st" -eq 0 ] && [ "$(outcome target "$T/whole.rs")" = whole ]; then
	ok "faults: the 200,000-row pipeline, uncut, loads the whole stream (${secs}s)"
else
	notok "faults: the uncut pipeline: load exit $st"
	indent "$T/err"
fi

# pipe VICTIM DELAY: runs the pipeline through fifos, so that each
# program's pid is known, and kills VICTIM after DELAY seconds
pipe() {
	rm -f "$T"/f1 "$T"/f2 "$T"/f3 "$T"/f4
	mkfifo "$T/f1" "$T/f2" "$T/f3" "$T/f4"
	"$E" -q -d "$DB" -t people >"$T/f1" 2>/dev/null &
	p_extract=$!
	"$BIN/remap" -q -a id=uuid5:school <"$T/f1" >"$T/f2" 2>/dev/null &
	p_remap=$!
	"$BIN/split-name" -q -c full_name <"$T/f2" >"$T/f3" 2>/dev/null &
	p_split=$!
	"$BIN/cols" -q -x grade <"$T/f3" >"$T/f4" 2>/dev/null &
	p_cols=$!
	"$L" -q -d "$DB" -t target <"$T/f4" 2>"$T/load.err" &
	p_load=$!
	sleep "$2"
	eval "kill -9 \$p_$1" 2>/dev/null
	{
		for p in $p_extract $p_remap $p_split $p_cols; do
			wait "$p"
		done
		wait "$p_load"
		lst=$?
	} 2>/dev/null	# the shell's "Killed"
}

q "truncate target"
awk -v seed="$SEED" -v secs="$secs" 'BEGIN {
	srand(seed)
	split("extract remap split cols load", prog, " ")
	for (k = 0; k < 4; k++)
		for (i = 1; i <= 5; i++)
			printf "%s %.2f\n", prog[i], 0.05 + rand() * secs * 1.2
}' >"$T/kills"
nothing=0 whole=0
while read -r victim delay; do
	pipe "$victim" "$delay"
	got=$(outcome target "$T/whole.rs")
	case $got in
	nothing) [ "$lst" -ne 0 ] && nothing=$((nothing + 1)) ;;
	whole) whole=$((whole + 1)) ;;
	esac
	if [ "$got" = whole ] || { [ "$got" = nothing ] && [ "$lst" -ne 0 ]; }; then
		ok "faults: kill -9 of $victim after ${delay}s: load exit $lst, the target holds $got"
	else
		notok "faults: kill -9 of $victim after ${delay}s: load exit $lst, the target holds $got"
		indent "$T/load.err"
	fi
	q "truncate target"
done <"$T/kills"
echo "# kills: $nothing left nothing, $whole came after the load (seed $SEED)"

# --- a writer killed exactly after a trailer ------------------------------
# Three tables, one stream; the writer sends the first two segments whole
# and dies (kill -9 of itself) before the third and the end mark. What
# the consumer sees is a valid prefix, without the end mark.
q "create table a (id int primary key, v text); create table b (like a);
   create table c (like a);
   insert into a select i, 'a' || i from generate_series(1, 1000) i;
   insert into b select i, 'b' || i from generate_series(1, 1000) i;
   insert into c select i, 'c' || i from generate_series(1, 1000) i;
   create schema copy; create table copy.a (like a including all);
   create table copy.b (like a including all);
   create table copy.c (like a including all)" >/dev/null
"$E" -q -d "$DB" -t a -t b >"$T/ab.rs"
"$E" -q -d "$DB" -t a -t b -t c >"$T/abc.rs"
cut=$(( $(wc -c <"$T/ab.rs") - 6 ))	# two segments, less {"end": 2}
sixth=$(tail -c 6 "$T/ab.rs" | od -An -tx1 | tr -d ' \n')
[ "$sixth" = 81a3656e6402 ] || notok "faults: ab.rs does not end with {\"end\": 2} ($sixth)"
# killed WHAT PROGRAM: the writer sends segments 1 and 2 of abc.rs and
# kills itself; PROGRAM (load, or a transform and load) must end in
# load's exit 3 with copy.* empty
killed() {
	{
		sh -c 'head -c $1 "$2"; kill -9 $$' sh "$cut" "$T/abc.rs" |
		    eval "$2" >/dev/null 2>"$T/err"
		st=$?
	} 2>/dev/null	# the shell's "Killed"
	n=$(q "select (select count(*) from copy.a) + (select count(*) from copy.b) +
	    (select count(*) from copy.c)")
	if [ "$st" -eq 3 ] && [ "$n" = 0 ] &&
	    grep -q "(segment 2) without the end mark" "$T/err"; then
		ok "faults: $1: load exit 3, nothing loaded"
	else
		notok "faults: $1: load exit $st, $n rows loaded"
		indent "$T/err"
	fi
}
CL='PGOPTIONS="-c search_path=copy" "$L" -d "$DB"'
killed "a writer killed right after its second trailer, into load" "$CL"
killed "the same, through remap" "\"\$BIN/remap\" -a id=serial | $CL"
killed "the same, through split-name" \
    "\"\$BIN/split-name\" -c v | \"\$BIN/cols\" 'id, first_name AS v' | $CL"
# extract itself killed between its tables: the third is a view that
# sleeps before its first row, so extract has done a and d and waits
# inside cv when it is killed. (What load has seen then depends on
# extract's 128 kB output buffer, which it does not flush at a trailer:
# a cut inside d or after it; either way no end mark.)
q "create table d (like a); insert into d select i, 'd' || i from generate_series(1, 20000) i;
   create view cv as select i as id, 'c' || i as v from generate_series(1, 1000) i
   where i > 1 or pg_sleep(60) is not null" >/dev/null
rm -f "$T/f1"
mkfifo "$T/f1"
"$E" -q -d "$DB" -t a -t d -t cv >"$T/f1" 2>/dev/null &
epid=$!
PGOPTIONS="-c search_path=copy,public" "$L" -d "$DB" -t c <"$T/f1" \
    >/dev/null 2>"$T/err" &
lpid=$!
waitq "select count(*) > 0 from pg_stat_activity where wait_event = 'PgSleep'" t
polled=$?
kill -9 "$epid"
wait "$epid" 2>/dev/null
wait "$lpid"
st=$?
q "select pg_terminate_backend(pid) from pg_stat_activity
   where wait_event = 'PgSleep'" >/dev/null
n=$(q "select count(*) from copy.c")
saw=$(grep -o 'truncated stream: .*(segment [0-9]*)[^(]*' "$T/err")
if [ "$polled" -eq 0 ] && [ "$st" -eq 3 ] && [ "$n" = 0 ] && [ -n "$saw" ]; then
	ok "faults: extract -t a -t d -t cv killed inside cv: load exit 3, nothing loaded ($saw)"
else
	notok "faults: extract killed between tables: load exit $st, $n rows loaded (poll $polled)"
	indent "$T/err"
fi

# --- a transform whose input fails between segments ---------------------
# fails WHAT INPUT PROGRAM: INPUT | PROGRAM | load: nothing loaded
fails() {
	eval "{ $2; } | $3 2>/dev/null | $CL" >/dev/null 2>"$T/err"
	st=$?
	n=$(q "select (select count(*) from copy.a) + (select count(*) from copy.b)")
	if [ "$st" -eq 3 ] && [ "$n" = 0 ]; then
		ok "faults: $1: load exit 3, nothing loaded"
	else
		notok "faults: $1: load exit $st, $n rows loaded"
		indent "$T/err"
	fi
}
fails "remap, its input cut after a whole segment" \
    'head -c $cut "$T/abc.rs"' '"$BIN/remap" -a id=serial'
fails "remap, a NUL byte after a whole stream" \
    'cat "$T/ab.rs"; printf "\0"' '"$BIN/remap" -a id=serial'
fails "cols, garbage after a whole segment" \
    'head -c $cut "$T/abc.rs"; printf "garbage"' '"$BIN/cols" "*"'
q "alter table copy.b add column name text, add column first_name text,
   add column middle_name text, add column last_name text" >/dev/null
fails "split-name, its second segment lacks the column" \
    '"$E" -q -d "$DB" -Q "select 1 as id, '"'"'Ada Lovelace'"'"' as name" --name b; cat "$T/ab.rs"' \
    '"$BIN/split-name" -c name --keep'
q "alter table copy.b drop column name, drop column first_name,
   drop column middle_name, drop column last_name" >/dev/null

# --- pg_terminate_backend during COPY -----------------------------------
pj() { $PY "$ROOT/tests/lib/load.py" people "$@"; }
q "create table victim (id bigint primary key, note text, email text, name text);
   insert into victim (id, name) values (-1, 'before')" >/dev/null
pj 20000 victim | mk >"$T/p20k.rs"
rm -f "$T/fifo"
mkfifo "$T/fifo"
"$L" -d "$DB" <"$T/fifo" >/dev/null 2>"$T/err" &
lpid=$!
exec 9>"$T/fifo"
head -c $(( $(wc -c <"$T/p20k.rs") / 2 )) "$T/p20k.rs" >&9
waitq "select count(*) from pg_stat_progress_copy where tuples_processed > 0" 1
polled=$?
term=$(q "select count(pg_terminate_backend(pid)) from pg_stat_progress_copy")
# the rest of the stream: load finds its session gone when it sends it
tail -c +$(( $(wc -c <"$T/p20k.rs") / 2 + 1 )) "$T/p20k.rs" >&9
exec 9>&-
wait "$lpid"
st=$?
if [ "$polled" -eq 0 ] && [ "$term" = 1 ] && [ "$st" -eq 4 ] &&
    [ "$(q "select count(*), min(id) from victim")" = "1|-1" ]; then
	ok "faults: pg_terminate_backend during load's COPY: exit 4, the table as it was"
else
	notok "faults: pg_terminate_backend during COPY: load exit $st, $term terminated, victim holds $(q 'select count(*) from victim')"
	indent "$T/err"
fi

# --- a full disk for -o and for rejects ---------------------------------
mkdir -p "$T/full"
if mount -t tmpfs -o size=256k tmpfs "$T/full" 2>"$T/mnt.err"; then
	MNT=$T/full
	"$E" -q -d "$DB" -t people -o "$T/full/people.rs" 2>"$T/err"
	st=$?
	left=$(ls -A "$T/full")
	if [ "$st" -eq 5 ] && [ -z "$left" ] && grep -q "No space left" "$T/err"; then
		ok "faults: extract -o on a full disk: exit 5, no file left (not even a temporary one)"
	else
		notok "faults: extract -o on a full disk: exit $st, left: $left"
		indent "$T/err"
	fi
	# every row refused (the check fails), the rejects overflow the disk:
	# the load fails and commits nothing
	q "alter table victim add constraint short check (length(email) < 3)" >/dev/null
	"$L" -d "$DB" --rejects "$T/full/rej.rs" <"$T/p20k.rs" >/dev/null 2>"$T/err"
	st=$?
	left=$(ls -A "$T/full")
	if [ "$st" -eq 5 ] && [ -z "$left" ] &&
	    [ "$(q "select count(*) from victim")" = 1 ]; then
		ok "faults: load --rejects on a full disk: exit 5, nothing loaded, no rejects file"
	else
		notok "faults: load --rejects on a full disk: exit $st, victim holds $(q 'select count(*) from victim'), left: $left"
		indent "$T/err"
	fi
	q "alter table victim drop constraint short" >/dev/null
	"$BIN/cols" --cast email:int8 --rejects "$T/full/rej.rs" <"$T/p20k.rs" \
	    >"$T/cols.rs" 2>"$T/err"
	st=$?
	left=$(ls -A "$T/full")
	if [ "$st" -eq 5 ] && [ -z "$left" ] &&
	    ! "$BIN/rowcat" -q "$T/cols.rs" >/dev/null 2>&1; then
		ok "faults: cols --rejects on a full disk: exit 5, no rejects file, its output refused downstream"
	else
		notok "faults: cols --rejects on a full disk: exit $st, left: $left"
		indent "$T/err"
	fi
	umount "$T/full" && MNT=
else
	# no mount (not root, or no CAP_SYS_ADMIN): /dev/full is all there is
	echo "# faults: cannot mount a tmpfs ($(cat "$T/mnt.err")): -o /dev/full only"
	"$E" -q -d "$DB" -t people -o /dev/full 2>"$T/err"
	st=$?
	if [ "$st" -eq 5 ] || [ "$st" -eq 2 ]; then
		ok "faults: extract -o /dev/full: exit $st"
	else
		notok "faults: extract -o /dev/full: exit $st"
		indent "$T/err"
	fi
fi

# --- two concurrent upserts of the same rows ----------------------------
q "create table u (id bigint primary key, note text, email text, name text);
   insert into u (id, name) select i, 'old' from generate_series(1, 20000, 7) i" \
    >/dev/null
pj 20000 u | mk >"$T/u.rs"
"$L" -q -d "$DB" -m upsert -k id <"$T/u.rs" 2>"$T/u1.err" &
u1=$!
"$L" -q -d "$DB" -m upsert -k id <"$T/u.rs" 2>"$T/u2.err" &
u2=$!
wait "$u1"
s1=$?
wait "$u2"
s2=$?
if [ "$s1" -eq 0 ] && [ "$s2" -eq 0 ] &&
    [ "$(q "select count(*), count(distinct id) from u")" = "20000|20000" ] &&
    "$BIN/verify" -q -d "$DB" -t u <"$T/u.rs" >"$T/verify" 2>&1; then
	ok "faults: two concurrent upserts of the same 20,000 rows: both exit 0, the table equals the stream, no duplicates"
else
	notok "faults: two concurrent upserts: exits $s1 and $s2, $(q "select count(*), count(distinct id) from u")"
	indent "$T/u1.err" "$T/u2.err" "$T/verify"
fi
