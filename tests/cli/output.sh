#!/bin/sh
# -o FILE / --output FILE on every transform (lib/ledger.c), with
# extract -o's semantics (lib/ofile.c): the file holds exactly the stream
# the program would have written to stdout, is 0600 whatever the umask,
# and appears only when the stream ended with its end mark: a failed run
# (a bad input, a row rejected with nowhere to go, an unknown column)
# leaves no new file, no temporary file, and an earlier file as it was.
. "$(dirname "$0")/../lib/common.sh"
PROG=output

# Each program with arguments that succeed on the fixture, and
# arguments that are a usage error found only once the header is read.
# program  | arguments                   | fixture | usage error
table='
cols       | id,name                     | people  | nope
remap      | -a id=serial:10             | journal | -a nope=serial
split-name | -c full_name                | names   | -c nope
unique     | -c email                    | names   | -c nope
password   | -c name --missing --cost 4  | people  | -c id --cost 4
'

mode() { stat -c %a "$1"; }
# notmp DIR: no temporary file was left in DIR
notmp() { ! ls -A "$1" | grep -q '\.tmp\.'; }

umask 000
echo "$table" | while IFS='|' read -r prog args fx bad; do
	prog=$(echo $prog) fx=$(echo $fx)
	[ -n "$prog" ] || continue
	d=$T/$prog
	mkdir "$d"
	mk "$fx" >"$d/in.rs"
	mk --truncate 200 "$fx" >"$d/short.rs"

	# shellcheck disable=SC2086 # $args is a word list
	"$BIN/$prog" -q $args <"$d/in.rs" >"$d/stdout.rs" 2>"$d/err"
	"$BIN/$prog" -q $args -o "$d/out.rs" <"$d/in.rs" >"$d/o-stdout" 2>"$d/err"
	st=$?
	check "$prog -o: exit 0" test "$st" -eq 0
	check "$prog -o: nothing on stdout" test ! -s "$d/o-stdout"
	check "$prog -o: the file is what stdout would have had" \
	    cmp "$d/stdout.rs" "$d/out.rs"
	check "$prog -o: a new file is 0600 under umask 000" \
	    test "$(mode "$d/out.rs")" = 600
	"$BIN/$prog" -q $args --output "$d/long.rs" <"$d/in.rs" 2>"$d/err"
	check "$prog --output: the same file" cmp "$d/stdout.rs" "$d/long.rs"
	check "$prog -o: the file reads as a whole stream" \
	    "$BIN/rowcat" -q "$d/out.rs"

	# a truncated input: exit 3, no file
	"$BIN/$prog" -q $args -o "$d/bad.rs" <"$d/short.rs" 2>"$d/err"
	st=$?
	check "$prog -o, truncated input: exit 3" test "$st" -eq 3
	check "$prog -o, truncated input: no file" test ! -e "$d/bad.rs"
	check "$prog -o, truncated input: no temporary file" notmp "$d"

	# an earlier file stays as it was when a run fails
	echo old >"$d/old.rs"
	"$BIN/$prog" -q $args -o "$d/old.rs" <"$d/short.rs" 2>"$d/err"
	check "$prog -o, failed run: an earlier file stays as it was" \
	    test "$(cat "$d/old.rs")" = old

	# a usage error found once the header is read (exit 2): no file
	"$BIN/$prog" -q $bad -o "$d/usage.rs" <"$d/in.rs" 2>"$d/err"
	st=$?
	check "$prog -o, usage error: exit 2" test "$st" -eq 2
	check "$prog -o, usage error: no file" test ! -e "$d/usage.rs"
	check "$prog -o, usage error: no temporary file" notmp "$d"
done

# A row rejected with no --rejects file: the stream stops before its end
# mark (exit 1), so the file must not appear; with -r it does.
d=$T/rejected
mkdir "$d"
mk casts >"$d/in.rs"
"$BIN/cols" -q --cast s:int8 -o "$d/out.rs" <"$d/in.rs" 2>"$d/err"
st=$?
check "cols -o, rows rejected with nowhere to go: exit 1" test "$st" -eq 1
check "cols -o, rows rejected with nowhere to go: no file" test ! -e "$d/out.rs"
check "cols -o, rows rejected with nowhere to go: no temporary file" notmp "$d"
"$BIN/cols" -q --cast s:int8 -r "$d/rj.rs" -o "$d/out.rs" <"$d/in.rs" 2>"$d/err"
st=$?
check "cols -o -r, rows rejected: exit 0" test "$st" -eq 0
check "cols -o -r, rows rejected: the file and the rejects file" \
    sh -c "'$BIN/rowcat' -q '$d/out.rs' && '$BIN/rowcat' -q '$d/rj.rs'"

# A path that cannot be written fails before any input is read.
"$BIN/cols" -q -o "$T/no/such/dir/out.rs" <"$d/in.rs" 2>"$d/err"
st=$?
check "cols -o into a missing directory: exit 5" test "$st" -eq 5
check "cols -o into a missing directory: says which file" \
    grep -q "no/such/dir/out.rs" "$d/err"

# -o - is stdout, as for extract.
"$BIN/cols" -q id -o - <"$T/cols/in.rs" >"$d/dash.rs" 2>"$d/err"
"$BIN/cols" -q id <"$T/cols/in.rs" >"$d/plain.rs" 2>"$d/err"
check "cols -o -: writes stdout" cmp "$d/plain.rs" "$d/dash.rs"
