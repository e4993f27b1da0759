#!/bin/sh
# run/apps/latwrite_ratio.sh VARIANT:BACKEND... - scf-run's lat_write
# against scf-bench's write, interleaved and replicated.  Per variant,
# REPLICAS scf-bench processes (write, --replica K/R) and REPLICAS series
# of scf-run processes (one lat_write sample each: turns.c) take turns
# under one scf-interleave, sample by sample: round i is sample i of
# every scf-bench replica and of every scf-run series, in the order
# bench 1, run 1, bench 2, run 2, ..., all on the same machine state.
# Each scf-run process runs two lat_write samples in its turn: the first
# pays the process's start (each syscall site's first trap and rewrite,
# cold caches and pages), so the second is its sample, as scf-bench's
# medians leave its own first sample's start out; a second line, "first",
# gives the same statistics on the first samples.
# The process is the unit: latwrite-stats takes per replica the median
# of its samples and prints the ratio of the medians over replicas,
# scf-run per call over scf-bench write p50 (the headline), with its 95 %
# bootstrap interval over replicas, and beside it wall per call against
# scf-bench's wall per call (its sample_wall_ns).  lat_write runs in its
# percall mode: each write() is also timed alone by the TSC, and the
# median per call (the timer's measured cost taken out) over scf-bench's
# p50 is the like-for-like line (a median over a median; the headline
# divides lat_write's mean by a median).  The Live means then include
# the timer's cost, which that line prints.
#
# Environment: BUILD (build), REPLICAS (3), SAMPLES (10), CYCLES (10000),
# CPUS (1,0), RUN_ARGS (more scf-run options, e.g. --no-rewrite),
# PERCALL (1; 0 runs lat_write without its per-call timer, so that the
# headline's mean carries no timer cost, and the like-for-like line is
# absent).
# Take the exclusive CPU lock around it when the figure is to be reported.
set -u
B=${BUILD:-build}
REPLICAS=${REPLICAS:-3}
SAMPLES=${SAMPLES:-10}
CYCLES=${CYCLES:-10000}
CPUS=${CPUS:-1,0}
case ${PERCALL:-1} in
1) percall=percall ;;
0) percall= ;;
*) echo "latwrite_ratio.sh: PERCALL '$PERCALL' is not 0 or 1" >&2; exit 2 ;;
esac
usage() { echo "usage: [REPLICAS=R] latwrite_ratio.sh VARIANT:BACKEND..." >&2; exit 2; }
[ $# -gt 0 ] || usage
case $REPLICAS in ''|*[!0-9]*) echo "latwrite_ratio.sh: bad REPLICAS '$REPLICAS'" >&2; exit 2;; esac
[ "$REPLICAS" -ge 1 ] && [ "$REPLICAS" -le 32 ] || { echo "latwrite_ratio.sh: REPLICAS '$REPLICAS' not in 1..32" >&2; exit 2; }
for x in "$B/scf-interleave" "$B/apps/lat_write" "$B/apps/latwrite-stats"; do
	[ -x "$x" ] || { echo "latwrite_ratio.sh: no $x (make all)" >&2; exit 2; }
done
for vb in "$@"; do
	case $vb in *:?*) ;; *) usage;; esac
	[ -x "$B/${vb%%:*}/scf-run" ] || { echo "latwrite_ratio.sh: no $B/${vb%%:*}/scf-run" >&2; exit 2; }
done
work=$(mktemp -d /tmp/scf-lwratio.XXXXXX) || exit 1
trap 'rm -rf "$work"' EXIT
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-); $REPLICAS replicas x $SAMPLES samples x $CYCLES calls"
printf '%-14s %3s %5s %10s %10s %10s  %-22s  %s\n' variant:backend rep runs \
	run_ns bench_p50 bench_wall "run/p50 [95% over reps]" "run/wall [95%]"
for vb in "$@"; do
	v=${vb%%:*} be=${vb#*:}
	d=$work/$v
	rm -rf "$d" && mkdir -p "$d"
	set --
	k=0
	while [ $k -lt "$REPLICAS" ]; do
		k=$((k + 1))
		set -- "$@" \
			"$B/$v/scf-bench --workloads write --samples $SAMPLES --cycles $CYCLES --cpus $CPUS --backend $be --replica $k/$REPLICAS --out $d/b$k --quiet > $d/bench$k.log 2>&1" \
			"i=0; while [ \$i -lt $SAMPLES ]; do i=\$((i + 1)); $B/$v/scf-run -q ${RUN_ARGS:-} --backend $be --cpus $CPUS -- $B/apps/lat_write $d/lw$k.out 2 $CYCLES $percall > $d/lw$k.one 2>> $d/run$k.log || exit 1; grep -e 'Live: latency = .* usec 1\$' -e 'Per call p50: .* 1\$' $d/lw$k.one >> $d/lw$k.txt; grep -e 'Live: latency = .* usec 0\$' -e 'Per call p50: .* 0\$' $d/lw$k.one >> $d/lw$k.first; done"
	done
	"$B/scf-interleave" "$@" || {
		echo "$vb: scf-interleave failed" >&2
		tail -n 5 "$d"/bench*.log "$d"/run*.log >&2
		exit 1
	}
	set --
	k=0
	while [ $k -lt "$REPLICAS" ]; do
		k=$((k + 1))
		set -- "$@" "$d/b$k/$v/write.r$k.json"
	done
	k=0
	set -- "$@" --
	while [ $k -lt "$REPLICAS" ]; do
		k=$((k + 1))
		set -- "$@" "$d/lw$k.txt"
	done
	"$B/apps/latwrite-stats" "$vb" "$@" 2> "$d/stats.err" || { cat "$d/stats.err" >&2; exit 1; }
	cat "$d/stats.err"
	# The same bench replicas against each scf-run process's first sample.
	for x in "$@"; do
		case $x in *.txt) set -- "$@" "${x%.txt}.first";; *) set -- "$@" "$x";; esac
		shift
	done
	"$B/apps/latwrite-stats" "$vb first" "$@" 2>/dev/null || exit 1
done
