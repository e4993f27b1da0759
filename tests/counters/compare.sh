#!/bin/sh
# SPDX-License-Identifier: MIT
#
# compare.sh BUILD: scf-compare and scf-report on fixed results with PMU
# counters (tests/fixtures/counters): instructions/request +20 % is a
# regression on both sides, context switches/request that did not move
# are none, and stay so under --normalize and on a machine whose baseline
# moved; the report's counters table has every event and the scale.
set -u
. "$(dirname "$0")/../lib.sh"
tools=$1/analysis
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r tests/fixtures/counters/. "$tmp/"

"$tools/scf-compare" "$tmp/8888888" "$tmp/9999999" >"$tmp/out" 2>&1
rc=$?
tap $((rc != 1)) "scf-compare exits 1 (a regression)" "exit $rc"
for side in client shadow; do
	grep -q "null .*$side instructions/req .* regression" "$tmp/out"
	tap $? "$side instructions/req: regression" "$(grep "$side instr" "$tmp/out")"
	grep -q "null .*$side context-switches/req .* none" "$tmp/out"
	tap $? "$side context-switches/req: none" "$(grep "$side context" "$tmp/out")"
	grep -q "$side cycles/req" "$tmp/out"
	tap $((!$?)) "$side cycles/req: not compared"
done
grep -q "2 regressions, 0 improvements" "$tmp/out"
tap $? "two regressions in all" "$(tail -1 "$tmp/out")"

# Counters count events, not ns: --normalize leaves their rows as they are
# (these results have no baseline, so every ns row is untested).
"$tools/scf-compare" --normalize "$tmp/8888888" "$tmp/9999999" >"$tmp/norm" 2>&1
for side in client shadow; do
	grep -q "null .*$side instructions/req .* regression" "$tmp/norm"
	tap $? "--normalize: $side instructions/req still a regression" \
		"$(grep "$side instr" "$tmp/norm")"
done
grep -q "null .*total .* untested" "$tmp/norm"
tap $? "--normalize without a baseline: the total row is untested"

# A machine twice as slow (every sample's baseline 100 -> 200 ns): the ns
# rows are set aside as machine changed, the counter rows keep their verdict.
for c in 8888888:100 9999999:200; do
	sed -i "1s/^{/{\"baseline\": {\"p50_ns\": [$(printf '%s,' ${c#*:} ${c#*:} \
		${c#*:} ${c#*:} ${c#*:} ${c#*:} ${c#*:})${c#*:}]},/" \
		"$tmp/${c%:*}/fixhost/poll/null.json"
done
"$tools/scf-compare" "$tmp/8888888" "$tmp/9999999" >"$tmp/mach" 2>&1
grep -q "null .*total .* machine changed" "$tmp/mach"
tap $? "baseline 100 -> 200 ns: the total row is machine changed" \
	"$(grep ' total ' "$tmp/mach")"
for side in client shadow; do
	grep -q "null .*$side instructions/req .* regression" "$tmp/mach"
	tap $? "machine changed: $side instructions/req still a regression" \
		"$(grep "$side instr" "$tmp/mach")"
done

"$tools/scf-report" "$tmp/9999999/fixhost" >"$tmp/rep" 2>&1
tap $? "scf-report exits 0" "$(tail -3 "$tmp/rep")"
md=$tmp/9999999/fixhost/report.md
for t in "| variant | backend | workload | side | instructions | context-switches | cycles | scale |" \
	 "| poll | spin | null | shadow |" " 1.25 |"; do
	grep -qF -- "$t" "$md"
	tap $? "report.md has: $t"
done
grep -q "^## Tail" "$md"
tap $((!$?)) "no Tail section without a trace"
tap_done
