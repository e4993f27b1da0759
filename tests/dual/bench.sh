#!/bin/sh
# tests/dual/bench.sh VARIANT [BACKEND] - scf-bench's dual workloads (fork,
# exec, clone) at small counts: exit 0, exact call counts, the identity
# with the local phase, and (probes on) every phase present.
set -u
variant=$1
backend=${2:-auto}
build=${BUILD:-build}
check=$build/tests/check-result
S=2 N=10
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
. "$(dirname "$0")/../lib.sh"

for dir in $variant $([ "$variant" = poll ] && echo poll-noprobes); do
	out=$tmp/out-$dir
	mkdir -p "$tmp/root-$dir"
	# --probe-every 1: every call's phases, and the identity, checked
	"$build/$dir/scf-bench" --workloads fork,exec,clone --samples $S \
		--probe-every 1 --cycles $N --out "$out" --root "$tmp/root-$dir" \
		--backend "$backend" --quiet --commit test >"$tmp/log" 2>&1
	rc=$?
	tap $rc "$dir: scf-bench fork,exec,clone exits $rc"
	[ $rc -eq 0 ] || sed 's/^/# /' "$tmp/log"
	for wl in fork exec clone; do
		if [ "$dir" = poll-noprobes ]; then
			"$check" "$out/$variant-noprobes/$wl.json" \
				--count $((S * N)) --phases total
		else
			"$check" "$out/$variant/$wl.json" --count $((S * N)) \
				--identity \
				--phases total,queue,memsync,notify,service,local
		fi >"$tmp/check" 2>&1
		tap_lines "$dir: " "$tmp/check" $?
	done
done
tap_done
