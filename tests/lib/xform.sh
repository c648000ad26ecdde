# xform.sh: what the transform suites (remap, cols) share, on top of
# common.sh (source that first). tj is t for filters: the output stream
# is shown with rowcat --json for the golden file, and its trailers are
# checked twice, by rowcat and by tests/lib/rscheck.py (python).

RSCHECK="$PY $ROOT/tests/lib/rscheck.py"

# tj STATUS ARGS INPUT EXPECTED [STDERR]: t, with EXPECTED the output as
# rowcat --json shows it (for a failed run: the rows that got out before
# it stopped). When the program exits 0 its output's trailers must be
# right, by both checkers. t runs a wrapper in $T/xf that does this.
mkdir -p "$T/xf"
cat >"$T/xf/$PROG" <<WRAP
#!/bin/sh
"$BIN/$PROG" "\$@" >"$T/xf.rs"
st=\$?
"$BIN/rowcat" -q --json "$T/xf.rs" 2>"$T/xf.err"
rc=\$?
if [ \$st -eq 0 ] && { [ \$rc -ne 0 ] || ! $RSCHECK "$T/xf.rs" >/dev/null 2>>"$T/xf.err"; }; then
	echo "the output's trailers are wrong:" >&2
	cat "$T/xf.err" >&2
	exit 99
fi
exit \$st
WRAP
chmod +x "$T/xf/$PROG"

tj() {
	realbin=$BIN
	BIN=$T/xf
	t "$@"
	BIN=$realbin
}

# rows FILE: the rows of a stream, all segments, counted by rscheck.py.
rows() {
	$RSCHECK "$1" | awk '{ n += $2 } END { print n + 0 }'
}

# golden NAME STREAM EXPECTED: a stream file (a map, a rejects file) as
# rowcat --json shows it against a golden file ("=TEXT": the lines TEXT,
# kept in the table), its trailers checked.
golden() {
	name=$1 f=$2 gold=$ROOT/tests/cli/expected/$PROG/$3
	case $3 in =*)
		printf '%s\n' "${3#=}" >"$T/ginline"
		gold=$T/ginline ;;
	esac
	if ! "$BIN/rowcat" -q --json "$f" >"$T/gjson" 2>"$T/gerr" ||
	    ! $RSCHECK "$f" >/dev/null 2>>"$T/gerr"; then
		notok "$name: a bad stream"
		indent "$T/gerr"
		return
	fi
	[ "${UPDATE:-}" = 1 ] && [ "$gold" != "$T/ginline" ] && cp "$T/gjson" "$gold"
	if diff -u "$gold" "$T/gjson" >"$T/gdiff" 2>&1; then
		ok "$name"
	else
		notok "$name: differs from $3"
		indent "$T/gdiff"
	fi
}
