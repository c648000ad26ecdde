#!/bin/sh
# load against a throwaway server: columns matched by name, defaults,
# extra columns, the three modes, several segments in one transaction,
# streams cut short or spoiled (exit 3, the tables as they were), load
# killed half way, dry runs, connection and table errors (exit 4), names
# that try to inject SQL, and every type through COPY text and back.
# The rejects are in rejects.sh.
. "$(dirname "$0")/../lib/common.sh"
. "$ROOT/tests/lib/pg.sh"
PROG=load

newdb load_sh
# people N [TABLE] [FIRST]: a stream of N people (id, name, email);
# pj the same as JSON, for mk's options.
pj() {
	$PY "$ROOT/tests/lib/load.py" people "$@"
}
people() {
	pj "$@" | mk
}
# state: what the tables hold, to show that a failed load changed nothing
state() {
	q "select 'people', count(*), coalesce(sum(id), 0) from people
	   union all select 'other', count(*), coalesce(sum(id), 0) from other"
}
# unchanged WHAT: the tables are as saved in $T/before
unchanged() {
	if state | diff "$T/before" - >"$T/diff"; then
		ok "$1: the tables are unchanged"
	else
		notok "$1: the tables changed"
		indent "$T/diff"
	fi
}

q "create table people (id bigint primary key, note text default 'dflt',
    email text, name text not null);
   create table other (id bigint primary key, name text, email text);
   create schema s; create table s.people (id int, name text, email text)"

# --- columns by name, defaults, extra columns ---------------------------
t 0 "-d $DB" "people 3" - "load: people: 3 rows read, 3 loaded, 0 rejected, "
expect "columns matched by name, whatever their order" \
    "1|dflt|p1@x.org|name 1" "select * from people where id = 1"
expect "table columns the stream lacks get their defaults" "3" \
    "select count(*) from people where note = 'dflt'"
t 0 "-d $DB -q" "people 2 people 10" - ""
if [ -s "$T/err" ]; then notok "-q: no summary"; indent "$T/err"; else ok "-q: no summary"; fi
q "truncate people"
state >"$T/before"
cat >"$T/extra.json" <<'EOF'
{"table": "people", "columns": [["id", "int8"], ["zz top", "text"], ["name", "text"], ["age", "int4"]],
 "rows": [[1, "x", "Ada", 36]]}
EOF
t 4 "-d $DB" "mk $T/extra.json" - 'people: the table has no column "zz top", "age"'
unchanged "extra columns refused"
# the stream's names quoted escaped; a bad header reported once
cat >"$T/extra2.json" <<'EOF'
{"table": "people", "columns": [["id", "int8"], ["name", "text"], ["tab\there", "text"]],
 "rows": [[1, "Ada", "x"]]}
EOF
says 4 'load: people: the table has no column "tab\x09here" (--ignore-extra leaves such columns out)' \
    'mk "$T/extra2.json" | "$BIN/load" -q -d "$DB"'
says 3 'load: stdin: byte 0: column "id" appears twice in "dup"' \
    'mk dupcols | "$BIN/load" -q -d "$DB"'
unchanged "bad names refused"
t 0 "-d $DB --ignore-extra" "mk $T/extra.json" - "1 loaded"
expect "--ignore-extra loads the other columns" "1|Ada|dflt" \
    "select id, name, note from people"
t 0 "-d $DB -t other" "people 2" - "load: other: 2 rows read, 2 loaded"
expect "-t overrides the header's table" "2" "select count(*) from other"
t 0 "-d $DB -t s.people" "people 2" - "load: s.people: 2 rows read"
expect "-t takes a schema-qualified name" "2" "select count(*) from s.people"
people 1 other 100 >"$T/p1.rs"
t 0 "-d dbname=$DB -t other $T/p1.rs" "true" - "1 loaded"
expect "a FILE argument and a keyword -d" "3" "select count(*) from other"

# --- every type through COPY text --------------------------------------
q "create type mood as enum ('sad', 'ok', 'happy');
   create domain posint as int check (value > 0);
   create table types (id int, i2 int2, i8 int8, f4 float4, f8 float8,
    b bool, s text, x bytea, n numeric, u uuid, ts timestamptz,
    iv interval, d date, j json, jb jsonb, ai int4[], at text[], m mood,
    dm posint);
   create table want (like types);
   insert into want values
   (1, -32768, -9223372036854775808, 1.5, -2.5e-300, true, '', '',
    123456789012345678901234567890.123, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
    '1999-12-31 23:59:59.999999+00', '1 year 2 mons 3 days 04:05:06.5',
    '2024-02-29', '{\"k\": [1, \"two\"]}', '{\"a\": null}', '{1,2,NULL}',
    array['a b', 'c,d', null, E'\\\\'], 'happy', 7),
   (2, 32767, 9223372036854775807, 'NaN', 'Infinity', false,
    E'tab\there\nnewline\rcr back\\\\slash \\\\N \\\\. end',
    '\\x000a0d095c00ff', 'NaN', null, 'infinity', '-00:00:01', 'infinity',
    '[]', '[1, 2]', '{{1,2},{3,4}}', '{}', 'sad', 1),
   (3, 0, 0, '-Infinity', 'NaN', null, E'\\\\N', null, '-Infinity', null,
    '-infinity', '0', '-infinity', 'null', '\"s\"', '{}', array[''], null, null),
   (4, null, null, null, '-Infinity', null, 'émoji 😀 and 数学', 'A',
    1e-20, null, '2000-02-29 12:00:00+05:30', '-1 days +02:03:00',
    '0001-01-01 BC', '1', '1', null, null, 'ok', null)"
