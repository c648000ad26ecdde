#!/bin/sh
# remap: new keys, tracking columns, foreign keys by uuid5 or by map,
# orphans in each mode, map-out, and the ledger in = out + rejected.
. "$(dirname "$0")/../lib/common.sh"
PROG=remap
. "$ROOT/tests/lib/xform.sh"

for m in map-students map-courses map-int known-students map-bad enrol-map \
    enrol-map-int enrol-map-empty map-text; do
	mk $m >"$T/$m.rs"
done
mk --truncate 60 map-students >"$T/map-trunc.rs"
S="$T/map-students.rs" C="$T/map-courses.rs" I="$T/map-int.rs"
K="$T/known-students.rs" R="$T/rej.rs" M="$T/map.rs"

# New keys.
tj 0 "-a id=uuid5:school -k old_id"                    "mk journal"  assign-uuid5.jsonl
tj 0 "--assign id=uuid5:5cdcec85-7ef0-572f-aae3-5370d2ba3a11 --keep-old id=old_id" \
                                                       "mk journal"  assign-uuid5.jsonl
tj 0 "--assign id=serial"                              "mk journal"  assign-serial.jsonl
tj 0 "--assign id=serial:-2 -q"                        "mk journal"  assign-serial-2.jsonl
tj 0 "--assign id=serial -k old_id"                    "mk journal; mk journal" \
                                                                     multi-segment.jsonl
tj 0 "-a id=uuid5:accounts -k old_id -r $R"            "mk keys"     keys-uuid5.jsonl
tj 1 "-a id=uuid5:accounts"                            "mk keys"     keys-stopped.jsonl \
    "row 7 of \"accounts\": null key: id (no --rejects file to put it in)"
tj 0 "--assign id=serial:10 -k old_id --map-out $M"    "mk journal"  assign-serial-10.jsonl
golden "remap --map-out: old -> new pairs" "$M" mapout-serial.jsonl
tj 0 "--assign id=uuid5:school --map-out id=$M"        "mk journal"  -
golden "remap --map-out COL=FILE" "$M" mapout-uuid5.jsonl

# Foreign keys: by map (int -> uuid, text -> uuid, text -> int), by uuid5.
tj 0 "--fk student_id=map:$S --map course_id=$C -r $R" "mk journal"  '={"id":1,"student_id":"0a1b2c3d-0000-4000-8000-000000000010","course_id":"c0000000-0000-4000-8000-000000000011","grade":"A"}
{"id":2,"student_id":"0a1b2c3d-0000-4000-8000-000000000011","course_id":"c0000000-0000-4000-8000-000000000012","grade":"B"}
{"id":5,"student_id":"0a1b2c3d-0000-4000-8000-000000000012","course_id":null,"grade":null}
{"id":6,"student_id":"0a1b2c3d-0000-4000-8000-000000000010","course_id":"c0000000-0000-4000-8000-000000000012","grade":"F"}'
tj 0 "--fk student_id=map:$I -r $R"                    "mk journal"  '={"id":1,"student_id":1000,"course_id":"507f1f77bcf86cd799439011","grade":"A"}
{"id":2,"student_id":1100,"course_id":"507f1f77bcf86cd799439012","grade":"B"}
{"id":4,"student_id":null,"course_id":"507f1f77bcf86cd799439013","grade":"D"}
{"id":5,"student_id":1200,"course_id":null,"grade":null}
{"id":6,"student_id":1000,"course_id":"507f1f77bcf86cd799439012","grade":"F"}'
tj 0 "--fk student_id=uuid5:students"                  "mk journal"  fk-uuid5.jsonl
tj 0 "--fk student_id=uuid5:students --known student_id=$K -r $R" \
                                                       "mk journal"  fk-uuid5-known.jsonl
tj 0 "--fk student_id=uuid5:students --known student_id=$K --orphans keep" \
                                                       "mk journal"  fk-uuid5.jsonl
tj 0 "--fk student_id=uuid5:students --known student_id=$K --orphans null" \
                                                       "mk journal"  fk-uuid5-null.jsonl
tj 0 "-a id=uuid5:school --fk student_id=map:$S --fk course_id=map:$C -k old_id -r $R" \
                                                       "mk journal"  all.jsonl

