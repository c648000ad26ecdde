#!/bin/sh
# load's usage errors, which need no server: each exits 2 with its
# message before load connects. PGHOST names a directory that does not
# exist, so a case that reached the connection would exit 4, not 2.
# (Loading itself is tests/pg/load.sh.)
. "$(dirname "$0")/../lib/common.sh"
PROG=load
export PGHOST=$T/no-server PGCONNECT_TIMEOUT=1
unset PGDATABASE PGSERVICE

# status args                              input  stdout  stderr
t 2 "--nope"                               "true" -       "unrecognized option '--nope'"
t 2 "-x"                                   "true" -       "invalid option -- 'x'"
t 2 "-t"                                   "true" -       "option requires an argument -- 't'"
t 2 "--mode"                               "true" -       "option '--mode' requires an argument"
t 2 "-t ''"                                "true" -       "load: bad table name: "
t 2 "-t x.y.z"                             "true" -       "load: bad table name: x.y.z"
t 2 "-m nope"                              "true" -       'load: --mode: "nope" is not append, truncate, upsert or insert-missing'
t 2 "--mode=Append"                        "true" -       'load: --mode: "Append" is not append'
t 2 "-b 0"                                 "true" -       'load: --batch: "0" is not a number of rows (1 to 100000000)'
t 2 "--batch x"                            "true" -       'load: --batch: "x" is not a number of rows'
t 2 "-b 100000001"                         "true" -       'load: --batch: "100000001" is not a number of rows'
t 2 "-b -5"                                "true" -       'load: --batch: "-5" is not a number of rows'
t 2 "--max-rejects x"                      "true" -       'load: --max-rejects: "x" is not a number of rows'
t 2 "--max-rejects 3"                      "true" -       "load: --max-rejects needs --rejects FILE: a rejected row must go somewhere"
t 2 "-k id"                                "true" -       "load: --key is for --mode upsert or insert-missing"
t 2 "-m append -k id"                      "true" -       "load: --key is for --mode upsert or insert-missing"
t 2 "-m truncate --key id"                 "true" -       "load: --key is for --mode upsert or insert-missing"
t 2 "-m upsert -k ''"                     "true" -       "load: --key: no column named"
t 2 "-m upsert -k ,"                      "true" -       "load: --key: no column named"
t 2 "--insert-only x"                      "true" -       "load: --insert-only is for --mode upsert (the other modes never update a row)"
t 2 "-m insert-missing --insert-only x"    "true" -       "load: --insert-only is for --mode upsert"
t 2 "a.rs b.rs"                            "true" -       "load: one stream at a time"
# a usage error prints the synopsis and where to read more
t 2 "-m nope"                              "true" -       "usage: load"
t 2 "-m nope"                              "true" -       "Try 'load --help' for more information."

# and the cases that pass the checks do reach the connection (exit 4),
# so that the table above is not passing for a load that cannot connect
t 4 "-m upsert -k id --insert-only x"      "true" -       "load: could not connect"
t 4 "--max-rejects 0"                      "true" -       "load: could not connect"

# -h and --version print to stdout, exit 0 and connect to nothing; an
# earlier rejects file named with them is not removed (load removes a
# stale one only when a load fails)
t 0 "--version"                            "true" "=load (sluice) 0.1.0"
t 0 "-h"                                   "true" -
echo old >"$T/rj.rs"
"$BIN/load" -r "$T/rj.rs" -h >/dev/null 2>&1
check "load -r FILE -h: exit 0, FILE stays" test "$(cat "$T/rj.rs")" = old
"$BIN/load" -r "$T/rj.rs" --version >/dev/null 2>&1
check "load -r FILE --version: FILE stays" test "$(cat "$T/rj.rs")" = old
