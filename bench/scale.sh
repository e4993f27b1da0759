#!/bin/sh
# bench/scale.sh RUN_DIR VARIANT:BACKEND... - make bench WORKLOAD=scale:
# one syscall core serving 1, 2, 4 … clients (SCALE_CLIENTS) × depth 1,
# 4, 16, 64 × topology spsc and mpsc, through the real scf-shadow.  The
# clients are executor tasks of one thread on the client CPU (a two-CPU
# machine has no core per client), so the sweep needs no more than
# --cpus's two.  Results: RUN_DIR/<variant>/scale-<topology>-<N>c-<D>.json
# (calls/s, latency, doorbells and CPU per call); scf-report's design
# section reads them.
#
# Environment: BUILD, SAMPLES, CYCLES, CPUS, COMMIT, DIRTY (from make),
# SCALE_CLIENTS (default "1 2 4", each 1 to 8).
set -u
out=${1:?usage: scale.sh RUN_DIR VARIANT:BACKEND...}
shift
B=${BUILD:-build}
clients=${SCALE_CLIENTS:-1 2 4}
for c in $clients; do
	case $c in
	[1-8]) ;;
	*) echo "bench: SCALE_CLIENTS: '$c' is not a client count from 1 to 8"
	   exit 2;;
	esac
done
for vb in "$@"; do
	[ -x "$B/${vb%%:*}/scf-bench" ] || {
		echo "bench: unknown VARIANT '${vb%%:*}' (no $B/${vb%%:*}/scf-bench)"
		exit 2
	}
done
mkdir -p "$out" || exit 1
for vb in "$@"; do
	v=${vb%%:*}
	for t in spsc mpsc; do
		for c in $clients; do
			"$B/$v/scf-bench" --out "$out" --commit "${COMMIT:-unknown}" \
				--dirty "${DIRTY:-0}" --samples "${SAMPLES:-20}" \
				--cycles "${CYCLES:-10000}" --cpus "${CPUS:-1,0}" \
				--backend "${vb#*:}" --workloads async --capacity 64 \
				--clients "$c" --topology "$t" --quiet || exit 1
		done
	done
done