# Keep the keys a map has, make the others: uuid5 (of the old key), serial
# (after the map's largest key, or from START), on an empty map; the
# summary says how many of each. A map to text (varchar(8) here) gives
# its column that type.
EM="$T/enrol-map.rs" EI="$T/enrol-map-int.rs" MT="$T/map-text.rs"
tj 0 "-a id=map:$EM,uuid5:school -q"                   "mk enrol" \
'={"id":"a0000000-0000-4000-8000-000000000001","sid":10}
{"id":"edb07fa2-5954-563d-bf7a-f277ca5727a7","sid":11}
{"id":"a0000000-0000-4000-8000-000000000003","sid":12}
{"id":"17ad2b12-ecdc-56bc-9677-90e4058f9b86","sid":13}'
tj 0 "-a id=map:$EI,serial"                            "mk enrol" \
'={"id":205,"sid":10}
{"id":202,"sid":11}
{"id":206,"sid":12}
{"id":204,"sid":13}' \
    "remap: enrol: id: 2 kept from the map, 2 new"
tj 0 "--assign id=map:$EI,serial:1000 -k old_id -q"     "mk enrol" \
'={"id":1000,"old_id":1,"sid":10}
{"id":202,"old_id":2,"sid":11}
{"id":1001,"old_id":3,"sid":12}
{"id":204,"old_id":4,"sid":13}'
tj 0 "-a id=map:$T/enrol-map-empty.rs,serial:7"         "mk enrol" \
'={"id":7,"sid":10}
{"id":8,"sid":11}
{"id":9,"sid":12}
{"id":10,"sid":13}' \
    "remap: enrol: id: 0 kept from the map, 4 new"
tj 0 "-a id=map:$EI,serial --fk sid=map:$MT -r $R"      "mk enrol" \
'={"id":205,"sid":"S-10"}
{"id":202,"sid":"S-11"}' \
    "remap: enrol: id: 1 kept from the map, 1 new"
tj 0 "--fk sid=map:$MT --orphans keep -q"               "mk enrol" \
'={"id":1,"sid":"S-10"}
{"id":2,"sid":"S-11"}
{"id":3,"sid":"12"}
{"id":4,"sid":"13"}'
cp "$EM" "$T/a,uuid4.rs"
tj 0 "-a id=map:$T/a,uuid4.rs,uuid4 --map-out $M -q"    "mk enrol" -
mk enrol | "$BIN/remap" -q -a id=map:"$T/a,uuid4.rs",uuid4 --map-out "$M" |
    "$BIN/rowcat" -q --json >"$T/u.json"
"$BIN/rowcat" -q --json "$M" >"$T/m.json"
check "remap -a id=map:FILE,uuid4: the map's keys kept, new version-4 UUIDs, all in --map-out" \
    $PY -c '
import json, sys, uuid
ids = [json.loads(l)["id"] for l in open(sys.argv[1])]
assert ids[0] == "a0000000-0000-4000-8000-000000000001", ids
assert ids[2] == "a0000000-0000-4000-8000-000000000003", ids
assert uuid.UUID(ids[1]).version == 4 and uuid.UUID(ids[3]).version == 4, ids
pairs = [json.loads(l) for l in open(sys.argv[2])]
assert [(p["old_id"], p["id"]) for p in pairs] == list(zip([1, 2, 3, 4], ids)), pairs
' "$T/u.json" "$T/m.json"
mk enrol | "$BIN/remap" -q --fk sid=map:"$MT" -r "$R" >"$T/out"
"$BIN/rowcat" --schema "$T/out" >"$T/schema" 2>/dev/null
check "remap --fk through a map to text: the column takes the map's type" \
    grep -q "sid *varchar(8)" "$T/schema"
mk enrol | "$BIN/remap" -q -a id=map:"$EI",serial >"$T/out"
"$BIN/rowcat" --schema "$T/out" >"$T/schema" 2>/dev/null
check "remap -a id=map:FILE,serial: the column is int8" grep -q "id *int8" "$T/schema"
tj 2 "-a id=map:$MT,uuid5:x"              "mk enrol"   empty \
    "--assign id: the map $MT gives keys of type varchar(8), the fallback uuid5 gives uuid: they must be of one type"
tj 2 "-a id=map:$EI,uuid4"                "mk enrol"   empty \
    "the map $EI gives keys of type int8, the fallback uuid4 gives uuid"
tj 2 "-a id=map:$EM,serial:5"             "mk enrol"   empty \
    "the map $EM gives keys of type uuid, the fallback serial gives int8"
tj 2 "-a id=map:$EM"                      "mk enrol"   empty \
    "--assign id: map:FILE needs a fallback for the keys not in it"
