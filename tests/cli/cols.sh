#!/bin/sh
# cols: select, rename, reorder, drop, cast and add constant columns.
. "$(dirname "$0")/../lib/common.sh"
PROG=cols
. "$ROOT/tests/lib/xform.sh"
R="$T/rej.rs"

# Shape.
tj 0 "'id, name AS full_name, born'"          "mk people"  select-rename.jsonl
tj 0 "'born, id'"                             "mk people"  reorder.jsonl
tj 0 "born, id"                               "mk people"  reorder.jsonl
tj 0 "'born,id'"                              "mk people"  reorder.jsonl
tj 0 "'id as \"Full Name\", name'"            "mk people"  quoted-name.jsonl
tj 0 "-x photo --drop score"                  "mk people"  drop.jsonl
tj 0 "'*, role=teacher' -x photo"             "mk people"  star.jsonl
tj 0 ""                                       "mk odd"     odd.jsonl
tj 0 "'*, src=two'"                           "mk two"     two-star.jsonl
tj 0 "\"id, role=teacher, n:int8=5, f:float8=0.5, ok:bool=yes, note='a, b''c', z:text=NULL, zz='NULL', d:date=2026-12-01\"" \
                                              "mk people"  consts.jsonl

# Casts, each type, from each kind of value; a value that does not
# convert rejects its row with the reason.
tj 0 "--cast s:int8 -r $R"                    "mk casts"   cast-s-int8.jsonl
golden "cols --cast s:int8: rejects and reasons" "$R" cast-s-int8-rejects.jsonl
tj 0 "--cast s:float8 -r $R"                  "mk casts"   cast-s-float8.jsonl
golden "cols --cast s:float8: rejects and reasons" "$R" cast-s-float8-rejects.jsonl
tj 0 "--cast s:bool -r $R"                    "mk casts"   cast-s-bool.jsonl
golden "cols --cast s:bool: rejects and reasons" "$R" cast-s-bool-rejects.jsonl
tj 0 "--cast n:text --cast f:text --cast b:text" "mk casts" cast-text.jsonl
tj 0 "--cast f:int8 -r $R"                    "mk casts"   cast-f-int8.jsonl
golden "cols --cast f:int8: rejects and reasons" "$R" cast-f-int8-rejects.jsonl
tj 2 "--cast b:int8 --cast n:bool --cast n:float8" "mk casts" empty "--cast n: column \"n\" is cast twice"
tj 0 "--cast b:bigint --cast n:boolean"       "mk casts"   cast-bool-int.jsonl
tj 0 "'s AS v, n' --cast v:int8 --cast n:float8 -r $R" "mk casts" cast-renamed.jsonl
tj 0 "--cast id:text --cast score:int8 -r $R" "mk people"  cast-people.jsonl
golden "cols --cast score:int8 of NaN: rejected" "$R" cast-people-rejects.jsonl
tj 1 "--cast s:int8"                          "mk casts"   cast-stopped.jsonl \
    "row 3 of \"raw\": cast: s=1e3 is not a valid int8 (no --rejects file to put it in)"

# Errors.
tj 2 "'id, nope'"                             "mk people"  empty \
    "the list: no column \"nope\" in \"people\" (its columns: id, name, score, active, photo, born)"
tj 2 "-x nope"                                "mk people"  empty "--drop: no column \"nope\" in \"people\""
tj 2 "--cast nope:int8"                       "mk people"  empty "--cast nope: no output column \"nope\""
tj 2 "--cast id:json"                         "mk people"  empty "\"json\" is none of int8, text, bool, float8"
tj 2 "--cast id"                              "mk people"  empty "--cast: \"id\" is not COL:TYPE"
tj 2 "'id, id'"                               "mk people"  empty "two output columns named \"id\""
tj 2 "'id, name AS id'"                       "mk people"  empty "two output columns named \"id\""
tj 2 "'id' -x id"                             "mk people"  empty "\"id\" is both listed and dropped"
tj 2 "'n:int8=x'"                             "mk people"  empty "n: \"x\" is not a valid int8"
tj 2 "'id AS'"                                "mk people"  empty "expected COL, COL AS NAME, NAME=VALUE or *"
tj 2 "'id name'"                              "mk people"  empty "expected COL, COL AS NAME, NAME=VALUE or *"
tj 2 "'\"id'"                                 "mk people"  empty "a quote that does not end"
tj 2 "'r:int8=5' --cast r:text"               "mk people"  empty "--cast r: a constant"
tj 2 "'id, '"                                 "mk people"  empty "a column name is missing"
tj 2 "-x id"                                  "mk two"     two-stopped.jsonl \
    "--drop: no column \"id\" in \"empty\" (its columns: x)"
