#!/bin/sh
# load --rejects against a server that speaks French (lc_messages
# fr_FR.UTF-8, set on the database): reject isolation still finds each bad
# row by the line its error names, one COPY for the rows before it, not by
# halving the batch. A superuser's load asks for untranslated messages and
# uses exactly the COPYs it uses on an English server; a role that may not
# set lc_messages reads the line number from the French words and pays one
# COPY more a bad row, to try it alone. COPY statements are counted by a
# statement trigger that takes a number from a sequence, which a rollback
# to a savepoint does not give back.
. "$(dirname "$0")/../lib/common.sh"
. "$ROOT/tests/lib/pg.sh"
PROG=load

# The server must find fr_FR.UTF-8 when it starts (glibc reads the locale
# archive once), so scripts/install-deps generates it. When the shared
# server cannot use it, the locale is generated here if it is missing
# (as root) and this suite starts a server of its own.
french() {
	psql -XAtq -d postgres -c "set lc_messages = 'fr_FR.UTF-8'" >/dev/null 2>&1
}
if ! french; then
	if ! locale -a 2>/dev/null | grep -qix 'fr_FR\.utf-\{0,1\}8' &&
	    [ "$(id -u)" -eq 0 ]; then
		localedef -i fr_FR -f UTF-8 fr_FR.UTF-8 >/dev/null 2>&1
	fi
	if env=$("$ROOT/scripts/pg-sandbox" start "$T/pg" 2>"$T/sandbox.err"); then
		eval "$env"
		trap '"$ROOT/scripts/pg-sandbox" stop "$T/pg"; rm -rf "$T"' EXIT
	fi
fi
if ! french; then
	notok "the server cannot use lc_messages fr_FR.UTF-8 (run scripts/install-deps)"
	indent "$T/sandbox.err" 2>/dev/null
	exit 1
fi

newdb locale_sh
q "alter database locale_sh set lc_messages = 'fr_FR.UTF-8'"
expect "the server speaks French" "ERREUR:  division par zéro" \
    "select 1 / 0"
q "create table t (id int primary key, n int check (n >= 0));
   create sequence copies;
   create function count_copy() returns trigger language plpgsql as \$\$
   begin
	perform nextval('copies');
	return null;
   end \$\$;
   create trigger count_copy before insert on t
	for each statement execute function count_copy();
   drop role if exists nonsuper; create role nonsuper login;
   grant select, insert on t to nonsuper;
   grant usage, update on sequence copies to nonsuper"
# 1,000 rows; 100, 500, 501 and 900 break the check constraint
$PY -c '
import json
bad = {100, 500, 501, 900}
print(json.dumps({"table": "t", "columns": [["id", "int4"], ["n", "int4"]],
    "rows": [[i, -1 if i in bad else i] for i in range(1, 1001)]}))' >"$T/t.json"
mk "$T/t.json" >"$T/t.rs" || notok "mkstream"

# copies: the COPYs into t since the last call
copies() {
	q "select case when is_called then last_value else 0 end from copies;
	   alter sequence copies restart" | head -n 1
}
# rejected FILE: the ids in the rejects file, and the first reason
rejected() {
	"$BIN/rowcat" -q --json "$1" | $PY -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin]
print(" ".join(str(r["id"]) for r in rows) + "|" + rows[0]["_error"])'
}
# check WHAT FILE WANT: rejected FILE is WANT
check() {
	expect_cmd "$1" "$3" rejected "$2"
}
english='100 500 501 900|new row for relation "t" violates check constraint "t_n_check"'
french='100 500 501 900|la nouvelle ligne de la relation « t » viole la contrainte de vérification « t_n_check »'

# The COPYs an English server takes (lc_messages C for this connection).
copies >/dev/null
PGOPTIONS="-c lc_messages=C" "$BIN/load" -q -d $DB -r "$T/c.rs" <"$T/t.rs" ||
    notok "load against an English server"
check "in English: exactly the bad rows" "$T/c.rs" "$english"
base=$(copies)
q "truncate t"

t 0 "-d $DB -r $T/fr.rs" "cat $T/t.rs" - "t: 1000 rows read, 996 loaded, 4 rejected"
check "in French: exactly the bad rows, the reasons untranslated" "$T/fr.rs" "$english"
n=$(copies)
if [ "$n" = "$base" ]; then
	ok "in French: isolation by line number, $n COPYs as in English"
else
	notok "in French: $n COPYs, $base in English (halving instead of the line number?)"
fi
expect "in French: the good rows are loaded" "996" "select count(*) from t"
q "truncate t"
t 1 "-d $DB" "cat $T/t.rs" - "load: t: row 100: new row for relation"
expect "in French, without --rejects: nothing loaded" "0" "select count(*) from t"

# A role that may not SET lc_messages: the French words are read.
copies >/dev/null
t 0 "-d 'dbname=$DB user=nonsuper' -r $T/ns.rs" "cat $T/t.rs" - \
    "t: 1000 rows read, 996 loaded, 4 rejected"
check "no right to set lc_messages: exactly the bad rows, reasons in French" \
    "$T/ns.rs" "$french"
n=$(copies)
if [ "$n" = "$((base + 4))" ]; then
	ok "no right to set lc_messages: by line number, one COPY more a bad row ($n)"
else
	notok "no right to set lc_messages: $n COPYs, wanted $base + 4"
fi
expect "no right to set lc_messages: the good rows are loaded" "996" \
    "select count(*) from t"
q "truncate t"
t 1 "-d 'dbname=$DB user=nonsuper'" "cat $T/t.rs" - "load: t: row 100: la nouvelle ligne"
