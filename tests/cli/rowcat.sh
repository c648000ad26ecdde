#!/bin/sh
# rowcat: shows a row stream as JSON Lines, CSV, a table or its schema.
. "$(dirname "$0")/../lib/common.sh"
PROG=rowcat

# status args                     input                          golden            stderr
t 0 "--json"                      "mk people"                    '={"id":1,"name":"Ada Lovelace","score":9.5,"active":true,"photo":"\\x00ff10","born":"1815-12-10"}
{"id":2,"name":"Émile \"Zola\", père","score":-0.25,"active":false,"photo":"\\x","born":null}
{"id":3,"name":"","score":null,"active":null,"photo":null,"born":"2001-02-03"}
{"id":-4,"name":"line\nbreak\ttab","score":"NaN","active":true,"photo":"\\x41","born":"1999-12-31"}'
t 0 "-j -q"                       "mk people"                    '={"id":1,"name":"Ada Lovelace","score":9.5,"active":true,"photo":"\\x00ff10","born":"1815-12-10"}
{"id":2,"name":"Émile \"Zola\", père","score":-0.25,"active":false,"photo":"\\x","born":null}
{"id":3,"name":"","score":null,"active":null,"photo":null,"born":"2001-02-03"}
{"id":-4,"name":"line\nbreak\ttab","score":"NaN","active":true,"photo":"\\x41","born":"1999-12-31"}'
t 0 ""                            "mk people"                    '={"id":1,"name":"Ada Lovelace","score":9.5,"active":true,"photo":"\\x00ff10","born":"1815-12-10"}
{"id":2,"name":"Émile \"Zola\", père","score":-0.25,"active":false,"photo":"\\x","born":null}
{"id":3,"name":"","score":null,"active":null,"photo":null,"born":"2001-02-03"}
{"id":-4,"name":"line\nbreak\ttab","score":"NaN","active":true,"photo":"\\x41","born":"1999-12-31"}'
t 0 "--csv"                       "mk people"                    people.csv
t 0 "--table"                     "mk people"                    people.table
t 0 "--schema"                    "mk people"                    people.schema
t 0 "--head 2"                    "mk people"                    '={"id":1,"name":"Ada Lovelace","score":9.5,"active":true,"photo":"\\x00ff10","born":"1815-12-10"}
{"id":2,"name":"Émile \"Zola\", père","score":-0.25,"active":false,"photo":"\\x","born":null}'
t 0 "-n 0"                        "mk people"                    empty
t 0 "--csv --null NULL"           "mk people"                    people-null.csv
t 0 "--table --null '(null)'"     "mk people"                    people-null.table
t 0 "--json --bytea base64"       "mk people"                    '={"id":1,"name":"Ada Lovelace","score":9.5,"active":true,"photo":"AP8Q","born":"1815-12-10"}
{"id":2,"name":"Émile \"Zola\", père","score":-0.25,"active":false,"photo":"","born":null}
{"id":3,"name":"","score":null,"active":null,"photo":null,"born":"2001-02-03"}
{"id":-4,"name":"line\nbreak\ttab","score":"NaN","active":true,"photo":"QQ==","born":"1999-12-31"}'
t 0 "--json --bytea hex"          "mk people"                    '={"id":1,"name":"Ada Lovelace","score":9.5,"active":true,"photo":"\\x00ff10","born":"1815-12-10"}
{"id":2,"name":"Émile \"Zola\", père","score":-0.25,"active":false,"photo":"\\x","born":null}
{"id":3,"name":"","score":null,"active":null,"photo":null,"born":"2001-02-03"}
{"id":-4,"name":"line\nbreak\ttab","score":"NaN","active":true,"photo":"\\x41","born":"1999-12-31"}'
t 0 "--json"                      "mk --wide-ints people"        '={"id":1,"name":"Ada Lovelace","score":9.5,"active":true,"photo":"\\x00ff10","born":"1815-12-10"}
{"id":2,"name":"Émile \"Zola\", père","score":-0.25,"active":false,"photo":"\\x","born":null}
{"id":3,"name":"","score":null,"active":null,"photo":null,"born":"2001-02-03"}
{"id":-4,"name":"line\nbreak\ttab","score":"NaN","active":true,"photo":"\\x41","born":"1999-12-31"}'
t 0 "--json"                      "mk two"                       '={"id":1,"name":"North"}
{"id":2,"name":"South"}
{"id":10,"school_id":1,"title":"Algebra"}
{"id":11,"school_id":null,"title":"Ancient Greek"}
{"id":12,"school_id":2,"title":"数学"}'
t 0 "--table"                     "mk two"                       two.table
t 0 "--schema"                    "mk two"                       two.schema
t 0 "--csv"                       "mk two"                       two.csv
t 0 "--head 3 --table"            "mk two"                       two-head3.table
t 0 '--json "$T/in" - "$T/in"'    "mk two"                       two3x.jsonl
t 0 "--json"                      "mk odd"                       '={"s":"A�B","n":18446744073709551615,"f":"Infinity","nocols_note":"{\"a\": [1, 2]}"}
{"s":"\u0001\u0007\u001f","n":-9223372036854775808,"f":"-Infinity","nocols_note":"null"}
{"s":"tab\there, quote\" and \\ backslash","n":0,"f":1e-300,"nocols_note":"[]"}
{"s":"  padded  ","n":42,"f":0.1,"nocols_note":""}'
t 0 "--table"                     "mk odd"                       odd.table
t 0 "--csv"                       "mk odd"                       odd.csv
t 0 "--table"                     "mk nocols"                    '=nocols
--
(2 rows)
'
t 0 "--json"                      "mk nocols"                    '={}
{}'
t 0 "--json"                      "mk --float32 people"          '={"id":1,"name":"Ada Lovelace","score":9.5,"active":true,"photo":"\\x00ff10","born":"1815-12-10"}
{"id":2,"name":"Émile \"Zola\", père","score":-0.25,"active":false,"photo":"\\x","born":null}
{"id":3,"name":"","score":null,"active":null,"photo":null,"born":"2001-02-03"}
{"id":-4,"name":"line\nbreak\ttab","score":"NaN","active":true,"photo":"\\x41","born":"1999-12-31"}'
t 3 "--json"                      "mk --truncate 200 people"     '={"id":1,"name":"Ada Lovelace","score":9.5,"active":true,"photo":"\\x00ff10","born":"1815-12-10"}'   "truncated stream: input ends inside an object that starts at byte 174"
t 3 "--table"                     "mk --truncate 200 people"     '=people
 id |     name     | score | active |  photo   |    born    
