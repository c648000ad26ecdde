# split-name.sh: the table function of tests/cli/split-name.sh, sourced
# after common.sh.
#
# ts STATUS ARGS INPUT EXPECTED [STDERR]
#
# Like t, but EXPECTED (tests/cli/expected/split-name/EXPECTED) is the
# output as `rowcat --json` shows it, rows read before any error included,
# and when STATUS is 0 the output's trailers must also check out with an
# independent reader (tests/lib/split-name.py).
ts() {
	want=$1 args=$2 input=$3 expect=$4 pat=${5:-}
	name="split-name $args < $input"
	made_input "$name" "$input" || return
	eval "\"\$BIN/split-name\" $args" <"$T/in" >"$T/out.rs" 2>"$T/err"
	got=$?
	status_is "$name" "$want" "$got" || return
	"$BIN/rowcat" -q --json "$T/out.rs" >"$T/out" 2>"$T/rcerr"
	rc=$?
	if [ "$want" -eq 0 ] && { [ "$rc" -ne 0 ] ||
	    ! $PY "$ROOT/tests/lib/split-name.py" <"$T/out.rs" >"$T/why" 2>&1; }; then
		notok "$name: the output stream does not check out"
		indent "$T/rcerr" "$T/why"
		return
	fi
	output_is "$name" split-name "$expect" "$T/out" &&
	    stderr_has "$name" "$pat" &&
	    ok "$name"
}
