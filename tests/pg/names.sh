#!/bin/sh
# Names longer than PostgreSQL keeps (63 bytes): the server cuts them
# short with only a NOTICE, so extract -t of a 70-byte name read the
# table of its first 63 bytes. Every name that reaches SQL is refused
# with exit 2 and the limit: extract -t, -c, --key; load -t, --key and
# a stream header's table and columns (--ignore-extra too); verify -t,
# --key and a header's columns. Each part of schema.table is checked on
# its own, and the limit is in bytes, not characters.
. "$(dirname "$0")/../lib/common.sh"
. "$ROOT/tests/lib/pg.sh"
newdb sluice_names

# n63: 63 bytes, the longest name; n70 cuts to n63 on the server.
n63=$($PY -c 'print("t" * 63)')
n70=${n63}seventy
c63=$($PY -c 'print("c" * 63)')
c70=${c63}seventy
e62=$($PY -c 'print("é" * 31)')	# 62 bytes, 31 characters
e64=$($PY -c 'print("é" * 32)')	# 64 bytes, 32 characters
LIMIT="PostgreSQL's names are at most 63 bytes"

q "create table $n63 (id int primary key, $c63 text, \"$e62\" text);
   insert into $n63 values (1, 'one', 'un');
   create schema $n63;
   create table $n63.$n63 (id int primary key, $c63 text);
   insert into $n63.$n63 values (7, 'seven')"
count() { q "select (select count(*) from public.$n63), (select count(*) from $n63.$n63)"; }
count >"$T/before"
unchanged() {
	if count | diff "$T/before" - >"$T/diff"; then
		ok "$1: the tables are unchanged"
	else
		notok "$1: the tables changed"
		indent "$T/diff"
	fi
}

# --- extract ------------------------------------------------------------
PROG=extract
t 0 "-d $DB -t $n63 --quiet" "true" - ""
t 0 "-d $DB -t $n63.$n63 -c id,$c63 --quiet" "true" - ""
check "extract: 63-byte schema and table (127 bytes in all) read the schema's table" \
    sh -c "'$BIN/rowcat' -q --json '$T/out' | grep -q '\"id\":7'"
t 2 "-d $DB -t $n70" "true" - "\"$n70\": a name of 70 bytes; $LIMIT"
t 2 "-d $DB -t '\"$n70\"'" "true" - "a name of 70 bytes"
t 2 "-d $DB -t $n70.$n63" "true" - "a name of 70 bytes"
t 2 "-d $DB -t $n63.$n70" "true" - "a name of 70 bytes"
t 2 "-d $DB -t $n63 -t $n70" "true" - "a name of 70 bytes"
check "extract: a refused name writes nothing" test ! -s "$T/out"
t 2 "-d $DB -t $n63 -c id,$c70" "true" - "a name of 70 bytes"
t 2 "-d $DB -Q 'select 1 as id' -c $c70" "true" - "a name of 70 bytes"
t 2 "-d $DB -t $n63 --shard 0/2 --key $c70" "true" - "a name of 70 bytes"
t 0 "-d $DB -t $n63 -c '$e62' --quiet" "true" - ""
t 2 "-d $DB -t $n63 -c '$e64'" "true" - "a name of 64 bytes"
t 2 "-d $DB -t $n70 -o $T/x.rs" "true" - "a name of 70 bytes"
check "extract -o: a refused name leaves no file" test ! -e "$T/x.rs"

# --- load -----------------------------------------------------------------
PROG=load
# a stream into the n63 table with table name TABLE, column COL
stream() {
	cat >"$T/s.json" <<EOF
{"table": "$1", "columns": [["id", "int4"], ["$2", "text"]], "key": ["id"],
 "rows": [[2, "two"]]}
EOF
	mk "$T/s.json"
}
t 0 "-d $DB -q -n" "stream $n63 $c63" - ""
t 2 "-d $DB -t $n70" "stream $n63 $c63" - "a name of 70 bytes; $LIMIT"
t 2 "-d $DB -t $n63.$n70" "stream $n63 $c63" - "a name of 70 bytes"
t 2 "-d $DB" "stream $n70 $c63" - "\"$n70\": a name of 70 bytes"
unchanged "load: a header's 70-byte table name"
t 2 "-d $DB" "stream $n63 $c70" - "\"$c70\": a name of 70 bytes"
t 2 "-d $DB --ignore-extra" "stream $n63 $c70" - "a name of 70 bytes"
unchanged "load --ignore-extra: a header's 70-byte column"
t 2 "-d $DB" "stream $n63 $e64" - "a name of 64 bytes"
t 2 "-d $DB -m upsert -k $c70" "stream $n63 $c63" - "a name of 70 bytes"
t 2 "-d $DB -m upsert -k id,$c70" "stream $n63 $c63" - "a name of 70 bytes"
unchanged "load: refused names"
# the second segment's table is too long: the first is rolled back
t 2 "-d $DB" "{ stream $n63 $c63; stream $n70 $c63; }" - "a name of 70 bytes"
unchanged "load: a 70-byte name in the second segment"

# --- verify ---------------------------------------------------------------
PROG=verify
"$BIN/extract" --quiet -d "$DB" -t "$n63" -c "id,$c63" >"$T/v.rs"
t 0 "-d $DB -t $n63 -q" "cat $T/v.rs" - ""
t 2 "-d $DB -t $n70" "cat $T/v.rs" - "a name of 70 bytes; $LIMIT"
t 2 "-d $DB -t $n63 -k $c70" "cat $T/v.rs" - "a name of 70 bytes"
t 2 "-d $DB -t $n63" "stream $n63 $c70" - "a name of 70 bytes"
t 2 "-d $DB" "stream $n70 $c63" - "a name of 70 bytes"
