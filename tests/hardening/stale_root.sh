#!/bin/sh
# tests/hardening/stale_root.sh BUILD_DIR - a run killed with SIGKILL
# leaves its /tmp/scf-root.<pid>.* behind; the next scf-bench removes it,
# and never the root of a run that is still alive.
set -u
. "$(dirname "$0")/../lib.sh"
build=$1
tmp=$(mktemp -d)
pid=
live=
trap '[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null; rm -rf "$tmp" "$live"' EXIT INT TERM

"$build/scf-bench" --workloads null --samples 100 --cycles 100000 --quiet \
	>/dev/null 2>"$tmp/err" &
pid=$!
i=0
while [ $i -lt 300 ] && [ -z "$(pgrep -P "$pid" -x scf-shadow)" ]; do
	sleep 0.1
	i=$((i + 1))
done
sleep 0.3
kill -KILL "$pid"
wait "$pid" 2>/dev/null
stale=$(ls -d /tmp/scf-root."$pid".* 2>/dev/null)
pid=
[ -n "$stale" ]
tap $? "SIGKILL leaves the run's root behind (the case to clean)" "$(cat "$tmp/err")"

# A root named for this shell, which is alive, must survive the sweep.
live=$(mktemp -d /tmp/scf-root.$$.XXXXXX)
touch "$live/file"

"$build/scf-bench" --workloads null --samples 1 --cycles 10 --quiet \
	>/dev/null 2>"$tmp/err"
rc=$?
[ -n "$stale" ] && [ ! -e "$stale" ]
tap $? "the next run removes the dead run's root (exit $rc)" "$stale: $(ls -la "$stale" 2>&1 | head -5)"
[ -e "$live/file" ]
tap $? "a live run's root is left alone"
tap_done
