#!/bin/sh
# extract --csv's dialects: --trim, --quote, --escape, --encoding, --skip,
# --ragged and --rejects (the plain RFC 4180 reader is tests/cli/extract.sh).
# An input is the printf format in the table (\n a line break, \\ one
# backslash, \245 the byte 0xa5); the stream is shown with rowcat --json
# and compared with the expected lines inline.
. "$(dirname "$0")/../lib/common.sh"
E=$BIN/extract
cd "$T" || exit 1

# x STATUS ARGS FORMAT EXPECTED [STDERR]: "extract -q --csv - ARGS" with
# the bytes of printf FORMAT as its input, judged by judged().
x() {
	want=$1 args=$2 fmt=$3 expect=$4 pat=${5:-}
	name="extract --csv - $args < '$fmt'"
	# shellcheck disable=SC2059
	printf "$fmt" >in
	eval "\"\$E\" -q --csv - $args" <in >out 2>err
	judged "$name" "$want" $? "$expect" "$pat"
}

# status args format expected [stderr]
# pgloader's sample: a blank before the quote, read with --trim (pgloader's
# "trim unquoted blanks"); without it, an error that says why
x 0 "-c a,b,c --trim" 'col1, 45, "005 45 works"\n' \
'{"a":"col1","b":"45","c":"005 45 works"}'
x 3 "-c a,b,c" 'col1, 45, "005 45 works"\n' - \
'stdin: line 1: field 3: malformed quoting: a quote inside an unquoted field, or text after a closing quote (--trim reads a blank before a quote as outside the field)'
# --trim: blanks around unquoted fields and around quotes go, blanks
# inside quotes stay; a quote inside an unquoted field is still an error
x 3 "--header --trim" ' a , b \n  x  ,  " y " \t, z\n' - 'stdin: line 2: 3 fields, expected 2'
x 0 "--header --trim" ' a , b \n  x  ,  " y " \t\n' \
'{"a":"x","b":" y "}'
x 3 "--header --trim" 'a,b\nx y "z",1\n' - 'stdin: line 2: field 1: malformed quoting'
# without --trim blanks are data (RFC 4180)
x 0 "--header" 'a,b\n x , y \n' '{"a":" x ","b":" y "}'
# a tab that separates fields is no blank to trim: the empty field stays
x 0 "--header --trim --delimiter tab" 'a\tb\tc\n 1 \t\t 3 \n' \
'{"a":"1","b":null,"c":"3"}'

# --encoding: iconv's names; pgloader's Latin-1 sample with the byte 0xa5
x 0 "--header --encoding LATIN1" 'id,name\n1,"006 44 Fails \245"\n' \
'{"id":"1","name":"006 44 Fails ¥"}'
x 3 "--header" 'id,name\n1,"006 44 Fails \245"\n' - \
'stdin: line 2: column "name" (text): "006 44 Fails \xa5" is not a valid text'
x 3 "--header --encoding ASCII" 'id,name\n1,"006 44 Fails \245"\n' - \
'stdin: line 2, column 17 (field 2): byte 0xa5 is not ASCII'
x 3 "--header --encoding UTF-8" 'id,name\n1,ok\n2,"caf\303\251 \351"\n' - \
'stdin: line 3, column 9 (field 2): byte 0xe9 is not UTF-8'
x 0 "--header --encoding WINDOWS-1252 --delimiter ';'" 'item;price\nTasse;3,50 \200\n' \
'{"item":"Tasse","price":"3,50 €"}'
# UTF-16 (a BOM, two bytes a character, newlines included)
x 0 "--header --encoding UTF-16" '\377\376a\000,\000b\000\n\000\351\000,\000"\000x\000"\000\n\000' \
'{"a":"é","b":"x"}'
# a UTF-8 BOM is still skipped after iconv
x 0 "--header --encoding UTF-8" '\357\273\277a\n1\n' '{"a":"1"}'
x 2 "--header --encoding NOPE" 'a\n' - 'extract: --encoding: iconv knows no encoding "NOPE"'

