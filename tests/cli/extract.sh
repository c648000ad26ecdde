#!/bin/sh
# extract --csv: CSV files into row streams (PostgreSQL sources are in
# tests/pg/extract.sh). Fixtures in tests/fixtures/csv; a stream is shown
# with rowcat --json and compared with tests/cli/expected/extract/.
. "$(dirname "$0")/../lib/common.sh"
PROG=extract
F=$ROOT/tests/fixtures/csv

# x STATUS ARGS GOLDEN [STDERR]
#
# Runs "extract ARGS" in the fixture directory. With status 0 the stream
# must be whole and, shown by rowcat --json, equal GOLDEN; with any other
# status it must not look complete (rowcat fails on it: no trailer), and
# stderr must contain STDERR. UPDATE=1 rewrites the golden files.
x() {
	want=$1 args=$2 expect=$3 pat=${4:-}
	name="extract $args"
	(cd "$F" && eval "\"\$BIN/extract\" $args") >"$T/out" 2>"$T/err"
	got=$?
	status_is "$name" "$want" "$got" &&
	    shown "$name" "$want" "$T/out" "$T/json" --json &&
	    output_is "$name" extract "$expect" "$T/json" &&
	    stderr_has "$name" "$pat" &&
	    ok "$name"
}

# status args                                              golden             stderr
x 0 "--csv people.csv --header"                            people.jsonl
x 0 "--csv - --header < people.csv"                        people.jsonl
x 0 "--csv people.csv --header --types id:int8,score:float8" people-typed.jsonl
x 0 "--csv people.csv --header -c score,id"                people-cols.jsonl
x 0 "--csv people.csv --header --null ''"                  people-null-empty.jsonl
x 0 "--csv bom-crlf.csv --header"                          bom-crlf.jsonl
x 0 "--csv multiline.csv --header"                         multiline.jsonl
x 0 "--csv nonl.csv --header"                              nonl.jsonl
x 0 "--csv tabs.tsv --header --delimiter '\\t' --null NULL" tabs.jsonl
x 0 "--csv tabs.tsv --header --delimiter tab"              tabs-nonull.jsonl
x 0 "--csv noheader.csv -c id,name --types id:int4"        noheader.jsonl
x 0 "--csv types.csv --header --types id:int8,flag:bool,blob:bytea,small:int2" types.jsonl
x 0 "--csv empty.csv --columns a"                          empty
x 0 "--csv semi.csv --header --delimiter ';'"              semi.jsonl
x 3 "--csv unterminated.csv --header"                      -                  "unterminated.csv: line 3: a quoted field is not closed before the end of the input"
x 3 "--csv fieldcount.csv --header"                        -                  "fieldcount.csv: line 3: 3 fields, expected 2"
x 3 "--csv noheader.csv -c id,name,x"                      -                  "noheader.csv: line 1: 2 fields, expected 3"
x 3 "--csv strayquote.csv --header"                        -                  "strayquote.csv: line 3: field 2: malformed quoting"
x 3 "--csv badtype.csv --header --types score:float8"      -                  "badtype.csv: line 3: column \"score\" (float8): \"x\" is not a valid float8"
x 3 "--csv overflow.csv --header --types small:int2"       -                  "line 2: column \"small\" (int2): \"32768\" is not a valid int2"
x 3 "--csv types.csv --header --types id:bool"             -                  "line 3: column \"id\" (bool): \"2\" is not"
x 3 "--csv multiline.csv --header --types id:int8,note:int8" -                "line 2: column \"note\" (int8)"
x 3 "--csv latin1.csv --header"                            -                  "latin1.csv: line 2: column \"name\" (text)"
x 3 "--csv dupheader.csv --header"                         -                  "column \"a\" appears twice"
x 3 "--csv empty.csv --header"                             -                  "empty.csv: no header line"
x 2 "--csv people.csv --header --types nope:int8"          -                  "--types: no column \"nope\""
x 2 "--csv people.csv --header --types id"                 -                  "--types: \"id\" is not COLUMN:TYPE"
x 2 "--csv people.csv --header -c id,nope"                 -                  "--columns: no column \"nope\" in the header line"
x 2 "--csv people.csv"                                     -                  "--csv needs --header or --columns"
x 2 "--csv people.csv --header -t x"                       -                  "give one of -t, -Q and --csv"
x 2 ""                                                     -                  "give one of -t, -Q and --csv"
x 2 "--csv people.csv --header -w 'id > 1'"                -                  "are not for --csv"
x 2 "-t x --header"                                        -                  "are for --csv"
x 2 "-t x --shard 1/2"                                     -                  "--shard and --key go together"
x 2 "-t x --shard 2/2 --key id"                            -                  "--shard: \"2/2\" is not I/N with 0 <= I < N"
x 2 "-t x --shard 1 --key id"                              -                  "--shard: \"1\" is not I/N"
x 2 "-t x -t y --name z"                                   -                  "--name names one table"
x 2 "--csv people.csv --header --delimiter ab"             -                  "--delimiter: \"ab\" is not one character"
x 2 "--csv people.csv --header --bogus"                    -                  "usage: extract"
x 2 "--csv people.csv --header stray"                      -                  "unexpected argument \"stray\""
x 5 "--csv nonexistent.csv --header"                       -                  "nonexistent.csv: No such file or directory"
x 0 "--csv people.csv --header --key id"                   people.jsonl
x 2 "--csv people.csv --header --key id,nope"              -                  "--key: no column \"nope\" in people.csv"
x 2 "--csv people.csv --header --key ,"                    -                  "an empty name in a list"
x 2 "--csv people.csv --header -c name --key id"           -                  "--key: no column \"id\""
x 2 "--csv people.csv --header --since id=3"               -                  "-d, -w, --since and --shard are not for --csv"
x 2 "-t x --since id"                                      -                  "--since: \"id\" is not COL=VALUE"
x 2 "-t x --since =3"                                      -                  "--since: \"=3\" is not COL=VALUE"
x 2 "-t x --shard 0/2 --key id,k"                          -                  "--shard hashes one --key column"
x 2 "--sqlite app.db -t x --key id"                         -                  "--key is not for --sqlite"

