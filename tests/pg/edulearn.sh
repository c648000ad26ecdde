#!/bin/sh
# The EDULEARN plan (examples/edulearn): mongoexport's JSON lines, read by
# the runner from a files: source with extract --jsonl, into PostgreSQL.
# What the files hold is read again by python's json module (code nobody
# here wrote) and must be what the target holds: the rows per table, the
# enrollments unwound from the users' arrays, the ObjectIds' uuid5 keys,
# $date as timestamptz, nested and missing fields; 0 missing in the
# report, and a second run changes nothing.
. "$(dirname "$0")/../lib/common.sh"
. "$ROOT/tests/lib/pg.sh"
. "$ROOT/tests/lib/migrate.sh"
EX=$ROOT/examples/edulearn
PLAN=$EX/plan
SRC=files:$T/export
TABLES="courses users enrollments"

# el_t0: the empty target, for mig_checks below
mig_example edulearn "$T/export" 0.1 el_t el_t0 el_ta el_tb

# py EXPR: EXPR's value over the files as python reads them, a list one
# element a line, sorted; None as NULL. In EXPR: courses and users (lists
# of dicts), cids (the courses' ObjectIds), enr (each enrollment as (user
# ObjectId, course ObjectId, element)), oid(doc), ms() (a $date's
# milliseconds), u5(NS, key) (remap's uuid5 under a name NS), n() (a value
# or NULL)
py() {
	$PY - "$T/export" "$1" <<'PY'
import datetime, json, sys, uuid
d = sys.argv[1]
courses = [json.loads(l) for l in open(d + "/courses.jsonl", encoding="utf-8")]
users = [json.loads(l) for l in open(d + "/users.jsonl", encoding="utf-8")]
cids = {c["_id"]["$oid"] for c in courses}
enr = [(u["_id"]["$oid"], e["course"]["$oid"], e)
       for u in users for e in u.get("enrollments") or []]
def ms(v):
	if v is None:
		return "NULL"
	v = v["$date"]
	if isinstance(v, dict):
		return int(v["$numberLong"])
	t = datetime.datetime.fromisoformat(v.replace("Z", "+00:00"))
	return round(t.timestamp() * 1000)
def u5(ns, key):
	return uuid.uuid5(uuid.uuid5(uuid.NAMESPACE_URL, ns), key)
def n(v):
	return "NULL" if v is None else v
def oid(doc):
	return doc["_id"]["$oid"]
v = eval(sys.argv[2])
for x in sorted(str(x) for x in v) if isinstance(v, list) else [n(v)]:
	print(x)
PY
}

# the run
mig el_t "$T/m1" >"$T/report" 2>"$T/err"
st=$?
[ $st -eq 0 ] && ok "the plan from a files: source: exit 0" ||
    { notok "the plan: exit $st"; indent "$T/err"; indent "$T/report"; }
report_ok "the plan" "$T/m1"
DB=el_t

