#!/bin/sh
# load's binary COPY (lib/pgx_binary.c) against a throwaway server: the
# same rows loaded in text and in binary give the same tables (every
# type encoded, their extremes, NULLs), and so do --rejects (a refused
# binary batch is split as a text one is, each bad row rejected with the
# same reason in either format), upsert, and a load that fails. auto
# takes binary for a table with a column that pays, only from a stream
# that promises the output form, never with a numeric, and goes on in
# text at a date the server reads but does not print; --copy-format.
. "$(dirname "$0")/../lib/common.sh"
. "$ROOT/tests/lib/pg.sh"
PROG=load

newdb binary_sh

# --- every type encoded, both ways --------------------------------------
q "create table x (u uuid, i2 int2, i4 int4, i8 int8, f4 float4, f8 float8,
    b bool, by bytea, t text, v varchar(10), c char(4), d date,
    ts timestamp, tz timestamptz);
   create table xt (like x); create table xb (like x)"
cat >"$T/x.json" <<'EOF2'
{"table": "x", "columns": [["u", "uuid"], ["i2", "int2"], ["i4", "int4"],
  ["i8", "int8"], ["f4", "float4"], ["f8", "float8"], ["b", "bool"],
  ["by", "bytea"], ["t", "text"], ["v", "varchar"], ["c", "bpchar"],
  ["d", "date"], ["ts", "timestamp"], ["tz", "timestamptz"]],
 "rows": [
  ["a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", 1, -2, 9007199254740993, 1.1,
   2.5, true, {"hex": "00ff5c"}, "h\u00e9llo\ttab\\ \n", "v", "ab",
   "2024-02-29", "2024-02-29 12:00:00.5", "2024-02-29 12:00:00.123456+05:30"],
  [null, null, null, null, null, null, null, null, null, null, null, null,
   null, null],
  ["{A0EEBC999C0B4EF8BB6D6BB9BD380A11}", -32768, 2147483647,
   -9223372036854775808, 3.4e38, -0.0, false, {"hex": ""}, "", "", "",
   "0044-03-15 BC", "infinity", "-infinity"],
  ["a0eebc999c0b4ef8bb6d6bb9bd380a11", 32767, -2147483648,
   9223372036854775807, {"float": "nan"}, {"float": "-inf"}, true,
   {"hex": "00"}, "x", "1234567890", "abcd", "5874897-12-31",
   "294276-12-31 23:59:59.999999", "4714-11-24 00:00:00+00 BC"],
  ["00000000-0000-0000-0000-000000000000", 0, 0, 0, 1e-40, 1e-300, false,
   {"hex": "ff"}, "\u2603", "w", "a", "4714-11-24 BC",
   "1970-01-01 00:00:00.000001", "1900-01-01 00:00:00+00:19:32"]]}
EOF2
mk "$T/x.json" >"$T/x.rs"
t 0 "-q -d $DB -t xt --copy-format text" "cat $T/x.rs" -
t 0 "-q -d $DB -t xb --copy-format binary" "cat $T/x.rs" -
if differ "$DB.xt" "$DB.xb" >"$T/diff" && [ "$(q "select count(*) from xb")" = 5 ]; then
	ok "every type encoded: the same table from text and from binary"
else
	notok "every type encoded: the tables differ"
	indent "$T/diff"
fi

# --- many rows, bad ones among them, with and without --rejects ---------
q "create table schools (id int primary key);
   insert into schools select generate_series(1, 10);
   create table r (id uuid primary key, n bigint, school_id int
    references schools, name text not null, age int check (age >= 0),
    email text unique, born date, seen timestamptz)"
# text into $DB.r, binary into $DB2.r: the same names in the messages
DB1=$DB
newdb binary_sh2
DB2=$DB
pg_dump -s -t schools -t r "$DB1" | psql -XAtq -v ON_ERROR_STOP=1 -d "$DB2" >/dev/null &&
    psql -XAtq -d "$DB2" -c "insert into schools select generate_series(1, 10)" ||
    notok "the second database"
