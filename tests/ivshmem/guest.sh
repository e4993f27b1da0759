#!/bin/bash
# SPDX-License-Identifier: MIT
#
# tests/ivshmem/guest.sh - the ivshmem variant end to end, under TCG
# (deterministic, and what every machine has): the guest boots; every
# workload's calls are answered as a native run answers them; the
# phases are present and ordered; the poll backend works too; a guest
# that dies stops the run with one line and leaves no process behind; a
# guest that scribbles the region leaves the shadow standing with
# nothing outside --root; bad input is refused with exit 2.  TAP.
set -u
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
. "$src/tests/lib.sh"
B=$src/${BUILD:-build}/ivshmem
export BUILD=${BUILD:-build}

tmp=$(mktemp -d /tmp/scf-ivshmem-test.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$src" || exit 1

run() {	# run DIR [env...]: one guest run through run.sh, under TCG
	local dir=$1
	shift
	env ACCEL=tcg TIMEOUT=120 CPUS=0,0 "$@" variants/ivshmem/run.sh "$dir" \
		>"$dir.out" 2>&1
}

# ---- 1. a doorbell run of every workload -------------------------------
S=2 C=10 N=$((2 * 10))
run "$tmp/bell" SAMPLES=$S CYCLES=$C IVSHMEM_BACKEND=doorbell
rc=$?
tap $rc "doorbell run of six workloads: run.sh exit 0" \
	"$(tail -5 "$tmp/bell.out" 2>/dev/null)"
g=$tmp/bell/ivshmem
grep -q '^scf-guest: boot' "$g/guest.log" 2>/dev/null &&
	grep -q '^T [1-9][0-9]*' "$g/guest.log"
tap $? "the image boots: long mode, serial console, TSC rate"
grep -q 'ivshmem 00:.* bar0 [0-9a-f]* bar2 [0-9a-f]* (4194304 bytes) ivposition 1' \
	"$g/guest.log" 2>/dev/null
tap $? "the PCI scan finds ivshmem: BAR0, BAR2 of 4 MiB, peer id 1"
for w in null write write-noservice write-nomem openclose read; do
	grep -qx "W $w calls $N ok $N" "$g/guest.log" 2>/dev/null
	tap $? "$w: $N calls forwarded, every answer as expected"
done
# The answers a native run gives: N one-byte writes, N reads of i mod 251.
head -c $N /dev/zero | tr '\0' w >"$tmp/native-write"
cmp -s "$tmp/native-write" "$g/root/write.dat"
tap $? "write.dat under --root holds what $N native 1-byte writes write"
python3 -c "import sys; sys.stdout.buffer.write(bytes(i % 251 for i in range($N + 1)))" \
	>"$tmp/native-read"
cmp -s "$tmp/native-read" "$g/root/read.dat"
tap $? "read.dat is what the guest wrote; its reads returned those bytes"
awk '$1 == "R" && $2 == "null" && $5 != 0 { bad++ }
     $1 == "R" && $2 ~ /^write/ && $5 != 1 { bad++ }
     $1 == "R" && $2 == "openclose" && $5 < 0 { bad++ }
     END { exit bad > 0 }' "$g/serial.log"
tap $? "every call's return value: null 0, write 1, open an fd, close 0"
grep -q '^scf-guest: done, 0 workload(s) failed, doorbell irqs [1-9]' \
	"$g/guest.log" 2>/dev/null
tap $? "the shadow's answers arrived as MSI-X doorbell interrupts"

# Phases: within each clock in order; across clocks, one offset fits all.
awk '$1 == "R" { for (i = 7; i <= 10; i++) if ($i > $(i + 1)) bad++
		 for (i = 12; i <= 15; i++) if ($i > $(i + 1)) bad++
		 if ($18 > $19 || $19 > $20) bad++; n++ }
     END { exit !(n > 0 && bad == 0) }' "$g/serial.log"
tap $? "stamps in order: C0..C4, S0..S4 and C5..C7 on their clocks"
python3 - "$g" "$src/docs/scf-bench-2.schema.json" <<'PY'
import json, sys
d, schema = sys.argv[1], json.load(open(sys.argv[2]))
try:
    import jsonschema
except ImportError:
    jsonschema = None
for w in ("null", "write"):
    r = json.load(open(f"{d}/{w}.json"))
    if jsonschema:
        jsonschema.validate(r, schema)
    ph = r["phases"]
    for p in ("total", "queue", "memsync", "notify", "service",
              "notify_req", "notify_rsp", "kick_req"):
        assert ph[p]["count"] == r["probes"]["probed"] > 0, (w, p)
    assert "kick_rsp" not in ph, "S5 is not collected: absent, never 0"
    assert r["identity"]["violations"] == 0
    assert ph["notify_req"]["negative"] == ph["notify_rsp"]["negative"] == 0
    assert r["config"]["emulated"] is True
    assert any(x.startswith("emulated (TCG)") for x in r["warnings"])
    assert ph["total"]["min_ns"] > 0
PY
tap $? "null.json and write.json: schema, every phase, identity, emulated (TCG)"
grep -q 'emulated (TCG)' "$tmp/bell.out"
tap $? "the terminal table says emulated (TCG)"

