// SPDX-License-Identifier: MIT
/*
 * test_uintr_post.c - the architectural posting semantics over memory
 * (variants/uintr/uintr_post.c): bit layout, coalescing, SN suppression,
 * vector bits, the UITT checks, and many concurrent senders against one
 * interrupt-driven receiver with no vector lost.
 */
#include <pthread.h>
#include <sched.h>
#include <time.h>

#include "helpers.h"
#include "scf_arch.h"
#include "uintr_post.h"

static struct uintr_upid upid_mem;

static void upid_fresh(struct uintr_upid *u, uint8_t nv, uint32_t ndst)
{
	u->pir = 0;
	uintr_upid_init(u, nv, ndst);
}

static void test_layout(void **state)
{
	struct uintr_upid *u = &upid_mem;
	uint64_t nc, pir;
	struct uintr_notification note = { 0, 0 };

	(void)state;
	upid_fresh(u, 0xec, 0x12345678u);
	uintr_upid_read(u, &nc, &pir);
	/* SDM: NV bits 23:16, NDST bits 63:32, ON bit 0, SN bit 1, PIR 127:64 */
	assert_int_equal(nc, (0xecull << 16) | (0x12345678ull << 32));
	assert_int_equal(pir, 0);
	assert_int_equal(uintr_upid_post(u, 5, &note), UINTR_POST_NOTIFY);
	assert_int_equal(note.nv, 0xec);
	assert_int_equal(note.ndst, 0x12345678u);
	/* the raw words, as another implementation would read them */
	assert_int_equal(((volatile uint64_t *)u)[0] & 1, 1);		/* ON */
	assert_int_equal(((volatile uint64_t *)u)[1], 1ull << 5);	/* PIR[5] */
	assert_int_equal(uintr_nc_nv(((volatile uint64_t *)u)[0]), 0xec);
	assert_int_equal(uintr_nc_ndst(((volatile uint64_t *)u)[0]), 0x12345678u);
}

static void test_coalescing(void **state)
{
	struct uintr_upid *u = &upid_mem;
	bool on;
	int i, notifies = 0;

	(void)state;
	upid_fresh(u, 40, 7);
	/* 1000 sends before the receiver runs: one notification */
	for (i = 0; i < 1000; i++)
		notifies += uintr_upid_post(u, 3, NULL) == UINTR_POST_NOTIFY;
	assert_int_equal(notifies, 1);
	assert_int_equal(uintr_upid_take(u, &on), 1ull << 3);
	assert_true(on);
	/* taken: PIR empty, ON clear, and the next send notifies again */
	assert_int_equal(uintr_upid_take(u, &on), 0);
	assert_false(on);
	assert_int_equal(uintr_upid_post(u, 3, NULL), UINTR_POST_NOTIFY);
	assert_int_equal(uintr_upid_post(u, 9, NULL), UINTR_POST_PENDING);
	assert_int_equal(uintr_upid_take(u, NULL), (1ull << 3) | (1ull << 9));
}

static void test_sn_suppression(void **state)
{
	struct uintr_upid *u = &upid_mem;
	struct uintr_notification note = { 0, 0 };
	uint64_t nc, pir;

	(void)state;
	upid_fresh(u, 41, 99);
	uintr_upid_suppress(u);
	assert_int_equal(uintr_upid_post(u, 0, NULL), UINTR_POST_SUPPRESSED);
	assert_int_equal(uintr_upid_post(u, 63, NULL), UINTR_POST_SUPPRESSED);
	uintr_upid_read(u, &nc, &pir);
	assert_int_equal(nc & UINTR_UPID_ON, 0);	/* no notification */
	assert_int_equal(nc & UINTR_UPID_SN, UINTR_UPID_SN);
	assert_int_equal(pir, (1ull << 0) | (1ull << 63));	/* but posted */
	/* clearing SN with requests pending notifies once, sets ON */
	assert_int_equal(uintr_upid_unsuppress(u, &note), UINTR_POST_NOTIFY);
	assert_int_equal(note.nv, 41);
	assert_int_equal(note.ndst, 99);
	uintr_upid_read(u, &nc, &pir);
	assert_int_equal(nc & (UINTR_UPID_ON | UINTR_UPID_SN), UINTR_UPID_ON);
	assert_int_equal(uintr_upid_post(u, 1, NULL), UINTR_POST_PENDING);
	assert_int_equal(uintr_upid_take(u, NULL), 3ull | (1ull << 63));
	/* clearing SN with nothing pending: no notification */
	uintr_upid_suppress(u);
	assert_int_equal(uintr_upid_unsuppress(u, NULL), UINTR_POST_PENDING);
	uintr_upid_read(u, &nc, &pir);
	assert_int_equal(nc & (UINTR_UPID_ON | UINTR_UPID_SN), 0);
	/* SN with ON already set: still pending, not suppressed-notified */
	assert_int_equal(uintr_upid_post(u, 2, NULL), UINTR_POST_NOTIFY);
	uintr_upid_suppress(u);
	assert_int_equal(uintr_upid_post(u, 4, NULL), UINTR_POST_SUPPRESSED);
	assert_int_equal(uintr_upid_take(u, NULL), (1ull << 2) | (1ull << 4));
}

