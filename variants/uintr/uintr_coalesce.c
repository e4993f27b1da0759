// SPDX-License-Identifier: MIT
/*
 * uintr_coalesce.c - interrupts delivered per 1000 back-to-back sends.
 *
 * Two threads share a private one-slot region: the receiver attaches the
 * shadow side and either sleeps in scf_notify_wait() (a waiting shadow)
 * or stays busy in user space (asked to, or because its backend cannot
 * sleep: hw on a kernel without CONFIG_X86_UINTR_BLOCKING); which one it
 * did is in the result.  The sender attaches the client side and,
 * once the receiver is in place, kicks `sends` times in a row.  When every
 * notification has been handled, the receiver's interrupt count is read:
 * with the architectural posting rule, sends that find ON still set only
 * add to PIR, so the count is the number of distinct deliveries.  A last,
 * uncounted kick then releases the receiver.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "scf_arch.h"
#include "scf_sched.h"
#include "uintr_priv.h"

#define CO_TIMEOUT_NS	2000000000ull	/* quiescence or start-up: 2 s */

struct co_ctx {
	void *mem;
	uint64_t size;
	const char *backend;
	enum uintr_rx_mode mode;	/* asked for */
	enum uintr_rx_mode measured;	/* what the receiver does */
	int rx_cpu;
	int sock;
	int done;		/* sender -> receiver: burst over, leave */
	int ready;		/* receiver -> sender: attached (or failed) */
	int rx_err;
	struct scf_notify *rx;	/* published with ready */
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static bool co_done(void *arg)
{
	struct co_ctx *c = arg;

	/* acquire: pairs with the sender's release store of done. */
	return __atomic_load_n(&c->done, __ATOMIC_ACQUIRE);
}

static void *co_receiver(void *arg)
{
	struct co_ctx *c = arg;
	struct scf_notify_cfg cfg = {
		.side = SCF_SIDE_SHADOW, .peer_pid = 0, .dev_fd = -1,
		.sock_fd = c->sock, .cpu = 0, .backend = c->backend,
		.wait.kind = c->mode == UINTR_RX_RUNNING ? SCF_WAIT_SPIN :
							  SCF_WAIT_DEFAULT,
	};
	struct scf_queue q;
	struct scf_notify *n = NULL;
	int ret;

	if (c->rx_cpu >= 0)
		scf_pin_cpu(c->rx_cpu);
	ret = scf_queue_attach(&q, c->mem, c->size, 0);
	cfg.q = &q;
	if (!ret)
		ret = scf_notify_attach(&n, &cfg);
	c->rx_err = ret;
	c->rx = n;
	/* A receiver whose wait is a spin never sleeps: measured as running. */
	c->measured = c->mode == UINTR_RX_RUNNING ||
		      (n && scf_notify_policy(n).kind == SCF_WAIT_SPIN) ?
		      UINTR_RX_RUNNING : UINTR_RX_SLEEPING;
	/* release: pairs with the sender's acquire; rx_err, rx, measured set. */
	__atomic_store_n(&c->ready, 1, __ATOMIC_RELEASE);
	if (ret)
		return NULL;
	if (c->measured == UINTR_RX_SLEEPING)
		c->rx_err = scf_notify_wait(n, co_done, c, NULL);
	else
		while (!co_done(c))
			scf_cpu_relax();
	/* The sender reads our counters before it sets done: free to go. */
	scf_notify_detach(n);
	return NULL;
}

static int co_spin_until(const uint64_t *word, uint64_t at_least)
{
	uint64_t end = now_ns() + CO_TIMEOUT_NS;

	while (uintr_get(word) < at_least)
		if (now_ns() > end)
			return -ETIMEDOUT;
	return 0;
}

/*
 * emul: every post has been delivered.  The receiver's UPID has PIR empty
 * and ON clear (no notification pending or in flight), and every
 * notification raised (by us, or by the receiver on waking with SN set)
 * has been processed: one delivered vector or one spurious each.
 */
static bool co_emul_quiet(struct scf_notify *tx, struct scf_notify *rx)
{
	struct uintr_upid *u = (struct uintr_upid *)((uint8_t *)rx->q->hdr +
				uintr_emul_upid_off(rx->side));
	uint64_t nc, pir;

	uintr_upid_read(u, &nc, &pir);
	return !pir && !(nc & UINTR_UPID_ON) &&
	       uintr_get(&rx->rx.interrupts) + uintr_get(&rx->rx.spurious) ==
	       uintr_get(&tx->notifies) + uintr_get(&rx->self_notifies);
}

/* Every notification sent has been handled. */
static int co_quiesce(struct scf_notify *tx, struct scf_notify *rx)
{
	uint64_t end = now_ns() + CO_TIMEOUT_NS, last, t;

	if (tx->ops == &uintr_emul_ops) {
		while (!co_emul_quiet(tx, rx))
			if (now_ns() > end)
				return -ETIMEDOUT;
		return 0;
	}
	/* hw: no count of notifications; wait for 1 ms without a new one. */
	last = uintr_get(&rx->rx.interrupts);
	t = now_ns();
	while (now_ns() - t < 1000000ull) {
		if (uintr_get(&rx->rx.interrupts) != last) {
			last = uintr_get(&rx->rx.interrupts);
			t = now_ns();
		}
		if (now_ns() > end)
			return -ETIMEDOUT;
	}
	return 0;
}

static int co_burst(struct co_ctx *c, struct scf_notify *tx, uint32_t sends,
		    struct uintr_coalesce *out, int64_t *send_tsc)
{
	struct scf_notify *rx = c->rx;
	uint64_t t0, i, irq0, spur0, note0, self0;
	int ret;

