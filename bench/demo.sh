#!/bin/sh
# The whole demo migration (examples/school-v1-v2/plan: every stage and
# verify, as bin/migrate runs it; scripts/demo without the seeding) at
# SCALE (default 1: 538,042 V1 rows, 510,000 of them journal rows), RUNS
# (3) times on one throwaway server, each into a V2 created anew outside
# the timing. Gives the run's median with min and max and the peak RSS
# of its largest process, then each stage's median seconds as migrate.log
# gives them, and the programs' own lines of the slowest stage. Target
# (issue 12): under 5 s at scale 1. QUICK=1: scale 0.2, one run.
# The users stage hashes a bcrypt password (cost 12, both cores) for each
# V1 person without a hash (1 in 100 of them): the run prints how many,
# at what rate. PASSWORDS=none gives those people a V1 hash first, to
# measure the migration without bcrypt's share.
. "$(dirname "$0")/lib.sh"
EX=$ROOT/examples/school-v1-v2
: "${SCALE:=1}"
quick && SCALE=0.2

[ -x "$BIN/migrate" ] || { echo "bench demo: needs $BIN/migrate (make)"; exit 0; }
server || { echo "bench demo: no server"; exit 1; }
createdb v1 || { fail "createdb failed"; bench_exit; }
"$EX/seed-v1" -d dbname=v1 --scale "$SCALE" || { fail "seed-v1 failed"; bench_exit; }
if [ "${PASSWORDS:-}" = none ]; then
	for t in teachers parents students; do
		psql -XAtq -d v1 -c "update $t set password_hash = '\$2b\$12\$' || md5(id::text) || substr(md5(id::text), 1, 21) where password_hash is null" >/dev/null
	done
fi
nohash=$(psql -XAtq -d v1 -c "select (select count(*) from teachers where password_hash is null) + (select count(*) from parents where password_hash is null) + (select count(*) from students where password_hash is null)")
psql -XAtq -d v1 -c "vacuum analyze"
v1rows=$(psql -XAtq -d v1 -c "select sum(n_live_tup) from pg_stat_user_tables")

cmd_migrate="$BIN/migrate $EX/plan -s dbname=v1 -t dbname=v2 -S $T/state -q >$T/migrate.out 2>&1"
label_migrate="bin/migrate: all stages and verify"
empty() {
	rm -rf "$T/state"
	dropdb --if-exists v2 2>/dev/null && createdb v2 &&
	    psql -Xq -v ON_ERROR_STOP=1 -d v2 -f "$EX/v2.sql" &&
	    psql -XAtq -d v2 -c checkpoint || fail "creating v2 failed"
}
turn=0
check() {
	turn=$((turn + 1))
	cp "$T/state/migrate.log" "$T/log.$turn" 2>/dev/null ||
	    { fail "no migrate.log"; return; }
	grep -q 'run [0-9]*: done$' "$T/log.$turn" ||
	    { fail "the migration did not finish:"; cat "$T/migrate.out" >&2; }
}

rounds migrate
echo "the demo migration, scale $SCALE ($v1rows V1 rows), $RUNS runs:"
table migrate ""
echo "  (target: under 5 s at scale 1)"
echo "  $nohash V1 people without a hash; the last run's users stage: $(grep -h '^password: [0-9]' "$T/state/users/log" 2>/dev/null || echo 'no password line')"
# each stage's seconds, from migrate.log: "stage NAME: ok in S s"
cat "$T"/log.* | sed -n 's/.* stage \([a-z]*\): [a-z]* in \([0-9.]*\) s.*/\1 \2/p' >"$T/stages"
printf '  stage seconds (median, min, max over the runs):'
for s in $(awk '{ print $1 }' "$T/stages" | awk '!seen[$0]++'); do
	awk -v s="$s" '$1 == s { print $2 }' "$T/stages" | sort -n |
	    awk -v s="$s" '{ v[NR] = $1 } END { printf " %s %.1f (%.1f-%.1f);", s, v[int((NR + 1) / 2)], v[1], v[NR] }'
done
echo
# the slowest loading stage of the last run, its programs' own lines
slow=$(sed -n 's/.* stage \([a-z]*\): ok in \([0-9.]*\) s.*/\2 \1/p' "$T/log.$turn" |
    sort -n | tail -n 1 | cut -d' ' -f2)
echo "  the slowest loading stage of the last run, $slow, as its programs report it:"
sed -n "/ stage $slow: [a-z]* in/,/^[0-9]/p" "$T/log.$turn" | grep '^ ' | sed 's/^ */    /'
bench_exit
