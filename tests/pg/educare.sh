#!/bin/sh
# The EduCare plan (examples/educare): a SQLite app's file, read by the
# runner with extract --sqlite, into PostgreSQL with users and profiles.
# The runner's promises (tests/lib/migrate.sh); what SQLite held arrives
# as it was (blobs byte for byte, NULL apart from '', integers and reals),
# as python's sqlite3 reads the file; every student a user; the orphans
# and impossible dates rejected, by reason.
. "$(dirname "$0")/../lib/common.sh"
. "$ROOT/tests/lib/pg.sh"
. "$ROOT/tests/lib/migrate.sh"
EX=$ROOT/examples/educare
PLAN=$EX/plan
SRC=$T/educare.db	# a bare path: the runner knows the file for SQLite
TABLES="users staff_profiles student_profiles teacher_students alerts interventions counselling_logs"

mig_example educare "$SRC" 0.05 ed_t ed_ta ed_tb

mig_checks ed_t ed_ta ed_tb alerts alerts
S=$T/s2		# the resumed run's state: a whole run's
DB=ed_tb

if grep -q "^src() { extract --sqlite '$(readlink -f "$SRC")' \"\$@\"; }" "$T/dry"; then
	ok "--dry-run's pipelines read the SQLite file with extract --sqlite"
else
	notok "--dry-run's src"; indent "$T/dry"
fi

# sql QUERY: its rows from the SQLite file, as python's sqlite3 reads them,
# one a line, |-separated; bytes as the md5 of their bytes, None as NULL
sql() {
	$PY - "$SRC" "$1" <<'EOF'
import hashlib, sqlite3, sys
def f(v):
	if v is None: return "NULL"
	if isinstance(v, bytes): return hashlib.md5(v).hexdigest()
	return repr(v) if isinstance(v, float) else str(v)
for r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]):
	print("|".join(f(v) for v in r))
EOF
}

# same WHAT FILE1 FILE2: ok when the two sorted row lists are equal
same() {
	sort "$2" >"$T/a"; sort "$3" >"$T/b"
	if [ -s "$T/a" ] && diff "$T/a" "$T/b" >"$T/diff"; then
		ok "$1 ($(wc -l <"$T/a") rows)"
	else
		notok "$1"; indent "$T/diff"
	fi
}

# blobs: byte for byte, NUL bytes and all; an empty blob is not NULL
expect "the seed's photos: some with NUL bytes, some empty, some NULL" \
    "$(sql "select sum(instr(photo, x'00') > 0), sum(length(photo) = 0), sum(photo is null) from students")" \
    "select count(*) filter (where position('\\x00'::bytea in photo) > 0) || '|' || count(*) filter (where length(photo) = 0) || '|' || count(*) filter (where photo is null) from student_profiles"
sql "select id, photo from students" >"$T/py"
q "select old_id, coalesce(md5(photo), 'NULL') from student_profiles" >"$T/pg"
same "every photo arrives byte-exact in bytea (md5 of python's sqlite3 read)" "$T/py" "$T/pg"

# NULL apart from ''
kind() { echo "case when $1 is null then 'NULL' when $1 = '' then 'empty' else 'text' end"; }
sql "select id, $(kind notes) from students" >"$T/py"
q "select old_id, $(kind notes) from student_profiles" >"$T/pg"
if grep -q '|NULL$' "$T/pg" && grep -q '|empty$' "$T/pg"; then
	same "student notes: NULL and '' kept apart" "$T/py" "$T/pg"
else
	notok "student notes: no NULL or no '' to tell apart"
fi
# interventions: the ones that arrived (the rest are rejected below)
q "select old_id from interventions" >"$T/ids"
sql "select id, $(kind outcome) from interventions" |
    awk -F'|' 'NR == FNR { k[$1]; next } $1 in k' "$T/ids" - >"$T/py"
q "select old_id, $(kind outcome) from interventions" >"$T/pg"
same "intervention outcomes: NULL and '' kept apart" "$T/py" "$T/pg"

# integers and reals: as SQLite held them, a float8 to its last digit
q "select old_id from alerts" >"$T/ids"
sql "select id, severity, risk_score from alerts" |
    awk -F'|' 'NR == FNR { k[$1]; next } $1 in k' "$T/ids" - >"$T/py"
q "select old_id, severity, risk_score from alerts" >"$T/pg"
same "alerts: severity (integer) and risk_score (real) as SQLite held them" "$T/py" "$T/pg"

