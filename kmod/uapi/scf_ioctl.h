/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * scf_ioctl.h - user-space interface of the scf kernel module (/dev/scf).
 *
 * Shared by kmod/scf_main.c and by user space (variants/ipi, the module
 * tests).  In the style of include/uapi/linux/ntsync.h: every field has an
 * explicit width, every struct is padded explicitly to a multiple of 8
 * bytes, one magic letter, SCF_IOC_<NOUN>_<VERB> with scf_<obj>_args.
 *
 * The device:
 *   mmap      the shared region: PAGE_SIZE + nr_slots * slot_size bytes,
 *             MAP_SHARED only, never beyond its end (-EINVAL).  User space
 *             formats it (scf_region_format() with slot_stride = slot_size).
 *   SLOT      one SCF slot per RTOS process (the origin's slot numbers);
 *             slots a file holds are freed when it is released.
 *   BELL      two doorbells per slot, one per side (enum scf_side of
 *             scf_abi.h: 0 the shadow's, 1 the client's).  A doorbell is a
 *             sequence number in the kernel: KICK bumps it and, when a
 *             waiter sleeps on it, sends one IPI to the CPU that waiter
 *             registered; the IPI handler wakes it.  WAIT sleeps until the
 *             sequence differs from the value the caller last saw, so a
 *             kick that lands before the wait is never lost.  Every kick
 *             says what it did (SCF_KICK_*): an IPI went out, or the
 *             waiter was woken without one (its CPU polled in idle, it
 *             sleeps on the kicker's own CPU, or nobody slept).
 *   STATS     those outcomes counted per doorbell since the module loaded.
 *
 * Errors: unknown command -ENOTTY; bad slot, side, CPU, flags or size
 * -EINVAL; bad pointer -EFAULT; no free slot -ENOSPC; slot held by
 * someone else -EBUSY; WAIT: -ETIMEDOUT, -EINTR (a signal), -EPIPE (the
 * slot was freed, e.g. its owner exited, while the caller slept).
 *
 * Kernel-side stamps are TSC values read with rdtsc_ordered() (lfence;
 * rdtsc;lfence on Intel), comparable with the user-space probes.
 */
#ifndef SCF_UAPI_IOCTL_H
#define SCF_UAPI_IOCTL_H

#ifdef __KERNEL__
#include <linux/build_bug.h>
#include <linux/ioctl.h>
#include <linux/types.h>
#define SCF_STATIC_ASSERT(c, m)	static_assert(c, m)
#else
#include <linux/ioctl.h>
#include <linux/types.h>
#define SCF_STATIC_ASSERT(c, m)	_Static_assert(c, m)
#endif

#define SCF_DEV_PATH		"/dev/scf"
#define SCF_UAPI_VERSION	2
#define SCF_IOC_MAGIC		'S'

#define SCF_SLOT_ANY		0xffffffffu	/* SLOT_ALLOC: lowest free slot */
#define SCF_CPU_WAITER		(-1)		/* KICK: the waiter's CPU */
#define SCF_WAIT_FOREVER	(~(__u64)0)	/* WAIT: no timeout */

/* scf_info_args.flags */
#define SCF_INFO_PHYS		(1u << 0)	/* region is phys_base=/phys_size= */
#define SCF_INFO_FORCE_IPI	(1u << 1)	/* force_ipi=1: see SCF_KICK_FORCED */

/*
 * scf_kick_args.flags (out): exactly one of IPI, LOCAL, POLLING, SAME_CPU,
 * PENDING, OFFLINE; FORCED only with IPI.
 */
#define SCF_KICK_IPI		(1u << 0)	/* an IPI was sent to target_cpu */
#define SCF_KICK_LOCAL		(1u << 1)	/* no waiter slept: no IPI needed */
#define SCF_KICK_POLLING	(1u << 2)	/* the waiter's CPU polled in idle:
						 * the kernel set need-resched
						 * there instead of an IPI */
#define SCF_KICK_SAME_CPU	(1u << 3)	/* the waiter sleeps on the kicker's
						 * CPU: woken directly, no IPI */
#define SCF_KICK_PENDING	(1u << 4)	/* an earlier kick's call was still
						 * queued there: it wakes the waiter */
#define SCF_KICK_OFFLINE	(1u << 5)	/* the waiter's CPU went offline:
						 * woken directly, no IPI */
#define SCF_KICK_FORCED		(1u << 6)	/* force_ipi sent the IPI the kernel
						 * skipped for a polling CPU */

/* scf_wait_args.flags (out) */
#define SCF_WAIT_SLEPT		(1u << 0)	/* the caller slept, stamps valid */
#define SCF_WAIT_IRQ		(1u << 1)	/* woken by the handler run from the
						 * IPI (hard irq): handler_tsc set */
#define SCF_WAIT_IDLE		(1u << 2)	/* woken by the handler run from the
						 * idle loop, no interrupt */

struct scf_info_args {
	__u32 version;		/* out: SCF_UAPI_VERSION */
	__u32 nr_slots;		/* out */
	__u64 slot_size;	/* out: bytes per slot, page multiple */
	__u64 region_size;	/* out: PAGE_SIZE + nr_slots * slot_size */
	__u64 phys_base;	/* out: 0 unless SCF_INFO_PHYS */
	__u32 flags;		/* out: SCF_INFO_* */
	__u32 nr_cpu_ids;	/* out: CPUs are 0 .. nr_cpu_ids - 1 */
};

struct scf_slot_args {
	__u32 slot;		/* ALLOC: in SCF_SLOT_ANY or a slot, out the
				 * slot; FREE: in */
	__u32 flags;		/* in: 0 */
	__u64 allocs;		/* out: allocations of this slot so far */
};

struct scf_kick_args {
	__u32 slot;		/* in */
	__u32 side;		/* in: the doorbell to ring (the peer's side) */
	__s32 cpu;		/* in: SCF_CPU_WAITER, or a CPU to send to */
	__u32 flags;		/* in: 0; out: SCF_KICK_* */
	__u32 seq;		/* out: the doorbell's sequence after the kick */
	__s32 target_cpu;	/* out: where the IPI went, -1 if none */
	__u64 entry_tsc;	/* out: ioctl entered (SCF_K?_ENTRY) */
	__u64 ipi_sent_tsc;	/* out: just before the IPI is sent
				 * (SCF_K?_IPI_SENT), 0 if none was */
};

struct scf_wait_args {
	__u32 slot;		/* in */
	__u32 side;		/* in: the doorbell to wait on (the caller's) */
	__u32 seq;		/* in: last value seen; out: current value */
	__u32 flags;		/* in: 0; out: SCF_WAIT_* */
	__u64 timeout_ns;	/* in: 0 polls; SCF_WAIT_FOREVER */
	__u64 entry_tsc;	/* out: ioctl entered */
	__u64 handler_tsc;	/* out: IPI handler that woke us (SCF_K?_HANDLER),
				 * 0 unless SCF_WAIT_IRQ */
	__u64 resumed_tsc;	/* out: we ran again (SCF_K?_RESUMED) */
};

/*
 * What the kicks of one doorbell did, counted by the module.  kicks is
 * the sum of the six outcomes ipi_sent ... offline; forced counts the
 * ipi_sent that force_ipi sent; handler_irq and handler_idle count where
 * the IPI handler ran on the waiter's CPU (an IPI's interrupt, or the
 * idle loop of a CPU that polled).
 */
struct scf_bell_counts {
	__u64 kicks;
	__u64 ipi_sent;
	__u64 woken_without_ipi;	/* SCF_KICK_POLLING */
	__u64 same_cpu;
	__u64 not_waiting;		/* SCF_KICK_LOCAL */
	__u64 pending;
	__u64 offline;
	__u64 forced;
	__u64 handler_irq;
	__u64 handler_idle;
};

struct scf_stats_args {
	__u32 slot;		/* in: a slot, or SCF_SLOT_ANY for the sum of all */
	__u32 flags;		/* in: 0 */
	struct scf_bell_counts side[2];	/* out: per doorbell, enum scf_side */
};

SCF_STATIC_ASSERT(sizeof(struct scf_info_args) == 40, "scf_info_args");
SCF_STATIC_ASSERT(sizeof(struct scf_slot_args) == 16, "scf_slot_args");
SCF_STATIC_ASSERT(sizeof(struct scf_kick_args) == 40, "scf_kick_args");
SCF_STATIC_ASSERT(sizeof(struct scf_wait_args) == 48, "scf_wait_args");
SCF_STATIC_ASSERT(sizeof(struct scf_stats_args) == 168, "scf_stats_args");

#define SCF_IOC_INFO_GET	_IOR(SCF_IOC_MAGIC, 0xc0, struct scf_info_args)
#define SCF_IOC_SLOT_ALLOC	_IOWR(SCF_IOC_MAGIC, 0xc1, struct scf_slot_args)
#define SCF_IOC_SLOT_FREE	_IOW(SCF_IOC_MAGIC, 0xc2, struct scf_slot_args)
#define SCF_IOC_BELL_KICK	_IOWR(SCF_IOC_MAGIC, 0xc3, struct scf_kick_args)
#define SCF_IOC_BELL_WAIT	_IOWR(SCF_IOC_MAGIC, 0xc4, struct scf_wait_args)
#define SCF_IOC_STATS_GET	_IOWR(SCF_IOC_MAGIC, 0xc5, struct scf_stats_args)

#endif /* SCF_UAPI_IOCTL_H */
