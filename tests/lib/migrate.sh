# migrate.sh: what the suites that run a plan through bin/migrate share;
# source it after common.sh and pg.sh. Each suite sets PLAN, SRC (the
# source conninfo) and TABLES (the target's tables, for tablesums).
MIG=$ROOT/bin/migrate

# tablesums DB: one line a table of TABLES: its rows' count and md5 in
# key order (a fingerprint to compare two targets, or one over time),
# without the column SUM_IGNORE names, if any: one that two runs into two
# targets legitimately make differently (a generated password hash)
tablesums() {
	_x='x::text'
	[ -z "${SUM_IGNORE:-}" ] || _x="(to_jsonb(x) - '$SUM_IGNORE')::text"
	for t in $TABLES; do
		printf '%s %s\n' "$t" "$(psql -XAtq -d "$1" -c \
		    "select count(*) || ' ' || coalesce(md5(string_agg($_x, '|' order by $_x)), '-') from $t x")"
	done
}

# sums_are NAME STATUS SUMS DB: a run that exited STATUS (with its
# stderr in $T/err) succeeded and left DB with the tablesums in the file
# SUMS; says "ok - NAME", or "not ok - NAME: exit STATUS" and the diff.
sums_are() {
	tablesums "$4" >"$T/sums"
	if [ "$2" -eq 0 ] && diff "$3" "$T/sums" >"$T/diff"; then
		ok "$1"
	else
		notok "$1: exit $2"; indent "$T/err"; indent "$T/diff"
	fi
}

# mig_example NAME SEED-OUT SCALE DB COPY...: sets up a suite of an
# example plan in $EX: its seed (-o SEED-OUT --scale SCALE), the target
# DB (newdb, then $EX/target.sql) and each COPY a copy of DB to run
# into. Ends the suite with "not ok - NAME ..." when a step fails.
mig_example() {
	_mn=$1 _mdb=$4
	"$EX/seed" -o "$2" --scale "$3" 2>"$T/seed.err" ||
	    { notok "$_mn seed"; indent "$T/seed.err"; exit 1; }
	shift 4
	newdb "$_mdb"
	psql -X -q -v ON_ERROR_STOP=1 -d "$_mdb" -f "$EX/target.sql" ||
	    { notok "$_mn target.sql"; exit 1; }
	for _d in "$@"; do
		dropdb --if-exists "$_d" 2>/dev/null
		createdb -T "$_mdb" "$_d" || { notok "createdb $_d"; exit 1; }
	done
}

# mig_nosource NAME SOURCE DB MESSAGE STAGE: the plan from SOURCE, which
# is not there, into DB exits 4 before any stage runs (the state has no
# STAGE) and says MESSAGE (a grep pattern).
mig_nosource() {
	rm -rf "$T/nosrc"
	"$MIG" "$PLAN" -s "$2" -t "dbname=$3" -S "$T/nosrc" -q >"$T/out" 2>"$T/err"
	_ms=$?
	if [ $_ms -eq 4 ] && grep -q "$4" "$T/err" && [ ! -e "$T/nosrc/$5" ]; then
		ok "$1"
	else
		notok "$1: exit $_ms"; indent "$T/err"
	fi
}

# mig DB STATE ARGS...: the plan against target DB, quietly
mig() {
	db=$1 st=$2
	shift 2
	"$MIG" "$PLAN" -s "$SRC" -t "dbname=$db" -S "$st" -q "$@"
}

# report_ok WHAT STATE: the run's report.json says 0 missing, all match
report_ok() {
	if jq -e '.ok and .total.missing == 0 and (.tables | length) > 0' \
	    "$2/report.json" >/dev/null 2>&1; then
		ok "$1: report: $(jq -r '"\(.tables | length) tables, \(.total.source_rows) source rows, \(.total.target_rows) in the target, \(.total.rejected) rejected, 0 missing"' "$2/report.json")"
	else
		notok "$1: report"; indent "$2/report.txt"
	fi
}

