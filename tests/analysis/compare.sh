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
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; shift; for l; do echo "#   $l"; done; }
expect() { if [ "$2" = "$3" ]; then ok "$1"; else notok "$1" "got:  $2" "want: $3"; fi; }
cmp_run() { "$TOOLS/scf-compare" "$tmp/$1" "$tmp/$2" >"$tmp/out" 2>"$tmp/err"; echo $?; }
# the rows with a verdict: "variant workload phase verdict"
moved() { awk '$NF == "regression" || $NF == "improvement" || $(NF-1) == "regression" {print $1, $3, $4, ($NF == "*" ? $(NF-1) : $NF)}' "$tmp/out" | sort | tr '\n' ';'; }

# same distributions, other draws: no verdict at all
expect "same run twice: exit 0" "$(cmp_run 1111111 2222222)" 0
expect "same run twice: nothing moved" "$(moved)" ""
grep -q "36 rows compared, 0 regressions, 0 improvements, 0 not comparable" "$tmp/out" &&
	ok "same run twice: summary line" || notok "same run twice: summary line" "$(tail -3 "$tmp/out")"
[ -s "$tmp/2222222/fixhost/compare.json" ] && ok "compare.json written into HEAD" ||
	notok "compare.json written into HEAD"
ls "$tmp/2222222/fixhost/plots" >/dev/null 2>&1 && notok "no plots when nothing moved" ||
	ok "no plots when nothing moved"

# service + 500 ns: service and total regress, nothing else
expect "service +500 ns: exit 1" "$(cmp_run 1111111 3333333-dirty)" 1
want="ipi null service regression;ipi null total regression;ipi write service regression;ipi write total regression;poll null service regression;poll null total regression;poll write service regression;poll write total regression;"
expect "service +500 ns: exactly service and total regress" "$(moved)" "$want"
grep -q '"schema": "scf-compare/1"' "$tmp/3333333-dirty/fixhost/compare.json" &&
	grep -c '"verdict": "regression"' "$tmp/3333333-dirty/fixhost/compare.json" | grep -qx 8 &&
	ok "compare.json: schema and 8 regressions" ||
	notok "compare.json: schema and 8 regressions"
ls "$tmp/3333333-dirty/fixhost/"*.tmp* "$tmp/3333333-dirty/fixhost/plots/".tmp* >/dev/null 2>&1 &&
	notok "no temporary files left" || ok "no temporary files left"
if command -v gnuplot >/dev/null 2>&1; then
	np=$(ls "$tmp/3333333-dirty/fixhost/plots/"compare-*.png | wc -l)
	expect "one BASE-vs-HEAD plot per moved row" "$np" 8
	head -c 8 "$tmp/3333333-dirty/fixhost/plots/compare-poll-write-service.png" | od -An -c |
		tr -d ' \n' | grep -q '211PNG\\r\\n032\\n' && ok "plot is a PNG" || notok "plot is a PNG"
else
	echo "ok $((n + 1)) - # SKIP gnuplot not installed"; n=$((n + 1))
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
	ok "cycles differ: not comparable" || notok "cycles differ: not comparable" "$(cat "$tmp/out")"
grep -q "^poll  *spin  *write " "$tmp/out" && notok "cycles differ: no rows for poll/write" ||
	ok "cycles differ: no rows for poll/write"

# too few samples: compared, with a warning
expect "5 samples: still exit 1" "$(cmp_run 5555555 6666666)" 1
grep -qx "\* only 5/5 samples (< 8 per side): U test unreliable" "$tmp/out" &&
	ok "5 samples: warning" || notok "5 samples: warning"

# files on one side only, and host directories given directly
expect "host directories: exit 0" "$(cmp_run 1111111/fixhost aaaaaaa/fixhost)" 0
grep -q "only in HEAD: peers/pingpong" "$tmp/out" && ok "only in HEAD listed" ||
	notok "only in HEAD listed"
grep -q "not comparable: poll/null: samples 8 -> 5" "$tmp/out" &&
	ok "samples differ: not comparable" || notok "samples differ: not comparable"

# bad input: exit 2
expect "usage: exit 2" "$("$TOOLS/scf-compare" "$tmp/1111111" >/dev/null 2>&1; echo $?)" 2
expect "missing HEAD: exit 2" "$(cmp_run 1111111 nope)" 2
expect "unknown option: exit 2" "$("$TOOLS/scf-compare" --frob a b >/dev/null 2>&1; echo $?)" 2
echo "1..$n"
