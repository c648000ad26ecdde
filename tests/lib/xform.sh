# xform.sh: what the transform suites (remap, cols) share, on top of
# common.sh (source that first). tj is t for filters: the output stream
# is shown with rowcat --json for the golden file, and its trailers are
# checked twice, by rowcat and by tests/lib/rscheck.py (python).

RSCHECK="$PY $ROOT/tests/lib/rscheck.py"

# tj STATUS ARGS INPUT EXPECTED [STDERR]: as t, EXPECTED being the
# output as rowcat --json shows it (for a failed run: the rows that got
# out before it stopped). When STATUS is 0 the output's trailers must be
# right, by both checkers.
tj() {
	want=$1 args=$2 input=$3 expect=$4 pat=${5:-}
	name="$PROG $args < $input"
	if ! (eval "$input") >"$T/in" 2>"$T/mkerr"; then
		notok "$name: cannot make the input"
		indent "$T/mkerr"
		return
	fi
	eval "\"\$BIN/\$PROG\" $args" <"$T/in" >"$T/out" 2>"$T/err"
	got=$?
	if [ "$got" -ne "$want" ]; then
		notok "$name: exit status $got, wanted $want"
		indent "$T/err"
		return
	fi
	"$BIN/rowcat" -q --json "$T/out" >"$T/json" 2>"$T/rcerr"
	rc=$?
	if [ "$want" -eq 0 ] && { [ "$rc" -ne 0 ] ||
	    ! $RSCHECK "$T/out" >/dev/null 2>>"$T/rcerr"; }; then
		notok "$name: the output's trailers are wrong"
		indent "$T/rcerr"
		return
	fi
	gold=$ROOT/tests/cli/expected/$PROG/$expect
	if [ "$expect" != "-" ] && [ "${UPDATE:-}" = 1 ]; then
		mkdir -p "$(dirname "$gold")"
		cp "$T/json" "$gold"
	fi
	if [ "$expect" != "-" ] && ! diff -u "$gold" "$T/json" >"$T/diff" 2>&1; then
		notok "$name: output differs from $expect"
		indent "$T/diff"
		return
	fi
	if [ -n "$pat" ] && ! grep -qF -- "$pat" "$T/err"; then
		notok "$name: stderr lacks \"$pat\""
		indent "$T/err"
		return
	fi
	ok "$name"
}

# rows FILE: the rows of a stream, all segments, counted by rscheck.py.
rows() {
	$RSCHECK "$1" | awk '{ n += $2 } END { print n + 0 }'
}

# check NAME COMMAND...: ok when the command succeeds.
check() {
	name=$1
	shift
	if "$@" >"$T/chk" 2>&1; then
		ok "$name"
	else
		notok "$name"
		indent "$T/chk"
	fi
}

# golden NAME STREAM EXPECTED: a stream file (a map, a rejects file) as
# rowcat --json shows it against a golden file, its trailers checked.
golden() {
	name=$1 f=$2 gold=$ROOT/tests/cli/expected/$PROG/$3
	if ! "$BIN/rowcat" -q --json "$f" >"$T/gjson" 2>"$T/gerr" ||
	    ! $RSCHECK "$f" >/dev/null 2>>"$T/gerr"; then
		notok "$name: a bad stream"
		indent "$T/gerr"
		return
	fi
	[ "${UPDATE:-}" = 1 ] && cp "$T/gjson" "$gold"
	if diff -u "$gold" "$T/gjson" >"$T/gdiff" 2>&1; then
		ok "$name"
	else
		notok "$name: differs from $3"
		indent "$T/gdiff"
	fi
}