# mig_checks DB0 DB1 DB2 STAGE TABLE: the runner's promises for PLAN.
# DB0 is the target as a run finds it (left as it is), DB1 and DB2 are
# copies of it to run into; STAGE is killed while it waits on TABLE.
mig_checks() {
	db0=$1 db1=$2 db2=$3 kst=$4 ktab=$5
	tablesums "$db0" >"$T/sums0"

	# --dry-run: the whole plan into a scratch copy; the target as it was,
	# and the dry run's report the same as the real run's below
	mig "$db1" "$T/s1" --dry-run >"$T/dry" 2>"$T/err"
	st=$?
	tablesums "$db1" >"$T/sums"
	if [ $st -eq 0 ] && diff "$T/sums0" "$T/sums" >/dev/null &&
	    grep -q "| load -d 'dbname=$db1' -t " "$T/dry"; then
		ok "--dry-run: prints the pipelines, the target unchanged"
	else
		notok "--dry-run: exit $st"; indent "$T/err"; indent "$T/dry"
	fi
	[ -z "$(psql -XAtq -l | grep sluice_dry_)" ] &&
	    ok "--dry-run: its scratch database is dropped" ||
	    notok "--dry-run left $(psql -XAtq -l | grep sluice_dry_)"

	# the run, with a backup
	mig "$db1" "$T/s1" --backup >"$T/report" 2>"$T/err"
	st=$?
	[ $st -eq 0 ] && ok "the whole plan: exit 0" ||
	    { notok "the whole plan: exit $st"; indent "$T/err"; indent "$T/report"; }
	report_ok "the whole plan" "$T/s1"
	sed -n '/^table/,/^coverage/p' "$T/dry" >"$T/dryrep"
	sed -n '/^table/,/^coverage/p' "$T/report" >"$T/realrep"
	if [ -s "$T/dryrep" ] && diff "$T/dryrep" "$T/realrep" >"$T/diff"; then
		ok "--dry-run's report is the real run's: each stage saw the ones before it"
	else
		notok "--dry-run's report differs from the run's"; indent "$T/diff"
	fi
	tablesums "$db1" >"$T/sums1"

	# --only STAGE, twice: nothing changes
	mig "$db1" "$T/s1" --only "$kst" >/dev/null 2>"$T/err" &&
	    mig "$db1" "$T/s1" --only "$kst" >/dev/null 2>>"$T/err"
	sums_are "--only $kst, twice: the target unchanged" $? "$T/sums1" "$db1"

	# kill -9 of the runner alone while STAGE waits on a lock on TABLE
	psql -XAtq -d "$db2" -c "begin; lock table $ktab in access exclusive mode; select pg_sleep(60); commit" >/dev/null 2>&1 &
	locker=$!
	"$MIG" "$PLAN" -s "$SRC" -t "dbname=$db2" -S "$T/s2" -q >"$T/out" 2>"$T/err" &
	pid=$!	# the runner's own pid: no subshell between
	for i in $(seq 1 300); do
		[ -e "$T/s2/$kst.new/started" ] &&
		    [ "$(psql -XAtq -d "$db2" -c "select count(*) from pg_stat_activity where datname = '$db2' and wait_event_type = 'Lock'")" -gt 0 ] && break
		kill -0 $pid 2>/dev/null || break
		sleep 0.1
	done
	# a second run meanwhile is told the truth
	mig "$db2" "$T/s2" >"$T/out2" 2>"$T/err2"
	st=$?
	if [ $st -eq 75 ] && grep -q "another migration is running .*(pid $pid)" "$T/err2"; then
		ok "a second run while one works: exit 75, names the running pid"
	else
		notok "second run: exit $st"; indent "$T/err2"
	fi
	"$MIG" "$PLAN" -S "$T/s2" --status --json >"$T/stj1" 2>"$T/err"
	pg=$(cat "$T/s2/$kst.new/pgid" 2>/dev/null)
	kill -KILL $pid
	wait $pid 2>/dev/null
	for i in $(seq 1 100); do
		[ -n "$pg" ] && pgrep -g "$pg" >/dev/null || break
		sleep 0.1
	done
	if [ -n "$pg" ] && ! pgrep -g "$pg" >/dev/null; then
		ok "kill -9 of the runner alone: its stage's programs go too"
	else
		notok "kill -9 of the runner: the stage's group ${pg:-?} still has $(pgrep -g "${pg:-0}" | tr '\n' ' ')"
	fi
	kill $locker 2>/dev/null
	psql -XAtq -d "$db2" -c "select pg_terminate_backend(pid) from pg_stat_activity where datname = '$db2' and pid <> pg_backend_pid()" >/dev/null 2>&1
	wait $locker 2>/dev/null
	"$MIG" "$PLAN" -S "$T/s2" --status --json >"$T/stj" 2>"$T/err"
	"$MIG" "$PLAN" -S "$T/s2" --status >"$T/stt" 2>>"$T/err"
	if jq -e --arg s "$kst" '.stages[] | select(.stage == $s) | .status == "running"' "$T/stj1" >/dev/null &&
	    jq -e --arg s "$kst" '.stages[] | select(.stage == $s) | .status == "interrupted"' "$T/stj" >/dev/null &&
	    jq -e '.stages[0].status == "ok" and .stages[-1].status == "never run"' "$T/stj" >/dev/null &&
	    grep -q "^$kst  *interrupted" "$T/stt"; then
		ok "--status: $kst running, then interrupted after the kill -9; the stages before it ok"
	else
		notok "--status after kill -9"; indent "$T/stj"; indent "$T/stt"; indent "$T/err"
	fi
	tablesums "$db2" >"$T/sums2"
	diff "$T/sums0" "$T/sums2" >/dev/null && k0=same || k0=changed
	mig "$db2" "$T/s2" --from "$kst" >"$T/out" 2>"$T/err"
	sums_are "--from $kst after the kill: the same target as a clean run" $? \
	    "$T/sums1" "$db2"
	report_ok "--from $kst" "$T/s2"

	# --rollback: the target as the run found it
	mig "$db1" "$T/s1" --rollback >"$T/out" 2>"$T/err"
	st=$?
	tablesums "$db1" >"$T/sums"
	if [ $st -eq 0 ] && diff "$T/sums0" "$T/sums" >"$T/diff" &&
	    [ "$(cat "$T/s1/$kst/status")" = "rolled back" ]; then
		ok "--backup, then --rollback: the target as it was before the run, stages rolled back"
	else
		notok "--rollback: exit $st"; indent "$T/err"; indent "$T/diff"
	fi
	b=$(ls "$T"/s1/backups/*.dump | head -n 1)
	if [ -n "$b" ] && [ -z "$(find "$T/s1" "$T/s2" \( -type f -perm /077 \) -o \( -type d -perm /077 \))" ]; then
		ok "the state (backup, rejects, maps, logs) is 0600 in 0700 directories"
	else
		notok "state modes: $(find "$T/s1" "$T/s2" -perm /077 | head)"
	fi
}