# --key: the header's key, one column or several (upsert and verify --key
# find it there); without it a CSV stream has none.
for k in id id,name; do
	"$BIN/extract" --quiet --csv "$F/people.csv" --header --key "$k" |
	    "$BIN/rowcat" -q --schema >"$T/schema"
	if grep -qx "  key: $(echo "$k" | tr , ' ')" "$T/schema"; then
		ok "extract --csv --key $k: the header names the key"
	else
		notok "extract --csv --key $k: the header names the key"
		indent "$T/schema"
	fi
done
"$BIN/extract" --quiet --csv "$F/people.csv" --header | "$BIN/rowcat" -q --schema >"$T/schema"
if grep -q "key:" "$T/schema"; then notok "extract --csv: no key without --key"; else ok "extract --csv: no key without --key"; fi

# The table name: --name, else the file's name without its extension.
"$BIN/extract" --quiet --csv "$F/people.csv" --header | "$BIN/rowcat" -q --schema >"$T/schema"
"$BIN/extract" --quiet --csv - --header --name kids <"$F/people.csv" | "$BIN/rowcat" -q --schema >"$T/schema2"
if head -n 1 "$T/schema" | grep -q '^people (segment 1' &&
    head -n 1 "$T/schema2" | grep -q '^kids (segment 1' &&
    grep -q "source: $F/people.csv" "$T/schema"; then
	ok "extract --csv names the table after the file, or --name"
else
	notok "extract --csv names the table after the file, or --name"
	indent "$T/schema" "$T/schema2"
fi

# A large file: records and line numbers across read buffers, with a BOM.
$PY - "$T/big.csv" <<'EOF'
import sys
with open(sys.argv[1], "w", newline="") as f:
    f.write("\ufeffid,text\r\n")
    for i in range(1, 60001):
        if i % 1000 == 0:
            f.write('%d,"multi\r\nline ""%d"""\r\n' % (i, i))
        else:
            f.write("%d,row number %d padded %s\r\n" % (i, i, "x" * (i % 50)))
EOF
"$BIN/extract" --quiet --csv "$T/big.csv" --header --types id:int8 >"$T/big.rs" 2>"$T/err"
st=$?
"$BIN/rowcat" -q --json "$T/big.rs" >"$T/big.json"
if [ "$st" -eq 0 ] && [ "$(wc -l <"$T/big.json")" -eq 60000 ] &&
    grep -qxF '{"id":59000,"text":"multi\r\nline \"59000\""}' "$T/big.json" &&
    grep -qxF '{"id":60000,"text":"multi\r\nline \"60000\""}' "$T/big.json" &&
    grep -qxF '{"id":1,"text":"row number 1 padded x"}' "$T/big.json"; then
	ok "extract --csv reads a 60,000-row file across buffers"
else
	notok "extract --csv reads a 60,000-row file across buffers"
	indent "$T/err"