tj 2 "-a id=map:$EM,uuid6"                "mk enrol"   empty "needs a fallback"
tj 2 "-a id=map:,uuid4"                   "mk enrol"   empty "--assign id: map: names no file"

# Orphans in each mode.
tj 0 "--fk student_id=map:$S --orphans reject -r $R"   "mk journal"  '={"id":1,"student_id":"0a1b2c3d-0000-4000-8000-000000000010","course_id":"507f1f77bcf86cd799439011","grade":"A"}
{"id":2,"student_id":"0a1b2c3d-0000-4000-8000-000000000011","course_id":"507f1f77bcf86cd799439012","grade":"B"}
{"id":4,"student_id":null,"course_id":"507f1f77bcf86cd799439013","grade":"D"}
{"id":5,"student_id":"0a1b2c3d-0000-4000-8000-000000000012","course_id":null,"grade":null}
{"id":6,"student_id":"0a1b2c3d-0000-4000-8000-000000000010","course_id":"507f1f77bcf86cd799439012","grade":"F"}'
tj 0 "--fk student_id=map:$S --orphans null"           "mk journal"  orphans-null.jsonl \
    "journal: student_id: 1 orphan set to NULL"
tj 0 "--fk student_id=map:$S --orphans keep"           "mk journal"  orphans-keep.jsonl \
    "journal: student_id: 1 orphan kept"
tj 0 "--fk student_id=map:$I --orphans keep"           "mk journal"  orphans-keep-int.jsonl
tj 1 "--fk student_id=map:$S --orphans fail"           "mk journal"  empty \
    "row 3 of \"journal\": orphan: student_id=99 (--orphans fail)"
tj 1 "--fk student_id=map:$S"                          "mk journal"  '={"id":1,"student_id":"0a1b2c3d-0000-4000-8000-000000000010","course_id":"507f1f77bcf86cd799439011","grade":"A"}
{"id":2,"student_id":"0a1b2c3d-0000-4000-8000-000000000011","course_id":"507f1f77bcf86cd799439012","grade":"B"}' \
    "row 3 of \"journal\": orphan: student_id=99 (no --rejects file to put it in)"

# Orphans to their cause (--upstream): the parent rejected upstream, and
# why (its old key found in the tracking column old_id, or in id for rows
# rejected before remap, its first reason kept), or not in the source.
for f in upstream-students upstream-none upstream-nokey upstream-noerror; do
	mk $f >"$T/$f.rs"
done
U=$T/upstream-students.rs
tj 0 "--fk student_id=map:$S --upstream student_id=$U -r $R" \
                                                       "mk journal"  orphans-reject.jsonl
golden "remap --upstream: the orphan's parent was rejected upstream, and why" "$R" \
    '={"id":3,"student_id":99,"course_id":"507f1f77bcf86cd799439011","grade":"C","_error":"orphan: student_id=99 (students: rejected upstream: duplicate key email)"}'
tj 0 "--fk course_id=map:$C --upstream course_id=$T/upstream-none.rs -r $R -q" \
                                                       "mk journal"  -
golden "remap --upstream: a parent not in the source (no rejects: the map's table)" "$R" \
    '={"id":4,"student_id":null,"course_id":"507f1f77bcf86cd799439013","grade":"D","_error":"orphan: course_id=507f1f77bcf86cd799439013 (courses: not in the source)"}'
tj 0 "--fk student_id=map:$S --upstream student_id:email=$T/upstream-nokey.rs -r $R -q" \
                                                       "mk journal"  -
golden "remap --upstream COL:KEY=FILE: the old key in KEY; not there: not in the source" "$R" \
    '={"id":3,"student_id":99,"course_id":"507f1f77bcf86cd799439011","grade":"C","_error":"orphan: student_id=99 (students: not in the source)"}'
tj 1 "--fk student_id=map:$S --upstream student_id=$U --orphans fail" "mk journal" empty \
    "row 3 of \"journal\": orphan: student_id=99 (students: rejected upstream: duplicate key email) (--orphans fail)"
tj 2 "--fk course_id=map:$C --upstream course_id=$T/upstream-nokey.rs" "mk journal" empty \
    "--upstream course_id: $T/upstream-nokey.rs: \"students\" has no column old_course_id or id for the old key (name it: --upstream course_id:KEY=FILE)"
tj 2 "--fk student_id=map:$S --upstream student_id=$T/upstream-noerror.rs" "mk journal" empty \
    "\"students\" has no _error column: not a rejects file"
tj 2 "--fk student_id=map:$S --upstream grade=$U"      "mk journal"  empty \
    "--upstream grade: not a --fk or --map column"
