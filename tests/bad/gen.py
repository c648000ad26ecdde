#!/usr/bin/python3
"""gen.py: writes the malformed row streams of tests/bad/streams.

    tests/bad/gen.py [DIR]      (default: tests/bad/streams)

Each stream is wrong in one way, named by its file; tests/bad/expect
says what every reading program must do with it (tests/cli/bad.sh and
tests/pg/bad.sh run them). The files are committed so that readers
written elsewhere can use them; bad.sh checks that they are still what
this script makes. Independent of sluice's C library: python3-msgpack
packs, python3-xxhash hashes, and the odd bytes are written by hand.

The streams share one table, t (id int8, name text, score float8,
ok bool, pic bytea), key id, so that every program's arguments fit
(split-name -c name, remap -a id=serial, cols '*'): what fails is the
stream, not the command line.
"""
import os
import struct
import sys

import msgpack
import xxhash

COLS = [["id", "int8"], ["name", "text"], ["score", "float8"],
        ["ok", "bool"], ["pic", "bytea"]]
ROWS = [[1, "Ada Lovelace", 1.5, True, b"\x00\xff"],
        [2, "Grace Brewster Hopper", None, False, None]]
# a second segment's rows, other keys: a join that loads must not fail
# on a duplicate key before the reader sees what is wrong
ROWS2 = [[3, "Mary Somerville", -0.0, True, b""]]


def pk(v):
    return msgpack.packb(v, use_bin_type=True)


def hdr(cols=None, **kw):
    h = {"rowstream": 1, "table": "t", "columns": COLS if cols is None
         else cols, "key": ["id"]}
    h.update(kw)
    return pk({k: v for k, v in h.items() if v is not None})


def rowhash(rows):
    return sum(xxhash.xxh3_64_intdigest(pk(r)) for r in rows) % 2**64


def trailer(rows):
    return pk({"rows": len(rows), "hash": rowhash(rows)})


def end(n=1):
    return pk({"end": n})


def seg(rows=ROWS, **kw):
    return hdr(**kw) + b"".join(pk(r) for r in rows) + trailer(rows)


def row_raw(*vals):
    """A row of already packed values (any bytes), arity len(vals)."""
    return bytes([0x90 | len(vals)]) + b"".join(vals)


def bad_row(*vals):
    """A segment whose one row holds these packed values, then a trailer
    that would fit it, so that only the row is wrong."""
    r = row_raw(*vals)
    h = xxhash.xxh3_64_intdigest(r)
    return hdr() + r + pk({"rows": 1, "hash": h}) + end()


def nested(depth, inner=b"\x01"):
    return b"\x91" * depth + inner


GOOD = seg() + end()
H = hdr()
R1 = pk(ROWS[0])
R2 = pk(ROWS[1])
TR = trailer(ROWS)
OK = [pk(1), pk("Ada Lovelace"), pk(1.5), pk(True), pk(b"\x00")]


def with_value(i, v):
    """The first row with value i replaced by the packed bytes v."""
    vals = list(OK)
    vals[i] = v
    return bad_row(*vals)


