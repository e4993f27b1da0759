#!/bin/sh
# tests/uintr/handler_check.sh OBJ... - the user-interrupt handler as the
# compiler built it, in each object given (plain and sanitized builds):
# it calls nothing (a callee could use registers the handler does not
# save, or be instrumented), touches no vector register, and returns with
# UIRET.  Prints TAP.
set -u
. "$(dirname "$0")/../lib.sh"

for obj in "$@"; do
	body=$(objdump -d "$obj" 2>/dev/null |
		awk '/<uintr_hw_handler>:/ { on = 1; next } on && /^$/ { exit } on')
	if [ -z "$body" ]; then
		tap 1 "$obj: uintr_hw_handler found"
		continue
	fi
	echo "$body" | grep -qE '[[:space:]]call' && r=1 || r=0
	tap $r "$obj: the handler calls no function"
	echo "$body" | grep -qE '%[xyz]mm' && r=1 || r=0
	tap $r "$obj: the handler uses no vector register"
	echo "$body" | grep -vE 'nop|xchg +%ax,%ax' | tail -1 | grep -q 'uiret'
	tap $? "$obj: the handler returns with UIRET"
done
tap_done
