#!/bin/sh
# tests/run.sh - run every test step, count its TAP results, and end with
# one line "N passed, N failed" for everything that ran.
#
# Each argument is name=command.  A step that prints TAP ("ok"/"not ok")
# lines counts each of them; "ok ... # SKIP" counts as skipped.  A step
# that prints none counts once, by its exit status.  A step that prints
# TAP but exits non-zero without any "not ok" also counts one failure.
set -u
export CMOCKA_MESSAGE_OUTPUT=TAP
pass=0 fail=0 skip=0
failed=""
log=$(mktemp)
trap 'rm -f "$log"' EXIT INT TERM

for step in "$@"; do
	name=${step%%=*}
	cmd=${step#*=}
	printf '== %s\n' "$name"
	sh -c "$cmd" >"$log" 2>&1
	rc=$?
	sed 's/^/   /' "$log"
	p=$(grep -cE '^ok ' "$log" | tr -d ' ')
	s=$(grep -cE '^ok .*# *(SKIP|skip)' "$log" | tr -d ' ')
	f=$(grep -cE '^not ok ' "$log" | tr -d ' ')
	p=$((p - s))
	if [ $((p + s + f)) -eq 0 ]; then
		if [ $rc -eq 0 ]; then p=1; else f=1; fi
	elif [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	[ "$f" -gt 0 ] && failed="$failed $name"
	printf '   -> %s: %d passed, %d failed, %d skipped (exit %d)\n' \
		"$name" "$p" "$f" "$s" "$rc"
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
done

[ -n "$failed" ] && echo "failed steps:$failed"
[ "$skip" -gt 0 ] && echo "$skip skipped (each says why above)"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
