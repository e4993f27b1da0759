#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/analysis/baseline.sh - scf-compare and the per-sample baselines of
# scf-bench/2 fixtures: an A/A pair is clean; a delayed service regresses
# with and without --normalize; a machine twice as slow (baseline and
# phases x 2) is "machine changed" on every row without --normalize, and
# clean with it; files without baselines cannot be normalized.  TAP.
set -u
. tests/lib.sh
TOOLS=${SCF_TOOLS:-build/analysis}
FIX=tests/fixtures/analysis/results
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
cp -r "$FIX"/. "$tmp/"

# cmp_run BASE HEAD [OPTION]: scf-compare's exit status; table in $tmp/out
cmp_run() {
	"$TOOLS/scf-compare" "$tmp/$1" "$tmp/$2" ${3:-} >"$tmp/out" 2>"$tmp/err"
	echo $?
}
# the rows with a verdict: "variant workload phase verdict;"
moved() {
	awk '{ v = ($NF == "*") ? $(NF-1) : $NF }
	     v == "regression" || v == "improvement" { print $1, $3, $4, v }' \
		"$tmp/out" | sort | tr '\n' ';'
}
summary() { grep -E "^host fixhost: [0-9]+ rows compared" "$tmp/out"; }
is() { [ "$2" = "$3" ]; tap $? "$1"; [ "$2" = "$3" ] || tap_diag "got: $2" "want: $3"; }

delayed="ipi null service regression;ipi null total regression;ipi write service regression;ipi write total regression;poll null service regression;poll null total regression;poll write service regression;poll write total regression;"

for opt in "" --normalize; do
	how=${opt:-raw ns}
	is "A/A ($how): exit 0" "$(cmp_run b2a0001 b2a0002 "$opt")" 0
	is "A/A ($how): no verdict, no machine change" "$(moved)$(summary)" \
		"host fixhost: 36 rows compared, 0 regressions, 0 improvements, 0 not comparable, 0 machine changed"
	is "service +500 ns ($how): exit 1" "$(cmp_run b2a0001 b2d0001-dirty "$opt")" 1
	is "service +500 ns ($how): exactly service and total regress" "$(moved)" "$delayed"
done

# the machine twice as slow, every phase with it
is "machine x2 (raw ns): exit 0, not a regression" "$(cmp_run b2a0001 b2m0001)" 0
is "machine x2 (raw ns): summary" "$(summary)" \
	"host fixhost: 36 rows compared, 0 regressions, 0 improvements, 0 not comparable, 36 machine changed"
n=$(grep -cE "  machine changed \(baseline 1[01][0-9] → 2[12][0-9] ns\)$" "$tmp/out")
is "machine x2 (raw ns): every row says machine changed (baseline X → Y ns)" "$n" 36
j=$tmp/b2m0001/fixhost/compare.json
grep -q '"machine_changed": 36' "$j" && grep -q '"regressions": 0' "$j" &&
	[ "$(grep -c '"verdict": "machine changed"' "$j")" = 36 ]
tap $? "machine x2 (raw ns): compare.json has 36 rows machine changed, 0 regressions"
grep -q '"baseline_ns": {' "$j"
tap $? "compare.json: each row's baselines"
is "machine x2 (--normalize): exit 0" "$(cmp_run b2a0001 b2m0001 --normalize)" 0
is "machine x2 (--normalize): clean" "$(moved)$(summary)" \
	"host fixhost: 36 rows compared, 0 regressions, 0 improvements, 0 not comparable, 0 machine changed"
grep -q '"normalize": true' "$j" && grep -q '"normalized_p50_ns": {' "$j"
tap $? "compare.json (--normalize): normalize and the normalized p50s"

# without baselines (scf-bench/1): no machine check, and nothing to normalize
is "scf-bench/1, service +500 ns: still caught" "$(cmp_run 1111111 3333333-dirty)" 1
is "scf-bench/1 --normalize: exit 0" "$(cmp_run 1111111 3333333-dirty --normalize)" 0
n=$(grep -c "untested \*$" "$tmp/out")
is "scf-bench/1 --normalize: every row untested" "$n" 36
grep -qx "\* no baseline for every sample: not normalized, no U test" "$tmp/out"
tap $? "scf-bench/1 --normalize: says why"
tap_done
