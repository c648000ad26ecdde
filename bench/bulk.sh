#!/bin/sh
# The constrained-target case of issue 12: ROWS (default 500000) rows
# into a table like the demo's course_enrollments (uuid primary key,
# unique old_journal_id, foreign keys to students and course_offerings),
# side by side on one throwaway server:
#
#   load append, load --mode upsert --key id (what the runner did),
#   load --bulk, load --bulk --mode upsert --key id --rejects (what the
#   runner does for a table that is empty), the by-hand floor (in one
#   transaction: drop the keys and foreign keys, psql \copy the same rows
#   from a file, add them back), pgloader (LOAD COPY of that file, with
#   drop indexes) and pgcopydb (clone of a database holding the table
#   and the two it points to, 22,000 rows more) when installed.
#
# Every run starts from an empty table (truncated, with a checkpoint,
# outside the timing). The contenders take turns, RUNS (3) rounds of
# them, so that a slow moment of the machine hits all; each gets the
# median with min and max, and its peak RSS. Target (issue 12): --bulk
# at most 1.1x the floor. QUICK=1: 100,000 rows, one round, for a test
# that the benchmark still runs. ONLY="bulk" runs only the contenders
# named (bench/growth.sh), TSV=FILE appends their figures to FILE.
. "$(dirname "$0")/lib.sh"
if ! quick && [ "$ROWS" = 1000000 ] && [ -z "${ONLY:-}" ]; then
	ROWS=500000	# lib.sh's default; this case is 500k rows
fi

if [ ! -x "$BIN/load" ] || [ ! -x "$BIN/extract" ]; then
	echo "bench bulk: needs $BIN/load and $BIN/extract (make)"
	exit 0
fi
server || { echo "bench bulk: no server"; exit 1; }
DB=bench_bulk
S="psql -XAtq -v ON_ERROR_STOP=1"
createdb "$DB"
$S -d "$DB" -c "
create table students (id uuid primary key, name text);
create table course_offerings (id uuid primary key, name text);
insert into students select gen_random_uuid(), 's' || i
	from generate_series(1, 20000) i;
insert into course_offerings select gen_random_uuid(), 'c' || i
	from generate_series(1, 2000) i;
create table course_enrollments (
	id			uuid primary key,
	student_id		uuid not null references students,
	course_offering_id	uuid not null references course_offerings,
	grade			numeric(5,2),
	created_at		timestamptz not null,
	old_journal_id		bigint not null unique
);
create table src as
	with s as (select id, row_number() over () - 1 as n from students),
	c as (select id, row_number() over () - 1 as n from course_offerings)
	select gen_random_uuid() as id, s.id as student_id,
	c.id as course_offering_id, (i % 10000) / 100.0 as grade,
	timestamptz '2020-01-01' + i * interval '1 minute' as created_at,
	i::bigint as old_journal_id
	from generate_series(1, $ROWS) i
	join s on s.n = (i::bigint * 7919) % 20000 join c on c.n = (i * 31) % 2000
	order by i;" -c "vacuum analyze" || { fail "setup failed"; bench_exit; }
"$BIN/extract" -q -d "$DB" -t src >"$T/rows.rs"
$S -d "$DB" -c "\\copy src to '$T/rows.txt'"
chmod 644 "$T/rows.txt"	# pgloader reads it as another user

# the floor: what a person would type, in one transaction
cat >"$T/floor.sql" <<EOF
begin;
alter table course_enrollments
	drop constraint course_enrollments_student_id_fkey,
	drop constraint course_enrollments_course_offering_id_fkey,
	drop constraint course_enrollments_old_journal_id_key,
	drop constraint course_enrollments_pkey;
\\copy course_enrollments from '$T/rows.txt'
set local maintenance_work_mem = '512MB';
alter table course_enrollments add primary key (id);
alter table course_enrollments add unique (old_journal_id);
alter table course_enrollments
	add foreign key (student_id) references students,
	add foreign key (course_offering_id) references course_offerings;
commit;
EOF

