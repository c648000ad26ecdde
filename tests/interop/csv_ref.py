"""Reads a CSV file with Python's csv module and compares its records
with extract's, as rowcat --json shows them (on standard input).

    csv_ref.py FILE ENCODING SKIP DIALECT

DIALECT is a JSON object of csv.reader's keyword arguments (delimiter,
quotechar, escapechar, doublequote, skipinitialspace). The first record
after SKIP lines is the header. extract runs with --null NULL (no field
of these files is NULL), so every value is a string on both sides.
Exits 0 when every record agrees, else 1 with the first difference.
"""
import csv
import json
import sys

path, encoding, skip, dialect = sys.argv[1], sys.argv[2], int(sys.argv[3]), \
    json.loads(sys.argv[4])
with open(path, encoding=encoding, newline="") as f:
    for _ in range(skip):
        f.readline()
    records = list(csv.reader(f, **dialect))
names = records[0]
want = [dict(zip(names, r)) for r in records[1:]]
got = [json.loads(line) for line in sys.stdin]
if len(got) != len(want):
    print("extract has %d rows, Python's csv %d" % (len(got), len(want)))
    sys.exit(1)
for i, (g, w) in enumerate(zip(got, want)):
    if g != w:
        print("row %d: extract %r, Python's csv %r" % (i + 1, g, w))
        sys.exit(1)
print("%d rows agree" % len(got))
