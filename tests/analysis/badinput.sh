#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/analysis/badinput.sh - every bad input gives exactly one error
# line naming the file and the field, and exit 2, from both tools.
#
# Cases: tests/fixtures/analysis/bad/<case>.json, expected message in
# tests/fixtures/analysis/bad/expected.txt.  TAP output.
set -u
TOOLS=${SCF_TOOLS:-build/analysis}
FIX=tests/fixtures/analysis
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
. "$(dirname "$0")/../lib.sh"


# check LABEL RC STDERR-FILE EXPECTED: exit 2, one line, starting with
# EXPECTED (the parser's own words follow the position of bad JSON)
check() {
	lines=$(grep -c . "$3")
	got=$(cat "$3")
	case "$got" in "$4"*) match=1 ;; *) match=0 ;; esac
	if [ "$2" = 2 ] && [ "$lines" = 1 ] && [ $match = 1 ]; then
		tap 0 "$1"
	else
		tap 1 "$1" "exit $2 (want 2), $lines stderr lines (want 1)" \
			"got:  $got" "want: $4"
	fi
}

grep -v '^#' "$FIX/bad/expected.txt" | while IFS='|' read -r case msg; do
	run="$tmp/$case/results/bad/host"
	good="$tmp/$case/results/good/host"
	mkdir -p "$run/poll" "$good/poll"
	cp "$FIX/bad/$case.json" "$run/poll/null.json"
	cp "$FIX/results/1111111/fixhost/poll/null.json" "$good/poll/null.json"
	f="$run/poll/null.json"

	"$TOOLS/scf-report" "$run" >/dev/null 2>"$tmp/err"
	check "scf-report $case: $msg" $? "$tmp/err" "scf-report: $f: $msg"
	"$TOOLS/scf-compare" "$good" "$run" >/dev/null 2>"$tmp/err"
	check "scf-compare $case (HEAD)" $? "$tmp/err" "scf-compare: $f: $msg"
	[ ! -e "$run/report.md" ] && [ ! -e "$run/compare.json" ] &&
		tap 0 "$case: nothing written" || tap 1 "$case: nothing written" \
		"$(ls "$run")"
done

# missing files and directories
"$TOOLS/scf-report" "$tmp/none" >/dev/null 2>"$tmp/err"
check "scf-report: missing run directory" $? "$tmp/err" \
	"scf-report: $tmp/none: cannot read: No such file or directory"
mkdir -p "$tmp/emptyrun/poll"
"$TOOLS/scf-report" "$tmp/emptyrun" >/dev/null 2>"$tmp/err"
check "scf-report: run directory without results" $? "$tmp/err" \
	"scf-report: $tmp/emptyrun: no results (no <variant>/<workload>.json files)"
"$TOOLS/scf-compare" "$tmp/none" "$FIX/results/1111111" >/dev/null 2>"$tmp/err"
check "scf-compare: missing BASE" $? "$tmp/err" \
	"scf-compare: $tmp/none: cannot read: No such file or directory"
"$TOOLS/scf-compare" "$FIX/results/1111111" "$FIX/results/2222222/fixhost" >/dev/null 2>"$tmp/err"
check "scf-compare: commit against host directory" $? "$tmp/err" \
	"scf-compare: $FIX/results/2222222/fixhost is a host directory but $FIX/results/1111111 is not: give two results/<commit> or two results/<commit>/<host> directories"
"$TOOLS/scf-compare" a b --alpha 2 >/dev/null 2>"$tmp/err"
check "scf-compare: bad --alpha" $? "$tmp/err" \
	"scf-compare: --alpha: bad value '2' (want 1e-300..1)"
# a corrupt result in the side-by-side table: named, exit 2, nothing written
cp -r tests/fixtures/sidebyside/run "$tmp/sbs"
head -c 100 tests/fixtures/sidebyside/run/ipi/null.json >"$tmp/sbs/ipi/null.json"
# (the sanitizer build has no scf-sidebyside: the plain one then)
sbs=$TOOLS/scf-sidebyside
[ -x "$sbs" ] || sbs=build/analysis/scf-sidebyside
"$sbs" --out "$tmp/sbs.txt" "$tmp/sbs" >/dev/null 2>"$tmp/err"
check "scf-sidebyside: a corrupt result" $? "$tmp/err" \
	"scf-sidebyside: $tmp/sbs/ipi/null.json: "
[ ! -e "$tmp/sbs.txt" ] && tap 0 "scf-sidebyside: nothing written" ||
	tap 1 "scf-sidebyside: nothing written"

# a run compared with itself, however it is spelled
"$TOOLS/scf-compare" "$FIX/results/1111111" "$FIX/results/1111111/" >/dev/null 2>"$tmp/err"
check "scf-compare: a run with itself" $? "$tmp/err" \
	"scf-compare: $FIX/results/1111111 and $FIX/results/1111111/ are the same run: nothing to compare"
tap_done
