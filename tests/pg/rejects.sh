#!/bin/sh
# load --rejects against a throwaway server: in 100,000 rows, 7 bad ones
# scattered (a type error, not null, check, unique, foreign key, a NUL
# byte in text, a duplicate primary key) are isolated, exactly those, each
# with the server's reason, and the rest loaded; loaded + rejected = read.
# Also --max-rejects, --dry-run, upsert, batches, errors that are not the
# data's, and a rejects file per segment.
. "$(dirname "$0")/../lib/common.sh"
. "$ROOT/tests/lib/pg.sh"
PROG=load

newdb rejects_sh
q "create table schools (id int primary key);
   insert into schools select generate_series(1, 10);
   create table r (id bigint primary key, school_id int references schools,
    name text not null, age int check (age >= 0), email text unique,
    born date);
   create table r2 (like r including all)"
$PY "$ROOT/tests/lib/load.py" rejects 100000 | mk >"$T/r.rs"
$PY "$ROOT/tests/lib/load.py" rejects 2000 | mk >"$T/r2k.rs"

# what the rejects file holds: "id|_error" lines, sorted by id
reasons() {
	"$BIN/rowcat" -q --json "$1" | $PY -c '
import json, sys
for l in sys.stdin:
    r = json.loads(l)
    print("%d|%s" % (r["id"], r["_error"]))' | sort -n
}
cat >"$T/want" <<'EOF2'
1|invalid input syntax for type date: "not a date"
5|duplicate key value violates unique constraint "r_pkey": Key (id)=(5) already exists.
1234|null value in column "name" of relation "r" violates not-null constraint
20000|new row for relation "r" violates check constraint "r_age_check"
35000|duplicate key value violates unique constraint "r_email_key": Key (email)=(u100@x.org) already exists.
50001|insert or update on table "r" violates foreign key constraint "r_school_id_fkey": Key (school_id)=(99) is not present in table "schools".
64000|column "name": invalid byte sequence for encoding "UTF8": 0x00 (a NUL byte at offset 1; text cannot hold one)
EOF2
# check_rejects WHAT FILE WANT: the rejects file holds the lines of WANT
check_rejects() {
	if reasons "$2" >"$T/got" 2>&1 && diff "$3" "$T/got" >"$T/diff"; then
		ok "$1: exactly the bad rows, each with the server's reason"
	else
		notok "$1: the rejects differ"
		indent "$T/diff"
		indent "$T/got"
	fi
}
# the ids a load of r.rs leaves in r: all but the rejected rows (id 5's
# row is there: only its later duplicate was rejected)
good="99993|$((99999 * 100000 / 2 - 1 - 1234 - 20000 - 35000 - 50001 - 64000))"

t 0 "-d $DB -r $T/rej.rs" "cat $T/r.rs" - "load: r: 100000 rows read, 99993 loaded, 7 rejected, "
check_rejects "7 bad rows in 100,000" "$T/rej.rs" "$T/want"
expect "the good rows are loaded, the bad ones not" "$good" "select count(*), sum(id) from r"
expect "the first of two duplicates stays" "name 5" "select name from r where id = 5"
"$BIN/rowcat" --schema "$T/rej.rs" >"$T/schema" 2>&1
if grep -q "_error  *text" "$T/schema" && grep -q "7 rows" "$T/schema" &&
    grep -q "born  *date" "$T/schema"; then
	ok "the rejects file is a row stream: the original columns and _error"
else
	notok "the rejects file is a row stream: the original columns and _error"
	indent "$T/schema"
fi

q "truncate r"
t 0 "-d $DB -r $T/rej.rs -b 1000" "cat $T/r.rs" - "100000 rows read, 99993 loaded, 7 rejected"
check_rejects "--batch 1000" "$T/rej.rs" "$T/want"
expect "--batch 1000: the same rows loaded" "$good" "select count(*), sum(id) from r"
q "truncate r"
grep -E '^(1|1234)\|' "$T/want" >"$T/want2k"
t 0 "-d $DB -r $T/rej.rs -b 3" "cat $T/r2k.rs" - "2000 rows read, 1998 loaded, 2 rejected"
check_rejects "--batch 3" "$T/rej.rs" "$T/want2k"
q "truncate r"
t 0 "-d $DB -r $T/rej.rs -b 100000" "cat $T/r.rs" - "100000 rows read, 99993 loaded, 7 rejected"
check_rejects "one batch of 100,000" "$T/rej.rs" "$T/want"
q "truncate r"

# every row bad (an append run twice): each is rejected, in linear time
t 0 "-d $DB -r $T/rej.rs" "cat $T/r2k.rs" - "2000 rows read, 1998 loaded, 2 rejected"
t 0 "-d $DB -r $T/rej.rs" "cat $T/r2k.rs" - "2000 rows read, 0 loaded, 2000 rejected"
expect "every row bad: all rejected, the table as it was" "1998" "select count(*) from r"
q "truncate r"

