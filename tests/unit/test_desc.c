// SPDX-License-Identifier: MIT
/*
 * test_desc.c - descriptor allocator and the region's SCF slot table:
 * exhaustion, reuse, bad frees.
 */
#include "helpers.h"
#include "scf_desc.h"

static void test_exhaust_and_reuse(void **state)
{
	uint32_t stack[8];
	uint8_t used[8];
	struct scf_desc_alloc a;
	int seen[8] = { 0 };
	int i, idx;

	(void)state;
	assert_int_equal(scf_desc_alloc_init(&a, 8, stack, used), 0);
	for (i = 0; i < 8; i++) {
		idx = scf_desc_get(&a);
		assert_in_range(idx, 0, 7);
		assert_int_equal(seen[idx]++, 0);	/* never twice */
	}
	assert_int_equal(scf_desc_get(&a), -SCF_EAGAIN);
	assert_int_equal(scf_desc_put(&a, 5), 0);
	/* LIFO: the one just freed comes back first (it is cache-hot). */
	assert_int_equal(scf_desc_get(&a), 5);
	assert_int_equal(scf_desc_get(&a), -SCF_EAGAIN);
	for (i = 0; i < 8; i++)
		assert_int_equal(scf_desc_put(&a, (uint32_t)i), 0);
	assert_int_equal(a.nfree, 8);
}

static void test_bad_put(void **state)
{
	uint32_t stack[4];
	uint8_t used[4];
	struct scf_desc_alloc a;

	(void)state;
	assert_int_equal(scf_desc_alloc_init(&a, 4, stack, used), 0);
	assert_int_equal(scf_desc_put(&a, 2), -SCF_EINVAL);	/* not out */
	assert_int_equal(scf_desc_put(&a, 4), -SCF_EINVAL);	/* range */
	assert_int_equal(scf_desc_get(&a), 0);
	assert_int_equal(scf_desc_put(&a, 0), 0);
	assert_int_equal(scf_desc_put(&a, 0), -SCF_EINVAL);	/* double */
	assert_int_equal(a.nfree, 4);
	assert_int_equal(scf_desc_alloc_init(&a, 0, stack, used), -SCF_EINVAL);
}

static void test_capacity_one(void **state)
{
	uint32_t stack[1];
	uint8_t used[1];
	struct scf_desc_alloc a;
	int i;

	(void)state;
	assert_int_equal(scf_desc_alloc_init(&a, 1, stack, used), 0);
	for (i = 0; i < 100; i++) {
		assert_int_equal(scf_desc_get(&a), 0);
		assert_int_equal(scf_desc_get(&a), -SCF_EAGAIN);
		assert_int_equal(scf_desc_put(&a, 0), 0);
	}
}

static void test_slot_table(void **state)
{
	struct test_region r;
	struct scf_region_info info;
	int s0, s1;

	(void)state;
	test_region_make(&r, 4, SCF_RING_LOCKFREE, 64);
	assert_int_equal(scf_region_check(r.mem, r.size, &info), 0);
	assert_int_equal(info.nr_slots, 2);
	s0 = scf_slot_alloc(r.mem, &info, 100);
	s1 = scf_slot_alloc(r.mem, &info, 101);
	assert_true(s0 >= 0 && s1 >= 0 && s0 != s1);
	assert_int_equal(scf_slot_alloc(r.mem, &info, 102), -SCF_EAGAIN);
	assert_int_equal(scf_slot_count_used(r.mem, &info), 2);
	assert_int_equal(scf_slot_free(r.mem, &info, (uint32_t)s1), 0);
	assert_int_equal(scf_slot_free(r.mem, &info, (uint32_t)s1), -SCF_EINVAL);
	assert_int_equal(scf_slot_free(r.mem, &info, 7), -SCF_EBADSLOT);
	assert_int_equal(scf_slot_alloc(r.mem, &info, 103), s1);
	assert_int_equal(scf_slot_free(r.mem, &info, (uint32_t)s0), 0);
	assert_int_equal(scf_slot_free(r.mem, &info, (uint32_t)s1), 0);
	assert_int_equal(scf_slot_count_used(r.mem, &info), 0);
	test_region_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exhaust_and_reuse),
		cmocka_unit_test(test_bad_put),
		cmocka_unit_test(test_capacity_one),
		cmocka_unit_test(test_slot_table),
	};

	return cmocka_run_group_tests_name("desc", tests, NULL, NULL);
}
