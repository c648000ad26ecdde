#!/usr/bin/python3
"""verify.py: the specs the verify suites compare, for mkstream.py.

    verify.py VARIANT | mkstream.py > out.rs

A base table of students and variants of it, each one difference away:
a row missing, one extra, one changed in one column, one loaded twice,
the rows in another order, split in two shards, and rejects files.
"""
import json
import sys

COLS = [["id", "int8"], ["name", "text"], ["score", "numeric"],
        ["born", "timestamptz"], ["note", "text"]]
ROWS = [
    [1, "Ada Lovelace", "9.50", "1815-12-10 00:00:00+00", ""],
    [2, "Émile Zola", "7.25", "1840-04-02 00:00:00+00", None],
    [3, "Grace Hopper", "10.00", "1906-12-09 00:00:00+00", "navy"],
    [4, "Alan Turing", "8.75", "1912-06-23 00:00:00+00", ""],
    [5, "Kurt Gödel", "6.00", "1906-04-28 00:00:00+00", None],
]


def seg(rows, cols=COLS, table="students"):
    return {"table": table, "columns": cols, "rows": rows}


def changed(i, col, val):
    rows = [list(r) for r in ROWS]
    rows[i][col] = val
    return seg(rows)


def rejects(rows, reasons):
    return seg([r + [reasons[k % len(reasons)]] for k, r in enumerate(rows)],
               COLS + [["_error", "text"]])


# The students after remap gave them uuid keys (old_id kept): what a
# remap rejects file (ids as remap read them, int8) holds is not in it.
UCOLS = [["id", "uuid"], ["old_id", "int8"]] + COLS[1:]
UROWS = [["00000000-0000-4000-8000-00000000000%d" % r[0], r[0]] + r[1:]
         for r in ROWS]
# A second table, keyed by code, for per-table keys.
CCOLS = [["code", "text"], ["n", "int8"]]
CROWS = [["c1", 1], ["c2", 2], ["c3", 3]]

def rejects_u(rows, reasons):
    return seg([r + [reasons[k % len(reasons)]] for k, r in enumerate(rows)],
               UCOLS + [["_error", "text"]])


V = {
    "base": seg(ROWS),
    "reversed": seg(ROWS[::-1]),
    "missing": seg(ROWS[:2] + ROWS[3:]),          # id 3 gone
    "extra": seg(ROWS + [[6, "Extra", "1", None, None]]),
    "twice": seg(ROWS + [ROWS[1]]),                # id 2 loaded twice
    "name": changed(0, 1, "Ada King"),             # id 1, name
    "score": changed(1, 2, "7.26"),                # id 2, score
    "born": changed(2, 3, "1906-12-09 00:00:01+00"),  # id 3, born
    "note": changed(3, 4, None),                   # id 4, '' -> NULL
    "empty": seg([]),
    "shards": [seg(ROWS[:2]), seg(ROWS[2:])],
    "two": [seg(ROWS), seg([[1, "x"]], [["id", "int8"], ["n", "text"]],
                           "other")],
    "moved": seg([[r[4], r[3], r[2], r[1], r[0]] for r in ROWS],
                 COLS[::-1]),
    "loaded": seg(ROWS[:1] + ROWS[3:]),            # 2 and 3 rejected
    "rejects": rejects(ROWS[1:3], ["null value in column", "too long"]),
    "rejects-keyed": rejects(ROWS[1:3], [
        "orphan: school_id=12", "orphan: school_id=13"]),
    "rejects1": rejects(ROWS[1:2], ["bad"]),
    "rejects2": rejects(ROWS[2:3], ["bad"]),
    "uu": seg([r for r in UROWS if r[1] not in (2, 3)], UCOLS),
    "uu-loaded": seg([r for r in UROWS if r[1] not in (2, 3, 4)], UCOLS),
    "uu-loadrej": rejects_u([UROWS[3]], ["Key (email)=(x) already exists"]),
    "multi": [seg(ROWS), seg(CROWS, CCOLS, "courses")],
    "multi-changed": [changed(3, 4, None),
                      seg([CROWS[0], ["c2", 22], CROWS[2]], CCOLS, "courses")],
    "rejects-other": [seg([[9, "z", "why"]], [["id", "int8"], ["x", "text"],
                                       ["_error", "text"]], "other")],
}

if __name__ == "__main__":
    json.dump(V[sys.argv[1]], sys.stdout, ensure_ascii=False)
