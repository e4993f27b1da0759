#!/bin/sh
# SPDX-License-Identifier: MIT
#
# e2e_host.sh BUILD_DIR [CHECKER] - the ipi variant end to end on this
# host: every forwarded workload at small counts with the futex backend
# (the fallback where /dev/scf is absent), its labels in the table and
# the JSON, its doorbell counters and interrupt snapshots (CHECKER:
# check_kmod_result), and backend kmod refused with exit 2 when there is
# no device.  Prints TAP.
set -u
bench=${1:-build}/ipi/scf-bench
check=${2:-${1:-build}/vm/check_kmod_result}
. "$(dirname "$0")/../lib.sh"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT INT TERM

# "forwarded" is every forwarded workload the default run has.
want=$("$bench" --list | awk '$2 == "forward" && !/not in default/ { print $1 }' |
	sort | tr '\n' ' ')
"$bench" --backend futex --workloads forwarded --samples 1 --cycles 30 \
	--quiet --out "$out/r" >"$out/log" 2>&1
rc=$?
[ $rc -eq 0 ] && tap 0 "ipi e2e: futex, every forwarded workload, exit 0" ||
	{ tap 1 "ipi e2e: futex run exited $rc"; tail -5 "$out/log" | sed 's/^/   | /'; }
ran=$(sed -n 's|^ipi/\([a-z0-9-]*\).*backend futex (emulated).*|\1|p' "$out/log" |
	sed 's/^payload-.*/payload/' |
	sort -u | tr '\n' ' ')
[ -n "$want" ] && [ "$ran" = "$want" ] &&
	tap 0 "ipi e2e: table shows each (${want% }) as backend futex (emulated)" ||
	tap 1 "ipi e2e: workloads run: '$ran', expected '$want'"
blocks=$(grep -c '^ipi/' "$out/log")
clean=$(grep -c 'every stamp present and ordered: [0-9]* checked, 0 violations' "$out/log")
[ "$blocks" -gt 0 ] && [ "$clean" -eq "$blocks" ] &&
	tap 0 "ipi e2e: every stamp present and ordered in all $blocks runs" ||
	tap 1 "ipi e2e: stamps present and ordered in $clean of $blocks runs"
nj=0 bad=0
for j in $(find "$out/r" -name '*.json'); do
	nj=$((nj + 1))
	grep -q '"backend": *"futex"' "$j" && grep -q '"emulated": *true' "$j" &&
		grep -q 'futex doorbell stands in for the IPI' "$j" ||
		{ bad=$((bad + 1)); echo "   | $j"; }
done
[ $nj -eq "$blocks" ] && [ $bad -eq 0 ] &&
	tap 0 "ipi e2e: $nj result files say backend futex, emulated, and why" ||
	tap 1 "ipi e2e: $bad of $nj result files mislabelled ($blocks runs)"

# Every result's doorbell: each kick counted once, FUTEX_WAKE and no IPI
# of its own, the shadow CPU's CAL/RES recorded.
nj=0 bad=0
for j in $(find "$out/r/ipi" -name '*.json' | sort); do
	nj=$((nj + 1))
	"$check" --expect futex "$j" >"$out/check" 2>&1 ||
		{ bad=$((bad + 1)); grep '^not ok' "$out/check" | sed 's/^/   | /'; }
done
[ $nj -gt 0 ] && [ $bad -eq 0 ] &&
	tap 0 "ipi e2e: $nj results: doorbell counters add up (futex wakes, no IPI), CAL/RES recorded" ||
	tap 1 "ipi e2e: doorbell counters: $bad of $nj results fail"
grep -q '^  doorbell: .* FUTEX_WAKE' "$out/log" &&
	grep -q '^  interrupts: shadow CPU CAL' "$out/log" &&
	tap 0 "ipi e2e: the table shows the doorbell and interrupt lines" ||
	tap 1 "ipi e2e: no doorbell/interrupts line in the table"
# --idle: recorded; a bad value is one line and exit 2.
grep -q '"idle": *"poll"' "$(find "$out/r" -name null.json | head -1)" &&
	tap 0 "ipi e2e: config.idle poll recorded by default" ||
	tap 1 "ipi e2e: config.idle missing"
"$bench" --idle sometimes --workloads null >"$out/idle" 2>&1
rc=$?
[ $rc -eq 2 ] && [ "$(wc -l <"$out/idle")" -eq 1 ] &&
	tap 0 "ipi e2e: --idle sometimes: exit 2, '$(cat "$out/idle")'" ||
	tap 1 "ipi e2e: --idle sometimes: exit $rc"

if [ -e /dev/scf ]; then
	tap_skip "/dev/scf present" "ipi e2e: backend kmod without /dev/scf"
else
	"$bench" --backend kmod --workloads null --samples 1 --cycles 10 \
		--quiet >"$out/kmod" 2>&1
	rc=$?
	[ $rc -eq 2 ] && grep -q kmod "$out/kmod" &&
		tap 0 "ipi e2e: backend kmod without /dev/scf: exit 2, '$(head -1 "$out/kmod")'" ||
		tap 1 "ipi e2e: backend kmod without /dev/scf: exit $rc"
fi
tap_done
