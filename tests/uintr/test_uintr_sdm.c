// SPDX-License-Identifier: MIT
/*
 * test_uintr_sdm.c - the emul backend against the SDM's delivery rules:
 *   - one handler call per pending vector (UIRR), not one per notification;
 *   - UIF: with it clear a notification is processed (PIR moves to UIRR)
 *     but nothing is delivered until STUI;
 *   - SN set while the receiver sleeps, so a sender's post skips the
 *     notification (and wakes the sleeper instead), and SN clear again
 *     once the receiver runs, which then takes the interrupt itself.
 */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>

#include "tap.h"
#include "uintr_test.h"
#include "uintr_priv.h"

#define WAIT_NS		2000000000ull

struct rx_thread {
	struct shm_region *r;
	struct pp_side s;
	int phase;		/* main -> thread, release/acquire */
	int clui;		/* run with UIF clear until phase 2 */
	int sleep;		/* wait in scf_notify_wait() for `go` */
	int go;
	uint64_t nc_after;	/* UPID control word once running again */
	struct uintr_stats st_held, st;
};

/* The receiver's UPID, in its queue page. */
static struct uintr_upid *rx_upid(struct rx_thread *t)
{
	return (struct uintr_upid *)((uint8_t *)t->s.q.hdr +
				     uintr_emul_upid_off(SCF_SIDE_SHADOW));
}

static bool go_ready(void *arg)
{
	/* acquire: pairs with the main thread's release store of go */
	return __atomic_load_n((int *)arg, __ATOMIC_ACQUIRE);
}

static void wait_phase(struct rx_thread *t, int p)
{
	while (__atomic_load_n(&t->phase, __ATOMIC_ACQUIRE) < p)
		sched_yield();
}

static void *rx_main(void *arg)
{
	struct rx_thread *t = arg;
	uint64_t pir;

	t->s.err = pp_attach(&t->s, t->r->mem, t->r->size);
	if (!t->s.err && t->clui)
		uintr_emul_clui(t->s.n);
	/* release: pairs with the main thread's wait_phase(1) */
	__atomic_store_n(&t->phase, 1, __ATOMIC_RELEASE);
	if (t->s.err)
		return NULL;
	if (t->sleep) {
		t->s.err = scf_notify_wait(t->s.n, go_ready, &t->go, NULL);
		uintr_upid_read(rx_upid(t), &t->nc_after, &pir);
	} else {
		wait_phase(t, 2);
		uintr_notify_stats(t->s.n, &t->st_held);
		if (t->clui)
			uintr_emul_stui(t->s.n);	/* delivers UIRR here */
	}
	uintr_notify_stats(t->s.n, &t->st);
	scf_notify_detach(t->s.n);
	return NULL;
}

static int rx_start(struct rx_thread *t, struct shm_region *r, pthread_t *th)
{
	t->r = r;
	t->s.side = SCF_SIDE_SHADOW;
	t->s.backend = "emul";
	t->s.sock_fd = -1;
	if (pthread_create(th, NULL, rx_main, t))
		return -1;
	wait_phase(t, 1);
	return t->s.err;
}

static int client_attach(struct pp_side *c, struct shm_region *r)
{
	memset(c, 0, sizeof(*c));
	c->side = SCF_SIDE_CLIENT;
	c->backend = "emul";
	c->sock_fd = -1;
	return pp_attach(c, r->mem, r->size);
}

/* Poll cond(arg) for up to 2 s. */
static bool eventually(bool (*cond)(void *), void *arg)
{
	uint64_t end = mono_ns() + WAIT_NS;

	while (!cond(arg))
		if (mono_ns() > end)
			return false;
		else
			sched_yield();
	return true;
}

static bool upid_idle(void *arg)
{
	uint64_t nc, pir;

	uintr_upid_read(arg, &nc, &pir);
	return !pir && !(nc & UINTR_UPID_ON);
}

/* The receiver has checked its condition and is committed to sleeping. */
static bool rx_asleep(void *arg)
{
	struct scf_notify *n = arg;

	return uintr_get(&n->sleeps) >= 1;
}

static bool upid_sn(void *arg)
{
	uint64_t nc, pir;

	uintr_upid_read(arg, &nc, &pir);
	return nc & UINTR_UPID_SN;
}