	if (c->measured == UINTR_RX_SLEEPING) {
		/* The receiver counts a sleep just before it enters it. */
		ret = co_spin_until(&rx->sleeps, 1);
		if (ret)
			return ret;
		t0 = now_ns();
		while (now_ns() - t0 < 200000ull)	/* 200 us: asleep by now */
			scf_cpu_relax();
	}
	irq0 = uintr_get(&rx->rx.interrupts);
	spur0 = uintr_get(&rx->rx.spurious);
	note0 = uintr_get(&tx->notifies);
	self0 = uintr_get(&rx->self_notifies);
	t0 = now_ns();
	for (i = 0; i < sends; i++) {
		uint64_t s0 = send_tsc ? scf_rdtsc_ordered() : 0;

		ret = scf_notify_kick(tx, NULL);
		if (ret)
			return ret;
		if (send_tsc)
			send_tsc[i] = (int64_t)(scf_rdtsc_ordered() - s0);
	}
	out->burst_ns = now_ns() - t0;
	ret = co_quiesce(tx, rx);
	if (ret)
		return ret;
	out->sends = sends;
	out->notifies = uintr_get(&tx->notifies) - note0 +
			uintr_get(&rx->self_notifies) - self0;
	out->interrupts = uintr_get(&rx->rx.interrupts) - irq0;
	out->spurious = uintr_get(&rx->rx.spurious) - spur0;
	out->per_1000 = sends ? (double)out->interrupts * 1000.0 / sends : 0;
	out->rx_mode = c->measured;
	snprintf(out->detail, sizeof(out->detail), "%s",
		 scf_notify_detail(rx) ? scf_notify_detail(rx) : "");
	return 0;
}

int uintr_coalesce_measure(const char *backend, uint32_t sends,
			   enum uintr_rx_mode mode, int tx_cpu, int rx_cpu,
			   struct uintr_coalesce *out, int64_t *send_tsc)
{
	struct co_ctx c = { .backend = backend, .mode = mode, .rx_cpu = rx_cpu,
			    .sock = -1 };
	struct scf_notify_cfg cfg = { .side = SCF_SIDE_CLIENT, .dev_fd = -1,
				      .backend = backend };
	struct scf_geom g;
	struct scf_queue q;
	struct scf_notify *tx = NULL;
	pthread_t th;
	int sv[2] = { -1, -1 }, ret;

	if (!sends || !out || !scf_notify_pick(backend))
		return !sends || !out ? -EINVAL : -ENOSYS;
	memset(out, 0, sizeof(*out));
	scf_geom_default(&g);
	g.nr_slots = 1;
	g.capacity = 1;
	g.pool_chunk = SCF_CACHELINE;
	g.late_cap = 1;
	c.size = scf_region_size(&g);
	c.mem = mmap(NULL, c.size, PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (c.mem == MAP_FAILED)
		return -errno;
	ret = scf_region_format(c.mem, c.size, &g);
	if (!ret)
		ret = scf_queue_attach(&q, c.mem, c.size, 0);
	if (!ret && socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		ret = -errno;
	if (ret)
		goto out_unmap;
	c.sock = sv[1];
	cfg.sock_fd = sv[0];
	cfg.q = &q;
	ret = -pthread_create(&th, NULL, co_receiver, &c);
	if (ret)
		goto out_sock;
	if (tx_cpu >= 0)
		scf_pin_cpu(tx_cpu);
	ret = scf_notify_attach(&tx, &cfg);
	while (!__atomic_load_n(&c.ready, __ATOMIC_ACQUIRE))
		scf_cpu_relax();	/* pairs with co_receiver's release */
	if (!ret)
		ret = c.rx_err;
	if (!ret)
		ret = co_burst(&c, tx, sends, out, send_tsc);
	/* release: pairs with co_done(); the counters were read above. */
	__atomic_store_n(&c.done, 1, __ATOMIC_RELEASE);
	if (tx && c.rx && !c.rx_err)
		scf_notify_kick(tx, NULL);	/* uncounted: wakes the receiver */
	pthread_join(th, NULL);
	if (!ret && c.rx_err)
		ret = c.rx_err;
	scf_notify_detach(tx);
out_sock:
	close(sv[0]);
	close(sv[1]);
out_unmap:
	munmap(c.mem, c.size);
	return ret;
}
