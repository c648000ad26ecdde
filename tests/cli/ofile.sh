#!/bin/sh
# Output files that hold rows (lib/ofile.c), through each program that
# writes one without a server: extract -o, cols --rejects, remap
# --map-out (load --rejects is in tests/pg/outfiles.sh). They are 0600
# whatever the umask, also when they replace a 0644 file, and so is a
# temporary file a signal leaves behind; a symbolic link is followed and
# never replaced; a device or fifo is written in place and stays one;
# /dev/stdout is the descriptor the shell gave (>> appends).
. "$(dirname "$0")/../lib/common.sh"
PROG=ofile
F=$ROOT/tests/fixtures/csv/people.csv

# The writers: W PATH writes its file to PATH, and W PATH bad is a run
# that fails half way (after the file was opened).
x() {
	if [ "${2:-}" = bad ]; then
		"$BIN/extract" --quiet --csv "$ROOT/tests/fixtures/csv/fieldcount.csv" \
		    --header -o "$1"
	else
		"$BIN/extract" --quiet --csv "$F" --header -o "$1"
	fi
}
c() {
	mk ${2:+--truncate 200} casts | "$BIN/cols" -q --cast s:int8 -r "$1" >/dev/null
}
r() {
	mk ${2:+--truncate 200} journal | "$BIN/remap" -q -a id=serial:10 \
	    --map-out "$1" >/dev/null
}
name_x="extract -o" name_c="cols --rejects" name_r="remap --map-out"

mode() { stat -c %a "$1"; }
# notmp DIR: no temporary file was left in DIR
notmp() { ! ls -A "$1" | grep -q '\.tmp\.'; }

mkdir "$T/ref"
umask 000
for w in x c r; do
	eval "n=\$name_$w"
	d=$T/$w
	mkdir "$d" "$d/links" "$d/targets"
	chmod 755 "$d/links" "$d/targets"

	# a new file, under umask 000
	$w "$T/ref/$w" 2>"$T/err"
	check "$n: writes its file" test -s "$T/ref/$w"
	check "$n: a new file is 0600 under umask 000" test "$(mode "$T/ref/$w")" = 600

	# replacing an existing 0644 file, and a 0666 one under umask 022
	echo old >"$d/f644"; chmod 644 "$d/f644"
	$w "$d/f644" 2>"$T/err"
	check "$n: replacing a 0644 file gives 0600" test "$(mode "$d/f644")" = 600
	check "$n: replacing a file writes it" cmp "$T/ref/$w" "$d/f644"
	echo old >"$d/f666"; chmod 666 "$d/f666"
	(umask 022; $w "$d/f666") 2>"$T/err"
	check "$n: replacing a 0666 file under umask 022 gives 0600" \
	    test "$(mode "$d/f666")" = 600

	# a symbolic link to a regular file in another directory
	echo old >"$d/targets/t"; chmod 644 "$d/targets/t"
	ln -s ../targets/t "$d/links/l"
	$w "$d/links/l" 2>"$T/err"
	check "$n: a symbolic link stays a link" sh -c \
	    "test -L '$d/links/l' && test \"\$(readlink '$d/links/l')\" = ../targets/t"
	check "$n: a symbolic link's target is written" cmp "$T/ref/$w" "$d/targets/t"
	check "$n: a symbolic link's target is 0600" test "$(mode "$d/targets/t")" = 600
	check "$n: no temporary file left by a link" sh -c \
	    "! ls -A '$d/links' '$d/targets' | grep -q '\\.tmp\\.'"
	echo old >"$d/targets/t"
	$w "$d/links/l" bad 2>"$T/err"
	check "$n: a failed run leaves a link's target as it was" sh -c \
	    "test -L '$d/links/l' && test \"\$(cat '$d/targets/t')\" = old"
	ln -s nowhere "$d/links/dangling"
	$w "$d/links/dangling" 2>"$T/err"
	st=$?
	check "$n: a dangling link is refused (exit 5)" sh -c \
	    "test $st -eq 5 && grep -q 'not writing through a dangling symbolic link' '$T/err'"
	check "$n: a dangling link stays as it was" sh -c \
	    "test -L '$d/links/dangling' && test ! -e '$d/links/nowhere'"

	# a device: a private /dev/null if we may make one, else /dev/null
	null=/dev/null what=/dev/null
	mknod "$d/null" c 1 3 2>/dev/null && null=$d/null what="a node like /dev/null"
	$w "$null" 2>"$T/err"
	st=$?
	check "$n: writing to a device ($what) succeeds" test "$st" -eq 0
	check "$n: a device stays a character device" test -c "$null"
	ln -s "$null" "$d/links/tonull"
	$w "$d/links/tonull" 2>"$T/err"
	check "$n: a link to a device stays a link to it" sh -c \
	    "test -L '$d/links/tonull' && test -c '$d/links/tonull'"

	# a fifo with a reader
	mkfifo "$d/fifo"
	cat "$d/fifo" >"$d/fromfifo" &
	reader=$!
	$w "$d/fifo" 2>"$T/err"
	st=$?
	# a fifo renamed over, or a writer that never opened it, would
	# leave the reader waiting for ever: a read-write open (which never
	# blocks on Linux) and its close give the reader its end of file
	if test -p "$d/fifo"; then
		exec 3<>"$d/fifo"
		exec 3>&-
	else
		kill "$reader"
	fi
	wait "$reader"
	check "$n: writing to a fifo succeeds" test "$st" -eq 0
	check "$n: the reader of a fifo gets the whole file" cmp "$T/ref/$w" "$d/fromfifo"
	check "$n: a fifo stays a fifo" test -p "$d/fifo"
	check "$n: no temporary file left" notmp "$d"
done

# /dev/stdout and /dev/fd/N are the descriptors the shell opened
echo x >"$T/append"
x /dev/stdout >>"$T/append"
check "extract -o /dev/stdout >>: appends to the shell's file" sh -c \
    "{ echo x; cat '$T/ref/x'; } | cmp - '$T/append'"
check "extract -o /dev/stdout: /dev/stdout stays a link" test -L /dev/stdout
x /dev/stdout | cmp - "$T/ref/x" >"$T/chk" 2>&1
check "extract -o /dev/stdout into a pipe" test $? -eq 0
x /dev/fd/7 7>"$T/fd7"
check "extract -o /dev/fd/7 writes descriptor 7" cmp "$T/ref/x" "$T/fd7"
x /dev/fd/9 2>"$T/err"
check "extract -o /dev/fd/9 with no descriptor 9: exit 5" test $? -eq 5

# A temporary file that a signal leaves behind is 0600 too: extract
# opens its output, then blocks opening the CSV fifo until killed.
mkdir "$T/sig"
mkfifo "$T/sig/csv"
"$BIN/extract" --quiet --csv "$T/sig/csv" --header -o "$T/sig/out" &
pid=$!
i=0
while [ -z "$(ls "$T/sig" | grep '^out\.tmp\.')" ] && [ $i -lt 600 ]; do
	sleep 0.1
	i=$((i + 1))
done
kill -9 "$pid"
wait "$pid" 2>/dev/null
tmp=$(ls "$T/sig" | grep '^out\.tmp\.')
check "a temporary file left by kill -9 is there" test -n "$tmp"
check "a temporary file left by kill -9 is 0600 under umask 000" \
    test "$(mode "$T/sig/$tmp")" = 600
check "a killed run leaves no output under its name" test ! -e "$T/sig/out"