static void test_vector_bits(void **state)
{
	struct uintr_upid *u = &upid_mem;
	unsigned int v;

	(void)state;
	for (v = 0; v < UINTR_NR_VECTORS; v++) {
		upid_fresh(u, 42, 1);
		assert_int_equal(uintr_upid_post(u, v, NULL), UINTR_POST_NOTIFY);
		assert_int_equal(uintr_upid_take(u, NULL), 1ull << v);
	}
	upid_fresh(u, 42, 1);
	for (v = 0; v < UINTR_NR_VECTORS; v++)
		uintr_upid_post(u, v, NULL);
	assert_int_equal(uintr_upid_take(u, NULL), ~0ull);
	assert_int_equal(uintr_upid_post(u, 64, NULL), -SCF_EINVAL);
	assert_int_equal(uintr_upid_post(u, 1000, NULL), -SCF_EINVAL);
	/* NV and NDST survive every post and take */
	assert_int_equal(uintr_nc_nv(u->nc), 42);
	assert_int_equal(uintr_nc_ndst(u->nc), 1);
}

static void test_uitt(void **state)
{
	static uint8_t page[4096] __attribute__((aligned(16)));
	struct uintr_uitte uitt[3];
	struct uintr_upid *u = (struct uintr_upid *)(page + 640);
	struct uintr_notification note;

	(void)state;
	memset(uitt, 0, sizeof(uitt));
	upid_fresh(u, 50, 1234);
	assert_int_equal(uintr_uitte_set(&uitt[0], 17, 640), 0);
	assert_int_equal(uitt[0].flags, UINTR_UITTE_VALID);
	assert_int_equal(uintr_uitte_set(&uitt[1], 64, 640), -SCF_EINVAL);
	/* index 0: valid, posts vector 17 to the UPID at offset 640 */
	assert_int_equal(uintr_senduipi(uitt, 3, 0, page, sizeof(page), &note),
			 UINTR_POST_NOTIFY);
	assert_int_equal(note.ndst, 1234);
	assert_int_equal(u->pir, 1ull << 17);
	/* invalid entry, index past the table: #GP on hardware, EINVAL here */
	assert_int_equal(uintr_senduipi(uitt, 3, 1, page, sizeof(page), NULL),
			 -SCF_EINVAL);
	assert_int_equal(uintr_senduipi(uitt, 3, 3, page, sizeof(page), NULL),
			 -SCF_EINVAL);
	assert_int_equal(uintr_senduipi(uitt, 3, ~0ull, page, sizeof(page), NULL),
			 -SCF_EINVAL);
	/* the UPID reference: misaligned, past the end, wrapping */
	uintr_uitte_set(&uitt[2], 1, 648);
	assert_int_equal(uintr_senduipi(uitt, 3, 2, page, sizeof(page), NULL),
			 -SCF_EINVAL);
	uintr_uitte_set(&uitt[2], 1, sizeof(page) - 8);
	assert_int_equal(uintr_senduipi(uitt, 3, 2, page, sizeof(page), NULL),
			 -SCF_EINVAL);
	uintr_uitte_set(&uitt[2], 1, ~0ull - 15);
	assert_int_equal(uintr_senduipi(uitt, 3, 2, page, sizeof(page), NULL),
			 -SCF_EINVAL);
	uintr_uitte_set(&uitt[2], 1, sizeof(page) - 16);
	assert_int_equal(uintr_senduipi(uitt, 3, 2, page, sizeof(page), NULL),
			 UINTR_POST_NOTIFY);
	assert_int_equal(u->pir, 1ull << 17);	/* the other UPID untouched */
}

