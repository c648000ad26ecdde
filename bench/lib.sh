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
		/usr/bin/time -f '%e %M' -o "$T/time" sh -c "$1" || return 1
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
		sh -c "$1" || return 1
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
