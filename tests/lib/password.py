#!/usr/bin/python3
"""password.py: the references for tests/cli/password.sh, independent of
sluice's C library: python3-msgpack reads the streams, python3-bcrypt and
python3-passlib (Django's pbkdf2_sha256 format) check the hashes.

    password.py gen N [EVERY]      a mkstream.py spec of N users; with
                                   EVERY, every EVERY-th row already has
                                   a hash (the others are NULL)
    password.py check IN OUT CRED COL [--missing]
                                   every row of OUT is the row of IN in the
                                   same place with COL filled; each filled
                                   hash verifies against its credentials
                                   line (looked up by key); with --missing
                                   the rows that had a hash keep it exactly
                                   and have no credentials line
    password.py plaintexts CRED    the passwords, one a line

Prints "checked N hashes" and exits 0, or prints what is wrong and exits 1.
"""
import json
import re
import sys

import bcrypt
import msgpack
from passlib.hash import django_pbkdf2_sha256

URLSAFE = re.compile(r"^[A-Za-z0-9_-]{16,}$")
DJANGO = re.compile(r"^pbkdf2_sha256\$([0-9]+)\$([A-Za-z0-9]{22})\$"
                    r"([A-Za-z0-9+/]{43}=)$")
BCRYPT = re.compile(r"^\$2b\$[0-9]{2}\$[./A-Za-z0-9]{53}$")


def segments(path):
    """[(header, rows)] of a row stream file."""
    out = []
    with open(path, "rb") as f:
        for obj in msgpack.Unpacker(f, raw=False, strict_map_key=False):
            if isinstance(obj, dict) and "rowstream" in obj:
                out.append((obj, []))
            elif isinstance(obj, list):
                out[-1][1].append(obj)
    return out


def gen(n, every=0):
    rows = []
    for i in range(1, n + 1):
        h = None
        if every and i % every == 0:
            h = "$2b$10$v1hashv1hashv1hashv1haOldHashFromV1ForUser%05d" % i
        rows.append([i, "user%d@example.com" % i, h])
    print(json.dumps({
        "table": "users", "key": ["id"],
        "columns": [["id", "int8"], ["email", "text"],
                    ["password_hash", "text"]],
        "rows": rows}))
    return 0


def verify(h, pw):
    if h.startswith("$2b$"):
        return BCRYPT.match(h) and bcrypt.checkpw(pw.encode(), h.encode())
    return DJANGO.match(h) and django_pbkdf2_sha256.verify(pw, h)


def check(inp, out, cred, col, missing):
    ins, outs, creds = segments(inp), segments(out), segments(cred)
    if len(ins) != len(outs) or len(creds) != len(ins):
        print("segments: %d in, %d out, %d credentials" %
              (len(ins), len(outs), len(creds)))
        return 1
    n = 0
    for (ih, irows), (oh, orows), (ch, crows) in zip(ins, outs, creds):
        names = [c[0] for c in oh["columns"]]
        inames = [c[0] for c in ih["columns"]]
        ci = names.index(col)
        ki = names.index(ch["columns"][0][0])
        pw = {}
        for k, p in crows:
            if k in pw:
                print("key %r twice in the credentials" % (k,))
                return 1
            if not URLSAFE.match(p):
                print("password %r is not 16+ URL-safe characters" % p)
                return 1
            pw[k] = p
        if len(orows) != len(irows):
            print("%d rows in, %d out" % (len(irows), len(orows)))
            return 1
        filled = 0
        for irow, orow in zip(irows, orows):
            rest = [v for i, v in enumerate(orow) if i != ci]
            irest = [v for i, v in enumerate(irow)
                     if col not in inames or i != inames.index(col)]
            if msgpack.packb(rest) != msgpack.packb(irest):  # NaN too
                print("row %r became %r" % (irow, orow))
                return 1
            old = irow[inames.index(col)] if col in inames else None
            if missing and old is not None:
                if orow[ci] != old or orow[ki] in pw:
                    print("row %r: its hash was not kept" % (irow,))
                    return 1
                continue
            filled += 1
            if orow[ki] not in pw or not verify(orow[ci], pw[orow[ki]]):
                print("row %r: hash %r does not verify against %r" %
                      (orow[ki], orow[ci], pw.get(orow[ki])))
                return 1
            n += 1
        if filled != len(pw):
            print("%d rows filled, %d credentials" % (filled, len(pw)))
            return 1
    print("checked %d hashes" % n)
    return 0


def main(argv):
    if argv[1] == "gen":
        return gen(int(argv[2]), int(argv[3]) if len(argv) > 3 else 0)
    if argv[1] == "check":
        return check(argv[2], argv[3], argv[4], argv[5],
                     "--missing" in argv[6:])
    if argv[1] == "plaintexts":
        for _, rows in segments(argv[2]):
            for _, p in rows:
                print(p)
        return 0
    print(__doc__)
    return 2


sys.exit(main(sys.argv))
