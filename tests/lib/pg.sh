# pg.sh: for the suites in tests/pg; source it after common.sh. tests/run
# has started one sandbox server and exported PGHOST, PGPORT, PGUSER.
# Each suite works in databases of its own, so suites do not meet.

if [ -z "${PGHOST:-}" ]; then
	echo "not ok - $(basename "$0"): no server (run it through tests/run pg)"
	exit 1
fi

# newdb NAME: a fresh, empty database NAME; sets DB to it.
newdb() {
	DB=$1
	dropdb --if-exists "$DB" >/dev/null 2>&1
	createdb "$DB" || { notok "createdb $DB"; exit 1; }
}

# q SQL: runs SQL in $DB, prints rows unaligned, |-separated, no headers.
q() {
	psql -XAtq -v ON_ERROR_STOP=1 -d "$DB" -c "$1"
}

# expect WHAT WANT SQL: ok when the one-line result of SQL is WANT.
expect() {
	expect_cmd "$1" "$2" q "$3"
}

# expect_cmd WHAT WANT COMMAND...: ok when COMMAND's output is WANT.
expect_cmd() {
	what=$1 want=$2
	shift 2
	got=$("$@" 2>&1)
	if [ "$got" = "$want" ]; then
		ok "$what"
	else
		notok "$what: got '$got', wanted '$want'"
	fi
}

# differ DB1.TABLE1 DB2.TABLE2: prints the rows in one and not the
# other, both ways (SQL EXCEPT through dblink-free COPY dumps, sorted).
differ() {
	psql -XAtq -d "${1%%.*}" -c "copy (select * from ${1#*.}) to stdout" | sort >"$T/differ1"
	psql -XAtq -d "${2%%.*}" -c "copy (select * from ${2#*.}) to stdout" | sort >"$T/differ2"
	diff "$T/differ1" "$T/differ2"
}

# waitq SQL WANT: polls until SQL prints WANT, for 10 s at most; false
# when it never did (what the server does after a kill takes a moment)
waitq() {
	i=0
	while [ "$(q "$1")" != "$2" ] && [ $i -lt 200 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	[ $i -lt 200 ]
}

# load_halfway STREAM LOAD-ARGS...: starts "load -d $DB -q LOAD-ARGS" on
# a fifo held open (fd 9), so that it waits for the rest with its COPY
# under way, writes it the first half of the file STREAM and waits until
# the server has rows. Its pid in lpid, its stderr in $T/kill.err.
load_halfway() {
	_lhs=$1
	shift
	rm -f "$T/fifo"
	mkfifo "$T/fifo"
	"$BIN/load" -d "$DB" -q "$@" <"$T/fifo" 2>"$T/kill.err" &
	lpid=$!
	exec 9>"$T/fifo"
	head -c $(( $(wc -c <"$_lhs") / 2 )) "$_lhs" >&9
	waitq "select count(*) from pg_stat_progress_copy where tuples_processed > 0" 1
}

# load_killed: kill -9 of the load load_halfway started; true when the
# server has ended its session.
load_killed() {
	kill -9 "$lpid"
	wait "$lpid" 2>/dev/null
	exec 9>&-
	waitq "select count(*) from pg_stat_activity where datname = '$DB' and pid <> pg_backend_pid()" 0
}
