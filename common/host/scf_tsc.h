/* SPDX-License-Identifier: MIT */
/*
 * scf_tsc.h - hosted TSC helpers: frequency, invariance, cross-CPU skew.
 */
#ifndef SCF_TSC_H
#define SCF_TSC_H

#include <stdbool.h>
#include <stdint.h>

/* TSC ticks per second, measured against CLOCK_MONOTONIC_RAW (median of rounds). */
int scf_tsc_calibrate(uint64_t *hz);
/* CPUID.80000007H:EDX[8]: the TSC runs at a constant rate in all C/P-states. */
bool scf_tsc_invariant(void);

struct scf_tsc_skew {
	double skew_ns;		/* TSC(cpu_b) - TSC(cpu_a) at the same instant */
	double rtt_ns;		/* round trip of the best exchange */
	double spread_ns;	/* max - min offset over the best decile */
	unsigned rounds;
};

/*
 * Measure the offset between the TSCs of two CPUs by a cache-line ping-pong
 * between two pinned threads: for each exchange, the offset estimate is
 * t_b - (t_a0 + t_a1) / 2, and the exchange with the shortest round trip
 * bounds the error by half of it.  -errno if either CPU cannot be used.
 */
int scf_tsc_skew(int cpu_a, int cpu_b, uint64_t hz, struct scf_tsc_skew *out);

static inline double scf_tsc_to_ns(int64_t ticks, uint64_t hz)
{
	return (double)ticks * 1e9 / (double)hz;
}

#endif /* SCF_TSC_H */
