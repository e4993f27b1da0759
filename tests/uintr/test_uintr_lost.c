// SPDX-License-Identifier: MIT
/*
 * test_uintr_lost.c - the hw backend when a user interrupt is lost, under
 * the fake UINTR kernel (fake_uintr_kernel.c): its SENDUIPI posts nothing,
 * so every notification here is dropped, and one is dropped explicitly
 * (the instruction seam makes that SENDUIPI a no-op, not even counted).
 *
 * In each wait the registration can give (spin; futex with
 * WAITING_RECEIVER; the uintr_wait syscall) a forwarded call must:
 *   - still complete when the shadow answers but its interrupt is lost:
 *     the receiver re-checks the ring at least every
 *     SCF_NOTIFY_RECHECK_NS, kicked or not;
 *   - end with -ETIMEDOUT at its deadline, naming the phase, when the
 *     shadow never takes the request: never wait forever;
 *   - end with -ETIMEDOUT at its first deadline, dropped, when a hostile
 *     writer garbles the request's index on the ring and the shadow pops
 *     it and drops it, as scf-shadow does (a bad index names no
 *     descriptor to answer in).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"
#include "uintr_test.h"
#include "uintr_priv.h"
#include "fake_uintr_kernel.h"
#include "scf_client.h"

static struct uintr_hw_hooks lossy;
static atomic_int drop_next, dropped;

/* SENDUIPI, except the one a test drops. */
static void lossy_senduipi(uint64_t index)
{
	if (atomic_exchange(&drop_next, 0)) {
		atomic_fetch_add(&dropped, 1);
		return;
	}
	fk_hooks.senduipi(index);
}

struct shadow {
	struct pp_side s;
	struct shm_region *r;
	pthread_barrier_t *bar;
	atomic_int stop;
	atomic_int garble;	/* garble the next request's index first */
	atomic_int dropped;
	int served, err;
};

static bool shadow_ready(void *arg)
{
	struct shadow *sh = arg;

	return scf_ring_pending(&sh->s.q.req) > 0 || atomic_load(&sh->stop);
}

/*
 * The hostile writer, played by the shadow thread so that the garbling
 * surely comes between the client's push and the pop: the waiting
 * request's ring entry now names no descriptor.
 */
static void garble(struct shadow *sh)
{
	struct scf_ring *r = &sh->s.q.req;
	uint32_t tail = atomic_load_explicit(r->tail, memory_order_relaxed);

	atomic_store_explicit(&r->entry[tail & r->mask], sh->s.q.capacity,
			      memory_order_relaxed);
}

/*
 * Answer every request (ret 0) until stopped, taking each up first
 * (qhdr.taken) as scf-shadow does; drop one whose index names no
 * descriptor.
 */
