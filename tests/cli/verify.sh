#!/bin/sh
# verify: stream against stream (the table mode is in tests/pg/verify.sh).
. "$(dirname "$0")/../lib/common.sh"
PROG=verify

# vmk VARIANT [mkstream options]: the stream of a spec of tests/lib/verify.py
vmk() {
	$PY "$ROOT/tests/lib/verify.py" "$1" >"$T/spec.json" || return 1
	shift
	mk "$@" "$T/spec.json"
}
for x in base reversed missing extra twice name score born note empty \
    shards two moved loaded rejects rejects-keyed rejects1 rejects2 rejects-other \
    uu uu-loaded uu-loadrej multi multi-changed; do
	vmk $x >"$T/$x.rs" || notok "make $x"
done
vmk base --truncate 100 >"$T/trunc.rs"
vmk base --bad-hash >"$T/badhash.rs"
vmk base --no-trailer >"$T/notrailer.rs"
vmk base --bad-count >"$T/badcount.rs"
cd "$T" || exit 1

# status args                                      input            golden
t 0 "base.rs base.rs"                              "true"           equal
t 0 "-q base.rs reversed.rs"                       "true"           order
t 0 "-k id base.rs reversed.rs"                    "true"           order-key
t 0 "-k id - base.rs"                              "cat reversed.rs" order-key
t 0 "-k id base.rs -"                              "cat reversed.rs" order-key
t 1 "base.rs missing.rs"                           "true"           missing
t 1 "-k id base.rs missing.rs"                     "true"           missing-key
t 1 "-k id base.rs -"                              "cat missing.rs" missing-key
t 1 "base.rs extra.rs"                             "true"           extra
t 1 "-k id base.rs extra.rs"                       "true"           extra-key
t 1 "-k id base.rs -"                              "cat extra.rs"   extra-key
t 1 "base.rs twice.rs"                             "true"           twice
t 1 "-k id base.rs twice.rs"                       "true"           twice-key
t 1 "-k id twice.rs base.rs"                       "true"           twice-key-rev
t 1 "base.rs name.rs"                              "true"           changed
t 1 "-k id base.rs name.rs"                        "true"           name-key
t 1 "-k id base.rs score.rs"                       "true"           score-key
t 1 "-k id base.rs born.rs"                        "true"           born-key
t 1 "-k id base.rs note.rs"                        "true"           note-key
t 1 "-k id - note.rs"                              "cat base.rs"    note-key
t 1 "-k id,name base.rs name.rs"                   "true"           name-key2
t 1 "-k id -m 0 base.rs twice.rs"                  "true"           max0
t 0 "empty.rs empty.rs"                            "true"           empty-streams
t 0 "-k id empty.rs empty.rs"                      "true"           empty-key
t 1 "-k id base.rs empty.rs"                       "true"           all-missing
t 0 "shards.rs base.rs"                            "true"           shards
t 0 "-k id base.rs shards.rs"                      "true"           shards-key
t 0 "base.rs moved.rs"                             "true"           moved
t 0 "-k id moved.rs base.rs"                       "true"           moved-key
t 1 "two.rs base.rs"                               "true"           two
t 0 "-t students base.rs base.rs"                  "true"           equal-t
t 0 "-r rejects.rs base.rs loaded.rs"              "true"           rejects
t 0 "-k id -r rejects.rs base.rs loaded.rs"        "true"           rejects-key
t 0 "-k id --rejects rejects1.rs -r rejects-other.rs --rejects rejects2.rs base.rs -" "cat loaded.rs" rejects-key2
t 0 "-r rejects-keyed.rs base.rs loaded.rs"       "true"           rejects-keyed
t 0 "-r none.rs -k id base.rs reversed.rs"        ": >none.rs"     order-key
t 1 "-r rejects1.rs base.rs loaded.rs"             "true"           rejects-short
t 1 "-k id -r rejects1.rs base.rs loaded.rs"       "true"           rejects-short-key
t 1 "-k id -r rejects.rs base.rs base.rs"          "true"           rejects-loaded
# A --key a table, repeatable, beside one for every table; a composite
# key is TABLE=a,b. A table with no key is compared by counts and hashes.
t 1 "-k students=id -k courses=code multi.rs multi-changed.rs" "true" multi-keys
t 1 "-k id -k courses=code multi.rs multi-changed.rs" "true"  multi-keys
t 1 "-k courses=code -k students=id,name multi.rs multi-changed.rs" "true" multi-keys2
t 1 "-k students=id multi.rs multi-changed.rs"     "true"           multi-one-key
t 0 "-k courses=code -k courses=n multi.rs multi.rs" "true"         multi-composite
t 2 "-k id multi.rs multi.rs"                      "true"           none  "--key: table \"courses\" has no column \"id\""
t 2 "-k id -k nosuch=id base.rs base.rs"           "true"           none  "--key nosuch=...: no table \"nosuch\" was compared"
t 2 "-k =id base.rs base.rs"                       "true"           none  "--key =id: no table named"
t 2 "-k students= base.rs base.rs"                 "true"           none  "--key students: no column named"
# Rejects of any stage: remap's hold the rows as it read them (int8 ids,
# no old_id) where the stream has uuids; they were never in the stream,
# and count as source rows rejected. load's (the stream's columns) are
# subtracted from the stream as before.
t 0 "-r rejects.rs uu.rs uu.rs"                    "true"           upstream
t 0 "-k id -r rejects.rs uu.rs uu.rs"              "true"           upstream-key
t 0 "-k old_id -r rejects.rs -r uu-loadrej.rs uu.rs uu-loaded.rs" "true" upstream-load
t 1 "-k old_id -r rejects.rs uu.rs uu-loaded.rs"   "true"           upstream-missing
t 3 "trunc.rs base.rs"                             "true"           none  "truncated stream"
t 3 "base.rs trunc.rs"                             "true"           none  "truncated stream"
t 3 "-k id base.rs -"                              "cat trunc.rs"   none  "truncated stream"
t 3 "badhash.rs base.rs"                           "true"           none  "the rows hash to"
t 3 "-k id base.rs badhash.rs"                     "true"           none  "the rows hash to"
t 3 "base.rs notrailer.rs"                         "true"           none  "before its trailer"
t 3 "base.rs badcount.rs"                          "true"           none  "says 6 rows"
t 3 "-r trunc.rs base.rs loaded.rs"                "true"           none  "truncated stream"
t 5 "base.rs nonexistent.rs"                       "true"           none  "nonexistent.rs: No such file"
t 1 "base.rs two.rs"                               "true"           two-rev
t 2 "base.rs"                                      "true"           none  "give two streams"
t 2 "- -"                                          "true"           none  "only one of A and B"
t 2 "-d x base.rs base.rs"                         "true"           none  "without a database"
t 2 "-m many base.rs base.rs"                      "true"           none  "--max-diffs: \"many\""
t 2 "-k nosuch base.rs base.rs"                    "true"           none  "no column \"nosuch\""
t 2 "--bogus"                                      "true"           none  "usage: verify"
t 0 "--progress -k id base.rs reversed.rs"         "true"           order-key
t 0 "--help"                                       "true"           -
t 0 "--version"                                    "true"           version

