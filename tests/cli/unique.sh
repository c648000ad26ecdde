#!/bin/sh
# unique: a column's values made unique across every segment of a stream,
# by suffix, NULL or reject, against a target's --taken values; re-runs
# keep each row's value; in = out + rejected.
. "$(dirname "$0")/../lib/common.sh"
PROG=unique
. "$ROOT/tests/lib/xform.sh"
R="$T/rej.rs" CH="$T/changes.rs"

# The inputs. users: teachers, parents and students in one stream, with
# a case variant, a NULL, a literal john+2@x.com after a made one, and a
# value without '@'.
cat >"$T/users.json" <<'EOF'
[{"table": "teachers", "key": ["id"], "columns": [["id", "int8"], ["email", "text"]],
  "rows": [[1, "john@x.com"], [2, "John@X.com"], [3, "john@x.com"], [4, null], [5, "john+2@x.com"]]},
 {"table": "parents", "key": ["id"], "columns": [["id", "int8"], ["email", "varchar"]],
  "rows": [[6, "mary@y.org"], [7, null], [8, "john@x.com"]]},
 {"table": "students", "key": ["id"], "columns": [["id", "int8"], ["email", "text"], ["grade", "int4"]],
  "rows": [[9, "kid", 1], [10, "kid", 2], [11, "MARY@y.org", 3], [12, "john@x.com", 4]]}]
EOF
# phones: text in one segment, int8 in the other (42 and "42" are one value)
cat >"$T/phones.json" <<'EOF'
[{"table": "teachers", "columns": [["id", "int8"], ["phone", "text"]],
  "rows": [[1, "+12025550143"], [2, "+12025550143"], [3, null], [4, null], [5, "42"]]},
 {"table": "students", "columns": [["id", "int8"], ["phone", "int8"]],
  "rows": [[6, 42], [7, 43], [8, null]]}]
EOF
# the target of a re-run that has a new row: 13 comes first, and the
# target gives john+2@x.com to 3 and john@x.com to 1
cat >"$T/owners.json" <<'EOF'
[{"table": "users", "columns": [["id", "int8"], ["email", "text"]],
  "rows": [[13, "john@x.com"], [3, "john@x.com"], [1, "john@x.com"], [14, "zed@x.com"]]}]
EOF
cat >"$T/taken.json" <<'EOF'
{"table": "users", "columns": [["email", "text"], ["id", "int8"]],
 "rows": [["john@x.com", 1], ["john+2@x.com", 3], ["zed@x.com", 99], ["nobody@x.com", null], [null, 5]]}
EOF
for f in users phones owners taken; do
	mk "$T/$f.json" >"$T/$f.rs" || notok "cannot make $f.rs"
done
U="cat $T/users.rs" P="cat $T/phones.rs"

# tu STATUS ARGS INPUT WANT [STDERR]: t, with WANT the values of the
# output's column $COL as rowcat --json shows them, all segments, one
# line, NULL for null (for a failed run, the rows that got out before it
# stopped). The output's trailers are checked by rowcat and rscheck.py
# (tests/lib/xform.sh's wrapper, which this one calls).
mkdir -p "$T/uq"
cat >"$T/uq/unique" <<WRAP
#!/bin/sh
"$T/xf/unique" "\$@" >"$T/uq.jsonl"
st=\$?
$PY -c 'import json, sys
print(" ".join("NULL" if v is None else str(v)
    for v in (json.loads(l)[sys.argv[1]] for l in sys.stdin)))' "\$COL" <"$T/uq.jsonl"
exit \$st
WRAP
chmod +x "$T/uq/unique"
export COL=email
tu() {
	realbin=$BIN
	BIN=$T/uq
	t "$1" "$2" "$3" "=$4" "${5:-}"
	BIN=$realbin
}

