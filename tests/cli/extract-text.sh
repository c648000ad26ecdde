#!/bin/sh
# extract --text: PostgreSQL's COPY text format and mysql --batch output
# into row streams. Inputs are printf lines in the table (\\ in printf's
# format is one backslash in the file); the stream is shown with rowcat
# --json (or --schema) and compared with the expected text inline.
. "$(dirname "$0")/../lib/common.sh"
E=$BIN/extract
cd "$T" || exit 1

# x STATUS ARGS INPUT EXPECTED [STDERR]: as extract-jsonl.sh's j(), for
# "extract -q --text - ARGS".
x() {
	want=$1 args=$2 input=$3 expect=$4 pat=${5:-}
	name="extract --text $args < $input"
	eval "$input" >in
	eval "\"\$E\" -q --text - $args" <in >out 2>err
	judged "$name" "$want" $? "$expect" "$pat"
}

# status args input expected
# every escape COPY writes, and the octal and hex ones it reads
x 0 "--header" "printf 'id\\tnote\\n1\\tline\\\\nbreak\\n2\\ttab\\\\there\\n3\\t\\\\\\\\ and \\\\r\\\\b\\\\f\\\\v\\n4\\t\\\\101\\\\x42\\\\7\\n'" \
'{"id":"1","note":"line\nbreak"}
{"id":"2","note":"tab\there"}
{"id":"3","note":"\\ and \r\u0008\u000c\u000b"}
{"id":"4","note":"AB\u0007"}'
# \N is NULL; \\N (a backslash, then N) and the empty field are not
x 0 "-c a,b,c" "printf '\\\\N\\t\\\\\\\\N\\t\\n'" \
'{"a":null,"b":"\\N","c":""}'
# mysql --batch writes NULL as NULL: --null says so
x 0 "--header --null NULL --types id:int8" "printf 'id\\tname\\n1\\tNULL\\n2\\tZo\\303\\251\\n'" \
'{"id":1,"name":null}
{"id":2,"name":"Zoé"}'
# types, the key, the table name, the source
x 0 "--header --types id:int4,ok:bool,pic:bytea,score:float8 --key id --name pupils" \
  "printf 'id\\tok\\tpic\\tscore\\n7\\tt\\t\\\\\\\\x00ff\\t1.5\\n'" \
'--schema:pupils (segment 1 of out): 4 columns
  source: stdin
  key: id
  id     int4
  ok     bool
  pic    bytea
  score  float8
  1 row, hash dd66a39107e4b9c0'
x 0 "--header --types id:int4,ok:bool,pic:bytea,score:float8" \
  "printf 'id\\tok\\tpic\\tscore\\n7\\tt\\t\\\\\\\\x00ff\\t1.5\\n'" \
'{"id":7,"ok":true,"pic":"\\x00ff","score":1.5}'
# -c with --header: the columns kept, in this order
x 0 "--header -c c,a" "printf 'a\\tb\\tc\\n1\\t2\\t3\\n'" '{"c":"3","a":"1"}'
# the end-of-data line, CRLF line ends, an escaped header name
x 0 "--header" "printf 'we\\\\tird\\r\\nx\\r\\n\\\\.\\nnot\\tread\\n'" '{"we\tird":"x"}'
# errors name the line
x 3 "--header" "printf 'a\\tb\\n1\\t2\\n3\\n'" - 'stdin: line 3: 1 field, expected 2'
x 3 "--header --types a:int8" "printf 'a\\n1\\nten\\n'" - 'stdin: line 3: column "a" (int8): "ten" is not a valid int8'
x 3 "-c a" "printf '\\\\377\\n'" - 'stdin: line 1: column "a" (text): "\xff" is not a valid text (not UTF-8, or a NUL byte)'
x 3 "--header" "true" - 'stdin: no header line'
x 2 "--header -c z" "printf 'a\\n'" - '--columns: no column "z" in the header line of stdin'
x 2 "--header --key z" "printf 'a\\n'" - '--key: no column "z" in stdin'
x 2 "" "true" - '--text needs --header or --columns'
x 2 "-c a --unwind a" "true" - '--unwind is for --jsonl'
x 2 "-c a --delimiter ';'" "true" - 'not for --text or --jsonl'
x 2 "-c a --csv x" "true" - 'give one source'
