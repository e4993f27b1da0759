#!/bin/sh
# tests/integration/progress.sh VARIANT - scf-bench's progress on stderr:
# without a terminal one line per run, never one per sample; on a terminal
# (script(1) gives it one) the live line is redrawn for every sample.
set -u
. "$(dirname "$0")/../lib.sh"
variant=$1
build=${BUILD:-build}
bench=$build/$variant/scf-bench
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
# Two forwarded runs and one peer run, three samples each.
args="--workloads null,write,pipe --samples 3 --cycles 50 --root $tmp"

"$bench" $args >"$tmp/out" 2>"$tmp/err"
tap $? "no terminal: scf-bench exits 0"
runs=$(grep -cE '^scf-bench: \[[0-9]+/3\] ' "$tmp/err")
[ "$runs" -eq 3 ]
tap $? "no terminal: one progress line per run ($runs, want 3)"
per_sample=$(grep -c 'sample [0-9]' "$tmp/err")
blank=$(grep -c '^$' "$tmp/err")
[ "$per_sample" -eq 0 ] && [ "$blank" -eq 0 ]
tap $? "no terminal: no per-sample ($per_sample) or blank ($blank) lines"
[ "$runs" -eq 3 ] || sed 's/^/# /' "$tmp/err"

if ! command -v script >/dev/null 2>&1; then
	tap_skip "no script(1) for a terminal" "terminal: live line per sample"
else
	script -qec "$bench $args" /dev/null >"$tmp/tty" 2>&1
	tap $? "terminal: scf-bench exits 0"
	live=$(tr '\r' '\n' <"$tmp/tty" | grep -cE 'scf-bench: \[[0-9]+/3\] .* sample [1-3]/3$')
	[ "$live" -eq 9 ]
	tap $? "terminal: the live line shows every sample ($live, want 9)"
fi
tap_done
