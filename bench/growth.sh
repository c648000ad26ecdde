#!/bin/sh
# Growth (issue 12): the full pipeline (bench/pipeline.sh, its
# extract | remap | split-name | load) and the constrained load
# (bench/bulk.sh, its load --bulk) at SIZES rows (default 100,000,
# 1,000,000 and 4,000,000), RUNS (3) runs each: the median seconds, the
# seconds per million rows and the peak RSS of the largest process, so
# that linear time (a flat line of seconds per million rows) and flat
# memory can be seen; and a PNG plot of both (gnuplot, when installed) in
# PNG (default bench/growth.png, linked from the README). Targets: every
# streaming program under 16 MB at every N, time per row flat from 100k
# to 4M. The figures plotted stay in bench/growth.dat; `sh
# bench/growth.sh --replot` draws the plot again from them alone. QUICK=1:
# 10,000 and 100,000 rows, one run, the figures and the plot in scratch
# files. SB=SIZE (e.g. SB=2GB): the servers' shared_buffers instead of the
# sandbox's 256MB (bench/growth-why.sh measured that it does not change
# the growth, README "Issue 12: where we stand").
. "$(dirname "$0")/lib.sh"
[ -z "${SB:-}" ] || export PG_SANDBOX_OPTS="${PG_SANDBOX_OPTS:-} -c shared_buffers=$SB"
: "${SIZES:=100000 1000000 4000000}"
: "${PNG:=$ROOT/bench/growth.png}"
DAT=$ROOT/bench/growth.dat
if quick; then
	SIZES="10000 100000" PNG=$T/growth.png DAT=$T/growth.dat
fi
REPLOT=
[ "${1:-}" = --replot ] && REPLOT=1
[ -z "$REPLOT" ] || [ -s "$DAT" ] || { fail "no $DAT to plot"; bench_exit; }
[ -z "$REPLOT" ] || RUNS=$(sed -n '1s/^# RUNS=\([0-9]*\).*/\1/p' "$DAT")

[ -n "$REPLOT" ] || for n in $SIZES; do
	for b in pipeline:pipeline bulk:bulk; do
		s=${b%%:*}
		env -u QUICK ROWS="$n" RUNS="$RUNS" ONLY="${b#*:}" TSV="$T/growth.tsv" \
		    sh "$ROOT/bench/$s.sh" >"$T/$s.$n.out" 2>&1 ||
		    { fail "$s at $n rows failed:"; cat "$T/$s.$n.out" >&2; }
	done
done
# one line a size: rows, then seconds, s per M rows and RSS MB of each
[ -n "$REPLOT" ] || [ -s "$T/growth.tsv" ] || { fail "no figures"; bench_exit; }
[ -n "$REPLOT" ] || for n in "# RUNS=$RUNS; rows, then secs, s/M rows, RSS MB of the pipeline and of load --bulk" $SIZES; do
	case $n in "#"*) echo "$n"; continue ;; esac
	printf '%s' "$n"
	for c in pipeline bulk; do
		awk -v c="$c" -v n="$n" '$1 == c && $2 == n {
		    printf " %s %.2f %.1f", $3, $3 * 1000000 / n, $6 / 1024 }' "$T/growth.tsv"
	done
	printf '\n'
done >"$DAT"
echo "growth: the full pipeline and the constrained load (load --bulk), median of $RUNS runs:"
printf '  %10s  %-32s  %-32s\n' "" "extract|remap|split-name|load" "load --bulk (constrained)"
printf '  %10s  %8s %11s %11s  %8s %11s %11s\n' rows secs "s/M rows" "peak RSS" secs "s/M rows" "peak RSS"
grep -v '^#' "$DAT" | while read -r n a b c d e f; do
	printf '  %10s  %7.2fs %10.2fs %8.1f MB  %7.2fs %10.2fs %8.1f MB\n' "$n" "$a" "$b" "$c" "$d" "$e" "$f"
done
echo "  (targets: flat seconds per million rows from the smallest to the largest; every program < 16 MB)"

if command -v gnuplot >/dev/null; then
	gnuplot <<EOF || fail "gnuplot failed"
set terminal png size 1000,420 font ",10"
set output "$PNG"
set multiplot layout 1,2 title "sluice growth ($(nproc) cores, server on the same machine; median of ${RUNS} runs)"
set logscale x
set format x "%.0s%c"
set xlabel "rows"
set key bottom right
set grid
set yrange [0:*]
set ylabel "seconds per million rows"
set title "time per row (flat is linear)"
plot "$DAT" using 1:3 with linespoints lw 2 title "extract|remap|split-name|load", \
     "" using 1:6 with linespoints lw 2 title "load --bulk (constrained table)"
set ylabel "peak RSS, MB (largest process)"
set title "memory (target < 16 MB)"
set yrange [0:20]
plot "$DAT" using 1:4 with linespoints lw 2 title "extract|remap|split-name|load", \
     "" using 1:7 with linespoints lw 2 title "load --bulk (constrained table)", \
     16 with lines dt 2 lc rgb "red" title "16 MB"
unset multiplot
EOF
	[ -s "$PNG" ] || fail "no plot in $PNG"
	quick || echo "  plot: ${PNG#"$ROOT"/}"
else
	echo "  (no plot: gnuplot is not installed: scripts/install-deps --bench)"
fi
bench_exit
