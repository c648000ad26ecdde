#!/bin/sh
# The school V1 -> V2 plan (examples/school-v1-v2) through bin/migrate at a
# small scale: every V1 row accounted for, foreign keys resolve, names
# split, the runner's promises (tests/lib/migrate.sh), and verify names an
# edited row; the people's data (unique emails, E.164 phones, generated
# passwords) against python3-phonenumbers and python3-bcrypt.
. "$(dirname "$0")/../lib/common.sh"
. "$ROOT/tests/lib/pg.sh"
. "$ROOT/tests/lib/migrate.sh"
EX=$ROOT/examples/school-v1-v2
PLAN=$EX/plan
SRC=dbname=mig_v1
TABLES="schools users teachers parents students course_offerings course_enrollments"
SUM_IGNORE=password_hash	# two runs into two targets generate two

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
while IFS='	' read -r tbl sql; do
	v1=$(q "$sql")
	got=$(jq -r --arg t "$tbl" '.tables[] | select(.table == $t) | "\(.source_rows) \(.target_rows + .rejected)"' "$S/report.json")
	[ -n "$v1" ] && [ "$got" = "$v1 $v1" ] && ok "accounted: $tbl: V1 $v1 = V2 + rejected" ||
	    notok "accounted: $tbl: V1 ${v1:-?}, report ${got:-no such table}"
done <<'TABLE'
schools	select count(*) from schools
users	select (select count(*) from teachers) + (select count(*) from parents) + (select count(*) from students)
course_enrollments	select count(*) from journal
TABLE

# The rejects, by what the report says and by the rejects files. No user
# is lost to a duplicate email any more (the plan makes them unique), so
# no profile and no journal row is lost upstream: the orphans are the
# journal rows whose student or course V1 no longer has, each one named.
"$BIN/rowcat" -q --json "$S/enrollments/remap.rs" >"$T/orph" || notok "rowcat enrollments' rejects"
gone_s=$(q "select count(*) from journal j where not exists (select 1 from students s where s.id = j.student_id)")
gone_c=$(q "select count(*) from journal j where exists (select 1 from students s where s.id = j.student_id) and not exists (select 1 from courses c where c.id = j.course_id)")
while IFS='	' read -r what want cmd; do
	expect_cmd "$what" "$want" sh -c "$cmd"
done <<TABLE
users rejected for a duplicate email: 0, in the report and in load's rejects	0 0 0	printf '%s %s\\n' "\$(jq -r '"\\([.tables[] | select(.table == "users") | .rejected] | add) \\([.tables[].rejected_by_reason[] | select(.reason // "" | test("users_email_key"))] | length)"' "$S/report.json")" "\$("$BIN/rowcat" -q --json "$S/users/load.rs" | wc -l)"
rows rejected by the users, teachers, parents and students stages: 0	0	jq '[.tables[] | select(.table | test("^(users|teachers|parents|students)\$")) | .rejected] | add' "$S/report.json"
orphans of a student V1 no longer has: each rejected, naming it ($gone_s)	$gone_s	grep -c '"_error":"orphan: student_id=[0-9]* (students: not in the source)"' "$T/orph"
orphans of a course V1 no longer has: each rejected, naming it ($gone_c)	$gone_c	grep -c '"_error":"orphan: course_offering_id=[0-9]* (course_offerings: not in the source)"' "$T/orph"
no other rejected journal row	0	grep -vc 'not in the source)"' "$T/orph"
the report's reasons are those two	orphan: course_offering_id=... (course_offerings: not in the source)|orphan: student_id=... (students: not in the source)	jq -r '[.tables[] | select(.table == "course_enrollments") | .rejected_by_reason[].reason] | sort | join("|")' "$S/report.json"
TABLE
[ "$gone_s" -gt 0 ] && [ "$gone_c" -gt 0 ] || notok "the seed has no orphans of both kinds ($gone_s, $gone_c): the cases above prove nothing"

DB=mig_v2b
while IFS='	' read -r what want sql; do
	expect "$what" "$want" "$sql"
