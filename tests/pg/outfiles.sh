#!/bin/sh
# load --rejects FILE as an output file (lib/ofile.c; the programs that
# need no server are in tests/cli/ofile.sh): 0600 under umask 000, also
# replacing a 0644 file; a symbolic link followed and kept; /dev/stdout
# the shell's descriptor; a device or fifo written in place and kept.
. "$(dirname "$0")/../lib/common.sh"
. "$ROOT/tests/lib/pg.sh"
newdb sluice_outfiles
PROG=load

q "create table rr (id int primary key, n int check (n > 0))"
cat >"$T/rr.json" <<'EOF'
{"table": "rr", "columns": [["id", "int4"], ["n", "int4"]],
 "rows": [[1, 1], [2, -1]]}
EOF
mk "$T/rr.json" >"$T/rr.rs"
mode() { stat -c %a "$1"; }
# rj PATH: a dry run whose one refused row goes to PATH
rj() { "$BIN/load" -q -n -d "$DB" -r "$1" "$T/rr.rs"; }

umask 000
rj "$T/ref.rs"
check "load --rejects: the file holds the refused row" sh -c \
    "'$BIN/rowcat' -q --json '$T/ref.rs' | grep -q '\"id\":2'"
check "load --rejects: a new file is 0600 under umask 000" test "$(mode "$T/ref.rs")" = 600
echo old >"$T/f644"; chmod 644 "$T/f644"
rj "$T/f644"
check "load --rejects: replacing a 0644 file gives 0600" test "$(mode "$T/f644")" = 600
check "load --rejects: replacing a file writes it" cmp "$T/ref.rs" "$T/f644"

mkdir "$T/links" "$T/targets"
echo old >"$T/targets/t"
ln -s ../targets/t "$T/links/l"
rj "$T/links/l"
check "load --rejects: a symbolic link stays a link" test -L "$T/links/l"
check "load --rejects: a symbolic link's target is written" cmp "$T/ref.rs" "$T/targets/t"
check "load --rejects: a symbolic link's target is 0600" test "$(mode "$T/targets/t")" = 600

rj /dev/stdout >"$T/stdout.rs"
check "load --rejects /dev/stdout: writes the shell's stdout" cmp "$T/ref.rs" "$T/stdout.rs"
check "load --rejects /dev/stdout: /dev/stdout stays a link" test -L /dev/stdout

null=/dev/null
mknod "$T/null" c 1 3 2>/dev/null && null=$T/null
rj "$null"
check "load --rejects to a device succeeds" test $? -eq 0
check "load --rejects: a device stays a character device" test -c "$null"

mkfifo "$T/fifo"
cat "$T/fifo" >"$T/fromfifo" &
reader=$!
rj "$T/fifo"
st=$?
test -p "$T/fifo" || kill "$reader"	# renamed over: no writer ever comes
wait "$reader"
check "load --rejects to a fifo succeeds" test "$st" -eq 0
check "load --rejects: the fifo's reader gets the rejects" cmp "$T/ref.rs" "$T/fromfifo"
check "load --rejects: a fifo stays a fifo" test -p "$T/fifo"
