#!/bin/sh
# SPDX-License-Identifier: MIT
#
# vmtest.sh - boot the Debian kernel in QEMU (TCG, 2 CPUs) with a busybox
# initramfs holding scf.ko and the tests, and turn what the guest reports
# on its second serial port into TAP lines on stdout.  Two boots: default
# idle (module tests, then the bench, whose kicks must send IPIs), and
# idle=poll (the bench, whose kicks must wake the polling CPU without
# one, and again with force_ipi=1, whose kicks must send one).
#
# Environment (set by tests/kmod.mk):
#   VM_KERNEL   the kernel image (/boot/vmlinuz-<version>)
#   VM_MODULE   scf.ko built for that kernel
#   VM_MODTEST  the static module test program
#   VM_BENCH    optional directory copied to /scf (bench.sh, scf-bench,
#               scf-shadow linked -static); its results come back
#   VM_OUT      work directory (initramfs, logs, files that came back)
#   VM_RESULTS  where files the guest sent are stored (default VM_OUT/files)
#   VM_CHECK    program run on every result JSON that came back (TAP)
#   VM_SBS, VM_REPORT  scf-sidebyside and scf-report: the default boot's
#               run (and the idle=poll one) must show the share of calls a
#               real IPI woke, the idle and whether it was the default
#   VM_TIMEOUT  seconds before a boot's VM is killed (default 600)
#   VM_ACCEL    QEMU's -accel (default tcg,thread=single).  Multi-threaded
#               TCG, one host thread per vCPU, hung the guest in about one
#               boot of ten: once a vCPU looped in the int3 of a site the
#               other vCPU was live-patching (text_poke_bp, enabling a
#               tracepoint), once a soft lockup in a page fault of init.
#               Single-threaded TCG runs both vCPUs in turn on one host
#               thread, so no vCPU sees another's code change half-made;
#               it is about 6x slower (two boots: ~290 s against ~50 s).
#               The guest still has 2 CPUs and real (emulated APIC) IPIs.
#   VM_MEM      guest memory (default 1G)
#
# Fails (exit 1, and a "not ok" line) on a timeout, a missing marker, a
# step that failed, or any BUG:, WARNING: or Oops in the guest's log.
set -u
: "${VM_TIMEOUT:=600}" "${VM_MEM:=1G}" "${VM_BENCH:=}" "${VM_ACCEL:=tcg,thread=single}"
: "${VM_RESULTS:=$VM_OUT/files}"

. "$(dirname "$0")/../../lib.sh"

if ! command -v qemu-system-x86_64 >/dev/null; then
	tap_skip "qemu-system-x86_64 not installed" "vm: module tests"
	tap_done
	exit
fi
for f in "$VM_KERNEL" "$VM_MODULE" "$VM_MODTEST" /bin/busybox; do
	if [ ! -r "$f" ]; then
		tap 1 "vm: missing $f"
		exit 1
	fi
done

rm -rf "$VM_OUT/initramfs" "$VM_OUT/files"
mkdir -p "$VM_OUT/initramfs/bin" "$VM_OUT/initramfs/scf" "$VM_OUT/files"
root=$VM_OUT/initramfs
for d in dev proc sys tmp sbin; do mkdir -p "$root/$d"; done
cp /bin/busybox "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
cp "$(dirname "$0")/init" "$root/init"
cp "$VM_MODULE" "$root/scf/scf.ko"
cp "$VM_MODTEST" "$root/scf/scf_modtest"
if [ -n "$VM_BENCH" ]; then
	cp -r "$VM_BENCH"/. "$root/scf/"
fi
chmod 755 "$root/init" "$root/bin/busybox"
(cd "$root" && find . | cpio -o -H newc --quiet) | gzip -1 >"$VM_OUT/initramfs.cpio.gz" || {
	tap 1 "vm: initramfs"
	exit 1
}

