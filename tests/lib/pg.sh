# pg.sh: for the suites in tests/pg; source it after common.sh. tests/run
# has started one sandbox server and exported PGHOST, PGPORT, PGUSER.
# Each suite works in databases of its own, so suites do not meet.

if [ -z "${PGHOST:-}" ]; then
	echo "not ok - $(basename "$0"): no server (run it through tests/run pg)"
	exit 1
fi

# newdb NAME: a fresh, empty database NAME; sets DB to it.
newdb() {
	DB=$1
	dropdb --if-exists "$DB" >/dev/null 2>&1
	createdb "$DB" || { notok "createdb $DB"; exit 1; }
}

# q SQL: runs SQL in $DB, prints rows unaligned, |-separated, no headers.
q() {
	psql -XAtq -v ON_ERROR_STOP=1 -d "$DB" -c "$1"
}

# expect WHAT WANT SQL: ok when the one-line result of SQL is WANT.
expect() {
	expect_cmd "$1" "$2" q "$3"
}

# expect_cmd WHAT WANT COMMAND...: ok when COMMAND's output is WANT.
expect_cmd() {
	what=$1 want=$2
	shift 2
	got=$("$@" 2>&1)
	if [ "$got" = "$want" ]; then
		ok "$what"
	else
		notok "$what: got '$got', wanted '$want'"
	fi
}

# differ DB1.TABLE1 DB2.TABLE2: prints the rows in one and not the
# other, both ways (SQL EXCEPT through dblink-free COPY dumps, sorted).
differ() {
	psql -XAtq -d "${1%%.*}" -c "copy (select * from ${1#*.}) to stdout" | sort >"$T/differ1"
	psql -XAtq -d "${2%%.*}" -c "copy (select * from ${2#*.}) to stdout" | sort >"$T/differ2"
	diff "$T/differ1" "$T/differ2"
}

# waitq SQL WANT: polls until SQL prints WANT, for 10 s at most; false
# when it never did (what the server does after a kill takes a moment)
waitq() {
	i=0
	while [ "$(q "$1")" != "$2" ] && [ $i -lt 200 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	[ $i -lt 200 ]
}
