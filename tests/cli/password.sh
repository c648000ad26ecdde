#!/bin/sh
# password: hashes of generated passwords, the plaintexts only in a new
# 0600 credentials file. The references are python3-bcrypt and
# python3-passlib (tests/lib/password.py): every hash of a 200-row stream
# must verify against its credentials line.
. "$(dirname "$0")/../lib/common.sh"
PROG=password
. "$ROOT/tests/lib/xform.sh"
PW="$PY $ROOT/tests/lib/password.py"
C="$T/cred.rs"

$PW gen 200 >"$T/u.json" && mk "$T/u.json" >"$T/users.rs"
$PW gen 200 3 >"$T/h.json" && mk "$T/h.json" >"$T/hashed.rs"

# run NAME ARGS INPUT: password ARGS < INPUT into $T/out.rs and $T/err;
# ok when it exits 0 and its stream checks out (rowcat and rscheck.py).
run() {
	rm -f "$C"
	# shellcheck disable=SC2086
	"$BIN/password" $2 <"$3" >"$T/out.rs" 2>"$T/err"
	st=$?
	if [ $st -ne 0 ]; then
		notok "$1: exit status $st"
		indent "$T/err"
		return 1
	fi
	if ! "$BIN/rowcat" -q --json "$T/out.rs" >/dev/null 2>"$T/rc" ||
	    ! $RSCHECK "$T/out.rs" >/dev/null 2>>"$T/rc"; then
		notok "$1: a bad output stream"
		indent "$T/rc"
		return 1
	fi
}

# verified NAME INPUT [--missing]: each filled hash verifies (password.py)
verified() {
	if $PW check "$2" "$T/out.rs" "$C" password_hash ${3:-} >"$T/chk" 2>&1; then
		ok "$1 ($(cat "$T/chk"))"
	else
		notok "$1"
		indent "$T/chk"
	fi
}

# Every row of 200, bcrypt at cost 4 and pbkdf2_sha256 at 1000 iterations.
run "bcrypt" "-c password_hash --cost 4 --credentials $C" "$T/users.rs" &&
    verified "password bcrypt: 200 hashes verify with python3-bcrypt" "$T/users.rs"
cp "$C" "$T/cred-a.rs"
cp "$T/out.rs" "$T/out-a.rs"
$PY -c 'import sys, msgpack
rows = [o for o in msgpack.Unpacker(open(sys.argv[1], "rb"), raw=False) if isinstance(o, list)]
sys.exit(0 if all(r[2].startswith("$2b$04$") and len(r[2]) == 60 for r in rows) else 1)' "$T/out.rs"
check "password bcrypt: every hash is \$2b\$04\$, 60 characters" test $? -eq 0
run "pbkdf2" "-c password_hash --scheme pbkdf2-sha256 --cost 1000 --credentials $C" "$T/users.rs" &&
    verified "password pbkdf2-sha256: 200 hashes verify with passlib's django_pbkdf2_sha256" "$T/users.rs"
run "jobs 1" "-j 1 -c password_hash --cost 4 --credentials $C" "$T/users.rs" &&
    verified "password -j 1: the same on one thread" "$T/users.rs"

# The checker can fail: another run's credentials do not verify these hashes.
if $PW check "$T/users.rs" "$T/out.rs" "$T/cred-a.rs" password_hash >/dev/null 2>&1; then
	notok "password: the hashes of one run verify against another run's passwords"
else
	ok "password: the hashes of one run do not verify against another run's passwords"
fi

# Two runs: different passwords and hashes for every row.
run "run b" "-c password_hash --cost 4 --credentials $C" "$T/users.rs"
$PW plaintexts "$T/cred-a.rs" | sort >"$T/pa"
$PW plaintexts "$C" | sort >"$T/pb"
check "password: two runs share no password (200 and 200)" \
    sh -c "[ \$(wc -l <'$T/pa') -eq 200 ] && [ \$(comm -12 '$T/pa' '$T/pb' | wc -l) -eq 0 ] && [ \$(sort -u '$T/pa' | wc -l) -eq 200 ]"

