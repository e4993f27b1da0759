#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/integration/wait.sh [BUILD] - the receivers' wait policy (--wait):
# every backend records its own, --wait is honoured by both receivers and
# the raw peer, and a policy a backend cannot wait by is refused with one
# line and exit 2.  Small runs; asserts counts and labels, never speed.
# Prints TAP.
set -u
build=${1:-build}
check=$build/tests/check-result
S=1 N=200
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
. "$(dirname "$0")/../lib.sh"

# run NAME VARIANT ARGS...: scf-bench into $tmp/NAME, its log beside
run() {
	name=$1 v=$2
	shift 2
	"$build/$v/scf-bench" --samples $S --cycles $N --out "$tmp/$name" \
		--quiet "$@" >"$tmp/$name.log" 2>&1
	rc=$?
	tap $rc "$name: scf-bench $v $* exits 0"
	[ $rc -eq 0 ] || sed 's/^/# /' "$tmp/$name.log"
}

# wait_is NAME FILE WANT: config.wait of the result
wait_is() {
	"$check" "$2" --count $((S * N)) --wait "$3" >"$tmp/check" 2>&1
	tap_lines "$1: " "$tmp/check" $?
}

# counter FILE KEY: the doorbell's sum of KEY (its first occurrence)
counter() {
	grep -o "\"$2\": *[0-9]*" "$1" | head -1 | sed 's/.*: *//'
}

# refused LABEL VARIANT ARGS...: exit 2 with one line naming WANT ($want)
refused() {
	label=$1 v=$2
	shift 2
	"$build/$v/scf-bench" --samples 1 --cycles 10 --workloads null \
		--quiet "$@" >"$tmp/refused" 2>&1
	rc=$?
	line=$(cat "$tmp/refused")
	[ $rc -eq 2 ] && [ "$(wc -l <"$tmp/refused")" -eq 1 ] &&
		case $line in *"$want"*) true;; *) false;; esac
	tap $? "$label: exit 2, one line naming '$want'" "exit $rc: $line"
}

# Each backend's own policy, recorded in the result and the table.
run poll poll --workloads null,pingpong
wait_is "poll default" "$tmp/poll/poll/null.json" spin
wait_is "pingpong peer" "$tmp/poll/peers/pingpong.json" spin
grep -q '^poll/null  backend spin, wait spin' "$tmp/poll.log"
tap $? "poll: the table labels the run 'wait spin'"
run ipi ipi --backend futex --workloads null,futex
wait_is "ipi/futex default" "$tmp/ipi/ipi/null.json" sleep
wait_is "futex peer default" "$tmp/ipi/peers/futex.json" sleep
wake=$(counter "$tmp/ipi/ipi/null.json" futex_wake)
[ "${wake:-0}" -gt 0 ]
tap $? "ipi/futex sleep: receivers sleep, kickers FUTEX_WAKE them ($wake wakes)"
run emul uintr --backend emul --workloads null,signal
wait_is "uintr/emul default" "$tmp/emul/uintr/null.json" sleep
wait_is "signal peer default" "$tmp/emul/peers/signal.json" sleep

# --wait spin: neither receiver ever sleeps, so no kick wakes anyone.
run spin ipi --backend futex --workloads null,futex --wait spin
wait_is "ipi/futex --wait spin" "$tmp/spin/ipi/null.json" spin
wait_is "futex peer --wait spin" "$tmp/spin/peers/futex.json" spin
kicks=$(counter "$tmp/spin/ipi/null.json" kicks)
wake=$(counter "$tmp/spin/ipi/null.json" futex_wake)
[ "${kicks:-0}" -ge $((2 * S * N)) ] && [ "${wake:-x}" = 0 ]
tap $? "ipi/futex --wait spin: $kicks kicks, $wake FUTEX_WAKE (both sides spun)"
grep -q '^ipi/null  backend futex (emulated), wait spin' "$tmp/spin.log"
tap $? "ipi/futex --wait spin: the table labels the run 'wait spin'"

# hybrid:N: recorded with its N, by SCF and both peers.
run hybrid ipi --backend futex --workloads null,futex --wait hybrid:5000
wait_is "ipi/futex --wait hybrid" "$tmp/hybrid/ipi/null.json" hybrid:5000
wait_is "futex peer --wait hybrid" "$tmp/hybrid/peers/futex.json" hybrid:5000
run ehybrid uintr --backend emul --workloads null,signal,uintr-pingpong \
	--wait hybrid:5000
wait_is "uintr/emul --wait hybrid" "$tmp/ehybrid/uintr/null.json" hybrid:5000
wait_is "signal peer --wait hybrid" "$tmp/ehybrid/peers/signal.json" hybrid:5000
wait_is "uintr-pingpong --wait hybrid" \
	"$tmp/ehybrid/peers/uintr-pingpong.json" hybrid:5000
run espin uintr --backend emul --workloads null --wait spin
wait_is "uintr/emul --wait spin" "$tmp/espin/uintr/null.json" spin

# What a backend cannot wait by, and what is no policy at all.
want="poll/spin cannot wait by 'sleep'"
refused "poll --wait sleep" poll --wait sleep
want="poll/spin cannot wait by 'hybrid:1000'"
refused "poll --wait hybrid:1000" poll --wait hybrid:1000
for bad in bogus hybrid:0 hybrid: hybrid:-5 hybrid:1x SPIN; do
	want="--wait: '$bad'"
	refused "--wait $bad" ipi --backend futex --wait "$bad"
done
"$build/ipi/scf-shadow" --wait nap --region-fd 0 --region-size 1 \
	--root "$tmp" >"$tmp/shadow" 2>&1
rc=$?
[ $rc -eq 2 ] && grep -q "wait: 'nap'" "$tmp/shadow"
tap $? "scf-shadow --wait nap: exit 2 naming it" "exit $rc: $(cat "$tmp/shadow")"
tap_done
