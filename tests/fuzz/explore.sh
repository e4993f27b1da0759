#!/bin/sh
# tests/fuzz/explore.sh BINARY NAME SECONDS - `make fuzz`: open-ended
# fuzzing of one libFuzzer target for SECONDS, from the committed seeds
# and a corpus kept between runs in build/fuzz/corpus/NAME/ (never in the
# tree).  The seed is libFuzzer's own (time-based): each run explores
# anew.  Ends with one line: seconds, executions, executions per second,
# coverage, corpus, and the crash files kept (build/fuzz/NAME-crash-*),
# to be fixed and committed under tests/fuzz/crashes/NAME/.  Exit status
# 1 if a crash, leak or timeout was found.
set -u
bin=$1 name=$2 secs=$3
here=$(dirname "$0")
out=$(dirname "$bin")
corpus=$out/corpus/$name
log=$out/$name.log
# The serve target's --root is made afresh for every input: on tmpfs,
# where there is one, that costs no journal.
shm=/dev/shm
if [ -d $shm ] && [ -w $shm ] && [ "$(stat -f -c %T $shm 2>/dev/null)" = tmpfs ]; then
	work=$(mktemp -d $shm/scf-fuzz.XXXXXX)
else
	work=$(mktemp -d)
fi
trap 'rm -rf "$work"' EXIT INT TERM
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export TMPDIR="$work"
mkdir -p "$corpus"

"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	-print_final_stats=1 -artifact_prefix="$out/$name-" \
	"$corpus" "$here/corpus/$name" >"$log" 2>&1
rc=$?
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
seed=$(sed -n 's/.*Seed: \([0-9]*\).*/\1/p' "$log" | head -1)
cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -1)
echo "fuzz/$name: ${secs} s, ${execs:-?} executions, ${rate:-?}/s," \
	"${cov:-no coverage line}, corpus $(ls "$corpus" | wc -l)," \
	"seed ${seed:-?}, log $log"
if [ $rc -ne 0 ]; then
	grep -E 'ERROR|SUMMARY|runtime error|fuzz_|==[0-9]+==' "$log" | head -10
	for f in "$out/$name"-crash-* "$out/$name"-leak-* \
		 "$out/$name"-timeout-* "$out/$name"-oom-*; do
		[ -e "$f" ] && echo "fuzz/$name: kept $f"
	done
	exit 1
fi
exit 0