done <<'TABLE'
V2 foreign keys resolve (enrollments -> students, offerings)	0	select count(*) from course_enrollments e left join students s on s.id = e.student_id left join course_offerings c on c.id = e.course_offering_id where s.id is null or c.id is null
V2 profiles point at users of the right role	0	select count(*) from students s join users u on u.id = s.user_id where u.role <> 'student' or u.old_id <> s.old_id
names: 'van der Berg, Anne Marie' (and ' ANNE@school.example ' trimmed, lower case)	Anne|Marie|van der Berg|anne@school.example	select first_name, middle_name, last_name, email from users where old_table = 'teachers' and last_name = 'van der Berg' and first_name = 'Anne'
names: 'Dr. José  O''Brien Jr.' (title and suffix dropped; no email: made from the name)	José||O'Brien|jose.obrien@school.example	select first_name, coalesce(middle_name, ''), last_name, email from users where first_name = 'José' and last_name = 'O''Brien' and old_table = 'teachers' and old_id = (select max(old_id) from users where old_table = 'teachers')
every phone is E.164 or NULL	0	select count(*) from users where phone is not null and phone !~ '^\+[1-9][0-9]{6,14}$'
every email lower case, trimmed, not NULL	0	select count(*) from users where email is null or email <> lower(btrim(email))
TABLE

# Against the references, person by person: V1's people and V2's users
# joined by (old_table, old_id) in python3, with python3-phonenumbers (the
# same library's Python port) for the phones and python3-bcrypt for the
# generated hashes and the credentials files.
DB=mig_v1
q "copy (select 'teachers', id, email, phone, password_hash from teachers union all
    select 'parents', id, email, phone, password_hash from parents union all
    select 'students', id, email, phone, password_hash from students) to stdout" >"$T/v1.tsv"
DB=mig_v2b
q "copy (select old_table, old_id, id, email, phone, password_hash from users) to stdout" >"$T/v2.tsv"
cat >"$T/people.py" <<'PY'
import glob, sys
import bcrypt, msgpack, phonenumbers as pn

def rows(path):
    with open(path) as f:
        for line in f:
            yield [None if v == "\\N" else v for v in line.rstrip("\n").split("\t")]

case, arg = sys.argv[1], sys.argv[2:]
v1 = {(r[0], r[1]): r for r in rows(arg[0])}
v2 = {(r[0], r[1]): r for r in rows(arg[1])}
bad = []
if case == "phones":
    nulled = [0]
    for k, (t, i, em, ph, pw) in v1.items():
        want = None
        if ph is not None:
            try:
                n = pn.parse(ph, "US")
                if pn.is_valid_number(n):
                    want = pn.format_number(n, pn.PhoneNumberFormat.E164)
            except pn.NumberParseException:
                pass
        got = v2[k][4]
        if got != want:
            bad.append("%s %s: %r -> %r, python3-phonenumbers: %r" % (t, i, ph, got, want))
        if ph is not None and want is None:
            nulled[0] += 1
    if not bad:
        print("%d phones, %d nulled" % (len(v1), nulled[0]))
elif case == "hashes":
    cred = {}
    for path in glob.glob(arg[2] + "/*.rs"):
        with open(path, "rb") as f:
            for o in msgpack.Unpacker(f, raw=False, strict_map_key=False):
                if isinstance(o, list):
                    if o[0] in cred:
                        bad.append("%s: two credentials lines" % o[0])
                    cred[o[0]] = o[1]
    made = [k for k, r in v1.items() if r[4] is None]
    for k in made:
        uid, h = v2[k][2], v2[k][5]
        if uid not in cred:
            bad.append("%s %s: no credentials line" % k)
        elif not h or not h.startswith("$2b$12$") or \
                not bcrypt.checkpw(cred[uid].encode(), h.encode()):
            bad.append("%s %s: %r does not verify" % (k[0], k[1], h))
    for k, r in v1.items():
        if r[4] is not None and v2[k][5] != r[4]:
            bad.append("%s %s: V1's hash not kept" % k)
    if len(made) == 0:
        bad.append("no user without a hash in V1: nothing generated")
    if len(cred) != len(made):
        bad.append("%d credentials lines for %d generated hashes" % (len(cred), len(made)))
    if not bad:
        print("%d generated hashes verify against their credentials lines, %d of V1 kept" % (len(made), len(v1) - len(made)))
