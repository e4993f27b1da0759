#!/bin/sh
# SPDX-License-Identifier: MIT
#
# run.sh BUILD CASE: one small run of scf-bench and its counters checked
# by ctrcheck (the result reader).
#   futex   ipi/futex null: both sides sleep in every call, so each
#           switches context at least 0.9 times per request
#   poll    poll null: both sides spin, at most 0.01 switches per request
#           (in the quietest sample, see ctrcheck.c; 3 attempts)
#   denied  perf_event_open refused (SCF_PERF_DENY stands in for
#           kernel.perf_event_paranoid): one warning, the run completes
set -u
. "$(dirname "$0")/../lib.sh"
build=$1 case=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
check=$build/tests/ctrcheck

bench() {	# bench VARIANT ARGS...: into $tmp/out, log in $tmp/log
	v=$1; shift
	"$build/$v/scf-bench" --workloads null --quiet --out "$tmp/out" \
		--events context-switches,task-clock "$@" >"$tmp/log" 2>&1
	rc=$?
	tap "$rc" "$v scf-bench $* exits 0" "$(tail -3 "$tmp/log")"
}

case $case in
futex)
	# A kick that finds its peer still awake costs no switch; a loaded
	# machine makes that more common (one quietest sample read 0.85).  A
	# side that spins instead of sleeping switches near 0 in every
	# attempt.  Up to 3 attempts.
	for try in 1 2 3; do
		rm -rf "$tmp/out"
		bench ipi --backend futex --samples 5 --cycles 1000
		ok=0
		for side in client shadow; do
			"$check" "$tmp/out/ipi/null.json" $side context-switches \
				min 0.9 >"$tmp/tap.$side" || ok=1
		done
		[ $ok = 0 ] && break
		tap_diag "attempt $try: $(grep -h quietest "$tmp"/tap.* | tr '\n' ' ')"
	done
	for side in client shadow; do
		tap_lines "futex null: " "$tmp/tap.$side" 0
	done ;;
poll)
	# Other work on a loaded machine preempts a spinner (wake-up
	# preemption by every task woken on its CPU); a spinner that slept
	# would switch once per request in every attempt.  Up to 3 attempts.
	for try in 1 2 3; do
		rm -rf "$tmp/out"
		bench poll --samples 10 --cycles 5000
		ok=0
		for side in client shadow; do
			"$check" "$tmp/out/poll/null.json" $side context-switches \
				max 0.01 >"$tmp/tap.$side" || ok=1
		done
		[ $ok = 0 ] && break
		tap_diag "attempt $try: $(grep -h quietest "$tmp"/tap.* | tr '\n' ' ')"
	done
	for side in client shadow; do
		tap_lines "poll null: " "$tmp/tap.$side" 0
	done ;;
denied)
	SCF_PERF_DENY=1 bench poll --samples 2 --cycles 200
	"$check" --denied "$tmp/out/poll/null.json" >"$tmp/tap"
	tap_lines "perf refused: " "$tmp/tap" $?
	grep -c 'perf_event_paranoid' "$tmp/log" | grep -qx 1
	tap $? "the terminal says it once" "$(grep paranoid "$tmp/log")" ;;
*)
	echo "run.sh: unknown case '$case'"; exit 2 ;;
esac
tap_done
