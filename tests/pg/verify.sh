#!/bin/sh
# verify against PostgreSQL: a stream from extract compared with tables
# that hold the same rows, fewer, more, changed, twice, in another order;
# rejects that add up; database errors; and a whole pipeline (extract |
# remap | split-name) against a migrated target, before and after an edit.
. "$(dirname "$0")/../lib/common.sh"
. "$ROOT/tests/lib/pg.sh"

newdb verify_pg
X() { "$BIN/extract" -d verify_pg --quiet "$@"; }
V() { "$BIN/verify" -d verify_pg -q "$@"; }

q "create table s (id int8 primary key, name text, amount numeric(10,2),
	at timestamptz, note text, score float8, photo bytea, flag bool);
    insert into s select g, 'name ' || g || ' ✓', g * 1.25,
	'2020-01-01 00:00:00+00'::timestamptz + g * interval '1 hour 1.5 s',
	case when g % 3 = 0 then null when g % 3 = 1 then '' else 'x' end,
	g / 7.0, decode(lpad(to_hex(g), 4, '0'), 'hex'), g % 2 = 0
    from generate_series(1, 300) g;
    create table e (like s)"
for c in same order del ins name amount at note dup rj pipe; do
	q "create table t_$c (like s)"
done
q "insert into t_same select * from s;
   insert into t_order select * from s order by random();
   insert into t_del select * from s where id <> 5;
   insert into t_ins select * from s; insert into t_ins values (1000, 'new');
   insert into t_name select * from s; update t_name set name = 'Ada' where id = 7;
   insert into t_amount select * from s; update t_amount set amount = amount + 0.01 where id = 8;
   insert into t_at select * from s; update t_at set at = at + interval '1 microsecond' where id = 9;
   insert into t_note select * from s; update t_note set note = null where id = 10;
   insert into t_dup select * from s; insert into t_dup select * from s where id = 3;
   insert into t_rj select * from s where id not in (2, 3)"
X -t s >"$T/s.rs" || notok "extract -t s"
X -t e >"$T/e.rs" || notok "extract -t e"

# vt NAME STATUS ARGS [PATTERN...]: verify $T/s.rs against a table; the
# exit status must be STATUS and stdout hold every PATTERN (a line).
vt() {
	name=$1 want=$2 args=$3
	shift 3
	eval "V $args" <"${IN:-$T/s.rs}" >"$T/out" 2>"$T/err"
	got=$?
	if [ "$got" -ne "$want" ]; then
		notok "$name: exit status $got, wanted $want"
		indent "$T/out" "$T/err"
		return
	fi
	for p in "$@"; do
		if ! grep -qx -- "$p" "$T/out" "$T/err"; then
			notok "$name: no line \"$p\""
			indent "$T/out" "$T/err"
			return
		fi
	done
	ok "$name"
}

vt "equal table passes" 0 "-t t_same" \
    "t_same *300 *300 *0 *0 *0 *- *100.00% *yes"
vt "equal table passes with --key" 0 "-t t_same -k id" \
    "t_same *300 *300 *0 *0 *0 *0 *100.00% *yes"
vt "order does not matter" 0 "-t t_order"
vt "order does not matter with --key" 0 "-t t_order -k id"
vt "a deleted row fails" 1 "-t t_del" "t_del *300 *299 *0 *1 *0 *- *99.67% *no"
vt "a deleted row is named" 1 "-t t_del --key id" "t_del: missing id=5"
vt "an inserted row fails" 1 "-t t_ins" "t_ins *300 *301 *0 *0 *1 *- *100.00% *no"
vt "an inserted row is named" 1 "-t t_ins -k id" "t_ins: extra id=1000"
vt "a changed text fails" 1 "-t t_name" "t_name *300 *300 *0 *0 *0 *- *100.00% *no"
vt "a changed text is named" 1 "-t t_name -k id" "t_name: changed id=7: name"
vt "a changed numeric is named" 1 "-t t_amount -k id" "t_amount: changed id=8: amount"
vt "a changed timestamp is named" 1 "-t t_at -k id" "t_at: changed id=9: at"
vt "NULL for an empty string is named" 1 "-t t_note -k id" "t_note: changed id=10: note"
vt "a row loaded twice fails" 1 "-t t_dup" "t_dup *300 *301 *0 *0 *1 *- *100.00% *no"
vt "a row loaded twice is named" 1 "-t t_dup -k id" "t_dup: extra id=3"
IN=$T/e.rs vt "an empty table and an empty stream pass" 0 "-t e" \
    "e *0 *0 *0 *0 *0 *- *100.00% *yes"
IN=$T/e.rs vt "an empty stream against a full table fails" 1 "-t t_same -k id" \
    "t_same: extra id=1" "t_same: extra: 280 more"
