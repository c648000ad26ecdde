#!/bin/sh
# Why the pipeline's time per row grows (issue 12, README "Issue 12:
# where we stand"): bench/pipeline.sh's extract | remap | split-name |
# load into the users table (uuid primary key, unique old_id) at SIZES
# rows (default 1,000,000 and 4,000,000), on one throwaway server for
# each setting in CONFIGS, SHARED_BUFFERS:KEY (default "256MB:uuid5
# 2GB:uuid5": the sandbox's shared buffers and enough for both indexes at
# 4M; KEY serial: a bigint primary key from remap -a id=serial, a
# sequential key instead of the random uuid5), the servers taking turns
# in each of ROUNDS (2) rounds. Each turn prints, per million rows: the
# wall time; each sluice program's user+sys CPU (GNU time); the server's
# CPU (the postmaster, its reaped children and its live ones, from
# /proc); what pg_stat_statements says of load's COPY (shared blocks
# hit, read from the kernel, dirtied, written by the backend itself, the
# milliseconds spent reading); the checkpoints; and at the end the
# sizes of the table and its two indexes. Its users table is
# bench/pipeline.sh's, on purpose. PERF=DIR: a perf record of each
# server during each turn, in DIR. About 8 minutes with the defaults
# (make bench runs it so); QUICK=1: 10,000 rows, one round.
. "$(dirname "$0")/lib.sh"
: "${SIZES:=1000000 4000000}"
: "${CONFIGS:=256MB:uuid5 2GB:uuid5}"
: "${ROUNDS:=2}"
quick && SIZES=10000 ROUNDS=1
PGSB=$ROOT/scripts/pg-sandbox
DB=bench_why
# LOGS=DIR: the servers' logs (checkpoints, autovacuum) kept there
trap 'for d in "$T"/pg*; do [ -z "${LOGS:-}" ] || cp "$d/server.log" "$LOGS/${d##*/}.log"
	"$PGSB" stop "$d" >/dev/null 2>&1; done; rm -rf "$T"' EXIT

