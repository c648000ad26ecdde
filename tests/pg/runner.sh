#!/bin/sh
# bin/migrate with a plan it has never seen (a lending library, written
# here), and the runner's own promises: passwords never in argv, logs,
# output or the dry run; the first failing program's status, named; a
# failure inside a concatenation fails the stage; the lock message is true.
. "$(dirname "$0")/../lib/common.sh"
. "$ROOT/tests/lib/pg.sh"
. "$ROOT/tests/lib/migrate.sh"
PLAN=$T/library.plan
SRC=dbname=lib_src
TABLES="people loans"
PW=Sekr3t-Pw-41
S=$T/state

newdb lib_src
q "create table members (id int primary key, name text, email text);
   create table books (id int primary key, title text, member_id int);
   insert into members select g, 'Member ' || g || ' Smith', 'm' || g || '@lib.example' from generate_series(1, 300) g;
   insert into books select g, 'Book ' || g, case when g % 10 = 0 then 999 else 1 + g % 300 end from generate_series(1, 2000) g"
newdb lib_tgt
q "create table people (id uuid primary key, first_name text, middle_name text, last_name text, email text unique, old_id int not null unique);
   create table loans (id uuid primary key, person_id uuid not null references people, title text, old_id int not null unique)"
cat >"$PLAN" <<'PLAN'
# A lending library: members become people (names split), books on loan
# become loans of a person; a book lent to a member who left is an orphan.
SOURCE=dbname=lib_src
TARGET=dbname=lib_tgt
stage people people --count "select count(*) from members"
stage loans loans --count "select count(*) from books"
people() {
	src --query "select id, name, email from members" --name people |
	    remap --assign id=uuid5:library-people --keep-old old_id |
	    split-name -c name
}
loans() {
	tgt --query "select old_id, id from people" >"$(scratch people)" || return
	src --query "select id, member_id as person_id, title from books" --name loans |
	    remap --assign id=uuid5:library-loans --keep-old old_id \
	    --fk person_id=map:"$(scratch people)" --rejects "$(rejects remap)"
}
PLAN

"$MIG" "$PLAN" --list >"$T/out" 2>"$T/err"
[ "$(tr '\n' ' ' <"$T/out")" = "people loans verify " ] &&
    ok "--list: the plan's stages, then verify" || { notok "--list"; indent "$T/out"; }
"$MIG" "$PLAN" -S "$S" --status --json >"$T/out" 2>"$T/err" &&
    jq -e '[.stages[].status] == ["never run", "never run", "never run"]' "$T/out" >/dev/null &&
    ok "--status before any run: never run, from the state directory alone" ||
    { notok "--status before a run"; indent "$T/out"; indent "$T/err"; }

# a password in both forms: never in argv, in the environment of the
# programs that connect
tconn="postgresql://$PGUSER:$PW@localhost/lib_tgt?host=$PGHOST&port=$PGPORT"
psql -XAtq -d lib_tgt -c "begin; lock table loans in access exclusive mode; select pg_sleep(60); commit" >/dev/null 2>&1 &
locker=$!
(umask 000; exec "$MIG" "$PLAN" -s "dbname=lib_src password='$PW'" -t "$tconn" -S "$S" --progress >"$T/run.out" 2>"$T/run.err") &
pid=$!
for i in $(seq 1 300); do
	[ -e "$S/loans.new/started" ] && pgrep -g "$(cat "$S/loans.new/pgid" 2>/dev/null || echo 0)" -x load >/dev/null && break
	sleep 0.1
done
pg=$(cat "$S/loans.new/pgid" 2>/dev/null)
: >"$T/cmdlines"; : >"$T/environs"
for p in $(pgrep -g "${pg:-0}"); do
	tr '\0' ' ' <"/proc/$p/cmdline" >>"$T/cmdlines" 2>/dev/null && echo >>"$T/cmdlines"
	tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null | grep '^PGPASSWORD=' >>"$T/environs"
done
kill $locker 2>/dev/null
DB=lib_tgt q "select pg_terminate_backend(pid) from pg_stat_activity where datname = 'lib_tgt' and query like '%pg_sleep%' and pid <> pg_backend_pid()" >/dev/null
wait $locker 2>/dev/null
wait $pid
st=$?
if grep -q '/load .*-t loans' "$T/cmdlines" && ! grep -qF "$PW" "$T/cmdlines" &&
    grep -qxF "PGPASSWORD=$PW" "$T/environs"; then
	ok "no /proc/PID/cmdline of the running stage (load, remap, the runner's shells) has the password; load's environment does"
else
	notok "argv of the stage's programs"; indent "$T/cmdlines"
fi
[ $st -eq 0 ] && ok "the library plan, never seen before: exit 0" ||
    { notok "library plan: exit $st"; indent "$T/run.err"; }
report_ok "the library plan" "$S"
jq -e '.tables[1].rejected == 200 and (.tables[1].rejected_by_reason[0].reason == "orphan: person_id=...")' "$S/report.json" >/dev/null &&
    ok "the library plan: 200 loans of departed members rejected as orphans" ||
    { notok "library rejects"; indent "$S/report.txt"; }