# ---- 2. the poll backend -------------------------------------------------
run "$tmp/poll" SAMPLES=1 CYCLES=20 IVSHMEM_BACKEND=poll WORKLOADS=null,write
grep -qx 'W write calls 20 ok 20' "$tmp/poll/ivshmem/guest.log" 2>/dev/null &&
	grep -q '"backend":"poll"' "$tmp/poll/ivshmem/write.json" &&
	grep -q '^scf-guest: done, 0 workload(s) failed, doorbell irqs 0,' \
		"$tmp/poll/ivshmem/guest.log"
tap $? "poll backend: every call answered, no doorbell interrupt"

# ---- 3. a hostile guest ----------------------------------------------------
mkdir -p "$tmp/h"
run "$tmp/h/run" SAMPLES=1 CYCLES=5 WORKLOADS=null GUEST_ARGS=scribble=1
h=$tmp/h/run/ivshmem
grep -q '^X scribbled' "$h/guest.log" 2>/dev/null &&
	grep -qx 'shadow_stood=1' "$h/server.info" &&
	grep -qx 'shadow_status=0' "$h/server.info"
tap $? "a guest that scribbles the queue page: the shadow stands to the end"
grep -Eq '^X open \.\./escaped.txt -[0-9]+$' "$h/guest.log" &&
	grep -Eq '^X open /tmp/scf-escaped.txt -[0-9]+$' "$h/guest.log" &&
	[ ! -e "$h/escaped.txt" ] && [ ! -e /tmp/scf-escaped.txt ]
tap $? "opens that leave --root are refused, and no file escaped"

# ---- 4. a guest that dies ----------------------------------------------
d=$tmp/die
mkdir -p "$d/root"
"$B/scf-ivshmem-server" --socket "$d/sock" --shadow "$B/scf-shadow" \
	--root "$d/root" --timeout 120 --info "$d/info" -- \
	qemu-system-x86_64 -accel tcg -cpu max -m 256 -display none -no-reboot \
	-nodefaults -monitor none -device isa-debug-exit,iobase=0xf4,iosize=1 \
	-kernel "$B/scf-guest.elf" -serial "file:$d/serial.log" \
	-chardev "socket,id=ivs,path=$d/sock" \
	-device ivshmem-doorbell,chardev=ivs,vectors=1 \
	-append "samples=1000 cycles=1000 workloads=null" 2>"$d/err" &
spid=$!
for _ in $(seq 300); do
	grep -q '^R null' "$d/serial.log" 2>/dev/null && break
	sleep 0.1
done
kids=$(ps -o pid= --ppid $spid | tr -d ' ' | tr '\n' ' ')
qpid=$(ps -o pid=,comm= --ppid $spid | awk '$2 ~ /qemu/ { print $1 }')
[ -n "$qpid" ] && kill -9 "$qpid"
wait $spid
rc=$?
[ -n "$qpid" ] && [ $rc = 1 ]
tap $? "QEMU killed mid-run: the server exits 1" "rc $rc, children $kids"
[ "$(grep -c 'guest died' "$d/err")" = 1 ] &&
	[ "$(grep -vc '^scf-shadow: served ' "$d/err")" = 1 ]
tap $? "one line says the guest died (beside the shadow's own summary)" \
	"$(cat "$d/err")"
left=
for p in $kids; do kill -0 "$p" 2>/dev/null && left="$left $p"; done
[ -z "$left" ] && [ ! -e "$d/sock" ]
tap $? "no QEMU, shadow or socket left behind" "left:$left"

# ---- 5. clean shutdown, nothing left ---------------------------------------
! pgrep -f "$tmp/" >/dev/null
tap $? "after every run: no process of the test's runs remains"

# ---- 6. bad input -------------------------------------------------------
"$B/scf-ivshmem-server" --socket "$tmp/s" --shadow "$B/scf-shadow" \
	--root "$tmp" --backend ipi -- true >/dev/null 2>"$tmp/bad.err"
rc=$?
[ $rc = 2 ] && [ "$(wc -l <"$tmp/bad.err")" = 1 ] &&
	grep -q "bad --backend 'ipi'" "$tmp/bad.err"
tap $? "server: a bad --backend is one line, exit 2"
python3 variants/ivshmem/scf-ivshmem-results --serial "$tmp/none.log" \
	--info "$tmp/none.info" --out "$tmp/x" --backend doorbell --accel tcg \
	>/dev/null 2>"$tmp/bad.err"
rc=$?
[ $rc = 2 ] && [ "$(wc -l <"$tmp/bad.err")" = 1 ] && [ ! -e "$tmp/x" ]
tap $? "results: a missing log is one line, exit 2, nothing written"
ACCEL=arm variants/ivshmem/run.sh "$tmp/y" >/dev/null 2>"$tmp/bad.err"
rc=$?
[ $rc = 2 ] && grep -q "bad ACCEL 'arm'" "$tmp/bad.err" && [ ! -e "$tmp/y" ]
tap $? "run.sh: a bad ACCEL is one line, exit 2, before anything runs"

tap_done