# boot NAME APPEND STEPS: one boot of the image with extra kernel
# arguments; its logs are $VM_OUT/{console,data}-NAME.log, its markers
# and steps become TAP lines, the files it sent land in $VM_OUT/files.
boot() {
	name=$1
	con=$VM_OUT/console-$name.log
	data=$VM_OUT/data-$name.log
	rm -f "$con" "$data"
	start=$(date +%s)
	# memmap=64M$0x30000000 reserves the range the phys_base= test maps,
	# as the origin reserved 0x3a000000-0x4a000000 for the hypervisor
	# and the RTOS.
	timeout -k 5 "$VM_TIMEOUT" qemu-system-x86_64 -accel "$VM_ACCEL" -smp 2 \
		-m "$VM_MEM" -nodefaults -display none -no-reboot \
		-kernel "$VM_KERNEL" -initrd "$VM_OUT/initramfs.cpio.gz" \
		-append "console=ttyS0 rdinit=/init panic=-1 memmap=64M\$0x30000000 $2" \
		-serial "file:$con" -serial "file:$data" \
		>"$VM_OUT/qemu-$name.log" 2>&1
	qrc=$?
	secs=$(($(date +%s) - start))
	tr -d '\r' <"$data" >"$data.txt" 2>/dev/null || : >"$data.txt"

	if [ $qrc -eq 124 ] || [ $qrc -eq 137 ]; then
		tap 1 "vm: $name: guest timed out after ${VM_TIMEOUT}s (console: $con)"
	else
		tap 0 "vm: $name: qemu exited ($qrc) after ${secs}s"
	fi
	if grep -q '^@@SCF boot' "$data.txt"; then
		tap 0 "vm: $name: booted: $(sed -n 's/^@@SCF boot \(.*\)@@$/\1/p' "$data.txt")"
	else
		tap 1 "vm: $name: no boot marker (console: $con)"
	fi

	for s in $3; do
		if ! grep -q "^@@SCF step $s begin@@" "$data.txt"; then
			tap 1 "vm: $name: step $s: begin marker missing"
			continue
		fi
		end=$(sed -n "s/^@@SCF step $s end rc=\([0-9]*\)@@$/\1/p" "$data.txt")
		# the guest's own TAP lines, renumbered into ours
		sed -n "/^@@SCF step $s begin@@/,/^@@SCF step $s end/p" "$data.txt" |
			grep -E '^(not )?ok [0-9]+ - |^# ' >"$VM_OUT/step.tap" || :
		tap_lines "vm: $name: $s: " "$VM_OUT/step.tap"
		if [ -z "$end" ]; then
			tap 1 "vm: $name: step $s: end marker missing"
		elif [ "$end" != 0 ]; then
			tap 1 "vm: $name: step $s exited $end"
			sed -n "/^@@SCF step $s begin@@/,/^@@SCF step $s end/p" \
				"$data.txt" | tail -20 | sed 's/^/   | /'
		else
			tap 0 "vm: $name: step $s exited 0"
		fi
	done

	# Files the guest sent back (results of the bench steps).
	for f in $(sed -n 's/^@@SCF file \(.*\) begin@@$/\1/p' "$data.txt"); do
		case $f in
		/*|*..*|*[!A-Za-z0-9._/+-]*)
			tap 1 "vm: $name: refusing file name '$f'"
			continue ;;
		esac
		mkdir -p "$VM_OUT/files/$(dirname "$f")"
		sed -n "\\|^@@SCF file $f begin@@|,\\|^@@SCF file $f end@@|p" \
			"$data.txt" | sed '1d;$d' | base64 -d >"$VM_OUT/files/$f" ||
			{ tap 1 "vm: $name: file $f: bad base64"; continue; }
		nf=$((nf + 1))
	done

	if grep -q '^@@SCF done@@' "$data.txt"; then
		tap 0 "vm: $name: guest finished (done marker)"
	else
		tap 1 "vm: $name: done marker missing"
	fi
	bad=$(tr -d '\r' <"$con" | grep -E 'BUG:|WARNING:|Oops|Kernel panic|Call Trace:' | head -5)
	if [ -z "$bad" ]; then
		tap 0 "vm: $name: guest kernel log has no BUG:, WARNING:, Oops, panic or call trace"
	else
		tap 1 "vm: $name: guest kernel log: $(echo "$bad" | head -1)"
		echo "$bad" | sed 's/^/   | /'
	fi
}

# How the kicks of each bench run must have ended, by the host name its
# results were stored under (tests/kmod/vm/init): default idle with
# scf-bench's default for kmod (halt), IPIs; idle=poll, none; idle=poll
# with force_ipi=1, IPIs again.
expect_of() {
	case $1 in
	*/scf-vm-idlepoll-forceipi/*) echo forced ;;
	*/scf-vm-idlepoll/*|*/scf-vm-idlepoll-[23]/*) echo polling ;;
	*) echo ipi ;;
	esac
}

# The checker's TAP for one result file.  Under idle=poll the guest's
# idle loop polls, so a kick should find the peer's CPU polling; under
# TCG a vCPU the host delays can still be caught outside the idle loop
# for much of a run (once, 0.48 of kicks sent an IPI, each one confirmed
# by its handler and the CAL count).  So idle=poll runs three times:
# every run is reported, every check holds for each, and the share of
# kicks that needed no IPI is judged by the three runs' median.
check_result() {
	set -- "$VM_OUT/files/$1"
	case $1 in
	*/scf-vm-idlepoll/*)
		for n in 2 3; do
			again=$(echo "$1" | sed "s|/scf-vm-idlepoll/|/scf-vm-idlepoll-$n/|")
			[ -f "$again" ] && set -- "$@" "$again"
		done ;;
	esac
	"$VM_CHECK" --expect "$(expect_of "/$1")" "$@" >"$VM_OUT/check.tap" 2>&1
	tap_lines "vm: " "$VM_OUT/check.tap" $?
}

# The tables a user reads, on the run stored under HOST
# (files/<commit>/HOST): every kmod row of the side-by-side and of
# report.md gives the share of calls a real IPI woke and how idle was
# chosen (LABEL, e.g. "idle halt (default)"), with the IPI-woken p50
# (P50, a pattern: under idle=poll there may be no IPI-woken call, n/a)
# beside the pooled one.
tables() {
	host=$1 label=$2 p50=$3
	dir=$(find "$VM_OUT/files" -path "*/$host/ipi" -type d | head -1)
	dir=${dir%/ipi}
	[ -n "${VM_SBS:-}" ] && [ -n "${VM_REPORT:-}" ] && [ -n "$dir" ] || {
		tap 1 "vm: tables of $host: no run, or no VM_SBS/VM_REPORT"
		return
	}
	"$VM_SBS" "$dir" >"$VM_OUT/sbs.txt" 2>&1
	rows=$(grep -c '^| ipi/kmod ' "$VM_OUT/sbs.txt")
	lines=$(grep -c "^| IPI-woken [0-9.]*%, $label *| p50 ns IPI-woken/all *| *$p50/[0-9]* |" "$VM_OUT/sbs.txt")
	[ "$rows" -gt 0 ] && [ "$lines" -eq "$rows" ]
	tap $? "vm: side-by-side of $host: each of the $rows ipi/kmod rows gives the IPI-woken share, $label, p50 IPI-woken/all" \
		"$(cat "$VM_OUT/sbs.txt")"
	grep '^| IPI-woken' "$VM_OUT/sbs.txt" | sed 's/^/# /'
	rm -rf "$VM_OUT/report" && mkdir -p "$VM_OUT/report/c" &&
		cp -r "$dir" "$VM_OUT/report/c/h" &&
		"$VM_REPORT" "$VM_OUT/report/c/h" >"$VM_OUT/report.log" 2>&1
	n=$(ls "$dir"/ipi/*.json 2>/dev/null | wc -l)
	got=$(sed -n '/^## Woken by a real IPI$/,/^## /p' \
		"$VM_OUT/report/c/h/report.md" 2>/dev/null |
		grep -c "^| ipi | kmod | [a-z0-9-]* | ${label#idle } | [0-9]* | [0-9.]*% |")
	[ "$n" -gt 0 ] && [ "$got" -eq "$n" ]
	tap $? "vm: report.md of $host: 'Woken by a real IPI' has a row for each of the $n kmod results ($got)" \
		"$(tail -3 "$VM_OUT/report.log")"
	sed -n '/^## Woken by a real IPI$/,/^## /p' \
		"$VM_OUT/report/c/h/report.md" 2>/dev/null | grep '^| ipi' |
		sed 's/^/# /'
}

nf=0
steps="insmod modtest insmod-phys modtest-phys"
[ -n "$VM_BENCH" ] && steps="$steps insmod-bench bench dropped rmmod"
boot default "" "$steps"
if [ -n "$VM_BENCH" ]; then
	boot idle-poll "idle=poll" \
		"insmod-bench modtest-poll bench-polling force-ipi bench-forced rmmod"
	if [ $nf -gt 0 ]; then tap 0 "vm: $nf result files came back"
	else tap 1 "vm: no result files came back"; fi
	# Structure and doorbell counters of the kmod results, then store
	# them like any run: a temporary name in the same directory,
	# renamed into place.
	for f in $(cd "$VM_OUT/files" && find . -type f | sort); do
		f=${f#./}
		case $f in
		*/scf-vm-idlepoll-[23]/*.json) ;;	# judged with the first run
		*.json)
			[ -n "${VM_CHECK:-}" ] && check_result "$f" ;;
		esac
		dst=$VM_RESULTS/$f
		mkdir -p "$(dirname "$dst")" &&
			cp "$VM_OUT/files/$f" "$dst.tmp.$$" &&
			mv -f "$dst.tmp.$$" "$dst" ||
			tap 1 "vm: cannot store $dst"
	done
	[ $nf -gt 0 ] && echo "   vm results stored under $VM_RESULTS/"
	tables scf-vm "idle halt (default)" '[0-9][0-9]*'
	tables scf-vm-idlepoll "idle poll (option)" '\([0-9][0-9]*\|n\/a\)'
fi
tap_done