tj 2 "--bogus"                                "mk people"  empty "usage: cols"
tj 3 "'id'"                                   "mk --truncate 100 people" empty "truncated stream"
tj 3 "'id'"                                   "mk --bad-count people" cut-badcount.jsonl "says 5 rows, the segment has 4"

t 0 "--help"    "true" -
t 0 "--version" "true" version

# The header's key follows a rename and leaves with its column.
mk people | "$BIN/cols" -q 'id AS uid, name' | "$BIN/rowcat" --schema >"$T/s" 2>&1
check "cols: the key follows a renamed column" grep -q "key: uid" "$T/s"
mk people | "$BIN/cols" -q 'name, id:text=x' | "$BIN/rowcat" --schema >"$T/s" 2>&1
check "cols: no key when its column is gone" sh -c "! grep -q key: '$T/s'"
mk casts | "$BIN/cols" -q --cast n:float8 --cast s:text | "$BIN/rowcat" --schema >"$T/s" 2>&1
check "cols --cast: the column's type becomes the cast's" \
    sh -c "grep -q 'n *float8' '$T/s' && grep -q 's *text' '$T/s'"

# in = out + rejected, and the summary says so.
rm -f "$R"
mk casts | "$BIN/cols" --cast s:int8 -r "$R" >"$T/out" 2>"$T/err"
in=8 out=$(rows "$T/out") rej=$(rows "$R")
check "cols: in = out + rejected ($in = $out + $rej)" \
    test "$in" -eq $((out + rej)) -a "$rej" -eq 5
check "cols: summary \"cols: TABLE: N rows in, N out, N rejected, S s\"" \
    grep -qx "cols: raw: 8 rows in, 3 out, 5 rejected, [0-9.]* s" "$T/err"
mk people | "$BIN/cols" -q id >/dev/null 2>"$T/err"
check "cols -q is quiet" test ! -s "$T/err"
mk people | "$BIN/cols" --progress id >"$T/out" 2>"$T/err"
check "cols --progress" test "$(rows "$T/out")" -eq 4

# Messages: a bad header once, with one prefix; a value escaped, whole
# past its NUL (which converts to nothing: C would read "1\0..." as 1).
says 3 'cols: stdin: byte 0: column "id" appears twice in "dup"' \
    'mk dupcols | "$BIN/cols" -q >/dev/null'
says 1 'cols: row 1 of "msgs": cast: s=1\0\xff\x0aA is not a valid int8 (no --rejects file to put it in)
cols: 1 row rejected with no --rejects file to put them in: the output stops before the first' \
    'mk msgs | "$BIN/cols" -q --cast s:int8 >/dev/null'
mk msgs | "$BIN/cols" -q --cast s:bool -r "$R" >/dev/null
golden "cols --cast s:bool of \"1\\0...\": rejected, the reason escaped" "$R" \
    cast-nul-rejects.jsonl

# A failed run leaves no rejects file.
rm -f "$R"
mk --truncate 200 casts | "$BIN/cols" -q --cast s:int8 -r "$R" >/dev/null 2>&1
check "cols: no --rejects file after a failed run" test ! -e "$R"

check "cols --help and its man page" sh -c \
    "'$BIN/cols' --help | grep -q '^usage: cols \[-x COL\]' && grep -q '^.B cols\$' '$ROOT/docs/cols.1'"
