/* SPDX-License-Identifier: MIT */
/*
 * uintr_abi.h - the architectural and kernel interfaces of Intel user
 * interrupts (UINTR), in one place.
 *
 * Architectural (Intel SDM vol. 3, "User Interrupts"):
 *
 *   UPID, user posted-interrupt descriptor, 16 bytes, 16-byte aligned:
 *     bits   0      ON    outstanding notification
 *     bit    1      SN    suppress notification
 *     bits  15:2    reserved
 *     bits  23:16   NV    notification vector
 *     bits  31:24   reserved
 *     bits  63:32   NDST  notification destination
 *     bits 127:64   PIR   posted-interrupt requests, one bit per user vector
 *
 *   UITT entry, user-interrupt target table, 16 bytes:
 *     bit    0      valid
 *     bits   7:1    reserved
 *     bits  15:8    UV    user vector (0..63)
 *     bits  63:16   reserved
 *     bits 127:64   UPID address (here: an offset, see uintr_post.h)
 *
 * Kernel ABIs: two syscall tables exist in the wild and a binary must work
 * on either, so the numbers are kept side by side and the one in use is
 * chosen by probing at run time (uintr_probe.c), never by one hard-coded
 * table.  Numbers, arguments and errors of both: variants/uintr/README.md.
 *
 *   RFC v1 (LKML 2021-09, based on v5.14): 449..454
 *   intel/uintr-linux-kernel (uintr-next): 471..479
 *
 * On a mainline kernel 449..454 are futex_waitv, set_mempolicy_home_node,
 * cachestat, fchmodat2, map_shadow_stack and futex_wake: calling them
 * blindly would run those.  The probe therefore asks only a kernel that
 * enumerates the "uintr" CPU flag (a UINTR kernel), and asks the newer
 * table first (see uintr_probe.c).
 */
#ifndef UINTR_ABI_H
#define UINTR_ABI_H

#include <stdint.h>

/* ---- UPID bits (SDM) ---- */
#define UINTR_UPID_ON		(1ull << 0)
#define UINTR_UPID_SN		(1ull << 1)
#define UINTR_UPID_NV_SHIFT	16
#define UINTR_UPID_NV_MASK	(0xffull << UINTR_UPID_NV_SHIFT)
#define UINTR_UPID_NDST_SHIFT	32
#define UINTR_UPID_NDST_MASK	(0xffffffffull << UINTR_UPID_NDST_SHIFT)
#define UINTR_NR_VECTORS	64u

/* ---- UITT entry bits (SDM) ---- */
#define UINTR_UITTE_VALID	(1u << 0)

/* ---- CPUID ---- */
#define UINTR_CPUID_LEAF	7u
#define UINTR_CPUID_SUBLEAF	0u
#define UINTR_CPUID_EDX_BIT	5u	/* CPUID.(EAX=7,ECX=0):EDX[5] */

/* ---- RFC v1 syscall numbers ---- */
#ifndef UINTR_RFC1_NR_REGISTER_HANDLER
#define UINTR_RFC1_NR_REGISTER_HANDLER		449
#endif
#ifndef UINTR_RFC1_NR_UNREGISTER_HANDLER
#define UINTR_RFC1_NR_UNREGISTER_HANDLER	450
#endif
#ifndef UINTR_RFC1_NR_CREATE_FD
#define UINTR_RFC1_NR_CREATE_FD			451
#endif
#ifndef UINTR_RFC1_NR_REGISTER_SENDER
#define UINTR_RFC1_NR_REGISTER_SENDER		452
#endif
#ifndef UINTR_RFC1_NR_UNREGISTER_SENDER
#define UINTR_RFC1_NR_UNREGISTER_SENDER		453
#endif
#ifndef UINTR_RFC1_NR_WAIT
#define UINTR_RFC1_NR_WAIT			454
#endif

/* ---- intel/uintr-linux-kernel syscall numbers ---- */
#ifndef UINTR_INTEL_NR_REGISTER_HANDLER
#define UINTR_INTEL_NR_REGISTER_HANDLER		471
#endif
#ifndef UINTR_INTEL_NR_UNREGISTER_HANDLER
#define UINTR_INTEL_NR_UNREGISTER_HANDLER	472
#endif
#ifndef UINTR_INTEL_NR_VECTOR_FD
#define UINTR_INTEL_NR_VECTOR_FD		473
#endif
#ifndef UINTR_INTEL_NR_REGISTER_SENDER
#define UINTR_INTEL_NR_REGISTER_SENDER		474
#endif
#ifndef UINTR_INTEL_NR_UNREGISTER_SENDER
#define UINTR_INTEL_NR_UNREGISTER_SENDER	475
#endif
#ifndef UINTR_INTEL_NR_WAIT
#define UINTR_INTEL_NR_WAIT			476
#endif
#ifndef UINTR_INTEL_NR_REGISTER_SELF
#define UINTR_INTEL_NR_REGISTER_SELF		477
#endif
#ifndef UINTR_INTEL_NR_ALT_STACK
#define UINTR_INTEL_NR_ALT_STACK		478
#endif
#ifndef UINTR_INTEL_NR_IPI_FD
#define UINTR_INTEL_NR_IPI_FD			479
#endif

/* uintr_register_handler() flags (intel ABI; RFC v1 accepts only 0). */
#ifndef UINTR_HANDLER_FLAG_WAITING_NONE
#define UINTR_HANDLER_FLAG_WAITING_NONE		0x0
#define UINTR_HANDLER_FLAG_WAITING_RECEIVER	0x1000	/* a UIPI wakes us from any blocking syscall */
#define UINTR_HANDLER_FLAG_WAITING_SENDER	0x2000
#define UINTR_HANDLER_FLAG_WAITING_ANY		(UINTR_HANDLER_FLAG_WAITING_SENDER | \
						 UINTR_HANDLER_FLAG_WAITING_RECEIVER)
#endif

/* One syscall table; uintr_probe.c names the one that answered. */
enum uintr_abi_kind {
	UINTR_ABI_NONE = 0,
	UINTR_ABI_RFC1,
	UINTR_ABI_INTEL,
};

struct uintr_abi {
	enum uintr_abi_kind kind;
	const char *name;		/* "rfc-v1", "intel" */
	long nr_register_handler;
	long nr_unregister_handler;
	long nr_create_fd;		/* create_fd / uintr_vector_fd */
	long nr_register_sender;
	long nr_unregister_sender;	/* RFC v1 takes the fd, intel the index */
	long nr_wait;			/* RFC v1: (flags); intel: (usec, flags) */
};

extern const struct uintr_abi uintr_abi_rfc1;
extern const struct uintr_abi uintr_abi_intel;

#endif /* UINTR_ABI_H */
