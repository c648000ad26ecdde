#!/bin/sh
# The school V1 -> V2 plan (examples/school-v1-v2) through bin/migrate at a
# small scale: every V1 row accounted for, foreign keys resolve, names
# split, the runner's promises (tests/lib/migrate.sh), and verify names an
# edited row.
. "$(dirname "$0")/../lib/common.sh"
. "$ROOT/tests/lib/pg.sh"
. "$ROOT/tests/lib/migrate.sh"
EX=$ROOT/examples/school-v1-v2
PLAN=$EX/plan
SRC=dbname=mig_v1
TABLES="schools users teachers parents students course_offerings course_enrollments"

v2db() {
	newdb "$1"
	psql -X -q -v ON_ERROR_STOP=1 -d "$1" -f "$EX/v2.sql" ||
	    { notok "create V2 schema in $1"; exit 1; }
}

newdb mig_v1
"$EX/seed-v1" -d dbname=mig_v1 --scale 0.03 2>"$T/seed.err" ||
    { notok "seed-v1"; indent "$T/seed.err"; exit 1; }
# a few names whose parts the test knows
q "insert into teachers (school_id, full_name, email) values
   (1, 'van der Berg, Anne Marie', 'ANNE@school.example '),
   (1, 'Dr. José  O''Brien Jr.', null)"
v2db mig_v2; v2db mig_v2a; v2db mig_v2b

mig_checks mig_v2 mig_v2a mig_v2b enrollments course_enrollments
S=$T/s2		# the resumed run's state: a whole run's

# every V1 row is in V2 or in a rejects file, the same by count
DB=mig_v1
for c in "schools:select count(*) from schools" \
    "users:select (select count(*) from teachers) + (select count(*) from parents) + (select count(*) from students)" \
    "course_enrollments:select count(*) from journal"; do
	v1=$(q "${c#*:}")
	got=$(jq -r --arg t "${c%%:*}" '.tables[] | select(.table == $t) | "\(.source_rows) \(.target_rows + .rejected)"' "$S/report.json")
	[ "$got" = "$v1 $v1" ] && ok "accounted: ${c%%:*}: V1 $v1 = V2 + rejected" ||
	    notok "accounted: ${c%%:*}: V1 $v1, report $got"
done

# orphan journal rows are rejected as orphans, each naming the key
orph=$(q "select count(*) from journal j where not exists (select 1 from students s where s.id = j.student_id) or not exists (select 1 from courses c where c.id = j.course_id)")
"$BIN/rowcat" -q --json "$S/enrollments/remap.rs" >"$T/orph"
if [ "$orph" -gt 0 ] && [ "$(grep -c '"_error":"orphan: \(student_id\|course_offering_id\)=[0-9]* (\(students\|course_offerings\): \(rejected upstream: .*\|not in the source\))"' "$T/orph")" -ge "$orph" ]; then
	ok "orphan journal rows ($orph) are rejected as orphans, naming the key and its cause"
else
	notok "orphan journal rows: $orph in V1, rejects: $(wc -l <"$T/orph")"; head -n 3 "$T/orph" | indent
fi

# their causes add up: a student the students stage rejected (its user
# rejected for a duplicate email), or one V1 no longer has
rej=$("$BIN/rowcat" -q --json "$S/students/remap.rs" | jq -r .id | paste -sd, -)
up=$(q "select count(*) from journal where student_id in (${rej:-0})")
gone=$(q "select count(*) from journal j where not exists (select 1 from students s where s.id = j.student_id)")
gu=$(grep -c '"orphan: student_id=[0-9]* (students: rejected upstream: orphan: user_id=[0-9]* (users: rejected upstream: duplicate key value violates unique constraint \\"users_email_key\\"' "$T/orph")
gg=$(grep -c '"orphan: student_id=[0-9]* (students: not in the source)"' "$T/orph")
if [ "$up" -gt 0 ] && [ "$gone" -gt 0 ] && [ "$gu" = "$up" ] && [ "$gg" = "$gone" ]; then
	ok "orphans to their root cause: $up of students rejected upstream (a user's duplicate email), $gone of students not in V1"
else
	notok "orphan causes: upstream $gu (want $up), not in the source $gg (want $gone)"; grep -m 2 'rejected upstream' "$T/orph" | indent
fi
jq -e '[.tables[] | select(.table == "course_enrollments") | .rejected_by_reason[] | .reason] | any(test("students: rejected upstream: orphan: user_id=\\.\\.\\. \\(users: rejected upstream: duplicate key"))' "$S/report.json" >/dev/null &&
    ok "the report's rejects by reason name the root cause" ||
    { notok "report reasons"; indent "$S/report.txt"; }

DB=mig_v2b
expect "V2 foreign keys resolve (enrollments -> students, offerings)" 0 \
    "select count(*) from course_enrollments e left join students s on s.id = e.student_id left join course_offerings c on c.id = e.course_offering_id where s.id is null or c.id is null"
expect "V2 profiles point at users of the right role" 0 \
    "select count(*) from students s join users u on u.id = s.user_id where u.role <> 'student' or u.old_id <> s.old_id"
expect "names: 'van der Berg, Anne Marie'" "Anne|Marie|van der Berg|anne@school.example" \
    "select first_name, middle_name, last_name, email from users where old_table = 'teachers' and last_name = 'van der Berg' and first_name = 'Anne'"
expect "names: 'Dr. José  O''Brien Jr.' (title and suffix dropped)" "José||O'Brien" \
    "select first_name, coalesce(middle_name, ''), last_name from users where first_name = 'José' and last_name = 'O''Brien' and old_table = 'teachers' limit 1"

# one edited V2 row: the verify stage fails and names it; --only users repairs
id=$(q "select id from users where old_table = 'students' order by old_id limit 1")
q "update users set last_name = 'Edited' where id = '$id'"
mig mig_v2b "$S" --only verify >"$T/report" 2>"$T/err"
st=$?
if [ $st -eq 1 ] && grep -q "users: changed id=$id: last_name" "$T/report" &&
    jq -e '.ok == false' "$S/report.json" >/dev/null; then
	ok "an edited V2 row: verify exits 1 and names $id, last_name"
else
	notok "edited row: exit $st"; indent "$T/report"; indent "$T/err"
fi
mig mig_v2b "$S" --only users,verify >"$T/report" 2>"$T/err"
st=$?
[ $st -eq 0 ] && ok "--only users,verify repairs it; verify passes again" ||
    { notok "repair with --only users,verify: exit $st"; indent "$T/err"; }

"$MIG" "$PLAN" --only nosuch >/dev/null 2>"$T/err"
[ $? -eq 2 ] && grep -q "no stage 'nosuch'" "$T/err" &&
    ok "--only nosuch: exit 2, lists the stages" || notok "--only nosuch"

dropdb mig_v1; dropdb mig_v2; dropdb mig_v2a; dropdb mig_v2b