/*
 * Many senders, one receiver that acts only on notifications, like the
 * hardware: it takes PIR only when it sees ON set.  Each sender owns some
 * vectors and posts one, then waits until the receiver has seen it: a
 * post whose notification were lost would hang it (caught by a deadline).
 * Exact accounting: every NOTIFY result is one ON 0->1 transition, and
 * every ON 1->0 is a take that saw ON.
 *
 * A lost notification can hide behind another sender's later one, so the
 * senders also check the invariant the no-lost-vector argument rests on:
 * outside the receiver's take, never ON = 0 and SN = 0 with PIR != 0.
 * The receiver brackets each take with a generation count (odd inside),
 * and a sender checks only a snapshot no take overlapped (seqlock-style).
 */
#define SENDERS		4
#define ROUNDS		3000
#define VEC_PER		(UINTR_NR_VECTORS / SENDERS)

struct conc {
	struct uintr_upid *u;
	uint64_t seen[UINTR_NR_VECTORS];	/* receiver -> senders */
	int stop;
	uint64_t notifies[SENDERS];
	uint64_t takes_on, empty_takes, lost;
	uint64_t gen;				/* odd while the receiver takes */
	uint64_t stuck;				/* invariant violations seen */
	uint64_t checked;
};

struct sender_arg {
	struct conc *c;
	unsigned int id;
};

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void *sender(void *p)
{
	struct sender_arg *a = p;
	struct conc *c = a->c;
	unsigned int i, spins;

	for (i = 0; i < ROUNDS; i++) {
		unsigned int v = a->id * VEC_PER + i % VEC_PER;
		uint64_t before = __atomic_load_n(&c->seen[v], __ATOMIC_ACQUIRE);
		uint64_t deadline;

		uint64_t g1, g2, nc, pir;

		if (uintr_upid_post(c->u, v, NULL) == UINTR_POST_NOTIFY)
			c->notifies[a->id]++;
		/* seq_cst loads: ordered with the receiver's seq_cst gen stores */
		g1 = __atomic_load_n(&c->gen, __ATOMIC_SEQ_CST);
		uintr_upid_read(c->u, &nc, &pir);
		g2 = __atomic_load_n(&c->gen, __ATOMIC_SEQ_CST);
		if (!(g1 & 1) && g1 == g2) {
			__atomic_fetch_add(&c->checked, 1, __ATOMIC_RELAXED);
			if (!(nc & (UINTR_UPID_ON | UINTR_UPID_SN)) && pir)
				__atomic_fetch_add(&c->stuck, 1, __ATOMIC_RELAXED);
		}
		deadline = mono_ns() + 2000000000ull;
		spins = 0;
		/* acquire: pairs with the receiver's release of seen[v] */
		while (__atomic_load_n(&c->seen[v], __ATOMIC_ACQUIRE) == before) {
			if (++spins % 256 == 0) {
				sched_yield();
				if (mono_ns() > deadline) {
					__atomic_fetch_add(&c->lost, 1, __ATOMIC_RELAXED);
					return NULL;
				}
			}
			scf_cpu_relax();
		}
	}
	return NULL;
}

static void *receiver(void *p)
{
	struct conc *c = p;
	unsigned int spins = 0;

	while (!__atomic_load_n(&c->stop, __ATOMIC_ACQUIRE)) {
		uint64_t pir;
		bool on;

		if (!(__atomic_load_n(&c->u->nc, __ATOMIC_ACQUIRE) & UINTR_UPID_ON)) {
			if (++spins % 256 == 0)
				sched_yield();
			scf_cpu_relax();
			continue;
		}
		__atomic_store_n(&c->gen, c->gen + 1, __ATOMIC_SEQ_CST);
		pir = uintr_upid_take(c->u, &on);
		__atomic_store_n(&c->gen, c->gen + 1, __ATOMIC_SEQ_CST);
		c->takes_on += on;
		c->empty_takes += !pir;
		while (pir) {
			unsigned int v = (unsigned int)__builtin_ctzll(pir);

			pir &= pir - 1;
			/* release: pairs with the sender's acquire */
			__atomic_fetch_add(&c->seen[v], 1, __ATOMIC_RELEASE);
		}
	}
	return NULL;
}

