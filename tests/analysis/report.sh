#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/analysis/report.sh - scf-report on the fixture runs: one valid
# PNG and SVG per expected plot, report.md embedding every one of them,
# notes where a run lacks the data of a plot, nothing half-written.
# Where gnuplot is not installed, the plot checks are skipped and the
# report must say why.  TAP output.
set -u
TOOLS=${SCF_TOOLS:-build/analysis}
FIX=tests/fixtures/analysis/results
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
cp -r "$FIX"/. "$tmp/"
. "$(dirname "$0")/../lib.sh"
is_png() { head -c 8 "$1" | od -An -c | tr -d ' \n' | grep -q '211PNG\\r\\n032\\n'; }

# check_plots RUN NAME...: each plot a PNG (> 2 KiB) and an SVG, embedded
check_plots() {
	run=$1
	shift
	bad=""
	for p; do
		png="$run/plots/$p.png" svg="$run/plots/$p.svg"
		if ! is_png "$png" || [ "$(wc -c <"$png")" -lt 2048 ]; then
			bad="$bad $p.png"
		elif ! grep -q '<svg' "$svg" 2>/dev/null || ! grep -q '</svg>' "$svg"; then
			bad="$bad $p.svg"
		elif ! grep -qF "](plots/$p.png)" "$run/report.md"; then
			bad="$bad $p(not in report.md)"
		fi
	done
	extra=$(ls "$run/plots" | sed 's/\.\(png\|svg\)$//' | sort -u | grep -vxF "$(printf '%s\n' "$@")")
	if [ -z "$bad" ] && [ -z "$extra" ]; then
		tap 0 "$run: $# plots, each a valid PNG and SVG, all in report.md"
	else
		tap 1 "$run: plots" "bad:$bad" "unexpected: $extra"
	fi
}

run=$tmp/aaaaaaa/fixhost
"$TOOLS/scf-report" "$run" >"$tmp/out" 2>"$tmp/err"
rc=$?
if ! command -v gnuplot >/dev/null 2>&1; then
	[ $rc = 0 ] && tap 0 "no gnuplot: exit 0" || tap 1 "no gnuplot: exit 0"
	grep -q "no plots: gnuplot is not installed" "$run/report.md" &&
		tap 0 "no gnuplot: report.md says so" || tap 1 "no gnuplot: report.md says so"
	tap_skip "gnuplot not installed" "no PNG to check"
	tap_done
	exit
fi
[ $rc = 0 ] && [ ! -s "$tmp/err" ] && tap 0 "full run: exit 0, no notes" ||
	tap 1 "full run: exit 0, no notes" "exit $rc" "$(cat "$tmp/err")"
hists=$(cd "$run" && for f in */*.json; do d=${f%%/*}; w=${f#*/}; echo "hist-$d-${w%.json}"; done)
check_plots "$run" breakdown cdf-null cdf-write cdf-peers payload samples-write $hists
for t in "## Side by side: SCF against what a program would use instead" \
	 "| raw = pingpong " "| raw = futex " "io_uring SQPOLL write" \
	 "| ipi | futex (emulated) | null | 5 × 200 |" \
	 "| poll | copy | 1048576 |" "- ipi/null: ipi: /dev/scf not available"; do
	grep -qF -- "$t" "$run/report.md" && tap 0 "report.md has: $t" ||
		tap 1 "report.md has: $t"
done
find "$run" -name '*.tmp*' | grep -q . && tap 1 "no temporary files left" "$(find "$run" -name '*.tmp*')" ||
	tap 0 "no temporary files left"
cp "$run/report.md" "$tmp/first.md"
"$TOOLS/scf-report" "$run" >/dev/null 2>&1
cmp -s "$run/report.md" "$tmp/first.md" && tap 0 "regenerating gives the same report.md" ||
	tap 1 "regenerating gives the same report.md"

# a run without payload sweep, peers or probes: those plots become notes
run=$tmp/lean/host
mkdir -p "$run/poll-noprobes"
cp "$FIX/aaaaaaa/fixhost/poll-noprobes/null.json" "$run/poll-noprobes/"
"$TOOLS/scf-report" "$run" >"$tmp/out" 2>"$tmp/err"
[ $? = 0 ] && tap 0 "lean run: exit 0" || tap 1 "lean run: exit 0" "$(cat "$tmp/err")"
check_plots "$run" cdf-null hist-poll-noprobes-null
for t in "phase breakdown (mean ns) per variant and workload: skipped" \
	 "payload sweep: total latency against size, copy against map: skipped" \
	 "write: per-sample means of total: skipped" \
	 "| poll-noprobes/spin  | p50 ns         |     309 |         n/a |" \
	 "| wait = not recorded | cpu ns/req c+s |"; do
	grep -qF -- "$t" "$run/report.md" && tap 0 "lean report.md notes: $t" ||
		tap 1 "lean report.md notes: $t"
done

# gnuplot missing: a report all the same, saying why there are no plots
run=$tmp/2222222/fixhost
GNUPLOT=/nonexistent/gnuplot "$TOOLS/scf-report" "$run" >/dev/null 2>&1
[ $? = 0 ] && grep -q "no plots: gnuplot is not installed" "$run/report.md" &&
	[ ! -e "$run/plots/breakdown.png" ] && tap 0 "without gnuplot: report.md says so" ||
	tap 1 "without gnuplot: report.md says so"
tap_done
