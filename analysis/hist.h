/* SPDX-License-Identifier: MIT */
/*
 * hist.h - percentiles and CDF points read from a stored histogram.
 *
 * Bucket i holds [i*bucket_ns, (i+1)*bucket_ns).  A percentile is the
 * nearest-rank one: the value of rank ceil(q*N) in ascending order, which
 * the histogram locates to its bucket; the bucket's midpoint is returned,
 * so it is within bucket_ns / 2 of the exact value.
 */
#ifndef ANALYSIS_HIST_H
#define ANALYSIS_HIST_H

#include "result.h"

enum hist_where {
	HIST_IN = 0,		/* inside the range: *out is a bucket midpoint */
	HIST_UNDER = -1,	/* among the negative values: *out = 0 (upper bound) */
	HIST_OVER = 1,		/* past the range: *out = buckets*bucket_ns (lower bound) */
};

/*
 * The q-quantile (0 < q <= 1) of h into *out.  Returns an enum hist_where,
 * or -EINVAL for an empty histogram or q out of range.
 */
int hist_percentile(const struct hist *h, double q, double *out);

/* Exact nearest-rank quantile of n values (sorts a copy). */
double exact_percentile(const double *v, size_t n, double q);

#endif /* ANALYSIS_HIST_H */
