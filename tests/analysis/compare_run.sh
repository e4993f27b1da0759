#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/analysis/compare_run.sh - `make compare-run` on two commits of the
# same code, in a scratch clone of this working tree (its uncommitted
# changes included): an A/A run comes out clean, a service delay on HEAD's
# side alone is a regression of service and total, a commit without the
# interleave support is refused, and compare-run-clean unregisters the
# worktree.  Small counts; TAP.
#
# 6 replicas a side, one sample each: scf-compare tests one value per
# process, and with the exact U test 3 a side cannot reach p < 0.01 (the
# smallest two-sided p is 2/20), 6 can, even with one pair swapped.
set -u
MAKE=${MAKE:-make}
. "$(dirname "$0")/../lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
repo=$tmp/repo
g() { git -C "$repo" -c user.name=test -c user.email=test@localhost "$@"; }
mk() {
	$MAKE --no-print-directory -s -C "$repo" "$@" >"$tmp/out" 2>&1
	echo $?
}
has() { grep -qF -- "$1" "$tmp/out"; }
small="VARIANT=poll WORKLOAD=null SAMPLES=6 REPLICAS=6 CYCLES=2000"

# the working tree as it is, committed in the clone, then a comment
git clone -q . "$repo" || { tap 1 "git clone of the working tree"; tap_done; exit 1; }
git ls-files -z -c -o --exclude-standard | tar --null -T - --ignore-failed-read -cf - 2>/dev/null |
	tar -xf - -C "$repo"
g add -A && g commit -q --allow-empty -m "the working tree" && base=$(g rev-parse --short HEAD)
echo "<!-- the same code, another commit -->" >>"$repo/README.md"
g commit -q -am "a comment" && head=$(g rev-parse --short HEAD)
host=$(hostname -s 2>/dev/null || hostname)
base_run=$repo/results/$base-cr-$head/$host
head_run=$repo/results/$head-cr-$base/$host
tap_diag "BASE $base, HEAD $head (same code)"

# A/A
rc=$(mk compare-run BASE="$base" $small)
[ "$rc" = 0 ] && has ", 0 regressions," && tap 0 "A/A: exit 0, 0 regressions" ||
	tap 1 "A/A: exit 0, 0 regressions" "exit $rc" "$(tail -n 15 "$tmp/out")"
[ -s "$base_run/poll/null.r1.json" ] && [ -s "$head_run/poll/null.r6.json" ] &&
	tap 0 "both result sets stored, tagged with the other commit" ||
	tap 1 "both result sets stored, tagged with the other commit" "$(ls -R "$repo/results")"
[ -e "$base_run/INCOMPLETE" ] || [ -e "$head_run/INCOMPLETE" ] &&
	tap 1 "no INCOMPLETE mark left" || tap 0 "no INCOMPLETE mark left"
group() { sed -n 's/.*"interleave_group": *"\([^"]*\)".*/\1/p' "$1" | head -n 1; }
gb=$(group "$base_run/poll/null.r1.json")
[ -n "$gb" ] && [ "$gb" = "$(group "$head_run/poll/null.r6.json")" ] &&
	tap 0 "both sides in one interleaved run ($gb)" ||
	tap 1 "both sides in one interleaved run" "base '$gb', head '$(group "$head_run/poll/null.r6.json")'"
grep -q "\"commit\": *\"$base\"" "$base_run/poll/null.r1.json" &&
	grep -q "\"commit\": *\"$head\"" "$head_run/poll/null.r1.json" &&
	tap 0 "each side records its own commit" || tap 1 "each side records its own commit"
[ -f "$repo/build/compare-run/$base/.git" ] &&
	g worktree list | grep -q "build/compare-run/$base " &&
	tap 0 "BASE checked out as a git worktree under build/compare-run/" ||
	tap 1 "BASE checked out as a git worktree under build/compare-run/" "$(g worktree list)"

# a delay in HEAD's shadow alone
rc=$(mk compare-run BASE="$base" $small HEAD_ARGS='--service-delay-ns 2000')
regressed() { grep -E "^poll +[^ ]+ +null +$1 .*regression" "$tmp/out" >/dev/null; }
[ "$rc" != 0 ] && has "make compare-run: significant regression (scf-compare exit 1)" &&
	tap 0 "HEAD +2000 ns service: make fails with scf-compare's regression" ||
	tap 1 "HEAD +2000 ns service: make fails with scf-compare's regression" "exit $rc" "$(tail -n 15 "$tmp/out")"
regressed service && regressed total &&
	tap 0 "HEAD +2000 ns service: service and total regress" ||
	tap 1 "HEAD +2000 ns service: service and total regress" "$(tail -n 15 "$tmp/out")"
grep -E -q '^poll +[^ ]+ +null +total .* 6/6r ' "$tmp/out" &&
	tap 0 "the rows compare the replicas, 6 a side" ||
	tap 1 "the rows compare the replicas, 6 a side" "$(grep -E '^poll .* total ' "$tmp/out")"
grep -q -- "--service-delay-ns" "$base_run/poll/null.r1.json" &&
	tap 1 "BASE ran without the delay" || tap 0 "BASE ran without the delay"

# bad input and a commit from before scf-interleave
old=$(g commit-tree "$(g mktree </dev/null)" -m "an empty tree")
rc=$(mk compare-run BASE="$old" $small)
[ "$rc" != 0 ] && [ "$(grep -c 'too old for an interleaved run' "$tmp/out")" = 1 ] &&
	! [ -e "$repo/build/compare-run/$(g rev-parse --short "$old")" ] &&
	tap 0 "a commit without the turn-taking scf-bench: refused in one line, nothing built" ||
	tap 1 "a commit without the turn-taking scf-bench: refused" "exit $rc" "$(cat "$tmp/out")"
rc=$(mk compare-run BASE=nonesuch $small)
[ "$rc" != 0 ] && has "BASE 'nonesuch' is not a commit" &&
	tap 0 "an unknown BASE: one line" || tap 1 "an unknown BASE: one line" "$(cat "$tmp/out")"
rc=$(mk compare-run $small)
[ "$rc" != 0 ] && has "usage: make compare-run BASE=<commit>" &&
	tap 0 "no BASE: usage" || tap 1 "no BASE: usage" "$(cat "$tmp/out")"

rc=$(mk compare-run-clean)
[ "$rc" = 0 ] && ! [ -e "$repo/build/compare-run" ] &&
	! g worktree list | grep -q compare-run &&
	tap 0 "compare-run-clean: worktree unregistered and removed" ||
	tap 1 "compare-run-clean: worktree unregistered and removed" "$(cat "$tmp/out")" "$(g worktree list)"
tap_done
