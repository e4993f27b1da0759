#!/bin/sh
# tests/integration/topology.sh VARIANT [BACKEND] - one shadow CPU serving
# two clients through the real scf-shadow, --topology spsc and mpsc, at
# small counts: exact call counts and the phase identity at depth 1 and
# 16, the shadow's served count is every call plus the set-up's and the
# baseline's parks, and no answer went to the wrong client (client i
# numbers its calls from i * 2^40, so a misrouted answer is a stray and
# scf-bench fails).  A
# client count beyond the slots, or a bad topology, is refused with one
# line and exit 2.
set -u
variant=$1
backend=${2:-auto}
build=${BUILD:-build}
bench=$build/$variant/scf-bench
check=$build/tests/check-result
S=2 N=64 C=2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
. "$(dirname "$0")/../lib.sh"

extra() {
	jq -r ".extra.$2 // \"none\"" "$1" 2>/dev/null || echo none
}

for t in spsc mpsc; do
	out=$tmp/out-$t
	"$bench" --workloads async-1,async-16 --clients $C --topology $t \
		--capacity 16 --samples $S --cycles $N --out "$out" \
		--backend "$backend" --commit test >"$tmp/log-$t" 2>&1
	rc=$?
	tap $rc "$variant/$backend $t: scf-bench with $C clients exits 0"
	[ $rc -eq 0 ] || sed 's/^/# /' "$tmp/log-$t"
	for d in 1 16; do
		f=$out/$variant/scale-$t-${C}c-$d.json
		"$check" "$f" --count $((S * N)) --identity \
			--phases total,queue,memsync,notify,service,wait_in_ring \
			>"$tmp/check" 2>&1
		tap_lines "$variant/$t depth $d: " "$tmp/check" $?
		[ "$(extra "$f" clients)" = $C ] &&
			[ "$(extra "$f" mpsc)" = "$([ $t = mpsc ] && echo 1 || echo 0)" ]
		tap $? "$variant/$t depth $d: result says $C clients, topology $t"
	done
	! grep -q "wrong client" "$tmp/log-$t"
	tap $? "$variant/$t: no answer routed to the wrong client"
	# 2 workloads x S x N calls, the set-up's one syncmap, and under
	# spsc one park per sample for its baseline (mpsc takes none: the
	# park's answer could reach another client)
	parks=0
	[ $t = spsc ] && parks=$((2 * S))
	want=$((2 * S * N + 1 + parks))
	served=$(grep -o 'served [0-9]*' "$tmp/log-$t" | tail -1 | cut -d' ' -f2)
	[ "${served:-x}" = $want ]
	tap $? "$variant/$t: the shadow served ${served:-none} (want $want)"
done

"$bench" --workloads async-1 --clients 99 --samples 1 --cycles 1 \
	--out "$tmp/bad" --quiet >"$tmp/log-bad" 2>&1
rc=$?
[ $rc -eq 2 ] && grep -q -- "--clients" "$tmp/log-bad"
tap $? "$variant: --clients 99 is refused (exit $rc)"
"$bench" --workloads async-1 --topology ring --samples 1 --cycles 1 \
	--out "$tmp/bad" --quiet >"$tmp/log-bad" 2>&1
rc=$?
[ $rc -eq 2 ] && grep -q -- "--topology" "$tmp/log-bad"
tap $? "$variant: --topology ring is refused (exit $rc)"
tap_done