DB=$DB1
# 20,000 rows; bad: a uuid the encoder refuses (row 3), not null (500),
# check (7000), unique (12000), foreign key (15001: no line named, the
# batch is split), a NUL in text (18000), a duplicate key (19000)
$PY - >"$T/r.json" <<'EOF2'
import json, uuid
rows = []
for i in range(1, 20001):
    u = str(uuid.UUID(int=i * 0x9e3779b97f4a7c15 % (1 << 128)))
    rows.append([u, i * 7919, 1 + i % 10, "name %d" % i, i % 90,
                 "u%d@x.org" % i, "%04d-%02d-%02d" % (1950 + i % 60, 1 + i % 12, 1 + i % 28),
                 "2020-01-01 %02d:%02d:%02d.%06d+00" % (i % 24, i % 60, i % 59, i)])
rows[2][0] = "not-a-uuid"
rows[499][3] = None
rows[6999][4] = -1
rows[11999][5] = "u100@x.org"
rows[15000][2] = 99
rows[17999][3] = "a\u0000b"
rows[18999][0] = rows[9][0]
print(json.dumps({"table": "r", "columns": [["id", "uuid"], ["n", "int8"],
    ["school_id", "int4"], ["name", "text"], ["age", "int4"],
    ["email", "text"], ["born", "date"], ["seen", "timestamptz"]],
    "rows": rows}))
EOF2
mk "$T/r.json" >"$T/r.rs"
reasons() {
	"$BIN/rowcat" -q --json "$1" | $PY -c '
import json, sys
for l in sys.stdin:
    r = json.loads(l)
    print("%s|%s|%s" % (r["n"], r["id"], r["_error"]))' | sort -n
}
t 0 "-d $DB1 -b 1000 -r $T/rejt.rs --copy-format text" "cat $T/r.rs" - \
    "load: r: 20000 rows read, 19993 loaded, 7 rejected"
t 0 "-d $DB2 -b 1000 -r $T/rejb.rs" "cat $T/r.rs" - \
    "load: r: 20000 rows read, 19993 loaded, 7 rejected"
reasons "$T/rejt.rs" >"$T/reasons.t"
reasons "$T/rejb.rs" >"$T/reasons.b"
if [ "$(wc -l <"$T/reasons.b")" = 7 ] && diff "$T/reasons.t" "$T/reasons.b" >"$T/diff" &&
    grep -q '^23757|not-a-uuid|invalid input syntax for type uuid: "not-a-uuid"$' "$T/reasons.b" &&
    grep -q '^142542000|.*|column "name": invalid byte sequence' "$T/reasons.b" &&
    grep -q '^118792919|.*|insert or update on table "r" violates foreign key' "$T/reasons.b"; then
	ok "--rejects in binary: the same 7 rows rejected for the same reasons"
else
	notok "--rejects in binary: the rejects differ from text's"
	indent "$T/diff"
	indent "$T/reasons.b"
fi
if differ "$DB1.r" "$DB2.r" >"$T/diff" && [ "$(q "select count(*) from r")" = 19993 ]; then
	ok "--rejects in binary: the same rows loaded as in text"
else
	notok "--rejects in binary: the tables differ"
	indent "$T/diff"
fi
# one bad row without --rejects: the load fails naming it, both ways
head_json() {
	$PY -c 'import json, sys
d = json.load(open(sys.argv[1])); d["rows"] = d["rows"][600:7000]
print(json.dumps(d))' "$T/r.json" | mk
}
q "truncate r"
psql -XAtq -d "$DB2" -c "truncate r"
t 1 "-d $DB1 --copy-format text" "head_json" - \
    'load: r: row 6400: new row for relation "r" violates check constraint "r_age_check"'
t 1 "-d $DB2" "head_json" - \
    'load: r: row 6400: new row for relation "r" violates check constraint "r_age_check"'
t 1 "-d $DB2" "cat $T/r.rs" - \
    'load: r: row 3: invalid input syntax for type uuid: "not-a-uuid"'
expect "a failed binary load leaves nothing" "0" "select count(*) from r"

