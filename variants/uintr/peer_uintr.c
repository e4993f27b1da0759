// SPDX-License-Identifier: MIT
/*
 * peer_uintr.c - the uintr variant's own peers over its notify backend
 * (uintr_PEER_SRCS: linked into this variant's scf-bench and scf-run only):
 *
 *   uintr-pingpong  the raw notification round trip alone, between two
 *                   processes on the client and shadow CPUs, with the
 *                   backend in use: SENDUIPI ping-pong (hw), or posted
 *                   UPID + RT signal ping-pong (emul).  No rings, no
 *                   descriptors: the floor under SCF's null call.
 *   uintr-coalesce  back-to-back sends at a receiver on the shadow CPU,
 *                   in bursts of 1000: sleeping in its wait, or spinning
 *                   where the backend's wait is a spin (hw without
 *                   CONFIG_X86_UINTR_BLOCKING, or --wait spin); the
 *                   result's wait says which.  The phase is the cost of
 *                   one send, and the coalescing figure (interrupts
 *                   delivered per 1000 sends) is printed at the end of
 *                   the run.
 *
 * Both register UINTR receivers on the client side, so each sample runs
 * on a thread of its own (struct wl .own_thread): the client thread may
 * be the forwarded channel's receiver already.  Each result carries its
 * own set-up (config.backend_detail) and wait.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "peer.h"
#include "scf_arch.h"
#include "scf_region.h"
#include "scf_sched.h"
#include "uintr_notify.h"

#define COALESCE_BURST	1000u

/* ---- uintr-pingpong ----------------------------------------------------- */

/* In shared memory. */
struct rpp_lines {
	_Alignas(64) uint64_t ping;	/* client -> shadow */
	_Alignas(64) uint64_t pong;	/* shadow -> client */
	int abort;			/* the child gave up */
};

/* Each process's own. */
struct rpp {
	struct scf_queue q;
	struct scf_notify *n;
	struct rpp_lines *l;
	uint64_t want;			/* the value awaited */
};

static bool rpp_ping_ready(void *arg)
{
	struct rpp *p = arg;

	/* acquire: pairs with the parent's release store of ping */
	return __atomic_load_n(&p->l->ping, __ATOMIC_ACQUIRE) >= p->want;
}

static bool rpp_pong_ready(void *arg)
{
	struct rpp *p = arg;

	/* acquire: pairs with the child's release store of pong / abort */
	return __atomic_load_n(&p->l->pong, __ATOMIC_ACQUIRE) >= p->want ||
	       __atomic_load_n(&p->l->abort, __ATOMIC_ACQUIRE);
}

/*
 * The policy the client side attached with (hw: what its registration
 * allowed) and its set-up, for the result; until it attached, the policy
 * asked for and no detail.
 */
static struct scf_wait_policy rpp_policy;
static char rpp_detail[sizeof(((struct measurement *)0)->detail)];

static int rpp_attach(struct rpp *p, void *mem, uint64_t size,
		      enum scf_side side, int32_t peer, int sock, int cpu,
		      const struct bench *b)
{
	/* Both sides wait as the variant's receivers do (--wait). */
	struct scf_notify_cfg cfg = {
		.q = &p->q, .side = side, .peer_pid = peer, .dev_fd = -1,
		.sock_fd = sock, .cpu = (uint32_t)cpu, .backend = b->backend,
		.wait = b->wait,
	};
	int err = scf_queue_attach(&p->q, mem, size, 0);

	return err ? err : scf_notify_attach(&p->n, &cfg);
}

static void rpp_child(struct bench *b, struct rpp *p, void *mem,
		      uint64_t size, int sock, int ready_fd, uint64_t n)
{
	uint64_t r;
	int err;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	err = scf_pin_cpu(b->shadow_cpu);
	if (!err)
		err = rpp_attach(p, mem, size, SCF_SIDE_SHADOW, getppid(), sock,
				 b->shadow_cpu, b);
	if (write(ready_fd, err ? "E" : "R", 1) != 1 || err)
		_exit(1);
	for (r = 1; r <= n && !err; r++) {
		p->want = r;
		err = scf_notify_wait(p->n, rpp_ping_ready, p, NULL);
		/* release: pairs with the parent's acquire in rpp_pong_ready */
		__atomic_store_n(&p->l->pong, r, __ATOMIC_RELEASE);
		if (!err)
			err = scf_notify_kick(p->n, NULL);
	}
	if (err)
		__atomic_store_n(&p->l->abort, 1, __ATOMIC_RELEASE);
	scf_notify_detach(p->n);
	_exit(err ? 1 : 0);
}

