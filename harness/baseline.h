/* SPDX-License-Identifier: MIT */
/*
 * baseline.h - the machine's state beside every sample: a short cache-line
 * ping-pong between the benchmark CPUs, with the shadow parked (asleep,
 * SCF_OP_PARK) so that nothing else spins on them.
 */
#ifndef BASELINE_H
#define BASELINE_H

#include "bench.h"

/* Round trips of one baseline: a few thousand, well under a millisecond. */
#define BASELINE_ROUNDS	2000

/* Put the shadow to sleep / wake it; nothing when there is no shadow. */
void bench_shadow_park(struct bench *b);
void bench_shadow_unpark(struct bench *b);
/* Park the shadow and time the ping-pong: its p50 in ns, 0 if it failed. */
double baseline_ns(struct bench *b);

#endif /* BASELINE_H */