static void *shadow_main(void *arg)
{
	struct shadow *sh = arg;
	uint32_t idx;

	sh->err = pp_attach(&sh->s, sh->r->mem, sh->r->size);
	pthread_barrier_wait(sh->bar);
	while (!sh->err && !atomic_load(&sh->stop)) {
		sh->err = scf_notify_wait(sh->s.n, shadow_ready, sh, NULL);
		if (sh->err || !scf_ring_pending(&sh->s.q.req))
			continue;
		if (atomic_exchange(&sh->garble, 0))
			garble(sh);
		if (scf_ring_pop(&sh->s.q.req, &idx))
			continue;
		if (idx >= sh->s.q.capacity) {
			atomic_fetch_add(&sh->dropped, 1);
			continue;
		}
		atomic_store_explicit(&sh->s.q.hdr->taken.v,
				      (uint32_t)sh->s.q.desc[idx].seq,
				      memory_order_relaxed);
		sh->s.q.desc[idx].ret = 0;
		sh->s.q.desc[idx].out_len = 0;
		sh->err = scf_ring_push(&sh->s.q.rsp, idx);
		if (!sh->err) {
			/* The answer's interrupt is the one dropped. */
			atomic_store(&drop_next, 1);
			sh->err = scf_notify_kick(sh->s.n, NULL);
		}
		sh->served++;
	}
	if (sh->s.n)
		scf_notify_detach(sh->s.n);
	return NULL;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void lost(const struct fk_config *cfg, const char *name)
{
	static struct shadow sh;
	static uint32_t stack[64];
	static uint8_t used[64];
	struct shm_region r = { 0 };
	struct scf_notify_cfg ncfg = { .side = SCF_SIDE_CLIENT, .dev_fd = -1,
				       .backend = "hw" };
	struct scf_req req = { .opcode = SCF_OP_NULL };
	struct scf_client c;
	struct scf_notify *n = NULL;
	struct uintr_stats st;
	pthread_barrier_t bar;
	pthread_t th;
	int sv[2], err;
	int64_t ret;
	double t0, t;

	fk_configure(cfg);
	uintr_hw_set_hooks(&lossy);
	memset(&sh, 0, sizeof(sh));
	atomic_store(&dropped, 0);
	if (!tap_ok(shm_region_make(&r) == 0 &&
		    socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0,
		    "%s: region and socket", name))
		return;
	pthread_barrier_init(&bar, NULL, 2);
	sh.s.side = SCF_SIDE_SHADOW;
	sh.s.backend = "hw";
	sh.s.sock_fd = sv[0];
	sh.r = &r;
	sh.bar = &bar;
	pthread_create(&th, NULL, shadow_main, &sh);
	err = scf_queue_attach(&c.q, r.mem, r.size, 0);
	ncfg.q = &c.q;
	ncfg.sock_fd = sv[1];
	if (!err)
		err = scf_notify_attach(&n, &ncfg);
	if (!err)
		err = scf_client_init(&c, n, SCF_MEMSYNC_COPY, stack, used);
	pthread_barrier_wait(&bar);
	tap_ok(!err && !sh.err, "%s: both sides attach (%d, %d)", name, err,
	       sh.err);
	if (err || sh.err)
		goto out;
	/* About 0.1-0.5 s at any TSC rate from 1 to 5 GHz. */
	c.timeout_tsc = 500000000ull;

	t0 = now_s();
	ret = scf_call(&c, &req);
	t = now_s() - t0;
	uintr_notify_stats(n, &st);
	/* Where the kick woke no interrupt at all, nothing was left to drop. */
	tap_ok(ret == 0 && atomic_load(&dropped) <= 1,
	       "%s: the answer's interrupt dropped, the call completes "
	       "(ret %lld, %d dropped, %.3f s, %llu lost wake-ups counted)",
	       name, (long long)ret, atomic_load(&dropped), t,
	       (unsigned long long)st.timeouts);

	atomic_store(&sh.garble, 1);
	t0 = now_s();
	ret = scf_call(&c, &req);
	t = now_s() - t0;
	tap_ok(ret == -SCF_ETIMEDOUT && c.timed_out == SCF_PHASE_DROPPED &&
	       atomic_load(&sh.dropped) == 1 && t < 5,
	       "%s: a garbled index, popped and dropped by the shadow: "
	       "-ETIMEDOUT, dropped, after %.3f s (%lld, phase %d, %d dropped)",
	       name, t, (long long)ret, c.timed_out, atomic_load(&sh.dropped));

	atomic_store(&sh.stop, 1);
	pthread_join(th, NULL);
	t0 = now_s();
	ret = scf_call(&c, &req);
	t = now_s() - t0;
	tap_ok(ret == -SCF_ETIMEDOUT && c.timed_out == SCF_PHASE_POP && t < 5,
	       "%s: a shadow that never takes the request: -ETIMEDOUT waiting "
	       "for the pop after %.3f s, not a wait forever (%lld, phase %d)",
	       name, t, (long long)ret, c.timed_out);
	scf_notify_detach(n);
	n = NULL;
out:
	if (n)
		scf_notify_detach(n);
	atomic_store(&sh.stop, 1);
	if (sh.r)
		pthread_join(th, NULL);
	close(sv[0]);
	close(sv[1]);
	shm_region_free(&r);
	pthread_barrier_destroy(&bar);
}

int main(void)
{
	int err = fk_start();

	/* A hang is the failure this test is about: end it with a verdict. */
	alarm(60);
	if (!tap_ok(err == 0, "fake UINTR kernel started (%d)", err))
		return tap_done();
	lossy = fk_hooks;
	lossy.senduipi = lossy_senduipi;
	lost(&(struct fk_config){ .abi = FK_INTEL }, "intel (wait spin)");
	lost(&(struct fk_config){ .abi = FK_INTEL, .blocking = true },
	     "intel+BLOCKING (wait futex)");
	lost(&(struct fk_config){ .abi = FK_RFC1 }, "rfc-v1 (wait uintr_wait)");
	uintr_hw_set_hooks(NULL);
	return tap_done();
}
