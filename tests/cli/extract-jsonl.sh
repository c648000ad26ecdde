#!/bin/sh
# extract --jsonl: JSON lines (mongoexport's Extended JSON) into row
# streams. Each case's input is printf lines in the table; the stream is
# shown with rowcat --json (or --schema) and compared with the expected
# text inline. Then Python's json module (code nobody here wrote) reads
# the same file and its values must agree with ours.
. "$(dirname "$0")/../lib/common.sh"
E=$BIN/extract
cd "$T" || exit 1

# j STATUS ARGS INPUT EXPECTED [STDERR]
#
# Runs "extract -q --jsonl - ARGS" with the output of the shell command
# INPUT on stdin. With status 0 the stream, shown by rowcat --json (or
# --schema, when EXPECTED starts with "--schema:"), must be EXPECTED;
# with another the stream must not look complete and stderr must hold
# STDERR.
j() {
	want=$1 args=$2 input=$3 expect=$4 pat=${5:-}
	name="extract --jsonl $args < $input"
	eval "$input" >in
	eval "\"\$E\" -q --jsonl - $args" <in >out 2>err
	judged "$name" "$want" $? "$expect" "$pat"
}

STUDENT='printf "%s\n" '\''{"_id":{"$oid":"5f1a2b3c4d5e6f7a8b9c0d1e"},"name":"Zoé","created":{"$date":"2024-01-02T10:00:00Z"},"n":{"$numberLong":"7"},"address":{"city":"Lyon","zip":"69001"}}'\'' '\''{"_id":{"$oid":"5f1a2b3c4d5e6f7a8b9c0d1f"},"name":"Ada","created":{"$date":{"$numberLong":"1704189600123"}}}'\'''

# status args input expected
# each Extended JSON wrapper: the value it wraps, the type its key gives
j 0 "-c '_id.\$oid AS id, name, created.\$date AS created, n.\$numberLong AS n, address.city AS city'" "$STUDENT" \
'{"id":"5f1a2b3c4d5e6f7a8b9c0d1e","name":"Zoé","created":"2024-01-02 10:00:00+00","n":7,"city":"Lyon"}
{"id":"5f1a2b3c4d5e6f7a8b9c0d1f","name":"Ada","created":"2024-01-02 10:00:00.123+00","n":null,"city":null}'
j 0 "-c '_id.\$oid AS id, created.\$date AS created, n.\$numberLong AS n, address AS address' --types address:jsonb --key id --name students" "$STUDENT" \
'--schema:students (segment 1 of out): 4 columns
  source: stdin
  key: id
  id       text
  created  timestamptz
  n        int8
  address  jsonb
  2 rows, hash 177ccb027a72e66d'
# a whole sub-document as its compact JSON text; a missing one is NULL
j 0 "-c 'name, address' --types address:json" "$STUDENT" \
'{"name":"Zoé","address":"{\"city\":\"Lyon\",\"zip\":\"69001\"}"}
{"name":"Ada","address":null}'
# a wrapper not named in the path is decoded too (a text column)
j 0 "-c '_id AS id, created AS at'" "$STUDENT" \
'{"id":"5f1a2b3c4d5e6f7a8b9c0d1e","at":"2024-01-02 10:00:00+00"}
{"id":"5f1a2b3c4d5e6f7a8b9c0d1f","at":"2024-01-02 10:00:00.123+00"}'
j 0 "-c 'i.\$numberInt AS i, d.\$numberDouble AS d, m.\$numberDecimal AS m, b.\$binary AS b, old.\$binary AS old'" \
  "printf '%s\n' '{\"i\":{\"\$numberInt\":\"-42\"},\"d\":{\"\$numberDouble\":\"-Infinity\"},\"m\":{\"\$numberDecimal\":\"12345678901234567890.10\"},\"b\":{\"\$binary\":{\"base64\":\"AP8K\",\"subType\":\"00\"}},\"old\":{\"\$binary\":\"aGk=\",\"\$type\":\"00\"}}'" \
'{"i":-42,"d":"-Infinity","m":"12345678901234567890.10","b":"\\x00ff0a","old":"\\x6869"}'
# $date: an offset, a fraction, the canonical form before 1970, BC
j 0 "-c 'd.\$date AS d'" \
  "printf '%s\n' '{\"d\":{\"\$date\":\"2024-06-30T23:30:00.25-01:00\"}}' '{\"d\":{\"\$date\":{\"\$numberLong\":\"-1\"}}}' '{\"d\":{\"\$date\":{\"\$numberLong\":\"-62135596800001\"}}}'" \
