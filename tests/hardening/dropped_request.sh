#!/bin/sh
# tests/hardening/dropped_request.sh BUILD_DIR BACKEND RING_BAD_INDEX - a
# request the shadow drops ends the run, whatever the backend: while
# `scf-bench --workloads write,read,stat,openclose` runs, a hostile writer
# (RING_BAD_INDEX, tests/hardening/ring_bad_index.c) garbles the index of
# a request the client pushed and the shadow has not popped.  The shadow
# pops it and drops it ("bad index"); the bench must then print one line
# naming the dropped request within 3 s (--call-timeout 1), exit 1, and
# leave no process behind.  A spinning shadow used to hide the drop: the
# poll build waited for ever.  Prints TAP.  Plain POSIX sh and busybox: it
# also runs in the VM test (tests/kmod/vm/init: backend kmod), where
# TAP_LIB names tests/lib.sh.
set -u
. "${TAP_LIB:-$(dirname "$0")/../lib.sh}"
build=$1
backend=$2
poke=$3
bench=$build/scf-bench
tmp=$(mktemp -d)
pid=
mkdir "$tmp/root"
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM

# Milliseconds since boot, to 10 ms (busybox's date has no %N).
now_ms() {
	read -r up _ </proc/uptime
	frac=${up#*.}
	echo $((${up%.*} * 1000 + ${frac#0} * 10))
}

# The scf-shadow whose parent is $1, from /proc (busybox has no pgrep).
child_shadow() {
	for st in /proc/[0-9]*/stat; do
		{ read -r line <"$st"; } 2>/dev/null || continue
		case $line in
		*"(scf-shadow) "?" $1 "*) st=${st#/proc/}; echo "${st%/stat}"; return ;;
		esac
	done
}

"$bench" --backend "$backend" --workloads write,read,stat,openclose \
	--samples 100 --cycles 100000 --quiet --call-timeout 1 \
	--root "$tmp/root" >"$tmp/out" 2>"$tmp/err" &
pid=$!
shadow=
i=0
while [ $i -lt 300 ] && [ -z "$shadow" ] && kill -0 "$pid" 2>/dev/null; do
	shadow=$(child_shadow "$pid")
	[ -z "$shadow" ] && sleep 0.1
	i=$((i + 1))
done
if [ -z "$shadow" ]; then
	tap 1 "$backend: scf-shadow came up" "$(cat "$tmp/err")"
	tap_done
	exit
fi

# The helper stops the shadow, garbles the index, continues it.
timeout 30 "$poke" "$shadow" >"$tmp/poke"
prc=$?
t0=$(now_ms)
tap $prc "$backend: a request's index garbled on the live ring: $(cat "$tmp/poke")"
seq=$(sed -n 's/^dropped request \([0-9][0-9]*\) .*/\1/p' "$tmp/poke")
[ -n "$seq" ] || seq=none

# 3 s is what the deadline promises, and what this asserts; the wait
# goes on to 20 s only so that a late exit is told from a hang.
while kill -0 "$pid" 2>/dev/null && [ $(($(now_ms) - t0)) -lt 20000 ]; do
	sleep 0.05
done
t1=$(now_ms)
if kill -0 "$pid" 2>/dev/null; then
	tap 1 "$backend: the bench ends after the drop" "still running after 20 s"
	kill -CONT "$shadow" 2>/dev/null
	kill "$pid"
	wait "$pid"
	pid=
	tap_done
	exit
fi
wait "$pid"
rc=$?
pid=
ms=$((t1 - t0))
tap $([ "$ms" -le 3000 ]; echo $?) "$backend: the run ends $ms ms after the drop (at most 3000)"
tap $([ "$rc" -eq 1 ]; echo $?) "$backend: exit 1 (got $rc)" "$(cat "$tmp/err")"
n=$(grep -c "request $seq was dropped" "$tmp/err")
tap $([ "$n" -eq 1 ]; echo $?) "$backend: one line names dropped request $seq ($n)" \
	"$(cat "$tmp/err")"
# The call: one of a sample's, a workload's setup call, or the park call
# that ends a sample, whichever the garbled request was.
grep -Eq "^scf-bench: ((write|read|stat|openclose)[a-z-]*: (call [0-9]+ of sample [0-9]+|a setup call)|the arena's syncmap call|the shadow's park call) timed out after 1 s waiting for the response: request $seq was dropped \(popped off the ring, never taken up\); scf-shadow \(pid $shadow\) is running$" "$tmp/err"
tap $? "$backend: the line names the call, the request, the drop and the shadow"
grep -q "^scf-shadow: served [0-9]* .*bad index 1, " "$tmp/err"
tap $? "$backend: the shadow counted one bad index (its own account of the drop)"
tap_diag "$(grep -E 'was dropped|bad index' "$tmp/err")"

# Nothing left: not the shadow, nothing serving this run's root.
left=$(left_behind "$shadow" "$tmp/root")
tap $([ -z "$left" ]; echo $?) "$backend: no process left behind${left:+ (left: $left)}"
tap_done
