#!/bin/sh
# scripts/pg-sandbox: start a throwaway server, query it, stop it, and the
# directory is gone. As root, also as an unprivileged user (nobody).
. "$(dirname "$0")/../lib/common.sh"
SB=$ROOT/scripts/pg-sandbox

try_sandbox() {
	who=$1 run=$2
	dir=$T/sb-$who
	mkdir -p "$dir"
	[ "$who" = nobody ] && chown nobody "$dir" "$T"
	if ! env=$($run "$SB" start "$dir/pg" 2>"$T/err"); then
		notok "pg-sandbox as $who: start"
		indent "$T/err"
		return
	fi
	if out=$(eval "$env" && $run psql -XAtc 'select 1' 2>"$T/err") &&
	    [ "$out" = 1 ]; then
		ok "pg-sandbox as $who: start, then psql -c 'select 1'"
	else
		notok "pg-sandbox as $who: psql -c 'select 1' gave '$out'"
		indent "$T/err"
	fi
	case $env in
	*PGHOST=\'"$dir/pg"\'*PGPORT=\'[0-9]*\'*) ok "pg-sandbox as $who: prints export lines" ;;
	*) notok "pg-sandbox as $who: prints export lines: $env" ;;
	esac
	$run "$SB" stop "$dir/pg"
	if [ ! -e "$dir/pg" ]; then
		ok "pg-sandbox as $who: stop removes the directory"
	else
		notok "pg-sandbox as $who: stop removes the directory"
	fi
}

try_sandbox "$(id -un)" ""
if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1; then
	chmod 755 "$T"
	try_sandbox nobody "runuser -u nobody --"
fi

# PG_SANDBOX_OPTS reaches the server, over the sandbox's own settings
# (bench/growth.sh SB= starts its servers with another shared_buffers).
dir=$T/sb-opts
if env=$(PG_SANDBOX_OPTS="-c shared_buffers=48MB" "$SB" start "$dir" 2>"$T/err"); then
	out=$(eval "$env" && psql -XAtc 'show shared_buffers' 2>&1)
	if [ "$out" = 48MB ]; then
		ok "pg-sandbox: PG_SANDBOX_OPTS sets shared_buffers over its 256MB"
	else
		notok "pg-sandbox: PG_SANDBOX_OPTS: shared_buffers is '$out', not 48MB"
	fi
	"$SB" stop "$dir"
else
	notok "pg-sandbox: start with PG_SANDBOX_OPTS"
	indent "$T/err"
fi
