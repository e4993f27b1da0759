#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/analysis/report_ipi.sh SCF_REPORT RUN - report.md's "Woken by a
# real IPI" on the side-by-side fixture run: the ipi/kmod result (its
# calls split by the kernel's stamps) gets a row with its share, its idle
# and the IPI-woken p50s beside the pooled ones; the futex result and
# every other backend (no split measured) get none, not a zero.  TAP.
set -u
report=$1
fix=$2
. "$(dirname "$0")/../lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -p "$tmp/c0"
cp -r "$fix" "$tmp/c0/fixhost"
run=$tmp/c0/fixhost
"$report" "$run" >"$tmp/log" 2>&1
tap $? "scf-report on the fixture run" "$(tail -3 "$tmp/log")"
md=$run/report.md
grep -q '^## Woken by a real IPI$' "$md"
tap $? "report.md has the section"
# fixture: 45 of 50 sampled calls IPI-woken, total p50 2100 vs 2000,
# notify_req p50 950 vs 900, idle halt by default
grep -qxF '| ipi | kmod | null | halt (default) | 50 | 90.0% | 2100 | 2000 | 950 | 900 |' "$md"
tap $? "ipi/kmod row: share, idle, IPI-woken p50s beside the pooled ones" \
	"$(grep -A8 'Woken by a real IPI' "$md")"
rows=$(sed -n '/^## Woken by a real IPI$/,/^## /p' "$md" | grep -c '^| [a-z]')
tap $([ "$rows" -eq 2 ]; echo $?) "one row besides the header: the futex, poll and uintr results have none ($((rows - 1)))"
sed -n '/^## Woken by a real IPI$/,/^## /p' "$md" | grep -q 'futex'
tap $([ $? -ne 0 ]; echo $?) "no futex row (its split was not measured)"
tap_done
