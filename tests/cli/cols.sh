#!/bin/sh
# cols: select, rename, reorder, drop, cast and add constant columns, and
# compute them with expressions (lower, trim, concat, ts, ...).
. "$(dirname "$0")/../lib/common.sh"
PROG=cols
. "$ROOT/tests/lib/xform.sh"
R="$T/rej.rs"

# Shape.
tj 0 "'id, name AS full_name, born'"          "mk people"  '={"id":1,"full_name":"Ada Lovelace","born":"1815-12-10"}
{"id":2,"full_name":"Émile \"Zola\", père","born":null}
{"id":3,"full_name":"","born":"2001-02-03"}
{"id":-4,"full_name":"line\nbreak\ttab","born":"1999-12-31"}'
tj 0 "'born, id'"                             "mk people"  '={"born":"1815-12-10","id":1}
{"born":null,"id":2}
{"born":"2001-02-03","id":3}
{"born":"1999-12-31","id":-4}'
tj 0 "born, id"                               "mk people"  '={"born":"1815-12-10","id":1}
{"born":null,"id":2}
{"born":"2001-02-03","id":3}
{"born":"1999-12-31","id":-4}'
tj 0 "'born,id'"                              "mk people"  '={"born":"1815-12-10","id":1}
{"born":null,"id":2}
{"born":"2001-02-03","id":3}
{"born":"1999-12-31","id":-4}'
tj 0 "'id as \"Full Name\", name'"            "mk people"  '={"Full Name":1,"name":"Ada Lovelace"}
{"Full Name":2,"name":"Émile \"Zola\", père"}
{"Full Name":3,"name":""}
{"Full Name":-4,"name":"line\nbreak\ttab"}'
tj 0 "-x photo --drop score"                  "mk people"  '={"id":1,"name":"Ada Lovelace","active":true,"born":"1815-12-10"}
{"id":2,"name":"Émile \"Zola\", père","active":false,"born":null}
{"id":3,"name":"","active":null,"born":"2001-02-03"}
{"id":-4,"name":"line\nbreak\ttab","active":true,"born":"1999-12-31"}'
tj 0 "'*, role=teacher' -x photo"             "mk people"  '={"id":1,"name":"Ada Lovelace","score":9.5,"active":true,"born":"1815-12-10","role":"teacher"}
{"id":2,"name":"Émile \"Zola\", père","score":-0.25,"active":false,"born":null,"role":"teacher"}
{"id":3,"name":"","score":null,"active":null,"born":"2001-02-03","role":"teacher"}
{"id":-4,"name":"line\nbreak\ttab","score":"NaN","active":true,"born":"1999-12-31","role":"teacher"}'
tj 0 ""                                       "mk odd"     '={"s":"A�B","n":18446744073709551615,"f":"Infinity","nocols_note":"{\"a\": [1, 2]}"}
{"s":"\u0001\u0007\u001f","n":-9223372036854775808,"f":"-Infinity","nocols_note":"null"}
{"s":"tab\there, quote\" and \\ backslash","n":0,"f":1e-300,"nocols_note":"[]"}
{"s":"  padded  ","n":42,"f":0.1,"nocols_note":""}'
tj 0 "'*, src=two'"                           "mk two"     '={"id":1,"name":"North","src":"two"}
{"id":2,"name":"South","src":"two"}
{"id":10,"school_id":1,"title":"Algebra","src":"two"}
{"id":11,"school_id":null,"title":"Ancient Greek","src":"two"}
{"id":12,"school_id":2,"title":"数学","src":"two"}'
tj 0 "\"id, role=teacher, n:int8=5, f:float8=0.5, ok:bool=yes, note='a, b''c', z:text=NULL, zz='NULL', d:date=2026-12-01\"" \
                                              "mk people"  consts.jsonl