fi
# Line 61,001 of the file: 60,000 records, 60 of them on two lines.
printf '1,2,3\r\n' >>"$T/big.csv"
"$BIN/extract" --quiet --csv "$T/big.csv" --header >"$T/big.rs" 2>"$T/err"
st=$?
n="extract --csv counts lines across buffers and embedded newlines"
status_is "$n" 3 "$st" &&
    stderr_has "$n" "big.csv: line 60062: 3 fields, expected 2" && ok "$n"

# -o FILE appears whole or not at all.
rm -f "$T/o.rs"
"$BIN/extract" --quiet --csv "$F/fieldcount.csv" --header -o "$T/o.rs" 2>/dev/null
if [ ! -e "$T/o.rs" ] && [ -z "$(ls "$T" | grep 'o.rs.tmp')" ]; then
	"$BIN/extract" --quiet --csv "$F/people.csv" --header -o "$T/o.rs"
	if "$BIN/rowcat" -q --json "$T/o.rs" | diff -q - "$ROOT/tests/cli/expected/extract/people.jsonl" >/dev/null; then
		ok "extract -o FILE: written whole, or not at all"
	else
		notok "extract -o FILE: the file is not the stream"
	fi
else
	notok "extract -o FILE: a failed extract left a file"
fi

# The summary line, and no summary with --quiet.
"$BIN/extract" --csv "$F/people.csv" --header >/dev/null 2>"$T/err"
if grep -q '^extract: 4 rows, 1 segment, [0-9.]* s$' "$T/err"; then
	ok "extract prints a summary line"
else
	notok "extract prints a summary line"
	indent "$T/err"
fi
"$BIN/extract" --quiet --csv "$F/people.csv" --header >/dev/null 2>"$T/err"
if [ ! -s "$T/err" ]; then ok "extract --quiet is quiet"; else notok "extract --quiet is quiet"; fi
"$BIN/extract" --progress --csv "$F/people.csv" --header >/dev/null 2>"$T/err"
if [ $? -eq 0 ] && grep -q 'extract: 4 rows' "$T/err"; then
	ok "extract --progress"
else
	notok "extract --progress"
	indent "$T/err"
fi

# Messages quote the CSV's bytes escaped: printable UTF-8 as it is, other
# bytes as \xNN, NUL as \0 (not cut there), long values cut with "...".
says 3 'extract: latin1.csv: line 2: column "name" (text): "caf\xe9" is not a valid text (not UTF-8, or a NUL byte; iconv can convert the file)' \
    'cd "$F" && "$BIN/extract" --quiet --csv latin1.csv --header >/dev/null'
printf 'id,name\n1,"a\0b\001\x7f"\n' >"$T/nul.csv"
says 3 "extract: $T/nul.csv: line 2: column \"name\" (text): \"a\\0b\\x01\\x7f\" is not a valid text (not UTF-8, or a NUL byte; iconv can convert the file)" \
    '"$BIN/extract" --quiet --csv "$T/nul.csv" --header >/dev/null'
printf 'id,"n\0x"\n1,a\n' >"$T/nulname.csv"
says 3 "extract: $T/nulname.csv: line 1: header field 2, \"n\\0x\", holds a NUL byte, which a column name cannot" \
    '"$BIN/extract" --quiet --csv "$T/nulname.csv" --header >/dev/null'
printf 'id,"b\377\303\251"\n1,a\n' >"$T/badname.csv"
says 3 "extract: $T/badname.csv: line 1: header field 2, \"b\\xff$(printf '\303\251')\", is not UTF-8, which a column name cannot" \
    '"$BIN/extract" --quiet --csv "$T/badname.csv" --header >/dev/null'
printf 'id\n%0100d\n' 0 | sed 's/^0/x/' >"$T/long.csv"
says 3 "extract: $T/long.csv: line 2: column \"id\" (int8): \"x$(printf '%079d' 0)...\" is not a valid int8" \
    '"$BIN/extract" --quiet --csv "$T/long.csv" --header --types id:int8 >/dev/null'
printf 'id,id\n1,2\n' >"$T/dup.csv"
says 3 "extract: $T/dup.csv: column \"id\" appears twice in \"dup\"" \
    '"$BIN/extract" --quiet --csv "$T/dup.csv" --header >/dev/null'

# --help mirrors the man page synopsis; --version.
if "$BIN/extract" --help | grep -q '^usage: extract \[-d CONNINFO\] -t TABLE' &&
    grep -q '^\.B extract' "$ROOT/docs/extract.1" &&
    "$BIN/extract" --version | grep -q '^extract '; then
	ok "extract --help, --version and its man page"
else
	notok "extract --help, --version and its man page"
fi