t 0 "-d $DB" "mk load-types" - "types: 4 rows read, 4 loaded"
if differ "$DB.types" "$DB.want" >"$T/diff"; then
	ok "every type arrives as it was (COPY dumps equal)"
else
	notok "every type arrives as it was"
	indent "$T/diff"
fi

# --- streams cut short or spoiled load nothing -------------------------
q "truncate people, other; insert into people (id, name) values (1000, 'old')"
state >"$T/before"
people 100 >"$T/p100.rs"
size=$(wc -c <"$T/p100.rs")
{ people 50 other 1; people 100; } >"$T/two.rs"
for how in "--truncate $((size - 1))" "--truncate $((size / 2))" \
    --no-trailer --bad-count --bad-hash; do
	t 3 "-d $DB" "pj 100 | mk $how" - \
	    "none loaded (rolled back)"
	unchanged "a stream with $how"
done
t 3 "-d $DB" "head -c $(( $(wc -c <"$T/two.rs") - 3 )) $T/two.rs" - "rolled back"
unchanged "a second segment cut short: the first is not loaded either"
t 3 "-d $DB" "cat $T/p100.rs; printf 'garbage'" - ""
unchanged "garbage after a good segment"
t 3 "-d $DB" "printf 'this is not a row stream at all'" - ""
unchanged "garbage instead of a stream"
sh -c 'head -c $1 "$2"; kill -9 $$' sh $((size / 2)) "$T/p100.rs" |
    "$BIN/load" -d "$DB" 2>"$T/err"
st=$?
if [ $st -eq 3 ] && grep -q "rolled back" "$T/err"; then
	ok "a producer killed with -9 half way: exit 3"
else
	notok "a producer killed with -9 half way: exit $st"
	indent "$T/err"
fi
unchanged "a producer killed with -9 half way"
t 1 "-d $DB" "people 3 people 999" - "people: row 2: duplicate key value violates unique constraint \"people_pkey\""
unchanged "a refused row without --rejects (exit 1)"

# --- load killed with -9 half way --------------------------------------
# The stream comes through a fifo held open, so load waits for the rest
# with the COPY under way; once the server has rows, load is killed.
people 20000 >"$T/p20k.rs"
load_halfway "$T/p20k.rs"
load_killed
gone=$?
[ $gone = 0 ] && ok "kill -9 of load: the server ended its session" ||
    notok "kill -9 of load: its session is still there"
unchanged "kill -9 of load half way"

# --- several segments, one transaction ----------------------------------
q "truncate people, other"
t 0 "-d $DB" "people 3; people 4 other 10" - "load: people, other: 7 rows read, 7 loaded, 0 rejected"
expect "several segments go into their own tables" "3|4" \
    "select (select count(*) from people), (select count(*) from other)"
state >"$T/before"
t 4 "-d $DB" "people 3 people 100; people 2 nosuch" - "nosuch: no such table in database \"$DB\""
unchanged "a later segment's table is missing: the first is rolled back"
t 0 "-d $DB -t other" "people 2 x 500; people 2 y 600" - "load: other: 4 rows read, 4 loaded"
expect "-t sends every segment to one table" "8" "select count(*) from other"

# --- modes ---------------------------------------------------------------
t 0 "-d $DB -m truncate" "people 5 people 50" - "5 loaded"
expect "truncate: the old rows are gone" "5|260" "select count(*), sum(id) from people"
t 0 "-d $DB -m truncate -t other" "people 2 a 1; people 3 b 10" - "5 loaded"
expect "truncate: a table is emptied once, not per segment" "5" "select count(*) from other"
q "truncate people"
t 0 "-d $DB -m upsert" "people 10" - "10 loaded"
t 0 "-d $DB -m upsert" "people 10" - "10 loaded"
expect "upsert twice leaves one copy" "10" "select count(*) from people"
cat >"$T/up.json" <<'EOF'
{"table": "people", "columns": [["id", "int8"], ["name", "text"]],
 "rows": [[3, "first"], [11, "new"], [3, "second"], [3, "last"]]}
EOF
t 0 "-d $DB -m upsert -k id" "mk $T/up.json" - "4 loaded"
expect "upsert updates, inserts, and the last of a key wins" "11|last|p3@x.org|new" \
    "select (select count(*) from people), (select name from people where id = 3),
      (select email from people where id = 3), (select name from people where id = 11)"
