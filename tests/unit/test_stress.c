// SPDX-License-Identifier: MIT
/*
 * test_stress.c - two threads push 1,000,000 requests through both rings
 * of a real region, each with a payload and its checksum, in both ring
 * disciplines: no request is lost, duplicated or reordered, and no
 * payload arrives torn.
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>

#include "helpers.h"
#include "scf_arch.h"
#include "scf_desc.h"

#define NREQ	1000000u
#define CAP	64u
#define CHUNK	128u

struct stress {
	struct test_region r;
	struct scf_queue cq, sq;	/* client's and shadow's views */
	uint64_t bad_sum, reordered, dup, lost, served;
};

static uint64_t fill(uint8_t *p, uint32_t len, uint64_t seq)
{
	uint64_t sum = 0x9e3779b97f4a7c15ull ^ seq;
	uint32_t i;

	for (i = 0; i < len; i++) {
		p[i] = (uint8_t)(seq * 31 + i * 7);
		sum = (sum ^ p[i]) * 0x100000001b3ull;
	}
	return sum;
}

static uint64_t checksum(const uint8_t *p, uint32_t len, uint64_t seq)
{
	uint64_t sum = 0x9e3779b97f4a7c15ull ^ seq;
	uint32_t i;

	for (i = 0; i < len; i++)
		sum = (sum ^ p[i]) * 0x100000001b3ull;
	return sum;
}

static void backoff(unsigned *spins)
{
	/* On a 2-CPU machine the peer may be descheduled: yield sometimes. */
	if (++*spins % 1024 == 0)
		sched_yield();
	else
		scf_cpu_relax();
}

static void *shadow_thread(void *arg)
{
	struct stress *s = arg;
	struct scf_queue *q = &s->sq;
	uint64_t expect = 0;
	unsigned spins = 0;
	uint32_t idx;

	while (s->served < NREQ) {
		struct scf_desc *d;
		uint64_t seq;

		if (scf_ring_pop(&q->req, &idx)) {
			backoff(&spins);
			continue;
		}
		assert_true(idx < q->capacity);
		d = &q->desc[idx];
		seq = d->seq;
		if (seq != expect)
			s->reordered++;
		expect = seq + 1;
		if (checksum(q->pool + d->payload_off, d->payload_len, seq) !=
		    d->args[0])
			s->bad_sum++;
		d->ret = (int64_t)(d->args[0] ^ seq);
		while (scf_ring_push(&q->rsp, idx))
			backoff(&spins);
		s->served++;
	}
	return NULL;
}

static void run(uint32_t discipline)
{
	struct stress *s = calloc(1, sizeof(*s));
	uint32_t stack[CAP];
	uint8_t used[CAP], *seen;
	struct scf_desc_alloc a;
	uint64_t sent = 0, got = 0, next_rsp = 0;
	uint64_t sums[CAP];
	unsigned spins = 0;
	pthread_t th;

	assert_non_null(s);
	seen = calloc(NREQ, 1);
	assert_non_null(seen);
	test_region_make(&s->r, CAP, discipline, CHUNK);
	assert_int_equal(scf_queue_attach(&s->cq, s->r.mem, s->r.size, 0), 0);
	assert_int_equal(scf_queue_attach(&s->sq, s->r.mem, s->r.size, 0), 0);
	assert_int_equal(scf_desc_alloc_init(&a, CAP, stack, used), 0);
	assert_int_equal(pthread_create(&th, NULL, shadow_thread, s), 0);

	while (got < NREQ) {
		uint32_t idx;
		int d;

		/* Keep the ring as full as the descriptors allow. */
		while (sent < NREQ && (d = scf_desc_get(&a)) >= 0) {
			struct scf_desc *desc = &s->cq.desc[d];
			uint32_t len = 1 + (uint32_t)(sent % CHUNK);

			desc->seq = sent;
			desc->payload_off = (uint32_t)d * CHUNK;
			desc->payload_len = len;
			sums[d] = fill(s->cq.pool + desc->payload_off, len, sent);
			desc->args[0] = sums[d];
			while (scf_ring_push(&s->cq.req, (uint32_t)d))
				backoff(&spins);
			sent++;
		}
		if (scf_ring_pop(&s->cq.rsp, &idx)) {
			backoff(&spins);
			continue;
		}
		assert_true(idx < CAP);
		{
			struct scf_desc *desc = &s->cq.desc[idx];
			uint64_t seq = desc->seq;

			if (seq >= NREQ || seen[seq]++)
				s->dup++;
			if (seq != next_rsp)
				s->reordered++;
			next_rsp = seq + 1;
			if ((uint64_t)desc->ret != (sums[idx] ^ seq))
				s->bad_sum++;
		}
		assert_int_equal(scf_desc_put(&a, idx), 0);
		got++;
	}
	pthread_join(th, NULL);
	for (sent = 0; sent < NREQ; sent++)
		s->lost += !seen[sent];
	printf("# stress %s: %u requests, lost %llu, duplicated %llu, "
	       "reordered %llu, bad checksums %llu\n",
	       discipline == SCF_RING_LOCKED ? "locked" : "lockfree", NREQ,
	       (unsigned long long)s->lost, (unsigned long long)s->dup,
	       (unsigned long long)s->reordered, (unsigned long long)s->bad_sum);
	assert_int_equal(s->lost, 0);
	assert_int_equal(s->dup, 0);
	assert_int_equal(s->reordered, 0);
	assert_int_equal(s->bad_sum, 0);
	assert_int_equal(a.nfree, CAP);
	test_region_free(&s->r);
	free(seen);
	free(s);
}

static void test_stress_lockfree(void **state)
{
	(void)state;
	run(SCF_RING_LOCKFREE);
}

static void test_stress_locked(void **state)
{
	(void)state;
	run(SCF_RING_LOCKED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stress_lockfree),
		cmocka_unit_test(test_stress_locked),
	};

	return cmocka_run_group_tests_name("stress", tests, NULL, NULL);
}
