#!/bin/sh
# load --bulk against a throwaway server, into a constrained table (uuid
# primary key, unique old_id, two foreign keys, secondary indexes): the
# keys, indexes and foreign keys come back with the same definitions but
# are new (dropped and built again); rows that would break them go to the
# rejects file with the reasons load gives without --bulk; without
# --rejects such rows fail the load and nothing changes; a stream cut
# short, a dry run, a kill -9 of load leave the table and its
# constraints as they were (the same objects); a table that is not empty
# is loaded as without --bulk; upsert.
. "$(dirname "$0")/../lib/common.sh"
. "$ROOT/tests/lib/pg.sh"
PROG=load

newdb bulk_sh
SCHEMA="
create table parents (id uuid primary key, name text);
create table courses (id int primary key);
create table kids (id uuid primary key, old_id bigint not null unique,
    parent_id uuid references parents, course_id int references courses
    on delete cascade, name text, note text default 'dflt');
create index kids_name on kids (lower(name));
create index kids_course on kids (course_id) where course_id > 0;
create table pets (id int primary key, kid uuid not null references kids);
insert into parents select ('00000000-0000-4000-8000-' ||
    lpad(i::text, 12, '0'))::uuid, 'p' || i from generate_series(1, 50) i;
insert into courses select generate_series(1, 20);"
q "$SCHEMA"

# kids N [BAD...]: a stream of N kids; each BAD (orphan-parent,
# orphan-course, dup-id, dup-old, mixed) spoils one row near the end
cat >"$T/kids.py" <<'EOF'
import json, sys
n, bad = int(sys.argv[1]), sys.argv[2:]
def uid(p, i): return "%08d-0000-4000-8000-%012d" % (p, i)
rows = [[uid(1, i), i, uid(0, 1 + i % 50), 1 + i % 20, "kid\t%d" % i]
        for i in range(1, n + 1)]
for k, b in enumerate(bad):
    r = rows[n - 1 - k]
    if b == "orphan-parent": r[2] = uid(0, 999)
    if b == "orphan-course": r[3] = 77
    if b == "dup-id": r[0] = uid(1, 1)
    if b == "dup-old": r[1] = 2
print(json.dumps({"table": "kids", "key": ["id"], "columns": [["id", "uuid"],
    ["old_id", "int8"], ["parent_id", "uuid"], ["course_id", "int4"],
    ["name", "text"]], "rows": rows}))
EOF
kj() { $PY "$T/kids.py" "$@"; }
kids() { kj "$@" | mk; }

# defs: the definitions of kids' indexes and constraints, sorted;
# objs: the same with the objects' oids, which a rebuild changes
defs() {
	q "select 'index ' || indexrelid::regclass || ': ' ||
	    pg_get_indexdef(indexrelid) from pg_index
	    where indrelid = 'kids'::regclass
	   union all select 'constraint ' || conname || ': ' ||
	    pg_get_constraintdef(oid) from pg_constraint
	    where conrelid = 'kids'::regclass
	   union all select 'column ' || attname || ' ' || attnotnull
	    from pg_attribute where attrelid = 'kids'::regclass and attnum > 0
	   order by 1"
}
objs() {
	q "select indexrelid::regclass || ' ' || indexrelid from pg_index
	    where indrelid = 'kids'::regclass
	   union all select conname || ' ' || oid from pg_constraint
	    where conrelid = 'kids'::regclass order by 1"
}
state() {
	q "select count(*), coalesce(sum(old_id), 0) from kids"
	objs
}
# unchanged WHAT: the table and its constraints, the very objects, as
# saved in $T/before
unchanged() {
	if state | diff "$T/before" - >"$T/diff"; then
		ok "$1: the table and its constraints are as they were"
	else
		notok "$1: the table or its constraints changed"
		indent "$T/diff"
	fi
}
# reasons FILE: a rejects file's rows as "old_id|name|_error", sorted
reasons() {
	"$BIN/rowcat" -q --json "$1" | $PY -c '
import json, sys
for l in sys.stdin:
    r = json.loads(l)
    print("%s|%s|%s" % (r["old_id"], r["name"], r["_error"]))' | sort
}

defs >"$T/defs.before"
objs >"$T/objs.before"

# --- a clean load --------------------------------------------------------
t 0 "-d $DB --bulk" "kids 1000" - \
    "load: kids: --bulk: 3 indexes and 2 foreign keys rebuilt, 0 rows moved out"
expect "--bulk loads every row" "1000|500500" \
    "select count(*), sum(old_id) from kids"
expect "columns the stream lacks get their defaults" "1000" \
    "select count(*) from kids where note = 'dflt'"
