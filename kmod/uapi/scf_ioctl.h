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
 *             kick that lands before the wait is never lost.
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
#define SCF_UAPI_VERSION	1
#define SCF_IOC_MAGIC		'S'

#define SCF_SLOT_ANY		0xffffffffu	/* SLOT_ALLOC: lowest free slot */
#define SCF_CPU_WAITER		(-1)		/* KICK: the waiter's CPU */
#define SCF_WAIT_FOREVER	(~(__u64)0)	/* WAIT: no timeout */

/* scf_info_args.flags */
#define SCF_INFO_PHYS		(1u << 0)	/* region is phys_base=/phys_size= */

/* scf_kick_args.flags (out) */
#define SCF_KICK_IPI		(1u << 0)	/* an IPI was sent */
#define SCF_KICK_LOCAL		(1u << 1)	/* no waiter slept: no IPI needed */

/* scf_wait_args.flags (out) */
#define SCF_WAIT_SLEPT		(1u << 0)	/* the caller slept, stamps valid */

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
	__u64 handler_tsc;	/* out: IPI handler that woke us (SCF_K?_HANDLER) */
	__u64 resumed_tsc;	/* out: we ran again (SCF_K?_RESUMED) */
};

SCF_STATIC_ASSERT(sizeof(struct scf_info_args) == 40, "scf_info_args");
SCF_STATIC_ASSERT(sizeof(struct scf_slot_args) == 16, "scf_slot_args");
SCF_STATIC_ASSERT(sizeof(struct scf_kick_args) == 40, "scf_kick_args");
SCF_STATIC_ASSERT(sizeof(struct scf_wait_args) == 48, "scf_wait_args");

#define SCF_IOC_INFO_GET	_IOR(SCF_IOC_MAGIC, 0xc0, struct scf_info_args)
#define SCF_IOC_SLOT_ALLOC	_IOWR(SCF_IOC_MAGIC, 0xc1, struct scf_slot_args)
#define SCF_IOC_SLOT_FREE	_IOW(SCF_IOC_MAGIC, 0xc2, struct scf_slot_args)
#define SCF_IOC_BELL_KICK	_IOWR(SCF_IOC_MAGIC, 0xc3, struct scf_kick_args)
#define SCF_IOC_BELL_WAIT	_IOWR(SCF_IOC_MAGIC, 0xc4, struct scf_wait_args)

#endif /* SCF_UAPI_IOCTL_H */
