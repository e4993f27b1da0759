#!/bin/sh
# tests/uintr/bench_e2e.sh BUILD_DIR - the uintr harness end to end with
# the emul backend: every workload at small counts, then checks of the
# stored results.  Prints TAP.
set -u
bin=${1:-build/uintr}/scf-bench
out=$(mktemp -d)
log=$out/log
trap 'rm -rf "$out"' EXIT INT TERM
. "$(dirname "$0")/../lib.sh"

timeout 300 "$bin" --backend emul --samples 1 --cycles 200 --workloads all --capacity 64 \
	--cpus 1,0 --out "$out/res" --quiet >"$log" 2>&1
rc=$?
[ $rc -ne 0 ] && sed 's/^/# /' "$log" | tail -20
tap $rc "scf-bench --backend emul, every workload, 1 x 200 calls"

fwd=$("$bin" --list 2>/dev/null | awk '$2 == "forward" && $1 != "payload" {print $1}')
miss=""
for w in $fwd payload-copy-8 payload-map-1048576; do
	[ -f "$out/res/uintr/$w.json" ] || miss="$miss $w"
done
[ -n "$fwd" ] && [ -z "$miss" ]
tap $? "a result for every forwarded workload${miss:+ (missing:$miss)}"

bad=$(grep -L '"backend":"emul"' "$out"/res/uintr/*.json 2>/dev/null)
[ -z "$bad" ] && ls "$out"/res/uintr/*.json >/dev/null 2>&1
tap $? "every forwarded result says backend emul"

bad=$(grep -L '"emulated":true' "$out"/res/uintr/*.json 2>/dev/null)
[ -z "$bad" ] && grep -q 'emulated (no UINTR: \|asked for emul' "$out/res/uintr/null.json"
tap $? "marked emulated, with the reason in warnings"

bad=$(grep -l '"violations":[1-9]' "$out"/res/uintr/*.json 2>/dev/null)
[ -z "$bad" ]
tap $? "every stamp present and ordered in every result${bad:+ (violated: $bad)}"

grep -q '"emulated":true' "$out/res/peers/uintr-pingpong.json" &&
	grep -q '"emulated":true' "$out/res/peers/uintr-coalesce.json"
tap $? "uintr peers stored (raw notification ping-pong, send cost), marked emulated"

line=$(grep 'uintr-coalesce: .* interrupts delivered per 1000' "$log")
[ -n "$line" ]
tap $? "coalescing figure printed"
[ -n "$line" ] && tap_diag "$line"

# auto (what make bench passes by default): emul where UINTR is missing,
# saying why; hw where it exists
timeout 60 "$bin" --backend auto --samples 1 --cycles 20 --workloads null \
	--cpus 1,0 >"$log" 2>&1
rc=$?
if grep -q 'backend hw' "$log"; then
	tap $rc "--backend auto picks hw (UINTR machine)"
else
	[ $rc -eq 0 ] && grep -q 'backend emul (emulated)' "$log" &&
		grep -q 'emulated (no UINTR: ' "$log"
	tap $? "--backend auto without UINTR: picks emul and says why"
fi
tap_diag "$(grep 'emulated (no UINTR: ' "$log" | head -1)"

# hw: runs where UINTR exists, else exit 2 with the reason
timeout 60 "$bin" --backend hw --samples 1 --cycles 10 --workloads null \
	--cpus 1,0 >"$log" 2>&1
rc=$?
if [ $rc -eq 2 ]; then
	grep -q "cannot run" "$log"
	tap $? "--backend hw where unsupported: exit 2, says so"
	sed 's/^/# /' "$log" | head -3
else
	tap $rc "--backend hw runs (UINTR machine)"
fi
tap_done
