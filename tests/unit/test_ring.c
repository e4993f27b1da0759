// SPDX-License-Identifier: MIT
/*
 * test_ring.c - ring push/pop: empty, full, wrap-around across 2^32,
 * capacity 1 and the largest, corrupt indices, both disciplines alike.
 */
#include "helpers.h"
#include "scf_discipline.h"

struct fixture {
	_Alignas(64) _Atomic uint32_t head;
	_Alignas(64) _Atomic uint32_t tail;
	_Alignas(64) _Atomic uint32_t lock;
	_Atomic uint32_t *entry;
	struct scf_ring prod, cons;
};

static struct fixture *make_ring(uint32_t cap, uint32_t disc, uint32_t start)
{
	struct fixture *f = aligned_alloc(64, sizeof(*f));

	assert_non_null(f);
	memset(f, 0, sizeof(*f));
	f->entry = calloc(cap, sizeof(*f->entry));
	assert_non_null(f->entry);
	atomic_store(&f->head, start);
	atomic_store(&f->tail, start);
	/* Two views of one ring, as the two processes have. */
	scf_ring_bind(&f->prod, &f->head, &f->tail, &f->lock, f->entry, cap, disc);
	scf_ring_bind(&f->cons, &f->head, &f->tail, &f->lock, f->entry, cap, disc);
	return f;
}

static void free_ring(struct fixture *f)
{
	free(f->entry);
	free(f);
}

static void fill_drain(uint32_t cap, uint32_t disc, uint32_t start,
		       uint32_t laps)
{
	struct fixture *f = make_ring(cap, disc, start);
	uint32_t lap, i, v;

	for (lap = 0; lap < laps; lap++) {
		assert_int_equal(scf_ring_pop(&f->cons, &v), -SCF_EAGAIN);
		assert_int_equal(scf_ring_pending(&f->cons), 0);
		for (i = 0; i < cap; i++)
			assert_int_equal(scf_ring_push(&f->prod, lap * 7 + i), 0);
		assert_int_equal(scf_ring_push(&f->prod, 99), -SCF_ENOSPC);
		assert_int_equal(scf_ring_pending(&f->cons), cap);
		for (i = 0; i < cap; i++) {
			assert_int_equal(scf_ring_pop(&f->cons, &v), 0);
			assert_int_equal(v, lap * 7 + i);
		}
		assert_int_equal(scf_ring_pop(&f->cons, &v), -SCF_EAGAIN);
	}
	assert_int_equal(atomic_load(&f->head), start + cap * laps);
	assert_int_equal(atomic_load(&f->tail), start + cap * laps);
	free_ring(f);
}

static void test_empty_full(void **state)
{
	(void)state;
	fill_drain(8, SCF_RING_LOCKFREE, 0, 3);
	fill_drain(8, SCF_RING_LOCKED, 0, 3);
}

static void test_wrap_2_32(void **state)
{
	(void)state;
	/* Start just below 2^32 so the indices wrap mid-lap. */
	fill_drain(16, SCF_RING_LOCKFREE, UINT32_MAX - 20, 4);
	fill_drain(16, SCF_RING_LOCKED, UINT32_MAX - 20, 4);
	fill_drain(1, SCF_RING_LOCKFREE, UINT32_MAX, 3);
}

static void test_capacity_one(void **state)
{
	(void)state;
	fill_drain(1, SCF_RING_LOCKFREE, 0, 5);
	fill_drain(1, SCF_RING_LOCKED, 0, 5);
}

static void test_capacity_max(void **state)
{
	(void)state;
	fill_drain(SCF_CAP_MAX, SCF_RING_LOCKFREE, UINT32_MAX - 5, 2);
	fill_drain(SCF_CAP_MAX, SCF_RING_LOCKED, 0, 1);
}

