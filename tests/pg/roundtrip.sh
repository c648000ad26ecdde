#!/bin/sh
# extract | load: every type comes back unchanged (compared with SQL
# EXCEPT both ways, on each column's text form, since json has no
# equality), and a pipeline whose extract is killed leaves the target as
# it was. Needs bin/load (the load branch) next to bin/extract.
. "$(dirname "$0")/../lib/common.sh"
. "$ROOT/tests/lib/pg.sh"
newdb sluice_roundtrip
E=$BIN/extract
L=$BIN/load
if [ ! -x "$L" ]; then
	# load comes from its own branch; until it is merged, say so
	ok "roundtrip: SKIPPED, no $L yet (copy the load branch's bin/load next to bin/extract)"
	exit 0
fi

psql -XAtq -v ON_ERROR_STOP=1 -d "$DB" >"$T/setup" 2>&1 <<'EOF' || { notok "roundtrip: setup"; indent "$T/setup"; }
create type mood as enum ('sad', 'ok', 'happy', 'it''s "odd"');
create domain posint as int check (value > 0);
create table everything (
	id bigint primary key, i2 int2, i4 int4, i8 int8, f4 float4, f8 float8,
	n numeric, b bool, t text, by bytea, j json, jb jsonb, arr int[],
	tarr text[], iv interval, ts timestamptz, tsz timestamp, d date,
	u uuid, m mood, p posint);
insert into everything values
 (1, 1, 2, 3, 1.1, 'NaN', 'NaN', true, E'tab\there\nnl back\\slash \\N\r',
  '\x00ff5c0a09', '{"a":  [1,2]}', '{"b":1}', '{1,2,NULL}',
  '{"a b","c,d",NULL,"\\","NULL",""}', '1 year 2 mons -3 days 04:05:06.789',
  '2024-01-02 03:04:05.678+05', '2024-01-02 03:04:05.678901', '2024-02-29',
  'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'happy', 5),
 (2, -32768, 2147483647, -9223372036854775808, '-Infinity', 'Infinity',
  1.50, false, '', '', 'null', '[]', '{}', '{}', '-178000000 years',
  'infinity', '-infinity', '-infinity', '00000000-0000-0000-0000-000000000000',
  'it''s "odd"', 2147483647),
 (3, 0, 0, 0, 'NaN', '-Infinity', '-0.000001234', null, '\N', null, null,
  null, '{{1,2},{3,4}}', '{}', '-1 days +23:59:59.999999',
  '0001-01-01 00:00:00+00 BC', '1999-12-31 23:59:59', '0044-03-15 BC', null,
  null, null),
 (4, 32767, -2147483648, 9223372036854775807, 3.4e38, 1.7976931348623157e308,
  '123456789012345678901234567890.123456789', true,
  E'\u00fc \u2713 \u0001\u001f\u007f', '\x5c4e', '"\u0000"',
  '{"nested": {"x": [null, 1.5e300]}}', '{-1}', '{"{","}","\"\""}', '0',
  '2000-02-29 12:00:00-12:30', '2000-02-29 12:00:00', '2000-02-29', null,
  'sad', 1),
 (5, null, null, null, 1.4e-45, 5e-324, null, null, null, null, null, null,
  null, null, null, null, null, null, null, null, null),
 (6, null, null, null, null, null, null, null, null, null, null, null, null,
  null, null, null, null, null, null, null, null);
create table target (like everything including constraints);
EOF

# Columns and their rows: the same text forms, both ways.
"$E" --quiet -d "$DB" -t everything | "$L" -q -d "$DB" -t target --mode truncate 2>"$T/err"
st=$?
if [ "$st" -ne 0 ]; then
	notok "roundtrip: extract | load exited $st"
	indent "$T/err"
fi
for c in id i2 i4 i8 f4 f8 n b t by j jb arr tarr iv ts tsz d u m p; do
	diff=$(q "select count(*) from (
	    (select id, $c::text from everything except all select id, $c::text from target)
	    union all
	    (select id, $c::text from target except all select id, $c::text from everything)) x")
	type=$(q "select format_type(atttypid, atttypmod) from pg_attribute
	    where attrelid = 'everything'::regclass and attname = '$c'")
	if [ "$diff" = 0 ] && [ "$(q 'select count(*) from target')" = 6 ]; then
		ok "roundtrip: $c ($type) comes back unchanged"
	else
		notok "roundtrip: $c ($type): $diff rows differ"
		q "select id, $c::text from everything except select id, $c::text from target" | indent
	fi
done
# Whole rows, and NULLs apart from empty strings.
expect "roundtrip: whole rows are equal (row text forms, EXCEPT both ways)" 0 \
    "select count(*) from ((select r1::text from everything r1 except all select r2::text from target r2)
    union all (select r2::text from target r2 except all select r1::text from everything r1)) x"
expect "roundtrip: NULL and the empty string stay apart" "2|1" \
    "select count(*) filter (where t is null), count(*) filter (where t = '') from target"

# The streams of the source and the copy are the same bytes.
"$E" --quiet -d "$DB" -Q "select * from everything order by id" --name x >"$T/a.rs"
"$E" --quiet -d "$DB" -Q "select * from target order by id" --name x >"$T/b.rs"
if cmp -s "$T/a.rs" "$T/b.rs"; then
	ok "roundtrip: extracting the copy gives the same bytes"
else
	notok "roundtrip: extracting the copy gives other bytes"
fi

# Several tables in one stream, each into its own (header's) table.
q "create table pa (x int primary key, y text); create table pb (z text);
insert into pa select i, 'y' || i from generate_series(1, 1000) i;
insert into pb values ('one'), (null);
create schema copy; create table copy.pa (like pa); create table copy.pb (like pb);"
"$E" --quiet -d "$DB" -t pa -t pb >"$T/two.rs"
PGOPTIONS='-c search_path=copy' "$L" -q -d "$DB" --mode truncate "$T/two.rs" 2>"$T/err"
expect "roundtrip: two tables in one stream, one snapshot, each loaded into its own" "1000|2" \
    "select (select count(*) from copy.pa join pa using (x, y)),
    (select count(*) from copy.pb)"

# kill -9 of extract in "extract | load" (no pipefail): load sees no
# trailer, rolls back; the target keeps what it had. The source is slow
# (a pause each 1000 rows) so that load is surely half way.
q "create table victim (i int, s text);
insert into victim values (-1, 'before'), (-2, 'before');"
rm -f "$T/fifo"
mkfifo "$T/fifo"
"$E" --quiet -d "$DB" -Q "select i, md5(i::text) as s from generate_series(1, 5000000) i
    where i % 1000 <> 0 or pg_sleep(0.01) is not null" >"$T/fifo" &
epid=$!
"$L" -q -d "$DB" -t victim --mode truncate <"$T/fifo" 2>"$T/err" &
lpid=$!
n=0
while [ "$(q "select coalesce(max(tuples_processed), 0) > 20000 from pg_stat_progress_copy
    where relid = 'victim'::regclass")" != t ] && [ $n -lt 600 ]; do
	sleep 0.05
	n=$((n + 1))
done
kill -9 $epid
wait $epid 2>/dev/null
wait $lpid
st=$?
if [ "$n" -lt 600 ] && [ "$st" -eq 3 ] &&
    [ "$(q "select string_agg(i || s, ',' order by i) from victim")" = "-2before,-1before" ]; then
	ok "roundtrip: kill -9 of extract in extract | load leaves the target as it was (load exit 3)"
else
	notok "roundtrip: kill -9 of extract: load exit $st after $n polls; victim has $(q 'select count(*) from victim') rows"
	indent "$T/err"
fi
