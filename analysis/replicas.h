/* SPDX-License-Identifier: MIT */
/*
 * replicas.h - the replicas of one configuration (make bench REPLICAS=R:
 * R identical scf-bench processes, each with its own region, shadow and
 * client) pooled into one result, and the statistics whose unit is the
 * replica.
 *
 * One process carries a level of its own (where its pages landed), and
 * all its samples share it: the samples of one process are not R
 * independent measurements of the machine.  So:
 *   - latency distributions pool every call of every replica (the pooled
 *     result's phases: count, min, mean, max summed or taken over all;
 *     percentiles from the replicas' histograms merged, at the coarsest
 *     bucket, where that bucket is at most 2 % of the value (else the
 *     median of the replicas' own); per-sample series concatenated);
 *   - every ratio, interval and comparison takes one value per replica,
 *     the replica's own p50 (replica_values()), and their median.
 * The pooled result's other fields: samples, identity, interference
 * samples, baseline and wall-gap series pooled over the replicas; cpu,
 * counters and extra their mean; warnings every replica's, once each; the
 * rest (context, tail, placement) are replica 1's.
 */
#ifndef ANALYSIS_REPLICAS_H
#define ANALYSIS_REPLICAS_H

#include <stddef.h>

#include "result.h"

#define REPLICAS_MAX	64

/*
 * Pool the n replicas reps[0..n) (taken: out owns them as out->rep) into
 * out.  0, or -1 with e set.
 */
int result_pool(struct result *reps, size_t n, struct result *out,
		struct aerr *e);

/*
 * The p50 of phase (its name) in every replica of r, or r's own where r
 * pools none; at most max values into v.  The count (0: no such phase).
 */
size_t replica_values(const struct result *r, const char *phase, double *v,
		      size_t max);

/* Median of v[0..n) (the mean of the two middle values when n is even);
 * NAN when n is 0. */
double median_of(const double *v, size_t n);

/*
 * median(a) / median(b) and its 95 % interval from a bootstrap over the
 * replicas of each side (resampled with a fixed seed, so one result set
 * always gives one interval).  lo = hi = the ratio when either side has
 * one value.  0, or -EINVAL when a side is empty or b's median is not
 * positive.
 */
int ratio_interval(const double *a, size_t na, const double *b, size_t nb,
		   double *ratio, double *lo, double *hi);

/*
 * A ratio paired within rounds.  Under scf-interleave round i runs sample
 * i of every process, so sample i of a's replica k and of b's replica k
 * were measured side by side, in one machine state where the machine
 * switches states more slowly than a round (their per-sample baselines
 * say which).  Each such pair gives a ratio; a replica's ratio is the
 * median of its pairs; the ratio is the median over replicas, with a 95 %
 * bootstrap interval over the replicas (fixed seed).
 */
struct paired {
	double ratio, lo, hi;	/* lo = hi = ratio with one replica pair */
	size_t nrep;		/* replica pairs that gave a ratio */
	size_t rounds;		/* sample pairs with both sides measured */
	size_t kept;		/* of them, those whose baselines agree */
};
/*
 * Pair phase pa of a (each replica, or a itself) with phase pb of b,
 * replica k with replica k, sample i with sample i; a pair whose two
 * baselines differ by more than state_limit (a fraction) is left out
 * (measured in two states).  0, or -EINVAL where no pair gave a ratio
 * (no per-sample p50s, or every pair in two states).
 */
int paired_ratio(const struct result *a, const char *pa,
		 const struct result *b, const char *pb, double state_limit,
		 struct paired *out);

/*
 * The spread of r's phase, in % of its median: between, max - min of the
 * replicas' p50s; within, the median over the replicas of max - min of
 * each one's per-sample p50s.  NAN where r pools fewer than two replicas
 * (between) or has no per-sample p50s (within).
 */
void replica_spread(const struct result *r, const char *phase,
		    double *between, double *within);

#endif /* ANALYSIS_REPLICAS_H */