tj 2 "--fk student_id=map:$S --upstream student_id=$U --upstream student_id=$U" "mk journal" empty \
    "--upstream student_id: given twice"

# Usage.
tj 2 ""                                   "mk journal"  empty "nothing to do"
tj 2 "--assign id"                        "mk journal"  empty "--assign: \"id\" is not COL=..."
tj 2 "--assign id=uuid6"                  "mk journal"  empty "is none of uuid5:NS, uuid4, serial[:START]"
tj 2 "--assign id=serial:x"               "mk journal"  empty "\"x\" is not a number to start at"
tj 2 "--assign id=uuid5:"                 "mk journal"  empty "a namespace is a UUID or a name"
tj 2 "--fk a=foo"                         "mk journal"  empty "is neither uuid5:NS nor map:FILE"
tj 2 "--fk a=map:"                        "mk journal"  empty "map: names no file"
tj 2 "-a id=uuid4 --orphans maybe"        "mk journal"  empty "none of reject, null, keep, fail"
tj 2 "-k old_id --fk student_id=uuid5:x"  "mk journal"  empty "--keep-old without COL= needs exactly one --assign, not 0"
tj 2 "-a id=uuid4 -a student_id=uuid4 --map-out $M" \
                                          "mk journal"  empty "--map-out without COL= needs exactly one --assign, not 2"
tj 2 "--fk student_id=map:$S --known student_id=$K" \
                                          "mk journal"  empty "not a --fk student_id=uuid5:NS column"
tj 2 "-a id=uuid4 -a id=serial"           "mk journal"  empty "column \"id\" is given twice"
tj 2 "-a nope=uuid4"                      "mk journal"  empty \
    "--assign: no column \"nope\" in \"journal\" (its columns: id, student_id, course_id, grade)"
tj 2 "-a id=serial"                       "mk two"      two-stopped.jsonl \
    "--assign: no column \"id\" in \"empty\" (its columns: x)"
tj 2 "-a id=uuid4 -k grade"               "mk journal"  empty "\"journal\" already has a column \"grade\""
tj 2 "-a id=uuid4 extra"                  "mk journal"  empty "unexpected argument \"extra\""
tj 2 "--bogus"                            "mk journal"  empty "usage: remap"

# Bad maps, bad input.
tj 5 "--fk student_id=map:/nonexistent/m.rs" "mk journal" empty "/nonexistent/m.rs: No such file"
tj 1 "--fk student_id=map:$T/map-bad.rs"  "mk journal"  empty "a map has two columns (old key, new key), \"bad\" has 3"
tj 3 "--fk student_id=map:$T/map-trunc.rs" "mk journal" empty "truncated"
tj 3 "-a id=serial"                       "mk --truncate 100 journal" empty "truncated stream"
tj 3 "-a id=serial"                       "mk --bad-hash journal" journal-badhash.jsonl "the rows hash to"

t 0 "--help"    "true" -
t 0 "--version" "true" version

# uuid5 agrees with Python's uuid.uuid5, for integer and text keys, as
# --assign and as --fk (whose UUIDs are cached), with the namespace given
# as a name (uuid5(NAMESPACE_URL, name)) and as a UUID.
pycheck_uuid5() {	# NS COLUMN OLDCOLUMN FILE
	$PY -c '
import json, sys, uuid
ns, col, old = sys.argv[1:4]
try:
    nsu = uuid.UUID(ns)
except ValueError:
    nsu = uuid.uuid5(uuid.NAMESPACE_URL, ns)
n = 0
for line in open(sys.argv[4]):
    r = json.loads(line)
    if r[old] is None:
        assert r[col] is None, r
        continue
    want = str(uuid.uuid5(nsu, str(r[old])))
    assert r[col] == want, (r, want)
    n += 1
assert n > 0
' "$@"
}
mk people | "$BIN/remap" -q -a id=uuid5:school -k old_id | "$BIN/rowcat" -q --json >"$T/u.json"
check "remap uuid5 of integer keys equals python uuid.uuid5" pycheck_uuid5 school id old_id "$T/u.json"
mk keys | "$BIN/remap" -q -a id=uuid5:6ba7b810-9dad-11d1-80b4-00c04fd430c8 -k old_id -r "$R" |
    "$BIN/rowcat" -q --json >"$T/u.json"
check "remap uuid5 of text keys (namespace a UUID) equals python uuid.uuid5" \
    pycheck_uuid5 6ba7b810-9dad-11d1-80b4-00c04fd430c8 id old_id "$T/u.json"
