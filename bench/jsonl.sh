#!/bin/sh
# extract --jsonl and --text on ROWS lines. The JSON document has the 6
# fields of a mongoexport line ($oid, a name, a $date, a $numberLong, a
# sub-document's field, a float; 201 bytes); the text dump the same six
# as COPY text. Target (issue 16): >= 500,000 rows/s on one core for
# --jsonl; memory constant whatever the row count. The rate that counts
# is CPU time's (user + system): on a busy machine wall time measures
# the neighbours.
#
#	bench/jsonl.sh [--compare]
#
# --compare also times jansson against json-c on the same document,
# parsing only, then parsing and walking the six paths, from memory
# (bench/jsonlib/compare.c; needs libjansson-dev and libjson-c-dev): the
# figures that chose json-c, and the floor its parse sets for extract.
. "$(dirname "$0")/lib.sh"

cpu() {
	/usr/bin/time -f '%U %S' -o "$T/cpu" sh -c "$1" || return 1
	CPU=$(awk '{ print $1 + $2 }' "$T/cpu")
}

if [ "${1:-}" = --compare ]; then
	for lib in JANSSON JSONC; do
		cc -O2 -D_GNU_SOURCE -D$lib -o "$T/cmp-$lib" "$ROOT/bench/jsonlib/compare.c" \
		    $(pkg-config --cflags --libs jansson json-c) &&
		    "$T/cmp-$lib" "$ROWS"
	done
fi

python3 - "$ROWS" "$T" <<'EOF'
import sys
n, t = int(sys.argv[1]), sys.argv[2]
with open(t + "/in.jsonl", "w") as j, open(t + "/in.txt", "w") as x:
    for i in range(n):
        j.write('{"_id":{"$oid":"5f1a2b3c4d5e6f7a8b9c%04x"},"name":"Ada Lovelace %d",'
                '"created":{"$date":"2024-01-02T10:00:00.000Z"},"n":{"$numberLong":"%d"},'
                '"address":{"city":"London","zip":"NW1"},"score":91.5}\n' % (i & 0xffff, i, i))
        x.write('5f1a2b3c4d5e6f7a8b9c%04x\tAda Lovelace %d\t2024-01-02 10:00:00+00\t%d\tLondon\t91.5\n'
                % (i & 0xffff, i, i))
EOF
COLS='_id.$oid AS id, name, created.$date AS created, n.$numberLong AS n, address.city AS city, score'
echo "extract --jsonl, $ROWS lines of 6 fields ($(du -m "$T/in.jsonl" | cut -f1) MB), best of $RUNS:"
run() {
	best "$1"
	r=$(rate "$ROWS" "$SECS")
	cpu "$1"
	c=$(rate "$ROWS" "$CPU")
	printf '  %-16s %6.2f s  %9d rows/s  peak RSS %5.1f MB  (CPU %.2f s = %d rows/s%s)\n' \
	    "$2" "$SECS" "$r" "$(mb "$RSS")" "$CPU" "$c" \
	    "${3:+; $(echo "scale=2; $c / $3" | bc)x the $3 target}"
}
run "$BIN/extract -q --jsonl '$T/in.jsonl' -c '$COLS' --types score:float8 -o /dev/null" \
    "extract --jsonl" 500000
run "$BIN/extract -q --text '$T/in.txt' -c id,name,created,n,city,score --types n:int8,score:float8 -o /dev/null" \
    "extract --text"
# memory must not grow with the row count
head -n $((ROWS / 10)) "$T/in.jsonl" >"$T/small.jsonl"
RUNS=1 best "$BIN/extract -q --jsonl '$T/small.jsonl' -c '$COLS' -o /dev/null"
small=$RSS
RUNS=1 best "$BIN/extract -q --jsonl '$T/in.jsonl' -c '$COLS' -o /dev/null"
printf '  peak RSS: %5.1f MB for %d lines, %5.1f MB for %d (constant memory)\n' \
    "$(mb "$small")" $((ROWS / 10)) "$(mb "$RSS")" "$ROWS"