# --- without --rejects, over --max-rejects: nothing --------------------
t 1 "-d $DB" "cat $T/r.rs" - 'load: r: row 1: invalid input syntax for type date: "not a date"'
expect "without --rejects the first refused row rolls back" "0" "select count(*) from r"
rm -f "$T/rej.rs"
t 1 "-d $DB -r $T/rej.rs --max-rejects 6" "cat $T/r.rs" - "more than 6 rows rejected (--max-rejects)"
expect "over --max-rejects: rolled back" "0" "select count(*) from r"
if ls "$T" | grep -q '^rej\.rs'; then
	notok "over --max-rejects: no rejects file is left"
	ls "$T" | indent
else
	ok "over --max-rejects: no rejects file is left"
fi
t 0 "-d $DB -r $T/rej.rs --max-rejects 7" "cat $T/r.rs" - "7 rejected"
expect "--max-rejects 7 lets 7 through" "$good" "select count(*), sum(id) from r"
q "truncate r"

# --- dry run ---------------------------------------------------------------
t 0 "-d $DB -n -r $T/dry.rs" "cat $T/r.rs" - "99993 loaded, 7 rejected, "
check_rejects "--dry-run writes the rejects" "$T/dry.rs" "$T/want"
expect "--dry-run leaves nothing" "0" "select count(*) from r"
t 0 "-d $DB -n -r -" "cat $T/r2k.rs" - "(dry run: rolled back)"
check_rejects "--rejects - writes to stdout" "$T/out" "$T/want2k"

# --- upsert ----------------------------------------------------------------
# The duplicate id 5 is an update here, not a reject: 6 rejected, and
# the last row of id 5 wins.
grep -v '^5|' "$T/want" >"$T/want6"
t 0 "-d $DB -m upsert -k id -r $T/up.rs" "cat $T/r.rs" - "100000 rows read, 99994 loaded, 6 rejected"
check_rejects "upsert" "$T/up.rs" "$T/want6"
expect "upsert: the good rows are in, the last of id 5 wins" "${good%%|*}|name 100000" \
    "select count(*), (select name from r where id = 5) from r"
t 0 "-d $DB -m upsert -k id -r $T/up.rs -b 500" "cat $T/r.rs" - "99994 loaded, 6 rejected"
check_rejects "upsert again, batches of 500" "$T/up.rs" "$T/want6"
expect "upsert twice: one copy" "${good%%|*}" "select count(*) from r"
q "truncate r"

# --- several segments: a rejects segment each --------------------------------
{ cat "$T/r2k.rs"; $PY "$ROOT/tests/lib/load.py" rejects 2000 r2 | mk; } >"$T/two.rs"
t 0 "-d $DB -r $T/rej.rs" "cat $T/two.rs" - "load: r, r2: 4000 rows read, 3996 loaded, 4 rejected"
"$BIN/rowcat" --schema "$T/rej.rs" >"$T/schema" 2>&1
if [ "$(grep -c '^r.* 7 columns' "$T/schema")" = 2 ] &&
    [ "$(grep -c '2 rows' "$T/schema")" = 2 ]; then
	ok "a rejects segment per input segment"
else
	notok "a rejects segment per input segment"
	indent "$T/schema"
fi
expect "both segments loaded" "1998|1998" \
    "select (select count(*) from r), (select count(*) from r2)"
q "truncate r, r2"

# --- an error that is not the data's fails the load, no rejects -----------
q "drop role if exists lowly; create role lowly login; grant select on r to lowly"
rm -f "$T/rej.rs"
t 4 "-d 'dbname=$DB user=lowly' -r $T/rej.rs" "cat $T/r2k.rs" - "permission denied for table r"
if [ -e "$T/rej.rs" ]; then
	notok "no permission: no rejects file"
else
	ok "no permission: no rejects file"
fi
expect "no permission: nothing loaded" "0" "select count(*) from r"
# A trigger failing for its own reasons (not a data exception, not a
# constraint) during the COPY: a database error, not 1,999 rejects.
q "create function trouble() returns trigger language plpgsql as \$\$
   begin
	if new.id = 10 then
		raise exception 'internal trouble' using errcode = 'XX000';
	end if;
	return new;
   end \$\$;
   create trigger trouble before insert on r for each row execute function trouble()"
t 4 "-d $DB -r $T/rej.rs" "cat $T/r2k.rs" - "load: r: internal trouble"
if [ -e "$T/rej.rs" ]; then
	notok "an error not the data's: no rejects file"
else
	ok "an error not the data's: no rejects file"
fi
expect "an error not the data's: nothing loaded" "0" "select count(*) from r"

# --- upsert: a NULL key is refused, never inserted again on every run ------
# ON CONFLICT never matches a NULL, so each run would add the row again.
q "create table nk (k int8 unique, v text);
   create table nk2 (a int, b int, v text, unique (a, b))"
cat >"$T/nk.json" <<'EOF2'
{"table": "nk", "columns": [["k", "int8"], ["v", "text"]],
 "rows": [[1, "x"], [null, "a"], [2, "y"]]}