# Suffixes, across all segments; NULLs are never duplicates; a literal
# john+2@x.com after the made one is a duplicate in its turn.
#  status args                    input  the email column out
tu 0 "-c email"                   "$U" "john@x.com John@X.com john+2@x.com NULL john+2+2@x.com mary@y.org NULL john+3@x.com kid kid+2 MARY@y.org john+4@x.com" \
    "students: email: 2 duplicates suffixed"
tu 0 "--column email --suffix plus" "$U" "john@x.com John@X.com john+2@x.com NULL john+2+2@x.com mary@y.org NULL john+3@x.com kid kid+2 MARY@y.org john+4@x.com"
tu 0 "-c email --suffix number"   "$U" "john@x.com John@X.com john2@x.com NULL john+2@x.com mary@y.org NULL john3@x.com kid kid2 MARY@y.org john4@x.com"
tu 0 "-c email --fold"            "$U" "john@x.com John+2@X.com john+3@x.com NULL john+2+2@x.com mary@y.org NULL john+4@x.com kid kid+2 MARY+2@y.org john+5@x.com" \
    "teachers: email: 3 duplicates suffixed"
tu 0 "-c email --fold --suffix number" "$U" "john@x.com John2@X.com john3@x.com NULL john+2@x.com mary@y.org NULL john4@x.com kid kid2 MARY2@y.org john5@x.com"
tu 0 "-c email -q"                "$U" "john@x.com John@X.com john+2@x.com NULL john+2+2@x.com mary@y.org NULL john+3@x.com kid kid+2 MARY@y.org john+4@x.com"
tu 0 "-c email --progress"        "$U" "john@x.com John@X.com john+2@x.com NULL john+2+2@x.com mary@y.org NULL john+3@x.com kid kid+2 MARY@y.org john+4@x.com"
# a literal john+2@x.com before the second john@x.com is kept, and the
# second one passes over it
echo '{"table": "u", "columns": [["id", "int8"], ["email", "text"]], "rows": [[1, "john@x.com"], [2, "john+2@x.com"], [3, "john@x.com"]]}' >"$T/before.json"
tu 0 "-c email"                   "mk $T/before.json" "john@x.com john+2@x.com john+3@x.com"
# the summary: every segment, in = out + rejected
tu 0 "-c email"                   "$U" "john@x.com John@X.com john+2@x.com NULL john+2+2@x.com mary@y.org NULL john+3@x.com kid kid+2 MARY@y.org john+4@x.com" \
    "unique: parents: 3 rows in, 3 out, 0 rejected"

# Values that take no suffix: set to NULL, or rejected with the reason.
tu 0 "-c email --dup null"        "$U" "john@x.com John@X.com NULL NULL john+2@x.com mary@y.org NULL NULL kid NULL MARY@y.org NULL" \
    "teachers: email: 1 duplicate set to NULL"
tu 0 "-c email --dup reject -r $R" "$U" "john@x.com John@X.com NULL john+2@x.com mary@y.org NULL kid MARY@y.org" \
    "unique: students: 4 rows in, 2 out, 2 rejected"
tu 1 "-c email --dup reject"      "$U" "john@x.com John@X.com" \
    "row 3 of \"teachers\": duplicate email: john@x.com (first at row 1 of \"teachers\") (no --rejects file to put it in)"
COL=phone
tu 0 "-c phone --dup null"        "$P" "+12025550143 NULL NULL NULL 42 NULL 43 NULL"
tu 0 "-c phone --dup reject -r $R" "$P" "+12025550143 NULL NULL 42 43 NULL" \
    "unique: students: 3 rows in, 2 out, 1 rejected"
tu 2 "-c phone"                   "$P" "" \
    "-c phone: column \"phone\" of \"students\" is int8, which takes no suffix (--dup null or --dup reject)"
COL=email

# The rejects file: each rejected row with where its value was first.
mk "$T/users.json" | "$BIN/unique" -q -c email --fold --dup reject -r "$R" >/dev/null
"$BIN/rowcat" -q --json "$R" | $PY -c 'import json, sys
for l in sys.stdin:
    r = json.loads(l)
    print(r["id"], r["_error"])' >"$T/rj.txt"
