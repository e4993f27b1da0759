// SPDX-License-Identifier: MIT
/*
 * test_probe.c - probes store ordered, monotonic TSC stamps; built with
 * SCF_PROBES=0 (probe_off.c) they store nothing and evaluate nothing.
 */
#include "helpers.h"
#include "scf_probe.h"

int probe_off_enabled(void);
int probe_off_stamp(uint64_t *p);

static void test_probes_on(void **state)
{
	uint64_t p[SCF_PROBE_NR] = { 0 };
	int i;

	(void)state;
	assert_int_equal(scf_probes_enabled(), 1);
	for (i = SCF_C0_CALL; i <= SCF_C7_DONE; i++)
		scf_probe(p, i);
	for (i = SCF_C0_CALL + 1; i <= SCF_C7_DONE; i++)
		assert_true(p[i] >= p[i - 1] && p[i]);
	assert_int_equal(p[SCF_KQ_ENTRY], 0);
}

static void test_probes_compiled_out(void **state)
{
	uint64_t p[SCF_PROBE_NR];
	int i;

	(void)state;
	memset(p, 0xa5, sizeof(p));
	assert_int_equal(probe_off_enabled(), 0);
	assert_int_equal(probe_off_stamp(p), 0);
	for (i = 0; i < SCF_PROBE_NR; i++)
		assert_true(p[i] == 0xa5a5a5a5a5a5a5a5ull);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_probes_on),
		cmocka_unit_test(test_probes_compiled_out),
	};

	return cmocka_run_group_tests_name("probe", tests, NULL, NULL);
}