# --json parses, and says what the table says.
for args in "base.rs base.rs" "-k id base.rs twice.rs" "-k id base.rs note.rs" \
    "-k id -r rejects.rs base.rs loaded.rs" "two.rs base.rs" "empty.rs empty.rs"; do
	"$BIN/verify" -q --json $args >"$T/json" 2>"$T/err"
	if $PY -m json.tool "$T/json" >/dev/null 2>>"$T/err"; then
		ok "verify --json $args parses"
	else
		notok "verify --json $args parses"
		indent "$T/json" "$T/err"
	fi
done
"$BIN/verify" -q -j -k id base.rs note.rs | $PY -c '
import json, sys
r = json.load(sys.stdin)
s = r["tables"][0]
assert r["total"]["match"] is False and s["changed"] == 1, r
assert s["keys"]["changed"] == [{"key": {"id": 4}, "columns": ["note"]}], s
' 2>"$T/err" && ok "verify --json names the changed key and column" ||
    { notok "verify --json names the changed key and column"; indent "$T/err"; }
"$BIN/verify" -q -j -k id -r rejects.rs base.rs loaded.rs | $PY -c '
import json, sys
r = json.load(sys.stdin)["total"]
assert r["source_rows"] == r["target_rows"] + r["rejected"] == 5, r
assert r["match"] and r["coverage"] == 100, r
' 2>"$T/err" && ok "verify --json: source = target + rejected" ||
    { notok "verify --json: source = target + rejected"; indent "$T/err"; }

"$BIN/verify" -q -j -k students=id multi.rs multi-changed.rs | $PY -c '
import json, sys
r = json.load(sys.stdin)
s, c = r["tables"]
assert s["key"] == ["id"] and c["key"] is None and r["key"] is None, r
assert s["keys"]["changed"] == [{"key": {"id": 4}, "columns": ["note"]}], s
assert c["changed"] is None and "keys" not in c and r["total"]["changed"] == 1, r
' 2>"$T/err" && ok "verify --json: each table says its key" ||
    { notok "verify --json: each table says its key"; indent "$T/err"; }
"$BIN/verify" -q -j -r rejects.rs uu.rs uu.rs | $PY -c '
import json, sys
r = json.load(sys.stdin)["total"]
assert r["source_rows"] == 5 and r["target_rows"] == 3 and r["rejected"] == 2, r
assert r["match"], r
' 2>"$T/err" && ok "verify --json: rows rejected before the stream count as source rows" ||
    { notok "verify --json: rows rejected before the stream"; indent "$T/err"; }

# The summary line, and none with -q.
"$BIN/verify" base.rs loaded.rs >/dev/null 2>"$T/err"
if grep -q '^verify: 5 source rows, 3 target rows, 0 rejected, 1 table, [0-9.]* s: MISMATCH$' "$T/err"; then
	ok "verify prints a summary line"
else
	notok "verify prints a summary line"
	indent "$T/err"
fi
"$BIN/verify" -q base.rs base.rs >/dev/null 2>"$T/err"
if [ ! -s "$T/err" ]; then ok "verify -q is quiet"; else notok "verify -q is quiet"; indent "$T/err"; fi

# --help mirrors the man page synopsis.
if "$BIN/verify" --help | grep -q '^usage: verify \[-d CONNINFO\]' &&
    grep -q 'max\\-diffs' "$ROOT/docs/verify.1"; then
	ok "verify --help and its man page"
else
	notok "verify --help and its man page"
fi
