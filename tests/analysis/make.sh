#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/analysis/make.sh - `make report` and `make compare` on stored
# results: commits given as short or full hashes, with -dirty, or not at
# all (the newest results), and the errors for unknown or ambiguous ones.
# TAP output.
set -u
MAKE=${MAKE:-make}
FIX=tests/fixtures/analysis/results
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
cp -r "$FIX"/. "$tmp/"
. "$(dirname "$0")/../lib.sh"
mk() { $MAKE --no-print-directory -s RESULTS="$tmp" "$@" >"$tmp/out" 2>&1; echo $?; }
has() { grep -qF -- "$1" "$tmp/out"; }

# the newest results by mtime
touch "$tmp/2222222"
[ "$(mk report)" = 0 ] && has "$tmp/2222222/fixhost/report.md" &&
	[ -s "$tmp/2222222/fixhost/report.md" ] && tap 0 "make report: newest results" ||
	tap 1 "make report: newest results" "$(cat "$tmp/out")"
[ "$(mk report COMMIT=aaaa)" = 0 ] && [ -s "$tmp/aaaaaaa/fixhost/report.md" ] &&
	tap 0 "make report COMMIT=<short prefix>" || tap 1 "make report COMMIT=<short prefix>" "$(cat "$tmp/out")"
[ "$(mk report COMMIT=aaaaaaa0123456789abcdef0123456789abcdef)" = 0 ] &&
	tap 0 "make report COMMIT=<full hash>" || tap 1 "make report COMMIT=<full hash>" "$(cat "$tmp/out")"
[ "$(mk report COMMIT=3333333-dirty)" = 0 ] && [ -s "$tmp/3333333-dirty/fixhost/report.md" ] &&
	tap 0 "make report COMMIT=<hash>-dirty" || tap 1 "make report COMMIT=<hash>-dirty" "$(cat "$tmp/out")"
[ "$(mk report COMMIT=9999999)" != 0 ] && has "no results for commit '9999999'" &&
	tap 0 "make report: unknown commit fails, saying so" ||
	tap 1 "make report: unknown commit fails, saying so" "$(cat "$tmp/out")"

# compare: HEAD defaults to the newest
touch "$tmp/2222222"
[ "$(mk compare BASE=1111111)" = 0 ] && has "BASE 1111111, HEAD 2222222" &&
	tap 0 "make compare BASE=: HEAD is the newest, no regression" ||
	tap 1 "make compare BASE=: HEAD is the newest" "$(cat "$tmp/out")"
[ "$(mk compare BASE=1111 HEAD=3333333)" != 0 ] &&
	has "make compare: significant regression (scf-compare exit 1)" &&
	has "HEAD 3333333-dirty" && tap 0 "make compare: a regression fails make" ||
	tap 1 "make compare: a regression fails make" "$(cat "$tmp/out")"
[ "$(mk compare BASE=2222222)" != 0 ] && has "BASE and HEAD are both" &&
	tap 0 "make compare: BASE = newest needs HEAD=" || tap 1 "make compare: BASE = newest needs HEAD=" "$(cat "$tmp/out")"
[ "$(mk compare)" != 0 ] && has "usage: make compare BASE=<commit>" &&
	tap 0 "make compare without BASE: usage" || tap 1 "make compare without BASE: usage"

# a hash with both a clean and a dirty results directory
mkdir "$tmp/1111111-dirty" && cp -r "$tmp/1111111/fixhost" "$tmp/1111111-dirty/"
[ "$(mk compare BASE=1111111abcdef HEAD=2222222)" = 0 ] && has "using $tmp/1111111 (say 1111111abcdef-dirty" &&
	tap 0 "clean and dirty: the clean one, with a note" ||
	tap 1 "clean and dirty: the clean one, with a note" "$(cat "$tmp/out")"
[ "$(mk compare BASE=1111111-dirty HEAD=2222222)" = 0 ] && has "BASE 1111111-dirty" &&
	tap 0 "BASE=<hash>-dirty picks the dirty one" || tap 1 "BASE=<hash>-dirty picks the dirty one" "$(cat "$tmp/out")"
mkdir -p "$tmp/1111abc/h/poll" && cp "$tmp/1111111/fixhost/poll/null.json" "$tmp/1111abc/h/poll/"
[ "$(mk compare BASE=1111 HEAD=2222222)" != 0 ] && has "'1111' is ambiguous" &&
	tap 0 "ambiguous prefix fails, saying so" || tap 1 "ambiguous prefix fails, saying so" "$(cat "$tmp/out")"
# NORMALIZE=1: a machine twice as slow is clean; without it, no regression
[ "$(mk compare BASE=b2a0001 HEAD=b2m0001 NORMALIZE=1)" = 0 ] &&
	has "normalized: each sample's value over the baseline" &&
	has "0 regressions, 0 improvements, 0 not comparable, 0 machine changed" &&
	tap 0 "make compare NORMALIZE=1: --normalize, clean" ||
	tap 1 "make compare NORMALIZE=1: --normalize, clean" "$(cat "$tmp/out")"
[ "$(mk compare BASE=b2a0001 HEAD=b2m0001)" = 0 ] && has "36 machine changed" &&
	tap 0 "make compare: machine changed is not a regression" ||
	tap 1 "make compare: machine changed is not a regression" "$(cat "$tmp/out")"
tap_done
