# common.sh: what the shell test suites share. Source it from a suite;
# it sets ROOT (the checkout), BIN (the programs under test: bin, or
# build/asan/bin for the sanitizer run), PY (Debian's python3, which has
# python3-msgpack) and T (a scratch directory removed at exit).
#
# A suite prints one line a case: "ok - what" or "not ok - what", then
# indented "#" lines saying why. tests/run counts them.

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
: "${BIN:=$ROOT/bin}"
case $BIN in /*) ;; *) BIN=$ROOT/$BIN ;; esac
PY=/usr/bin/python3
T=$(mktemp -d "${TMPDIR:-/tmp}/sluice-test.XXXXXX")
chmod 755 "$T"	# a sandbox server (user postgres) lives under it
trap 'rm -rf "$T"' EXIT
export LC_ALL=C.UTF-8

# printf, not echo: sh's echo would turn a name's \0 or \c into bytes
ok() { printf 'ok - %s\n' "$*"; }
notok() { printf 'not ok - %s\n' "$*"; }
indent() { sed 's/^/#   /' "$@" | head -n 40; }

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

# shown NAME STATUS STREAM OUT [ROWCAT OPTIONS]
#
# Shows STREAM, the output of a program that exited with STATUS, with
# rowcat into OUT. A failed program's stream must not look complete
# (rowcat fails on it), a successful one's must be readable; otherwise
# says "not ok - NAME: ..." and returns 1.
shown() {
	_name=$1 _want=$2 _in=$3 _out=$4
	shift 4
	"$BIN/rowcat" -q "$@" "$_in" >"$_out" 2>"$T/rcerr"
	_rc=$?
	if [ "$_want" -ne 0 ] && [ "$_rc" -eq 0 ]; then
		notok "$_name: failed, but its stream looks complete"
		return 1
	fi
	if [ "$_want" -eq 0 ] && [ "$_rc" -ne 0 ]; then
		notok "$_name: rowcat cannot read the stream"
		indent "$T/rcerr"
		return 1
	fi
}

# judged NAME WANT GOT EXPECTED [STDERR]
#
# Judges a run of extract that left its stream in ./out and its stderr
# in ./err and exited GOT: it must be WANT; with 0 the stream, shown by
# rowcat --json (or --schema, when EXPECTED starts with "--schema:"),
# must be EXPECTED; with another it must not look complete; and stderr
# must hold STDERR. Says "ok" or "not ok - NAME: ...". The table runners
# of tests/cli/extract-{sqlite,text,jsonl}.sh run their extract, then
# this.
judged() {
	_jn=$1 _jwant=$2 _jgot=$3 _jexp=$4 _jpat=${5:-}
	if [ "$_jgot" -ne "$_jwant" ]; then
		notok "$_jn: exit status $_jgot, wanted $_jwant"
		indent err
		return
	fi
	_jview=--json
	case $_jexp in --schema:*) _jview=--schema _jexp=${_jexp#--schema:} ;; esac
	shown "$_jn" "$_jwant" out got $_jview || return
	if [ "$_jwant" -eq 0 ] && ! printf '%s\n' "$_jexp" | diff -u - got >diff; then
		notok "$_jn: output differs"
		indent diff
		return
	fi
	if [ -n "$_jpat" ] && ! grep -qF -- "$_jpat" err; then
		notok "$_jn: stderr lacks \"$_jpat\""
		indent err
		return
	fi
	ok "$_jn"
}

# mk [mkstream options] FIXTURE: a row stream from tests/fixtures/FIXTURE.json
mk() {
	$PY "$ROOT/tests/lib/mkstream.py" "$@"
}

# t STATUS ARGS INPUT EXPECTED [STDERR]
#
# Runs "$BIN/$PROG ARGS" with the output of the shell command INPUT on
# stdin, and checks the exit status, stdout against the golden file
# tests/cli/expected/$PROG/EXPECTED ("-": not checked; "=TEXT": the
# output is TEXT and a newline, for a short one kept in the table) and,
# if given, that stderr contains the string STDERR. UPDATE=1 rewrites
# golden files (review the diff before committing them).
t() {
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
	gold=$ROOT/tests/cli/expected/$PROG/$expect
	case $expect in =*)
		printf '%s\n' "${expect#=}" >"$T/inline"
		gold=$T/inline ;;
	esac
	if [ "$expect" != "-" ] && [ "${UPDATE:-}" = 1 ] && [ "$gold" != "$T/inline" ]; then
		mkdir -p "$(dirname "$gold")"
		cp "$T/out" "$gold"
	fi
	if [ "$expect" != "-" ] && ! diff -u "$gold" "$T/out" >"$T/diff" 2>&1; then
		case $expect in
		=*) notok "$name: output differs from the table's" ;;
		*) notok "$name: output differs from $expect" ;;
		esac
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

# says STATUS MESSAGE COMMAND: runs the shell command COMMAND and checks
# its exit status and that its stderr is MESSAGE, exactly and once (a
# message printed twice, with a doubled prefix or raw bytes fails).
says() {
	want=$1 msg=$2 cmd=$3
	name="$cmd: says '$(printf '%s\n' "$msg" | head -n 1)'"
	(eval "$cmd") >"$T/out" 2>"$T/err"
	got=$?
	printf '%s\n' "$msg" >"$T/want"
	if [ "$got" -ne "$want" ]; then
		notok "$name: exit status $got, wanted $want"
		indent "$T/err"
	elif ! cmp -s "$T/want" "$T/err"; then
		notok "$name: stderr differs"
		diff -u "$T/want" "$T/err" | indent
	else
		ok "$name"
	fi
}
