// SPDX-License-Identifier: MIT
/*
 * drift.c - spread of the per-sample baselines and the samples that moved.
 * Off the median by sqrt(limit): if max/min > limit, max/median or
 * median/min exceeds sqrt(limit), so at least one sample is named.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drift.h"

double drift_spread(const double *v, uint32_t n)
{
	double lo = 0, hi = 0;
	uint32_t i;

	for (i = 0; i < n; i++) {
		if (v[i] <= 0)
			continue;
		if (!lo || v[i] < lo)
			lo = v[i];
		if (v[i] > hi)
			hi = v[i];
	}
	return lo ? hi / lo : 0;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int drift_samples(const double *v, uint32_t n, double limit, char *buf,
		  size_t len)
{
	double *s, med, band = sqrt(limit);
	uint32_t i, m = 0;
	size_t off = 0;
	int named = 0;

	if (len)
		buf[0] = 0;
	if (drift_spread(v, n) <= limit)
		return 0;
	s = malloc(sizeof(*s) * n);
	if (!s)
		return 0;
	for (i = 0; i < n; i++)
		if (v[i] > 0)
			s[m++] = v[i];
	qsort(s, m, sizeof(*s), cmp_d);
	med = m % 2 ? s[m / 2] : (s[m / 2 - 1] + s[m / 2]) / 2;
	free(s);
	for (i = 0; i < n; i++) {
		if (v[i] <= 0 || (v[i] / med <= band && med / v[i] <= band))
			continue;
		named++;
		if (off < len)
			off += (size_t)snprintf(buf + off, len - off, "%s%u",
						named > 1 ? "," : "", i + 1);
	}
	return named;
}
