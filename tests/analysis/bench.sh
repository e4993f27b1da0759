#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/analysis/bench.sh - `make bench VARIANT=poll` at small counts ends
# with report.md and valid PNGs on disk, one per expected plot, and the
# percentiles of its histograms agree with its exact ones.  The run goes
# to a scratch RUN_DIR (a command-line override of bench.mk's), so the
# user's results/ is left alone.  TAP.
set -u
MAKE=${MAKE:-make}
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; shift; for l; do echo "#   $l"; done; }
is_png() { head -c 8 "$1" | od -An -c | tr -d ' \n' | grep -q '211PNG\\r\\n032\\n'; }

out=$(mktemp)
tmp=$(mktemp -d)
trap 'rm -rf "$out" "$tmp"' EXIT INT TERM
$MAKE --no-print-directory bench VARIANT=poll SAMPLES=3 CYCLES=200 \
	RUN_DIR="$tmp/results/test/host" \
	WORKLOAD=null,write,payload,native-write,pingpong >"$out" 2>&1
rc=$?
run=$(sed -n 's/^bench: results in //p' "$out" | tail -n 1)
if [ $rc != 0 ] || [ -z "$run" ]; then
	notok "make bench VARIANT=poll" "exit $rc" "$(tail -5 "$out")"
	echo "1..$n"
	exit 1
fi
ok "make bench VARIANT=poll: results in $run"
grep -q "^scf-report: $run/report.md: " "$out" && [ -s "$run/report.md" ] &&
	ok "report.md written at the end of the run" || notok "report.md written at the end of the run"
if command -v gnuplot >/dev/null 2>&1; then
	want="breakdown cdf-null cdf-write cdf-peers payload samples-write"
	for f in "$run"/*/*.json; do
		v=${f%/*}; v=${v##*/}; w=${f##*/}
		want="$want hist-$v-${w%.json}"
	done
	bad=""
	for p in $want; do
		is_png "$run/plots/$p.png" && [ "$(wc -c <"$run/plots/$p.png")" -ge 2048 ] &&
			grep -qF "](plots/$p.png)" "$run/report.md" || bad="$bad $p"
	done
	[ -z "$bad" ] && ok "$(echo $want | wc -w) plots, each a valid PNG in report.md" ||
		notok "plots" "missing or invalid:$bad"
else
	n=$((n + 1)); echo "ok $n - # SKIP gnuplot not installed"
fi
${SCF_TEST_HIST:-build/tests/analysis-plain/test_hist} "$run" >"$out" 2>&1 &&
	ok "histogram percentiles agree with the exact ones" ||
	notok "histogram percentiles agree with the exact ones" "$(grep -v '^\[ *\(RUN\|OK\)' "$out" | head -5)"
echo "1..$n"
