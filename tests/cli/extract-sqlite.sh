#!/bin/sh
# extract --sqlite: SQLite files read through libsqlite3 (no PostgreSQL
# needed). The databases are made here with python3's sqlite3 module;
# streams are shown with rowcat --json or --schema and compared with
# the expected text inline in the table.
. "$(dirname "$0")/../lib/common.sh"
E=$BIN/extract
cd "$T" || exit 1

# Every storage class, NULL apart from '', a blob with NUL bytes, the
# declared types a user writes (BOOLEAN, DATETIME, NUMERIC, none), a
# composite primary key, and names that need quoting.
$PY - <<'EOF' || { notok "cannot make the fixture databases"; exit 1; }
import sqlite3
c = sqlite3.connect("app.db")
c.executescript('''
create table kinds (id integer primary key, i int, r real, t text, b blob,
  n numeric, flag boolean, at datetime, x);
create table "odd ""name"".x" (a text, "we""ird" int, c, primary key ("we""ird", a));
create table "élèves" (id int primary key, nom varchar(20));
create table misfit (id integer primary key, i int, t text, f real,
  ok boolean, d blob, x);
''')
c.executemany("insert into kinds values (?, ?, ?, ?, ?, ?, ?, ?, ?)", [
  (1, 42, 1.5, "héllo", b"a\x00b", 3.25, 1, "2024-01-02 03:04:05", 7),
  (2, -9223372036854775808, 1e300, "", b"", 10, 0, None, 2.5),
  (3, None, None, None, None, None, None, None, b"xyz"),
  (4, 9223372036854775807, -0.5, 'a"b,c\nd', b"\x00\x00\xff",
   "1,5", "t", 1700000000, "text"),
])
c.execute("""insert into "odd ""name"".x" values ('a', 2, 'c'), ('b', 1, null)""")
c.execute("""insert into "élèves" values (1, 'Zoé')""")
c.executemany("insert into misfit values (?, ?, ?, ?, ?, ?, ?)", [
  (1, "ten", "fine", 1.0, 1, b"\x01", b"ok"),
  (2, 3, b"\xff\x00", "zz", 2, 5, b"\x00\xff"),
])
c.execute("create table badtext (i int)")
c.execute("insert into badtext values (cast(x'3100ff0a' as text))")
c.commit()
open("notdb.db", "wb").write(b"this is not a database " * 10)
open("empty.db", "wb").close()

# a file whose third page is overwritten: "malformed" half way
c = sqlite3.connect("corrupt.db")
c.execute("create table big (id integer primary key, s text)")
c.executemany("insert into big values (?, ?)", [(i, "x" * 200) for i in range(2000)])
c.commit()
c.close()
b = bytearray(open("corrupt.db", "rb").read())
ps = int.from_bytes(b[16:18], "big")
b[3 * ps:3 * ps + 200] = b"\xa5" * 200
open("corrupt.db", "wb").write(b)
EOF

# s STATUS ARGS EXPECTED [STDERR]
#
# Runs "extract --quiet --sqlite ARGS" in the scratch directory. With
# status 0 the stream, shown by rowcat --json (or by the rowcat options
# that EXPECTED starts with, as "--schema:..."), must equal EXPECTED;
# with any other status the stream must not look complete, and stderr
# must contain STDERR.
s() {
	want=$1 args=$2 expect=$3 pat=${4:-}
	name="extract --sqlite $args"
	eval "\"\$E\" -q --sqlite $args" >out 2>err
	judged "$name" "$want" $? "$expect" "$pat"
}

# status args                          expected
s 0 "app.db -t kinds" \
'{"id":1,"i":42,"r":1.5,"t":"héllo","b":"\\x610062","n":"3.25","flag":true,"at":"2024-01-02 03:04:05","x":"7"}
{"id":2,"i":-9223372036854775808,"r":1e+300,"t":"","b":"\\x","n":"10","flag":false,"at":null,"x":"2.5"}
{"id":3,"i":null,"r":null,"t":null,"b":null,"n":null,"flag":null,"at":null,"x":"xyz"}
{"id":4,"i":9223372036854775807,"r":-0.5,"t":"a\"b,c\nd","b":"\\x0000ff","n":"1,5","flag":true,"at":"1700000000","x":"text"}'
s 0 "app.db -t kinds" \
'--schema:kinds (segment 1 of out): 9 columns
  source: app.db
  key: id
  id    int8
  i     int8
  r     float8
  t     text
  b     bytea
  n     numeric
  flag  bool
  at    timestamp
  x     text
  4 rows, hash a4434238e3fb4bb1'
# a composite key in its declared order, names with quotes, dots, accents
s 0 "app.db -t 'odd \"name\".x' -t élèves" \
'{"a":"a","we\"ird":2,"c":"c"}
{"a":"b","we\"ird":1,"c":null}
{"id":1,"nom":"Zoé"}'
s 0 "app.db -t 'odd \"name\".x' -t élèves" \
'--schema:odd "name".x (segment 1 of out): 3 columns
  source: app.db
  key: we"ird a
  a       text
  we"ird  int8
  c       text
  2 rows, hash 3d89f10b6e133dab
