// SPDX-License-Identifier: MIT
/*
 * test_mpsc.c - several client threads submit through one shared MPSC
 * request queue to one server thread, which routes every response back
 * to its client's own SPSC response ring (topology "mpsc").  Each request
 * carries a payload and its checksum: nothing is lost or duplicated, each
 * client's requests arrive in its own order, no payload arrives torn, and
 * every client gets exactly its own answers.  A queue smaller than the
 * clients' descriptors together keeps producers racing for the last cells.
 * Built plain, under ASan+UBSan and under TSan (tests/mpsc.mk).
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>

#include "helpers.h"
#include "scf_arch.h"
#include "scf_desc.h"
#include "scf_mpsc.h"

#if defined(__SANITIZE_THREAD__)
#define NPER	20000u		/* TSan runs every access through its checks */
#else
#define NPER	200000u
#endif
#define NCLI	4u
#define DESCS	16u		/* per client */
#define QCAP	8u		/* shared queue: fewer cells than descriptors */
#define PAY	48u

struct cdesc {
	uint64_t seq;
	uint64_t sum;
	int64_t ret;
	uint32_t len;
	uint8_t data[PAY];
};

struct client {
	struct cdesc desc[DESCS];
	_Atomic uint32_t rsp_head, rsp_tail, rsp_lock;
	_Atomic uint32_t rsp_entry[DESCS];
	struct scf_ring rsp_srv, rsp_cli;	/* server's and client's views */
	struct scf_mpsc *q;			/* this client's view of the queue */
	uint32_t id;
	uint64_t dup, lost, reordered, bad_ret, full;
};

struct world {
	void *mem;
	struct scf_mpsc srv;
	struct scf_mpsc cq[NCLI];
	struct client cli[NCLI];
	uint64_t bad_sum, reordered, bad_entry, served;
};

static uint64_t sum_of(const uint8_t *p, uint32_t len, uint64_t seq,
		       uint32_t id)
{
	uint64_t s = 0x9e3779b97f4a7c15ull ^ seq ^ ((uint64_t)id << 56);
	uint32_t i;

	for (i = 0; i < len; i++)
		s = (s ^ p[i]) * 0x100000001b3ull;
	return s;
}

static void backoff(unsigned *spins)
{
	/* Two CPUs, five threads: yield often enough to let peers run. */
	if (++*spins % 256 == 0)
		sched_yield();
	else
		scf_cpu_relax();
}

static void *server(void *arg)
{
	struct world *w = arg;
	uint64_t expect[NCLI] = { 0 };
	unsigned spins = 0;
	uint32_t e;

	while (w->served < (uint64_t)NCLI * NPER) {
		struct client *c;
		struct cdesc *d;
		uint32_t id, idx;

		if (scf_mpsc_pop(&w->srv, &e)) {
			backoff(&spins);
			continue;
		}
		id = SCF_MPSC_CLIENT(e);
		idx = SCF_MPSC_IDX(e);
		if (id >= NCLI || idx >= DESCS) {
			w->bad_entry++;
			continue;
		}
		c = &w->cli[id];
		d = &c->desc[idx];
		if (d->seq != expect[id])
			w->reordered++;
		expect[id] = d->seq + 1;
		if (d->len > PAY || sum_of(d->data, d->len, d->seq, id) != d->sum)
			w->bad_sum++;
		d->ret = (int64_t)(d->sum ^ d->seq);
		/* routed back to the client that sent it */
		while (scf_ring_push(&c->rsp_srv, idx))
			backoff(&spins);
		w->served++;
	}
	return NULL;
}

static void *client(void *arg)
{
	struct client *c = arg;
	uint32_t stack[DESCS];
	uint8_t used[DESCS], *seen = calloc(NPER, 1);
	struct scf_desc_alloc a;
	uint64_t sent = 0, got = 0, next = 0;
	unsigned spins = 0;
	uint32_t idx;
	int d;

	if (!seen || scf_desc_alloc_init(&a, DESCS, stack, used))
		abort();
	while (got < NPER) {
		while (sent < NPER && (d = scf_desc_get(&a)) >= 0) {
			struct cdesc *cd = &c->desc[d];
			uint32_t i;

			cd->seq = sent;
			cd->len = 1 + (uint32_t)(sent % PAY);
			for (i = 0; i < cd->len; i++)
				cd->data[i] = (uint8_t)(sent * 13 + i + c->id);
			cd->sum = sum_of(cd->data, cd->len, sent, c->id);
			while (scf_mpsc_push(c->q, SCF_MPSC_ENTRY(c->id, d))) {
				c->full++;
				backoff(&spins);
			}
			sent++;
		}
		if (scf_ring_pop(&c->rsp_cli, &idx)) {
			backoff(&spins);
			continue;
		}
		if (idx >= DESCS)
			abort();
		{
			struct cdesc *cd = &c->desc[idx];

			if (cd->seq >= NPER || seen[cd->seq]++)
				c->dup++;
			if (cd->seq != next)
				c->reordered++;
			next = cd->seq + 1;
			if ((uint64_t)cd->ret != (cd->sum ^ cd->seq))
				c->bad_ret++;
		}
		if (scf_desc_put(&a, idx))
			abort();
		got++;
	}
	for (sent = 0; sent < NPER; sent++)
		c->lost += !seen[sent];
	free(seen);
	return NULL;
}

