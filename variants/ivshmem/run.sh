#!/bin/sh
# SPDX-License-Identifier: MIT
#
# variants/ivshmem/run.sh RUN_DIR: one run of the bare-metal guest in
# QEMU against the host's scf-shadow, through scf-ivshmem-server; the
# guest's serial log, QEMU's and the shadow's messages and the server's
# info file go to RUN_DIR/ivshmem/, then scf-ivshmem-results writes the
# results there.
#
# Environment (make bench VARIANT=ivshmem passes them):
#   BUILD (build)  SAMPLES  CYCLES  WORKLOADS (comma list)
#   IVSHMEM_BACKEND doorbell|poll   ACCEL auto|kvm|tcg (auto: KVM where a
#   guest boots with it)   CPUS client,shadow (QEMU pinned to client)
#   COMMIT DIRTY   TIMEOUT seconds (default 600)   GUEST_ARGS (extra
#   words for the guest's command line, e.g. scribble=1)
set -eu
run_dir=${1:?usage: run.sh RUN_DIR}
B=${BUILD:-build}/ivshmem
samples=${SAMPLES:-5}
cycles=${CYCLES:-200}
workloads=${WORKLOADS:-null,write,write-noservice,write-nomem,openclose,read}
backend=${IVSHMEM_BACKEND:-doorbell}
accel=${ACCEL:-auto}
cpus=${CPUS:-1,0}
client_cpu=${cpus%,*}
shadow_cpu=${cpus#*,}
here=$(dirname "$0")

for f in "$B/scf-guest.elf" "$B/scf-ivshmem-server" "$B/scf-shadow"; do
	[ -x "$f" ] || [ -f "$f" ] || { echo "run.sh: $f missing (make ivshmem-all)" >&2; exit 2; }
done
case $backend in doorbell|poll) ;; *)
	echo "run.sh: bad IVSHMEM_BACKEND '$backend' (doorbell or poll)" >&2; exit 2;; esac
command -v qemu-system-x86_64 >/dev/null ||
	{ echo "run.sh: qemu-system-x86_64 missing (make deps-vm)" >&2; exit 2; }

qemu_base="qemu-system-x86_64 -m 256 -display none -no-reboot -nodefaults
	-monitor none -device isa-debug-exit,iobase=0xf4,iosize=1
	-kernel $B/scf-guest.elf"

# KVM where it really runs the guest at hardware speed: an openable
# /dev/kvm is not enough (a nested hypervisor may boot it but trap every
# RDTSC: one ordered stamp then costs thousands of ticks, not tens).
STAMP_LIMIT=1000
if [ "$accel" = auto ]; then
	accel=tcg
	if [ -w /dev/kvm ]; then
		p=$(timeout 60 $qemu_base -accel kvm -serial stdio \
			-append probe=1 2>/dev/null | tr -d '\r' | sed -n 's/^P //p')
		if [ -n "$p" ] && [ "$p" -lt $STAMP_LIMIT ]; then
			accel=kvm
		elif [ -n "$p" ]; then
			echo "run.sh: KVM boots the guest but a TSC stamp costs $p ticks" \
				"(nested or trapping RDTSC): TCG instead, emulated" >&2
		fi
	fi
fi
case $accel in
kvm) cpu_opt= ;;
tcg) cpu_opt="-cpu max" ;;
*) echo "run.sh: bad ACCEL '$accel' (auto, kvm or tcg)" >&2; exit 2;;
esac

out=$run_dir/ivshmem
mkdir -p "$out" "$out/root"
work=$(mktemp -d "${TMPDIR:-/tmp}/scf-ivshmem.XXXXXX")
trap 'rm -rf "$work"' EXIT
start=$(date -u +%Y-%m-%dT%H:%M:%SZ)
guest_cmdline="backend=$backend samples=$samples cycles=$cycles workloads=$workloads ${GUEST_ARGS:-}"
set +e
taskset -c "$client_cpu" "$B/scf-ivshmem-server" --socket "$work/sock" \
	--shadow "$B/scf-shadow" --root "$out/root" --backend "$backend" \
	--cpu "$shadow_cpu" --timeout "${TIMEOUT:-600}" --info "$out/server.info" \
	-- $qemu_base -accel $accel $cpu_opt -serial "file:$work/serial.raw" \
	-chardev "socket,id=ivs,path=$work/sock" \
	-device ivshmem-doorbell,chardev=ivs,vectors=1 \
	-append "$guest_cmdline" 2>"$out/host.log"
rc=$?
set -e
end=$(date -u +%Y-%m-%dT%H:%M:%SZ)
# The guest ends its lines with CR LF, a terminal's way.
tr -d '\r' <"$work/serial.raw" >"$out/serial.log" 2>/dev/null || true
grep -v '^R ' "$out/serial.log" >"$out/guest.log" 2>/dev/null || true
if [ $rc -ne 0 ]; then
	echo "run.sh: the guest's run failed ($rc); see $out/host.log and $out/guest.log" >&2
	tail -5 "$out/host.log" >&2
	exit 1
fi
python3 "$here/scf-ivshmem-results" --serial "$out/serial.log" \
	--info "$out/server.info" --out "$run_dir" --backend "$backend" \
	--accel "$accel" --commit "${COMMIT:-nogit}" --dirty "${DIRTY:-0}" \
	--cmdline "qemu-system-x86_64 -accel $accel ... -append '$guest_cmdline'" \
	--start "$start" --end "$end" --client-cpu "$client_cpu" \
	--shadow-cpu "$shadow_cpu"
