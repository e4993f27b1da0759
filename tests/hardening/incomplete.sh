#!/bin/sh
# tests/hardening/incomplete.sh BUILD_DIR - the INCOMPLETE mark: none after
# a run that succeeded; the reason after one interrupted (SIGINT) and
# "has not finished" after one killed (SIGKILL); scf-report says so, and
# scf-compare refuses verdicts on it unless --allow-incomplete.
set -u
. "$(dirname "$0")/../lib.sh"
build=$1
tools=${SCF_TOOLS:-$(dirname "$build")/analysis}
[ -d "$tools" ] || tools=build/analysis
fix=tests/fixtures/analysis/results/1111111/fixhost
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
mkdir "$tmp/root"
run="$tmp/results/host"

"$build/scf-bench" --workloads null --samples 2 --cycles 50 --quiet \
	--root "$tmp/root" --out "$run" >/dev/null 2>"$tmp/err"
rc=$?
[ "$rc" -eq 0 ] && [ -s "$run/poll/null.json" ] && [ ! -e "$run/INCOMPLETE" ]
tap $? "a run that succeeds leaves results and no INCOMPLETE (exit $rc)" "$(cat "$tmp/err")"

# stop SIG: a long run into the same directory, stopped by SIG once its
# shadow serves
stop() {
	"$build/scf-bench" --workloads null --samples 100 --cycles 100000 \
		--quiet --root "$tmp/root" --out "$run" >/dev/null 2>"$tmp/err" &
	pid=$!
	i=0
	while [ $i -lt 300 ] && [ -z "$(pgrep -P "$pid" -x scf-shadow)" ]; do
		sleep 0.1
		i=$((i + 1))
	done
	sleep 0.3
	kill "-$1" "$pid"
	wait "$pid"
	pid=
}

stop KILL
grep -q "has not finished" "$run/INCOMPLETE" 2>/dev/null
tap $? "SIGKILL: INCOMPLETE says the run has not finished" "$(cat "$run/INCOMPLETE" 2>&1)"
rm -f "$run/INCOMPLETE"
stop INT
grep -q "interrupted (exit 130)" "$run/INCOMPLETE" 2>/dev/null
tap $? "SIGINT: INCOMPLETE gives the reason" "$(cat "$run/INCOMPLETE" 2>&1)"

"$tools/scf-report" "$run" >/dev/null 2>"$tmp/err"
grep -q "scf-report: $run is INCOMPLETE: .*interrupted" "$tmp/err" &&
	grep -q "INCOMPLETE run" "$run/report.md"
tap $? "scf-report says the run is INCOMPLETE (stderr and report.md)" "$(cat "$tmp/err")"

"$tools/scf-compare" "$fix" "$run" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
	grep -q "is INCOMPLETE (.*): no verdicts on it without --allow-incomplete" "$tmp/err"
tap $? "scf-compare refuses an INCOMPLETE run, exit 2 (got $rc)" "$(cat "$tmp/err")"
"$tools/scf-compare" --allow-incomplete "$fix" "$run" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" -ne 2 ] && grep -q "^note: $run is INCOMPLETE" "$tmp/out"
tap $? "scf-compare --allow-incomplete compares it and says so (exit $rc)" "$(cat "$tmp/err")"
tap_done