print("\n".join(bad[:10]))
sys.exit(1 if bad else 0)
PY
if $PY "$T/people.py" phones "$T/v1.tsv" "$T/v2.tsv" >"$T/py" 2>&1; then
	ok "phones: each V2 phone is python3-phonenumbers' E.164 of the V1 one, or NULL when it finds none valid ($(cat "$T/py"))"
else
	notok "phones against python3-phonenumbers"; indent "$T/py"
fi
# the nulled ones are listed with their originals, one line each
"$BIN/rowcat" -q --json "$S/users/phones.nulled" 2>"$T/err" | jq -r '._value' | sort >"$T/nulled"
awk -F '\t' '$4 != "\\N" { print $4 }' "$T/v1.tsv" | sort >"$T/v1phones"
n=$(awk -F '\t' '$5 == "\\N"' "$T/v2.tsv" | wc -l)
n1=$(awk -F '\t' '$4 == "\\N"' "$T/v1.tsv" | wc -l)
if [ -s "$T/nulled" ] && [ "$(wc -l <"$T/nulled")" -eq $((n - n1)) ] &&
    [ -z "$(comm -23 "$T/nulled" "$T/v1phones")" ]; then
	ok "phones nulled: $((n - n1)), each listed in users/phones.nulled with its V1 original"
else
	notok "phones.nulled: $(wc -l <"$T/nulled") listed, $n NULL in V2 of which $n1 NULL in V1"; indent "$T/err"
fi
# ... and each by its row's V1 key (the users extracts' --key old_table,
# old_id): a person of V1 whose phone is that original value
"$BIN/rowcat" -q --schema "$S/users/phones.nulled" 2>>"$T/err" |
    grep '^  key: ' | sort -u >"$T/nkey"
"$BIN/rowcat" -q --json "$S/users/phones.nulled" 2>>"$T/err" |
    jq -r '[.old_table // "NULL", .old_id // "NULL", ._value] | @tsv' >"$T/nkeyed"
bad=$(awk -F '\t' 'NR == FNR { if ($4 != "\\N") p[$1 "\t" $2 "\t" $4]; next }
    !(($1 "\t" $2 "\t" $3) in p)' "$T/v1.tsv" "$T/nkeyed" | head -3)
if [ "$(cat "$T/nkey")" = "  key: old_table old_id" ] && [ -s "$T/nkeyed" ] &&
    [ "$(wc -l <"$T/nkeyed")" -eq "$(wc -l <"$T/nulled")" ] && [ -z "$bad" ]; then
	ok "phones.nulled: each of its $(wc -l <"$T/nkeyed") rows keyed by (old_table, old_id), a V1 person whose phone it was"
else
	notok "phones.nulled keys: $(cat "$T/nkey"); not V1's: $bad"; indent "$T/err"
fi
if $PY "$T/people.py" hashes "$T/v1.tsv" "$T/v2.tsv" "$S/credentials" >"$T/py" 2>&1; then
	ok "passwords: $(cat "$T/py") (python3-bcrypt)"
else
	notok "passwords against python3-bcrypt"; indent "$T/py"
fi
[ -z "$(find "$S/credentials" -type f ! -perm 0600)" ] && [ -n "$(ls "$S/credentials")" ] &&
    ok "the credentials files are 0600" || notok "credentials modes: $(ls -l "$S/credentials")"

# A second run of the users stage changes no password hash and no email,
# and makes no password: its credentials file holds no line.
ids() { DB=mig_v2b q "select md5(string_agg(id || ' ' || email || ' ' || password_hash, '|' order by id)) from users"; }
before=$(ids)
ncred=$(ls "$S/credentials" | wc -l)
mig mig_v2b "$S" --only users >"$T/out" 2>"$T/err"
st=$?
new=$(ls -t "$S/credentials"/*.rs | head -n 1)
if [ $st -eq 0 ] && [ "$(ids)" = "$before" ] && [ "$(ls "$S/credentials" | wc -l)" -eq $((ncred + 1)) ] &&
    [ "$("$BIN/rowcat" -q --json "$new" | wc -l)" -eq 0 ]; then
	ok "a second run of users: every email and password hash as it was, no password made"
else
	notok "second run of users: exit $st, hashes/emails $([ "$(ids)" = "$before" ] && echo same || echo CHANGED)"; indent "$T/err"
fi

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