L="$BIN/load -q -d $DB -t course_enrollments"
names="append upsert bulk bulk-text bulk-upsert floor"
cmd_append="$L <$T/rows.rs"
cmd_upsert="$L -m upsert -k id <$T/rows.rs"
cmd_bulk="$L --bulk <$T/rows.rs"
# held to COPY text: what the binary format gives (the uuid columns pay)
cmd_bulk_text="$L --bulk --copy-format text <$T/rows.rs"
cmd_bulk_upsert="$L --bulk -m upsert -k id -r $T/rej.rs <$T/rows.rs"
cmd_floor="$S -d $DB -f $T/floor.sql"
label_append="load (append)"
label_upsert="load -m upsert -k id"
label_bulk="load --bulk"
label_bulk_text="load --bulk --copy-format text"
label_bulk_upsert="load --bulk -m upsert -k id -r"
label_floor="floor: drop, psql \\copy, rebuild"
[ -n "${ONLY:-}" ] && PGLOADER=no PGCOPYDB=no

if [ "${PGLOADER:-}" != no ] && command -v pgloader >/dev/null; then
	names="$names pgloader"
	cat >"$T/pgl.load" <<EOF
LOAD COPY FROM '$T/rows.txt'
  INTO pgsql://$PGUSER@unix:$PGHOST:$PGPORT/$DB
  TARGET TABLE course_enrollments
  WITH truncate, drop indexes;
EOF
	cmd_pgloader="pgloader --quiet $T/pgl.load >$T/pgl.out 2>&1"
	label_pgloader="pgloader (COPY file, drop indexes)"
fi
if [ "${PGCOPYDB:-}" != no ] && command -v pgcopydb >/dev/null; then
	names="$names pgcopydb"
	createdb "${DB}_src"
	pg_dump -d "$DB" -t students -t course_offerings \
	    -t course_enrollments --schema-only | $S -q -d "${DB}_src" >/dev/null
	$S -d "$DB" -c "\\copy students to '$T/st.txt'" \
	    -c "\\copy course_offerings to '$T/co.txt'"
	$S -d "${DB}_src" -c "\\copy students from '$T/st.txt'" \
	    -c "\\copy course_offerings from '$T/co.txt'" \
	    -c "\\copy course_enrollments from '$T/rows.txt'" -c "vacuum analyze"
	U="postgres://$PGUSER@%2F$(echo "$PGHOST" | sed 's|/|%2F|g'):$PGPORT"
	cmd_pgcopydb="pgcopydb clone --source '$U/${DB}_src' --target '$U/${DB}_dst' --dir $T/pgcopydb --table-jobs 2 --index-jobs 2 --no-owner --no-acl >$T/pgcopydb.out 2>&1"
	label_pgcopydb="pgcopydb clone (the 3 tables)"
fi

# empty NAME: the target empty again, outside the timing
empty() {
	if [ "$1" = pgcopydb ]; then
		dropdb --if-exists "${DB}_dst" 2>/dev/null && createdb "${DB}_dst"
		rm -rf "$T/pgcopydb"
	else
		$S -d "$DB" -c "truncate course_enrollments" -c "checkpoint"
	fi
}
# check NAME: the table holds the rows, its constraints in place
check() {
	d=$DB
	[ "$1" = pgcopydb ] && d=${DB}_dst
	got=$($S -d "$d" -c "select count(*) || ' ' ||
	    (select count(*) from pg_constraint
	     where conrelid = 'course_enrollments'::regclass)
	    from course_enrollments")
	[ "$got" = "$ROWS 4" ] ||
	    fail "$1 left '$got' (rows, constraints), not '$ROWS 4'"
}

names=$(only "$names")
rounds "$names"
echo "constrained load, $ROWS rows into course_enrollments (uuid pkey, unique bigint, 2 foreign keys), $RUNS rounds:"
table "$names" floor
echo "  (target: load --bulk at most 1.10x the floor; peak RSS: the largest process of each command)"
if [ -z "${ONLY:-}" ]; then
	command -v pgloader >/dev/null || echo "  (pgloader is not installed: scripts/install-deps --bench)"
	command -v pgcopydb >/dev/null || echo "  (pgcopydb is not installed: scripts/install-deps --bench)"
fi
bench_exit
