#!/usr/bin/python3
"""check_json.py SPEC.json: reads rowcat --json output on stdin and checks
that it shows exactly the values of the SPEC's rows (the ones mkstream.py
wrote with python3-msgpack)."""
import json
import math
import sys


def want(v):
    if isinstance(v, dict) and "hex" in v:
        return "\\x" + v["hex"]
    if isinstance(v, dict) and "float" in v:
        f = float(v["float"])
        if math.isnan(f):
            return "NaN"
        if math.isinf(f):
            return "Infinity" if f > 0 else "-Infinity"
        return f
    return v


spec = json.load(open(sys.argv[1]))
names = [c[0] for c in spec["columns"]]
lines = sys.stdin.read().splitlines()
bad = 0
if len(lines) != len(spec["rows"]):
    print("#   %d lines for %d rows" % (len(lines), len(spec["rows"])))
    bad += 1
for line, row in zip(lines, spec["rows"]):
    got = json.loads(line)
    exp = dict(zip(names, (want(v) for v in row)))
    if list(got) != names or got != exp:
        print("#   got  %r\n#   want %r" % (got, exp))
        bad += 1
sys.exit(1 if bad else 0)
