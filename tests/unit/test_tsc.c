// SPDX-License-Identifier: MIT
/*
 * test_tsc.c - TSC calibration agrees with the clock, skew is measured
 * between two real CPUs, and bad CPUs are refused.
 */
#include <time.h>
#include <unistd.h>

#include "helpers.h"
#include "scf_arch.h"
#include "scf_sched.h"
#include "scf_tsc.h"

static void test_calibrate(void **state)
{
	struct timespec a, b;
	uint64_t hz, t0, t1;
	double ns, est;

	(void)state;
	assert_int_equal(scf_tsc_calibrate(&hz), 0);
	assert_true(hz > 100000000ull && hz < 10000000000ull);
	/* 50 ms by the clock, measured again by the TSC: within 2 %. */
	clock_gettime(CLOCK_MONOTONIC_RAW, &a);
	t0 = scf_rdtsc_ordered();
	usleep(50000);
	t1 = scf_rdtsc_ordered();
	clock_gettime(CLOCK_MONOTONIC_RAW, &b);
	ns = (double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec);
	est = scf_tsc_to_ns((int64_t)(t1 - t0), hz);
	assert_true(est > ns * 0.98 && est < ns * 1.02);
}

static void test_skew(void **state)
{
	struct scf_tsc_skew sk;
	uint64_t hz;

	(void)state;
	if (scf_cpus_online() < 2) {
		skip();
		return;
	}
	assert_int_equal(scf_tsc_calibrate(&hz), 0);
	assert_int_equal(scf_tsc_skew(0, 1, hz, &sk), 0);
	assert_true(sk.rounds > 0 && sk.rtt_ns > 0);
	/* The estimate is bounded by half the best round trip. */
	assert_true(sk.skew_ns > -1e6 && sk.skew_ns < 1e6);
	assert_int_equal(scf_tsc_skew(0, 5000, hz, &sk), -EINVAL);
}

static void test_pin(void **state)
{
	(void)state;
	assert_int_equal(scf_pin_cpu(-1), -EINVAL);
	assert_int_equal(scf_pin_cpu(0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_calibrate),
		cmocka_unit_test(test_skew),
		cmocka_unit_test(test_pin),
	};

	return cmocka_run_group_tests_name("tsc", tests, NULL, NULL);
}
