#!/usr/bin/python3
"""decode.py: reads the stream tests/tools/rsfixture writes, with
python3-msgpack and python3-xxhash (code nobody here wrote), and checks
every value against the list below, the canonical bytes and the trailers.
Prints ok / not ok lines."""
import math
import struct
import sys

import msgpack
import xxhash

BIG = bytes(ord("a") + k % 26 for k in range(70000))
I64MIN = -2**63
ROWS = [
    [0, 0, 0.0, True, "", b""],
    [-1, 127, -0.0, False, "Siobhán Østergaard", b"\x00\x01"],
    [-33, 128, 1.5, None, None, None],
    [-2**31, 65536, sys.float_info.max, True, BIG[:31].decode(), BIG[:255]],
    [I64MIN, 2**64 - 1, 5e-324, False, BIG[:32].decode(), BIG[:256]],
    [2**63 - 1, 2**32, math.inf, True, BIG[:65536].decode(), BIG[:65536]],
    [None, 1, math.nan, True, BIG[:256].decode(), BIG[:70000]],
]
SECOND = [[7, 7, 7.0, True, "seven", b"7"]]


def same(a, b):
    if isinstance(a, float) and isinstance(b, float):
        return struct.pack(">d", a) == struct.pack(">d", b)
    return type(a) is type(b) and a == b


def check(name, cond, why=""):
    print(("ok - " if cond else "not ok - ") + "python decodes sluice: " + name)
    if not cond and why:
        print("#   " + why)
    return cond


def main():
    data = sys.stdin.buffer.read()
    u = msgpack.Unpacker(raw=False, strict_map_key=False)
    u.feed(data)
    objs = []
    ends = []
    for o in u:
        objs.append(o)
        ends.append(u.tell())
    hdr = objs[0]
    check("header", hdr == {"rowstream": 1, "table": "fixture",
                            "columns": [["i", "int8"], ["u", "int8"],
                                        ["f", "float8"], ["b", "bool"],
                                        ["s", "text"], ["x", "bytea"]],
                            "key": ["i"], "source": "rsfixture"}, repr(hdr))
    rows = objs[1:1 + len(ROWS)]
    ok = len(rows) == len(ROWS)
    for n, (got, want) in enumerate(zip(rows, ROWS)):
        if len(got) != len(want) or not all(map(same, got, want)):
            ok = check("row %d values" % (n + 1), False,
                       "%r != %r" % (got, want))[:200]
    check("every value of every type, row by row", ok)
    # canonical bytes: python-msgpack's own packing of the same values
    pos = ends[0]
    total = 0
    canon = True
    for n, row in enumerate(rows):
        mine = data[pos:ends[1 + n]]
        theirs = msgpack.packb(row, use_bin_type=True)
        canon = canon and mine == theirs
        total = (total + xxhash.xxh3_64_intdigest(theirs)) % 2**64
        pos = ends[1 + n]
    check("bytes equal python-msgpack's canonical packing", canon)
    trailer = objs[1 + len(ROWS)]
    check("trailer row count", trailer.get("rows") == len(ROWS), repr(trailer))
    check("trailer hash is the sum of XXH3-64 row hashes",
          trailer.get("hash") == total,
          "%r, computed %d" % (trailer, total))
    hdr2 = objs[2 + len(ROWS)]
    check("second segment header", hdr2.get("table") == "second" and
          hdr2["columns"][0] == ["id", "int4"] and "key" not in hdr2,
          repr(hdr2))
    rest = objs[3 + len(ROWS):]
    check("second segment rows and trailer",
          len(rest) == 3 and all(map(same, rest[0], SECOND[0])) and
          rest[1] == {"rows": 1, "hash": xxhash.xxh3_64_intdigest(
              msgpack.packb(SECOND[0]))}, repr(rest)[:200])
    check("the end mark counts the two segments",
          len(rest) == 3 and rest[2] == {"end": 2}, repr(rest[2:])[:200])


main()
