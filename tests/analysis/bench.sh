#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/analysis/bench.sh - `make bench VARIANT=poll` at small counts ends
# with report.md and valid PNGs on disk, one per expected plot, and the
# percentiles of its histograms agree with its exact ones.  The run goes
# to a scratch RUN_DIR (a command-line override of bench.mk's), so the
# user's results/ is left alone.  TAP.
set -u
MAKE=${MAKE:-make}
. "$(dirname "$0")/../lib.sh"
is_png() { head -c 8 "$1" | od -An -c | tr -d ' \n' | grep -q '211PNG\\r\\n032\\n'; }

out=$(mktemp)
tmp=$(mktemp -d)
trap 'rm -rf "$out" "$tmp"' EXIT INT TERM
$MAKE --no-print-directory bench VARIANT=poll SAMPLES=4 CYCLES=200 REPLICAS=2 \
	RUN_DIR="$tmp/results/test/host" \
	WORKLOAD=null,write,payload,native-write,pingpong >"$out" 2>&1
rc=$?
run=$(sed -n 's/^bench: results in //p' "$out" | tail -n 1)
if [ $rc != 0 ] || [ -z "$run" ]; then
	tap 1 "make bench VARIANT=poll" "exit $rc" "$(tail -5 "$out")"
	tap_done
	exit 1
fi
tap 0 "make bench VARIANT=poll: results in $run"
[ -f "$run/poll/null.r1.json" ] && [ -f "$run/poll/null.r2.json" ] &&
	[ -f "$run/poll-noprobes/write.r2.json" ] && [ ! -e "$run/poll/null.r3.json" ] &&
	tr -d ' \n' <"$run/poll/null.r2.json" | grep -q '"replica":{"index":2,"of":2}' &&
	tap 0 "REPLICAS=2: two processes per configuration, each its own file" ||
	tap 1 "REPLICAS=2: two processes per configuration, each its own file" "$(ls "$run"/poll)"
grep -Eq '^  replicas, poll +null  p50: [0-9]+ [0-9]+; spread between' "$out" &&
	grep -Eq '^  probe cost, poll null  p50: .*(paired within rounds: [0-9.]+x, 95% interval [0-9.]+-[0-9.]+ over 2 replica pairs, [0-9]+ of [0-9]+ rounds in one state|95% interval [0-9.]+-[0-9.]+ over 2\+2 replicas|NOT a probe cost, the two were measured mostly in different machine states)' "$out" &&
	tap 0 "side by side: each replica's p50, their spread, the probe cost with its interval" ||
	tap 1 "side by side: each replica's p50, their spread, the probe cost with its interval" \
		"$(grep -E 'replicas,|probe cost' "$out")"
grep -Eq '^\| poll/null \| [0-9]+ [0-9]+ \| [0-9]+ \| [0-9.]+ % \| [0-9.]+ % \|' "$run/report.md" &&
	tap 0 "report.md: every configuration's replica p50s and spreads" ||
	tap 1 "report.md: every configuration's replica p50s and spreads" "$(grep -A8 '^## Replicas' "$run/report.md")"
grep -q "^scf-report: $run/report.md: " "$out" && [ -s "$run/report.md" ] &&
	tap 0 "report.md written at the end of the run" || tap 1 "report.md written at the end of the run"
if command -v gnuplot >/dev/null 2>&1; then
	want="breakdown cdf-null cdf-write cdf-peers payload samples-write"
	# Replicas (REPLICAS=2: null.r1.json, null.r2.json) pool into one
	# result, so one histogram plot.
	for f in "$run"/*/*.json; do
		v=${f%/*}; v=${v##*/}; w=${f##*/}; w=${w%.json}
		w=$(printf '%s' "$w" | sed 's/\.r[0-9]*$//')
		case " $want " in *" hist-$v-$w "*) ;; *) want="$want hist-$v-$w";; esac
	done
	bad=""
	for p in $want; do
		is_png "$run/plots/$p.png" && [ "$(wc -c <"$run/plots/$p.png")" -ge 2048 ] &&
			grep -qF "](plots/$p.png)" "$run/report.md" || bad="$bad $p"
	done
	[ -z "$bad" ] && tap 0 "$(echo $want | wc -w) plots, each a valid PNG in report.md" ||
		tap 1 "plots" "missing or invalid:$bad"
else
	tap_skip "gnuplot not installed" "plots"
fi
${SCF_TEST_HIST:-build/tests/analysis-plain/test_hist} "$run" >"$out" 2>&1 &&
	tap 0 "histogram percentiles agree with the exact ones" ||
	tap 1 "histogram percentiles agree with the exact ones" "$(grep -v '^\[ *\(RUN\|OK\)' "$out" | head -5)"
# The machine in another state under one side (its baselines x3): the
# probe cost and the ratios say so instead of dividing the states.
cp -r "$run" "$tmp/state"
for f in "$tmp"/state/poll-noprobes/*.json; do
	/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
d["baseline"]["p50_ns"]=[3*x for x in d["baseline"]["p50_ns"]]
json.dump(d,open(sys.argv[1],"w"))' "$f"
done
${SCF_SIDEBYSIDE:-build/analysis/scf-sidebyside} "$tmp/state" >"$out" 2>&1
grep -q '^  probe cost, poll null  p50: .*NOT a probe cost, the two were measured mostly in different machine states' "$out" &&
	tap 0 "baselines 3x apart: the probe cost line says it measured two machine states" ||
	tap 1 "baselines 3x apart: the probe cost line says it measured two machine states" "$(grep 'probe cost' "$out")"
for bad in 0 17 x; do
	$MAKE --no-print-directory -s bench VARIANT=poll WORKLOAD=null REPLICAS=$bad \
		RUN_DIR="$tmp/results/bad/host" >"$out" 2>&1
	rc=$?
	[ $rc != 0 ] && grep -q "^bench: REPLICAS='$bad' SAMPLES='20': want REPLICAS 1 to 16" "$out" &&
		! [ -e "$tmp/results/bad" ] &&
		tap 0 "REPLICAS=$bad: refused in one line, nothing run" ||
		tap 1 "REPLICAS=$bad: refused in one line, nothing run" "exit $rc" "$(cat "$out")"
done
tap_done
