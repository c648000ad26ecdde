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
	status_is "$_jn" "$_jwant" "$_jgot" err || return
	_jview=--json
	case $_jexp in --schema:*) _jview=--schema _jexp=${_jexp#--schema:} ;; esac
	shown "$_jn" "$_jwant" out got $_jview || return
	if [ "$_jwant" -eq 0 ] && ! printf '%s\n' "$_jexp" | diff -u - got >diff; then
		notok "$_jn: output differs"
		indent diff
		return
	fi
	stderr_has "$_jn" "$_jpat" err && ok "$_jn"
}

# mk [mkstream options] FIXTURE: a row stream from tests/fixtures/FIXTURE.json
mk() {
	$PY "$ROOT/tests/lib/mkstream.py" "$@"
}

# The steps of a table runner (t below, ts in tests/lib/split-name.sh, x
# in tests/cli/extract.sh). Each says "not ok - NAME: ..." and returns 1
# when its check fails, so that a runner is a chain of them:
# made_input NAME INPUT && ... && ok "$name".

# made_input NAME INPUT: the output of the shell command INPUT into $T/in.
made_input() {
	if ! (eval "$2") >"$T/in" 2>"$T/mkerr"; then
		notok "$1: cannot make the input"
		indent "$T/mkerr"
		return 1
	fi
}

# status_is NAME WANT GOT [STDERR FILE]: the exit status GOT is WANT; when
# not, shows STDERR FILE (default $T/err).
status_is() {
	[ "$3" -eq "$2" ] && return
	notok "$1: exit status $3, wanted $2"
	indent "${4:-$T/err}"
	return 1
}

# output_is NAME DIR EXPECTED OUT: OUT is the golden file
# tests/cli/expected/DIR/EXPECTED ("-": not checked; "=TEXT": the output
# is TEXT and a newline, for a short one kept in the table). UPDATE=1
# rewrites the golden file (review the diff before committing it).
output_is() {
	_gn=$1 _gexp=$3 _gout=$4
	[ "$_gexp" = - ] && return
	case $_gexp in
	=*)	printf '%s\n' "${_gexp#=}" >"$T/inline"
		_gold=$T/inline _gwhat="the table's" ;;
	*)	_gold=$ROOT/tests/cli/expected/$2/$_gexp _gwhat=$_gexp
		if [ "${UPDATE:-}" = 1 ]; then
			mkdir -p "$(dirname "$_gold")"
			cp "$_gout" "$_gold"
		fi ;;
	esac
	if ! diff -u "$_gold" "$_gout" >"$T/diff" 2>&1; then
		notok "$_gn: output differs from $_gwhat"
		indent "$T/diff"
		return 1
	fi
}

# stderr_has NAME STDERR [STDERR FILE]: STDERR FILE (default $T/err) holds
# the string STDERR, when one is given.
stderr_has() {
	_wf=${3:-$T/err}
	if [ -n "$2" ] && ! grep -qF -- "$2" "$_wf"; then
		notok "$1: stderr lacks \"$2\""
		indent "$_wf"
		return 1
	fi
}

# t STATUS ARGS INPUT EXPECTED [STDERR]
#
# Runs "$BIN/$PROG ARGS" with the output of the shell command INPUT on
# stdin, and checks the exit status, stdout against the golden file
# tests/cli/expected/$PROG/EXPECTED (see output_is) and, if given, that
# stderr contains the string STDERR.
t() {
	want=$1 args=$2 input=$3 expect=$4 pat=${5:-}
	name="$PROG $args < $input"
	made_input "$name" "$input" || return
	eval "\"\$BIN/\$PROG\" $args" <"$T/in" >"$T/out" 2>"$T/err"
	got=$?
	status_is "$name" "$want" "$got" &&
	    output_is "$name" "$PROG" "$expect" "$T/out" &&
	    stderr_has "$name" "$pat" &&
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