# --missing: rows that have a hash keep it exactly, and get no password.
run "missing" "--missing -c password_hash --cost 4 --credentials $C" "$T/hashed.rs" &&
    verified "password --missing: 134 NULL rows filled and verified, 66 hashes kept" "$T/hashed.rs" --missing
$PY -c 'import sys, msgpack
def vals(p):
    return [o[2] for o in msgpack.Unpacker(open(p, "rb"), raw=True) if isinstance(o, list)]
a, b = vals(sys.argv[1]), vals(sys.argv[2])
kept = [i for i, v in enumerate(a) if v is not None]
sys.exit(0 if len(kept) == 66 and all(a[i] == b[i] for i in kept) else 1)' "$T/hashed.rs" "$T/out.rs"
check "password --missing: the 66 existing hashes are byte-identical" test $? -eq 0
check "password --missing: the summary counts them" \
    grep -q "134 passwords generated (bcrypt, cost 4, .*), 66 hashes kept" "$T/err"
run "no missing" "-c password_hash --cost 4 --credentials $C" "$T/hashed.rs" &&
    verified "password without --missing: every row gets a new hash" "$T/hashed.rs"
# Sparse --missing (1 row in 100 NULL, as in the school demo): a batch
# ends at 4096 rows as well as at 128 passwords; 9,000 rows cross both
# kinds of batch end, and every row still comes out in its place.
$PY - >"$T/sparse.json" <<'PY'
import json
rows = [[i, "user%d@example.com" % i, None if i % 100 == 0 else
         "$2b$10$v1hashv1hashv1hashv1haOldHashFromV1ForUser%05d" % i]
        for i in range(1, 9001)]
print(json.dumps({"table": "users", "key": ["id"],
    "columns": [["id", "int8"], ["email", "text"], ["password_hash", "text"]],
    "rows": rows}))
PY
mk "$T/sparse.json" >"$T/sparse.rs"
run "sparse" "--missing -c password_hash --cost 4 --credentials $C" "$T/sparse.rs" &&
    verified "password --missing, 9,000 rows with 90 NULL: filled in place, verified, the rest kept" "$T/sparse.rs" --missing

# The credentials file: 0600 whatever the umask, new, never replaced.
(umask 000; rm -f "$C"; "$BIN/password" -q -c password_hash --cost 4 \
    --credentials "$C" <"$T/users.rs" >/dev/null 2>"$T/err")
check "password: the credentials file is 0600 under umask 000" \
    sh -c "[ \"\$(stat -c %a '$C')\" = 600 ]"
cp "$C" "$T/before.rs"
"$BIN/password" -q -c password_hash --cost 4 --credentials "$C" \
    <"$T/users.rs" >"$T/out.rs" 2>"$T/err"
st=$?
check "password: an existing credentials file is refused (status $st) and kept" \
    sh -c "[ $st -eq 2 ] && cmp -s '$T/before.rs' '$C' && grep -q 'exists; not replacing it' '$T/err' && [ ! -s '$T/out.rs' ]"
ln -s "$T/nowhere" "$T/link.rs"
"$BIN/password" -q -c password_hash --credentials "$T/link.rs" \
    <"$T/users.rs" >/dev/null 2>"$T/err"
check "password: a credentials path that is a dangling link is refused" test $? -eq 2
check "password: no temporary files are left" \
    sh -c "! ls '$T' | grep -q '\.tmp\.'"

# The passwords never reach stderr, even with --progress and the summary.
rm -f "$C"
"$BIN/password" --progress -c password_hash --cost 4 --credentials "$C" \
    <"$T/users.rs" >"$T/out.rs" 2>"$T/err"
$PW plaintexts "$C" >"$T/plain"
check "password: none of the 200 passwords is on stderr" \
    sh -c "[ \$(wc -l <'$T/plain') -eq 200 ] && ! grep -qFf '$T/plain' '$T/err' && ! grep -qFf '$T/plain' '$T/out.rs'"
check "password: its stderr has the summary" grep -q "200 passwords generated" "$T/err"

# Segments stay as they came, and the credentials have one each.
cat "$T/users.rs" "$T/hashed.rs" >"$T/two.rs"
"$BIN/rowcat" -q --json "$T/two.rs" >/dev/null 2>&1
run "two" "-c password_hash --cost 4 --credentials $C" "$T/two.rs" &&
    verified "password: a joined stream of two segments, each verified" "$T/two.rs"

