// SPDX-License-Identifier: MIT
/*
 * test_ring_batch.c - staged pushes are invisible until one commit
 * publishes them all; the consumer's cached head neither hides a commit
 * nor outlives a queue reset; the locked discipline refuses staging.
 */
#include "helpers.h"

static void test_stage_commit(void **state)
{
	struct test_region r;
	struct scf_queue c, s;
	uint32_t idx, i;

	(void)state;
	test_region_make(&r, 8, SCF_RING_LOCKFREE, 64);
	assert_int_equal(scf_queue_attach(&c, r.mem, r.size, 0), 0);
	assert_int_equal(scf_queue_attach(&s, r.mem, r.size, 0), 0);
	for (i = 0; i < 3; i++)
		assert_int_equal(scf_ring_stage(&c.req, i), 0);
	assert_int_equal(scf_ring_staged(&c.req), 3);
	assert_int_equal(scf_ring_pending(&s.req), 0);
	assert_int_equal(scf_ring_pop(&s.req, &idx), -SCF_EAGAIN);
	scf_ring_commit(&c.req);
	assert_int_equal(scf_ring_staged(&c.req), 0);
	assert_int_equal(scf_ring_pending(&s.req), 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(scf_ring_pop(&s.req, &idx), 0);
		assert_int_equal(idx, i);
	}
	assert_int_equal(scf_ring_pop(&s.req, &idx), -SCF_EAGAIN);
	/* A push after the cache was filled is still seen. */
	assert_int_equal(scf_ring_push(&c.req, 5), 0);
	assert_int_equal(scf_ring_pop(&s.req, &idx), 0);
	assert_int_equal(idx, 5);
	/* Full: staging stops at capacity like pushing does. */
	for (i = 0; i < 8; i++)
		assert_int_equal(scf_ring_stage(&c.req, i), 0);
	assert_int_equal(scf_ring_stage(&c.req, 0), -SCF_ENOSPC);
	scf_ring_commit(&c.req);
	assert_int_equal(scf_ring_pop(&s.req, &idx), 0);
	/* A reset forgets the cached head: nothing left to pop. */
	scf_queue_reset(&s);
	assert_int_equal(scf_ring_pop(&s.req, &idx), -SCF_EAGAIN);
	test_region_free(&r);
}

static void test_stage_locked(void **state)
{
	struct test_region r;
	struct scf_queue c;

	(void)state;
	test_region_make(&r, 8, SCF_RING_LOCKED, 64);
	assert_int_equal(scf_queue_attach(&c, r.mem, r.size, 0), 0);
	assert_int_equal(scf_ring_stage(&c.req, 1), -SCF_EINVAL);
	test_region_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stage_commit),
		cmocka_unit_test(test_stage_locked),
	};

	return cmocka_run_group_tests_name("ring_batch", tests, NULL, NULL);
}
