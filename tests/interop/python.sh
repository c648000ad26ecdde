#!/bin/sh
# Interoperability with python3-msgpack and python3-xxhash, in both
# directions: streams Python writes are read by rowcat, and streams the
# library writes are decoded by Python with the same values, bytes and
# hashes.
. "$(dirname "$0")/../lib/common.sh"
TOOLS=${TOOLS:-$ROOT/build/tests/tools}

for f in everytype people; do
	mk $f >"$T/$f.rs"
	if "$BIN/rowcat" -q --json "$T/$f.rs" >"$T/out" 2>"$T/err" &&
	    $PY "$ROOT/tests/interop/check_json.py" \
	    "$ROOT/tests/fixtures/$f.json" <"$T/out" >"$T/why" 2>&1; then
		ok "rowcat reads the $f stream python-msgpack wrote"
	else
		notok "rowcat reads the $f stream python-msgpack wrote"
		indent "$T/err" "$T/why"
	fi
	mk --wide-ints $f >"$T/$f-wide.rs"
	if "$BIN/rowcat" -q --json "$T/$f-wide.rs" >"$T/out" 2>"$T/err" &&
	    $PY "$ROOT/tests/interop/check_json.py" \
	    "$ROOT/tests/fixtures/$f.json" <"$T/out" >"$T/why" 2>&1; then
		ok "rowcat reads $f in wide (non-canonical) encodings"
	else
		notok "rowcat reads $f in wide (non-canonical) encodings"
		indent "$T/err" "$T/why"
	fi
done

if "$TOOLS/rsfixture" >"$T/fixture.rs"; then
	$PY "$ROOT/tests/interop/decode.py" <"$T/fixture.rs"
else
	notok "rsfixture writes its stream"
fi