élèves (segment 2 of out): 2 columns
  source: app.db
  key: id
  id   int8
  nom  text
  1 row, hash 4630b782a8cded28'
# -c keeps the key only when it keeps all of it; names match case-blind
s 0 "app.db -t 'odd \"name\".x' -c a,c --name odd" \
'--schema:odd (segment 1 of out): 2 columns
  source: app.db
  a  text
  c  text
  2 rows, hash b4b632e07baf93e2'
s 0 "app.db -t kinds -c T,ID -w 'id % 2 = 1'" \
'{"t":"héllo","id":1}
{"t":null,"id":3}'
# queries: a column keeps its table's declared type, an expression is text
s 0 "app.db -Q 'select id, b, count(*) over () as n from kinds where id < 3;'" \
'{"id":1,"b":"\\x610062","n":"2"}
{"id":2,"b":"\\x","n":"2"}'
s 0 "app.db --query 'select max(id) as top from kinds' --types top:int4 --name m" \
'{"top":4}'
s 0 "app.db -Q 'select id from kinds' -w 'id > 3'" \
'{"id":4}'
# without -c or -w a query runs as written: a PRAGMA too
s 0 "app.db -Q 'pragma table_info(élèves)'" \
'{"cid":"0","name":"id","type":"INT","notnull":"0","dflt_value":null,"pk":"1"}
{"cid":"1","name":"nom","type":"varchar(20)","notnull":"0","dflt_value":null,"pk":"0"}'
# a value that does not fit its column stops the segment; --types takes it
s 3 "app.db -t misfit" - \
  'app.db: misfit: row 1: column "i" (int8): the text "ten" does not fit; --types i:text takes the column as it is'
# the text quoted escaped, whole past its NUL
says 3 'extract: app.db: badtext: row 1: column "i" (int8): the text "1\0\xff\x0a" (not UTF-8, or a NUL byte) does not fit; --types i:text takes the column as it is' \
    '"$E" -q --sqlite app.db -t badtext >/dev/null'
s 3 "app.db -t misfit --types i:text" - \
  'app.db: misfit: row 2: column "t" (text): a blob of 2 bytes does not fit; --types t:bytea'
s 3 "app.db -t misfit --types i:text,t:bytea" - \
  'row 2: column "f" (float8): the text "zz" does not fit; --types f:text'
s 3 "app.db -t misfit --types i:text,t:bytea,f:text" - \
  'row 2: column "ok" (bool): the integer 2 does not fit; --types ok:int8'
s 3 "app.db -t misfit --types i:text,t:bytea,f:text,ok:int8" - \
  'row 2: column "d" (bytea): the integer 5 does not fit; --types d:int8'
s 3 "app.db -t misfit --types i:text,t:bytea,f:text,ok:int8,d:text" - \
  'row 2: column "x" (text): a blob of 2 bytes does not fit; --types x:bytea'
s 3 "app.db -t misfit --types i:int2,t:bytea,f:text,ok:int8,d:text" - \
  'row 1: column "i" (int2): the text "ten" does not fit'
s 3 "app.db -Q 'select 70000 as v' --types v:int2" - \
  'row 1: column "v" (int2): the integer 70000 does not fit; --types v:int8'
s 0 "app.db -t misfit --types i:text,t:bytea,f:text,ok:int8,d:text,x:bytea" \
'{"id":1,"i":"ten","t":"\\x66696e65","f":"1","ok":1,"d":"\u0001","x":"\\x6f6b"}
{"id":2,"i":"3","t":"\\xff00","f":"zz","ok":2,"d":"5","x":"\\x00ff"}'
s 2 "app.db -t misfit --types nope:int8" - '--types: no column "nope" in misfit'
# errors: what is wrong, and the exit status says where
s 5 "nope.db -t kinds" - "nope.db: No such file or directory"
s 5 ". -t kinds" - ".: Is a directory"
s 5 ":memory: -t kinds" - ":memory:: No such file or directory"
s 5 "'file:app.db?mode=ro' -t kinds" - "file:app.db?mode=ro: No such file or directory"
s 4 "notdb.db -t kinds" - "notdb.db: file is not a database"
s 4 "empty.db -t kinds" - "empty.db: no such table: kinds"
s 4 "app.db -t nope" - "app.db: no such table: nope"
s 4 "app.db -t kinds -t nope" - "app.db: no such table: nope"
s 4 "app.db -t kinds -c id,nope" - "app.db: no such column: nope"
s 4 "app.db -Q 'select \"nope\" from kinds'" - "app.db: no such column: nope"
s 4 "app.db -Q 'selec 1'" - 'app.db: near "selec": syntax error'
s 4 "corrupt.db -t big" - "corrupt.db: big: database disk image is malformed"
s 2 "app.db -Q 'select 1; select 2'" - "the query is more than one statement"
s 2 "app.db -Q 'delete from kinds'" - "the query must return rows (a SELECT) and change nothing"
s 2 "app.db -Q commit" - "the query must return rows"
s 2 "app.db -Q ' ; '" - "the query is empty"
s 2 "app.db -Q 'select 1 as a, 2 as a'" - 'column "a" appears twice'
s 2 "app.db -t kinds --shard 0/2 --key id" - "not for --sqlite"
s 2 "app.db -t kinds -d db" - "not for --sqlite"
s 2 "app.db -t kinds --csv x.csv" - "--csv and --sqlite do not go together"
s 2 "app.db" - "give one of -t, -Q and --csv"
s 2 "app.db -t kinds -Q 'select 1'" - "give one of -t, -Q and --csv"
s 2 "'' -t kinds" - "--sqlite: an empty file name"
s 2 "app.db -t kinds --busy-timeout soon" - "--busy-timeout: \"soon\" is not"