mk journal | "$BIN/remap" -q --fk student_id=uuid5:students -k student_id=old_sid |
    "$BIN/rowcat" -q --json >"$T/u.json"
check "remap --fk uuid5 equals python uuid.uuid5" pycheck_uuid5 students student_id old_sid "$T/u.json"

# uuid4: random version-4 UUIDs, all different, column type uuid.
mk journal | "$BIN/remap" -q -a id=uuid4 >"$T/out"
"$BIN/rowcat" -q --json "$T/out" >"$T/u.json"
check "remap uuid4 gives distinct version-4 UUIDs" $PY -c '
import json, sys, uuid
ids = [json.loads(l)["id"] for l in open(sys.argv[1])]
assert len(ids) == 6 and len(set(ids)) == 6, ids
assert all(uuid.UUID(i).version == 4 and uuid.UUID(i).variant == uuid.RFC_4122 for i in ids), ids
' "$T/u.json"
"$BIN/rowcat" --schema "$T/out" >"$T/schema" 2>/dev/null
check "remap: the new column's type is uuid, the header key stays" \
    grep -q "key: id" "$T/schema"
check "remap: the new column's type is uuid" grep -q "id *uuid" "$T/schema"

# A map written by --map-out works as a --map: uuid4 keys, then the
# same rows' ids through the map.
mk journal | "$BIN/remap" -q -a id=uuid4 --map-out "$M" >"$T/a.rs"
mk journal | "$BIN/remap" -q --map id="$M" >"$T/b.rs"
check "remap --map-out, then --map: the same new keys" \
    cmp "$T/a.rs" "$T/b.rs"

# in = out + rejected, on a stream with orphans; the rejects carry reasons.
rm -f "$R"
mk journal | "$BIN/remap" -a id=uuid5:school --fk student_id=map:"$S" \
    --fk course_id=map:"$C" -r "$R" >"$T/out" 2>"$T/err"
in=6 out=$(rows "$T/out") rej=$(rows "$R")
check "remap: in = out + rejected ($in = $out + $rej)" \
    test "$in" -eq $((out + rej)) -a "$rej" -eq 2
check "remap: summary \"remap: TABLE: N rows in, N out, N rejected, S s\"" \
    grep -qx "remap: journal: 6 rows in, 4 out, 2 rejected, [0-9.]* s" "$T/err"
golden "remap --rejects: the rows and their reasons" "$R" '={"id":3,"student_id":99,"course_id":"507f1f77bcf86cd799439011","grade":"C","_error":"orphan: student_id=99"}
{"id":4,"student_id":null,"course_id":"507f1f77bcf86cd799439013","grade":"D","_error":"orphan: course_id=507f1f77bcf86cd799439013"}'
mk journal | "$BIN/remap" -q -a id=serial >/dev/null 2>"$T/err"
check "remap -q is quiet" test ! -s "$T/err"
mk journal | "$BIN/remap" --progress -a id=serial >"$T/out" 2>"$T/err"
check "remap --progress" test "$(rows "$T/out")" -eq 6

# A failed run leaves no map and no rejects file, not even a temporary.
rm -f "$M" "$R"
mk journal | "$BIN/remap" -q -a id=uuid5:school --fk student_id=map:"$S" \
    --orphans fail --map-out "$M" -r "$R" >/dev/null 2>&1
check "remap: no --map-out or --rejects file after a failed run" \
    test ! -e "$M" -a ! -e "$R"
check "remap: no temporary files after a failed run" \
    sh -c "! ls '$T' | grep -q tmp"
mk --truncate 150 journal | "$BIN/remap" -q -a id=serial --map-out "$M" >/dev/null 2>&1
check "remap: no --map-out file after a truncated input" test ! -e "$M"

# Messages: a bad header once, with one prefix; a key escaped.
says 3 'remap: stdin: byte 0: column "id" appears twice in "dup"' \
    'mk dupcols | "$BIN/remap" -q -a id=serial >/dev/null'
says 1 'remap: row 1 of "msgs": orphan: s=1\0\xff\x0aA (--orphans fail)' \
    'mk msgs | "$BIN/remap" -q --fk s=map:"$S" --orphans fail >/dev/null'

# --help mirrors the man page.
check "remap --help and its man page" sh -c \
    "'$BIN/remap' --help | grep -q '^usage: remap \[-a COL=' && grep -q '^.B remap$' '$ROOT/docs/remap.1'"
