#!/bin/sh
# tests/integration/e2e.sh VARIANT [BACKEND] - every workload of a variant,
# both memsync modes, at small counts: schema-valid results, exact request
# counts, the phase identity, the write workload's bytes on disk, and the
# receivers' wait policy every result records: the backend's default, or
# WAIT_ARG (passed as --wait) and then WAIT_IS.
set -u
variant=$1
backend=${2:-auto}
build=${BUILD:-build}
bench=$build/$variant/scf-bench
check=$build/tests/check-result
S=2 N=50
case $variant in poll) def=spin;; *) def=sleep;; esac
wait_is=${WAIT_IS:-$def}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
. "$(dirname "$0")/../lib.sh"

for ms in copy map; do
	out=$tmp/out-$ms root=$tmp/root-$ms
	mkdir -p "$root"
	# --probe-every 1: every call's phases, and the identity, checked
	"$bench" --workloads forwarded --samples $S --cycles $N --out "$out" \
		--probe-every 1 \
		--root "$root" --memsync $ms --backend "$backend" --quiet \
		--commit test ${WAIT_ARG:+--wait "$WAIT_ARG"} >"$tmp/log-$ms" 2>&1
	rc=$?
	tap $rc "$variant/$backend memsync=$ms: scf-bench exits 0"
	[ $rc -eq 0 ] || sed 's/^/# /' "$tmp/log-$ms"
	dir=$out/$variant
	for wl in null write read openclose stat syncmap; do
		"$check" "$dir/$wl.json" --count $((S * N)) --identity \
			--phases total,queue,memsync,notify,service \
			--wait "$wait_is" >"$tmp/check" 2>&1
		tap_lines "$variant/$ms: " "$tmp/check" $?
	done
	size=$(stat -c %s "$root/write.dat" 2>/dev/null || echo 0)
	[ "$size" -eq $((S * N)) ]
	tap $? "$variant memsync=$ms: write.dat under --root holds $size bytes (want $((S * N)))"
	n=$(ls "$dir"/payload-*.json 2>/dev/null | wc -l)
	[ "$n" -eq 20 ]
	tap $? "$variant memsync=$ms: payload sweep stored 20 runs (got $n)"
done
tap_done