# A column the stream lacks is added at the end, as text.
run "added" "-c pw --cost 4" "$T/users.rs"
"$BIN/rowcat" --schema "$T/out.rs" >"$T/s" 2>&1
check "password -c pw: the column is added at the end as text" \
    sh -c "grep -E '^  [a-z_]+ +[a-z0-9]+\$' '$T/s' | tail -n 1 | grep -q '^  pw *text\$'"
mk people >"$T/people.rs"
run "added people" "-c password_hash --cost 4 --credentials $C" "$T/people.rs" &&
    verified "password: the fixture people (every type) gets its hashes, the key from the header" "$T/people.rs"

# A NULL key: no one could be told that password; the row is rejected.
$PY -c 'import json; print(json.dumps({"table": "u", "key": ["id"],
 "columns": [["id", "int8"], ["password_hash", "text"]],
 "rows": [[1, None], [None, None], [3, None]]}))' >"$T/nk.json"
mk "$T/nk.json" >"$T/nk.rs"
sed 's/"key": \["id"\], //' "$T/nk.json" >"$T/nokey.json"
rm -f "$C"
"$BIN/password" -q -c password_hash --cost 4 --credentials "$C" \
    <"$T/nk.rs" >"$T/out.rs" 2>"$T/err"
st=$?
check "password: a NULL key without --rejects: status 1, no credentials" \
    sh -c "[ $st -eq 1 ] && [ ! -e '$C' ] && grep -q 'the key is NULL' '$T/err'"
rm -f "$C"
"$BIN/password" -q -c password_hash --cost 4 --credentials "$C" \
    -r "$T/rej.rs" <"$T/nk.rs" >"$T/out.rs" 2>"$T/err"
check "password -r: a NULL key rejected, 2 rows out, 2 credentials" \
    sh -c "[ \$($RSCHECK '$T/rej.rs' | awk '{print \$2}') -eq 1 ] && [ \$($RSCHECK '$T/out.rs' | awk '{print \$2}') -eq 2 ] && [ \$($PW plaintexts '$C' | wc -l) -eq 2 ]"

# A truncated input: nothing that looks whole, no credentials.
rm -f "$C"
head -c 3000 "$T/users.rs" | "$BIN/password" -q -c password_hash --cost 4 \
    --credentials "$C" >"$T/out.rs" 2>"$T/err"
st=$?
check "password: a truncated input: status 3, no credentials, no temporary file" \
    sh -c "[ $st -eq 3 ] && [ ! -e '$C' ] && ! ls '$T' | grep -q '\.tmp\.'"
shown "password: truncated" 3 "$T/out.rs" "$T/j"

# Usage.
tj 2 ""                                   "mk people" empty "-c COL names the column"
tj 2 "-c id"                              "mk people" empty "-c id: a column of type int8"
tj 2 "-c pw --credentials $T/c1.rs --key nope" "mk people" empty \
    "--key: no column \"nope\" in \"people\" (its columns: id, name, score, active, photo, born)"
tj 2 "-c pw --key id"                     "mk people" empty "--key without --credentials"
tj 2 "-c pw --credentials $T/c2.rs"       "mk $T/nokey.json" empty "has no key; name the column"
tj 2 "-c pw --credentials /dev/stderr"    "mk people" empty "where the stream or the messages go"
tj 2 "-c pw --scheme md5"                 "mk people" empty "neither bcrypt nor pbkdf2-sha256"
tj 2 "-c pw --cost 3"                     "mk people" empty "a bcrypt cost from 4 to 31"
tj 2 "-c pw --cost 32"                    "mk people" empty "a bcrypt cost from 4 to 31"
tj 2 "-c pw --scheme pbkdf2-sha256 --cost 0" "mk people" empty "a number of iterations"
tj 2 "-c pw -j 0"                         "mk people" empty "a number of threads"
tj 2 "-c pw extra"                        "mk people" empty "unexpected argument"
tj 3 "-c pw --cost 4"                     "mk --no-end people" - "end"
t 0 "--help"    "true" -
t 0 "--version" "true" version
