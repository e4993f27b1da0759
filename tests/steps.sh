#!/bin/sh
# tests/steps.sh - run every test step, count its TAP results, and end with
# one line "N passed, N failed" for everything that ran.
#
# Each argument is name=command, or name@SECONDS=command to give that
# step its own time limit.  Every other step gets TEST_TIMEOUT seconds
# (default 600).  A step still running at its limit is sent SIGTERM, with
# its whole process group, and SIGKILL 10 s later; it then says "timed
# out after N s" and counts as failed.
#
# A step that prints TAP ("ok"/"not ok") lines counts each of them;
# "ok ... # SKIP" counts as skipped.  A step that prints none counts once,
# by its exit status.  A step that prints TAP but exits non-zero without
# any "not ok" also counts one failure.  Every step prints its seconds.
#
# TEST_ONLY, when set, is a space-separated list of shell patterns: only
# steps whose name matches one run (make test TEST_ONLY='scfrun/* vm'),
# and the summary says how many were left out.  Unset, every step runs.
set -u
export CMOCKA_MESSAGE_OUTPUT=TAP
: "${TEST_TIMEOUT:=600}"
KILL_AFTER=10

is_secs() {
	case $1 in
	''|*[!0-9]*) return 1 ;;
	esac
	[ "$1" -gt 0 ]
}

if ! is_secs "$TEST_TIMEOUT"; then
	echo "tests/steps.sh: TEST_TIMEOUT='$TEST_TIMEOUT' is not a positive number of seconds" >&2
	exit 2
fi
for step in "$@"; do
	name=${step%%=*}
	case $step in
	*=*) ;;
	*) echo "tests/steps.sh: step '$step' is not name=command" >&2; exit 2 ;;
	esac
	case $name in
	*@*)	if ! is_secs "${name#*@}"; then
			echo "tests/steps.sh: step '$name': '${name#*@}' is not a positive number of seconds" >&2
			exit 2
		fi ;;
	esac
done

wanted() {
	[ -z "${TEST_ONLY:-}" ] && return 0
	set -f		# the patterns are for step names, not files here
	for pat in $TEST_ONLY; do
		# shellcheck disable=SC2254
		case $1 in $pat) set +f; return 0 ;; esac
	done
	set +f
	return 1
}

pass=0 fail=0 skip=0 left_out=0
failed=""
log=$(mktemp)
trap 'rm -f "$log"' EXIT INT TERM
all_start=$(date +%s)

for step in "$@"; do
	name=${step%%=*}
	cmd=${step#*=}
	limit=$TEST_TIMEOUT
	case $name in
	*@*) limit=${name#*@} name=${name%%@*} ;;
	esac
	if ! wanted "$name"; then
		left_out=$((left_out + 1))
		continue
	fi
	printf '== %s\n' "$name"
	start=$(date +%s)
	timeout -k "$KILL_AFTER" "$limit" sh -c "$cmd" >"$log" 2>&1
	rc=$?
	secs=$(($(date +%s) - start))
	sed 's/^/   /' "$log"
	p=$(grep -cE '^ok ' "$log" | tr -d ' ')
	s=$(grep -cE '^ok .*# *(SKIP|skip)' "$log" | tr -d ' ')
	f=$(grep -cE '^not ok ' "$log" | tr -d ' ')
	p=$((p - s))
	# timeout(1) exits 124, or 137 when SIGKILL was needed; a step that
	# exits so by itself before its limit has not timed out.
	timed_out=0
	if { [ $rc -eq 124 ] || [ $rc -eq 137 ]; } && [ $secs -ge "$limit" ]; then
		timed_out=1
		f=$((f + 1))
	elif [ $((p + s + f)) -eq 0 ]; then
		if [ $rc -eq 0 ]; then p=1; else f=1; fi
	elif [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	[ "$f" -gt 0 ] && failed="$failed $name"
	if [ $timed_out -eq 1 ]; then
		how="timed out after $limit s"
	else
		how="exit $rc, $secs s"
	fi
	printf '   -> %s: %d passed, %d failed, %d skipped (%s)\n' \
		"$name" "$p" "$f" "$s" "$how"
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
done

[ -n "$failed" ] && echo "failed steps:$failed"
[ "$skip" -gt 0 ] && echo "$skip skipped (each says why above)"
[ "$left_out" -gt 0 ] && echo "$left_out steps left out by TEST_ONLY='$TEST_ONLY'"
echo "$(($# - left_out)) steps in $(($(date +%s) - all_start)) s"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
