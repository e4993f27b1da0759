#!/bin/sh
# tests/hardening/bench_signals.sh BUILD_DIR - signals during a forwarded
# run: Ctrl-C on the whole process group (scf-bench and its shadow both
# get SIGINT) and SIGINT to scf-bench alone are "interrupted", exit 130;
# never "scf-shadow died", never a "returned 0 (success)" for a call that
# never returned.
set -u
. "$(dirname "$0")/../lib.sh"
bench=$1/scf-bench
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM

# run_until_shadow: start a long run in its own process group, wait for
# its shadow to serve; sets pid and shadow (empty when it never came up)
run_until_shadow() {
	mkdir -p "$tmp/root"
	setsid "$bench" --workloads null --samples 100 --cycles 100000 \
		--quiet --root "$tmp/root" >"$tmp/out" 2>"$tmp/err" &
	pid=$!
	shadow=
	i=0
	while [ $i -lt 300 ] && [ -z "$shadow" ]; do
		shadow=$(pgrep -P "$pid" -x scf-shadow)
		[ -z "$shadow" ] && sleep 0.1
		i=$((i + 1))
	done
	sleep 0.5
}

# finish WHAT: wait (bounded) for the run, then check how it ended
finish() {
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 200 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid"
	rc=$?
	pid=
	tap $([ "$rc" -eq 130 ]; echo $?) "$1: exit 130 (got $rc)" "$(cat "$tmp/err")"
	grep -q "^scf-bench: interrupted$" "$tmp/err"
	tap $? "$1: says interrupted" "$(cat "$tmp/err")"
	! grep -q "died" "$tmp/err"
	tap $? "$1: no 'scf-shadow died'"
	! grep -q "returned 0 (success)" "$tmp/err"
	tap $? "$1: no 'returned 0 (success)'"
}

run_until_shadow
if [ -n "$shadow" ]; then
	/bin/kill -INT -- "-$pid"
	finish "SIGINT to the process group"
else
	tap 1 "scf-shadow came up" "$(cat "$tmp/err")"
fi
run_until_shadow
if [ -n "$shadow" ]; then
	kill -INT "$pid"
	finish "SIGINT to scf-bench"
else
	tap 1 "scf-shadow came up" "$(cat "$tmp/err")"
fi
tap_done
