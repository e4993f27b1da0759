// SPDX-License-Identifier: MIT
/*
 * test_mwu.c - the Mann-Whitney U test against known values.
 *
 * References: the example of scipy.stats.mannwhitneyu's documentation
 * (U1 = 17, exact p = 0.1111111111111111, asymptotic p =
 * 0.11134688653314041); the exact distribution by counting (complete
 * separation of 5 and 5: p = 2 / C(10,5)); tie-corrected asymptotic
 * values from an independent Python (standard library) implementation
 * of the same formulas as scipy, recorded below.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mwu.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void assert_close(double got, double want, double rel)
{
	if (!(fabs(got - want) <= rel * fabs(want))) {
		print_error("got %.17g, want %.17g\n", got, want);
		fail();
	}
}

static const double males[] = { 19, 22, 16, 29, 24 };
static const double females[] = { 20, 11, 17, 12 };

static void scipy_doc_exact(void **state)
{
	struct mwu u;

	(void)state;
	assert_int_equal(mwu_test(males, N(males), females, N(females), &u), 0);
	assert_true(u.exact);
	assert_close(u.u1, 17.0, 1e-12);
	assert_close(u.u2, 3.0, 1e-12);
	assert_close(u.p, 0.1111111111111111, 1e-12);
}

static void scipy_doc_asymptotic(void **state)
{
	struct mwu u;

	(void)state;
	assert_int_equal(mwu_test_method(males, N(males), females, N(females),
					 MWU_ASYMPTOTIC, &u), 0);
	assert_false(u.exact);
	assert_close(u.u1, 17.0, 1e-12);
	assert_close(u.p, 0.11134688653314041, 1e-9);
}

static void symmetric_in_sides(void **state)
{
	struct mwu a, b;

	(void)state;
	mwu_test(males, N(males), females, N(females), &a);
	mwu_test(females, N(females), males, N(males), &b);
	assert_close(b.u1, a.u2, 1e-12);
	assert_close(b.p, a.p, 1e-12);
}

static void exact_separation(void **state)
{
	const double x[] = { 1, 2, 3, 4, 5 }, y[] = { 6, 7, 8, 9, 10 };
	struct mwu u;

	(void)state;
	assert_int_equal(mwu_test(x, 5, y, 5, &u), 0);
	assert_true(u.exact);
	assert_close(u.u1, 0, 1e-12);
	assert_close(u.p, 2.0 / 252.0, 1e-12);
	/* the normal approximation at this size is not below 0.01 */
	assert_int_equal(mwu_test_method(x, 5, y, 5, MWU_ASYMPTOTIC, &u), 0);
	assert_true(u.p > 0.01);
}

static void ties_asymptotic(void **state)
{
	const double x[] = { 1, 2, 2, 3, 3, 3, 4 };
	const double y[] = { 2, 3, 4, 4, 5, 5, 6, 7 };
	struct mwu u;

	(void)state;
	assert_int_equal(mwu_test(x, N(x), y, N(y), &u), 0);
	assert_false(u.exact);		/* ties: no exact distribution */
	assert_close(u.u1, 8.5, 1e-12);
	assert_close(u.p, 0.02527973688589393, 1e-9);
}

/* per-sample medians quantised by a 10 ns clock, as a real bench stores */
static void quantised_medians(void **state)
{
	const double x[] = { 1221.8, 1251.9, 1251.9, 1251.9, 1281.9, 1231.8,
			     1251.9, 1231.8, 1231.8, 1231.8, 1241.8, 1261.9 };
	const double y[] = { 1251.9, 1261.9, 1271.9, 1251.9, 1281.9, 1261.9,
			     1251.9, 1261.9, 1291.9, 1241.8, 1261.9, 1271.9,
			     1261.9 };
	struct mwu u;

	(void)state;
	assert_int_equal(mwu_test(x, N(x), y, N(y), &u), 0);
	assert_close(u.u1, 28.5, 1e-12);
	assert_close(u.p, 0.006524086411651908, 1e-9);
}

static void all_equal(void **state)
{
	const double x[] = { 5, 5, 5 }, y[] = { 5, 5, 5, 5 };
	struct mwu u;

	(void)state;
	assert_int_equal(mwu_test(x, 3, y, 4, &u), 0);
	assert_close(u.p, 1, 1e-12);
}

static void bad_input(void **state)
{
	const double x[] = { 1, NAN }, y[] = { 1 };
	struct mwu u;

	(void)state;
	assert_int_equal(mwu_test(x, 2, y, 1, &u), -EINVAL);
	assert_int_equal(mwu_test(x, 0, y, 1, &u), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(scipy_doc_exact),
		cmocka_unit_test(scipy_doc_asymptotic),
		cmocka_unit_test(symmetric_in_sides),
		cmocka_unit_test(exact_separation),
		cmocka_unit_test(ties_asymptotic),
		cmocka_unit_test(quantised_medians),
		cmocka_unit_test(all_equal),
		cmocka_unit_test(bad_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