STREAMS = {
    # not a row stream at all
    "empty": b"",
    "text": b"id,name\n1,Ada Lovelace\n",
    "c1": b"\xc1",
    "c1-in-row": H + b"\x95\xc1",
    "nil": b"\xc0",
    "array-first": pk(ROWS[0]) + TR + end(),
    "trailer-first": TR + end(),
    # headers
    "hdr-no-rowstream": pk({"table": "t", "columns": COLS}) + R1 + R2 +
    TR + end(),
    "hdr-no-table": hdr(table=None) + R1 + R2 + TR + end(),
    "hdr-no-columns": hdr(columns=None) + R1 + R2 + TR + end(),
    "hdr-table-int": hdr(table=7) + R1 + R2 + TR + end(),
    "hdr-columns-map": hdr(columns={"id": "int8"}) + R1 + R2 + TR + end(),
    "hdr-column-not-pair": hdr(cols=[["id"]] + COLS[1:]) + R1 + R2 + TR +
    end(),
    "hdr-column-type-int": hdr(cols=[["id", 8]] + COLS[1:]) + R1 + R2 +
    TR + end(),
    "hdr-version-2": hdr(rowstream=2) + R1 + R2 + TR + end(),
    "hdr-version-0": hdr(rowstream=0) + R1 + R2 + TR + end(),
    "hdr-version-str": hdr(rowstream="1") + R1 + R2 + TR + end(),
    "hdr-dup-column": hdr(cols=COLS[:4] + [["id", "bytea"]]) + R1 + R2 +
    TR + end(),
    "hdr-empty-column": hdr(cols=COLS[:4] + [["", "bytea"]]) + R1 + R2 +
    TR + end(),
    "hdr-key-not-column": hdr(key=["nope"]) + R1 + R2 + TR + end(),
    "hdr-key-not-array": hdr(key="id") + R1 + R2 + TR + end(),
    "hdr-source-int": hdr(source=1) + R1 + R2 + TR + end(),
    "hdr-nul-table": hdr(table="t\0x") + R1 + R2 + TR + end(),
    "hdr-nul-column": hdr(cols=[["i\0d", "int8"]] + COLS[1:]) + R1 + R2 +
    TR + end(),
    "hdr-nul-type": hdr(cols=[["id", "int8\0"]] + COLS[1:]) + R1 + R2 +
    TR + end(),
    "hdr-nul-key": hdr(key=["id\0"]) + R1 + R2 + TR + end(),
    "hdr-deep": b"\x85" + H[1:] + pk("x") + nested(17) + R1 + R2 + TR +
    end(),
    "hdr-deep-100k": b"\x85" + H[1:] + pk("x") + nested(100000) + R1 +
    R2 + TR + end(),
    "hdr-huge-str": b"\x85" + H[1:] + b"\xdb\xff\xff\xff\xf0xy",
    "hdr-huge-value": b"\x85" + H[1:] + pk("x") + b"\xdb\x03\xff\xff\xffxy",
    "hdr-huge-array": b"\x83" + pk({"rowstream": 1, "table": "t"})[1:] +
    pk("columns") + b"\xdd\xff\xff\xff\xff\x92",
    "hdr-huge-map": b"\xdf\xff\xff\xff\xff" + pk("rowstream") + pk(1),
    # rows
    "row-short": H + pk(ROWS[0][:4]) + TR + end(),
    "row-long": H + pk(ROWS[0] + [1]) + TR + end(),
    "row-empty": H + pk([]) + TR + end(),
    "row-not-array": H + pk(1) + TR + end(),
    "row-str-for-int": with_value(0, pk("1")),
    "row-float-for-int": with_value(0, pk(1.0)),
    "row-bool-for-int": with_value(0, pk(True)),
    "row-int-for-text": with_value(1, pk(5)),
    "row-bin-for-text": with_value(1, pk(b"Ada")),
    "row-int-for-float": with_value(2, pk(1)),
    "row-str-for-bool": with_value(3, pk("true")),
    "row-int-for-bool": with_value(3, pk(1)),
    "row-str-for-bytea": with_value(4, pk("00ff")),
    "row-ext": with_value(1, b"\xd4\x01\x00"),
    "row-ext32": with_value(4, b"\xc9\x00\x00\x00\x02\x05ab"),
    "row-timestamp-ext": with_value(1, b"\xd6\xff\x00\x00\x00\x00"),
    "row-array-value": with_value(1, pk(["Ada"])),
    "row-map-value": with_value(1, pk({"first": "Ada"})),
    "row-deep-value": with_value(1, nested(100000)),
    "row-huge-str": H + b"\x95\x01\xdb\x35\xa4\xe9\x00xy",
    "row-huge-str-over": H + b"\x95\x01\xdb\xff\xff\xff\xffxy",
    "row-huge-array": H + b"\xdd\xff\xff\xff\xff\x01",
    # trailers
    "trailer-count": H + R1 + R2 + pk({"rows": 3, "hash": rowhash(ROWS)}) +
    end(),
    "trailer-hash": H + R1 + R2 + pk({"rows": 2,
                                      "hash": rowhash(ROWS) ^ 1}) + end(),
    "trailer-no-hash": H + R1 + R2 + pk({"rows": 2}) + end(),
    "trailer-no-rows": H + R1 + R2 + pk({"hash": rowhash(ROWS)}) + end(),
    "trailer-rows-str": H + R1 + R2 + pk({"rows": "2",
                                          "hash": rowhash(ROWS)}) + end(),
    "trailer-rows-negative": H + R1 + R2 + pk({"rows": -2,
                                               "hash": rowhash(ROWS)}) +
    end(),
    "trailer-missing": H + R1 + R2,
    "trailer-missing-header": H + R1 + R2 + seg(ROWS2) + end(),
    "trailer-missing-end": H + R1 + R2 + end(),
    "trailer-twice": H + R1 + R2 + TR + TR + end(),
    # the end mark
    "end-missing": seg(),
    "end-missing-2": seg() + seg(ROWS2),
    "end-missing-join": GOOD + seg(ROWS2),
    "end-count": seg() + end(2),
    "end-count-0": seg() + end(0),
    "end-count-join": GOOD + seg(ROWS2) + seg(ROWS2[:0]) + end(1),
    "end-count-negative": seg() + end(-1),
    "end-count-str": seg() + pk({"end": "1"}),
    "end-in-segment": H + R1 + end() + R2 + TR + end(),
    "end-before-rows": H + end(),
    "end-garbage": GOOD + b"x",
    "end-garbage-nul": GOOD + b"\0",
    "end-trailer": GOOD + TR,
    "end-row": GOOD + R1,
    "end-c1": GOOD + b"\xc1",
    "end-twice": GOOD + end(0) + end(1),
    # cut inside each kind of object
    "cut-header-key": GOOD[:3],
    "cut-header-columns": GOOD[:len(H) - 8],
    "cut-header-last-byte": GOOD[:len(H) - 1],
    "cut-after-header": GOOD[:len(H)],
    "cut-row-start": GOOD[:len(H) + 1],
    "cut-row-str": GOOD[:len(H) + 5],
    "cut-row-float": GOOD[:len(H) + R1.index(b"\xcb") + 4],
    "cut-row-bin": GOOD[:len(H) + len(R1) - 1],
    "cut-between-rows": GOOD[:len(H) + len(R1)],
    "cut-trailer-key": GOOD[:len(H) + len(R1) + len(R2) + 3],
    "cut-trailer-hash": GOOD[:len(H) + len(R1) + len(R2) + len(TR) - 3],
    "cut-end-key": GOOD[:-3],
    "cut-end-count": GOOD[:-1],
    "cut-end-count-wide": seg() + b"\x81\xa3end\xcf\x00\x00\x00",
}


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    out = argv[1] if len(argv) > 1 else os.path.join(here, "streams")
    os.makedirs(out, exist_ok=True)
    for name, data in sorted(STREAMS.items()):
        with open(os.path.join(out, name + ".rs"), "wb") as f:
            f.write(data)
    with open(os.path.join(out, "good.rs"), "wb") as f:
        f.write(GOOD)


if __name__ == "__main__":
    main(sys.argv)
