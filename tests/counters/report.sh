#!/bin/sh
# SPDX-License-Identifier: MIT
#
# report.sh BUILD: two small poll runs, the second with --trace, through
# scf-report and scf-compare: report.md has the counters table and (where
# tracefs can record) the Tail section with a share row per phase;
# scf-compare compares context switches per request on both sides.
set -u
. "$(dirname "$0")/../lib.sh"
build=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tools=$build/analysis

run() {	# run COMMIT ARGS...
	c=$1; shift
	"$build/poll/scf-bench" --workloads null --samples 3 --cycles 300 \
		--quiet --out "$tmp/$c/h" "$@" >"$tmp/$c.log" 2>&1
	tap $? "poll scf-bench${*:+ $*} exits 0" "$(tail -3 "$tmp/$c.log")"
}

run base
traced=1
if [ "$(id -u)" = 0 ] && [ -w /sys/kernel/tracing/instances ] &&
	grep -qw x86-tsc /sys/kernel/tracing/trace_clock 2>/dev/null; then
	run head --trace
else
	traced=0
	run head
fi
grep -q 'counters/req client:' "$tmp/base.log"
tap $? "the terminal has a counters line for the client"
grep -q 'counters/req shadow:' "$tmp/base.log"
tap $? "... and for the shadow"

"$tools/scf-report" "$tmp/head/h" >"$tmp/report.log" 2>&1
tap $? "scf-report exits 0" "$(tail -3 "$tmp/report.log")"
md=$tmp/head/h/report.md
for t in "## Counters per request" "| poll | spin | null | client |" \
	 "| poll | spin | null | shadow |" "context-switches"; do
	grep -qF -- "$t" "$md"
	tap $? "report.md has: $t"
done
if [ $traced = 1 ]; then
	for t in "## Tail" "### poll/null (spin)" "explained**" \
		 "| service |" "| notify_req |" "slowest requests"; do
		grep -qF -- "$t" "$md"
		tap $? "report.md has: $t"
	done
else
	tap_skip "no tracefs instance with x86-tsc here (root, mounted tracefs)" \
		"report.md has the Tail section"
fi

"$tools/scf-compare" "$tmp/base" "$tmp/head" >"$tmp/cmp" 2>&1
rc=$?
[ $rc -le 1 ]
tap $? "scf-compare runs (exit $rc)" "$(tail -3 "$tmp/cmp")"
for side in client shadow; do
	grep -q "null .*$side context-switches/req" "$tmp/cmp"
	tap $? "scf-compare compares $side context-switches/req"
done
tap_done
