# bad.sh: reading tests/bad/expect, for tests/cli/bad.sh and
# tests/pg/bad.sh; source it after common.sh. The corpus is run often
# (both builds, every program), so the lookups avoid forking.

BAD=$ROOT/tests/bad
NL='
'

# bad_names: the NAME column of the table, once each, in table order
bad_names() {
	awk '!/^#/ && NF { sub(/@.*/, "", $1); if (!seen[$1]++) print $1 }' \
	    "$BAD/expect"
}

# bad_load NAME: keeps NAME's lines of the table for bad_want
bad_load() {
	BLINES=$(awk -v n="$1" '!/^#/ && ($1 == n || index($1, n "@") == 1)' \
	    "$BAD/expect")
}

# bad_want PROG: sets WANT (the status, maybe "todoN") and MSG from the
# loaded line for NAME@PROG, else the one for NAME.
bad_want() {
	WANT= MSG=
	oifs=$IFS
	IFS=$NL
	for l in $BLINES; do
		IFS=" 	" read -r bw_n bw_s bw_m <<EOF
$l
EOF
		case $bw_n in
		*@"$1") WANT=$bw_s MSG=$bw_m; break ;;
		*@*) ;;
		*) WANT=$bw_s MSG=$bw_m ;;
		esac
	done
	IFS=$oifs
}

# bad_check PROG GOT ERRFILE: empty when the status GOT and stderr fit
# WANT and MSG, else says what is wrong. A status 86 is a sanitizer's.
bad_check() {
	want=${WANT#todo}
	first=
	IFS= read -r first <"$3"
	if [ "$2" -ne "$want" ]; then
		echo "$1: exit $2, wanted $want"
	elif [ -n "$MSG" ] && ! grep -qF -- "$MSG" "$3"; then
		echo "$1: stderr lacks \"$MSG\""
	elif [ "$want" -ne 0 ] && [ "${first#"$1: "}" = "$first" ]; then
		echo "$1: stderr does not begin with \"$1: \""
	fi
}

# bad_report NAME WHAT PROBLEMS: one ok / not ok line for a corpus file.
# A known bug (todoN) is a "# TODO" comment, counted neither way, while
# it lasts, and a failure once it is fixed, so that the table is updated.
bad_report() {
	case $WANT in
	todo*)
		if [ -n "$3" ]; then
			echo "# TODO - $1: $2: known bug, should be exit ${WANT#todo}: ${3%%"$NL"*}"
		else
			notok "$1: $2: passes now, make it ${WANT#todo} in tests/bad/expect"
		fi ;;
	*)
		if [ -z "$3" ]; then
			ok "$1: $2: exit $WANT${MSG:+, \"$MSG\"}"
		else
			notok "$1: $2"
			echo "$3" | indent
		fi ;;
	esac
}