# WHAT | PYTHON (over the files) | SQL (over the target): the same lines
while IFS='|' read -r what pyx sql; do
	what=${what% } pyx=${pyx# }; pyx=${pyx% } sql=${sql# }
	case $what in ''|\#*) continue ;; esac
	py "$pyx" >"$T/want" 2>&1
	q "$sql" 2>&1 | sort >"$T/got"
	if [ -s "$T/want" ] && diff "$T/want" "$T/got" >"$T/diff"; then
		if [ "$(wc -l <"$T/want")" -eq 1 ]; then
			ok "$what ($(cat "$T/want"))"
		else
			ok "$what ($(wc -l <"$T/want") rows)"
		fi
	else
		notok "$what"; indent "$T/diff"
	fi
done <<'EOF'
# rows per table: every course and user; enrollments one per element of
# the users' arrays, but those of the deleted course
courses: one row per line | len(courses) | select count(*) from courses
users: one row per line | len(users) | select count(*) from users
enrollments: one per element, orphans aside | sum(c in cids for _, c, _ in enr) | select count(*) from enrollments
the seed holds orphans, empty and missing arrays, dates before 1970 | [sum(c not in cids for _, c, _ in enr) > 0, any(u.get("enrollments") == [] for u in users), any("enrollments" not in u for u in users), any(isinstance(u.get("born", {}).get("$date"), dict) for u in users)] | select 'True' from generate_series(1, 4)
# keys: uuid5 of the ObjectId (the ObjectId kept in old_id)
every course's key is uuid5 of its ObjectId | ["%s %s" % (oid(c), u5("edulearn-courses", oid(c))) for c in courses] | select old_id || ' ' || id from courses
every user's key is uuid5 of its ObjectId | ["%s %s" % (oid(u), u5("edulearn-users", oid(u))) for u in users] | select old_id || ' ' || id from users
# values end to end
$date (ISO, milliseconds) as timestamptz | ["%s %s" % (oid(u), ms(u["created"])) for u in users] | select old_id || ' ' || (extract(epoch from created_at) * 1000)::bigint from users
$date before 1970 ($numberLong), or missing | ["%s %s" % (oid(u), ms(u.get("born"))) for u in users] | select old_id || ' ' || coalesce(((extract(epoch from born_at) * 1000)::bigint)::text, 'NULL') from users
nested address.city, NULL without | ["%s %s" % (oid(u), n(u.get("address", {}).get("city"))) for u in users] | select old_id || ' ' || coalesce(city, 'NULL') from users
email: missing or null is NULL | ["%s %s" % (oid(u), n(u.get("email"))) for u in users] | select old_id || ' ' || coalesce(email, 'NULL') from users
points: $numberLong and plain numbers as bigint | ["%s %s" % (oid(u), u["points"]["$numberLong"] if isinstance(u["points"], dict) else u["points"]) for u in users] | select old_id || ' ' || points from users
unwound: user, course, grade (NULL ungraded), enrolled | ["%s %s %s %s" % (u, c, n(e.get("grade")), ms(e["enrolled"])) for u, c, e in enr if c in cids] | select u.old_id || ' ' || c.old_id || ' ' || coalesce(e.grade, 'NULL') || ' ' || (extract(epoch from e.enrolled_at) * 1000)::bigint from enrollments e join users u on u.id = e.user_id join courses c on c.id = e.course_id
EOF

# the orphans: rejected, counted, named by their cause
want=$(py 'sum(c not in cids for _, c, _ in enr)')
if jq -e --argjson n "$want" '.tables[] | select(.table == "enrollments") |
    .rejected == $n and .counted == .seen and .missing == 0 and
    .rejected_by_reason == [{reason: "orphan: course_id=...", rows: $n}]' \
    "$T/m1/report.json" >/dev/null; then
	ok "enrollments of the deleted course: $want rejected as orphans; jq's count of the elements is the stream's and its rejects'"
else
	notok "enrollments' report (want $want orphans)"; indent "$T/m1/report.txt"
fi

# a second run changes nothing
tablesums el_t >"$T/sums1"
mig el_t "$T/m1" >"$T/report2" 2>"$T/err"
st=$?
tablesums el_t >"$T/sums2"
if [ $st -eq 0 ] && diff "$T/sums1" "$T/sums2" >"$T/diff"; then
	ok "a second run: exit 0, every table as it was"
else
	notok "a second run: exit $st"; indent "$T/err"; indent "$T/diff"
fi
report_ok "the second run" "$T/m1"

# the dry run spells src out as the runner runs it: in the directory
mig el_t "$T/m3" --dry-run >"$T/dry" 2>"$T/err"
st=$?
if [ $st -eq 0 ] && grep -qF "src() { (cd '$T/export' && extract \"\$@\"); }" "$T/dry"; then
	ok "--dry-run: src reads the files in the source directory"
else
	notok "--dry-run: exit $st"; indent "$T/err"; grep '^src' "$T/dry" | indent
fi

# a source directory that is not there: exit 4 before any stage, as a
# source that cannot be read
mig_nosource "files: naming no directory: exit 4 before any stage, says so" \
    "files:$T/nowhere" el_t "cannot read the source: $T/nowhere is no directory" courses

# --incremental reads with extract --since: not a files source's
printf 'SOURCE=files:%s\nstage a a --incremental x\na() { :; }\n' "$T/export" >"$T/inc.plan"
"$MIG" "$T/inc.plan" -S "$T/m5" >/dev/null 2>"$T/err"
st=$?
if [ $st -eq 2 ] && grep -q 'which a files source has not' "$T/err"; then
	ok "--incremental with a files source: exit 2, says why"
else
	notok "--incremental files: exit $st"; indent "$T/err"
fi

# the runner's promises with a files source (tests/lib/migrate.sh): the
# dry run's report the real one's, --only twice, kill -9 and --from,
# --backup and --rollback, the state's modes
mig_checks el_t0 el_ta el_tb enrollments enrollments