"$MIG" "$PLAN" -s "dbname=lib_src password='$PW'" -t "$tconn" -S "$S" --dry-run >"$T/dry.out" 2>"$T/dry.err"
st=$?
"$MIG" "$PLAN" -t "host=/nonexistent dbname=x password=$PW" -S "$S" >"$T/conn.out" 2>"$T/conn.err"
cst=$?
"$MIG" "$PLAN" -t "postgresql://u:$PW@/x?host=/nonexistent" -S "$S" >>"$T/conn.out" 2>>"$T/conn.err"
cst=$cst$?
[ $st -eq 0 ] && [ $cst = 44 ] && grep -q 'cannot connect to the target' "$T/conn.err" &&
    ok "--dry-run with passwords runs; a target that refuses: exit 4, cannot connect" ||
    { notok "dry run $st, cannot connect $cst"; indent "$T/conn.err"; indent "$T/dry.err"; }
if ! grep -rlF "$PW" "$S" "$T/run.out" "$T/run.err" "$T/dry.out" "$T/dry.err" "$T/conn.out" "$T/conn.err" >"$T/leaks"; then
	ok "no password in the logs, state, stderr, --dry-run output or cannot-connect lines"
else
	notok "the password leaks into"; indent "$T/leaks"
fi
[ -z "$(find "$S" \( -type f -perm /077 \) -o \( -type d -perm /077 \))" ] &&
    ok "umask 000: the state is still 0600 files in 0700 directories" ||
    notok "modes under umask 000: $(find "$S" -perm /077 | head -n 5)"

# the first failing program's status, named: extract's 4, not remap's 3
cat >"$T/bad.plan" <<'PLAN'
TARGET=dbname=lib_tgt
SOURCE=dbname=lib_src
stage people people
people() {
	src --query "select * from no_such_table" --name people |
	    remap --assign id=uuid5:library-people --keep-old old_id |
	    split-name -c name
}
PLAN
"$MIG" "$T/bad.plan" -S "$T/sb" -q >"$T/out" 2>"$T/err"
st=$?
if [ $st -eq 4 ] && grep -q 'stage people: FAILED (exit 4 from extract)' "$T/err" &&
    jq -e '.stages[0] | .status == "failed" and .exit == 4 and .failed == "extract"' \
    <"$("$MIG" "$T/bad.plan" -S "$T/sb" --status --json >"$T/stj"; echo "$T/stj")" >/dev/null; then
	ok "a database error upstream of remap and split-name: exit 4, naming extract"
else
	notok "first failure: exit $st"; indent "$T/err"; indent "$T/stj"
fi

# a concatenation whose second part fails before writing: still a failure
cat >"$T/cat.plan" <<'PLAN'
TARGET=dbname=lib_tgt
SOURCE=dbname=lib_src
stage people people
people() {
	{ src --query "select id, name, email from members where id <= 10" --name people
	  src --query "select * from no_such_table" --name people; true; } |
	    remap --assign id=uuid5:library-people --keep-old old_id |
	    split-name -c name
}
PLAN
"$MIG" "$T/cat.plan" -S "$T/sc" -q >"$T/out" 2>"$T/err"
st=$?
[ $st -eq 4 ] && grep -q 'from extract' "$T/err" &&
    ok "{ a; b; } where b fails and the function returns 0: the stage fails (exit 4, extract)" ||
    { notok "concatenation failure: exit $st"; indent "$T/err"; }

# the lock held by what a dead runner left: the message says so
echo 999999 >"$S/pid"
flock -o "$S/lock" sleep 30 &
holder=$!
for i in $(seq 1 50); do
	flock -n "$S/lock" true || break
	sleep 0.1
done
"$MIG" "$PLAN" -S "$S" >"$T/out" 2>"$T/err"
st=$?
pkill -P $holder 2>/dev/null; kill $holder 2>/dev/null; wait $holder 2>/dev/null
if [ $st -eq 75 ] && grep -q "(pid 999999) is gone, but programs it started still hold its lock: pids $holder" "$T/err" &&
    ! grep -q 'another migration is running' "$T/err"; then
	ok "lock held by orphans of a dead runner: exit 75, says the runner is gone, names the holders"
else
	notok "lock message: exit $st"; indent "$T/err"
fi

"$MIG" >/dev/null 2>"$T/err"; a=$?
"$MIG" "$T/nosuch.plan" >/dev/null 2>>"$T/err"; b=$?
printf 'stage x\n' >"$T/p1"; "$MIG" "$T/p1" >/dev/null 2>>"$T/err"; c=$?
printf 'stage x x\n' >"$T/p2"; "$MIG" "$T/p2" >/dev/null 2>>"$T/err"; d=$?
[ "$a$b$c$d" = 2222 ] && grep -q 'stage x has no function x' "$T/err" &&
    ok "usage: no plan, no such plan, a bad stage line, a stage without its function: exit 2" ||
    { notok "usage: $a$b$c$d"; indent "$T/err"; }

dropdb lib_src; dropdb lib_tgt