if defs | diff "$T/defs.before" - >"$T/diff"; then
	ok "--bulk: every index and constraint is back, defined as before"
else
	notok "--bulk: the definitions changed"
	indent "$T/diff"
fi
# pets' foreign key needs kids_pkey: that one stays, the others are new
objs >"$T/objs.after"
n=$(comm -12 "$T/objs.before" "$T/objs.after" | tr '\n' ' ')
if [ "$n" = "$(grep '^kids_pkey ' "$T/objs.before" | tr '\n' ' ')" ]; then
	ok "--bulk: all but the key another table's foreign key needs were rebuilt"
else
	notok "--bulk: objects kept: '$n'"
	indent "$T/objs.after"
fi
if q "insert into kids (id, old_id, parent_id) values (gen_random_uuid(), -1, gen_random_uuid())" >"$T/out" 2>&1; then
	notok "the rebuilt foreign key refuses an orphan"
else
	ok "the rebuilt foreign key refuses an orphan"
fi

# --- not empty: loaded as without --bulk --------------------------------
state >"$T/before"
kj 3 >"$T/k3.json"
$PY -c 'import json,sys; d=json.load(open(sys.argv[1]))
for r in d["rows"]: r[0] = r[0].replace("00000001-", "00000002-"); r[1] += 5000
print(json.dumps(d))' "$T/k3.json" >"$T/k3b.json"
t 0 "-d $DB --bulk" "mk $T/k3b.json" - \
    "load: kids: --bulk: the table is not empty; loading with its indexes in place"
if objs | diff "$T/objs.after" - >/dev/null; then
	ok "a table that is not empty keeps its indexes"
else
	notok "a table that is not empty: its indexes were rebuilt"
fi
# from here on no other table's foreign key needs kids_pkey: all is rebuilt
q "drop table pets; truncate kids"
objs >"$T/objs.before"
state >"$T/before"

# --- rows that break a key or a foreign key ------------------------------
BAD="orphan-parent orphan-course dup-id dup-old"
t 1 "-d $DB --bulk" "kids 1000 $BAD" - "none loaded (rolled back)"
unchanged "orphans without --rejects (exit 1)"
t 1 "-d $DB --bulk" "kids 1000 dup-old" - \
    'kids: could not create unique index "kids_old_id_key": Key (old_id)=(2) is duplicated.'
unchanged "a duplicate key without --rejects (exit 1)"

t 0 "-d $DB --bulk -r $T/rj.rs" "kids 1000 $BAD" - \
    "--bulk: 4 indexes and 2 foreign keys rebuilt, 4 rows moved out"
if grep -qF "kids: 1000 rows read, 996 loaded, 4 rejected" "$T/err"; then
	ok "--bulk -r: the rows moved out count as rejected"
else
	notok "--bulk -r: the summary"
	indent "$T/err"
fi
reasons "$T/rj.rs" >"$T/bulk.reasons"
{
	printf '2|kid\t997|duplicate key value violates unique constraint "kids_old_id_key": Key (old_id)=(2) already exists.\n'
	printf '998|kid\t998|duplicate key value violates unique constraint "kids_pkey": Key (id)=(00000001-0000-4000-8000-000000000001) already exists.\n'
	printf '999|kid\t999|insert or update on table "kids" violates foreign key constraint "kids_course_id_fkey": Key (course_id)=(77) is not present in table "courses".\n'
	printf '1000|kid\t1000|insert or update on table "kids" violates foreign key constraint "kids_parent_id_fkey": Key (parent_id)=(00000000-0000-4000-8000-000000000999) is not present in table "parents".\n'
} | sort >"$T/want.reasons"
if diff "$T/want.reasons" "$T/bulk.reasons" >"$T/diff"; then
	ok "--bulk -r: each row moved out is in the rejects file with its reason"
else
	notok "--bulk -r: the rejects file"
	indent "$T/diff"
fi
expect "--bulk -r: the first row of a key keeps its place" \
    "kid	1|1|kid	2" \
    "select name, old_id, (select name from kids where old_id = 2) from kids where id = '00000001-0000-4000-8000-000000000001'"
if defs | diff "$T/defs.before" - >"$T/diff"; then
	ok "--bulk -r: every index and constraint is back, defined as before"
else
	notok "--bulk -r: the definitions changed"
	indent "$T/diff"
fi

# The same stream without --bulk, into a twin database: the same rows
# rejected, with the same reasons.
newdb bulk_sh_twin
q "$SCHEMA drop table pets;"
t 0 "-d $DB -r $T/rj2.rs" "kids 1000 $BAD" - "996 loaded, 4 rejected"
reasons "$T/rj2.rs" >"$T/plain.reasons"
if diff "$T/plain.reasons" "$T/bulk.reasons" >"$T/diff"; then
	ok "--bulk rejects the rows load rejects without it, for the same reasons"