# every student has a user, of the role student
n=$(sql "select count(*) from students")
expect "every student ($n) has a user account with the role student" "$n|$n" \
    "select (select count(*) from student_profiles p join users u on u.id = p.user_id where u.role = 'student' and u.old_table = 'students' and u.old_id = p.old_id) || '|' || (select count(*) from users where role = 'student')"
expect "staff roles, spelled as typed, become teacher, counselor and admin" \
    "$(sql "select count(*) from staff where lower(trim(role)) = 'teacher'")|$(sql "select count(*) from staff where lower(trim(role)) like 'counsel%'")|$(sql "select count(*) from staff where lower(role) = 'admin'")" \
    "select count(*) filter (where role = 'teacher') || '|' || count(*) filter (where role = 'counselor') || '|' || count(*) filter (where role = 'admin') from users"
c=$(jq -r '.tables[] | select(.table == "users") | .counted' "$S/report.json")
[ "$c" = "$(sql "select (select count(*) from staff) + (select count(*) from students)")" ] &&
    ok "--count runs on the SQLite file: users counted $c" ||
    notok "--count of users on SQLite: report says $c"

# the rejects, by reason, in the report
reason() {	# TABLE REASON: its rows in report.json's rejected_by_reason
	jq -r --arg t "$1" --arg r "$2" '[.tables[] | select(.table == $t) |
	    .rejected_by_reason[] | select(.reason == $r) | .rows] | add // 0' \
	    "$S/report.json"
}
o=$(sql "select count(*) from alerts where student_id not in (select id from students)")
"$BIN/rowcat" -q --json "$S/alerts/remap.rs" | jq -r '._error' | sort >"$T/rj"
sql "select 'orphan: student_id=' || student_id from alerts where student_id not in (select id from students)" |
    sort >"$T/want"
if [ "$o" -gt 0 ] && [ "$(reason alerts "orphan: student_id=...")" = "$o" ] &&
    diff "$T/want" "$T/rj" >/dev/null &&
    grep -q "^  alerts  *$o  orphan: student_id=\.\.\.$" "$S/report.txt"; then
	ok "the $o alerts about deleted students are rejected, listed by reason, each naming its student"
else
	notok "orphan alerts: $o in SQLite"; indent "$S/report.txt"
fi
o=$(sql "select count(*) from interventions where alert_id in (select id from alerts where student_id not in (select id from students))")
[ "$o" -gt 0 ] && [ "$(reason interventions "orphan: alert_id=...")" = "$o" ] &&
    ok "the $o interventions on those alerts are rejected in turn" ||
    notok "interventions on orphan alerts: $o in SQLite, report $(reason interventions "orphan: alert_id=...")"
o=$(sql "select count(*) from students where homeroom not in (select id from staff)")
[ "$o" -gt 0 ] && [ "$(reason teacher_students "orphan: teacher_id=...")" = "$o" ] &&
    ok "the $o homerooms of the teacher who left are rejected as orphans" ||
    notok "homerooms of a deleted teacher: $o, report $(reason teacher_students "orphan: teacher_id=...")"
o=$(sql "select count(*) from alerts where raised_by not in (select id from staff) and student_id in (select id from students)")
got=$(q "select count(*) from alerts where raised_by is null and old_id in ($(sql "select id from alerts where raised_by not in (select id from staff) union select 0" | paste -sd,))")
[ "$o" -gt 0 ] && [ "$got" = "$o" ] &&
    ok "the $o alerts raised by someone who left arrive without an author (--orphans null)" ||
    notok "alerts by someone who left: $o in SQLite, $got without an author"
bad=$(sql "select held_at from counselling_logs" | $PY -c '
import datetime, sys
n = 0
for l in sys.stdin:
	try: datetime.datetime.fromisoformat(l.strip())
	except ValueError: n += 1
print(n)')
got=$(jq -r '[.tables[] | select(.table == "counselling_logs") | .rejected_by_reason[] | select(.reason | startswith("date/time field value out of range")) | .rows] | add // 0' "$S/report.json")
[ "$bad" -gt 0 ] && [ "$got" = "$bad" ] &&
    ok "the $bad counselling logs held on days that do not exist are refused by the target, by reason" ||
    notok "impossible dates: $bad in SQLite, $got refused"

# a source that is not there: exit 4, before anything runs
mig_nosource "-s sqlite:FILE that is not there: exit 4, says so, no stage runs" \
    "sqlite:$T/nosuch.db" ed_t "cannot read the source 'sqlite:$T/nosuch.db'" users

dropdb ed_t; dropdb ed_ta; dropdb ed_tb
