#!/bin/sh
# The end mark: a stream is whole only when it ends with {"end": N}, and a
# program that fails never writes one. Every reading program refuses a
# stream cut between two segments; every transform whose input fails
# between segments passes on nothing a reader would take as whole; joined
# streams still read. (issue 14, items 1, 2 and 7)
. "$(dirname "$0")/../lib/common.sh"

# e STATUS PROGRAM+ARGS INPUT STDERR: runs it, checks the status and that
# stderr holds STDERR; then, for a program that writes a stream, that
# rowcat accepts its output exactly when it succeeded.
e() {
	want=$1 cmd=$2 input=$3 pat=$4
	name="$cmd < $input"
	(eval "$input") >"$T/in" 2>/dev/null
	eval "\"\$BIN\"/$cmd" <"$T/in" >"$T/out" 2>"$T/err"
	got=$?
	if [ "$got" -ne "$want" ] || ! grep -qF -- "$pat" "$T/err"; then
		notok "$name: exit $got (wanted $want), stderr lacks \"$pat\"?"
		indent "$T/err"
		return
	fi
	case $cmd in rowcat*|verify*) ok "$name: exit $want"; return ;; esac
	"$BIN/rowcat" -q --json "$T/out" >/dev/null 2>"$T/err2"
	st=$?
	if [ "$want" -eq 0 ] && [ "$st" -eq 0 ]; then
		ok "$name: exit 0, a whole output stream"
	elif [ "$want" -ne 0 ] && [ "$st" -eq 3 ]; then
		ok "$name: exit $want, output refused downstream ($(sed 's/.*byte [0-9]*: //' "$T/err2" | cut -c1-60))"
	else
		notok "$name: exit $want but rowcat of its output exits $st"
		indent "$T/err2"
	fi
}

printf '\201\243end\000' >"$T/end0.rs"	# {"end": 0}: a stream of no segments
printf '\201\243end\001' >"$T/end1.rs"	# {"end": 1}
printf '\000' >"$T/nul"
# readers: a stream cut right after a trailer, a wrong count, a join
e 3 "rowcat --json"        "mk --no-end two"             "after the trailer of \"public.courses\" (segment 3) without the end mark"
e 3 "rowcat --json"        "mk --end 2 two"              "end mark says 2 segments, the stream has 3 since its start"
e 0 "rowcat --json"        "mk two; mk people"           ""
e 3 "rowcat --json"        "mk two; mk --no-end people"  "without the end mark"
e 0 "rowcat --json"        "cat \$T/end0.rs"            ""
e 0 "rowcat --json"        "mk people; cat \$T/end0.rs" ""
e 3 "rowcat --json"        "mk people; cat \$T/end1.rs" "end mark says 1 segments, the stream has 0 since the previous end mark"
e 3 "verify - /dev/null"   "mk --no-end people"          "without the end mark"

# transforms: input whole up to a segment boundary, then garbage or a cut
for x in "cols '*'" "remap -a id=serial" "split-name -c full_name" \
    "unique -c name"; do
	case $x in split*) f=names ;; *) f=people ;; esac
	e 3 "$x" "mk --no-end $f"                  "without the end mark"
	e 3 "$x" "mk --no-end $f; cat \$T/nul"     "not a row stream"
	e 3 "$x" "mk --no-end $f; mk --truncate 40 $f" "truncated stream"
	e 0 "$x" "mk $f; mk $f"                    ""
done
# split-name on two tables where the second lacks the column: nothing whole
e 2 "split-name -c full_name" "mk names; mk people"   "full_name"
# remap's map-out is a whole stream too, and absent when remap fails
e 0 "remap -a id=serial --map-out \"\$T/map.rs\"" "mk people" ""
if "$BIN/rowcat" -q --json "$T/map.rs" >/dev/null 2>&1; then
	ok "remap --map-out: a whole stream, end mark included"
else
	notok "remap --map-out: the map file does not read as a whole stream"
fi

# extract's own output ends with the end mark, checked by python
"$BIN/extract" -q --csv "$ROOT/tests/fixtures/csv/people.csv" --header \
    >"$T/x.rs" 2>"$T/err"
if $PY "$ROOT/tests/lib/rscheck.py" "$T/x.rs" >/dev/null 2>"$T/why" &&
    ! [ -s "$T/err" ]; then
	ok "extract -q: quiet, and its stream ends with the end mark (rscheck.py)"
else
	notok "extract -q: stderr not empty or the stream does not check out"
	indent "$T/err" "$T/why"
fi

# A few bytes that declare a 900 MB string: truncated (3), without
# allocating it first; the address-space limit makes the old behaviour
# (buffer the claim, fail with "out of memory", exit 5) visible. ASan
# reserves terabytes of shadow memory, so this case runs on the plain
# build only.
case $BIN in
*asan*) ;;
*)
	$PY - >"$T/claim.rs" <<'EOF'
import msgpack, sys
h = msgpack.packb({"rowstream": 1, "table": "t", "columns": [["s", "text"]]})
sys.stdout.buffer.write(h + b"\x91\xdb\x35\xa4\xe9\x00xy")
EOF
	(ulimit -v 200000; "$BIN/rowcat" --json "$T/claim.rs") >/dev/null 2>"$T/err"
	st=$?
	n="rowcat: a 10-byte row claiming 900 MB is a truncated stream (3), not out of memory"
	status_is "$n" 3 "$st" && stderr_has "$n" "truncated stream" && ok "$n"
	;;
esac