----+--------------+-------+--------+----------+------------
  1 | Ada Lovelace |   9.5 | t      | \x00ff10 | 1815-12-10'   "byte 200: truncated stream"
t 3 "--json"                      "mk --no-trailer people"       '={"id":1,"name":"Ada Lovelace","score":9.5,"active":true,"photo":"\\x00ff10","born":"1815-12-10"}
{"id":2,"name":"Émile \"Zola\", père","score":-0.25,"active":false,"photo":"\\x","born":null}
{"id":3,"name":"","score":null,"active":null,"photo":null,"born":"2001-02-03"}
{"id":-4,"name":"line\nbreak\ttab","score":"NaN","active":true,"photo":"\\x41","born":"1999-12-31"}'      "input ends after 4 rows of \"people\" (segment 1), before its trailer"
t 3 "--json"                      "mk --bad-hash people"         '={"id":1,"name":"Ada Lovelace","score":9.5,"active":true,"photo":"\\x00ff10","born":"1815-12-10"}
{"id":2,"name":"Émile \"Zola\", père","score":-0.25,"active":false,"photo":"\\x","born":null}
{"id":3,"name":"","score":null,"active":null,"photo":null,"born":"2001-02-03"}
{"id":-4,"name":"line\nbreak\ttab","score":"NaN","active":true,"photo":"\\x41","born":"1999-12-31"}'      "the rows hash to"
t 3 "--json"                      "mk --bad-count people"        '={"id":1,"name":"Ada Lovelace","score":9.5,"active":true,"photo":"\\x00ff10","born":"1815-12-10"}
{"id":2,"name":"Émile \"Zola\", père","score":-0.25,"active":false,"photo":"\\x","born":null}
{"id":3,"name":"","score":null,"active":null,"photo":null,"born":"2001-02-03"}
{"id":-4,"name":"line\nbreak\ttab","score":"NaN","active":true,"photo":"\\x41","born":"1999-12-31"}'      "says 5 rows, the segment has 4"
t 3 "--schema"                    "mk --bad-count people"        bad-count.schema  "says 5 rows"
t 3 "--json"                      "true"                         empty             "stdin: byte 0: truncated stream: no data, not even a header"
t 3 "--json"                      "echo id,name"                 empty             "not a row stream: expected a header map, found an integer (byte 0x69)"
t 3 "--json"                      "mk two | head -c 60"          empty             "truncated stream"
t 2 "--bogus"                     "true"                         empty             "usage: rowcat"
t 2 "--head x"                    "true"                         empty             "--head: \"x\" is not a number of rows"
t 2 "--bytea octal"               "true"                         empty             "neither hex nor base64"
t 5 "/nonexistent/x.rs"           "true"                         empty             "/nonexistent/x.rs: No such file or directory"
t 0 "--help"                      "true"                         -
t 0 "--version"                   "true"                         version

# Every JSON line is valid JSON, whatever bytes the strings hold.
for f in people two odd; do
	if mk $f | "$BIN/rowcat" -q --json | $PY -c '
import json, sys
for line in sys.stdin:
    json.loads(line)' 2>"$T/err"; then
		ok "rowcat --json of $f parses as JSON"
	else
		notok "rowcat --json of $f parses as JSON"
		indent "$T/err"
	fi
done

# A bad header is reported once, with one prefix (the reader's).
says 3 'rowcat: stdin: byte 0: column "id" appears twice in "dup"' \
    'mk dupcols | "$BIN/rowcat" -q'
says 3 'rowcat: stdin: byte 0: key column "nope" is not a column of "badkey"' \
    'mk badkey | "$BIN/rowcat" -q'
says 3 "rowcat: $T/in: byte 0: column \"id\" appears twice in \"dup\"" \
    'mk dupcols >"$T/in"; "$BIN/rowcat" -q "$T/in"'

# The summary line, and no summary with -q.
mk people | "$BIN/rowcat" --json >/dev/null 2>"$T/err"
if grep -q '^rowcat: 4 rows, [0-9.]* s$' "$T/err"; then
	ok "rowcat prints a summary line"
else
	notok "rowcat prints a summary line"
	indent "$T/err"
fi
mk people | "$BIN/rowcat" -q --json >/dev/null 2>"$T/err"
if [ ! -s "$T/err" ]; then ok "rowcat -q is quiet"; else notok "rowcat -q is quiet"; fi

# --help mirrors the man page synopsis.
if "$BIN/rowcat" --help | grep -q '^usage: rowcat \[-jcts\]' &&
    grep -q 'rowcat' "$ROOT/docs/rowcat.1"; then
	ok "rowcat --help and its man page"
else
	notok "rowcat --help and its man page"
fi