IN=$T/s.rs vt "a full stream against an empty table names 20" 1 "-t e -k id" \
    "e: missing: 280 more"
vt "-m limits the keys named" 1 "-t e -k id -m 2" "e: missing id=[0-9]*" \
    "e: missing: 298 more"

# The segment's own table when there is no -t; shards add up.
X -t s -t e >"$T/se.rs"
IN=$T/se.rs vt "each segment against its own table" 0 "-k id" \
    "s *300 *300 .*yes" "e *0 *0 .*yes" "total *300 *300 .*yes"
IN=$T/se.rs vt "each segment against its own table, without a key" 0 "" \
    "s *300 *300 .*yes" "e *0 *0 .*yes" "total *300 *300 .*yes"
X -t t_order -t t_del >"$T/od.rs"
IN=$T/od.rs vt "two tables, one report line each" 0 "" \
    "t_order *300 *300 .*yes" "t_del *299 *299 .*yes" "total *599 *599 .*yes"
IN=$T/od.rs vt "two tables against one with -t add up" 1 "-t t_same -k id" \
    "t_same *599 *300 *0 *299 *0 *0 *50.08% *no" "t_same: missing: 279 more"
{ X -t s --shard 0/2 --key id; X -t s --shard 1/2 --key id; } >"$T/shards.rs"
IN=$T/shards.rs vt "shards add up" 0 "-t t_order" "t_order *300 *300 .*yes"

# Rejected rows count as accounted for: source = target + rejected.
X -Q "select *, 'value too long'::text as _error from s where id in (2, 3)" \
    --name s >"$T/rj.rs"
vt "rejects add up" 0 "-t t_rj -r '$T/rj.rs'" \
    "t_rj *300 *298 *2 *0 *0 *- *100.00% *yes" "t_rj: rejected 2: value too long"
vt "rejects add up with --key" 0 "-t t_rj -k id -r '$T/rj.rs'" \
    "t_rj *300 *298 *2 *0 *0 *0 *100.00% *yes"
vt "rejects do not cover a deleted row" 1 "-t t_del -k id -r '$T/rj.rs'" \
    "t_del: missing id=5"
V -t t_rj -k id -r "$T/rj.rs" --json <"$T/s.rs" >"$T/json" 2>"$T/err"
if $PY -m json.tool "$T/json" >/dev/null 2>&1 && $PY -c '
import json, sys
t = json.load(open(sys.argv[1]))["tables"][0]
assert t["source_rows"] == t["target_rows"] + t["rejected"] == 300, t
assert t["match"] and t["rejected_by_reason"] == [{"reason": "value too long", "rows": 2}], t
' "$T/json" 2>>"$T/err"; then
	ok "--json parses and adds up"
else
	notok "--json parses and adds up"
	indent "$T/json" "$T/err"
fi
V -t t_at -k id --json <"$T/s.rs" >"$T/json" 2>"$T/err"
if $PY -c '
import json, sys
t = json.load(open(sys.argv[1]))["tables"][0]
assert t["keys"]["changed"] == [{"key": {"id": 9}, "columns": ["at"]}], t
' "$T/json" 2>>"$T/err"; then
	ok "--json names the changed key and column"
else
	notok "--json names the changed key and column"
	indent "$T/json" "$T/err"
fi

# Errors: the database's (4), the stream's (3).
vt "a table that is not there is a database error" 4 "-t nosuch" \
    'verify: nosuch: .*does not exist.*'
X -Q "select id, 1 as nosuchcol from s" --name s >"$T/nc.rs"
IN=$T/nc.rs vt "a stream column the table lacks is a database error" 4 "-t t_same"
"$BIN/verify" -q -d "host=/nonexistent/dir" -t s <"$T/s.rs" >/dev/null 2>"$T/err"
[ $? -eq 4 ] && grep -q "could not connect" "$T/err" &&
    ok "an unreachable server is a database error" ||
    { notok "an unreachable server is a database error"; indent "$T/err"; }
head -c 2000 "$T/s.rs" >"$T/trunc.rs"
IN=$T/trunc.rs vt "a truncated stream is caught" 3 "-t t_same" ".*truncated stream.*"
IN=$T/trunc.rs vt "a truncated stream is caught with --key" 3 "-t t_same -k id" \
    ".*truncated stream.*"

# Header types reach SQL only as the catalogue spells them: a type that
# is SQL text is refused, naming it, and never reads another table; an
# enum whose name is that text is compared as the enum it is; bit(3) is
# cast to bit, not to the bit(1) that "::bit" means.
q 'create table secret (id int4); insert into secret values (42);
   create table t_inj (x int4)'
cat >"$T/inj.json" <<'EOF'
{"table": "t_inj", "columns": [["id", "int4 FROM \"secret\" UNION ALL SELECT \"x\""]],
 "rows": [["42"]]}