static void test_interleaved(void **state)
{
	struct fixture *f = make_ring(4, SCF_RING_LOCKFREE, UINT32_MAX - 1);
	uint32_t i, v, next = 0;

	(void)state;
	/* Keep 0..3 entries in flight while crossing 2^32 many times over. */
	for (i = 0; i < 1000; i++) {
		assert_int_equal(scf_ring_push(&f->prod, i), 0);
		if (i % 3 != 1) {
			assert_int_equal(scf_ring_pop(&f->cons, &v), 0);
			assert_int_equal(v, next++);
		}
		while (scf_ring_pending(&f->cons) >= 4) {
			assert_int_equal(scf_ring_pop(&f->cons, &v), 0);
			assert_int_equal(v, next++);
		}
	}
	while (scf_ring_pop(&f->cons, &v) == 0)
		assert_int_equal(v, next++);
	assert_int_equal(next, 1000);
	free_ring(f);
}

static void test_corrupt_indices(void **state)
{
	struct fixture *f = make_ring(8, SCF_RING_LOCKFREE, 0);
	uint32_t v;

	(void)state;
	/* A producer index claiming more than capacity is refused... */
	atomic_store(&f->head, 1000);
	assert_int_equal(scf_ring_pop(&f->cons, &v), -SCF_EPROTO);
	/* ...and resync drops what it claims, so the ring is usable again. */
	assert_int_equal(scf_ring_resync(&f->cons), 1000);
	f->prod.prod = 1000;
	assert_int_equal(scf_ring_push(&f->prod, 5), 0);
	assert_int_equal(scf_ring_pop(&f->cons, &v), 0);
	assert_int_equal(v, 5);
	/*
	 * A consumer index ahead of the producer's is refused too, as soon
	 * as the producer needs to look at it (when its cached tail says full).
	 */
	atomic_store(&f->tail, 5000);
	{
		int i, ret = 0;

		for (i = 0; i <= 8 && !ret; i++)
			ret = scf_ring_push(&f->prod, 1);
		assert_int_equal(ret, -SCF_EPROTO);
	}
	free_ring(f);
}

static void test_lock_timeout(void **state)
{
	struct fixture *f = make_ring(4, SCF_RING_LOCKED, 0);
	uint32_t v;

	(void)state;
	atomic_store(&f->lock, 1);	/* a peer died holding the lock */
	assert_int_equal(scf_ring_push(&f->prod, 1), -SCF_ETIMEDOUT);
	atomic_store(&f->lock, 0);
	assert_int_equal(scf_ring_push(&f->prod, 1), 0);
	assert_int_equal(atomic_load(&f->lock), 0);
	assert_int_equal(scf_ring_pop(&f->cons, &v), 0);
	free_ring(f);
}

/* The same random script of operations gives the same results. */
static void test_disciplines_equivalent(void **state)
{
	struct fixture *a = make_ring(32, SCF_RING_LOCKFREE, UINT32_MAX - 100);
	struct fixture *b = make_ring(32, SCF_RING_LOCKED, UINT32_MAX - 100);
	unsigned seed = 12345;
	int i;

	(void)state;
	for (i = 0; i < 200000; i++) {
		uint32_t va = 0, vb = 0, x = (uint32_t)rand_r(&seed);
		int ra, rb;

		if (x & 1) {
			ra = scf_ring_push(&a->prod, x >> 1);
			rb = scf_ring_push(&b->prod, x >> 1);
		} else {
			ra = scf_ring_pop(&a->cons, &va);
			rb = scf_ring_pop(&b->cons, &vb);
		}
		assert_int_equal(ra, rb);
		assert_int_equal(va, vb);
		assert_int_equal(scf_ring_pending(&a->cons),
				 scf_ring_pending(&b->cons));
	}
	free_ring(a);
	free_ring(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_full),
		cmocka_unit_test(test_wrap_2_32),
		cmocka_unit_test(test_capacity_one),
		cmocka_unit_test(test_capacity_max),
		cmocka_unit_test(test_interleaved),
		cmocka_unit_test(test_corrupt_indices),
		cmocka_unit_test(test_lock_timeout),
		cmocka_unit_test(test_disciplines_equivalent),
	};

	return cmocka_run_group_tests_name("ring", tests, NULL, NULL);
}