# Blanks around a constant's '=' (and its type) are not part of its
# value, typed or not, as in SQL; a quoted value keeps its own.
tj 0 "'id, n:int8 =5'"                        "mk people"  '={"id":1,"n":5}
{"id":2,"n":5}
{"id":3,"n":5}
{"id":-4,"n":5}'
tj 0 "\"id, note:text = ' a ', role = teacher\"" "mk people" '={"id":1,"note":" a ","role":"teacher"}
{"id":2,"note":" a ","role":"teacher"}
{"id":3,"note":" a ","role":"teacher"}
{"id":-4,"note":" a ","role":"teacher"}'
tj 0 "'id, t : text =  a b , f:float8= 0.5'"  "mk people"  '={"id":1,"t":"a b","f":0.5}
{"id":2,"t":"a b","f":0.5}
{"id":3,"t":"a b","f":0.5}
{"id":-4,"t":"a b","f":0.5}'
tj 2 "'n:int8 = x'"                           "mk people"  empty "n: \"x\" is not a valid int8"
# a type of two words is SQL's or none: "int8 junk" is refused, not cut to int8
tj 2 "'id, n:int8 junk=5'"                    "mk people"  empty "\"n:int8 junk=5\": \"int8 junk\" is not a type"
tj 0 "'id, x:double  precision = 1.5'"      "mk people"  '={"id":1,"x":1.5}
{"id":2,"x":1.5}
{"id":3,"x":1.5}
{"id":-4,"x":1.5}'

# Casts, each type, from each kind of value; a value that does not
# convert rejects its row with the reason.
tj 0 "--cast s:int8 -r $R"                    "mk casts"   '={"s":42,"n":1,"f":1.5,"b":true}
{"s":-7,"n":0,"f":2.5,"b":false}
{"s":null,"n":2,"f":"NaN","b":true}'
golden "cols --cast s:int8: rejects and reasons" "$R" '={"s":"1e3","n":-3,"f":-0.5,"b":null,"_error":"cast: s=1e3 is not a valid int8"}
{"s":"true","n":null,"f":null,"b":true,"_error":"cast: s=true is not a valid int8"}
{"s":"x","n":9,"f":1e+300,"b":false,"_error":"cast: s=x is not a valid int8"}
{"s":"9999999999999999999","n":5,"f":3,"b":false,"_error":"cast: s=9999999999999999999 is out of range for int8"}
{"s":"  YES ","n":7,"f":0,"b":true,"_error":"cast: s=  YES  is not a valid int8"}'
tj 0 "--cast s:float8 -r $R"                  "mk casts"   '={"s":42,"n":1,"f":1.5,"b":true}
{"s":-7,"n":0,"f":2.5,"b":false}
{"s":1000,"n":-3,"f":-0.5,"b":null}
{"s":null,"n":2,"f":"NaN","b":true}
{"s":1e+19,"n":5,"f":3,"b":false}'
golden "cols --cast s:float8: rejects and reasons" "$R" '={"s":"true","n":null,"f":null,"b":true,"_error":"cast: s=true is not a valid float8"}
{"s":"x","n":9,"f":1e+300,"b":false,"_error":"cast: s=x is not a valid float8"}
{"s":"  YES ","n":7,"f":0,"b":true,"_error":"cast: s=  YES  is not a valid float8"}'
tj 0 "--cast s:bool -r $R"                    "mk casts"   '={"s":true,"n":null,"f":null,"b":true}
{"s":null,"n":2,"f":"NaN","b":true}
{"s":true,"n":7,"f":0,"b":true}'
golden "cols --cast s:bool: rejects and reasons" "$R" '={"s":"42","n":1,"f":1.5,"b":true,"_error":"cast: s=42 is not a valid bool"}
{"s":" -7 ","n":0,"f":2.5,"b":false,"_error":"cast: s= -7  is not a valid bool"}
{"s":"1e3","n":-3,"f":-0.5,"b":null,"_error":"cast: s=1e3 is not a valid bool"}
{"s":"x","n":9,"f":1e+300,"b":false,"_error":"cast: s=x is not a valid bool"}
{"s":"9999999999999999999","n":5,"f":3,"b":false,"_error":"cast: s=9999999999999999999 is not a valid bool"}'
tj 0 "--cast n:text --cast f:text --cast b:text" "mk casts" cast-text.jsonl
tj 0 "--cast f:int8 -r $R"                    "mk casts"   cast-f-int8.jsonl
golden "cols --cast f:int8: rejects and reasons" "$R" '={"s":"x","n":9,"f":1e+300,"b":false,"_error":"cast: f=1e+300 is out of range for int8"}
{"s":null,"n":2,"f":"NaN","b":true,"_error":"cast: f=NaN is out of range for int8"}'
tj 2 "--cast b:int8 --cast n:bool --cast n:float8" "mk casts" empty "--cast n: column \"n\" is cast twice"
tj 0 "--cast b:bigint --cast n:boolean"       "mk casts"   cast-bool-int.jsonl
tj 0 "'s AS v, n' --cast v:int8 --cast n:float8 -r $R" "mk casts" '={"v":42,"n":1}
{"v":-7,"n":0}
{"v":null,"n":2}'
tj 0 "--cast id:text --cast score:int8 -r $R" "mk people"  '={"id":"1","name":"Ada Lovelace","score":10,"active":true,"photo":"\\x00ff10","born":"1815-12-10"}
{"id":"2","name":"Émile \"Zola\", père","score":0,"active":false,"photo":"\\x","born":null}
{"id":"3","name":"","score":null,"active":null,"photo":null,"born":"2001-02-03"}'
golden "cols --cast score:int8 of NaN: rejected" "$R" '={"id":-4,"name":"line\nbreak\ttab","score":"NaN","active":true,"photo":"\\x41","born":"1999-12-31","_error":"cast: score=NaN is out of range for int8"}'
tj 1 "--cast s:int8"                          "mk casts"   '={"s":42,"n":1,"f":1.5,"b":true}
{"s":-7,"n":0,"f":2.5,"b":false}' \
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
tj 3 "'id'"                                   "mk --bad-count people" '={"id":1}
{"id":2}
{"id":3}
{"id":-4}' "says 5 rows, the segment has 4"

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

