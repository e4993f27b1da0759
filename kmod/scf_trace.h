/* SPDX-License-Identifier: GPL-2.0 */
/*
 * scf_trace.h - tracepoints of the scf module, system "scf":
 *   scf_kick  a doorbell was rung (ioctl side), with what the kick did
 *             (SCF_KICK_* flags: ipi, polling, same CPU, ...)
 *   scf_ipi   the IPI handler ran on the waiter's CPU: irq=1 from the
 *             IPI, irq=0 from the idle loop of a polling CPU
 *   scf_wake  a waiter's BELL_WAIT returns
 * All three carry the TSC stamp they describe, so a trace-cmd record lines
 * up with the user-space probes.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM scf

#if !defined(_SCF_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _SCF_TRACE_H

#include <linux/tracepoint.h>

TRACE_EVENT(scf_kick,
	TP_PROTO(u32 slot, u32 side, u32 seq, int target_cpu, u32 kind,
		 u64 tsc),
	TP_ARGS(slot, side, seq, target_cpu, kind, tsc),
	TP_STRUCT__entry(
		__field(u32, slot)
		__field(u32, side)
		__field(u32, seq)
		__field(int, target_cpu)
		__field(u32, kind)
		__field(u64, tsc)
	),
	TP_fast_assign(
		__entry->slot = slot;
		__entry->side = side;
		__entry->seq = seq;
		__entry->target_cpu = target_cpu;
		__entry->kind = kind;
		__entry->tsc = tsc;
	),
	TP_printk("slot=%u side=%u seq=%u target_cpu=%d kind=%#x tsc=%llu",
		  __entry->slot, __entry->side, __entry->seq,
		  __entry->target_cpu, __entry->kind, __entry->tsc)
);

TRACE_EVENT(scf_ipi,
	TP_PROTO(u32 slot, u32 side, u32 seq, bool irq, u64 tsc),
	TP_ARGS(slot, side, seq, irq, tsc),
	TP_STRUCT__entry(
		__field(u32, slot)
		__field(u32, side)
		__field(u32, seq)
		__field(bool, irq)
		__field(u64, tsc)
	),
	TP_fast_assign(
		__entry->slot = slot;
		__entry->side = side;
		__entry->seq = seq;
		__entry->irq = irq;
		__entry->tsc = tsc;
	),
	TP_printk("slot=%u side=%u seq=%u irq=%d tsc=%llu",
		  __entry->slot, __entry->side, __entry->seq, __entry->irq,
		  __entry->tsc)
);

TRACE_EVENT(scf_wake,
	TP_PROTO(u32 slot, u32 side, u32 seq, int ret, bool slept, u64 tsc),
	TP_ARGS(slot, side, seq, ret, slept, tsc),
	TP_STRUCT__entry(
		__field(u32, slot)
		__field(u32, side)
		__field(u32, seq)
		__field(int, ret)
		__field(bool, slept)
		__field(u64, tsc)
	),
	TP_fast_assign(
		__entry->slot = slot;
		__entry->side = side;
		__entry->seq = seq;
		__entry->ret = ret;
		__entry->slept = slept;
		__entry->tsc = tsc;
	),
	TP_printk("slot=%u side=%u seq=%u ret=%d slept=%d tsc=%llu",
		  __entry->slot, __entry->side, __entry->seq, __entry->ret,
		  __entry->slept, __entry->tsc)
);

#endif /* _SCF_TRACE_H */

/* Out of tree: define_trace.h must find this file beside the module. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE scf_trace
#include <trace/define_trace.h>