cat >"$T/rj.want" <<'EOF'
2 duplicate email: John@X.com (first at row 1 of "teachers")
3 duplicate email: john@x.com (first at row 1 of "teachers")
8 duplicate email: john@x.com (first at row 1 of "teachers")
10 duplicate email: kid (first at row 1 of "students")
11 duplicate email: MARY@y.org (first at row 1 of "parents")
12 duplicate email: john@x.com (first at row 1 of "teachers")
EOF
if diff -u "$T/rj.want" "$T/rj.txt" >"$T/d"; then
	ok "unique --dup reject: the rejects file has each row with its reason"
else
	notok "unique --dup reject: the rejects file"
	indent "$T/d"
fi

# --changes: every value changed, with its row, key and reason.
mk "$T/users.json" | "$BIN/unique" -q -c email --changes "$CH" >/dev/null
"$BIN/rowcat" -q --json "$CH" >"$T/ch.jsonl" 2>&1
cat >"$T/ch.want" <<'EOF'
{"row":3,"key":"3","column":"email","value":"john@x.com","new_value":"john+2@x.com","reason":"duplicate email: john@x.com (first at row 1 of \"teachers\")"}
{"row":5,"key":"5","column":"email","value":"john+2@x.com","new_value":"john+2+2@x.com","reason":"duplicate email: john+2@x.com (first at row 3 of \"teachers\")"}
{"row":3,"key":"8","column":"email","value":"john@x.com","new_value":"john+3@x.com","reason":"duplicate email: john@x.com (first at row 1 of \"teachers\")"}
{"row":2,"key":"10","column":"email","value":"kid","new_value":"kid+2","reason":"duplicate email: kid (first at row 1 of \"students\")"}
{"row":4,"key":"12","column":"email","value":"john@x.com","new_value":"john+4@x.com","reason":"duplicate email: john@x.com (first at row 1 of \"teachers\")"}
EOF
if diff -u "$T/ch.want" "$T/ch.jsonl" >"$T/d" && [ "$(rows "$CH")" = 5 ]; then
	ok "unique --changes: each changed value with its row, key and reason"
else
	notok "unique --changes"
	indent "$T/d"
