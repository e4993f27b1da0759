#!/bin/sh
# SPDX-License-Identifier: MIT
#
# trace.sh OUTDIR BUILD VARIANT WORKLOAD CYCLES CPUS BACKEND
#
# Record one short run of a variant with trace-cmd: scheduler switches and
# wake-ups, IPI (call-function-single, reschedule) entry and exit, futex
# and ioctl syscalls, and the scf module's own events where it is loaded,
# on the client and shadow CPUs only, with the TSC as the trace clock so
# trace timestamps line up with the probes.  Writes
# OUTDIR/<variant>-<workload>.dat, the run's result under OUTDIR/run, and
# prints a per-event summary.  Where trace-cmd cannot run (a container
# whose /proc/sys is read-only: "Can't enable ftrace"), the same events
# are recorded through a private tracefs instance into a text trace,
# OUTDIR/<variant>-<workload>.txt, leaving the global buffer alone.
#
# The run itself is made with --trace: scf-bench records irq and softirq
# entry/exit, sched_switch and wake-ups, IPIs, page faults and the
# shadow's syscalls in a tracefs instance of its own (TSC clock), joins
# them to its requests and phases, and its result carries the tail;
# scf-report then writes OUTDIR/run/report.md with the "Tail" section.
set -eu
out=$1 build=$2 variant=$3 workload=$4 cycles=$5 cpus=$6 backend=$7
bench=$build/$variant/scf-bench

command -v trace-cmd >/dev/null || {
	echo "trace: trace-cmd not installed (apt-get install trace-cmd)"; exit 1; }
[ -x "$bench" ] || { echo "trace: $bench not built"; exit 1; }
[ "$(id -u)" = 0 ] || { echo "trace: needs root (tracefs)"; exit 1; }

# A container may start without tracefs mounted: mount it where it belongs.
[ -d /sys/kernel/tracing/instances ] ||
	mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null || true

have() { trace-cmd list -e "$1" 2>/dev/null | grep -qx "$1"; }
ev=""
for e in sched:sched_switch sched:sched_waking sched:sched_wakeup \
	irq_vectors:call_function_single_entry \
	irq_vectors:call_function_single_exit \
	irq_vectors:reschedule_entry irq_vectors:reschedule_exit \
	syscalls:sys_enter_futex syscalls:sys_exit_futex \
	syscalls:sys_enter_ioctl syscalls:sys_exit_ioctl \
	scf:scf_kick scf:scf_ipi scf:scf_wake; do
	if have "$e"; then ev="$ev -e $e"; fi
done
clock=""
grep -q 'x86-tsc' /sys/kernel/tracing/trace_clock 2>/dev/null && clock="-C x86-tsc"
mask=0
for c in $(echo "$cpus" | tr ',' ' '); do mask=$((mask | (1 << c))); done

mkdir -p "$out"
base=$out/$variant-$workload
run_bench() {
	"$bench" --workloads "$workload" --samples 1 --cycles "$cycles" \
		--cpus "$cpus" --backend "$backend" --quiet --out "$out/run" --trace \
		>"$base.log" 2>&1 || { echo "trace: the run failed:"; tail -5 "$base.log"; exit 1; }
}

summary() {	# summary FILE-with-report-text
	echo "trace: events per type:"
	awk '{ for (i = 2; i <= NF; i++) if ($(i-1) ~ /^[0-9.]+:$/) {
		e = $i; sub(/[(:].*/, "", e)
		if ($(i+1) == "->") e = e " (exit)"
		print e; break } }' "$1" |
		sort | uniq -c | sort -rn | sed 's/^/  /'
}

# shellcheck disable=SC2086
if trace-cmd record -q -o "$base.dat" $clock -M "$(printf %x $mask)" $ev \
	-- true >"$base.probe" 2>&1; then
	rm -f "$base.probe"
	# shellcheck disable=SC2086
	trace-cmd record -q -o "$base.dat" $clock -M "$(printf %x $mask)" $ev \
		-- sh -c "$(printf '%s ' "$bench" --workloads "$workload" \
		--samples 1 --cycles "$cycles" --cpus "$cpus" --backend \
		"$backend" --quiet --out "$out/run" --trace) >'$base.log' 2>&1"
	trace-cmd report -i "$base.dat" >"$base.txt" 2>/dev/null
	echo "trace: $base.dat, clock ${clock:-default}, CPUs $cpus"
else
	echo "trace: trace-cmd cannot record here ($(tr '\n' ' ' <"$base.probe"| sed 's/  */ /g')); using a tracefs instance"
	rm -f "$base.probe" "$base.dat"
	t=/sys/kernel/tracing
	[ -d $t/instances ] || t=/sys/kernel/debug/tracing
	inst=$t/instances/scf-trace-$$
	mkdir "$inst" || { echo "trace: cannot create $inst"; exit 1; }
	trap 'echo 0 >"$inst/tracing_on" 2>/dev/null; rmdir "$inst" 2>/dev/null' EXIT INT TERM
	echo 8192 >"$inst/buffer_size_kb"
	[ -n "$clock" ] && echo x86-tsc >"$inst/trace_clock"
	printf %x $mask >"$inst/tracing_cpumask"
	for e in $ev; do
		[ "$e" = -e ] && continue
		echo 1 >"$inst/events/${e%%:*}/${e#*:}/enable"
	done
	echo 1 >"$inst/tracing_on"
	run_bench
	echo 0 >"$inst/tracing_on"
	cat "$inst/trace" >"$base.txt"
	echo "trace: $base.txt (text), clock ${clock:-default}, CPUs $cpus"
fi
summary "$base.txt"
echo "trace: the run's result: $out/run/$variant/$workload.json"
grep -h 'tail:' "$base.log" | sed 's/^ */trace: /' || true
if [ -x "$build/analysis/scf-report" ]; then
	"$build/analysis/scf-report" "$out/run" >"$base.report.log" 2>&1 &&
		echo "trace: $out/run/report.md (section \"Tail\")" ||
		{ echo "trace: scf-report failed:"; tail -3 "$base.report.log"; exit 1; }
fi
