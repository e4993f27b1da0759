#!/bin/sh
# tests/hardening/bench_cli.sh BUILD_DIR - scf-bench's command line: every
# refusal is one line naming what was wrong, exit 2, before anything runs
# (no peer measured, no file written, no INCOMPLETE mark: the run never
# started).  The CPUs, --root and --shadow are checked up front; a shadow
# that exits before it is ready (/bin/false) is named in one line too,
# and the run ends there, no sample taken.
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

# expect_unstarted WANT_TEXT ARGS...: as expect, into --out TMP/run, and
# that run has no INCOMPLETE mark and no result.
expect_unstarted() {
	rm -rf "$tmp/run"
	expect "$@" --out "$tmp/run"
	[ ! -e "$tmp/run/INCOMPLETE" ] &&
		[ -z "$(find "$tmp/run" -name '*.json' 2>/dev/null)" ]
	tap $? "  ... left no INCOMPLETE mark and no result" \
		"$(ls -R "$tmp/run" 2>&1 | head -5)"
}

ncpu=$(getconf _NPROCESSORS_ONLN)
expect_unstarted "--cpus 1,4095: this machine has CPUs 0-" $small --cpus 1,4095
expect_unstarted "--cpus 4095,0: this machine has CPUs 0-" $small --cpus 4095,0
expect_unstarted "--cpus 0,$ncpu: this machine has CPUs 0-$((ncpu - 1))" \
	$small --cpus "0,$ncpu"
expect_unstarted "--root is empty: name a directory" $small --root ''
expect_unstarted "--root $tmp/none: No such file or directory" \
	$small --root "$tmp/none"
expect_unstarted "--root $tmp/file: not a directory" $small --root "$tmp/file"
expect_unstarted "--shadow $tmp/none: No such file or directory" \
	$small --shadow "$tmp/none"
chmod 644 "$tmp/file"
expect_unstarted "--shadow $tmp/file: not executable" $small --shadow "$tmp/file"
expect_unstarted "--shadow $tmp: not a file" $small --shadow "$tmp"
expect_unstarted "--shadow is empty" $small --shadow ''
# Known wrong only once it runs: it exits before it says it is ready.
expect_unstarted "scf-shadow /bin/false exited before it was ready (exit status 1)" \
	$small --shadow /bin/false
# ... and nothing else runs either: no peer is measured beside it.
expect_unstarted "scf-shadow /bin/false exited before it was ready" \
	--workloads null,native-null --samples 1 --cycles 10 --quiet \
	--shadow /bin/false
# A peer-only run starts no shadow: a bad --shadow does not matter to it.
rm -rf "$tmp/run"
timeout 120 "$bench" --workloads native-null --samples 1 --cycles 10 --quiet \
	--shadow /bin/false --out "$tmp/run" >/dev/null 2>"$tmp/err"
rc=$?
[ "$rc" -eq 0 ] && [ -s "$tmp/run/peers/native-null.json" ] &&
	[ ! -e "$tmp/run/INCOMPLETE" ]
tap $? "a peer-only run with --shadow /bin/false runs (exit $rc)" "$(cat "$tmp/err")"
tap_done