fi
mk "$T/phones.json" | "$BIN/unique" -q -c phone --dup null --changes "$CH" >/dev/null
if [ "$("$BIN/rowcat" -q --json "$CH" | grep -c '"new_value":null,"reason":"duplicate phone: ')" = 2 ]; then
	ok "unique --dup null --changes: the nulled values are listed, new_value NULL"
else
	notok "unique --dup null --changes: the nulled values are not listed"
	"$BIN/rowcat" -q --csv "$CH" | indent
fi

# --taken: the target's values and owners. 1 keeps john@x.com, 3 its
# john+2@x.com; zed@x.com is 99's, so 14 may not have it; nobody@ is
# no stream row's.
tu 0 "-c email --taken $T/taken.rs --key id" "cat $T/owners.rs" \
    "john+3@x.com john+2@x.com john@x.com zed+2@x.com"
tu 0 "-c email --taken $T/taken.rs --key id --dup reject -r $R" "cat $T/owners.rs" \
    "john@x.com" "unique: users: 4 rows in, 1 out, 3 rejected"
"$BIN/rowcat" -q --json "$R" >"$T/rj.jsonl"
if grep -qF '"_error":"duplicate email: zed@x.com (taken in the target by 99)"' "$T/rj.jsonl" &&
    grep -qF '"id":13,"email":"john@x.com","_error":"duplicate email: john@x.com (taken in the target by 1)"' "$T/rj.jsonl"; then
	ok "unique --taken --dup reject: the reason names the value's owner in the target"
else
	notok "unique --taken --dup reject: the reason"
	indent "$T/rj.jsonl"
fi
echo '{"table": "u", "columns": [["id", "int8"], ["email", "text"]], "rows": [[1, "nobody@x.com"], [2, "Zed@x.com"]]}' >"$T/nobody.json"
tu 0 "-c email --taken $T/taken.rs --key id --fold" "mk $T/nobody.json" "nobody+2@x.com Zed+2@x.com"
# a value the target gives to a row later in the stream is skipped, not
# passed by: 3 still gets its own john+2@x.com after 2 had to go past it
echo '{"table": "u", "columns": [["id", "int8"], ["email", "text"]], "rows": [[1, "john@x.com"], [2, "john@x.com"], [3, "john@x.com"]]}' >"$T/later.json"
tu 0 "-c email --taken $T/taken.rs --key id" "mk $T/later.json" "john@x.com john+3@x.com john+2@x.com"

# Re-runs: the first run's output, as the target (email, id), changes
# nothing in a second run; nor when the rows come in another order with
# a new row first.
rerun() {
	name=$1 args=$2
	mk "$T/users.json" | "$BIN/unique" -q $args >"$T/run1.rs" &&
	    "$BIN/cols" -q 'email, id' <"$T/run1.rs" >"$T/t1.rs" &&
	    mk "$T/users.json" | "$BIN/unique" -q $args --taken "$T/t1.rs" --key id >"$T/run2.rs" &&
	    "$BIN/rowcat" -q --json "$T/run1.rs" >"$T/run1.jsonl" &&
	    "$BIN/rowcat" -q --json "$T/run2.rs" >"$T/run2.jsonl" || {
		notok "$name: a run failed"
		return
	}
	if cmp -s "$T/run1.rs" "$T/run2.rs"; then
		ok "$name"
	else
		notok "$name: the second run differs"
		diff "$T/run1.jsonl" "$T/run2.jsonl" | indent
	fi
}
rerun "unique re-run with the first run's output as --taken: the same output" "-c email"
rerun "unique --fold re-run with --taken: the same output" "-c email --fold"
rerun "unique --suffix number re-run with --taken: the same output" "-c email --suffix number"
# another order, and a new row 0 with john@x.com first: every old row
# keeps its value, the new one takes the next free
mk "$T/users.json" | "$BIN/unique" -q -c email >"$T/run1.rs"
"$BIN/cols" -q 'email, id' <"$T/run1.rs" >"$T/t1.rs"
$PY - "$T/users.json" >"$T/shuffled.json" <<'EOF'
import json, sys
segs = json.load(open(sys.argv[1]))
segs.reverse()
for s in segs:
    s["rows"].reverse()
segs[0]["rows"].insert(0, [0, "john@x.com", 5])
print(json.dumps(segs))
EOF
mk "$T/shuffled.json" | "$BIN/unique" -q -c email --taken "$T/t1.rs" --key id >"$T/run2.rs"
"$BIN/rowcat" -q --json "$T/run1.rs" | sort >"$T/a"
"$BIN/rowcat" -q --json "$T/run2.rs" | grep -v '"id":0,' | sort >"$T/b"
if cmp -s "$T/a" "$T/b" &&
    "$BIN/rowcat" -q --json "$T/run2.rs" | grep -qF '{"id":0,"email":"john+5@x.com","grade":5}'; then
	ok "unique --taken, rows reordered and a new row first: old rows keep their values, the new one takes the next free"
else
	notok "unique --taken, rows reordered: values moved"
	diff "$T/a" "$T/b" | indent
	"$BIN/rowcat" -q --json "$T/run2.rs" | grep '"id":0,' | indent
fi
# the same input twice gives the same bytes
mk "$T/users.json" | "$BIN/unique" -q -c email --fold >"$T/a.rs"
mk "$T/users.json" | "$BIN/unique" -q -c email --fold >"$T/b.rs"
check "unique: the same input gives the same output" cmp "$T/a.rs" "$T/b.rs"

# An empty text is a value like any other (NULL is not); its counter
# goes at its end.
echo '{"table": "u", "columns": [["id", "int8"], ["email", "text"]], "rows": [[1, ""], [2, ""], [3, null], [4, "+2"]]}' >"$T/empty.json"
for a in "" "--fold"; do
	mk "$T/empty.json" | "$BIN/unique" -q -c email $a >"$T/e.rs" 2>"$T/err" &&
	    "$BIN/rowcat" -q --json "$T/e.rs" | tr '\n' ' ' >"$T/e.txt" 2>>"$T/err"
	want='{"id":1,"email":""} {"id":2,"email":"+2"} {"id":3,"email":null} {"id":4,"email":"+2+2"} '
	if [ "$(cat "$T/e.txt")" = "$want" ]; then
		ok "unique -c email${a:+ $a}: empty values are values: \"\", \"+2\""
	else
		notok "unique -c email${a:+ $a}: empty values"
		indent "$T/e.txt" "$T/err"
	fi
done

# A thousand copies of one value: each gets its own counter, in order.
$PY -c 'import json
print(json.dumps({"table": "t", "columns": [["id", "int8"], ["email", "text"]],
    "rows": [[i, "a@x"] for i in range(1000)] + [[1000, "a+500@x"]]}))' >"$T/many.json"
mk "$T/many.json" | "$BIN/unique" -q -c email >"$T/many.rs"
"$BIN/rowcat" -q --csv "$T/many.rs" | tail -n +2 | cut -d, -f2 >"$T/many.txt"
{ echo a@x; i=2; while [ $i -le 1000 ]; do echo "a+$i@x"; i=$((i + 1)); done; echo "a+500+2@x"; } >"$T/many.want"
if cmp -s "$T/many.want" "$T/many.txt"; then
	ok "unique: 1000 copies of a value get a+2@x to a+1000@x, a later literal a+500@x is suffixed"
else
	notok "unique: 1000 copies of a value"
	diff "$T/many.want" "$T/many.txt" | head -5 | indent
fi

# Usage and errors: a missing column says so as remap and cols do.
tu 2 "-c nope"                    "$U" "" \
    "-c: no column \"nope\" in \"teachers\" (its columns: id, email)"
tu 2 "-c email --taken $T/taken.rs --key uid" "$U" "" \
    "--key: no column \"uid\" in \"teachers\" (its columns: id, email)"
echo '[{"table": "a", "columns": [["email", "text"]], "rows": [["x"]]}, {"table": "b", "columns": [["mail", "text"]], "rows": [["x"]]}]' >"$T/two.json"
tu 2 "-c email"                   "mk $T/two.json" "" \
    "-c: no column \"email\" in \"b\" (its columns: mail)"
tu 2 ""                           "$U" "" "-c COL names the column to make unique"
tu 2 "-c email --taken $T/taken.rs" "$U" "" "--taken and --key go together"
tu 2 "-c email --key id"          "$U" "" "--taken and --key go together"
tu 2 "-c email --suffix dash"     "$U" "" "--suffix: \"dash\" is none of plus, number"
tu 2 "-c email --dup drop"        "$U" "" "--dup: \"drop\" is none of suffix, null, reject"
tu 2 "-c email extra"             "$U" "" "unexpected argument \"extra\""
tu 2 "--bogus"                    "$U" "" "usage: unique -c COL"
tu 1 "-c email --taken $T/users.rs --key id" "$U" "" "a --taken file has two columns (value, owner key), \"students\" has 3"
tu 5 "-c email --taken /nonexistent/t.rs --key id" "$U" "" "/nonexistent/t.rs"
tu 3 "-c email"                   "mk --truncate 60 $T/users.json" "" "truncated stream"
tu 3 "-c email --taken $T/cut.rs --key id" "$U; mk --no-end $T/taken.json >$T/cut.rs" "" "cut.rs"
t 0 "--help"                      "true" -
t 0 "-h"                          "true" -
t 0 "--version"                   "true" version
check "unique --help names every option the man page does" sh -c \
    "'$BIN/unique' --help | grep -q '^usage: unique -c COL' && grep -q '^.B unique$' '$ROOT/docs/unique.1'"
