#!/usr/bin/python3
"""names_ref.py: compares the expected parts in tests/unit/names.c with
python3-nameparser, an independent reference for what people expect.

    names_ref.py tests/unit/names.c

Reads the N("in", "title", "first", "middle", "last", "suffix", why)
entries of the table names[], runs nameparser.HumanName on each input and
prints one line per disagreement that has no why (a reason we differ on
purpose). Exits 1 if there is any, 0 otherwise; says how many names it
compared and how many it differs from on purpose.
"""
import re
import sys

from nameparser import HumanName

LIT = re.compile(r'"((?:[^"\\]|\\.)*)"|(NULL)')
ESC = re.compile(r'\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)')
SIMPLE = {"t": "\t", "n": "\n", "r": "\r", '"': '"', "\\": "\\"}


def unescape(s):
    def one(m):
        e = m.group(1)
        if e[0] in "ux":
            return chr(int(e[1:], 16))
        return SIMPLE[e]
    # C escapes stand for UTF-8 bytes; the literal's other bytes already are
    return ESC.sub(one, s)


def entries(text):
    start = text.index("names[] = {")
    end = text.index("};", start)
    for m in re.finditer(r"\bN\((.*?)\),\s*\n", text[start:end], re.S):
        vals = []
        for lit in LIT.finditer(m.group(1)):
            vals.append(None if lit.group(2) else unescape(lit.group(1)))
        # adjacent literals ("a" "b") are one string in C
        yield vals


def main():
    text = open(sys.argv[1], encoding="utf-8").read()
    n = bad = deliberate = 0
    for vals in entries(text):
        if len(vals) != 7:
            print("cannot read entry: %r" % (vals,))
            bad += 1
            continue
        name, want, why = vals[0], vals[1:6], vals[6]
        h = HumanName(name)
        got = [h.title, h.first, h.middle, h.last, h.suffix]
        n += 1
        if got == want:
            continue
        if why:
            deliberate += 1
            continue
        bad += 1
        print("%r: we say %r, nameparser %r" % (name, want, got))
    print("%d names, %d differ from nameparser on purpose, %d without a reason"
          % (n, deliberate, bad))
    return 1 if bad or n == 0 else 0


sys.exit(main())
