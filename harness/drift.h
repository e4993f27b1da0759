/* SPDX-License-Identifier: MIT */
/*
 * drift.h - did the machine change between samples?  The baseline (a
 * cache-line ping-pong on the benchmark CPUs, after every sample) says.
 */
#ifndef DRIFT_H
#define DRIFT_H

#include <stddef.h>
#include <stdint.h>

/* Past this max/min of the per-sample baselines, the run is flagged. */
#define DRIFT_LIMIT	1.25

/* max / min of v[0..n) (values <= 0 ignored); 0 when there is none. */
double drift_spread(const double *v, uint32_t n);
/*
 * When drift_spread() > limit: names the samples (1-based, "3,7") whose
 * value is off the median by more than sqrt(limit) either way, into buf;
 * returns how many (at least one then), else 0 and buf "".
 */
int drift_samples(const double *v, uint32_t n, double limit, char *buf,
		  size_t len);

#endif /* DRIFT_H */
