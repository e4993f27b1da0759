#!/bin/sh
# tests/fuzz/run.sh BINARY NAME RUNS SEED - one libFuzzer target in make
# test, deterministic: replay every committed crash input
# (tests/fuzz/crashes/NAME/) and every seed (tests/fuzz/corpus/NAME/),
# then fuzz from the seeds with a fixed seed for a fixed number of runs.
# The same tree gives the same inputs every time, on any machine speed:
# no time limit decides the verdict.  (Open-ended fuzzing is `make fuzz`,
# tests/fuzz/explore.sh.)  New corpus entries go to a temporary
# directory, never into the tree; a crash is kept as
# build/fuzz/NAME-crash-* to be committed under crashes/NAME/.
set -u
. "$(dirname "$0")/../lib.sh"
bin=$1 name=$2 runs=$3 seed=$4
here=$(dirname "$0")
seeds=$here/corpus/$name
crashes=$here/crashes/$name
# The serve target's --root goes on tmpfs where there is one: no
# writeback there, whose moment no seed fixes.  (While inputs still shared
# one --root, two runs of 40000 on ext4 parted at the same input and two
# on tmpfs did not; with a fresh --root per input, both kept together.)
shm=/dev/shm
if [ -d $shm ] && [ -w $shm ] && [ "$(stat -f -c %T $shm 2>/dev/null)" = tmpfs ]; then
	work=$(mktemp -d $shm/scf-fuzz.XXXXXX)
else
	work=$(mktemp -d)
	tap_diag "$name: no tmpfs at $shm: --root on $(stat -f -c %T "$work"), whose" \
		"writeback may part two runs of one seed"
fi
trap 'rm -rf "$work"' EXIT INT TERM
# Leaks count as crashes; a sanitizer report must stop the run.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# The serve target makes its --root here: gone with the rest, crash or not.
export TMPDIR="$work"
# A hang guard only: one input takes milliseconds, so 60 s means stuck.
per_input=60

# replay DIR WHAT: run every file in DIR once; a TAP line for it.
replay() {
	if [ ! -d "$1" ] || [ -z "$(ls -A "$1")" ]; then
		tap_skip "none committed" "$name: $2 replayed"
		return
	fi
	n=$(ls "$1" | wc -l)
	"$bin" -runs=1 -timeout=$per_input "$1"/* >"$work/replay.log" 2>&1
	rc=$?
	[ $rc -ne 0 ] && tail -20 "$work/replay.log" | sed 's/^/# /'
	tap $rc "$name: $n $2 replayed without a crash"
}

replay "$crashes" "committed crash input(s)"
replay "$seeds" "corpus seed(s)"

mkdir "$work/corpus"
# No comparison feedback (-use_cmp=0): the operands of a pointer tested
# against NULL (heap, stack and mmap addresses, which move from run to
# run) would join the mutation dictionary, and one seed would no longer
# give one sequence of inputs.  No corpus reload (-reload=0): it runs on
# a timer.  `make fuzz` keeps both.
"$bin" -seed="$seed" -runs="$runs" -use_cmp=0 -reload=0 \
	-timeout=$per_input -rss_limit_mb=2048 \
	-print_final_stats=1 -artifact_prefix="$work/" \
	"$work/corpus" "$seeds" >"$work/fuzz.log" 2>&1
rc=$?
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/fuzz.log")
cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$work/fuzz.log" | tail -1)
tap_diag "$name: ${execs:-?} executions, ${cov:-no coverage line}," \
	"$(ls "$work/corpus" | wc -l) new corpus entries"
if [ $rc -ne 0 ]; then
	grep -E 'ERROR|SUMMARY|runtime error|fuzz_|==[0-9]+==' "$work/fuzz.log" | head -10 | sed 's/^/# /'
	for f in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
		[ -e "$f" ] || continue
		mkdir -p "$(dirname "$bin")"
		cp "$f" "$(dirname "$bin")/$name-$(basename "$f")"
		tap_diag "kept $(dirname "$bin")/$name-$(basename "$f")"
	done
fi
tap $rc "$name: $runs runs of seed $seed from $(ls "$seeds" | wc -l) seeds without a crash"
tap_done