static void test_mpsc_stress(void **state)
{
	struct world *w = calloc(1, sizeof(*w));
	pthread_t srv, cth[NCLI];
	uint64_t lost = 0, dup = 0, reord = 0, bad_ret = 0, full = 0;
	uint32_t i;

	(void)state;
	assert_non_null(w);
	w->mem = calloc(1, scf_mpsc_size(QCAP));
	assert_non_null(w->mem);
	assert_int_equal(scf_mpsc_format(w->mem, QCAP), 0);
	assert_int_equal(scf_mpsc_attach(&w->srv, w->mem), 0);
	for (i = 0; i < NCLI; i++) {
		struct client *c = &w->cli[i];

		assert_int_equal(scf_mpsc_attach(&w->cq[i], w->mem), 0);
		c->q = &w->cq[i];
		c->id = i;
		scf_ring_bind(&c->rsp_srv, &c->rsp_head, &c->rsp_tail,
			      &c->rsp_lock, c->rsp_entry, DESCS,
			      SCF_RING_LOCKFREE);
		scf_ring_bind(&c->rsp_cli, &c->rsp_head, &c->rsp_tail,
			      &c->rsp_lock, c->rsp_entry, DESCS,
			      SCF_RING_LOCKFREE);
	}
	assert_int_equal(pthread_create(&srv, NULL, server, w), 0);
	for (i = 0; i < NCLI; i++)
		assert_int_equal(pthread_create(&cth[i], NULL, client,
						&w->cli[i]), 0);
	for (i = 0; i < NCLI; i++)
		pthread_join(cth[i], NULL);
	pthread_join(srv, NULL);
	for (i = 0; i < NCLI; i++) {
		lost += w->cli[i].lost;
		dup += w->cli[i].dup;
		reord += w->cli[i].reordered;
		bad_ret += w->cli[i].bad_ret;
		full += w->cli[i].full;
	}
	printf("# mpsc: %u clients x %u requests through %u cells: served %llu,"
	       " lost %llu, duplicated %llu, reordered %llu (server %llu), bad "
	       "checksums %llu, bad answers %llu, bad entries %llu, full %llu\n",
	       NCLI, NPER, QCAP, (unsigned long long)w->served,
	       (unsigned long long)lost, (unsigned long long)dup,
	       (unsigned long long)reord, (unsigned long long)w->reordered,
	       (unsigned long long)w->bad_sum, (unsigned long long)bad_ret,
	       (unsigned long long)w->bad_entry, (unsigned long long)full);
	assert_int_equal(w->served, (uint64_t)NCLI * NPER);
	assert_int_equal(lost, 0);
	assert_int_equal(dup, 0);
	assert_int_equal(reord, 0);
	assert_int_equal(w->reordered, 0);
	assert_int_equal(w->bad_sum, 0);
	assert_int_equal(bad_ret, 0);
	assert_int_equal(w->bad_entry, 0);
	free(w->mem);
	free(w);
}

/* Single-threaded edges: full, empty, wrap, bad capacity. */
static void test_mpsc_edges(void **state)
{
	uint8_t mem[512] __attribute__((aligned(64)));
	struct scf_mpsc m;
	uint32_t v, i, lap;

	(void)state;
	assert_int_equal(scf_mpsc_format(mem, 3), -SCF_EBADCAP);
	assert_int_equal(scf_mpsc_format(mem, 1), -SCF_EBADCAP);
	assert_int_equal(scf_mpsc_format(mem, 4), 0);
	assert_int_equal(scf_mpsc_attach(&m, mem), 0);
	assert_int_equal(scf_mpsc_pop(&m, &v), -SCF_EAGAIN);
	assert_int_equal(scf_mpsc_peek(&m, &v), -SCF_EAGAIN);
	assert_false(scf_mpsc_ready(&m));
	for (lap = 0; lap < 3; lap++) {
		for (i = 0; i < 4; i++)
			assert_int_equal(scf_mpsc_push(&m, lap * 10 + i), 0);
		assert_int_equal(scf_mpsc_push(&m, 99), -SCF_ENOSPC);
		assert_true(scf_mpsc_ready(&m));
		for (i = 0; i < 4; i++) {
			/* a peek leaves the entry for the pop */
			assert_int_equal(scf_mpsc_peek(&m, &v), 0);
			assert_int_equal(v, lap * 10 + i);
			assert_int_equal(scf_mpsc_pop(&m, &v), 0);
			assert_int_equal(v, lap * 10 + i);
		}
		assert_int_equal(scf_mpsc_pop(&m, &v), -SCF_EAGAIN);
	}
	((struct scf_mpsc_hdr *)mem)->capacity = 6;
	assert_int_equal(scf_mpsc_attach(&m, mem), -SCF_EBADCAP);
	assert_int_equal(SCF_MPSC_CLIENT(SCF_MPSC_ENTRY(7, 1234)), 7);
	assert_int_equal(SCF_MPSC_IDX(SCF_MPSC_ENTRY(7, 1234)), 1234);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mpsc_edges),
		cmocka_unit_test(test_mpsc_stress),
	};

	return cmocka_run_group_tests_name("mpsc", tests, NULL, NULL);
}