i=0
for cf in $CONFIGS; do
	i=$((i + 1)) sb=${cf%%:*} key=${cf#*:}
	idtype=uuid
	[ "$key" = serial ] && idtype=bigint
	PG_SANDBOX_OPTS="-c shared_buffers=$sb -c shared_preload_libraries=pg_stat_statements -c track_io_timing=on -c log_checkpoints=on -c log_autovacuum_min_duration=0" \
	    "$PGSB" start "$T/pg$i" >"$T/env$i" || { fail "no server with shared_buffers=$sb"; bench_exit; }
	(. "$T/env$i" && createdb "$DB" && psql -XAtq -v ON_ERROR_STOP=1 -d "$DB" -c "
create extension pg_stat_statements;
create table people (id bigint primary key, school_id int, full_name text,
	email text, city text, born date);
$(users_ddl "$idtype")") >/dev/null || { fail "setup failed"; bench_exit; }
done

# srvcpu DIR: the server's CPU seconds so far: the postmaster's own and
# its reaped children's (every backend that has exited) from its
# /proc/PID/stat, and its live children's (checkpointer, background and
# WAL writers, autovacuum).
srvcpu() {
	pm=$(head -1 "$1/data/postmaster.pid")
	{ cat "/proc/$pm/stat"; for c in $(ps --ppid "$pm" -o pid=); do
		cat "/proc/$c/stat" 2>/dev/null; done; } |
	    awk -v hz="$(getconf CLK_TCK)" -v pm="$pm" '
		{ u += $14; s += $15; if ($1 == pm) { u += $16; s += $17 } }
		END { printf "%.2f %.2f\n", u / hz, s / hz }'
}

# per N SECS: SECS per million rows of N
per() {
	echo "$1 $2" | awk '{ printf "%.2f", $2 * 1000000 / $1 }'
}

tm() {
	echo "/usr/bin/time -f '%U %S %M' -o $T/t.$1 $BIN/$1"
}
# pipe KEY: the pipeline, its primary key made by remap -a id=KEY
pipe() {
	a=uuid5:bench-people
	[ "$1" = serial ] && a=serial
	echo "$(tm extract) -q -d $DB -t people |
	    $(tm remap) -q -a id=$a -k old_id --fk school_id=uuid5:bench-schools |
	    $(tm split-name) -q -c full_name | $(tm load) -q -d $DB -t users"
}

for n in $SIZES; do
	i=0
	for cf in $CONFIGS; do
		i=$((i + 1))
		(. "$T/env$i" && psql -XAtq -d "$DB" -c "truncate people, users" &&
		    "$GEN" -n "$n" | "$BIN/load" -q --bulk -d "$DB" -t people &&
		    psql -XAtq -d "$DB" -c "vacuum analyze") >/dev/null ||
		    { fail "loading people failed"; bench_exit; }
	done
	r=0
	while [ $r -lt "$ROUNDS" ]; do
		i=0
		for cf in $CONFIGS; do
			i=$((i + 1)) sb=${cf%%:*} key=${cf#*:}
			. "$T/env$i"
			S="psql -XAtq -v ON_ERROR_STOP=1 -d $DB"
			$S -c "truncate users" -c "checkpoint" -c "select pg_stat_statements_reset()" \
			    -c "select pg_stat_reset_shared('bgwriter')" >/dev/null
			if [ -n "${PERF:-}" ]; then
				perf record -q -F 499 -p "$(head -1 "$T/pg$i/data/postmaster.pid")" \
				    -o "$PERF/perf.$n.$i.$r" >/dev/null 2>&1 &
				perfpid=$!
				sleep 0.5
			fi
			set -- $(srvcpu "$T/pg$i")
			u0=$1 s0=$2
			t0=$(date +%s.%N)
			sh -c "$(pipe "$key")" || fail "the pipeline failed"
			t1=$(date +%s.%N)
			sleep 0.5
			set -- $(srvcpu "$T/pg$i")
			u1=$1 s1=$2
			[ -z "${PERF:-}" ] || { kill -INT "$perfpid"; wait "$perfpid"; }
			got=$($S -c "select count(*) from users")
			[ "$got" = "$n" ] || fail "users holds $got rows, not $n"
			printf 'rows %s shared_buffers %-5s key %s round %d: wall %s s/M' "$n" "$sb" "$key" $((r + 1)) \
			    "$(per "$n" "$(echo "$t1 - $t0" | bc)")"
			for p in extract remap split-name load; do
				read -r u s m <"$T/t.$p"
				printf ', %s %s' "$p" "$(per "$n" "$(echo "$u + $s" | bc)")"
			done
			printf ', server CPU %s (user %s, sys %s) s/M\n' \
			    "$(per "$n" "$(echo "$u1 + $s1 - $u0 - $s0" | bc)")" \
			    "$(per "$n" "$(echo "$u1 - $u0" | bc)")" "$(per "$n" "$(echo "$s1 - $s0" | bc)")"
			$S -F ' ' -c "
select '    load''s COPY: ' || round((total_exec_time / 1000 * 1e6 / $n)::numeric, 2) || ' s/M in the executor; '
	|| 'shared blocks per 1000 rows: hit ' || round(shared_blks_hit * 1000.0 / $n, 1)
	|| ', read ' || round(shared_blks_read * 1000.0 / $n, 1)
	|| ' (' || round((blk_read_time / 1000 * 1e6 / $n)::numeric, 2) || ' s/M reading)'
	|| ', dirtied ' || round(shared_blks_dirtied * 1000.0 / $n, 1)
	|| ', written by the backend ' || round(shared_blks_written * 1000.0 / $n, 1)
from pg_stat_statements where query ilike 'copy%users%from%'" -c "
select '    checkpoints ' || checkpoints_timed + checkpoints_req || ' (' || checkpoints_req
	|| ' for WAL); buffers written by checkpoints ' || buffers_checkpoint
	|| ', bgwriter ' || buffers_clean || ', backends ' || buffers_backend
from pg_stat_bgwriter"
		done
		r=$((r + 1))
	done
	i=0
	for cf in $CONFIGS; do
		i=$((i + 1))
		. "$T/env$i"
		printf '  at %s rows (%s): ' "$n" "$cf"
		psql -XAtq -d "$DB" -c "
select string_agg(c.relname || ' ' || pg_size_pretty(pg_relation_size(c.oid)), ', ' order by c.relname)
from pg_class c where c.relname in ('users', 'users_pkey', 'users_old_id_key')"
	done
done
bench_exit
