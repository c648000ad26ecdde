#!/bin/sh
# Every program's usage text and its man page's SYNOPSIS name the same
# options: the set of option words (-x, --long) in the usage lines that
# --help prints first must equal the set in the SYNOPSIS section of
# docs/PROG.1, rendered by groff. A new option documented in one place
# only fails here.
. "$(dirname "$0")/../lib/common.sh"

# options FILE: the option words in FILE, one a line, sorted, unique.
options() {
	grep -o -- '-[-A-Za-z0-9][-A-Za-z0-9]*' "$1" |
	    grep -v -- '^-[0-9]' | sort -u
}

for prog in extract cols remap split-name unique password load rowcat verify; do
	man=$ROOT/docs/$prog.1
	[ -f "$man" ] || { notok "$prog: no man page docs/$prog.1"; continue; }
	# usage: the "usage:" line and the indented lines that continue it
	# (the help text after them is free to say more)
	"$BIN/$prog" --help 2>/dev/null |
	    awk 'NR == 1 || (!stop && /^[ \t]/) { print; next } { stop = 1 }' \
	    >"$T/usage"
	# SYNOPSIS: from .SH SYNOPSIS to the next .SH, rendered to text
	awk '/^\.SH SYNOPSIS/ { on = 1; print ".TH X 1"; next } /^\.SH/ { on = 0 } on' \
	    "$man" | groff -man -Tutf8 -P-cbou 2>/dev/null | sed 's/‐/-/g' >"$T/synopsis"
	options "$T/usage" >"$T/u"
	options "$T/synopsis" >"$T/s"
	if [ -s "$T/u" ] && cmp -s "$T/u" "$T/s"; then
		ok "$prog: usage and man page SYNOPSIS name the same $(wc -l <"$T/u") options"
	else
		notok "$prog: usage and man page SYNOPSIS differ (< usage, > SYNOPSIS)"
		diff "$T/u" "$T/s" | grep '^[<>]' | indent
	fi
done
