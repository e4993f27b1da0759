/* SPDX-License-Identifier: MIT */
/*
 * mwu.h - the two-sided Mann-Whitney U test.
 *
 * Matches scipy.stats.mannwhitneyu(x, y, alternative="two-sided",
 * use_continuity=True, method="auto"): the exact distribution when there
 * are no ties and either side has at most 8 values, else the normal
 * approximation with the tie correction and a continuity correction.
 */
#ifndef ANALYSIS_MWU_H
#define ANALYSIS_MWU_H

#include <stddef.h>

#define MWU_RELIABLE_N	8	/* fewer per side: the test has little power */

struct mwu {
	double u1;		/* U of x: pairs (x_i, y_j) with x_i > y_j, ties 1/2 */
	double u2;		/* n1*n2 - u1 */
	double z;		/* normal approximation (0 when exact) */
	double p;		/* two-sided p-value */
	int exact;		/* 1: exact distribution, 0: normal approximation */
};

enum mwu_method { MWU_AUTO, MWU_EXACT, MWU_ASYMPTOTIC };

/* 0, or -EINVAL when a side is empty or a value is not finite. */
int mwu_test(const double *x, size_t n1, const double *y, size_t n2,
	     struct mwu *out);
/*
 * The same with the method chosen: MWU_EXACT falls back to the normal
 * approximation where exact is not possible (ties, or n1 + n2 > 200).
 */
int mwu_test_method(const double *x, size_t n1, const double *y, size_t n2,
		    enum mwu_method method, struct mwu *out);

#endif /* ANALYSIS_MWU_H */