static void test_concurrent_senders(void **state)
{
	static struct conc c;
	struct sender_arg args[SENDERS];
	pthread_t tx[SENDERS], rx;
	uint64_t nc, pir, notifies = 0, total = 0;
	unsigned int i;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.u = &upid_mem;
	upid_fresh(c.u, 43, 2);
	assert_int_equal(pthread_create(&rx, NULL, receiver, &c), 0);
	for (i = 0; i < SENDERS; i++) {
		args[i].c = &c;
		args[i].id = i;
		assert_int_equal(pthread_create(&tx[i], NULL, sender, &args[i]), 0);
	}
	for (i = 0; i < SENDERS; i++)
		pthread_join(tx[i], NULL);
	__atomic_store_n(&c.stop, 1, __ATOMIC_RELEASE);
	pthread_join(rx, NULL);

	assert_int_equal(c.lost, 0);
	assert_int_equal(c.stuck, 0);
	assert_true(c.checked > 0);
	for (i = 0; i < UINTR_NR_VECTORS; i++)
		total += c.seen[i];
	/* A sender waits for each post: every one is seen exactly once. */
	assert_int_equal(total, (uint64_t)SENDERS * ROUNDS);
	for (i = 0; i < SENDERS; i++)
		notifies += c.notifies[i];
	uintr_upid_read(c.u, &nc, &pir);
	assert_int_equal(pir, 0);
	/* ON transitions balance: notifications = takes that cleared ON (+ ON now) */
	assert_int_equal(notifies, c.takes_on + (nc & UINTR_UPID_ON));
	print_message("# %u posts, %llu notifications, %llu empty takes, "
		      "%llu invariant checks\n", SENDERS * ROUNDS,
		      (unsigned long long)notifies,
		      (unsigned long long)c.empty_takes,
		      (unsigned long long)c.checked);
}

/*
 * Senders that do not wait: dense posts from two threads while the
 * receiver takes on every notification.  Coalescing is heavy here, so
 * what is checked is the state: the seqlock invariant during the run,
 * and at the end no posted vector left in PIR without ON (a vector that
 * no notification will ever deliver).
 */
#define BURST_POSTS	200000

static void *burst_sender(void *p)
{
	struct sender_arg *a = p;
	struct conc *c = a->c;
	unsigned int i;

	for (i = 0; i < BURST_POSTS; i++) {
		uint64_t g1, g2, nc, pir;

		if (uintr_upid_post(c->u, (a->id * 7 + i) % UINTR_NR_VECTORS,
				    NULL) == UINTR_POST_NOTIFY)
			c->notifies[a->id]++;
		if (i % 4)
			continue;
		g1 = __atomic_load_n(&c->gen, __ATOMIC_SEQ_CST);
		uintr_upid_read(c->u, &nc, &pir);
		g2 = __atomic_load_n(&c->gen, __ATOMIC_SEQ_CST);
		if (!(g1 & 1) && g1 == g2) {
			__atomic_fetch_add(&c->checked, 1, __ATOMIC_RELAXED);
			if (!(nc & (UINTR_UPID_ON | UINTR_UPID_SN)) && pir)
				__atomic_fetch_add(&c->stuck, 1, __ATOMIC_RELAXED);
		}
	}
	return NULL;
}

static void test_burst_senders(void **state)
{
	static struct conc c;
	struct sender_arg args[2];
	pthread_t tx[2], rx;
	uint64_t nc, pir;
	unsigned int i;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.u = &upid_mem;
	upid_fresh(c.u, 44, 3);
	assert_int_equal(pthread_create(&rx, NULL, receiver, &c), 0);
	for (i = 0; i < 2; i++) {
		args[i].c = &c;
		args[i].id = i;
		assert_int_equal(pthread_create(&tx[i], NULL, burst_sender,
						&args[i]), 0);
	}
	for (i = 0; i < 2; i++)
		pthread_join(tx[i], NULL);
	/* let the receiver act on the last notification, then stop it */
	while (__atomic_load_n(&c.u->nc, __ATOMIC_SEQ_CST) & UINTR_UPID_ON)
		sched_yield();
	__atomic_store_n(&c.stop, 1, __ATOMIC_RELEASE);
	pthread_join(rx, NULL);
	uintr_upid_read(c.u, &nc, &pir);
	assert_int_equal(nc & UINTR_UPID_ON, 0);
	assert_int_equal(pir, 0);		/* nothing stranded */
	assert_int_equal(c.stuck, 0);
	assert_int_equal(c.notifies[0] + c.notifies[1], c.takes_on);
	print_message("# %u posts, %llu notifications, %llu invariant checks\n",
		      2 * BURST_POSTS,
		      (unsigned long long)(c.notifies[0] + c.notifies[1]),
		      (unsigned long long)c.checked);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_coalescing),
		cmocka_unit_test(test_sn_suppression),
		cmocka_unit_test(test_vector_bits),
		cmocka_unit_test(test_uitt),
		cmocka_unit_test(test_concurrent_senders),
		cmocka_unit_test(test_burst_senders),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