/* Three vectors pending at one notification: three handler calls. */
static void test_handler_per_vector(void)
{
	static struct rx_thread t;
	struct shm_region r = { 0 };
	struct uintr_notification note;
	struct scf_doorbell *bell;
	pthread_t th;
	const unsigned int vec[3] = { 0, 3, 5 };
	int i, first = -1;

	memset(&t, 0, sizeof(t));
	if (!tap_ok(shm_region_make(&r) == 0 && rx_start(&t, &r, &th) == 0,
		    "per-vector: receiver attached"))
		return;
	bell = &t.s.q.hdr->bell[SCF_SIDE_SHADOW];
	for (i = 0; i < 3; i++) {
		int ret = uintr_upid_post(rx_upid(&t), vec[i], &note);

		if (i == 0)
			first = ret;
	}
	tap_ok(first == UINTR_POST_NOTIFY,
	       "per-vector: the first post asks for the notification");
	/* the one notification the posts asked for: NV to NDST */
	syscall(SYS_tgkill, bell->pid, (pid_t)note.ndst, note.nv);
	tap_ok(eventually(upid_idle, rx_upid(&t)), "per-vector: notification processed");
	__atomic_store_n(&t.phase, 2, __ATOMIC_RELEASE);
	pthread_join(th, NULL);
	tap_ok(t.st.interrupts == 3 && t.st.vectors == 3,
	       "one handler call per pending vector: %llu calls for 3 vectors",
	       (unsigned long long)t.st.interrupts);
	tap_ok(t.st.vector_mask == ((1ull << 0) | (1ull << 3) | (1ull << 5)) &&
	       t.st.spurious == 0, "per-vector: vectors 0, 3, 5 delivered, none spurious");
	shm_region_free(&r);
}

/* UIF clear: processed into UIRR, delivered only at STUI. */
static void test_uif(void)
{
	static struct rx_thread t;
	struct shm_region r = { 0 };
	struct pp_side c;
	struct uintr_stats st;
	pthread_t th;
	int i;

	memset(&t, 0, sizeof(t));
	t.clui = 1;
	if (!tap_ok(shm_region_make(&r) == 0 && rx_start(&t, &r, &th) == 0 &&
		    client_attach(&c, &r) == 0, "UIF: receiver (CLUI) and sender attached"))
		return;
	for (i = 0; i < 10; i++)
		scf_notify_kick(c.n, NULL);
	uintr_notify_stats(c.n, &st);
	tap_ok(st.notifies == 1, "UIF: 10 sends, 1 notification");
	tap_ok(eventually(upid_idle, rx_upid(&t)),
	       "UIF clear: the notification is still processed (PIR taken)");
	__atomic_store_n(&t.phase, 2, __ATOMIC_RELEASE);
	pthread_join(th, NULL);
	tap_ok(t.st_held.interrupts == 0, "UIF clear: no handler call (%llu)",
	       (unsigned long long)t.st_held.interrupts);
	tap_ok(t.st.interrupts == 1 && t.st.vector_mask == 1,
	       "STUI: the held vector is delivered (%llu call)",
	       (unsigned long long)t.st.interrupts);
	scf_notify_detach(c.n);
	shm_region_free(&r);
}

/* SN while asleep: the post skips the notification; cleared on waking. */
static void test_sn_while_sleeping(void)
{
	static struct rx_thread t;
	struct shm_region r = { 0 };
	struct pp_side c;
	struct uintr_stats st;
	pthread_t th;

	memset(&t, 0, sizeof(t));
	t.sleep = 1;
	if (!tap_ok(shm_region_make(&r) == 0 && rx_start(&t, &r, &th) == 0 &&
		    client_attach(&c, &r) == 0, "SN: receiver and sender attached"))
		return;
	tap_ok(eventually(rx_asleep, t.s.n) && upid_sn(rx_upid(&t)),
	       "SN set while the receiver sleeps");
	/* release: pairs with go_ready() */
	__atomic_store_n(&t.go, 1, __ATOMIC_RELEASE);
	scf_notify_kick(c.n, NULL);
	uintr_notify_stats(c.n, &st);
	tap_ok(st.suppressed == 1 && st.notifies == 0,
	       "the sender skipped the notification (suppressed %llu, notified %llu)",
	       (unsigned long long)st.suppressed, (unsigned long long)st.notifies);
	pthread_join(th, NULL);
	tap_ok(t.s.err == 0 && t.st.timeouts == 0,
	       "the sleeper was woken by the send, not by its timeout");
	tap_ok(!(t.nc_after & UINTR_UPID_SN), "SN clear once the receiver runs");
	tap_ok(t.st.interrupts == 1 && t.st.self_notifies == 1,
	       "on waking the receiver takes the posted vector (%llu call)",
	       (unsigned long long)t.st.interrupts);
	scf_notify_detach(c.n);
	shm_region_free(&r);
}

int main(void)
{
	test_handler_per_vector();
	test_uif();
	test_sn_while_sleeping();
	return tap_done();
}
