#!/bin/sh
# tests/hardening/call_deadline.sh BUILD_DIR - the call deadline of
# scf-bench (one variant's build): a stopped shadow ends the run within
# --call-timeout with one line naming the call, the phase and the stopped
# shadow, exit 1; a slow call whose shadow runs (a service delay longer
# than the deadline) is not cut off.  Small counts: it asserts behaviour,
# not speed; the bounds are generous for a loaded machine.
set -u
. "$(dirname "$0")/../lib.sh"
build=$1
bench=$build/scf-bench
tmp=$(mktemp -d)
pid=
mkdir "$tmp/root" "$tmp/root2"
trap '[ -n "$pid" ] && kill -CONT $(pgrep -P "$pid") 2>/dev/null; [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM

# Start a long forwarded run, wait for its shadow, stop the shadow.
"$bench" --workloads null --samples 100 --cycles 100000 --quiet \
	--call-timeout 1 --root "$tmp/root" >"$tmp/out" 2>"$tmp/err" &
pid=$!
shadow=
i=0
while [ $i -lt 300 ] && [ -z "$shadow" ]; do
	shadow=$(pgrep -P "$pid" -x scf-shadow)
	[ -z "$shadow" ] && sleep 0.1
	i=$((i + 1))
done
if [ -z "$shadow" ]; then
	tap 1 "scf-shadow came up" "$(cat "$tmp/err")"
	tap_done
	exit
fi
sleep 0.5
kill -STOP "$shadow"
t0=$(date +%s)
# The deadline is 1 s; 20 s leaves room for a loaded machine.
i=0
while kill -0 "$pid" 2>/dev/null && [ $i -lt 200 ]; do
	sleep 0.1
	i=$((i + 1))
done
if kill -0 "$pid" 2>/dev/null; then
	tap 1 "a stopped shadow ends the run" "still running after 20 s"
	kill -CONT "$shadow"
	kill "$pid"
	wait "$pid"
	pid=
	tap_done
	exit
fi
wait "$pid"
rc=$?
pid=
kill -CONT "$shadow" 2>/dev/null
t1=$(date +%s)
tap $([ "$rc" -eq 1 ]; echo $?) "stopped shadow: exit 1 (got $rc, after $((t1 - t0)) s)" \
	"$(cat "$tmp/err")"
# The shadow sleeps (parked) between samples: the stop may land in a
# null call or in the park call that ends a sample.
grep -Eq "(null: call [0-9]+ of sample [0-9]+|the shadow's park call) timed out after 1 s waiting for .*; scf-shadow \(pid $shadow\) is stopped" "$tmp/err"
tap $? "the line names the call, the phase and the stopped shadow" "$(cat "$tmp/err")"
grep -q "returned 0 (success)" "$tmp/err"
tap $([ $? -ne 0 ]; echo $?) "no 'returned 0 (success)' for a call that never returned"
left=$(left_behind "$shadow" "$tmp/root")
tap $([ -z "$left" ]; echo $?) "the stopped shadow is stopped for good (killed), no process left behind${left:+ (left: $left)}"

# A slow call whose shadow keeps running: service delay 100 ms, deadline
# 50 ms (the pop itself must come within it, on a loaded machine too);
# every call answers.
"$bench" --workloads null --samples 1 --cycles 3 --quiet \
	--call-timeout 0.05 --service-delay-ns 100000000 --root "$tmp/root2" \
	>"$tmp/out2" 2>"$tmp/err2"
rc=$?
tap $([ "$rc" -eq 0 ]; echo $?) "a slow call with a running shadow is not cut off (exit $rc)" \
	"$(cat "$tmp/err2")"

for v in 0 -1 x 99999; do
	"$bench" --workloads null --call-timeout "$v" >"$tmp/o" 2>"$tmp/e"
	rc=$?
	[ "$rc" -eq 2 ] && [ "$(wc -l <"$tmp/e")" -eq 1 ] &&
		grep -q "bad value for --call-timeout: '$v'" "$tmp/e"
	tap $? "--call-timeout $v -> exit 2, one line (got $rc: $(head -1 "$tmp/e"))"
done
tap_done