t 2 "-d $DB -m upsert" "mk $T/up.json" - "needs --key COLS or a key in the stream's header"
t 2 "-d $DB -m upsert -k nope" "mk $T/up.json" - "key column \"nope\" is not among the columns loaded"
t 4 "-d $DB -m upsert -k name" "mk $T/up.json" - "there is no unique or exclusion constraint"
# --insert-only: set on insert, never on update (a generated password)
cat >"$T/io1.json" <<'EOF'
{"table": "people", "key": ["id"], "columns": [["id", "int8"], ["name", "text"], ["email", "text"]],
 "rows": [[3, "io-name", "io-first@x.org"], [12, "twelve", "twelve-first@x.org"]]}
EOF
cat >"$T/io2.json" <<'EOF'
{"table": "people", "key": ["id"], "columns": [["id", "int8"], ["name", "text"], ["email", "text"]],
 "rows": [[3, "io-again", "io-second@x.org"], [12, "twelve-again", "twelve-second@x.org"], [13, "thirteen", "13@x.org"]]}
EOF
t 0 "-d $DB -m upsert --insert-only email" "mk $T/io1.json" - "2 loaded"
t 0 "-d $DB -m upsert --insert-only email" "mk $T/io2.json" - "3 loaded"
expect "upsert --insert-only email: names updated, emails only where the row was new" \
    "io-again|p3@x.org|twelve-again|twelve-first@x.org|13@x.org" \
    "select (select name from people where id = 3), (select email from people where id = 3),
      (select name from people where id = 12), (select email from people where id = 12),
      (select email from people where id = 13)"
t 2 "-d $DB -m upsert --insert-only emial" "mk $T/io1.json" - '--insert-only: "emial" is no column of'
t 2 "-d $DB -m upsert --insert-only id" "mk $T/io1.json" - '--insert-only: "id" is a key column of'
t 2 "-d $DB -m append --insert-only email" "mk $T/io1.json" - "--insert-only is for --mode upsert"
expect "upsert's temporary tables are gone" "0" \
    "select count(*) from pg_class where relname like 'sluice_upsert%'"

# --- dry run -------------------------------------------------------------
state >"$T/before"
t 0 "-d $DB -n" "people 7 people 500" - "7 rows read, 7 loaded, 0 rejected"
unchanged "--dry-run"
t 0 "-d $DB --dry-run -m truncate" "people 7 people 500" - "(dry run: rolled back)"
unchanged "--dry-run -m truncate"
t 1 "-d $DB -n" "people 2 people 1" - "duplicate key value"
unchanged "--dry-run checks constraints"
q "create table parent (id int primary key);
   create table child (id int, p int references parent deferrable initially deferred)"
cat >"$T/child.json" <<'EOF'
{"table": "child", "columns": [["id", "int4"], ["p", "int4"]], "rows": [[1, 77]]}
EOF
t 1 "-d $DB -n" "mk $T/child.json" - "violates foreign key constraint"
expect "--dry-run checks deferred constraints" "0" "select count(*) from child"

# --- errors: connection, tables, names -----------------------------------
t 4 "-d 'host=127.0.0.1 port=1 connect_timeout=5' -t people" "people 1" - "load: could not connect:"
t 4 "-d $DB -t nosuch" "people 1" - "load: nosuch: no such table in database"
t 4 "-d nosuchdb" "people 1" - "could not connect"
q "create table x (id int); create table \"weird name\"\"; drop table x; --\" (id bigint, name text, email text);
   create table \"bare; drop table x; --\" (id bigint, name text, email text)"
t 2 "-d $DB -t '\"weird name\"; drop table x; --'" "people 1" - "bad table name"
t 0 "-d $DB -t '\"weird name\"\"; drop table x; --\"'" "people 1" - "1 loaded"
t 0 "-d $DB -t 'bare; drop table x; --'" "people 2" - "2 loaded"
t 0 "-d $DB" "people 3 'weird name\"; drop table x; --'" - "3 loaded"
expect "names are quoted: no injection" "1|4|2" \
    "select (select count(*) from pg_class where relname = 'x'),
     (select count(*) from \"weird name\"\"; drop table x; --\"),
     (select count(*) from \"bare; drop table x; --\")"
q "create table wc (\"a\"\"); drop table x; --\" int primary key)"
cat >"$T/weirdcol.json" <<'EOF'
{"table": "wc", "columns": [["a\"); drop table x; --", "int4"]], "rows": [[1]]}
EOF
t 0 "-d $DB -m upsert -k 'a\"); drop table x; --'" "mk $T/weirdcol.json" - "1 loaded"
expect "column names are quoted" "1|1" "select count(*), (select count(*) from pg_class where relname = 'x') from wc"

# --- usage ---------------------------------------------------------------
t 2 "-m sideways" "people 1" - '--mode: "sideways" is not append, truncate, upsert or insert-missing'
t 2 "--max-rejects 5" "people 1" - "--max-rejects needs --rejects FILE"
t 2 "-k id" "people 1" - "--key is for --mode upsert"
t 2 "-b 0" "people 1" - "--batch"
t 2 "--bogus" "people 1" - "usage: load"
t 0 "--help" "true" - ""
if grep -q -- "--max-rejects N" "$T/out"; then
	ok "--help names the options"
else
	notok "--help names the options"
fi
t 0 "--version" "true" - ""
