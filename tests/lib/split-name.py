#!/usr/bin/python3
"""split-name.py: checks a row stream's trailers with python3-msgpack and
python3-xxhash, code independent of sluice's C library.

    split-name.py < stream

For every segment: the trailer's row count equals the rows, and its hash
the sum (mod 2^64) of XXH3-64 of each row's canonical MessagePack bytes
(for the str, int and nil values split-name writes, msgpack.packb is
canonical). Prints "rows=N" per segment; exits 1 on a mismatch or a
stream that does not end with a trailer.
"""
import sys

import msgpack
import xxhash


def main():
    # invalid UTF-8 (a rejects file holds some) round-trips as surrogates
    unp = msgpack.Unpacker(sys.stdin.buffer, raw=False, strict_map_key=False,
                           unicode_errors="surrogateescape")
    state = None
    ended = False
    for obj in unp:
        if isinstance(obj, dict) and "end" in obj and state is None:
            ended = True
            continue
        if isinstance(obj, dict) and "rowstream" in obj:
            ended = False
            if state is not None:
                print("header inside a segment")
                return 1
            state = [0, 0]
        elif isinstance(obj, dict):
            if state is None:
                print("trailer outside a segment")
                return 1
            if obj.get("rows") != state[0] or obj.get("hash") != state[1]:
                print("trailer says rows=%s hash=%s, the segment has "
                      "rows=%d hash=%d" % (obj.get("rows"), obj.get("hash"),
                                           state[0], state[1]))
                return 1
            print("rows=%d" % state[0])
            state = None
        else:
            state[0] += 1
            b = msgpack.packb(obj, use_bin_type=True,
                             unicode_errors="surrogateescape")
            h = xxhash.xxh3_64_intdigest(b)
            state[1] = (state[1] + h) % 2**64
    if state is not None:
        print("no trailer at the end")
        return 1
    if not ended:
        print("no end mark at the end")
        return 1
    return 0


sys.exit(main())