'{"d":"2024-07-01 00:30:00.25+00"}
{"d":"1969-12-31 23:59:59.999+00"}
{"d":"0001-12-31 23:59:59.999+00 BC"}'
j 3 "-c 'd.\$date AS d'" "printf '%s\n' '{\"d\":{\"\$date\":\"2024-13-01T00:00:00Z\"}}'" - \
  'stdin: line 1: column "d" (timestamptz): "2024-13-01T00:00:00Z" is not Extended JSON $date'
# plain JSON: numbers as written into text, as numbers into numbers
j 0 "-c 'a, b, c, d, e' --types a:int8,b:float8,c:bool,d:int4" \
  "printf '%s\n' '{\"a\":9223372036854775807,\"b\":1e300,\"c\":true,\"d\":\"12\",\"e\":1.50}' '{\"a\":-1,\"b\":3,\"c\":\"off\",\"d\":null,\"e\":false}'" \
'{"a":9223372036854775807,"b":1e+300,"c":true,"d":12,"e":"1.50"}
{"a":-1,"b":3,"c":false,"d":null,"e":"false"}'
j 3 "-c 'a' --types a:int8" "printf '%s\n' '{\"a\":1}' '{\"a\":2.5}'" - \
  'stdin: line 2: column "a" (int8): 2.5 is not an integer'
j 3 "-c 'a' --types a:int2" "printf '%s\n' '{\"a\":40000}'" - \
  'stdin: line 1: column "a" (int2): 40000 is out of the column'"'"'s range'
j 3 "-c 'a' --types a:int8" "printf '%s\n' '{\"a\":9223372036854775808}'" - \
  'column "a" (int8): 9223372036854775808 is out of the column'
# nested paths, array elements, missing paths and nulls
j 0 "-c 'a.b.c AS c, l.1.x AS x, l.0 AS first, a.q.r AS r, z'" \
  "printf '%s\n' '{\"a\":{\"b\":{\"c\":\"deep\"}},\"l\":[10,{\"x\":\"y\"}],\"z\":null}' '{}'" \
'{"c":"deep","x":"y","first":"10","r":null,"z":null}
{"c":null,"x":null,"first":null,"r":null,"z":null}'
# --unwind, as MongoDB's $unwind: a row per element; an empty or missing
# array, or a null, gives none; a value that is not an array is one
ENROL='printf "%s\n" '\''{"_id":{"$oid":"aa01"},"enrollments":[{"course":{"$oid":"c001"},"grade":"A"},{"course":{"$oid":"c002"}}]}'\'' '\''{"_id":{"$oid":"aa02"},"enrollments":[]}'\'' '\''{"_id":{"$oid":"aa03"}}'\'' '\''{"_id":{"$oid":"aa04"},"enrollments":{"course":{"$oid":"c003"},"grade":"B"}}'\'''
j 0 "--unwind enrollments -c '_id.\$oid AS student_id, enrollments.course.\$oid AS course_id, enrollments.grade AS grade'" "$ENROL" \
'{"student_id":"aa01","course_id":"c001","grade":"A"}
{"student_id":"aa01","course_id":"c002","grade":null}
{"student_id":"aa04","course_id":"c003","grade":"B"}'
j 0 "--unwind tags -c 'tags AS tag'" "printf '%s\n' '{\"tags\":[\"x\",\"y\"]}'" \
'{"tag":"x"}
{"tag":"y"}'
# lines that are not JSON: the line and the byte; blank lines are skipped
j 3 "-c a" "printf '%s\n' '{\"a\":1}' '{\"a\":tru}'" - 'stdin: line 2, byte 16: boolean expected'
j 3 "-c a" "printf '%s\n' '{\"a\":1}' '' '{\"a\":'" - 'stdin: line 3, byte 14: the line ends inside a JSON value'
j 3 "-c a" "printf '%s\n' '[1, 2]'" - 'stdin: line 1, byte 0: not a JSON object'
j 3 "-c a" "printf '%s\n' '{\"a\":1} {\"a\":2}'" - 'stdin: line 1, byte 8: unexpected character'
j 3 "-c a" "printf '%s\n' '{\"a\":[1,]}'" - 'stdin: line 1, byte 8: unexpected character'
j 3 "-c a" "printf '{\"a\":\"\\377\"}\n'" - 'column "a" (text): "\xff" is not UTF-8, or holds a NUL byte'
j 0 "-c a" "printf '\n{\"a\":1}\r\n\n'" '{"a":"1"}'
# usage
j 2 "" "true" - '--jsonl needs --columns'
j 2 "-c 'a AS'" "true" - '--columns: "a" is not PATH or PATH AS NAME'
j 2 "-c 'a..b'" "true" - '--columns: an empty key in a path'
j 2 "-c 'a, b AS a'" "true" - 'column "a" appears twice'
j 2 "-c a --types b:int8" "true" - '--types: no column "b" in stdin'
j 2 "-c a --key b" "true" - '--key: no column "b" in stdin'
j 2 "-c a --header" "true" - '--header and --null are not for --jsonl'
j 2 "-c a -w x" "true" - 'not for --text or --jsonl'
j 2 "-c a --unwind ''" "true" - 'an empty key in a path'
"$E" --csv - --header --unwind a </dev/null >/dev/null 2>err
check "extract --csv --unwind: exit 2, --unwind is for --jsonl" \
    sh -c '[ "$1" -eq 2 ] && grep -q "unwind is for --jsonl" err' sh "$?"