# --- upsert: the staged COPY carries the row number ---------------------
t 0 "-q -d $DB1 -m upsert -k id -r $T/ut.rs --copy-format text" "cat $T/r.rs" -
t 0 "-q -d $DB2 -m upsert -k id -r $T/ub.rs" "cat $T/r.rs" -
t 0 "-q -d $DB2 -m upsert -k id -r $T/ub.rs" "cat $T/r.rs" -
if differ "$DB1.r" "$DB2.r" >"$T/diff" && [ "$(q "select count(*) from r")" = 19993 ]; then
	ok "upsert in binary, twice: the same table as in text"
else
	notok "upsert in binary: the tables differ"
	indent "$T/diff"
fi

# --- auto: a value the encoder cannot write, the rest in text -----------
# extract --csv passes the CSV's text through: a date the server reads
# but does not print (1999-1-5, then Jan 5 2024) amid 20,000 rows. Such
# a stream loaded before binary COPY; auto ends the binary COPY (or
# batch) there and goes on in text, saying so once, losing no row.
q "create table cb (id uuid primary key, n int4, born date)"
for tb in cbt cba cbq cbr cbk cbkr cbu cbur cbb cbd; do
	q "create table $tb (like cb including all)"
done
$PY - >"$T/cb.csv" <<'EOF2'
import uuid
print("id,n,born")
for i in range(1, 20001):
    born = "%04d-%02d-%02d" % (1950 + i % 60, 1 + i % 12, 1 + i % 28)
    if i == 10500:
        born = "1999-1-5"
    if i == 15000:
        born = "Jan 5 2024"
    print("%s,%d,%s" % (uuid.UUID(int=i * 0x9e3779b97f4a7c15 % (1 << 128)), i, born))
EOF2
"$BIN/extract" -q --csv "$T/cb.csv" --header --types id:uuid,n:int4,born:date \
    --name cb >"$T/cb.rs" || notok "extract --csv the dates"
t 0 "-q -d $DB -t cbt --copy-format text" "cat $T/cb.rs" -
expect "--copy-format text: the server reads every date" "20000|1999-01-05|2024-01-05" \
    "select count(*), (select born from cbt where n = 10500),
     (select born from cbt where n = 15000) from cbt"
# fell TABLE ARGS: auto loads the stream into TABLE, the same table as
# text's, and says it goes on in text once
fell() {
	tb=$1
	shift
	t 0 "-d $DB -t $tb $*" "cat $T/cb.rs" - \
	    "load: $tb: born=\"1999-1-5\" is not in PostgreSQL's output form; loading the rest of the table in text format"
	said=$(grep -c "loading the rest of the table in text format" "$T/err")
	if [ "$said" = 1 ] && grep -q "20000 rows read, 20000 loaded" "$T/err" &&
	    differ "$DB.cbt" "$DB.$tb" >"$T/diff"; then
		ok "auto $*: every row, the table text gives, said once"
	else
		notok "auto $*: said $said times, or the tables differ"
		indent "$T/err"
		indent "$T/diff"
	fi
}
fell cba
fell cbr "-b 1000 -r $T/cbr.rs"
fell cbk "--bulk -m truncate"
fell cbkr "--bulk -b 1000 -r $T/cbkr.rs"
fell cbu "-m upsert -k id"
fell cbur "-m upsert -k id -b 1000 -r $T/cbur.rs"
t 0 "-q -d $DB -t cbq" "cat $T/cb.rs" -
if [ ! -s "$T/err" ] && differ "$DB.cbt" "$DB.cbq" >"$T/diff"; then
	ok "auto -q: the rest in text, nothing said"
else
	notok "auto -q: something said, or the tables differ"
	indent "$T/err"
fi
t 1 "-d $DB -t cbb --copy-format binary" "cat $T/cb.rs" - \
    'load: cbb: row 10500: column "born": "1999-1-5" is not in the output form of date (docs/rowstream.md); load --copy-format text lets the server read it'
