#!/bin/sh
# Interoperability with python3-msgpack and python3-xxhash, in both
# directions: streams Python writes are read by rowcat, and streams the
# library writes are decoded by Python with the same values, bytes and
# hashes.
. "$(dirname "$0")/../lib/common.sh"
TOOLS=${TOOLS:-$ROOT/build/tests/tools}

# reads NAME FIXTURE STREAM: rowcat --json shows STREAM as the values of
# tests/fixtures/FIXTURE.json (tests/interop/check_json.py compares).
reads() {
	if "$BIN/rowcat" -q --json "$3" >"$T/out" 2>"$T/err" &&
	    $PY "$ROOT/tests/interop/check_json.py" \
	    "$ROOT/tests/fixtures/$2.json" <"$T/out" >"$T/why" 2>&1; then
		ok "$1"
	else
		notok "$1"
		indent "$T/err" "$T/why"
	fi
}

for f in everytype people; do
	mk $f >"$T/$f.rs"
	reads "rowcat reads the $f stream python-msgpack wrote" $f "$T/$f.rs"
	mk --wide-ints $f >"$T/$f-wide.rs"
	reads "rowcat reads $f in wide (non-canonical) encodings" $f "$T/$f-wide.rs"
done

if "$TOOLS/rsfixture" >"$T/fixture.rs"; then
	$PY "$ROOT/tests/interop/decode.py" <"$T/fixture.rs"
else
	notok "rsfixture writes its stream"
fi
