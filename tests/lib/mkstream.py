#!/usr/bin/python3
"""mkstream.py: writes a rowstream v1 file from a JSON description.

An independent encoder for the tests: python3-msgpack packs, python3-xxhash
hashes, nothing from sluice's C library is used.

    mkstream.py [--truncate N] [--bad-count] [--bad-hash] [--no-trailer]
                [--no-end] [--end N] [--wide-ints] [--float32] [SPEC.json]
                > out.rs

The stream ends with the end mark {"end": N}, N the number of segments,
unless --no-end (a writer that died after its last trailer) or
--no-trailer (one that died inside its last segment); --end N writes N
instead of the true count.

SPEC is one segment or a list of segments:
    {"table": "t", "columns": [["id", "int8"], ["name", "text"]],
     "key": ["id"], "source": "...", "rows": [[1, "a"], [2, null]]}
A value {"hex": "00ff"} is bytea; {"float": "nan"} is a float given as text
("nan", "inf", "-inf", or any number); {"strhex": "ff41"} is a MessagePack
str holding those bytes, valid UTF-8 or not. A SPEC that is not a file
names tests/fixtures/SPEC.json.
"""
import os
import json
import struct
import sys

import msgpack
import xxhash


class RawStr(bytes):
    """A str whose bytes need not be UTF-8."""


def pack(v):
    if isinstance(v, RawStr):
        n = len(v)
        head = (bytes([0xa0 | n]) if n < 32 else b"\xd9" + bytes([n])
                if n < 256 else b"\xda" + struct.pack(">H", n))
        return head + bytes(v)
    return msgpack.packb(v, use_bin_type=True)


def packrow(vals):
    n = len(vals)
    head = (bytes([0x90 | n]) if n < 16 else b"\xdc" + struct.pack(">H", n)
            if n < 65536 else b"\xdd" + struct.pack(">I", n))
    return head + b"".join(pack(v) for v in vals)


def value(v):
    if isinstance(v, dict) and "strhex" in v:
        return RawStr(bytes.fromhex(v["strhex"]))
    if isinstance(v, dict) and "hex" in v:
        return bytes.fromhex(v["hex"])
    if isinstance(v, dict) and "float" in v:
        return float(v["float"])
    return v


def wide(v):
    """A scalar in a deliberately non-canonical (but valid) encoding."""
    if isinstance(v, bool) or v is None:
        return msgpack.packb(v)
    if isinstance(v, int):
        return b"\xd3" + struct.pack(">q", v) if v < 2**63 else msgpack.packb(v)
    if isinstance(v, float):
        return msgpack.packb(v)
    if isinstance(v, str):
        b = v.encode()
        return b"\xdb" + struct.pack(">I", len(b)) + b
    if isinstance(v, bytes):
        return b"\xc6" + struct.pack(">I", len(v)) + v
    raise ValueError(v)


def segment(seg, opts):
    out = bytearray()
    hdr = {"rowstream": 1, "table": seg["table"],
           "columns": [list(c) for c in seg["columns"]]}
    for k in ("key", "source"):
        if k in seg:
            hdr[k] = seg[k]
    out += msgpack.packb(hdr, use_bin_type=True)
    total = 0
    n = 0
    for row in seg.get("rows", []):
        vals = [value(v) for v in row]
        canon = packrow(vals)
        if opts.get("float32"):
            # floats as float32, whose value the canonical form widens
            vals = [struct.unpack(">f", struct.pack(">f", v))[0]
                    if isinstance(v, float) else v for v in vals]
            canon = msgpack.packb(vals, use_bin_type=True)
        if opts.get("wide_ints") or opts.get("float32"):
            data = b"\xdd" + struct.pack(">I", len(vals)) + b"".join(
                b"\xca" + struct.pack(">f", v)
                if opts.get("float32") and isinstance(v, float)
                else wide(v) if opts.get("wide_ints") and
                not isinstance(v, RawStr)
                else pack(v) for v in vals)
        else:
            data = canon
        out += data
        total = (total + xxhash.xxh3_64_intdigest(canon)) % 2**64
        n += 1
    if opts.get("no_trailer"):
        return bytes(out)
    if opts.get("bad_count"):
        n += 1
    if opts.get("bad_hash"):
        total = (total + 1) % 2**64
    out += msgpack.packb({"rows": n, "hash": total})
    return bytes(out)


def main(argv):
    opts = {}
    args = argv[1:]
    trunc = None
    while args and args[0].startswith("--"):
        a = args.pop(0)
        if a == "--truncate":
            trunc = int(args.pop(0))
        elif a == "--end":
            opts["end"] = int(args.pop(0))
        else:
            opts[a[2:].replace("-", "_")] = True
    path = args[0] if args else None
    if path and not os.path.exists(path):
        path = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                            "..", "fixtures", path + ".json")
    spec = json.load(open(path) if path else sys.stdin)
    segs = spec if isinstance(spec, list) else [spec]
    data = b"".join(segment(s, opts) for s in segs)
    if not opts.get("no_end") and not opts.get("no_trailer"):
        data += msgpack.packb({"end": opts.get("end", len(segs))})
    if trunc is not None:
        data = data[:trunc]
    sys.stdout.buffer.write(data)


if __name__ == "__main__":
    main(sys.argv)
