#!/bin/sh
# tests/peers/run.sh BUILD WORKLOAD [--two-sided]
#
# Run one peer baseline at small counts into a temporary results
# directory and check its JSON with check-result and peercheck (TAP).  uipi on a
# machine without UINTR must say why it is skipped and write nothing.
set -u
build=$1 wl=$2 two=${3:-}
samples=2 cycles=50
out=$(mktemp -d /tmp/scf-peertest.XXXXXX) || exit 1
trap 'rm -rf "$out"' EXIT INT TERM
. "$(dirname "$0")/../lib.sh"

"$build/poll/scf-bench" --workloads "$wl" --samples $samples \
	--cycles $cycles --out "$out" --quiet >"$out/log" 2>&1
rc=$?
sed 's/^/# /' "$out/log"
if [ $rc -ne 0 ]; then
	tap 1 "scf-bench --workloads $wl exited $rc"
	tap_done
	exit
fi
if [ "$wl" = uipi ] && ! grep -qw uintr /proc/cpuinfo; then
	why=$(sed -n 's/^peers\/uipi  skipped: //p' "$out/log")
	if [ -n "$why" ] && [ ! -e "$out/peers/uipi.json" ]; then
		tap_skip "$why" "uipi"
	else
		tap 1 "uipi without UINTR: no stated skip, or a result was written"
	fi
	tap_done
	exit
fi
case $wl in native-*) backend=native;; *) backend=$wl;; esac
# The common checks (blocks, histogram sums), then the peers' own.
"$build/tests/check-result" "$out/peers/$wl.json" --count $((samples * cycles)) \
	--phases total --backend $backend >"$out/check" 2>&1
tap_lines "check-result: " "$out/check" $?
"$build/tests/peercheck" "$out/peers/$wl.json" "$wl" $samples $cycles $two \
	>"$out/check" 2>&1
tap_lines "peercheck: " "$out/check" $?
tap_done
