#!/bin/sh
# The whole V1 -> V2 migration (scripts/migrate) at a small scale: every V1
# row accounted for, foreign keys resolve, names split, re-runs change
# nothing, a killed run resumes to the same V2, the lock holds, and verify
# names an edited row.
. "$(dirname "$0")/../lib/common.sh"
. "$ROOT/tests/lib/pg.sh"
export SLUICE_BIN=$BIN
MIG=$ROOT/scripts/migrate
SCALE=0.03

# v2db NAME: a fresh V2 database
v2db() {
	newdb "$1"
	psql -X -q -v ON_ERROR_STOP=1 -d "$1" -f "$ROOT/scripts/sql/v2.sql" ||
	    { notok "create V2 schema in $1"; exit 1; }
}

# tablesums DB: one line a V2 table: its name and the md5 of its rows in
# id order (a fingerprint to compare two V2 databases).
tablesums() {
	for t in schools users teachers parents students course_offerings \
	    course_enrollments; do
		printf '%s %s\n' "$t" "$(psql -XAtq -d "$1" -c \
		    "select count(*) || ' ' || coalesce(md5(string_agg(x::text, '|' order by x.id)), '-') from $t x")"
	done
}

# rejected STATEDIR STAGE: rows in the stage's rejects files
rejected() {
	n=0
	for f in "$1/$2"/*.rs; do
		[ -s "$f" ] || continue
		n=$((n + $("$BIN/rowcat" -q --json "$f" | wc -l)))
	done
	echo "$n"
}

newdb mig_v1
"$ROOT/scripts/seed-v1" -d dbname=mig_v1 --scale $SCALE 2>"$T/seed.err" ||
    { notok "seed-v1"; indent "$T/seed.err"; exit 1; }
# a few names whose parts the test knows
q "insert into teachers (school_id, full_name, email) values
   (1, 'van der Berg, Anne Marie', 'ANNE@school.example '),
   (1, 'Dr. José  O''Brien Jr.', null)"
v2db mig_v2
S=$T/state
SRC=dbname=mig_v1 DST=dbname=mig_v2

# --- dry run: prints the pipelines, loads nothing
if "$MIG" -s $SRC -t $DST -S "$S" --dry-run >"$T/dry" 2>"$T/err" &&
    grep -q 'extract' "$T/dry" && grep -q 'load -d' "$T/dry"; then
	ok "migrate --dry-run prints the pipelines"
else
	notok "migrate --dry-run"; indent "$T/err"
fi
DB=mig_v2 expect "migrate --dry-run loads nothing" 0 \
    "select (select count(*) from users) + (select count(*) from schools)"

# --- the whole migration
"$MIG" -s $SRC -t $DST -S "$S" -q >"$T/report" 2>"$T/err"
st=$?
if [ $st -eq 0 ]; then
	ok "migrate: every stage and the final verify pass"
else
	notok "migrate: exit $st"; indent "$T/err"; indent "$T/report"
	indent "$S/migrate.log"
fi
for s in schools users teachers parents students courses enrollments verify; do
	[ "$(cat "$S/$s/status" 2>/dev/null)" = ok ] ||
	    notok "state of stage $s: $(cat "$S/$s/status" 2>/dev/null)"
done
ok "migrate: per-stage state (status, times, log) for every stage"

# every V1 row is in V2 or in a rejects file with a reason
acc() {	# STAGE V1SQL V2TABLE
	DB=mig_v1; v1=$(q "$2"); DB=mig_v2; v2=$(q "select count(*) from $3")
	r=$(rejected "$S" "$1")
	if [ "$v1" -eq $((v2 + r)) ] && [ "$v2" -gt 0 ]; then
		ok "accounted: $3: V1 $v1 = V2 $v2 + rejected $r"
	else
		notok "accounted: $3: V1 $v1, V2 $v2, rejected $r"
	fi
}
acc schools "select count(*) from schools" schools
acc users "select (select count(*) from teachers) + (select count(*) from parents) + (select count(*) from students)" users
acc teachers "select count(*) from teachers" teachers
acc parents "select count(*) from parents" parents
acc students "select count(*) from students" students
acc courses "select count(*) from courses" course_offerings
acc enrollments "select count(*) from journal" course_enrollments

# the orphans: journal rows whose student or course V1 no longer has are
# all rejected, each with a reason naming the key
DB=mig_v1
orph=$(q "select count(*) from journal j where not exists (select 1 from students s where s.id = j.student_id) or not exists (select 1 from courses c where c.id = j.course_id)")
"$BIN/rowcat" -q --json "$S/enrollments/enrollments.remap.rs" >"$T/orph"
if [ "$orph" -gt 0 ] && [ "$(grep -c '"_error":"orphan: \(student_id\|course_offering_id\)=[0-9]*"' "$T/orph")" -ge "$orph" ]; then
	ok "orphan journal rows ($orph) are rejected as orphans, naming the key"
else
	notok "orphan journal rows: $orph in V1, rejects: $(wc -l <"$T/orph")"
	indent "$T/orph"
fi
if grep -q 'rejected' "$T/report" && grep -q 'course_enrollments' "$T/report"; then
	ok "the report lists every table with its rejects"
else
	notok "the report"; indent "$T/report"
fi

# V2's foreign keys resolve and every row keeps its V1 key
DB=mig_v2
expect "V2 foreign keys resolve (enrollments -> students, offerings)" 0 \
    "select count(*) from course_enrollments e left join students s on s.id = e.student_id left join course_offerings c on c.id = e.course_offering_id where s.id is null or c.id is null"
expect "V2 profiles point at users of the right role" 0 \
    "select count(*) from students s join users u on u.id = s.user_id where u.role <> 'student' or u.old_id <> s.old_id"
expect "V2 keys are uuid5 of the V1 key: a re-run would give the same" 1 \
    "select count(distinct id) from schools where old_id = 1"

# names are split
expect "names: 'van der Berg, Anne Marie'" "Anne|Marie|van der Berg|anne@school.example" \
    "select first_name, middle_name, last_name, email from users where old_table = 'teachers' and last_name = 'van der Berg' and first_name = 'Anne'"
expect "names: 'Dr. José  O''Brien Jr.' (title and suffix dropped)" "José||O'Brien" \
    "select first_name, coalesce(middle_name, ''), last_name from users where first_name = 'José' and last_name = 'O''Brien' and old_table = 'teachers' limit 1"
expect "names: every user has a first name" 0 \
    "select count(*) from users where first_name is null or first_name = ''"

# --- --only enrollments twice changes nothing
tablesums mig_v2 >"$T/sums1"
"$MIG" -s $SRC -t $DST -S "$S" -q --only enrollments 2>"$T/err" &&
    "$MIG" -s $SRC -t $DST -S "$S" -q --only enrollments 2>>"$T/err"
st=$?
tablesums mig_v2 >"$T/sums2"
if [ $st -eq 0 ] && diff "$T/sums1" "$T/sums2" >"$T/diff"; then
	ok "migrate --only enrollments, twice: V2 unchanged"
else
	notok "migrate --only enrollments twice: exit $st"; indent "$T/err"; indent "$T/diff"
fi

# --- a second runner while one holds the lock exits at once, saying why
flock -o "$S/lock" sleep 20 &
holder=$!
for i in $(seq 1 50); do
	flock -n "$S/lock" true || break	# held now
	sleep 0.1
done
"$MIG" -s $SRC -t $DST -S "$S" --only schools >"$T/out" 2>"$T/err"
st=$?
pkill -P $holder 2>/dev/null; kill $holder 2>/dev/null; wait $holder 2>/dev/null
if [ $st -eq 75 ] && grep -q 'another migration is running' "$T/err"; then
	ok "a second runner exits 75: $(head -n 1 "$T/err")"
else
	notok "second runner: exit $st"; indent "$T/err"
fi

# --- killed during enrollments, then --from enrollments: the same V2.
# A session holding a lock on course_enrollments stops the enrollments
# load half way (inside its transaction), so that the kill lands there.
v2db mig_v2k
S2=$T/state2
psql -XAtq -d mig_v2k -c "begin; lock table course_enrollments in access exclusive mode; select pg_sleep(60); commit" >/dev/null 2>&1 &
locker=$!
# its own process group, so that kill -9 takes the runner and its
# pipelines at once, as when a cron job is killed
setsid "$MIG" -s $SRC -t dbname=mig_v2k -S "$S2" -q >"$T/out" 2>"$T/err" &
pid=$!
DB=mig_v2k
for i in $(seq 1 600); do
	[ -e "$S2/enrollments.new/started" ] &&
	    [ "$(q "select count(*) from pg_stat_activity where datname = 'mig_v2k' and wait_event_type = 'Lock'")" -gt 0 ] && break
	kill -0 $pid 2>/dev/null || break
	sleep 0.1
done
/bin/kill -s KILL -- -$pid 2>/dev/null
wait $pid 2>/dev/null
kill $locker 2>/dev/null
q "select pg_terminate_backend(pid) from pg_stat_activity where datname = 'mig_v2k' and pid <> pg_backend_pid()" >/dev/null 2>&1
wait $locker 2>/dev/null
if [ -e "$S2/enrollments.new" ] && [ ! -e "$S2/enrollments" ] &&
    [ "$(q "select count(*) from course_enrollments")" = 0 ]; then
	ok "migrate killed (-9) inside the enrollments load: nothing of it in V2, the stage not marked done"
else
	notok "migrate kill: state is $(ls "$S2" | tr '\n' ' '), enrollments $(q "select count(*) from course_enrollments")"
fi
"$MIG" -s $SRC -t dbname=mig_v2k -S "$S2" -q --from enrollments >"$T/out" 2>"$T/err"
st=$?
tablesums mig_v2k >"$T/sums3"
if [ $st -eq 0 ] && diff "$T/sums1" "$T/sums3" >"$T/diff"; then
	ok "--from enrollments after the kill: the same V2 as a clean run, verify passes"
else
	notok "--from enrollments after kill: exit $st"; indent "$T/err"; indent "$T/diff"
fi
# and verify says so too: every table of the clean V2 against the resumed one
vst=0
for t in schools users teachers parents students course_offerings course_enrollments; do
	"$BIN/extract" --quiet -d mig_v2 -t $t |
	    "$BIN/verify" -q -d mig_v2k -t $t --key id >>"$T/vrep" 2>&1 || vst=1
done
if [ $vst -eq 0 ]; then
	ok "verify: every table of the clean V2 equals the killed-and-resumed V2"
else
	notok "verify clean V2 against resumed V2"; indent "$T/vrep"
fi

# --- one edited V2 row: the final verify fails and names it
DB=mig_v2
id=$(q "select id from users where old_table = 'students' order by old_id limit 1")
q "update users set last_name = 'Edited' where id = '$id'"
"$MIG" -s $SRC -t $DST -S "$S" -q --only verify >"$T/report" 2>"$T/err"
st=$?
if [ $st -eq 1 ] && grep -q "$id" "$T/report" && grep -q 'last_name' "$T/report"; then
	ok "an edited V2 row: verify fails (exit 1) and names $id, last_name"
else
	notok "edited row: exit $st, report:"; indent "$T/report"; indent "$T/err"
fi
"$MIG" -s $SRC -t $DST -S "$S" -q --only users 2>"$T/err" &&
    "$MIG" -s $SRC -t $DST -S "$S" -q --only verify >"$T/report" 2>>"$T/err"
st=$?
[ $st -eq 0 ] && ok "--only users repairs it; verify passes again" ||
    { notok "repair with --only users: exit $st"; indent "$T/err"; indent "$T/report"; }

# --- usage
"$MIG" --only nosuch >/dev/null 2>"$T/err"
[ $? -eq 2 ] && grep -q "no stage 'nosuch'" "$T/err" &&
    ok "migrate --only nosuch: exit 2, lists the stages" ||
    notok "migrate --only nosuch"

dropdb mig_v1; dropdb mig_v2; dropdb mig_v2k
