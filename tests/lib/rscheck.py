#!/usr/bin/python3
"""rscheck.py: checks a rowstream v1 file independently of sluice's C code.

    rscheck.py FILE

For each segment: a header map with rowstream 1, table and columns; rows
of the right arity; a trailer whose "rows" is the number of rows and whose
"hash" is the sum mod 2^64 of XXH3-64 of each row's canonical MessagePack
(python3-msgpack packs, python3-xxhash hashes); after the last trailer
the end mark {"end": N}, N the segments since the previous end mark.
Prints one line a segment, "TABLE ROWS", and exits 1 with a message on
stderr at the first problem (a missing trailer or end mark included).
"""
import sys

import msgpack
import xxhash


def canon(row):
    return msgpack.packb(row, use_bin_type=True,
                         unicode_errors="surrogateescape")


def main(path):
    data = open(path, "rb").read()
    up = msgpack.Unpacker(raw=False, unicode_errors="surrogateescape",
                          strict_map_key=False)
    up.feed(data)
    hdr = None
    n = total = segs = 0
    ended = False
    for obj in up:
        if hdr is None and isinstance(obj, dict) and "end" in obj:
            if obj["end"] != segs:
                sys.exit("rscheck: %s: end mark says %r segments, counted %d"
                         % (path, obj["end"], segs))
            segs = 0
            ended = True
            continue
        if hdr is None:
            ended = False
            segs += 1
            if not isinstance(obj, dict) or obj.get("rowstream") != 1:
                sys.exit("rscheck: %s: expected a header, got %r" % (path, obj))
            hdr = obj
            n = total = 0
            continue
        if isinstance(obj, list):
            if len(obj) != len(hdr["columns"]):
                sys.exit("rscheck: %s: row %d of %s has %d values, not %d" %
                         (path, n + 1, hdr["table"], len(obj),
                          len(hdr["columns"])))
            n += 1
            total = (total + xxhash.xxh3_64_intdigest(canon(obj))) % 2**64
            continue
        if obj.get("rows") != n or obj.get("hash") != total:
            sys.exit("rscheck: %s: trailer of %s says %r rows, hash %r; "
                     "counted %d, %d" % (path, hdr["table"], obj.get("rows"),
                                         obj.get("hash"), n, total))
        print(hdr["table"], n)
        hdr = None
    if hdr is not None:
        sys.exit("rscheck: %s: %s ends without its trailer" %
                 (path, hdr["table"]))
    if not ended:
        sys.exit("rscheck: %s: the stream ends without its end mark" % path)


if __name__ == "__main__":
    main(sys.argv[1])