EOF2
cat >"$T/nk2.json" <<'EOF2'
{"table": "nk2", "columns": [["a", "int4"], ["b", "int4"], ["v", "text"]],
 "rows": [[1, 1, "x"], [1, null, "a"], [null, null, "b"]]}
EOF2
for run in 1 2 3; do
	t 0 "-d $DB -m upsert -k k -r $T/nk.rs" "mk $T/nk.json" - \
	    "nk: 3 rows read, 2 loaded, 1 rejected"
done
expect "upsert three times with a NULL key: the good rows once, no NULL key" \
    "2|0" "select count(*), count(*) filter (where k is null) from nk"
if "$BIN/rowcat" -q --json "$T/nk.rs" >"$T/got" 2>&1 &&
    [ "$(cat "$T/got")" = '{"k":null,"v":"a","_error":"null key: k"}' ]; then
	ok "a NULL key is a reject, with the reason \"null key: k\""
else
	notok "a NULL key is a reject, with the reason \"null key: k\""
	indent "$T/got"
fi
t 1 "-d $DB -m upsert -k k" "mk $T/nk.json" - "load: nk: row 2: null key: k"
expect "a NULL key without --rejects fails the load" "2" "select count(*) from nk"
t 0 "-d $DB -m upsert -k a,b -r $T/nk2.rs" "mk $T/nk2.json" - \
    "nk2: 3 rows read, 1 loaded, 2 rejected"
if "$BIN/rowcat" -q --json "$T/nk2.rs" >"$T/got" 2>&1 &&
    grep -qx '{"a":1,"b":null,"v":"a","_error":"null key: b"}' "$T/got" &&
    grep -qx '{"a":null,"b":null,"v":"b","_error":"null key: a, b"}' "$T/got"; then
	ok "a two-column key: the reason names each NULL key column"
else
	notok "a two-column key: the reason names each NULL key column"
	indent "$T/got"
fi
t 0 "-d $DB -m upsert -k a,b -r $T/nk2.rs" "mk $T/nk2.json" - "1 loaded, 2 rejected"
expect "a two-column key, twice: one row" "1" "select count(*) from nk2"

# --- a failed load leaves no rejects file, not even an earlier run's --------
# gone WHAT: $T/stale.rs does not exist
gone() {
	if [ -e "$T/stale.rs" ]; then
		notok "$1: the earlier run's rejects file is removed"
		ls -l "$T/stale.rs" | indent
	else
		ok "$1: the earlier run's rejects file is removed"
	fi
}
# good: a load that writes $T/stale.rs (2 rejects), then empties r
good() {
	"$BIN/load" -q -d $DB -r "$T/stale.rs" <"$T/r2k.rs" &&
	    [ -s "$T/stale.rs" ] || notok "a good load writes its rejects file"
	q "truncate r"
}
q "drop trigger trouble on r"
good
size=$(wc -c <"$T/r2k.rs")
t 3 "-d $DB -r $T/stale.rs" "head -c $((size - 10)) $T/r2k.rs" - "none loaded (rolled back)"
gone "a cut stream"
good
t 4 "-d $DB -t nosuch -r $T/stale.rs" "cat $T/r2k.rs" - "nosuch: no such table"
gone "no such table"
good
t 1 "-d $DB -r $T/stale.rs --max-rejects 1" "cat $T/r2k.rs" - "more than 1 rows rejected"
gone "over --max-rejects"
good
t 2 "-d $DB -r $T/stale.rs --max-rejects x" "cat $T/r2k.rs" - "is not a number of rows"
gone "a usage error"
good
t 0 "-d $DB -r $T/stale.rs --help" "true" - ""
if [ -s "$T/stale.rs" ]; then
	ok "--help leaves the rejects file alone"
else
	notok "--help leaves the rejects file alone"
fi
# A symlink named as the rejects file stays; its target, where a good
# run writes the rejects through it, is an earlier run's and goes.
mv "$T/stale.rs" "$T/kept.rs"
ln -s kept.rs "$T/link.rs"
"$BIN/load" -q -d $DB -r "$T/link.rs" <"$T/r2k.rs" && [ -L "$T/link.rs" ] &&
    [ -s "$T/kept.rs" ] || notok "a good load writes its rejects through a symlink"
q "truncate r"
t 3 "-d $DB -r $T/link.rs" "head -c $((size - 10)) $T/r2k.rs" - "none loaded (rolled back)"
if [ -L "$T/link.rs" ] && [ ! -e "$T/kept.rs" ]; then
	ok "a failed load leaves a symlink as the rejects file and removes its stale target"
else
	notok "a failed load leaves a symlink as the rejects file and removes its stale target"
	ls -l "$T" | indent
fi
mknod "$T/null" c 1 3 2>/dev/null || ln -s /dev/null "$T/null"
t 3 "-d $DB -r $T/null" "head -c $((size - 10)) $T/r2k.rs" - "none loaded (rolled back)"
check "a failed load leaves a device named as the rejects file" test -c "$T/null"
expect "the failed loads loaded nothing" "0" "select count(*) from r"
