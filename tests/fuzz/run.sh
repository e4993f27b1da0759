#!/bin/sh
# tests/fuzz/run.sh BINARY NAME SECONDS - one libFuzzer target in make test:
# replay every committed crash input (tests/fuzz/crashes/NAME/), then fuzz
# for SECONDS from the seed corpus (tests/fuzz/corpus/NAME/).  New corpus
# entries go to a temporary directory, never into the tree; a crash is
# kept as build/fuzz/NAME-crash-* to be committed under crashes/NAME/.
set -u
. "$(dirname "$0")/../lib.sh"
bin=$1 name=$2 secs=$3
here=$(dirname "$0")
seeds=$here/corpus/$name
crashes=$here/crashes/$name
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
# Leaks count as crashes; a sanitizer report must stop the run.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

if [ -d "$crashes" ] && [ -n "$(ls -A "$crashes")" ]; then
	n=$(ls "$crashes" | wc -l)
	"$bin" -runs=1 "$crashes"/* >"$work/replay.log" 2>&1
	rc=$?
	[ $rc -ne 0 ] && tail -20 "$work/replay.log" | sed 's/^/# /'
	tap $rc "$name: $n committed crash input(s) replayed without a crash"
else
	tap_skip "no crash found so far" "$name: committed crash inputs replayed"
fi

mkdir "$work/corpus"
# The serve target makes its --root here: gone with the rest, crash or not.
export TMPDIR="$work"
"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	-print_final_stats=1 -artifact_prefix="$work/" \
	"$work/corpus" "$seeds" >"$work/fuzz.log" 2>&1
rc=$?
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/fuzz.log")
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/fuzz.log")
cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$work/fuzz.log" | tail -1)
tap_diag "$name: ${execs:-?} executions, ${rate:-?}/s, ${cov:-no coverage line}," \
	"$(ls "$work/corpus" | wc -l) new corpus entries"
if [ $rc -ne 0 ]; then
	grep -E 'ERROR|SUMMARY|runtime error|==[0-9]+==' "$work/fuzz.log" | head -10 | sed 's/^/# /'
	for f in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
		[ -e "$f" ] || continue
		mkdir -p "$(dirname "$bin")"
		cp "$f" "$(dirname "$bin")/$name-$(basename "$f")"
		tap_diag "kept $(dirname "$bin")/$name-$(basename "$f")"
	done
fi
tap $rc "$name: ${secs} s of fuzzing from $(ls "$seeds" | wc -l) seeds without a crash"
tap_done
