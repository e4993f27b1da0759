#!/bin/sh
# SPDX-License-Identifier: MIT
# tools/interleave/detector.sh - `make compare-run-detector`: how often
# make compare-run flags a change that is not there, and how often it
# flags one that is.
#
#   K A/A runs: the working tree against itself (CR_AA=1), so any
#   regression, improvement or "machine changed" is a false alarm.
#   KSLOW runs: HEAD's side alone with --service-delay-ns D, D = 10 % of
#   write's total p50 as the first A/A run measured it; detected when the
#   write total row says "regression".
#
# Environment: K, KSLOW, MAKE, DET_ARGS (compare-run's options given to
# make, as NAME=value words).  Exit 0 when every run ran (whatever the
# rates), 1 when one failed, 2 for bad K/KSLOW.  A/A: a flag is any
# regression, improvement or machine change.
set -u
case "$K$KSLOW" in *[!0-9]*|"") echo "compare-run-detector: K and KSLOW must be numbers" >&2; exit 2;; esac
[ "$K" -ge 1 ] || { echo "compare-run-detector: K must be at least 1" >&2; exit 2; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

# run N [HEAD_ARGS]: one A/A compare-run into $tmp/N; its exit status.
run() {
	# shellcheck disable=SC2086 # DET_ARGS are words
	$MAKE --no-print-directory -s compare-run BASE=HEAD CR_AA=1 \
		RESULTS="$tmp/r$1" $DET_ARGS ${2:+HEAD_ARGS="$2"} >"$tmp/out$1" 2>&1
}
# what N: "clean", "regression" (write total), or what else it said.
verdict() {
	awk '$3 == "write" && $4 == "total" { v = $NF }
	     /machine changed \(baseline/ { m = 1 }
	     /^host .* rows compared/ { r = $6 + $8; }
	     END { if (m) print "machine-changed"; else if (v == "regression") print "regression";
		   else if (r > 0) print "other-flag"; else print "clean" }' "$tmp/out$1"
}

# flagged N: the rows with a verdict, as " (variant workload phase
# verdict p-value; ...)", and the write total row's p-value and the
# smallest change it could have flagged.
flagged() {
	awk '{ v = ($NF == "*") ? $(NF-1) : $NF }
	     v == "regression" || v == "improvement" { f = f sep $1 " " $3 " " $4 " " v; sep = "; " }
	     $3 == "write" && $4 == "total" { w = "write total " $7 " p " $13 " detects " $14 }
	     END { printf " [%s%s%s]", f, f ? " | " : "", w }' "$tmp/out$1"
}

start=$(date +%s)
fa=0 det=0 d=""
i=1
while [ $i -le "$K" ]; do
	run "aa$i"
	rc=$?
	# make's status is 2 for a regression too: a run failed when
	# scf-compare never printed its summary.
	if ! grep -q '^host .* rows compared' "$tmp/outaa$i"; then
		echo "compare-run-detector: A/A run $i failed (exit $rc):" >&2
		tail -n 5 "$tmp/outaa$i" >&2
		exit 1
	fi
	v=$(verdict "aa$i")
	[ "$v" = clean ] || fa=$((fa + 1))
	if [ -z "$d" ]; then
		p50=$(awk '$3 == "write" && $4 == "total" { print $5; exit }' "$tmp/outaa$i")
		d=$(awk -v p="$p50" 'BEGIN { if (p > 0) printf "%d", p * 0.10 + 0.5 }')
		[ -n "$d" ] && [ "$d" -gt 0 ] || {
			echo "compare-run-detector: no write total p50 in the first A/A run (WORKLOAD must hold write)" >&2
			exit 1
		}
	fi
	echo "A/A $i/$K: $v$(flagged "aa$i")"
	i=$((i + 1))
done
i=1
while [ $i -le "$KSLOW" ]; do
	run "slow$i" "--service-delay-ns $d"
	rc=$?
	if ! grep -q '^host .* rows compared' "$tmp/outslow$i"; then
		echo "compare-run-detector: slowed run $i failed (exit $rc):" >&2
		tail -n 5 "$tmp/outslow$i" >&2
		exit 1
	fi
	v=$(verdict "slow$i")
	[ "$v" = regression ] && det=$((det + 1))
	echo "slowdown $i/$KSLOW (+$d ns service): $v$(flagged "slow$i")"
	i=$((i + 1))
done
echo "compare-run-detector: write total p50 $p50 ns, slowdown --service-delay-ns $d (10 %)"
echo "compare-run-detector: false alarms $fa of $K A/A runs; detected $det of $KSLOW slowed runs; $(( $(date +%s) - start )) s"
opts=$(echo $DET_ARGS)
echo "compare-run-detector: options: ${opts:-(compare-run's defaults)}"