# Expressions. ti is tj with the expected rowcat --json output inline,
# on stdin; te runs one expression as 'id, EXPR AS v' on the rows of
# tests/fixtures/exprs.json and wants the four values of v, as JSON.
ti() {
	tj "$1" "$2" "$3" "=$(cat)" "${4:-}"
}
te() {
	_e=$1
	shift
	{ for _id in 1 2 3 4; do printf '{"id":%s,"v":%s}\n' "$_id" "$1"; shift; done; } |
	    ti 0 "-q \"id, $_e AS v\"" "mk exprs"
}

# lower, upper (ICU, root locale), trim (Unicode white space)
te "lower(email)"             '"  mary.müller@example.org "' null '""' '"σας@x.gr"'
te "upper(last)"              '"MÜLLER"' '"ŁUKASZ"' '"STRASSE"' "\"O'BRIEN\""
te "lower(first)"             '"josé"' '"zoë"' '"i̇smail"' null
te "trim(email)"              '"Mary.MÜLLER@Example.ORG"' null '""' '"ΣΑΣ@x.gr"'
te "lower(trim(email))"       '"mary.müller@example.org"' null '""' '"σας@x.gr"'
te "trim(last, 'Mer')"        '"üll"' '"Łukasz"' '"Straß"' "\"O'Brien\""
# concat: NULL in, NULL out; coalesce, nullif
te "concat(lower(ascii(first)), '.', lower(ascii(last)), '@school.org')" \
    '"jose.muller@school.org"' '"zoe.lukasz@school.org"' \
    '"ismail.strasse@school.org"' null
