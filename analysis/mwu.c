// SPDX-License-Identifier: MIT
/* mwu.c - the two-sided Mann-Whitney U test (see mwu.h). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "mwu.h"
#include "util.h"

struct obs {
	double v;
	int side;
};

static int cmp_obs(const void *a, const void *b)
{
	double x = ((const struct obs *)a)->v, y = ((const struct obs *)b)->v;

	return x < y ? -1 : x > y;
}

/*
 * P(U >= u) under H0 for sizes m, n, exactly: the counts of U are the
 * coefficients of the Gaussian binomial [m+n choose m]_q =
 * prod_{i=1..m} (1 - q^(n+i)) / (1 - q^i).  Every intermediate is a
 * Gaussian binomial's coefficient, an integer below C(m+n, m) < 2^53 for
 * the sizes mwu_test() sends here, so doubles hold them exactly.
 */
static double exact_sf(double u, size_t m, size_t n)
{
	size_t deg = m * n, i, k;
	double *c = xcalloc(deg + 1, sizeof(double));
	double total = 0, tail = 0;

	c[0] = 1;
	for (i = 1; i <= m; i++) {
		/* multiply by (1 - q^(n+i)), from the top down */
		for (k = deg; k >= n + i; k--)
			c[k] -= c[k - n - i];
		/* divide by (1 - q^i): a running sum with stride i */
		for (k = i; k <= deg; k++)
			c[k] += c[k - i];
	}
	for (k = 0; k <= deg; k++) {
		total += c[k];
		if ((double)k >= u)
			tail += c[k];
	}
	free(c);
	return tail / total;
}

int mwu_test(const double *x, size_t n1, const double *y, size_t n2,
	     struct mwu *out)
{
	return mwu_test_method(x, n1, y, n2, MWU_AUTO, out);
}

int mwu_test_method(const double *x, size_t n1, const double *y, size_t n2,
		    enum mwu_method method, struct mwu *out)
{
	size_t n = n1 + n2, i, j;
	struct obs *o;
	double r1 = 0, tie_term = 0, mu, sd, u;
	int ties = 0;

	if (!n1 || !n2)
		return -EINVAL;
	o = xcalloc(n, sizeof(*o));
	for (i = 0; i < n1; i++)
		o[i] = (struct obs){ x[i], 0 };
	for (i = 0; i < n2; i++)
		o[n1 + i] = (struct obs){ y[i], 1 };
	for (i = 0; i < n; i++) {
		if (!isfinite(o[i].v)) {
			free(o);
			return -EINVAL;
		}
	}
	qsort(o, n, sizeof(*o), cmp_obs);
	/* average ranks (1-based) over runs of equal values */
	for (i = 0; i < n; i = j) {
		double t, rank;

		for (j = i + 1; j < n && o[j].v == o[i].v; j++)
			;
		t = (double)(j - i);
		rank = ((double)i + 1 + (double)j) / 2;
		for (size_t k = i; k < j; k++)
			if (o[k].side == 0)
				r1 += rank;
		if (t > 1) {
			ties = 1;
			tie_term += t * t * t - t;
		}
	}
	free(o);

	out->u1 = r1 - (double)n1 * ((double)n1 + 1) / 2;
	out->u2 = (double)n1 * (double)n2 - out->u1;
	u = fmax(out->u1, out->u2);
	out->z = 0;
	if (!ties && n <= 200 && (method == MWU_EXACT ||
				  (method == MWU_AUTO && (n1 <= 8 || n2 <= 8)))) {
		out->exact = 1;
		out->p = 2 * exact_sf(u, n1, n2);
	} else {
		out->exact = 0;
		mu = (double)n1 * (double)n2 / 2;
		sd = sqrt((double)n1 * (double)n2 / 12 *
			  (((double)n + 1) - tie_term / ((double)n * ((double)n - 1))));
		if (sd > 0) {
			out->z = (u - mu - 0.5) / sd;
			out->p = erfc(out->z / M_SQRT2);	/* 2 * sf(z) */
		} else {
			out->p = 1;	/* every value equal: no evidence */
		}
	}
	if (out->p > 1)
		out->p = 1;
	return 0;
}