EOF
mk "$T/inj.json" >"$T/inj.rs" || notok "mkstream: a hostile type"
IN=$T/inj.rs vt "a header type that is SQL is refused, naming it" 4 "-t t_inj" \
    'verify: t_inj: column "id": type "int4 FROM "secret" UNION ALL SELECT "x"": syntax error at or near "FROM"'
if grep -q -e 42 -e yes "$T/out"; then
	notok "a header type that is SQL reads no other table"
	indent "$T/out"
else
	ok "a header type that is SQL reads no other table"
fi
IN=$T/inj.rs vt "a header type that is SQL is refused with --key" 4 "-t t_inj -k id" \
    'verify: t_inj: column "id": type .*syntax error.*'
enum='"int4 FROM ""secret"" UNION ALL SELECT ""x"""'
q "create type $enum as enum ('a', 'b');
   create table t_enum (id $enum); insert into t_enum values ('a'), ('b');
   create table t_enum2 (like t_enum); insert into t_enum2 values ('a')"
X -t t_enum >"$T/enum.rs" || notok "extract -t t_enum"
IN=$T/enum.rs vt "an enum named like SQL is compared as the enum" 0 "-t t_enum" \
    "t_enum *2 *2 .*yes"
IN=$T/enum.rs vt "an enum named like SQL: a missing row is found" 1 "-t t_enum2 -k id" \
    "t_enum2: missing id=b"
q "create table t_bit (id int4, b bit(3), c char(3));
   insert into t_bit values (1, B'101', 'ab')"
X -t t_bit >"$T/bit.rs" || notok "extract -t t_bit"
IN=$T/bit.rs vt "bit(3) and char(3) are compared whole" 0 "-t t_bit" \
    "t_bit *1 *1 .*yes"
q "update t_bit set b = B'100'"
IN=$T/bit.rs vt "bit(3): a changed last bit is found" 1 "-t t_bit -k id" \
    "t_bit: changed id=1: b"

# Through the pipeline: does the target hold what extract | remap |
# split-name makes of the source now? The target is loaded from the
# pipeline's own output (through psql, so that load is not needed here).
NS=6ba7b810-9dad-11d1-80b4-00c04fd430c8
q "create table students (id bigserial primary key, full_name text not null,
	email text);
    insert into students (full_name, email) values ('Ada Lovelace', 'ada@x'),
	('Dr. Grace Brewster Murray Hopper', null), ('van der Berg, Anna', ''),
	('Kurt Gödel', 'kurt@y');
    create table users (id uuid primary key, email text, first_name text,
	middle_name text, last_name text, old_id bigint not null unique)"
pipeline() {
	"$BIN/extract" -d verify_pg --quiet -t students |
	    "$BIN/remap" -q --assign id=uuid5:$NS --keep-old old_id |
	    "$BIN/split-name" -q -c full_name
}
if [ ! -x "$BIN/remap" ] || [ ! -x "$BIN/split-name" ]; then
	notok "pipeline: $BIN/remap and $BIN/split-name are needed (merge them)"
	notok "pipeline: an edited target row is named"
else
	pipeline >"$T/p.rs" 2>"$T/err" || { notok "pipeline runs"; indent "$T/err"; }
	cols=$("$BIN/rowcat" -q --csv "$T/p.rs" | head -n 1)
	"$BIN/rowcat" -q --csv "$T/p.rs" |
	    psql -Xq -d verify_pg -c "\\copy users ($cols) from stdin csv header" ||
	    notok "pipeline: load the target through psql"
	pipeline 2>"$T/err" | V -t users -k id >"$T/out" 2>>"$T/err"
	if [ $? -eq 0 ]; then
		ok "pipeline: the migrated target passes"
	else
		notok "pipeline: the migrated target passes"
		indent "$T/out" "$T/err"
	fi
	q "update users set last_name = 'Byron' where old_id = 1"
	id=$(q "select id from users where old_id = 1")
	pipeline 2>"$T/err" | V -t users -k id >"$T/out" 2>>"$T/err"
	if [ $? -eq 1 ] && grep -qx "users: changed id=$id: last_name (old_id=1)" "$T/out"; then
		ok "pipeline: an edited target row is named, with its old key"
	else
		notok "pipeline: an edited target row is named, with its old key"
		indent "$T/out" "$T/err"
	fi
fi

# Two tables in one stream, each by its own key (--key TABLE=COLS,
# repeatable): in table mode each is indexed and rescanned on its own,
# and a table with no key of its own is compared by counts and hashes.
q "create table vk_a (code text primary key, n int8);
   create table vk_b (x int8, y int8, note text, primary key (x, y));
   insert into vk_a values ('a1', 1), ('a2', 2);
   insert into vk_b values (1, 1, 'p'), (1, 2, 'q')"