te "concat(id, '-', n)"       '"1-5"' null '"3--1"' '"4-0"'
te "coalesce(nick, first)"    '"José"' '"Zo"' '""' null
te "coalesce(nullif(nick, ''), first, 'x')" '"José"' '"Zo"' '"İsmail"' '"x"'
te "nullif(n, 0)"             5 null -1 null
te "coalesce(n, 99)"          5 99 -1 0
# replace, substr, ascii
te "replace(lower(email), 'example', 'ex')" '"  mary.müller@ex.org "' null '""' '"σας@x.gr"'
te "substr(last, 2, 3)"       '"üll"' '"uka"' '"tra"' "\"'Br\""
te "substr(first, n)"         '""' null '"İsmail"' null
te "ascii(concat(first, ' ', last))" '"Jose Muller"' '"Zoe Lukasz"' '"Ismail Strasse"' null
te "'teacher'"                '"teacher"' '"teacher"' '"teacher"' '"teacher"'
# ts: a timestamp, a date by ::date; what does not parse is NULL
te "ts(d, '%d/%m/%Y %H:%M')"  '"2024-03-07 14:05:00"' null null '"1999-12-01 07:05:00"'
te "ts(d, '%d/%m/%Y %H:%M')::date" '"2024-03-07"' null null '"1999-12-01"'
mk exprs | "$BIN/cols" -q "id, ts(d, '%d/%m/%Y %H:%M') AS t, ts(d, '%d/%m/%Y %H:%M')::date AS dd, lower(email)" |
    "$BIN/rowcat" --schema >"$T/s" 2>&1
check "cols: ts() is a timestamp, ::date a date, lower(email) text named email" \
    sh -c "grep -q 't  *timestamp' '$T/s' && grep -q 'dd  *date' '$T/s' && grep -q 'email  *text' '$T/s' && grep -q 'key: id' '$T/s'"

# Commas inside a function's arguments and quotes do not split the list;
# one expression of one column is named after it.
ti 0 "-q \"concat(first, ',', last) AS fl, lower(trim(email))\"" "mk exprs" <<'EOF'
{"fl":"José,Müller","email":"mary.müller@example.org"}
{"fl":"Zoë,Łukasz","email":null}
{"fl":"İsmail,Straße","email":""}
{"fl":null,"email":"σας@x.gr"}
EOF

# --cast applies to an expression's column too.
ti 0 "-q \"id, nullif(trim(concat(n, ' ')), '') AS k\" --cast k:int8" "mk exprs" <<'EOF'
{"id":1,"k":5}
{"id":2,"k":null}
{"id":3,"k":-1}
{"id":4,"k":0}
EOF

# --on-error: null (the default) nulls what does not convert, counts it
# and lists it in --nulled; reject rejects the row; an item's !null or
# !reject decides for that column.
N="$T/nulled.rs"
rm -f "$N" "$R"
ti 0 "--nulled $N \"id, ts(d, '%d/%m/%Y %H:%M') AS t\"" "mk exprs" \
    "cols: people: 4 rows in, 4 out, 0 rejected, 2 nulled, " <<'EOF'
{"id":1,"t":"2024-03-07 14:05:00"}
{"id":2,"t":null}
{"id":3,"t":null}
{"id":4,"t":"1999-12-01 07:05:00"}
EOF
"$BIN/rowcat" -q --json "$N" >"$T/nj" 2>&1
cat >"$T/nwant" <<'EOF'
{"id":2,"_row":2,"_column":"t","_value":"31/02/2024 10:00","_reason":"ts: not a timestamp in the format '%d/%m/%Y %H:%M': day 31 is out of range for 2024-02"}
{"id":3,"_row":3,"_column":"t","_value":"","_reason":"ts: not a timestamp in the format '%d/%m/%Y %H:%M': expected a day (%d) at character 1"}
EOF
check "cols --nulled: the key, row, column, value and reason of each nulled value" \
    diff -u "$T/nwant" "$T/nj"
check "cols --nulled: the file is 0600" sh -c "[ \"\$(stat -c %a '$N')\" = 600 ]"
"$BIN/rowcat" -q --schema "$N" >"$T/ns" 2>&1
check "cols --nulled: key id int8, then _row int8, _column, _value, _reason text" \
    sh -c "grep -q 'key: id' '$T/ns' && grep -q '_row  *int8' '$T/ns' && grep -q '_reason  *text' '$T/ns'"