t 0 "-d $DB -t cbb --copy-format binary -b 1000 -r $T/cbb.rs" "cat $T/cb.rs" - \
    "load: cbb: 20000 rows read, 19998 loaded, 2 rejected"
expect "--copy-format binary: the two dates rejected, not loaded" "19998" \
    "select count(*) from cbb"
# a row the server refuses after the switch is named by its row in the
# stream, not its line in the text COPY
awk -F, -v OFS=, 'NR == 2 { id = $1 } NR == 12001 { $1 = id } { print }' \
    "$T/cb.csv" >"$T/dup.csv"
for f in text auto; do
	t 1 "-d $DB -t cbd --copy-format $f" \
	    "$BIN/extract -q --csv $T/dup.csv --header --types id:uuid,n:int4,born:date" - \
	    'load: cbd: row 12000: duplicate key value violates unique constraint "cbd_pkey"'
done
# a value the server refuses too is no reason to go on in text
printf 'id,n,born\n%s,1,2024-01-01\nnot-a-uuid,2,2024-01-02\n' \
    a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11 >"$T/bad.csv"
t 1 "-d $DB -t cba" \
    "$BIN/extract -q --csv $T/bad.csv --header --types id:uuid,n:int4,born:date" - \
    'load: cba: row 2: invalid input syntax for type uuid: "not-a-uuid"'
if grep -q "text format" "$T/err"; then
	notok "auto: a bad uuid sent the table to text"
	indent "$T/err"
else
	ok "auto: a bad uuid is refused, in binary"
fi

# --- which format, and the option ---------------------------------------
# a date not in the output form: binary refuses it, the server reads it
q "create table d1 (id uuid, d date); create table d2 (id int, d date)"
cat >"$T/d.json" <<'EOF2'
{"table": "d1", "columns": [["id", "uuid"], ["d", "date"]],
 "rows": [["a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "Jan 5 2024"]]}
EOF2
mk "$T/d.json" >"$T/d.rs"
t 1 "-d $DB --copy-format binary" "cat $T/d.rs" - \
    'load: d1: row 1: column "d": "Jan 5 2024" is not in the output form of date (docs/rowstream.md); load --copy-format text lets the server read it'
t 0 "-q -d $DB --copy-format text" "cat $T/d.rs" -
expect "--copy-format text: the server reads the date" "2024-01-05" "select d from d1"
sed 's/"uuid"\]/"text"]/; s/\["id", "text"\], \["d", "date"\]/["id", "uuid"], ["d", "text"]/' "$T/d.json" |
    mk >"$T/dtext.rs"
t 0 "-q -d $DB" "cat $T/dtext.rs" -
expect "auto: a date the stream calls text goes in text" "2" "select count(*) from d1"
cat >"$T/d2.json" <<'EOF2'
{"table": "d2", "columns": [["id", "int4"], ["d", "date"]],
 "rows": [[1, "Jan 5 2024"]]}
EOF2
# a date column alone pays (bench/copyfmt.sh: 0.67x); a table of no
# column that pays goes in text, which no load can tell from binary (the
# same rows, the same messages): the unit test checks that choice
t 1 "-d $DB --copy-format binary" "mk $T/d2.json" - \
    'column "d": "Jan 5 2024" is not in the output form of date'
t 0 "-q -d $DB --copy-format text" "mk $T/d2.json" -
expect "--copy-format text: the table with a date" "2024-01-05" "select d from d2"
q "create table num (id uuid, n numeric)"
cat >"$T/n.json" <<'EOF2'
{"table": "num", "columns": [["id", "uuid"], ["n", "numeric"]],
 "rows": [["a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "1.50"]]}
EOF2
t 4 "-d $DB --copy-format binary" "mk $T/n.json" - \
    "load: num: --copy-format binary: a column of a type load does not encode in binary"
t 0 "-q -d $DB" "mk $T/n.json" -
expect "auto: a numeric column makes the table text" "1.50" "select n from num"
t 2 "-d $DB --copy-format csv" "mk $T/n.json" - \
    '--copy-format: "csv" is not text, binary or auto'
