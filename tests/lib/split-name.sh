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
	if ! (eval "$input") >"$T/in" 2>"$T/mkerr"; then
		notok "$name: cannot make the input"
		indent "$T/mkerr"
		return
	fi
	eval "\"\$BIN/split-name\" $args" <"$T/in" >"$T/out.rs" 2>"$T/err"
	got=$?
	if [ "$got" -ne "$want" ]; then
		notok "$name: exit status $got, wanted $want"
		indent "$T/err"
		return
	fi
	"$BIN/rowcat" -q --json "$T/out.rs" >"$T/out" 2>"$T/rcerr"
	rc=$?
	if [ "$want" -eq 0 ] && { [ "$rc" -ne 0 ] ||
	    ! $PY "$ROOT/tests/lib/split-name.py" <"$T/out.rs" >"$T/why" 2>&1; }; then
		notok "$name: the output stream does not check out"
		indent "$T/rcerr" "$T/why"
		return
	fi
	gold=$ROOT/tests/cli/expected/split-name/$expect
	if [ "${UPDATE:-}" = 1 ]; then
		mkdir -p "$(dirname "$gold")"
		cp "$T/out" "$gold"
	fi
	if ! diff -u "$gold" "$T/out" >"$T/diff" 2>&1; then
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