ti 0 "--on-error reject -r $R \"id, ts(d, '%d/%m/%Y %H:%M') AS t\"" "mk exprs" \
    "cols: people: 4 rows in, 2 out, 2 rejected, 0 nulled, " <<'EOF'
{"id":1,"t":"2024-03-07 14:05:00"}
{"id":4,"t":"1999-12-01 07:05:00"}
EOF
"$BIN/rowcat" -q --json "$R" | sed 's/.*"_error"/"_error"/' >"$T/rj" 2>&1
cat >"$T/rwant" <<'EOF'
"_error":"t: ts: not a timestamp in the format '%d/%m/%Y %H:%M': day 31 is out of range for 2024-02"}
"_error":"t: ts: not a timestamp in the format '%d/%m/%Y %H:%M': expected a day (%d) at character 1"}
EOF
check "cols --on-error reject: the rows go to --rejects with the column and reason" \
    diff -u "$T/rwant" "$T/rj"
ti 0 "-q --on-error reject -r $R \"id, ts(d, '%d/%m/%Y %H:%M')!null AS t, substr(last, n)!reject AS s\"" "mk exprs" <<'EOF'
{"id":1,"t":"2024-03-07 14:05:00","s":"er"}
{"id":2,"t":null,"s":null}
{"id":3,"t":null,"s":"Straße"}
{"id":4,"t":"1999-12-01 07:05:00","s":"O'Brien"}
EOF
ti 1 "-q \"id, substr(last, nullif(last, 'Müller'))!reject AS s\"" "mk exprs" \
    "row 2 of \"people\": s: substr: the start \"Łukasz\" is not an integer (no --rejects file to put it in)" <<'EOF'
{"id":1,"s":null}
EOF
rm -f "$N"
mk exprs | "$BIN/cols" -q --nulled "$N" "id, lower(email)" >/dev/null 2>&1
check "cols --nulled with nothing nulled: a whole stream, one empty segment" \
    sh -c "'$BIN/rowcat' -q --json '$N' >'$T/nj' && test ! -s '$T/nj'"
rm -f "$N"
mk --truncate 200 exprs | "$BIN/cols" -q --nulled "$N" "id, ts(d, '%F') AS t" >/dev/null 2>&1
check "cols: no --nulled file after a failed run" test ! -e "$N"
check "cols: the summary counts nulled only when the list has an expression" \
    sh -c "mk() { $PY '$ROOT/tests/lib/mkstream.py' \"\$@\"; }; mk exprs | '$BIN/cols' id 2>&1 >/dev/null | grep -q '0 rejected, [0-9.]* s'"

# Bad expressions: exit 2, the message points at the character.
tj 2 "\"id, lower(email AS e\""        "mk exprs" empty "the list, at character 17: expected ',' or ')' in the arguments of lower"
tj 2 "\"id, lowr(email) AS e\""        "mk exprs" empty "the list, at character 5: no function \"lowr\""
tj 2 "\"id, lower('x) AS e\""          "mk exprs" empty "the list has a quote that does not end"
tj 2 "\"id, lower(\\\"\\\") AS e\""        "mk exprs" empty "the list, at character 11: an empty \"\" name"
tj 2 "\"id, substr(last) AS e\""       "mk exprs" empty "at character 5: substr takes 2 to 3 arguments, not 1"
tj 2 "\"id, ts(d, '%d.%q') AS e\""     "mk exprs" empty "at character 15: ts: an unknown directive"
tj 2 "\"id, ts(d, '%H:%M') AS e\""     "mk exprs" empty "at character 11: ts: a format without the year"
tj 2 "\"id, lower(d)!maybe AS e\""     "mk exprs" empty "at character 14: expected null or reject after !"
tj 2 "\"id, lower(d) e\""              "mk exprs" empty "at character 14: expected AS NAME, a comma or the end"
tj 2 "\"id, concat(first, last)\""     "mk exprs" empty "at character 5: an expression of no column or of several needs AS NAME"
tj 2 "\"id, lower(nope) AS e\""        "mk exprs" empty "the list: no column \"nope\" in \"people\" (its columns: id, email"
tj 2 "\"id, lower(d)::int8 AS e\""     "mk exprs" empty "at character 15: ::int8: the value is text; convert it with --cast NAME:int8"
tj 2 "--on-error maybe id"             "mk exprs" empty "--on-error: \"maybe\" is neither null nor reject"
"$BIN/cols" "id, lower(email AS e" 2>"$T/err" </dev/null
check "cols: a bad expression is shown with a caret under the character" \
    sh -c "grep -qxF 'cols:   id, lower(email AS e' '$T/err' && grep -qx 'cols: \{19\}^' '$T/err'"

