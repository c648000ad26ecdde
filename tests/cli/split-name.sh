#!/bin/sh
# split-name: splits a full-name column into first, middle and last names.
# Outputs are compared as `rowcat --json` shows them (tests/lib/split-name.sh).
. "$(dirname "$0")/../lib/common.sh"
. "$ROOT/tests/lib/split-name.sh"
PROG=split-name
RJ='"$T/rejects.rs"'

# status args                                        input                   golden              stderr
ts 0 "-c full_name"                                  "mk names"              default.jsonl
ts 0 "--column full_name"                            "mk names"              default.jsonl
ts 0 "-c full_name --case keep"                      "mk names"              default.jsonl
ts 0 "-c full_name --into given,middle,family"       "mk names"              into.jsonl
ts 0 "-c full_name --into ' given , middle,family '" "mk names"              into.jsonl
ts 0 "-c full_name --title title --suffix suffix"    "mk names"              title-suffix.jsonl
ts 0 "-c full_name --title title"                    "mk names"              title.jsonl
ts 0 "-c full_name --suffix suffix"                  "mk names"              suffix.jsonl
ts 0 "-c full_name --keep"                           "mk names"              keep.jsonl
ts 0 "-c full_name --case title"                     "mk names"              case-title.jsonl
ts 0 "-c full_name --keep --case title --title t --suffix s --into a,b,c" \
                                                     "mk names"              all.jsonl
ts 0 "-c full_name --title full_name"                "mk names"              title-as-source.jsonl
ts 0 "-c full_name --into full_name,middle_name,last_name" \
                                                     "mk names"              first-as-source.jsonl
ts 0 "-q -c full_name"                               "mk names"              default.jsonl
ts 0 "-c full_name --progress"                       "mk names"              default.jsonl
ts 0 "-c full_name"                                  "mk --wide-ints names"  default.jsonl
ts 0 "-c full_name"                                  "mk names-two"          two.jsonl
ts 0 "-c full_name --keep --suffix s"                "mk names-two"          two-keep.jsonl
ts 0 "-c full_name --into given,middle,family"       "mk names-clash"        clash-into.jsonl
ts 0 "-c full_name -r $RJ"                           "mk names-bad"          bad-rejected.jsonl  "students: 5 rows in, 3 out, 2 rejected"
ts 0 "-c full_name --rejects $RJ"                    "mk names"              default.jsonl       "students: 12 rows in, 12 out, 0 rejected"
ts 1 "-c full_name"                                  "mk names-bad"          bad-stopped.jsonl   "row 2 of \"students\": full_name: invalid UTF-8 at byte 5 (no --rejects file to put it in)"
ts 3 "-c full_name"                                  "mk --truncate 300 names" truncated.jsonl   "truncated stream"
ts 3 "-c full_name"                                  "mk --bad-hash names"   default.jsonl       "the rows hash to"
ts 3 "-c full_name"                                  "mk --no-trailer names" default.jsonl       "before its trailer"
ts 3 "-c full_name"                                  "true"                  empty               "no data, not even a header"
ts 2 ""                                              "mk names"              empty               "-c COL names the full-name column"
ts 2 "-c nope"                                       "mk names"              empty               "-c: no column \"nope\" in \"students\" (its columns: id, full_name, grade, email)"
ts 2 "-c id"                                         "mk names"              empty               "column \"id\" of \"students\" is int8, not text"
ts 2 "-c full_name"                                  "mk names-clash"        empty               "\"students\" already has a column \"first_name\""
ts 2 "-c full_name --keep --into full_name,b,c"      "mk names"              empty               "--keep keeps \"full_name\""
ts 2 "-c full_name --into a,b"                       "mk names"              empty               "--into wants three column names"
ts 2 "-c full_name --into a,b,c,d"                   "mk names"              empty               "--into wants three column names"
ts 2 "-c full_name --into a,,c"                      "mk names"              empty               "--into wants three column names"
ts 2 "-c full_name --into a,b,"                      "mk names"              empty               "--into wants three column names"
ts 2 "-c full_name --title first_name"               "mk names"              empty               "\"first_name\" names two output columns"
ts 2 "-c full_name --title t --suffix t"             "mk names"              empty               "\"t\" names two output columns"
ts 2 "-c full_name --case upper"                     "mk names"              empty               "--case: \"upper\" is neither keep nor title"
ts 2 "-c full_name names.rs"                         "mk names"              empty               "unexpected argument \"names.rs\""
ts 2 "--bogus"                                       "mk names"              empty               "usage: split-name"
ts 5 "-c full_name -r /nonexistent/dir/rj.rs"        "mk names"              empty               "/nonexistent/dir/rj.rs"
t 0 "--help"                                         "true"                  -
t 0 "-h"                                             "true"                  -
t 0 "--version"                                      "true"                  version

# The rejects file: the rejected rows as they came, with the reason.
mk names-bad | "$BIN/split-name" -q -c full_name -r "$T/rj.rs" >"$T/out.rs"
if "$BIN/rowcat" -q --json "$T/rj.rs" >"$T/rj.jsonl" 2>"$T/err" &&
    diff -u "$ROOT/tests/cli/expected/split-name/bad-rejects.jsonl" \
    "$T/rj.jsonl" >"$T/diff"; then
	ok "split-name --rejects writes the rows with invalid UTF-8 and why"
else
	notok "split-name --rejects writes the rows with invalid UTF-8 and why"
	indent "$T/err" "$T/diff"
fi

