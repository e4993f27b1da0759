#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/analysis/quality.sh - scf-report shows, per scf-bench/2 result,
# probes, stamp cost, residual, baseline spread, wall gap and
# interference, the net phases beside the raw ones, and warns where the
# baseline drifted (naming the sample), the residual or the wall gap is
# past its limit, or another task ran; a clean run warns of nothing and
# an scf-bench/1 run has no such section.  TAP.
set -u
. tests/lib.sh
TOOLS=${SCF_TOOLS:-build/analysis}
FIX=tests/fixtures/analysis/results
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
cp -r "$FIX"/. "$tmp/"
has() { grep -qF -- "$2" "$1"; }

run=$tmp/b2r0001/fixhost
"$TOOLS/scf-report" "$run" >"$tmp/out" 2>"$tmp/err"
tap $? "scf-report of a /2 run: exit 0"
md=$run/report.md
has "$md" "## Measurement quality"
tap $? "report.md: a measurement quality section"
has "$md" "| poll/spin null | 1 in 1, 800 probed | 7.5 / 8.0 ns | +12.5 % |"
tap $? "report.md: probes every/probed, stamp cost, residual"
grep -Eq '^\| poll/spin null \|.*\| [0-9]+–[0-9]+ ns, spread 1\.[0-9]+ \| 7\.5 % \| \*\*yes\*\* \|$' "$md"
tap $? "report.md: baseline spread, wall gap max, interference"
has "$md" "- **poll/spin null**: baseline drifted: spread" &&
	grep -q 'baseline drifted: .* samples #3 ([0-9]* ns)$' "$md"
tap $? "report.md: drift warning naming sample #3 only"
has "$md" "- **poll/spin write**: residual of the net total +12.5 % (past ±10 %)"
tap $? "report.md: residual warning"
has "$md" "wall-clock gap up to 7.5 % (past 5 %)"
tap $? "report.md: wall gap warning"
has "$md" "1 sample: #5; ran: stress-ng[4242] on CPU 0 for 1250 µs"
tap $? "report.md: interference names the sample and what ran"
has "$md" "| result | total raw | total net | queue raw | queue net |"
tap $? "report.md: net phases beside the raw ones"
[ "$(grep -c '^| poll/spin \(null\|write\) | [0-9]* | [0-9]* | [0-9]* |' "$md")" = 2 ]
tap $? "report.md: one raw/net row per result"
grep -q "^poll/spin null: probes 1 in 1, 800 probed, stamp 7.5 / 8.0 ns, residual +12.5 %, baseline .*, wall gap max 7.5 %, interference yes$" "$tmp/out"
tap $? "terminal: the same facts per result"
grep -q "^  p50 raw/net ns: total [0-9]*/[0-9]* queue" "$tmp/out"
tap $? "terminal: raw/net phases"
[ "$(grep -c '^  warning: poll/spin' "$tmp/out")" = 8 ]
tap $? "terminal: 4 warnings per result"

run=$tmp/b2a0001/fixhost
"$TOOLS/scf-report" "$run" >"$tmp/out" 2>"$tmp/err"
tap $? "scf-report of a clean /2 run: exit 0"
has "$run/report.md" "## Measurement quality" && ! has "$run/report.md" "Warnings:" &&
	! grep -q "warning:" "$tmp/out"
tap $? "clean /2 run: the section, no warning"
grep -q "^ipi/futex (emulated) null: probes" "$tmp/out"
tap $? "terminal: an emulated backend is labelled"

run=$tmp/1111111/fixhost
"$TOOLS/scf-report" "$run" >"$tmp/out" 2>"$tmp/err"
tap $? "scf-report of a /1 run: exit 0"
! has "$run/report.md" "## Measurement quality" && ! grep -q "probes" "$tmp/out"
tap $? "/1 run: no quality section"
tap_done
