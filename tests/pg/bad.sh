#!/bin/sh
# The corpus of malformed streams (tests/bad) fed to load: each gives the
# status and message tests/bad/expect says (exit 3 for all of them today)
# and commits nothing, checked by the table's count and a hash of its
# rows after every load. tests/cli/bad.sh runs the other readers on it.
. "$(dirname "$0")/../lib/common.sh"
. "$ROOT/tests/lib/pg.sh"
. "$ROOT/tests/lib/bad.sh"

newdb sluice_bad
q "create table t (id int8 primary key, name text, score float8, ok bool,
    pic bytea); insert into t values (100, 'before', null, null, null)" ||
    notok "bad: setup"
state() {
	q "select count(*), md5(coalesce(string_agg(t::text, ',' order by id), ''))
	   from t"
}
before=$(state)

for n in $(bad_names); do
	case $n in csv/*) continue ;; esac
	bad_load "$n"
	bad_want load
	"$BIN/load" -d "$DB" <"$BAD/streams/$n.rs" >/dev/null 2>"$T/err"
	why=$(bad_check load $? "$T/err")
	after=$(state)
	[ "$after" = "$before" ] || why="${why}load: the table changed: $after$NL"
	bad_report "$n" "load" "$why${why:+$NL$(indent "$T/err")}"
	before=$after
done

# The good stream of the corpus loads, so the cases above failed for the
# stream's fault, not the table's.
if "$BIN/load" -q -d "$DB" <"$BAD/streams/good.rs" 2>"$T/err" &&
    [ "$(q 'select count(*) from t')" = 3 ]; then
	ok "good.rs: load commits its 2 rows into the same table"
else
	notok "good.rs: load fails on the good stream"
	indent "$T/err"
fi