# Case mapping agrees with python3's str.lower() and str.upper() on
# strings where locales and special casing matter (ICU's root locale:
# no Turkish rules; ß, ligatures, final sigma, titlecase digraphs).
$PY - "$T/case.json" "$T/case-want" <<'EOF'
import json, sys
s = ["İstanbul", "ISTANBUL", "ıi", "Iİıi", "Straße", "ß", "ẞ", "ΣΑΣ ΟΔΟΣ",
     "ὈΔΥΣΣΕΎΣ", "ΑΣ.", "Σ", "aΣb", "ﬁﬂﬀ", "ǅ", "Ǆ", "ǈ", "ŉ", "ΐ", "ᾳ",
     "Ω K Å", "MÜLLER", "émile", "Ⅻ", "ⓐ", "𐐀𐐨", "ǰ", "Ǳ", "ﬓ", "Ꭰꭰ",
     "DŽUNGLA", "ÀÉÎÕÜ", "Ærøskøbing", "Ŀ", "ı̇", "i̇", "SS", "", "mixed Case ÖÄ",
     "ԱԲ աբ", "Ⓐ", "ʼn", "ꞵ Ꞵ"]
rows = [[i, v] for i, v in enumerate(s)]
json.dump({"table": "case", "columns": [["id", "int8"], ["s", "text"]],
           "rows": rows}, open(sys.argv[1], "w"))
with open(sys.argv[2], "w") as f:
    for i, v in enumerate(s):
        f.write(json.dumps({"id": i, "l": v.lower(), "u": v.upper()},
                           ensure_ascii=False, separators=(",", ":")) + "\n")
EOF
mk "$T/case.json" | "$BIN/cols" -q 'id, lower(s) AS l, upper(s) AS u' |
    "$BIN/rowcat" -q --json >"$T/case-got" 2>&1
check "cols lower(), upper(): the same as python3's str.lower(), str.upper()" \
    diff -u "$T/case-want" "$T/case-got"

check "cols --help and its man page" sh -c \
    "'$BIN/cols' --help | grep -q '^usage: cols \[-x COL\]' && grep -q '^.B cols\$' '$ROOT/docs/cols.1'"

# e164 (lib/phone.h over libphonenumber): national forms of the region
# given as a literal or by a column; a number that is not one follows
# --on-error and goes to --nulled with libphonenumber's reason.
ti 0 "-q \"id, e164(phone, 'US') AS us, e164(phone, cc) AS byc\"" "mk phones" <<'EOF'
{"id":1,"us":"+12025550143","byc":"+12025550143"}
{"id":2,"us":null,"byc":"+442079460958"}
{"id":3,"us":null,"byc":null}
{"id":4,"us":null,"byc":null}
{"id":5,"us":"+442079460958","byc":null}
EOF
mk phones | "$BIN/cols" -q "id, e164(phone, cc) AS p" --nulled "$T/ph-nulled.rs" >/dev/null 2>&1
if [ "$("$BIN/rowcat" -q --json "$T/ph-nulled.rs" 2>&1)" = '{"id":3,"_row":3,"_column":"p","_value":"not a phone","_reason":"e164: not a phone number of US: not a number"}' ]; then
	ok "cols e164: a value that is not a phone is nulled and listed with libphonenumber's reason"
else
	notok "cols e164: the --nulled file"
	"$BIN/rowcat" -q --json "$T/ph-nulled.rs" 2>&1 | indent
fi
tj 1 "\"id, e164(phone, 'US')!reject AS p\"" "mk phones" - "not a phone number of US"
tj 2 "\"e164(phone, 'XX') AS p\"" "mk phones" - "e164: 'XX' is no region libphonenumber knows"
