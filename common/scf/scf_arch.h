/* SPDX-License-Identifier: MIT */
/*
 * scf_arch.h - the few machine instructions the core needs.
 */
#ifndef SCF_ARCH_H
#define SCF_ARCH_H

#include <stdint.h>

#if !defined(__x86_64__)
#error "scf-bench measures with the x86-64 TSC"
#endif

/*
 * An ordered TSC read.  RDTSC alone may execute before earlier loads have
 * completed and may be passed by later instructions, so a stamp taken
 * "after the ring push" could land before it.  LFENCE before RDTSC waits
 * for every earlier instruction to complete locally (Intel SDM; AMD with
 * the LFENCE-serialising MSR that Linux sets); LFENCE after it keeps
 * later instructions from starting before the counter is read.  RDTSCP
 * would give the first half but not the second and requires IA32_TSC_AUX
 * to be set up by the kernel, which an RTOS may not do.  Stores may still
 * sit in the store buffer at the stamp: their drain time is charged to the
 * next phase, which is where the peer observes it.
 */
static inline uint64_t scf_rdtsc_ordered(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("lfence\n\trdtsc\n\tlfence"
			     : "=a"(lo), "=d"(hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
}

/* Spin-wait hint: lets the sibling hyperthread run, saves power. */
static inline void scf_cpu_relax(void)
{
	__asm__ __volatile__("pause" : : : "memory");
}

/*
 * Read a field of the shared region exactly once.  The compiler may not
 * re-load it later, so a value that was checked is the value that is used
 * even while the peer rewrites the region (no double fetch).
 */
#define SCF_READ_ONCE(x)	(*(const volatile __typeof__(x) *)&(x))
#define SCF_WRITE_ONCE(x, v)	(*(volatile __typeof__(x) *)&(x) = (v))

#endif /* SCF_ARCH_H */
