#!/bin/sh
# extract --csv's dialects against Python's csv module (code nobody here
# wrote): both read the same files with the same dialect, and extract's
# values, shown by rowcat --json, must be the ones Python reads
# (tests/interop/csv_ref.py). The files are written below with printf,
# and one large one by Python, across extract's 64 KiB read buffers.
. "$(dirname "$0")/../lib/common.sh"
cd "$T" || exit 1

# c NAME FILE EXTRACT-ARGS ENCODING SKIP PYTHON-DIALECT
c() {
	name=$1 file=$2 args=$3 enc=$4 skip=$5 dialect=$6
	if eval "\"\$BIN/extract\" -q --csv \"\$file\" --header --null NULL $args" \
	    >out.rs 2>err && "$BIN/rowcat" -q --json out.rs >out.json 2>>err &&
	    $PY "$ROOT/tests/interop/csv_ref.py" "$file" "$enc" "$skip" \
	    "$dialect" <out.json >why 2>&1; then
		ok "interop csv: $name: extract and Python's csv agree ($(cat why))"
	else
		notok "interop csv: $name: extract and Python's csv agree"
		indent err why
	fi
}

# RFC 4180: doubled quotes, a line break and a delimiter inside quotes, CRLF
printf 'id,note\r\n1,"say ""hi"""\r\n2,"two\r\nlines, one field"\r\n3,\r\n' >rfc.csv
c "RFC 4180" rfc.csv "" utf-8 0 '{}'
# pgloader's blank before a quote: --trim and skipinitialspace
printf 'a,b,c\ncol1, 45, "005 45 works"\nx,  "y, z", "w"\n' >trim.csv
c "--trim" trim.csv "--trim" utf-8 0 '{"skipinitialspace": true}'
# pgloader's Latin-1 sample
printf 'id,name\n6,"006 44 Fails \245"\n7,caf\351\n' >latin1.csv
c "--encoding LATIN1" latin1.csv "--encoding LATIN1" latin-1 0 '{}'
# Windows-1252 with ; as the delimiter, as a French Excel writes it
printf 'item;price\r\nTasse;"3,50 \200"\r\n' >cp1252.csv
c "--encoding WINDOWS-1252 --delimiter ';'" cp1252.csv \
    "--encoding WINDOWS-1252 --delimiter ';'" cp1252 0 '{"delimiter": ";"}'
# backslash escapes inside quotes (MySQL's INTO OUTFILE, COPY ESCAPE)
printf 'id,note\n1,"say \\"hi\\""\n2,"back \\\\ slash"\n' >esc.csv
c "--escape '\\'" esc.csv "--escape '\\'" utf-8 0 \
    '{"escapechar": "\\", "doublequote": false}'
# another quote character
printf "id,note\n1,'it''s, one'\n2,\"x\"\n" >quote.csv
c "--quote \"'\"" quote.csv "--quote \"'\"" utf-8 0 '{"quotechar": "'"'"'"}'
# lines before the header
printf 'exported by X\n2024-01-02\nid,name\n1,Ann\n' >skip.csv
c "--skip 2" skip.csv "--skip 2" utf-8 2 '{}'
# UTF-16 with its BOM
printf '\377\376i\000d\000,\000n\000\n\000\061\000,\000\351\000\n\000' >utf16.csv
c "--encoding UTF-16" utf16.csv "--encoding UTF-16" utf-16 0 '{}'

# A large Latin-1 file with escapes and blanks: random fields, written by
# Python, read by both with the same dialect.
$PY - big.csv <<'PYEOF'
import random, sys
random.seed(16)
alphabet = "ab ,\"\\\n\xa5\xe9;x"
with open(sys.argv[1], "w", encoding="latin-1", newline="") as f:
    f.write("id,a,b\n")
    for i in range(1, 20001):
        vals = []
        for _ in range(2):
            v = "".join(random.choice(alphabet) for _ in range(random.randrange(12)))
            vals.append('"%s"' % v.replace("\\", "\\\\").replace('"', '\\"'))
        f.write("%d, %s,%s\n" % (i, vals[0], vals[1]))
PYEOF
c "20,000 random Latin-1 records, --escape --trim" big.csv \
    "--encoding LATIN1 --escape '\\' --trim" latin-1 0 \
    '{"escapechar": "\\", "doublequote": false, "skipinitialspace": true}'
