// SPDX-License-Identifier: MIT
/* hist.c - percentiles read from a stored histogram. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hist.h"

static uint64_t rank_of(double q, uint64_t n)
{
	/* ceil(q*n), computed so that q = k/n gives exactly k. */
	double r = ceil(q * (double)n - 1e-9);

	if (r < 1)
		return 1;
	if (r > (double)n)
		return n;
	return (uint64_t)r;
}

int hist_percentile(const struct hist *h, double q, double *out)
{
	uint64_t k, cum;
	size_t i;

	if (!h || h->total == 0 || !(q > 0) || q > 1)
		return -EINVAL;
	k = rank_of(q, h->total);
	cum = h->underflow;
	if (k <= cum) {
		*out = 0;
		return HIST_UNDER;
	}
	for (i = 0; i < h->n; i++) {
		cum += h->count[i];
		if (k <= cum) {
			*out = ((double)h->bucket[i] + 0.5) * h->bucket_ns;
			return HIST_IN;
		}
	}
	*out = (double)h->buckets * h->bucket_ns;
	return HIST_OVER;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double exact_percentile(const double *v, size_t n, double q)
{
	double *s, r;

	if (!n)
		return NAN;
	s = malloc(n * sizeof(*s));
	if (!s)
		return NAN;
	memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	r = s[rank_of(q, n) - 1];
	free(s);
	return r;
}