X -t vk_a -t vk_b >"$T/vk.rs" || notok "extract -t vk_a -t vk_b"
q "update vk_a set n = 20 where code = 'a2'; update vk_b set note = 'Q' where y = 2"
IN=$T/vk.rs vt "--key per table: each table's changed key named" 1 \
    "-k vk_a=code -k vk_b=x,y" "vk_a: changed code=a2: n" \
    "vk_b: changed x=1, y=2: note"
IN=$T/vk.rs vt "--key per table and --key for the rest" 1 \
    "-k vk_b=x,y --key code" "vk_a: changed code=a2: n" \
    "vk_b: changed x=1, y=2: note"
IN=$T/vk.rs vt "--key for one table only: the other by counts and hashes" 1 \
    "-k vk_b=x,y" "vk_b: changed x=1, y=2: note" \
    "vk_a *2 *2 *0 *0 *0 *- *100.00% *no"
q "update vk_a set n = 2 where code = 'a2'; update vk_b set note = 'q' where y = 2"
IN=$T/vk.rs vt "--key per table: both pass again" 0 "-k vk_a=code -k vk_b=x,y" \
    "total *4 *4 *0 *0 *0 *0 *100.00% *yes"

# --ignore COL: a column a re-run makes anew (a generated password hash)
# is compared on neither side; every other column still is, and a key
# column cannot be ignored.
q "create table vi (id int8 primary key, name text, pw text);
   insert into vi values (1, 'a', 'h1'), (2, 'b', 'h2')"
X -t vi >"$T/vi.rs" || notok "extract -t vi"
q "update vi set pw = 'rehashed'"
IN=$T/vi.rs vt "--ignore pw: a changed password hash is not a difference" 0 \
    "--ignore pw -k id" "total *2 *2 *0 *0 *0 *0 *100.00% *yes"
IN=$T/vi.rs vt "without --ignore the same table differs" 1 "-k id" "vi: changed id=1: pw"
q "update vi set name = 'B' where id = 2"
IN=$T/vi.rs vt "--ignore pw: a changed name is still found" 1 "--ignore pw -k id" \
    "vi: changed id=2: name"
IN=$T/vi.rs vt "--ignore of a key column is a usage error" 2 "--ignore id -k id" \
    ".*a key column is always compared"

# The differences name the old key too where the stream has a tracking
# column (old_id, or the one old_*_id), or --old-key names it: a person
# looks the row up in the old system by it.
q "create table vo (id uuid primary key, old_course_id int8, title text);
   insert into vo values ('00000000-0000-4000-8000-000000000001', 11, 'a'),
	('00000000-0000-4000-8000-000000000002', 12, 'b'),
	('00000000-0000-4000-8000-000000000003', 13, 'c');
   create table vo_t (like vo)"
X -t vo >"$T/vo.rs" || notok "extract -t vo"
q "insert into vo_t select * from vo where old_course_id <> 12;
   update vo_t set title = 'C' where old_course_id = 13;
   insert into vo_t values ('00000000-0000-4000-8000-000000000009', 19, 'z')"
IN=$T/vo.rs vt "old key: missing, extra and changed rows name old_course_id" 1 \
    "-t vo_t -k id" \
    "vo_t: missing id=00000000-0000-4000-8000-000000000002 (old_course_id=12)" \
    "vo_t: extra id=00000000-0000-4000-8000-000000000009 (old_course_id=19)" \
    "vo_t: changed id=00000000-0000-4000-8000-000000000003: title (old_course_id=13)"
IN=$T/vo.rs vt "old key: --old-key names another column" 1 \
    "-t vo_t -k id --old-key title" \
    "vo_t: missing id=00000000-0000-4000-8000-000000000002 (title=b)"
IN=$T/vo.rs vt "old key: none when the key is the old key" 1 \
    "-t vo_t -k old_course_id" "vo_t: missing old_course_id=12"
IN=$T/vo.rs vt "old key: --old-key of a column the table lacks" 2 \
    "-t vo_t -k id --old-key nosuch" \
    'verify: --old-key: table "vo" has no column "nosuch"'
V -t vo_t -k id --json <"$T/vo.rs" >"$T/json" 2>"$T/err"
if $PY -c '
import json, sys
t = json.load(open(sys.argv[1]))["tables"][0]
assert t["old_key"] == ["old_course_id"], t
assert t["old_keys"] == {"missing": [{"old_course_id": 12}],
    "extra": [{"old_course_id": 19}], "changed": [{"old_course_id": 13}]}, t
assert t["keys"]["missing"] == [{"id": "00000000-0000-4000-8000-000000000002"}], t
' "$T/json" 2>>"$T/err"; then
	ok "old key: --json has old_keys beside keys"
else
	notok "old key: --json has old_keys beside keys"
	indent "$T/json" "$T/err"
fi
