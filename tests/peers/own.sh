#!/bin/sh
# tests/peers/own.sh BUILD - a variant's own peers are in its scf-bench
# alone.  uintr's (variants/uintr/peer_*.c: uintr-pingpong, uintr-coalesce,
# uipi) are listed as its own and selected by 'own'; poll's and ipi's
# scf-bench neither list nor accept them and have no own ones, so a run
# there that asks for one stops with one line and writes nothing.  An
# every-variant make bench runs each variant's own peers with it, since the
# first variant, which runs the shared ones, has none of another's.  TAP.
set -u
build=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
out=$(mktemp -d /tmp/scf-ownpeers.XXXXXX) || exit 1
trap 'rm -rf "$out"' EXIT INT TERM

# The names --list marks as the variant's own, sorted, on one line.
own_of() {
	"$build/$1/scf-bench" --list 2>/dev/null |
		awk "/\\[the variant's own\\]/ { print \$1 }" | sort | paste -sd' '
}

got=$(own_of uintr)
[ "$got" = "uintr-coalesce uintr-pingpong uipi" ]
tap $? "uintr's scf-bench lists its own peers as its own" "got '$got'"

for v in poll ipi; do
	got=$(own_of $v)
	[ -z "$got" ]
	tap $? "$v's scf-bench has no own workloads" "got '$got'"

	got=$("$build/$v/scf-bench" --list 2>&1 | awk '{ print $1 }' |
		grep -xE 'uipi|uintr-pingpong|uintr-coalesce' | paste -sd' ')
	[ -z "$got" ]
	tap $? "$v's scf-bench does not list uintr's peers" "got '$got'"

	for w in uipi own; do
		"$build/$v/scf-bench" --workloads $w --samples 1 --cycles 10 \
			--out "$out/$v" >"$out/log" 2>&1
		rc=$?
		[ $rc = 2 ] && [ "$(wc -l <"$out/log")" = 1 ] &&
			grep -q "'$w'" "$out/log" && [ ! -e "$out/$v" ]
		tap $? "$v: --workloads $w exits 2 with one line, writes nothing" \
			"rc $rc: $(cat "$out/log")"
	done
done

# make bench with every variant: uintr's process runs its own peers.
make -n --no-print-directory bench VARIANT=all >"$out/make" 2>&1
grep -q "build/uintr/scf-bench .*--workloads [^ ]*forwarded,own" "$out/make"
tap $? "make bench VARIANT=all: uintr's scf-bench runs its own peers" \
	"$(grep -o "build/uintr/scf-bench .*--workloads [^ ]*" "$out/make" | head -1)"
tap_done
