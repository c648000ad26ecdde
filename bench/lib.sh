# bench/lib.sh: what the benchmark scripts share. Benchmarks print
# figures and ratios against the targets; they never fail a build.
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$ROOT/bin
GEN=$ROOT/build/bench/rsgen
: "${ROWS:=1000000}"
: "${RUNS:=3}"
T=$(mktemp -d "${TMPDIR:-/tmp}/sluice-bench.XXXXXX")
chmod 755 "$T"
trap 'rm -rf "$T"' EXIT
export LC_ALL=C

# best CMD...: runs the shell command RUNS times; sets SECS to the best
# wall time and RSS to the largest peak resident set (kB) of any run.
best() {
	SECS= RSS=0
	i=0
	while [ $i -lt "$RUNS" ]; do
		/usr/bin/time -f '%e %M' -o "$T/time" sh -c "$1" ||
		    { fail "failed: $1"; return 1; }
		read -r s m <"$T/time"
		if [ -z "$SECS" ] || [ "$(echo "$s < $SECS" | bc)" = 1 ]; then
			SECS=$s
		fi
		[ "$m" -gt "$RSS" ] && RSS=$m
		i=$((i + 1))
	done
}

# wall CMD: best wall time (seconds, ms resolution) of a pipeline, in SECS.
wall() {
	SECS=
	i=0
	while [ $i -lt "$RUNS" ]; do
		t0=$(date +%s.%N)
		sh -c "$1" || { fail "failed: $1"; return 1; }
		t1=$(date +%s.%N)
		s=$(echo "$t1 - $t0" | bc)
		if [ -z "$SECS" ] || [ "$(echo "$s < $SECS" | bc)" = 1 ]; then
			SECS=$s
		fi
		i=$((i + 1))
	done
}

# cpu CMD: user + system seconds of one run, in CPU: on a busy machine
# the wall time of "best" says more about the neighbours than about us.
cpu() {
	/usr/bin/time -f '%U %S' -o "$T/cpu" sh -c "$1" || return 1
	CPU=$(awk '{ print $1 + $2 }' "$T/cpu")
}

# rate ROWS SECS: rows a second
rate() {
	echo "$1 / $2" | bc
}

mb() {
	echo "scale=1; $1 / 1024" | bc
}

# fail MSG: a benchmark that did not run as it should (a command failed,
# a table does not hold what it must): said on stderr, and the script
# ends with status 1 (bench_exit). Never used for a slow figure.
BENCH_ST=0
fail() {
	echo "bench $(basename "$0" .sh): $*" >&2
	BENCH_ST=1
}
bench_exit() {
	exit "$BENCH_ST"
}

# quick: true under QUICK=1 (make bench QUICK=1, the bench test suite):
# 100,000 rows and one round, to show that the benchmark still runs.
quick() {
	[ "${QUICK:-}" = 1 ]
}
if quick; then
	ROWS=100000 RUNS=1
fi

# rounds NAMES: RUNS rounds in which each contender NAME takes its turn
# (so that a slow moment of the machine hits all of them alike): before
# each turn the script's own `empty NAME` (outside the timing), then the
# shell command in $cmd_NAME (a dash in NAME is an underscore in the
# variable) under GNU time, then the script's `check NAME`. Each turn
# adds a line "secs peak-rss-kB" to $T/NAME.times; the peak RSS is that
# of the largest single process of the command (of a pipe, its largest
# program).
rounds() {
	r=0
	while [ $r -lt "$RUNS" ]; do
		for n in $1; do
			v=$(echo "$n" | tr - _)
			eval "c=\$cmd_$v"
			empty "$n"
			/usr/bin/time -f '%e %M' -o "$T/time" sh -c "$c" ||
			    fail "$n failed: $c"
			cat "$T/time" >>"$T/$n.times"
			check "$n"
		done
		r=$((r + 1))
	done
}

# stats NAME: "median min max peak-rss-kB" of $T/NAME.times
stats() {
	sort -n "$T/$1.times" | awk '{ s[NR] = $1; if ($2 > m) m = $2 }
	    END { printf "%.2f %.2f %.2f %d\n", s[int((NR + 1) / 2)], s[1], s[NR], m }'
}

# table NAMES BASE [BASE2]: the contenders' medians, min, max and peak
# RSS, with their ratio to the median of BASE (and of BASE2) when that
# ran, labelled by $label_NAME. With TSV set, each also as a line "NAME ROWS median
# min max rss-kB" appended to that file (bench/growth.sh reads it).
table() {
	b1= b2=
	[ -f "$T/$2.times" ] && b1=$(stats "$2" | cut -d' ' -f1)
	[ -n "${3:-}" ] && [ -f "$T/$3.times" ] && b2=$(stats "$3" | cut -d' ' -f1)
	printf '  %-44s %8s %8s %8s %9s%s%s\n' "" median min max "peak RSS" \
	    "${b1:+ $(printf %9s "x $2")}" "${b2:+ $(printf %9s "x $3")}"
	for n in $1; do
		v=$(echo "$n" | tr - _)
		eval "l=\$label_$v"
		set -- $(stats "$n")
		printf '  %-44s %7.2fs %7.2fs %7.2fs %6.1f MB' "$l" "$1" "$2" \
		    "$3" "$(mb "$4")"
		[ -n "$b1" ] && printf ' %8.2fx' "$(echo "scale=2; $1 / $b1" | bc)"
		[ -n "$b2" ] && printf ' %8.2fx' "$(echo "scale=2; $1 / $b2" | bc)"
		printf '\n'
		[ -n "${TSV:-}" ] && echo "$n $ROWS $*" >>"$TSV"
	done
}

# only NAMES: NAMES less those not in $ONLY, when it is set (growth runs
# one contender of a benchmark)
only() {
	[ -z "${ONLY:-}" ] && { echo "$1"; return; }
	for n in $1; do
		case " $ONLY " in *" $n "*) printf '%s ' "$n" ;; esac
	done
}

# server: a throwaway PostgreSQL (scripts/pg-sandbox) for this script,
# its PG* environment exported, stopped and removed at exit; false when
# it does not start.
server() {
	PGSB=$ROOT/scripts/pg-sandbox
	env=$("$PGSB" start "$T/pg") || return 1
	eval "$env"
	trap '"$PGSB" stop "$T/pg" >/dev/null 2>&1; rm -rf "$T"' EXIT
}

# pgtable DB: in DB (on the server above), the extract benchmarks' table
# t, ROWS rows of bigint (its primary key), int, three short text columns
# and a date, vacuumed, and t2, empty, like it.
pgtable() {
	psql -XAtq -d "$1" -c "
create table t (id bigint primary key, n int, a text, b text, c text, d date);
insert into t select i, i % 1000, 'first' || i, 'middle' || (i % 77),
	'last' || (i % 1013), date '2000-01-01' + (i % 9000)
	from generate_series(1, $ROWS) i;
create table t2 (like t including all);" -c "vacuum analyze t"
}

# users_ddl IDTYPE: the users table the pipeline loads (pipeline.sh,
# growth-why.sh), keyed by IDTYPE (uuid, or bigint for a sequential key).
users_ddl() {
	cat <<EOF
create table users (
	id		$1 primary key,
	old_id		bigint not null unique,
	school_id	uuid,
	first_name	text,
	middle_name	text,
	last_name	text,
	email		text,
	city		text,
	born		date
);
EOF
}
