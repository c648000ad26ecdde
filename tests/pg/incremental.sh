#!/bin/sh
# Nightly increments (stage --incremental COL): the second run moves only
# the rows added or changed in the source since the mark, the mark
# advances only when the load committed, --overlap moves it back, and a
# row deleted in the source is named as extra, never deleted.
. "$(dirname "$0")/../lib/common.sh"
. "$ROOT/tests/lib/pg.sh"
. "$ROOT/tests/lib/migrate.sh"
PLAN=$T/shop.plan
SRC=dbname=inc_src
TABLES=items
S=$T/state

newdb inc_src
# distinct timestamps a minute apart, so that the counts are exact
q "create table items (id int primary key, name text, updated_at timestamptz not null);
   insert into items select g, 'item ' || g, timestamptz '2026-01-01 00:00:00+00' + g * interval '1 minute' from generate_series(1, 300) g"
newdb inc_tgt
q "create table items (id uuid primary key, old_id int not null unique, name text, updated_at timestamptz not null)"
cat >"$PLAN" <<'PLAN'
SOURCE=dbname=inc_src
TARGET=dbname=inc_tgt
stage items items --incremental updated_at --count "select count(*) from items"
items() {
	src --query "select id, name, updated_at from items" --name items |
	    remap --assign id=uuid5:shop-items --keep-old old_id
}
PLAN

# loaded: the last load's "N loaded" in the stage's state
loaded() {
	awk '/^load:/ { for (i = 1; i < NF; i++) if ($(i + 1) ~ /^loaded/) print $i }' "$S/items/counts"
}
read_n() {
	awk '/^extract:/ { for (i = 1; i < NF; i++) if ($(i + 1) ~ /^rows/) print $i }' "$S/items/counts"
}

mig inc_tgt "$S" >"$T/out" 2>"$T/err"
st=$?
m1=$(jq -r . "$S/items/mark" 2>/dev/null)
[ $st -eq 0 ] && [ "$(loaded)" = 300 ] && [ "$m1" = "2026-01-01 05:00:00+00" ] &&
    ok "first run: all 300 rows, the mark is the largest updated_at loaded ($m1)" ||
    { notok "first run: exit $st, loaded $(loaded), mark $m1"; indent "$T/err"; indent "$T/out"; }
report_ok "first run" "$S"

# 5 rows changed, 7 added: only they move, and the one that ties the mark
DB=inc_src
q "update items set name = name || ' (changed)', updated_at = timestamptz '2026-02-01 00:00:00+00' + id * interval '1 second' where id in (3, 50, 100, 150, 299);
   insert into items select g, 'new ' || g, timestamptz '2026-02-02 00:00:00+00' + g * interval '1 second' from generate_series(301, 307) g"
mig inc_tgt "$S" >"$T/out" 2>"$T/err"
st=$?
m2=$(jq -r . "$S/items/mark" 2>/dev/null)
if [ $st -eq 0 ] && [ "$(loaded)" = 13 ] && [ "$(read_n)" = 13 ] &&
    [ "$m2" = "2026-02-02 00:05:07+00" ]; then
	ok "second run: only the 5 changed, the 7 added and the 1 at the mark move (13 loaded); the mark advances"
else
	notok "second run: exit $st, read $(read_n), loaded $(loaded), mark $m2"; indent "$T/err"; indent "$S/items/log"
fi
report_ok "second run: verify of the whole source" "$S"
DB=inc_tgt
expect "the changed rows are changed in the target" "5|12" \
    "select count(*) filter (where name like '%(changed)'), count(*) filter (where old_id > 300 or name like '%(changed)') from items"

# --status shows the mark
"$MIG" "$PLAN" -S "$S" --status --json >"$T/stj" 2>"$T/err"
"$MIG" "$PLAN" -S "$S" --status >"$T/stt" 2>>"$T/err"
jq -e --arg m "$m2" '.stages[0] | .incremental == "updated_at" and .mark == $m' "$T/stj" >/dev/null &&
    grep -q "^items .*updated_at>=$m2" "$T/stt" &&
    ok "--status and --status --json show the mark" ||
    { notok "--status mark"; indent "$T/stj"; indent "$T/stt"; indent "$T/err"; }

# a load that fails does not advance the mark: the rows move next time
DB=inc_src
q "insert into items values (308, 'late', timestamptz '2026-03-01 00:00:00+00')"
DB=inc_tgt
q "alter table items rename to items_away"
mig inc_tgt "$S" >"$T/out" 2>"$T/err"
st=$?
q "alter table items_away rename to items"
m3=$(jq -r . "$S/items/mark" 2>/dev/null)
[ $st -eq 4 ] && [ "$m3" = "$m2" ] &&
    ok "a failed load (exit 4): the mark stays where it was" ||
    { notok "failed load: exit $st, mark $m3 (was $m2)"; indent "$T/err"; }
mig inc_tgt "$S" >"$T/out" 2>"$T/err"
st=$?
[ $st -eq 0 ] && [ "$(loaded)" = 2 ] && [ "$(jq -r . "$S/items/mark")" = "2026-03-01 00:00:00+00" ] &&
    ok "the run after it moves the row the failed one missed (2 loaded: it and the tie)" ||
    { notok "after the failed load: exit $st, loaded $(loaded)"; indent "$T/err"; }

# --overlap: a row committed late with an older timestamp is caught
sed -i 's/--incremental updated_at/--incremental updated_at --overlap "1 day"/' "$PLAN"
DB=inc_src
q "insert into items values (309, 'committed late', timestamptz '2026-02-28 12:00:00+00')"
mig inc_tgt "$S" >"$T/out" 2>"$T/err"
st=$?
DB=inc_tgt
[ $st -eq 0 ] && [ "$(loaded)" = 2 ] && [ "$(q "select count(*) from items where old_id = 309")" = 1 ] &&
    grep -q 'updated_at >= 2026-02-28 00:00:00+00' "$S/items/log" &&
    ok "--overlap '1 day': the mark moved back a day, the late row moves" ||
    { notok "--overlap: exit $st, loaded $(loaded)"; indent "$S/items/log"; }

# a row deleted in the source stays in the target: named extra, and said
DB=inc_src
q "delete from items where id in (7, 8)"
mig inc_tgt "$S" >"$T/out" 2>"$T/err"
st=$?
DB=inc_tgt
if [ $st -eq 1 ] && [ "$(q "select count(*) from items where old_id in (7, 8)")" = 2 ] &&
    jq -e '.tables[0].extra == 2' "$S/report.json" >/dev/null &&
    grep -q '^items: extra id=' "$T/out" &&
    grep -q 'rows deleted in the source stay in the target' "$T/out" &&
    grep -q '^  items: 2 extra' "$T/out"; then
	ok "rows deleted in the source: not deleted, verify names them as extra (exit 1) and the report says why"
else
	notok "deleted rows: exit $st"; indent "$T/out"; indent "$T/err"
fi

printf 'SOURCE=sqlite:%s\nstage a a --incremental x\na() { :; }\n' "$T/x.db" >"$T/sq.plan"
"$MIG" "$T/sq.plan" -S "$T/sq" >/dev/null 2>"$T/err"
[ $? -eq 2 ] && grep -q 'a SQLite source has not' "$T/err" &&
    ok "--incremental with a SQLite source: exit 2, says why" ||
    { notok "--incremental sqlite"; indent "$T/err"; }

dropdb inc_src; dropdb inc_tgt
