// SPDX-License-Identifier: MIT
/*
 * compare_baseline.c - what the per-sample baselines (scf-bench/2) tell a
 * comparison: the machine's speed on each side, and phase values divided
 * by the baseline of their own sample.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "hist.h"

double runset_baseline(const struct runset *rs, const char *vdir)
{
	double *all = NULL, m;
	size_t i, j, n = 0;

	for (i = 0; i < rs->n; i++) {
		const struct series *b = &rs->r[i].baseline.p50_ns;

		if (strcmp(rs->r[i].dir, vdir) || !b->n)
			continue;
		all = xrealloc(all, (n + b->n) * sizeof(*all));
		for (j = 0; j < b->n; j++)
			all[n++] = b->v[j];
	}
	m = exact_percentile(all, n, 0.5);
	free(all);
	return m;
}

int baseline_ratios(const struct series *v, const struct result *r,
		    double **out)
{
	const struct series *b = &r->baseline.p50_ns;
	size_t i;

	*out = NULL;
	if (!v->n || b->n != v->n)
		return -EINVAL;
	*out = xcalloc(v->n, sizeof(**out));
	for (i = 0; i < v->n; i++) {
		if (!(b->v[i] > 0) || !isfinite(v->v[i])) {
			free(*out);
			*out = NULL;
			return -EINVAL;
		}
		(*out)[i] = v->v[i] / b->v[i];
	}
	return 0;
}
