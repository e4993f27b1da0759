#!/bin/sh
# SPDX-License-Identifier: MIT
#
# check_symbols.sh FLAGS BINARY... - every binary built with the sanitizer
# FLAGS (FLAVOUR_FLAGS_asan in the top-level Makefile) must reference the
# runtime of each sanitizer that FLAGS names: a build whose flags were
# lost on the way (a fragment read before they were defined) links fine
# and runs fine, and only this check notices.  Prints TAP.
set -u
. "$(dirname "$0")/../lib.sh"

if [ $# -lt 2 ]; then
	echo "usage: check_symbols.sh FLAGS BINARY..." >&2
	exit 2
fi
flags=$1
shift

# The symbol each sanitizer's instrumentation makes a binary reference.
want=""
for f in $flags; do
	case $f in
	-fsanitize=*)
		for s in $(echo "${f#-fsanitize=}" | tr ',' ' '); do
			case $s in
			address)   want="$want __asan_init" ;;
			undefined) want="$want __ubsan_handle_" ;;
			thread)    want="$want __tsan_init" ;;
			leak)      want="$want __lsan_" ;;
			*) echo "check_symbols.sh: no known symbol for -fsanitize=$s" >&2
			   exit 2 ;;
			esac
		done ;;
	esac
done
if [ -z "$want" ]; then
	echo "check_symbols.sh: FLAGS name no sanitizer: '$flags'" >&2
	exit 2
fi

for b in "$@"; do
	if [ ! -r "$b" ]; then
		tap 1 "$b: not built"
		continue
	fi
	syms=$(nm "$b" 2>/dev/null)
	missing=""
	for w in $want; do
		printf '%s\n' "$syms" | grep -q " $w" || missing="$missing $w"
	done
	if [ -z "$missing" ]; then
		tap 0 "$b: references$want"
	else
		tap 1 "$b: lacks$missing (built without its sanitizer flags?)"
	fi
done
tap_done