says 5 'extract: nope.jsonl: No such file or directory' '"$E" -q --jsonl nope.jsonl -c a >/dev/null'

# Interop: Python writes a file of varied documents, extract reads it,
# and Python's json module reads the same file: every value agrees.
$PY - <<'EOF' >gen.err 2>&1 || { notok "cannot make the interop file"; indent gen.err; }
import json, random
random.seed(16)
with open("docs.jsonl", "w") as f:
    for i in range(500):
        d = {"_id": {"$oid": "%024x" % random.getrandbits(96)},
             "name": random.choice(["Zoé", "Ada", "O'Brien", "a\tb", "\"q\"", "日本"]),
             "created": {"$date": {"$numberLong": str(random.randint(-10**12, 4 * 10**12))}},
             "n": {"$numberLong": str(random.randint(-2**63, 2**63 - 1))},
             "score": random.choice([1.5, -0.0, 1e-7, 123456.789, 3]),
             "address": random.choice([{"city": "Lyon", "zip": "69001"}, {}, None]),
             "tags": random.sample(["x", "y", "z"], random.randint(0, 3))}
        if i % 7 == 0:
            del d["name"]
        f.write(json.dumps(d, ensure_ascii=(i % 2 == 0)) + "\n")
EOF
COLS='_id.$oid AS id, name, created.$date AS created, n.$numberLong AS n, score, address, address.city AS city, tags AS tag'
if "$E" -q --jsonl docs.jsonl --unwind tags -c "$COLS" --types score:float8,address:json -o docs.rs 2>err &&
    "$BIN/rowcat" -q --json docs.rs >docs.json 2>>err; then
	if $PY - >check.out 2>&1 <<'EOF'; then
import json, datetime
ours = [json.loads(l) for l in open("docs.json")]
want = []
def pgtime(ms):
    t = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(milliseconds=ms)
    s = t.strftime("%Y-%m-%d %H:%M:%S")
    if t.microsecond:
        s += (".%06d" % t.microsecond).rstrip("0")
    return s + "+00"
for line in open("docs.jsonl"):
    d = json.loads(line)
    for tag in d["tags"]:
        addr = d["address"]
        want.append({"id": d["_id"]["$oid"], "name": d.get("name"),
                     "created": pgtime(int(d["created"]["$date"]["$numberLong"])),
                     "n": int(d["n"]["$numberLong"]), "score": float(d["score"]),
                     "address": addr, "city": (addr or {}).get("city"), "tag": tag})
assert len(ours) == len(want), (len(ours), len(want))
for k, (o, w) in enumerate(zip(ours, want)):
    o["address"] = None if o["address"] is None else json.loads(o["address"])
    assert o == w, (k, o, w)
print(len(ours), "rows agree")
EOF
		ok "extract --jsonl: python3's json reads the same file, $(cat check.out)"
	else
		notok "extract --jsonl: python3's json disagrees"
		indent check.out
	fi
else
	notok "extract --jsonl: the interop file"
	indent err
fi
