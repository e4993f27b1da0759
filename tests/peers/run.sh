#!/bin/sh
# tests/peers/run.sh BUILD WORKLOAD [--two-sided] [--wait-is W] [--variant V]
#                    [-- ARGS...]
#
# Run one peer baseline at small counts into a temporary results
# directory and check its JSON with check-result and peercheck (TAP).  uipi on a
# machine without UINTR must say why it is skipped and write nothing.
# --wait-is W: its config.wait must be W ("none": no policy recorded).
# ARGS go to scf-bench (e.g. --wait spin), that of variant V (default poll:
# a variant whose receivers cannot wait as ARGS ask refuses to run).
set -u
build=$1 wl=$2
shift 2
two= wait_is= variant=poll
while [ $# -gt 0 ]; do
	case $1 in
	--two-sided) two=--two-sided; shift;;
	--wait-is) wait_is=$2; shift 2;;
	--variant) variant=$2; shift 2;;
	--) shift; break;;
	*) echo "run.sh: unknown argument '$1'" >&2; exit 2;;
	esac
done
samples=2 cycles=50
out=$(mktemp -d /tmp/scf-peertest.XXXXXX) || exit 1
trap 'rm -rf "$out"' EXIT INT TERM
. "$(dirname "$0")/../lib.sh"

"$build/$variant/scf-bench" --workloads "$wl" --samples $samples \
	--cycles $cycles --out "$out" --quiet "$@" >"$out/log" 2>&1
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
	${wait_is:+--wait "$wait_is"} >"$out/check" 2>&1
tap_lines "peercheck: " "$out/check" $?
tap_done
