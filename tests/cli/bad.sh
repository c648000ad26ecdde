#!/bin/sh
# The corpus of malformed streams and CSVs (tests/bad): every reading
# program gives the exit status and message tests/bad/expect says, never
# crashes (tests/run runs this under the sanitizer build too, where a
# finding is exit 86), and a transform that fails leaves an output that
# rowcat refuses. (issue 14, "Make it stay fixed")
. "$(dirname "$0")/../lib/common.sh"
. "$ROOT/tests/lib/bad.sh"
# Outputs are checked with the plain rowcat when there is one: what is
# under test there is the output, and the sanitizer build starts slowly.
RC=$ROOT/bin/rowcat
[ -x "$RC" ] || RC=$BIN/rowcat

# The committed streams are what gen.py makes.
$PY "$BAD/gen.py" "$T/gen" 2>"$T/err"
if diff -r "$T/gen" "$BAD/streams" >"$T/diff" 2>&1; then
	ok "tests/bad/streams: the files are what gen.py makes"
else
	notok "tests/bad/streams differ from gen.py's output (run tests/bad/gen.py)"
	indent "$T/err" "$T/diff"
fi
G=$BAD/streams/good.rs
for p in cols remap split-name unique; do
	case $p in
	cols) a="'*'" ;; remap) a="-a id=serial" ;; *) a="-c name" ;;
	esac
	if eval "\"\$BIN/$p\" -q $a" <"$G" >"$T/out" 2>"$T/err" &&
	    "$RC" -q --json "$T/out" >/dev/null 2>>"$T/err"; then
		ok "good.rs: $p reads it and writes a whole stream"
	else
		notok "good.rs: $p fails on the good stream"
		indent "$T/err"
	fi
done

# run PROG ARGS FILE: runs it on FILE; adds to $bad what is wrong
run() {
	p=$1 a=$2 f=$3
	bad_want "$p"
	eval "\"\$BIN/$p\" $a" <"$f" >"$o.out" 2>"$o.err"
	why=$(bad_check "$p" $? "$o.err")
	case $p in rowcat|verify) ;; *)
		if [ -z "$why" ] && [ "${WANT#todo}" -ne 0 ] &&
		    "$RC" -q --json "$o.out" >/dev/null 2>&1; then
			why="$p: failed, but rowcat takes its output as a whole stream"
		fi ;;
	esac
	if [ -n "$why" ]; then
		bad="$bad$why$NL$(indent "$o.err")$NL"
	fi
}

# one NAME: the report line for one file of the corpus
one() {
	n=$1 bad=
	bad_load "$n"
	case $n in
	csv/*)
		run extract "-q --csv - --header --types id:int8 --name t" \
		    "$BAD/$n"
		if [ -z "$bad" ] && [ "$WANT" = 0 ]; then
			"$RC" -q --json "$o.out" >"$o.got" 2>&1
			"$BIN/extract" -q --csv "$BAD/csv/ok.csv" --header \
			    --types id:int8 --name t | "$RC" -q --json \
			    >"$o.ok" 2>&1
			cmp -s "$o.got" "$o.ok" ||
			    bad="the rows differ from csv/ok.csv's: $(cat "$o.got")"
		fi
		bad_report "$n" "extract --csv" "$bad"
		return ;;
	esac
	f=$BAD/streams/$n.rs
	run rowcat "--json" "$f"
	run cols "'*'" "$f"
	run remap "-a id=serial" "$f"
	run split-name "-c name" "$f"
	run unique "-c name" "$f"
	run verify "- \"\$G\"" "$f"
	run verify "\"\$G\" -" "$f"
	bad_report "$n" "rowcat, cols, remap, split-name, unique, verify A B, verify B A" \
	    "$bad"
}

# Four files at a time (most of the time goes to starting the programs),
# reported in table order.
i=0
for n in $(bad_names); do
	i=$((i + 1))
	o=$T/$i
	one "$n" >"$o.report" &
	[ $((i % 4)) -eq 0 ] && wait
done
wait
j=1
while [ $j -le $i ]; do
	cat "$T/$j.report"
	j=$((j + 1))
done