# --quote
x 0 "--header --quote \"'\"" "a,b\n'it''s, one',\"x\"\n" \
'{"a":"it'"'"'s, one","b":"\"x\""}'
x 2 "--header --quote ','" 'a\n' - '--delimiter and --quote are the same character'
# --escape: inside quotes, C before a quote or before C; elsewhere itself
x 0 "--header --escape '\\'" 'a,b\n"say \\"hi\\" \\\\ \\n","x\\y"\n' \
'{"a":"say \"hi\" \\ \\n","b":"x\\y"}'
x 0 "--header --escape '\\'" 'a,b\nc:\\dir\\,"q""q"\n' \
'{"a":"c:\\dir\\","b":"q\"q"}'
x 0 "--header --escape '\\'" 'a\n"line\\"\nbreak"\n' \
'{"a":"line\"\nbreak"}'
x 3 "--header" 'a\n"say \\"hi\\""\n' - 'stdin: line 2: field 1: malformed quoting'
x 2 "--header --escape ','" 'a\n' - '--escape and --delimiter are the same character'
x 2 "--header --escape ab" 'a\n' - '--escape: "ab" is not one character'

# --skip: lines before the header; messages keep the file's line numbers
x 0 "--header --skip 2" 'Report: pupils\nexported 2024-01-02\nid,name\n1,Ann\n' \
'{"id":"1","name":"Ann"}'
x 3 "--header --skip 2" 'x\n"y\nid,name\n1,Ann\n2\n' - 'stdin: line 5: 1 field, expected 2'
x 0 "-c id --skip 1" 'id\n7\n' '{"id":"7"}'
x 2 "--header --skip x" 'a\n' - '--skip: "x" is not a number of lines'

# --ragged: too few or too many fields; by default an error
x 3 "--header" 'a,b\n1,2\n3\n' - 'stdin: line 3: 1 field, expected 2'
x 0 "--header --ragged null" 'a,b,c\n1,2,3\n4\n5,6,,\n7,8,9,"",\n' \
'{"a":"1","b":"2","c":"3"}
{"a":"4","b":null,"c":null}
{"a":"5","b":"6","c":null}
{"a":"7","b":"8","c":"9"}'
x 3 "--header --ragged null" 'a,b\n1,2\n3,4,5\n' - \
'stdin: line 3: 3 fields, expected 2, and a value in the extra ones'
x 0 "-c a,b --ragged null --types a:int8" '1\n2,x\n' \
'{"a":1,"b":null}
{"a":2,"b":"x"}'
x 2 "--header --ragged reject" 'a\n' - '--ragged reject needs --rejects FILE'
x 2 "--header --rejects r.rs" 'a\n' - '--rejects is for --ragged reject'
x 2 "--header --ragged some" 'a\n' - '--ragged: give null or reject'

# the dialect is for --csv only
check "extract -t x --trim: exit 2, the dialect is for --csv" \
    sh -c '"$1" -t x --trim 2>err; [ $? -eq 2 ] && grep -q "are for --csv" err' sh "$E"
check "extract --text - -c a --encoding LATIN1: exit 2" \
    sh -c '"$1" --text - -c a --encoding LATIN1 </dev/null 2>err; [ $? -eq 2 ] && grep -q "not for --text or --jsonl" err' sh "$E"

# --ragged reject: the records go to the rejects stream with their line
# and fields; the run goes on, and the summary counts them.
printf 'a,b\n1,2\n3\n"4,x",5,"y"""\n6,\n' >in
"$E" --csv - --header --ragged reject --rejects rj.rs <in >out 2>err
st=$?
"$BIN/rowcat" -q --json out >got 2>&1
"$BIN/rowcat" -q --json rj.rs >rgot 2>&1
cat >rwant <<'EOF'
{"_line":3,"_fields":"[\"3\"]","_error":"1 field, expected 2"}
{"_line":4,"_fields":"[\"4,x\",\"5\",\"y\\\"\"]","_error":"3 fields, expected 2"}
EOF
if [ "$st" -eq 0 ] && printf '{"a":"1","b":"2"}\n{"a":"6","b":null}\n' | diff - got >/dev/null &&
    diff rwant rgot >diff && grep -q ' 2 rejected' err &&
    [ "$(stat -c %a rj.rs)" = 600 ]; then
	ok "extract --csv --ragged reject: records to --rejects with their lines"
else
	notok "extract --csv --ragged reject: records to --rejects with their lines"
	indent err got diff
fi
# no ragged record: a whole, empty rejects stream
printf 'a\n1\n' | "$E" -q --csv - --header --ragged reject --rejects rj.rs >out
if "$BIN/rowcat" -q --schema rj.rs 2>&1 | grep -q '0 rows'; then
	ok "extract --csv --ragged reject: an empty rejects stream when none is"