# A database another process holds with BEGIN EXCLUSIVE: after the busy
# timeout, exit 4 and a message that says so. The holder says "locked"
# once it has the lock and keeps it until its stdin closes.
mkfifo hold ready
$PY -c '
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("begin exclusive")
print("locked", flush=True)
sys.stdin.read()
' app.db <hold >ready &
holder=$!
exec 3>hold
read -r line <ready
if [ "$line" = locked ]; then
	s 4 "app.db -t kinds --busy-timeout 50" - \
	    "app.db: the database is locked by another process (gave up after 50 ms; --busy-timeout MS waits longer)"
else
	notok "extract --sqlite on a locked database: the holder did not lock"
fi
exec 3>&-
wait "$holder"
s 0 "app.db -Q 'select count(*) from kinds' --busy-timeout 50" '{"count(*)":"4"}'

# One snapshot for all tables: a row committed while extract is still
# writing the first table is not in the second. The first table is big
# enough (megabytes) that extract blocks on the full pipe; the commit
# happens after its first byte is out (WAL lets a writer commit beside
# a reader), so without the snapshot the second table would have 2 rows.
$PY - <<'EOF'
import sqlite3
c = sqlite3.connect("wal.db")
c.execute("pragma journal_mode=wal")
c.execute("create table a (id integer primary key, s text)")
c.execute("create table b (id integer primary key)")
c.executemany("insert into a values (?, ?)", [(i, "x" * 500) for i in range(10000)])
c.execute("insert into b values (1)")
c.commit()
EOF
mkfifo stream
"$E" --quiet --sqlite wal.db -t a -t b >stream 2>snap.err &
ex=$!
exec 4<stream
dd bs=1 count=1 <&4 >snap.rs 2>/dev/null
$PY -c '
import sqlite3
c = sqlite3.connect("wal.db")
c.execute("insert into b values (2)")
c.commit()
'
cat <&4 >>snap.rs
exec 4<&-
wait "$ex"
st=$?
"$BIN/rowcat" -q --json snap.rs 2>&1 | tail -n 1 >snap.got
if [ "$st" -eq 0 ] && [ "$(cat snap.got)" = '{"id":1}' ]; then
	ok "extract --sqlite -t a -t b: one snapshot for both"
else
	notok "extract --sqlite -t a -t b: one snapshot for both (status $st)"
	indent snap.got snap.err
fi

# Constant memory: 64 MB of blobs stream through one reused writer, so
# the peak resident size stays far below the table's. Only for the
# plain build: the sanitizers' allocator keeps pools of its own.
case $BIN in
*/asan/*) ;;
*)
	$PY -c '
import sqlite3
c = sqlite3.connect("big.db")
c.execute("create table big (id integer primary key, b blob)")
c.execute("with recursive n(i) as (select 1 union all select i + 1 from n"
          " where i < 16384) insert into big select i, randomblob(4096) from n")
c.commit()
'
	$PY -c '
import resource, subprocess, sys
r = subprocess.run([sys.argv[1], "--quiet", "--sqlite", "big.db", "-t", "big"],
                   stdout=subprocess.DEVNULL)
kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(r.returncode, kb)
sys.exit(0 if r.returncode == 0 and kb < 24 * 1024 else 1)
' "$E" >rss 2>&1
	if [ $? -eq 0 ]; then
		ok "extract --sqlite: 64 MB of blobs in constant memory ($(cut -d" " -f2 rss) kB peak)"
	else
		notok "extract --sqlite: 64 MB of blobs in constant memory (status, peak kB: $(cat rss))"
	fi
	;;
esac

# --help and the man page name the SQLite options
missing=
for o in sqlite busy-timeout types query; do
	"$E" --help | grep -q -- "--$o" || missing="$missing help:--$o"
	man=$(printf '%s' "--$o" | sed 's/-/\\-/g')	# roff: \-\-busy\-timeout
	grep -qF -- "$man" "$ROOT/docs/extract.1" || missing="$missing man:--$o"
done
grep -q '^\.SH SQLITE' "$ROOT/docs/extract.1" || missing="$missing man:SQLITE"
if [ -z "$missing" ]; then
	ok "extract --help and its man page name the SQLite options"
else
	notok "extract --help and its man page name the SQLite options:$missing"
fi
