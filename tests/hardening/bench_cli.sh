#!/bin/sh
# tests/hardening/bench_cli.sh BUILD_DIR - scf-bench's command line: every
# refusal is one line naming what was wrong, exit 2, before anything runs
# (no peer measured, no file written).
set -u
. "$(dirname "$0")/../lib.sh"
bench=$1/scf-bench
variant=$(basename "$1")
tmp=$(mktemp -d)
root_poll_before=$([ -e "/$variant" ] && echo yes)
trap 'rm -rf "$tmp"; [ -z "$root_poll_before" ] && rm -rf "/$variant"' EXIT INT TERM
small="--workloads null --samples 1 --cycles 10 --quiet"

# expect WANT_TEXT ARGS...: exit 2 and exactly one line containing text
expect() {
	text=$1
	shift
	timeout 120 "$bench" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	lines=$(wc -l <"$tmp/err")
	grep -q -- "$text" "$tmp/err" && [ "$rc" -eq 2 ] && [ "$lines" -eq 1 ]
	tap $? "$(echo "$*" | sed "s|$tmp|TMP|g" | cut -c1-80) -> exit $rc, $lines line(s): '$(head -1 "$tmp/err" | cut -c1-120)'"
}

expect "--workloads '' selects no workload" --workloads ''
expect "--workloads ',' selects no workload" --workloads ,
expect "--workloads '-null' selects no workload" --workloads -null
expect "bad value for --dirty: 'yes'" $small --dirty yes
expect "bad value for --dirty: ''" $small --dirty ''
expect "unknown backend 'bogus' for variant $variant (have: auto " $small --backend bogus
expect "--out is empty" $small --out ''
[ ! -e "/$variant" ] || [ -n "$root_poll_before" ]
tap $? "--out '' wrote nothing into /$variant"
touch "$tmp/file"
expect "--out $tmp/file/results: cannot create: Not a directory" $small --out "$tmp/file/results"
long=$tmp/$(head -c 2100 /dev/zero | tr '\0' 'a')
expect "--out is 21[0-9][0-9] characters long; at most 1024" $small --out "$long"
# Accepted spellings of --dirty reach the next check (an empty --out).
expect "--out is empty" $small --dirty true --out ''
expect "--out is empty" $small --dirty 0 --out ''
tap_done