# rows in = rows out + rows rejected, by the trailers of both streams.
in=$(mk names-bad | $PY "$ROOT/tests/lib/split-name.py" | sed 's/rows=//')
out=$($PY "$ROOT/tests/lib/split-name.py" <"$T/out.rs" | sed 's/rows=//')
rej=$($PY "$ROOT/tests/lib/split-name.py" <"$T/rj.rs" | sed 's/rows=//')
if [ -n "$in" ] && [ -n "$out" ] && [ -n "$rej" ] &&
    [ "$in" -eq $((out + rej)) ] && [ "$rej" -eq 2 ]; then
	ok "split-name: rows in ($in) = out ($out) + rejected ($rej)"
else
	notok "split-name: rows in ($in) = out ($out) + rejected ($rej)"
fi

# A failed run (bad arguments, a truncated stream) leaves no rejects
# file, not even a half-written one.
mk names-bad 2>/dev/null | "$BIN/split-name" -q -c full_name \
    --rejects "$T/rj3.rs" --into a,b,c --title a >/dev/null 2>&1
mk --truncate 150 names-bad | "$BIN/split-name" -q -c full_name \
    --rejects "$T/rj4.rs" >/dev/null 2>&1
if [ ! -e "$T/rj3.rs" ] && [ ! -e "$T/rj4.rs" ] &&
    [ -z "$(find "$T" -name 'rj*.tmp*')" ]; then
	ok "split-name: a failed run leaves no rejects file"
else
	notok "split-name: a failed run leaves no rejects file"
fi

# The summary line, and none with -q.
mk names | "$BIN/split-name" -c full_name >/dev/null 2>"$T/err"
if grep -q '^split-name: students: 12 rows in, 12 out, 0 rejected, [0-9.]* s$' \
    "$T/err"; then
	ok "split-name prints a summary line"
else
	notok "split-name prints a summary line"
	indent "$T/err"
fi
mk names | "$BIN/split-name" -q -c full_name >/dev/null 2>"$T/err"
if [ ! -s "$T/err" ]; then
	ok "split-name -q is quiet"
else
	notok "split-name -q is quiet"
	indent "$T/err"
fi

# Every expectation in the unit test's name table agrees with
# python3-nameparser, or says why not.
if $PY "$ROOT/tests/lib/names_ref.py" "$ROOT/tests/unit/names.c" >"$T/ref" 2>&1; then
	ok "split-name: the name table agrees with nameparser ($(tail -n 1 "$T/ref"))"
else
	notok "split-name: the name table agrees with nameparser"
	indent "$T/ref"
fi

# --help mirrors the man page synopsis, and the man page documents
# every long option.
"$BIN/split-name" --help >"$T/help"
missing=
for o in column into title suffix keep case rejects quiet progress help version; do
	grep -q -- "--$o" "$T/help" || missing="$missing help:--$o"
	grep -q -- "\\\\-\\\\-$o" "$ROOT/docs/split-name.1" || missing="$missing man:--$o"
done
if grep -q '^usage: split-name -c COL' "$T/help" && [ -z "$missing" ]; then
	ok "split-name --help and its man page name every option"
else
	notok "split-name --help and its man page name every option:$missing"
fi

# Headers: the new columns are text, the source and key are kept, and a
# key on the name column goes with it unless --keep keeps the column.
for k in "" "--keep"; do
	mk names-two | "$BIN/split-name" -q -c full_name $k | "$BIN/rowcat" -q --schema |
	    sed 's/hash [0-9a-f]*/hash H/' >"$T/schema"
	gold=$ROOT/tests/cli/expected/split-name/two${k:+-keep}.schema
	[ "${UPDATE:-}" = 1 ] && cp "$T/schema" "$gold"
	if diff -u "$gold" "$T/schema" >"$T/diff"; then
		ok "split-name $k: output headers"
	else
		notok "split-name $k: output headers"
		indent "$T/diff"
	fi
done

# A bad header is reported once, with one prefix.
says 3 'split-name: stdin: byte 0: column "id" appears twice in "dup"' \
    'mk dupcols | "$BIN/split-name" -q -c name >/dev/null'

# --empty null: exactly the parts that are '' by default become NULL, the
# rest are the same; --empty empty is the default.
mk names | "$BIN/split-name" -q -c full_name | "$BIN/rowcat" -q --json >"$T/e0"
mk names | "$BIN/split-name" -q -c full_name --empty empty | "$BIN/rowcat" -q --json >"$T/e1"
mk names | "$BIN/split-name" -q -c full_name --empty null | "$BIN/rowcat" -q --json >"$T/e2"
if cmp -s "$T/e0" "$T/e1" && $PY - "$T/e0" "$T/e2" <<'PYEOF'
import json, sys
a = [json.loads(l) for l in open(sys.argv[1])]
b = [json.loads(l) for l in open(sys.argv[2])]
assert len(a) == len(b) > 0
nulled = 0
for x, y in zip(a, b):
    for k in ("first_name", "middle_name", "last_name"):
        if x[k] == "":
            assert y[k] is None, (x, y)
            nulled += 1
        else:
            assert y[k] == x[k], (x, y)
assert nulled > 0
PYEOF
then
	ok "split-name --empty null: the empty parts, and only those, are NULL"
else
	notok "split-name --empty null"
fi
if "$BIN/split-name" -c full_name --empty none </dev/null >/dev/null 2>"$T/err"; [ $? -eq 2 ] &&
    grep -q 'neither null nor empty' "$T/err"; then
	ok "split-name --empty none: exit 2"
else
	notok "split-name --empty none: not a usage error"
fi
