#!/bin/sh
# run/apps/latwrite_ratio.sh VARIANT:BACKEND... - scf-run's lat_write
# against scf-bench's write, interleaved: under scf-interleave, round i
# is scf-bench's write sample i and one scf-run process running lat_write
# for one sample (turns.c), on the same machine state.  Per variant: the
# median over rounds of lat_write's "Avg time delay per syscall" under
# scf-run, scf-bench's per-sample write p50 and mean, and the median of
# the per-round ratios (scf-run per call / scf-bench p50).
#
# Environment: BUILD (build), SAMPLES (10), CYCLES (10000), CPUS (1,0),
# RUN_ARGS (more scf-run options, e.g. --no-rewrite).
# Take the exclusive CPU lock around it when the figure is to be reported.
set -u
B=${BUILD:-build}
SAMPLES=${SAMPLES:-10}
CYCLES=${CYCLES:-10000}
CPUS=${CPUS:-1,0}
[ $# -gt 0 ] || { echo "usage: latwrite_ratio.sh VARIANT:BACKEND..." >&2; exit 2; }
work=$(mktemp -d /tmp/scf-lwratio.XXXXXX) || exit 1
trap 'rm -rf "$work"' EXIT
printf '%-6s %-8s %7s %14s %14s %14s %10s\n' variant backend rounds \
	scf-run_us bench_p50_us bench_mean_us ratio_p50
for vb in "$@"; do
	v=${vb%%:*} be=${vb#*:}
	[ -x "$B/$v/scf-run" ] || { echo "no $B/$v/scf-run" >&2; exit 2; }
	rm -rf "$work/$v" && mkdir -p "$work/$v"
	"$B/scf-interleave" \
		"$B/$v/scf-bench --workloads write --samples $SAMPLES --cycles $CYCLES --cpus $CPUS --backend $be --out $work/$v/res --quiet > $work/$v/bench.log 2>&1" \
		"i=0; while [ \$i -lt $SAMPLES ]; do i=\$((i + 1)); $B/$v/scf-run -q ${RUN_ARGS:-} --backend $be --cpus $CPUS -- $B/apps/lat_write $work/$v/lw.out 1 $CYCLES | grep 'Avg time delay' >> $work/$v/lw.txt; done" \
		|| { echo "$v: scf-interleave failed" >&2; cat "$work/$v/bench.log" >&2; exit 1; }
	python3 - "$v" "$be" "$work/$v/res/$v/write.json" "$work/$v/lw.txt" <<'PY'
import json, statistics as st, sys
v, be, wj, lw = sys.argv[1:5]
tot = json.load(open(wj))["phases"]["total"]
p50 = tot["sample_p50_ns"]
mean = tot["sample_means_ns"]
run = [float(l.split(":")[1].split()[0]) * 1e3 for l in open(lw)]
n = min(len(p50), len(run))
ratios = [run[i] / p50[i] for i in range(n)]
print("%-6s %-8s %7d %14.3f %14.3f %14.3f %10.2f" % (v, be, n,
      st.median(run) / 1e3, st.median(p50) / 1e3, st.median(mean) / 1e3,
      st.median(ratios)))
PY
done
