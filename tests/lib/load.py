#!/usr/bin/python3
"""load.py: JSON specs for tests/pg/load.sh and rejects.sh, for mkstream.py.

    load.py rejects ROWS [TABLE]
                             ROWS rows for the table r of rejects.sh, with
                             the 7 bad rows of BAD scattered among them
    load.py people ROWS [TABLE] [FIRST]
                             ROWS rows (id, name, email) from id FIRST
"""
import json
import sys

# row number (1-based) -> (what is wrong, how to spoil the row)
BAD = {
    1: "type", 1234: "notnull", 20000: "check", 35000: "unique",
    50001: "fk", 64000: "nul", 100000: "pkey",
}


def rejects(n, table="r"):
    rows = []
    for i in range(1, n + 1):
        row = [i, 1 + i % 10, "name %d" % i, i % 90, "u%d@x.org" % i,
               "2001-02-03"]
        bad = BAD.get(i)
        if bad == "type":
            row[5] = "not a date"
        elif bad == "notnull":
            row[2] = None
        elif bad == "check":
            row[3] = -1
        elif bad == "unique":
            row[4] = "u100@x.org"
        elif bad == "fk":
            row[1] = 99
        elif bad == "nul":
            row[2] = {"strhex": "610062"}
        elif bad == "pkey":
            row[0] = 5
        rows.append(row)
    return {"table": table, "columns": [
        ["id", "int8"], ["school_id", "int4"], ["name", "text"],
        ["age", "int4"], ["email", "text"], ["born", "date"]],
        "rows": rows}


def people(n, table="people", first=1):
    return {"table": table, "key": ["id"],
            "columns": [["id", "int8"], ["name", "text"], ["email", "text"]],
            "rows": [[i, "name %d" % i, "p%d@x.org" % i]
                     for i in range(first, first + n)]}


def main(argv):
    if argv[1] == "rejects":
        spec = rejects(int(argv[2]), *argv[3:4])
    else:
        spec = people(int(argv[2]), *argv[3:4], *[int(a) for a in argv[4:5]])
    json.dump(spec, sys.stdout)


if __name__ == "__main__":
    main(sys.argv)