static int rpp_measure(struct bench *b, struct wl_ctx *x, int64_t *ticks,
		       uint64_t n)
{
	struct scf_geom g;
	struct rpp pp = { .n = NULL }, *p = &pp;
	void *mem;
	uint64_t size, r;
	int sv[2], rd[2], status, err = 0;
	char byte = 0;
	pid_t pid;

	(void)x;
	scf_geom_default(&g);
	g.nr_slots = 1;
	g.capacity = 1;
	g.pool_chunk = SCF_CACHELINE;
	g.late_cap = 1;
	size = scf_region_size(&g);
	/* the raw queue and the ping-pong lines, placed as a region's */
	mem = peer_shared(b, size);
	p->l = peer_shared(b, sizeof(*p->l));
	if (!mem || !p->l) {
		peer_unshare(mem, size);
		peer_unshare(p->l, sizeof(*p->l));
		return -ENOMEM;
	}
	err = scf_region_format(mem, size, &g);
	if (!err && socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		err = -errno;
	if (!err && pipe2(rd, O_CLOEXEC)) {
		close(sv[0]);
		close(sv[1]);
		err = -errno;
	}
	if (err)
		goto out_unmap;
	pid = fork();
	if (pid < 0) {
		err = -errno;
		goto out_close;
	}
	if (!pid)
		rpp_child(b, p, mem, size, sv[1], rd[1], n);
	if (read(rd[0], &byte, 1) != 1 || byte != 'R') {
		err = -EIO;
		goto out_wait;
	}
	err = rpp_attach(p, mem, size, SCF_SIDE_CLIENT, pid, sv[0],
			 b->client_cpu, b);
	if (!err)
		rpp_policy = scf_notify_policy(p->n);
	/* The hw set-up (ABI, flags, wait): this result's, not the channel's. */
	if (!err && scf_notify_detail(p->n))
		snprintf(rpp_detail, sizeof(rpp_detail), "%s",
			 scf_notify_detail(p->n));
	for (r = 1; r <= n && !err; r++) {
		uint64_t t0 = scf_rdtsc_ordered();

		p->want = r;
		/* release: pairs with the child's acquire in rpp_ping_ready */
		__atomic_store_n(&p->l->ping, r, __ATOMIC_RELEASE);
		err = scf_notify_kick(p->n, NULL);
		if (!err)
			err = scf_notify_wait(p->n, rpp_pong_ready, p, NULL);
		if (!err && __atomic_load_n(&p->l->abort, __ATOMIC_ACQUIRE))
			err = -EIO;
		ticks[r - 1] = (int64_t)(scf_rdtsc_ordered() - t0);
	}
	if (p->n)
		scf_notify_detach(p->n);
out_wait:
	if (err)
		kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	if (!err && !(WIFEXITED(status) && !WEXITSTATUS(status)))
		err = -EIO;
out_close:
	close(sv[0]);
	close(sv[1]);
	close(rd[0]);
	close(rd[1]);
out_unmap:
	peer_unshare(mem, size);
	peer_unshare(p->l, sizeof(*p->l));
	return err;
}

/* These peers run the variant's backend: emulated when it is. */
static void uintr_peer_annotate(struct bench *b, struct measurement *r)
{
	r->emulated = b->note != NULL;
}

static struct scf_wait_policy rpp_wait(const struct bench *b)
{
	return rpp_policy.kind ? rpp_policy : peer_wait_follows(b);
}

static void rpp_annotate(struct bench *b, struct measurement *r)
{
	uintr_peer_annotate(b, r);
	snprintf(r->detail, sizeof(r->detail), "%s", rpp_detail);
}

static const struct wl wl_uintr_pingpong = {
	.name = "uintr-pingpong",
	.kind = WL_PEER,
	.about = "raw uintr notification round trip (hw: senduipi; emul: UPID + "
		 "RT signal or futex) between the two CPUs",
	.measure = rpp_measure,
	.annotate = rpp_annotate,
	.wait = rpp_wait,
	.own_thread = true,
};

SCF_WORKLOAD(wl_uintr_pingpong);

/* ---- uintr-coalesce ----------------------------------------------------- */

/* Sums over the samples of one run; printed after the last one. */
static struct {
	uint32_t calls;
	uint64_t sends, notifies, interrupts, spurious;
	double per_1000;
	bool measured;			/* rx_mode and detail are set */
	enum uintr_rx_mode rx_mode;	/* what the receiver did */
	char detail[sizeof(((struct uintr_coalesce *)0)->detail)];
} co_sum;

/* Asked: spinning where the receivers spin (--wait spin), else sleeping. */
static enum uintr_rx_mode co_mode_asked(const struct bench *b)
{
	return b->wait.kind == SCF_WAIT_SPIN ? UINTR_RX_RUNNING :
					      UINTR_RX_SLEEPING;
}

static const char *co_mode_name(enum uintr_rx_mode m)
{
	return m == UINTR_RX_RUNNING ? "spinning" : "sleeping";
}

/* The receiver as measured: a spinning one spins, a sleeping one sleeps. */
static struct scf_wait_policy co_wait(const struct bench *b)
{
	struct scf_wait_policy w = { .kind = SCF_WAIT_SLEEP };
	enum uintr_rx_mode m = co_sum.measured ? co_sum.rx_mode :
						 co_mode_asked(b);

	if (m == UINTR_RX_RUNNING)
		w.kind = SCF_WAIT_SPIN;
	return w;
}

static void co_annotate(struct bench *b, struct measurement *r)
{
	uintr_peer_annotate(b, r);
	snprintf(r->detail, sizeof(r->detail), "%s", co_sum.detail);
	meas_extra(r, "interrupts_per_1000_sends", co_sum.per_1000);
}

static int co_measure(struct bench *b, struct wl_ctx *x, int64_t *ticks,
		      uint64_t n)
{
	struct uintr_coalesce co;
	uint64_t i, len;
	int err = 0;

	(void)x;
	if (!co_sum.calls)
		memset(&co_sum, 0, sizeof(co_sum));
	for (i = 0; i < n && !err; i += len) {
		len = n - i < COALESCE_BURST ? n - i : COALESCE_BURST;
		err = uintr_coalesce_measure(b->backend, (uint32_t)len,
					     co_mode_asked(b), -1,
					     b->shadow_cpu, &co, ticks + i);
		if (err)
			break;
		co_sum.measured = true;
		co_sum.rx_mode = co.rx_mode;
		snprintf(co_sum.detail, sizeof(co_sum.detail), "%s", co.detail);
		co_sum.sends += co.sends;
		co_sum.notifies += co.notifies;
		co_sum.interrupts += co.interrupts;
		co_sum.spurious += co.spurious;
	}
	if (err || ++co_sum.calls < b->samples)
		return err;
	co_sum.per_1000 = co_sum.sends ? co_sum.interrupts * 1000.0 / co_sum.sends : 0;
	fprintf(stderr, "uintr-coalesce: %.1f interrupts delivered per 1000 "
		"back-to-back sends (backend %s, receiver %s on CPU %d, "
		"bursts of up to %u: %llu sends, %llu notifications, %llu "
		"spurious)\n",
		co_sum.sends ? co_sum.interrupts * 1000.0 / co_sum.sends : 0.0,
		b->backend, co_mode_name(co_sum.rx_mode), b->shadow_cpu,
		/* a sample of fewer calls is one shorter burst */
		n < COALESCE_BURST ? (unsigned)n : COALESCE_BURST,
		(unsigned long long)co_sum.sends,
		(unsigned long long)co_sum.notifies,
		(unsigned long long)co_sum.spurious);
	co_sum.calls = 0;
	return 0;
}

static const struct wl wl_uintr_coalesce = {
	.name = "uintr-coalesce",
	.kind = WL_PEER,
	.about = "cost of one senduipi in back-to-back bursts of 1000; prints "
		 "interrupts delivered per 1000 sends",
	.measure = co_measure,
	.annotate = co_annotate,
	.wait = co_wait,
	.own_thread = true,
};

SCF_WORKLOAD(wl_uintr_coalesce);