else
	notok "extract --csv --ragged reject: an empty rejects stream when none is"
	"$BIN/rowcat" -q --schema rj.rs 2>&1 | indent
fi
# a run that fails after a reject leaves no rejects file (not even an
# older one), and no stream
printf 'a\n1,2\nx\n' | "$E" -q --csv - --header --types a:int8 --ragged reject \
    --rejects rj.rs >out 2>err
st=$?
if [ "$st" -eq 3 ] && [ ! -e rj.rs ] && grep -q 'line 3: column "a" (int8)' err; then
	ok "extract --csv --ragged reject: a failed run removes the rejects file"
else
	notok "extract --csv --ragged reject: a failed run removes the rejects file"
	indent err
fi

# Escapes and partial characters across read buffers (64 KiB): 40,000
# Latin-1 records, each with escaped quotes and backslashes.
$PY - big.csv <<'EOF'
import sys
with open(sys.argv[1], "wb") as f:
    f.write(b"id,note\n")
    for i in range(1, 40001):
        f.write(b'%d,"\xa5 \\"%d\\" \\\\ end"\n' % (i, i))
EOF
"$E" -q --csv big.csv --header --escape '\' --encoding LATIN1 --types id:int8 >big.rs 2>err
st=$?
"$BIN/rowcat" -q --json big.rs >big.json 2>>err
if [ "$st" -eq 0 ] && [ "$(wc -l <big.json)" -eq 40000 ] &&
    grep -qxF '{"id":1,"note":"¥ \"1\" \\ end"}' big.json &&
    grep -qxF '{"id":29127,"note":"¥ \"29127\" \\ end"}' big.json &&
    grep -qxF '{"id":40000,"note":"¥ \"40000\" \\ end"}' big.json &&
    [ "$(grep -c '^{"id":[0-9]*,"note":"¥ \\"[0-9]*\\" \\\\ end"}$' big.json)" -eq 40000 ]; then
	ok "extract --csv --escape --encoding: 40,000 records across buffers"
else
	notok "extract --csv --escape --encoding: 40,000 records across buffers"
	indent err
fi
# UTF-16 across buffers: characters cut by a read are carried over
$PY - big16.csv <<'EOF'
import sys
with open(sys.argv[1], "w", encoding="utf-16", newline="") as f:
    f.write("id,name\n")
    for i in range(1, 30001):
        f.write("%d,Zoé %d €\n" % (i, i))
EOF
"$E" -q --csv big16.csv --header --encoding UTF-16 >big.rs 2>err
st=$?
"$BIN/rowcat" -q --json big.rs >big.json 2>>err
if [ "$st" -eq 0 ] && [ "$(wc -l <big.json)" -eq 30000 ] &&
    [ "$(grep -c '^{"id":"[0-9]*","name":"Zoé [0-9]* €"}$' big.json)" -eq 30000 ]; then
	ok "extract --csv --encoding UTF-16: 30,000 records across buffers"
else
	notok "extract --csv --encoding UTF-16: 30,000 records across buffers"
	indent err
fi
# The two cuts a read can make, at the exact end of the first 64 KiB
# read: between an escape and the quote it escapes, and inside a UTF-8
# character that iconv must wait for.
$PY - cut-esc.csv cut-utf8.csv <<'EOF2'
import sys
with open(sys.argv[1], "wb") as f:
    f.write(b'a\n"' + b"x" * 65532 + b'\\"end"\n')	# \ is byte 65535
with open(sys.argv[2], "wb") as f:
    f.write(b"a\n" + b"x" * 65533 + "€\n".encode())	# € is 65535-65537
EOF2
"$E" -q --csv cut-esc.csv --header --escape '\' | "$BIN/rowcat" -q --json >got 2>err
"$E" -q --csv cut-utf8.csv --header --encoding UTF-8 | "$BIN/rowcat" -q --json >got2 2>>err
x65532=$($PY -c 'print("x" * 65532, end="")')
x65533=$($PY -c 'print("x" * 65533, end="")')
if [ "$(cat got)" = "{\"a\":\"$x65532\\\"end\"}" ] &&
    [ "$(cat got2)" = "{\"a\":\"${x65533}€\"}" ]; then
	ok "extract --csv: an escape and a character cut by a read"
else
	notok "extract --csv: an escape and a character cut by a read"
	indent err
fi
