#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/analysis/compare.sh - scf-compare on the fixture runs: exit codes
# 0/1/2, exactly the rows that moved, "not comparable", the few-samples
# warning, compare.json, the BASE-vs-HEAD plots.  TAP output.
set -u
TOOLS=${SCF_TOOLS:-build/analysis}
FIX=tests/fixtures/analysis/results
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
cp -r "$FIX"/. "$tmp/"
. "$(dirname "$0")/../lib.sh"
expect() { if [ "$2" = "$3" ]; then tap 0 "$1"; else tap 1 "$1" "got:  $2" "want: $3"; fi; }
cmp_run() { "$TOOLS/scf-compare" "$tmp/$1" "$tmp/$2" >"$tmp/out" 2>"$tmp/err"; echo $?; }
# the rows with a verdict: "variant workload phase verdict"
moved() { awk '$NF == "regression" || $NF == "improvement" || $(NF-1) == "regression" {print $1, $3, $4, ($NF == "*" ? $(NF-1) : $NF)}' "$tmp/out" | sort | tr '\n' ';'; }

# same distributions, other draws: no verdict at all
expect "same run twice: exit 0" "$(cmp_run 1111111 2222222)" 0
expect "same run twice: nothing moved" "$(moved)" ""
grep -q "36 rows compared, 0 regressions, 0 improvements, 0 not comparable" "$tmp/out" &&
	tap 0 "same run twice: summary line" || tap 1 "same run twice: summary line" "$(tail -3 "$tmp/out")"
[ -s "$tmp/2222222/fixhost/compare.json" ] && tap 0 "compare.json written into HEAD" ||
	tap 1 "compare.json written into HEAD"
ls "$tmp/2222222/fixhost/plots" >/dev/null 2>&1 && tap 1 "no plots when nothing moved" ||
	tap 0 "no plots when nothing moved"

# service + 500 ns: service and total regress, nothing else
expect "service +500 ns: exit 1" "$(cmp_run 1111111 3333333-dirty)" 1
want="ipi null service regression;ipi null total regression;ipi write service regression;ipi write total regression;poll null service regression;poll null total regression;poll write service regression;poll write total regression;"
expect "service +500 ns: exactly service and total regress" "$(moved)" "$want"
grep -q '"schema": "scf-compare/1"' "$tmp/3333333-dirty/fixhost/compare.json" &&
	grep -c '"verdict": "regression"' "$tmp/3333333-dirty/fixhost/compare.json" | grep -qx 8 &&
	tap 0 "compare.json: schema and 8 regressions" ||
	tap 1 "compare.json: schema and 8 regressions"
ls "$tmp/3333333-dirty/fixhost/"*.tmp* "$tmp/3333333-dirty/fixhost/plots/".tmp* >/dev/null 2>&1 &&
	tap 1 "no temporary files left" || tap 0 "no temporary files left"
if command -v gnuplot >/dev/null 2>&1; then
	np=$(ls "$tmp/3333333-dirty/fixhost/plots/"compare-*.png | wc -l)
	expect "one BASE-vs-HEAD plot per moved row" "$np" 8
	head -c 8 "$tmp/3333333-dirty/fixhost/plots/compare-poll-write-service.png" | od -An -c |
		tr -d ' \n' | grep -q '211PNG\\r\\n032\\n' && tap 0 "plot is a PNG" || tap 1 "plot is a PNG"
else
	tap_skip "gnuplot not installed" "plots"
fi
# the reverse is an improvement, and exit 0
expect "reverse: exit 0" "$(cmp_run 3333333-dirty 1111111)" 0
expect "reverse: improvements" "$(moved | tr ';' '\n' | grep -c improvement)" 8

# a higher threshold hides the 12-15 % ipi total change, not the poll one
"$TOOLS/scf-compare" "$tmp/1111111" "$tmp/3333333-dirty" --threshold 50 >"$tmp/out" 2>&1
expect "--threshold 50: exit 1" $? 1
expect "--threshold 50: ipi total no longer regresses" \
	"$(moved | tr ';' '\n' | grep -c 'ipi .* total')" 0
"$TOOLS/scf-compare" "$tmp/1111111" "$tmp/3333333-dirty" --alpha=1e-9 >"$tmp/out" 2>&1
expect "--alpha 1e-9: no row is that significant, exit 0" $? 0

# a phase of a few ns that moves by a few ns: not a verdict unless the
# move is also > threshold % of total
expect "queue +10 ns: exit 0" "$(cmp_run 1111111 7777777)" 0
expect "queue +10 ns: nothing moved at 5 %" "$(moved)" ""
"$TOOLS/scf-compare" "$tmp/1111111" "$tmp/7777777" --threshold 2 >"$tmp/out" 2>&1
expect "queue +10 ns, --threshold 2: exit 1" $? 1
expect "queue +10 ns, --threshold 2: poll null queue and total (3 % of total), not write (1.7 %) nor ipi (0.3 %)" \
	"$(moved)" "poll null queue regression;poll null total regression;"

# a configuration that differs is listed, never compared
expect "cycles differ: exit 0" "$(cmp_run 1111111 4444444)" 0
grep -qx "not comparable: poll/write: cycles 200 -> 300" "$tmp/out" &&
	tap 0 "cycles differ: not comparable" || tap 1 "cycles differ: not comparable" "$(cat "$tmp/out")"
grep -q "^poll  *spin  *write " "$tmp/out" && tap 1 "cycles differ: no rows for poll/write" ||
	tap 0 "cycles differ: no rows for poll/write"

# too few samples: compared, with a warning
expect "5 samples: still exit 1" "$(cmp_run 5555555 6666666)" 1
grep -qx "\* only 5/5 samples (< 8 per side): U test unreliable" "$tmp/out" &&
	tap 0 "5 samples: warning" || tap 1 "5 samples: warning"

# files on one side only, and host directories given directly
expect "host directories: exit 0" "$(cmp_run 1111111/fixhost aaaaaaa/fixhost)" 0
grep -q "only in HEAD: peers/pingpong" "$tmp/out" && tap 0 "only in HEAD listed" ||
	tap 1 "only in HEAD listed"
grep -q "not comparable: poll/null: samples 8 -> 5" "$tmp/out" &&
	tap 0 "samples differ: not comparable" || tap 1 "samples differ: not comparable"

# bad input: exit 2
expect "usage: exit 2" "$("$TOOLS/scf-compare" "$tmp/1111111" >/dev/null 2>&1; echo $?)" 2
expect "missing HEAD: exit 2" "$(cmp_run 1111111 nope)" 2
expect "unknown option: exit 2" "$("$TOOLS/scf-compare" --frob a b >/dev/null 2>&1; echo $?)" 2
tap_done
