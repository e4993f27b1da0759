#!/bin/sh
# tests/integration/extended.sh VARIANT [BACKEND] - lat_write's three
# configurations, the asynchronous depth sweep and syncmap page by page
# against contiguous, at small counts, both
# memsync modes: exact call counts, the phase identity, wait_in_ring on
# every async call, batching (depth 1: one call per batch; depth 16: more),
# doorbells counted (none at all for a backend without one), and only the
# real write's bytes on disk (the other two configurations skip the call);
# syncmap-pages makes 16 calls a cycle where syncmap-range makes one.
set -u
variant=$1
backend=${2:-auto}
build=${BUILD:-build}
bench=$build/$variant/scf-bench
check=$build/tests/check-result
S=2 N=64
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
. "$(dirname "$0")/../lib.sh"

extra() {
	jq -r ".extra.$2 // \"none\"" "$1" 2>/dev/null || echo none
}

for ms in copy map; do
	out=$tmp/out-$ms root=$tmp/root-$ms
	mkdir -p "$root"
	"$bench" --workloads latwrite,async,syncmap-grain --capacity 64 --samples $S \
		--cycles $N --out "$out" --root "$root" --memsync $ms \
		--backend "$backend" --quiet --commit test >"$tmp/log-$ms" 2>&1
	rc=$?
	tap $rc "$variant/$backend memsync=$ms: scf-bench exits 0"
	[ $rc -eq 0 ] || sed 's/^/# /' "$tmp/log-$ms"
	dir=$out/$variant
	for wl in write write-noservice write-nomem; do
		"$check" "$dir/$wl.json" --count $((S * N)) --identity \
			--phases total,queue,memsync,notify,service \
			>"$tmp/check" 2>&1
		tap_lines "$variant/$ms: " "$tmp/check" $?
	done
	size=$(stat -c %s "$root/write-cfg.dat" 2>/dev/null || echo missing)
	[ "$size" = 0 ]
	tap $? "$variant/$ms: write-noservice and write-nomem wrote nothing (write-cfg.dat: $size bytes)"
	size=$(stat -c %s "$root/write.dat" 2>/dev/null || echo missing)
	[ "$size" = $((S * N)) ]
	tap $? "$variant/$ms: write wrote $size bytes (want $((S * N)))"
	for d in 1 4 16 64; do
		f=$dir/async-$d.json
		"$check" "$f" --count $((S * N)) --identity \
			--phases total,queue,memsync,notify,service,wait_in_ring \
			>"$tmp/check" 2>&1
		tap_lines "$variant/$ms: " "$tmp/check" $?
		[ "$(extra "$f" depth)" = "$d" ]
		tap $? "$variant/$ms: async-$d ran at depth $(extra "$f" depth)"
	done
	cpb1=$(extra "$dir/async-1.json" calls_per_batch)
	cpb16=$(extra "$dir/async-16.json" calls_per_batch)
	[ "$cpb1" = 1 ]
	tap $? "$variant/$ms: async-1 makes one call per batch (got $cpb1)"
	awk -v x="$cpb16" 'BEGIN { exit !(x > 1 && x <= 16) }'
	tap $? "$variant/$ms: async-16 batches calls, 1 < calls per batch <= 16 (got $cpb16)"
	db=$(extra "$dir/async-16.json" doorbells_per_call)
	case $(jq -r '.backend // .config.backend' "$dir/async-16.json" 2>/dev/null) in
	spin) awk -v x="$db" 'BEGIN { exit !(x == 0) }'
	      tap $? "$variant/$ms: no doorbell without one to ring (got $db)";;
	*)    awk -v x="$db" 'BEGIN { exit !(x > 0 && x <= 2) }'
	      tap $? "$variant/$ms: async-16 rings doorbells, at most 2 per call (got $db)";;
	esac
	for wl in syncmap-pages syncmap-range; do
		"$check" "$dir/$wl.json" --count $((S * N)) --identity \
			--phases total,queue,memsync,notify,service,local \
			>"$tmp/check" 2>&1
		tap_lines "$variant/$ms: " "$tmp/check" $?
	done
	[ $ms = copy ] || continue
	# The queue topologies need no shadow: once, with the copy run.
	out=$tmp/out-topo
	"$bench" --workloads topology --samples $S --cycles $N --out "$out" \
		--quiet --commit test >"$tmp/log-topo" 2>&1
	tap $? "$variant: the topology peers run"
	for t in spsc mpsc; do
		for c in 1 2 4; do
			f=$out/peers/ring-$t-$c.json
			"$check" "$f" --count $((S * N)) --phases total \
				>"$tmp/check" 2>&1
			tap_lines "$variant: " "$tmp/check" $?
			[ "$(extra "$f" clients)" = $c ] &&
				awk -v x="$(extra "$f" calls_per_s)" \
				'BEGIN { exit !(x > 0) }'
			tap $? "$variant: ring-$t-$c: $c clients, calls_per_s $(extra "$f" calls_per_s)"
		done
	done
	# --ring inline: the calls of one client in descriptors, no index ring
	out=$tmp/out-inline
	"$bench" --ring inline --workloads null,read,stat,fork,latwrite,async-16 \
		--samples $S --cycles $N --out "$out" --root "$root" \
		--memsync $ms --backend "$backend" --quiet --commit test \
		>"$tmp/log-inline" 2>&1
	tap $? "$variant/$ms: --ring inline runs"
	for wl in null write read stat write-noservice write-nomem; do
		f=$out/$variant/$wl.json
		"$check" "$f" --count $((S * N)) --identity \
			--phases total,queue,memsync,notify,service \
			>"$tmp/check" 2>&1
		tap_lines "$variant/$ms inline: " "$tmp/check" $?
		[ "$(jq -r .config.ring "$f")" = inline ]
		tap $? "$variant/$ms: $wl result says ring inline"
	done
	[ ! -e "$out/$variant/async-16.json" ] &&
		grep -q "async-16 skipped: an inline ring" "$tmp/log-inline"
	tap $? "$variant/$ms: async-16 is skipped on an inline ring, saying why"
	sv=$(grep -o 'served [0-9]*' "$tmp/log-$ms" | tail -1)
	tap_diag "$variant/$ms: shadow $sv"
done
tap_done
