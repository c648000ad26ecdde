#!/bin/sh
# The recovery plan (examples/recovery): a target another tool half filled
# is completed; every key already there stays, the report shows 0 missing,
# and the runner's promises hold (tests/lib/migrate.sh).
. "$(dirname "$0")/../lib/common.sh"
. "$ROOT/tests/lib/pg.sh"
. "$ROOT/tests/lib/migrate.sh"
EX=$ROOT/examples/recovery
PLAN=$EX/plan
SRC=dbname=rec_v1
TABLES="schools students courses enrollments"

newdb rec_v1; newdb rec_t
"$EX/seed" -s dbname=rec_v1 -t dbname=rec_t --scale 0.03 2>"$T/seed.err" ||
    { notok "recovery seed"; indent "$T/seed.err"; exit 1; }
for d in rec_ta rec_tb; do
	dropdb --if-exists $d 2>/dev/null; createdb -T rec_t $d || { notok "createdb $d"; exit 1; }
done
DB=rec_t
q "copy (select 'courses', id, old_course_id from courses union all select 'enrollments', id, old_journal_id from enrollments order by 1, 3) to stdout" >"$T/keys0"
c=$(q "select (select count(*) from courses) * 100 / 178 || ' ' || (select count(*) from enrollments) * 100 / 15300")
case $c in 2[0-9]\ 1[5-9]|2[0-9]\ 2[0-4]) ok "the target holds a quarter of the courses, a fifth of the enrollments ($c %)" ;;
*) notok "the half-done target: $c %" ;; esac

mig_checks rec_t rec_ta rec_tb enrollments enrollments

DB=rec_tb
q "copy (select 'courses', c.id, c.old_course_id from courses c union all select 'enrollments', e.id, e.old_journal_id from enrollments e order by 1, 3) to stdout" >"$T/keys1"
if [ "$(awk -F'\t' 'NR == FNR { k[$1 FS $3] = $2; next } ($1 FS $3) in k && k[$1 FS $3] != $2 { bad++ } END { print bad + 0 }' "$T/keys0" "$T/keys1")" = 0 ] &&
    [ "$(wc -l <"$T/keys1")" -gt "$(wc -l <"$T/keys0")" ]; then
	ok "every key the other tool gave ($(wc -l <"$T/keys0")) is kept; the missing rows are added"
else
	notok "keys of the other tool changed"
fi
expect "the rows added have uuid5 keys, the kept ones uuid4" "4|5" \
    "select string_agg(distinct substr(id::text, 15, 1), '|' order by substr(id::text, 15, 1)) from courses"
loaded=$(awk '/^load:/ { for (i = 1; i < NF; i++) if ($(i + 1) ~ /^loaded/) print $i }' "$T/s2/enrollments/counts")
DB=rec_t
have=$(q "select count(*) from enrollments")
DB=rec_tb
all=$(q "select count(*) from enrollments")
[ "$loaded" = $((all - have)) ] &&
    ok "the enrollments stage loaded only the missing rows ($loaded of $all)" ||
    notok "enrollments loaded $loaded, missing were $((all - have))"

# the report, per table: source = already there + added now + rejected,
# missing 0, coverage 100%, the rejected by root cause
DB=rec_t
bad=
for t in $TABLES; do
	have=$(q "select count(*) from $t")
	jq -e --arg t "$t" --argjson have "$have" '.tables[] | select(.table == $t) |
	    .already_there == $have and .source_rows == .already_there + .loaded_now + .rejected and
	    .missing == 0 and .coverage == 100' "$T/s2/report.json" >/dev/null || bad="$bad $t"
done
if [ -z "$bad" ] && grep -q '^table  *source  *there  *added  *target .* coverage  hash$' "$T/s2/report.txt" &&
    jq -e '[.tables[] | select(.table == "enrollments") | .rejected_by_reason[].reason] |
	length > 0 and all(test("^orphan: (student_id|course_id)=\\.\\.\\. \\((students|courses): not in the source\\)$"))' \
    "$T/s2/report.json" >/dev/null; then
	ok "the report: per table source = already there + added + rejected, missing 0, coverage 100%, rejects by their cause"
else
	notok "the recovery report:$bad"; indent "$T/s2/report.txt"
fi
! grep -q PHASE "$PLAN" && ok "the plan needs no \$PHASE: one stream for the load (insert-missing) and verify" ||
    notok "the recovery plan still reads \$PHASE"

dropdb rec_v1; dropdb rec_t; dropdb rec_ta; dropdb rec_tb