else
	notok "--bulk and plain load reject differently"
	indent "$T/diff"
fi
if [ "$(psql -XAtq -d bulk_sh_twin -c 'copy (select * from kids order by id) to stdout' | md5sum)" = \
    "$(psql -XAtq -d bulk_sh -c 'copy (select * from kids order by id) to stdout' | md5sum)" ]; then
	ok "--bulk loads the rows load loads without it"
else
	notok "--bulk and plain load leave different rows"
fi
DB=bulk_sh
q "truncate kids cascade"
objs >"$T/objs.before"
state >"$T/before"

t 1 "-d $DB --bulk -r $T/rj3.rs --max-rejects 2" "kids 1000 $BAD" - \
    "kids: more than 2 rows rejected (--max-rejects); the last: "
unchanged "--bulk: more rows moved out than --max-rejects"
[ -e "$T/rj3.rs" ] && notok "--max-rejects: a rejects file was left" ||
    ok "--max-rejects: no rejects file is left"

# --- streams cut short, dry runs, kill -9 --------------------------------
for how in --no-end --no-trailer "--truncate 2000"; do
	t 3 "-d $DB --bulk -r $T/rj4.rs" "kj 1000 $BAD | mk $how" - \
	    "none loaded (rolled back)"
	unchanged "--bulk, a stream with $how"
done
t 0 "-d $DB --bulk -n -r $T/rj5.rs" "kids 1000 $BAD" - "(dry run: rolled back)"
unchanged "--bulk --dry-run"
n=$("$BIN/rowcat" -q --json "$T/rj5.rs" | wc -l)
[ "$n" = 4 ] && ok "--bulk --dry-run: the rejects file has the rows" ||
    notok "--bulk --dry-run: $n rejects"

# load is killed while the table's indexes are dropped (it holds its lock)
kids 20000 >"$T/k20k.rs"
load_halfway "$T/k20k.rs" --bulk
dropped=$(q "select count(*) from pg_locks where relation = 'kids'::regclass and mode = 'AccessExclusiveLock' and granted")
load_killed
gone=$?
[ $gone = 0 ] && ok "kill -9: the server ended load's session" ||
    notok "kill -9: load's session is still there"
[ "$dropped" = 1 ] && ok "kill -9: load held the table while copying" ||
    notok "kill -9: load did not hold the table ($dropped)"
unchanged "--bulk, load killed with -9 half way"

# --- truncate and upsert ---------------------------------------------------
t 0 "-d $DB --bulk" "kids 100" - "rebuilt"
t 0 "-d $DB --bulk -m truncate" "kids 50" - \
    "--bulk: 4 indexes and 2 foreign keys rebuilt"
expect "--bulk -m truncate: the table holds the new rows" "50" \
    "select count(*) from kids"
q "create extension if not exists pg_visibility"
expect "--bulk -m truncate: the rows went in frozen (COPY FREEZE)" "t" \
    "select bool_and(all_frozen) from pg_visibility_map('kids')"
t 0 "-d $DB -m truncate" "kids 50" - "50 loaded"
expect "-m truncate without --bulk: not frozen" "f" \
    "select bool_and(all_frozen) from pg_visibility_map('kids')"
t 0 "-d $DB --bulk -m truncate -r $T/rj7.rs" "kids 50" - "50 loaded"
expect "--bulk -m truncate -r: not frozen (its savepoints forbid it)" "f" \
    "select bool_and(all_frozen) from pg_visibility_map('kids')"
q "truncate kids cascade"
objs >"$T/objs.before"
# upsert into an empty table: of rows with the same key the last wins
t 0 "-d $DB --bulk -m upsert -k id -r $T/rj6.rs" "kids 1000 dup-id" - \
    "--bulk: 4 indexes and 2 foreign keys rebuilt, 0 rows moved out"
expect "--bulk upsert: the last row of a key wins" "999|1000" \
    "select count(*), (select old_id from kids where id = '00000001-0000-4000-8000-000000000001') from kids"
if defs | diff "$T/defs.before" - >"$T/diff"; then
	ok "--bulk upsert: every index and constraint is back"
else
	notok "--bulk upsert: the definitions changed"
	indent "$T/diff"
fi
t 0 "-d $DB --bulk -m upsert -k id" "kids 5" - \
    "--bulk: the table is not empty; loading with its indexes in place"
expect "--bulk upsert into a table that is not empty updates" "999|1" \
    "select count(*), (select old_id from kids where id = '00000001-0000-4000-8000-000000000001') from kids"
