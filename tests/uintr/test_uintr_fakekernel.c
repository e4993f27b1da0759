// SPDX-License-Identifier: MIT
/*
 * test_uintr_fakekernel.c - the hw path against a fake UINTR kernel
 * (fake_uintr_kernel.c, seccomp user notification), on a CPU without
 * UINTR:
 *   1. the fake answers each ABI's syscalls as that kernel's sources do
 *      (the table in variants/uintr/README.md), so the rest means
 *      something;
 *   2. the probe finds each ABI, and says why not where none answers;
 *   3. the hw backend end to end on each kernel: registration with
 *      WAITING_RECEIVER and its fallback to flags 0, the wait chosen,
 *      the set-up in the result detail, the fd exchange, sender
 *      registration at the first kick, SENDUIPI on the index the kernel
 *      gave, wait, and a teardown that leaves the kernel with nothing;
 *   4. every error path of attach and connect.
 * Only STUI, CLUI and SENDUIPI are fakes (uintr_hw_set_hooks): they check
 * that STUI runs only in a registered receiver and SENDUIPI only on a
 * valid UITT entry.
 */
#include <fcntl.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "tap.h"
#include "uintr_test.h"
#include "uintr_priv.h"
#include "fake_uintr_kernel.h"

static long sc(long nr, long a0, long a1, long a2)
{
	long r = syscall(nr, a0, a1, a2);

	return r < 0 ? -errno : r;
}

/* One expected answer: "what", the call, the errno (or >= 0: success). */
#define EXPECT(what, call, want) do {					\
	long got_ = (call);						\
	tap_ok((want) >= 0 ? got_ >= 0 : got_ == (want),		\
	       "%s: %s -> %ld", cfg_name, what, got_);			\
} while (0)

static const char *cfg_name;

static void conform_intel(bool blocking)
{
	const long h = (long)uintr_hw_handler_addr();
	long fd, fd2;
	int p[2];

	fk_configure(&(struct fk_config){ .abi = FK_INTEL, .blocking = blocking });
	cfg_name = blocking ? "intel+BLOCKING" : "intel";
	if (pipe(p))
		return;
	EXPECT("register_handler(h, WAITING_RECEIVER)",
	       sc(471, h, UINTR_HANDLER_FLAG_WAITING_RECEIVER, 0),
	       blocking ? 0 : -EINVAL);
	if (blocking) {
		EXPECT("unregister_handler(0)", sc(472, 0, 0, 0), 0);
		EXPECT("uintr_wait(0 us)", sc(476, 0, 0, 0), 0);
		EXPECT("uintr_wait(> 1000 s)", sc(476, 2000000000L, 0, 0), -EINVAL);
		EXPECT("uintr_wait(flags 1)", sc(476, 100, 1, 0), -EINVAL);
		EXPECT("uintr_wait, not a receiver", sc(476, 100, 0, 0), -EOPNOTSUPP);
	} else {
		EXPECT("uintr_wait without BLOCKING", sc(476, 100, 0, 0), -ENOSYS);
	}
	EXPECT("register_handler(h, unknown flag)", sc(471, h, 0x4000, 0), -EINVAL);
	EXPECT("register_handler(NULL, 0)", sc(471, 0, 0, 0), -EFAULT);
	EXPECT("unregister_handler, none registered", sc(472, 0, 0, 0), -EINVAL);
	EXPECT("uintr_vector_fd, no handler", sc(473, 0, 0, 0), -EINVAL);
	EXPECT("alt_stack, no handler", sc(478, 0, 0, 0), -EOPNOTSUPP);
	EXPECT("register_handler(h, 0)", sc(471, h, 0, 0), 0);
	EXPECT("second register_handler", sc(471, h, 0, 0), -EBUSY);
	EXPECT("uintr_vector_fd(64)", sc(473, 64, 0, 0), -ENOSPC);
	EXPECT("uintr_vector_fd(0, flags 1)", sc(473, 0, 1, 0), -EINVAL);
	fd = sc(473, 0, 0, 0);
	EXPECT("uintr_vector_fd(0)", fd, 0);
	fd2 = sc(473, 0, 0, 0);
	EXPECT("uintr_vector_fd(0) again (vectors stay registered)", fd2, 0);
	EXPECT("register_sender(-1)", sc(474, -1, 0, 0), -EBADF);
	EXPECT("register_sender(a pipe)", sc(474, p[0], 0, 0), -EOPNOTSUPP);
	EXPECT("register_sender(fd, flags 1)", sc(474, fd, 1, 0), -EINVAL);
	EXPECT("register_sender(fd) -> index 0", sc(474, fd, 0, 0) == 0 ? 0 : -1, 0);
	EXPECT("register_sender(fd) again -> index 1 (no EISCONN)",
	       sc(474, fd, 0, 0) == 1 ? 0 : -1, 0);
	EXPECT("unregister_sender(99)", sc(475, 99, 0, 0), -EINVAL);
	EXPECT("unregister_sender(-1)", sc(475, -1, 0, 0), -EINVAL);
	EXPECT("unregister_sender(0, flags 1)", sc(475, 0, 1, 0), -EINVAL);
	EXPECT("unregister_sender(0)", sc(475, 0, 0, 0), 0);
	EXPECT("unregister_sender(0) again", sc(475, 0, 0, 0), -EINVAL);
	EXPECT("unregister_sender(1)", sc(475, 1, 0, 0), 0);
	EXPECT("register_self(64)", sc(477, 64, 0, 0), -ENOSPC);
	EXPECT("alt_stack(NULL)", sc(478, 0, 0, 0), 0);
	EXPECT("unregister_handler(flags 1)", sc(472, 1, 0, 0), -EINVAL);
	EXPECT("unregister_handler(0)", sc(472, 0, 0, 0), 0);
	EXPECT("unregister_handler again", sc(472, 0, 0, 0), -EINVAL);
	EXPECT("register_sender after unregister (receiver stays active)",
	       sc(474, fd, 0, 0), 0);
	EXPECT("RFC v1 number 450 on this kernel", sc(450, 0, 0, 0), -ENOSYS);
	close(fd);
	close(fd2);
	close(p[0]);
	close(p[1]);
	fk_configure(&(struct fk_config){ .abi = FK_INTEL, .disabled = true });
	cfg_name = "intel, UINTR off";
	EXPECT("unregister_handler", sc(472, 0, 0, 0), -ENOSYS);
	EXPECT("register_handler", sc(471, h, 0, 0), -ENOSYS);
}

/* The registration's syscall from another thread (a task of its own). */
static void *register_elsewhere(void *arg)
{
	long *ret = arg;

	*ret = sc(471, (long)uintr_hw_handler_addr(), 0, 0);
	if (!*ret)
		sc(472, 0, 0, 0);
	return NULL;
}

/*
 * What arch/x86/kernel/uintr.c refuses as a second registration: the
 * receiver is the task (is_uintr_receiver(): thread.upid_activated), so a
 * registered thread gets -EBUSY, checked after the flags and the handler
 * address; another thread, a forked child (copy_thread() clears
 * upid_activated) and the same thread after unregistering are free.
 */
static void conform_intel_busy(bool blocking)
{
	const long h = (long)uintr_hw_handler_addr();
	long other = 1;
	pthread_t th;
	pid_t pid;
	int status = -1;

	fk_configure(&(struct fk_config){ .abi = FK_INTEL, .blocking = blocking });
	cfg_name = blocking ? "intel+BLOCKING, busy" : "intel, busy";
	EXPECT("register_handler(h, 0)", sc(471, h, 0, 0), 0);
	EXPECT("again, same thread", sc(471, h, 0, 0), -EBUSY);
	EXPECT("again, other handler", sc(471, h + 16, 0, 0), -EBUSY);
	/* flags are checked first: without BLOCKING any flag is -EINVAL */
	EXPECT("again, WAITING_RECEIVER", sc(471, h,
	       UINTR_HANDLER_FLAG_WAITING_RECEIVER, 0),
	       blocking ? -EBUSY : -EINVAL);
	EXPECT("again, unknown flag", sc(471, h, 0x4000, 0), -EINVAL);
	EXPECT("again, NULL handler", sc(471, 0, 0, 0), -EFAULT);
	if (!pthread_create(&th, NULL, register_elsewhere, &other))
		pthread_join(th, NULL);
	EXPECT("another thread of this process", other, 0);
	pid = fork();
	if (!pid)
		_exit(sc(471, h, 0, 0) == 0 && sc(472, 0, 0, 0) == 0 ? 0 : 1);
	if (pid > 0)
		waitpid(pid, &status, 0);
	EXPECT("a forked child (a new task)",
	       WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -1, 0);
	EXPECT("still refused here", sc(471, h, 0, 0), -EBUSY);
	EXPECT("unregister_handler(0)", sc(472, 0, 0, 0), 0);
	EXPECT("register_handler after unregistering", sc(471, h, 0, 0), 0);
	EXPECT("unregister_handler(0)", sc(472, 0, 0, 0), 0);
}

static void conform_rfc1(void)
{
	const long h = (long)uintr_hw_handler_addr();
	long fd;
	int p[2];

	fk_configure(&(struct fk_config){ .abi = FK_RFC1 });
	cfg_name = "rfc-v1";
	if (pipe(p))
		return;
	EXPECT("register_handler(h, WAITING_RECEIVER)",
	       sc(449, h, UINTR_HANDLER_FLAG_WAITING_RECEIVER, 0), -EINVAL);
	EXPECT("register_handler(NULL, 0)", sc(449, 0, 0, 0), -EFAULT);
	EXPECT("unregister_handler, none registered", sc(450, 0, 0, 0), -EINVAL);
	EXPECT("uintr_create_fd, no handler", sc(451, 0, 0, 0), -EINVAL);
	EXPECT("uintr_wait, not a receiver", sc(454, 0, 0, 0), -EOPNOTSUPP);
	EXPECT("register_handler(h, 0)", sc(449, h, 0, 0), 0);
	EXPECT("second register_handler", sc(449, h, 0, 0), -EBUSY);
	EXPECT("uintr_create_fd(64)", sc(451, 64, 0, 0), -ENOSPC);
	fd = sc(451, 0, 0, 0);
	EXPECT("uintr_create_fd(0)", fd, 0);
	EXPECT("uintr_create_fd(0) again", sc(451, 0, 0, 0), -EBUSY);
	EXPECT("register_sender(-1)", sc(452, -1, 0, 0), -EBADF);
	EXPECT("register_sender(a pipe)", sc(452, p[0], 0, 0), -EOPNOTSUPP);
	EXPECT("register_sender(fd) -> index 0", sc(452, fd, 0, 0) == 0 ? 0 : -1, 0);
	EXPECT("register_sender(fd) again", sc(452, fd, 0, 0), -EISCONN);
	EXPECT("unregister_sender(-1)", sc(453, -1, 0, 0), -EBADF);
	EXPECT("unregister_sender(a pipe)", sc(453, p[0], 0, 0), -EOPNOTSUPP);
	EXPECT("unregister_sender(fd)", sc(453, fd, 0, 0), 0);
	EXPECT("unregister_sender(fd) again", sc(453, fd, 0, 0), -EINVAL);
	EXPECT("uintr_wait(flags 1)", sc(454, 1, 0, 0), -EINVAL);
	EXPECT("uintr_wait(0)", sc(454, 0, 0, 0), 0);
	EXPECT("unregister_handler(0)", sc(450, 0, 0, 0), 0);
	EXPECT("register_sender after unregister", sc(452, fd, 0, 0), -ESHUTDOWN);
	EXPECT("intel number 472 on this kernel", sc(472, 0, 0, 0), -ENOSYS);
	close(fd);
	close(p[0]);
	close(p[1]);
	fk_configure(&(struct fk_config){ .abi = FK_RFC1, .disabled = true });
	cfg_name = "rfc-v1, UINTR off";
	EXPECT("unregister_handler", sc(450, 0, 0, 0), -EOPNOTSUPP);
}

static void probe_each(void)
{
	const struct uintr_abi *abi;
	const char *why;

	fk_configure(&(struct fk_config){ .abi = FK_INTEL });
	uintr_hw_set_hooks(&fk_hooks);
	abi = uintr_hw_probe(&why);
	tap_ok(abi == &uintr_abi_intel, "probe: the intel kernel is found");
	fk_configure(&(struct fk_config){ .abi = FK_RFC1 });
	uintr_hw_set_hooks(&fk_hooks);
	abi = uintr_hw_probe(&why);
	tap_ok(abi == &uintr_abi_rfc1, "probe: the RFC v1 kernel is found");
	fk_configure(&(struct fk_config){ .abi = FK_RFC1, .disabled = true });
	uintr_hw_set_hooks(&fk_hooks);
	abi = uintr_hw_probe(&why);
	tap_ok(!abi && why && strstr(why, "disabled"),
	       "probe: RFC v1 with UINTR off: %s", why ? why : "(null)");
	fk_configure(&(struct fk_config){ .abi = FK_NONE });
	uintr_hw_set_hooks(&fk_hooks);
	abi = uintr_hw_probe(&why);
	tap_ok(!abi && why && strstr(why, "no UINTR syscall ABI"),
	       "probe: no table answers: %s", why ? why : "(null)");
	tap_ok(scf_notify_pick("hw") == NULL &&
	       !strcmp(scf_notify_pick("auto"), "emul") &&
	       strstr(scf_notify_note("emul"), why),
	       "auto without a UINTR kernel picks emul and says why: %s",
	       scf_notify_note("emul"));
}

/* ---- the hw backend end to end ---- */

struct side {
	struct pp_side s;
	struct shm_region *r;
	pthread_barrier_t *bar;
	int kick_err, wait_err, readies;
	char detail[160];
};

static bool ready_second(void *arg)
{
	struct side *d = arg;

	/* the spin and uintr_wait loops come round once; futex mode never sleeps */
	return ++d->readies >= (d->s.n->hw.wait == UINTR_HW_WAIT_FUTEX ? 1 : 2);
}

static void *side_main(void *arg)
{
	struct side *d = arg;

	d->s.err = pp_attach(&d->s, d->r->mem, d->r->size);
	if (!d->s.err && scf_notify_detail(d->s.n))
		snprintf(d->detail, sizeof(d->detail), "%s",
			 scf_notify_detail(d->s.n));
	pthread_barrier_wait(d->bar);			/* A: attached */
	pthread_barrier_wait(d->bar);			/* main has looked */
	if (!d->s.err)
		d->kick_err = scf_notify_kick(d->s.n, NULL);
	pthread_barrier_wait(d->bar);			/* B: kicked */
	pthread_barrier_wait(d->bar);			/* main has looked */
	if (!d->s.err)
		d->wait_err = scf_notify_wait(d->s.n, ready_second, d, NULL);
	if (!d->s.err)
		scf_notify_detach(d->s.n);
	pthread_barrier_wait(d->bar);			/* C: detached */
	return NULL;
}

/*
 * ask: the wait policy asked for (scf-bench --wait).  wait: the wait the
 * detail must name; the declared policy is spin for "wait spin", else
 * sleep (futex or uintr_wait).
 */
static void hw_end_to_end(const struct fk_config *c, const char *name,
			  unsigned int flags, const char *wait,
			  enum scf_wait_kind ask)
{
	enum scf_wait_kind declared = strstr(wait, "spin") ? SCF_WAIT_SPIN :
							     SCF_WAIT_SLEEP;
	static struct side d[2];
	struct shm_region r = { 0 };
	pthread_barrier_t bar;
	pthread_t th[2];
	struct fk_stats st;
	char want[160];
	int sv[2], i;

	fk_configure(c);
	uintr_hw_set_hooks(&fk_hooks);
	memset(d, 0, sizeof(d));
	if (!tap_ok(shm_region_make(&r) == 0 &&
		    socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0,
		    "%s: region and socket", name))
		return;
	pthread_barrier_init(&bar, NULL, 3);
	for (i = 0; i < 2; i++) {
		d[i].s.side = i ? SCF_SIDE_CLIENT : SCF_SIDE_SHADOW;
		d[i].s.backend = "hw";
		d[i].s.wait.kind = ask;
		d[i].s.sock_fd = sv[i];
		d[i].r = &r;
		d[i].bar = &bar;
		pthread_create(&th[i], NULL, side_main, &d[i]);
	}
	pthread_barrier_wait(&bar);			/* A */
	fk_get_stats(&st);
	snprintf(want, sizeof(want), "abi %s, flags %#x", c->abi == FK_INTEL ?
		 "intel" : "rfc-v1", flags);
	tap_ok(d[0].s.err == 0 && d[1].s.err == 0, "%s: both sides attach (%d, %d)",
	       name, d[0].s.err, d[1].s.err);
	tap_ok(st.receivers == 2 && st.last_flags == flags,
	       "%s: two handlers registered, flags %#x", name, st.last_flags);
	tap_ok(!strncmp(d[0].detail, want, strlen(want)) &&
	       strstr(d[0].detail, wait) && !strcmp(d[0].detail, d[1].detail),
	       "%s: result detail \"%s\"", name, d[0].detail);
	tap_ok(!d[0].s.err && !d[1].s.err &&
	       scf_notify_policy(d[0].s.n).kind == declared &&
	       scf_notify_policy(d[1].s.n).kind == declared,
	       "%s: both sides declare the wait policy %s", name,
	       declared == SCF_WAIT_SPIN ? "spin" : "sleep");
	tap_ok(st.stui == 2 && st.senduipi == 0,
	       "%s: STUI once per side, no send yet (%u, %u)", name, st.stui,
	       st.senduipi);
	pthread_barrier_wait(&bar);
	pthread_barrier_wait(&bar);			/* B */
	fk_get_stats(&st);
	tap_ok(d[0].kick_err == 0 && d[1].kick_err == 0 && st.senders == 2,
	       "%s: first kick registers each as the other's sender (%d, %d, %u)",
	       name, d[0].kick_err, d[1].kick_err, st.senders);
	/* intel: one UITT per process, so the two senders get 0 and 1 */
	tap_ok(st.senduipi == 2 && (c->abi == FK_INTEL ?
	       d[0].s.n->uipi_index + d[1].s.n->uipi_index == 1 :
	       d[0].s.n->uipi_index == 0 && d[1].s.n->uipi_index == 0),
	       "%s: SENDUIPI on the UITT indices the kernel gave (%ld, %ld)",
	       name, d[0].s.n->uipi_index, d[1].s.n->uipi_index);
	pthread_barrier_wait(&bar);
	pthread_barrier_wait(&bar);			/* C */
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	fk_get_stats(&st);
	tap_ok(d[0].wait_err == 0 && d[1].wait_err == 0,
	       "%s: wait by %s returns once ready", name, wait);
	tap_ok(st.receivers == 0 && st.senders == 0 && st.clui == 2,
	       "%s: detach leaves no handler and no UITT entry", name);
	tap_ok(st.violations == 0,
	       "%s: no instruction out of turn (STUI before registration, "
	       "SENDUIPI on an invalid entry)", name);
	close(sv[0]);
	close(sv[1]);
	shm_region_free(&r);
	pthread_barrier_destroy(&bar);
}

/* ---- error paths ---- */

static bool never(void *arg)
{
	(void)arg;
	return false;
}

/* The second call is ready: every hw wait comes round at least once. */
static bool ready_after_two(void *arg)
{
	int *n = arg;

	return ++*n >= 2;
}

struct other_wait {
	struct scf_notify *n;
	int ret;
};

static void *wait_elsewhere(void *arg)
{
	struct other_wait *w = arg;

	w->ret = scf_notify_wait(w->n, never, NULL, NULL);
	return NULL;
}

static int attach_hw(struct pp_side *s, struct shm_region *r, enum scf_side side,
		     int sock)
{
	memset(s, 0, sizeof(*s));
	s->side = side;
	s->backend = "hw";
	s->sock_fd = sock;
	return pp_attach(s, r->mem, r->size);
}

static void errors(void)
{
	struct shm_region r = { 0 }, r2 = { 0 };
	struct pp_side a, b;
	struct fk_stats st;
	int sv[2], sv2[2], p[2];

	fk_configure(&(struct fk_config){ .abi = FK_INTEL });
	uintr_hw_set_hooks(&fk_hooks);
	if (!tap_ok(shm_region_make(&r) == 0 && shm_region_make(&r2) == 0 &&
		    socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0 &&
		    socketpair(AF_UNIX, SOCK_STREAM, 0, sv2) == 0 && pipe(p) == 0,
		    "errors: set-up"))
		return;

	/* no socket: refused before any syscall (after the probe's) */
	scf_notify_pick("hw");
	fk_get_stats(&st);
	tap_ok(attach_hw(&a, &r, SCF_SIDE_SHADOW, -1) == -EINVAL,
	       "attach without a peer socket: -EINVAL");
	{
		unsigned long calls = st.calls;

		fk_get_stats(&st);
		tap_ok(st.calls == calls && st.receivers == 0,
		       "... and no syscall was made");
	}

	/* vector fd fails: the handler is unregistered again */
	fk_fail_next(UINTR_INTEL_NR_VECTOR_FD, ENOMEM);
	tap_ok(attach_hw(&a, &r, SCF_SIDE_SHADOW, sv[0]) == -ENOMEM,
	       "uintr_vector_fd fails: attach -ENOMEM");
	fk_get_stats(&st);
	tap_ok(st.receivers == 0 && st.stui == 0 && uintr_tls_rx == NULL,
	       "... handler unregistered, no STUI, TLS cleared");

	/* register_handler fails with something else than EINVAL: no fallback */
	fk_fail_next(UINTR_INTEL_NR_REGISTER_HANDLER, EBUSY);
	tap_ok(attach_hw(&a, &r, SCF_SIDE_SHADOW, sv[0]) == -EBUSY,
	       "register_handler -EBUSY: attach fails, no fallback");

	/* the peer socket is closed: the fd cannot be sent */
	close(sv2[1]);
	tap_ok(attach_hw(&a, &r, SCF_SIDE_SHADOW, sv2[0]) == -EPIPE,
	       "fd send to a closed peer: attach -EPIPE");
	fk_get_stats(&st);
	tap_ok(st.receivers == 0, "... handler unregistered");
	close(sv2[0]);

	/* a second registration in the same thread: -EBUSY, first intact */
	tap_ok(attach_hw(&a, &r, SCF_SIDE_SHADOW, sv[0]) == 0,
	       "first attach in this thread");
	{
		unsigned long calls;

		fk_get_stats(&st);
		calls = st.calls;
		tap_ok(attach_hw(&b, &r2, SCF_SIDE_SHADOW, sv[1]) == -EBUSY,
		       "second attach in the same thread: -EBUSY");
		fk_get_stats(&st);
		tap_ok(st.calls == calls,
		       "... refused before any syscall, as the kernel would");
	}
	tap_ok(st.receivers == 1, "... the first registration stands");
	tap_ok(uintr_tls_rx == &a.n->rx,
	       "... and its handler still counts into the first channel");
	{
		int readies = 0;

		tap_ok(scf_notify_wait(a.n, ready_after_two, &readies, NULL) == 0,
		       "... whose wait still works (not -EINVAL)");
	}
	{
		/* the kernel's own -EBUSY (a registration made outside the
		 * library): the thread's handler state is left as it was */
		struct uintr_hw_rx hw = { .uvec_fd = -1 };
		struct uintr_rx rx2, *before = uintr_tls_rx;
		const struct uintr_abi *abi = a.n->abi;

		uintr_hw_rx_close(&a.n->hw);	/* the library's is gone ... */
		tap_ok(sc(471, (long)uintr_hw_handler_addr(), 0, 0) == 0,
		       "a registration outside the library");
		uintr_tls_rx = before;		/* ... its owner's counters */
		tap_ok(uintr_hw_rx_open(&hw, abi, &rx2, 0) == -EBUSY &&
		       uintr_tls_rx == before && !hw.abi,
		       "the kernel's -EBUSY: open fails, TLS left as it was");
		sc(472, 0, 0, 0);
		uintr_tls_rx = NULL;
		free(a.n);	/* its hw part is closed: the rest by hand */
		a.n = NULL;
	}
	tap_ok(attach_hw(&a, &r, SCF_SIDE_SHADOW, sv[0]) == 0,
	       "attach again on the same thread after closing");
	{
		/* the first attach's fd, never read: the peer takes the new one */
		int fd = scf_fd_recv(sv[1]);

		if (fd >= 0)
			close(fd);
	}

	/* the peer sends something that is not a vector fd */
	tap_ok(scf_fd_recv(sv[1]) >= 0 && scf_fd_send(sv[1], p[0]) == 0,
	       "peer sends a pipe instead of its vector fd");
	tap_ok(scf_notify_kick(a.n, NULL) == -EOPNOTSUPP,
	       "kick: register_sender(not a uvec fd) -EOPNOTSUPP");

	/* the peer hangs up before sending anything */
	close(sv[1]);
	tap_ok(scf_notify_kick(a.n, NULL) == -EPROTO,
	       "kick with the peer gone: -EPROTO, not a hang");
	fk_get_stats(&st);
	tap_ok(st.senduipi == 0 && st.violations == 0,
	       "... and no SENDUIPI without a sender entry");
	scf_notify_detach(a.n);
	fk_get_stats(&st);
	tap_ok(st.receivers == 0, "detach after failed kicks unregisters");
	close(sv[0]);

	/* RFC v1: the receiver is gone before the sender connects */
	fk_configure(&(struct fk_config){ .abi = FK_RFC1 });
	uintr_hw_set_hooks(&fk_hooks);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0) {
		fk_fail_next(UINTR_RFC1_NR_REGISTER_SENDER, ESHUTDOWN);
		struct other_wait w = { .ret = 1 };
		pthread_t th;

		tap_ok(attach_hw(&a, &r, SCF_SIDE_CLIENT, sv[0]) == 0 &&
		       scf_fd_send(sv[1], a.n->hw.uvec_fd) == 0 &&
		       scf_notify_kick(a.n, NULL) == -ESHUTDOWN,
		       "rfc-v1: register_sender -ESHUTDOWN reaches the kick");
		fk_fail_next(UINTR_RFC1_NR_WAIT, EOPNOTSUPP);
		tap_ok(scf_notify_wait(a.n, never, NULL, NULL) == -EOPNOTSUPP,
		       "rfc-v1: a failing uintr_wait ends the wait with its error");
		w.n = a.n;
		if (!pthread_create(&th, NULL, wait_elsewhere, &w))
			pthread_join(th, NULL);
		tap_ok(w.ret == -EINVAL,
		       "wait from a thread that is not the receiver: -EINVAL");
		scf_notify_detach(a.n);
		close(sv[0]);
		close(sv[1]);
	}

	/* no UINTR kernel: hw refuses, with the reason */
	fk_configure(&(struct fk_config){ .abi = FK_NONE });
	uintr_hw_set_hooks(&fk_hooks);
	tap_ok(attach_hw(&a, &r, SCF_SIDE_SHADOW, 3) == -ENOSYS &&
	       scf_notify_note("hw") != NULL,
	       "no UINTR kernel: attach hw -ENOSYS (%s)", scf_notify_note("hw"));
	close(p[0]);
	close(p[1]);
	shm_region_free(&r);
	shm_region_free(&r2);
}

/*
 * Which policies each backend takes: hw spins when asked and otherwise
 * waits as its registration allows (never made to sleep); emul takes all.
 */
static void wait_picks(void)
{
	static const struct {
		const char *backend;
		enum scf_wait_kind ask;
		int ret;
		enum scf_wait_kind got;
	} c[] = {
		{ "hw", SCF_WAIT_DEFAULT, 0, SCF_WAIT_DEFAULT },
		{ "hw", SCF_WAIT_SPIN, 0, SCF_WAIT_SPIN },
		{ "hw", SCF_WAIT_SLEEP, -ENOSYS, 0 },
		{ "hw", SCF_WAIT_HYBRID, -ENOSYS, 0 },
		{ "emul", SCF_WAIT_DEFAULT, 0, SCF_WAIT_SLEEP },
		{ "emul", SCF_WAIT_SLEEP, 0, SCF_WAIT_SLEEP },
		{ "emul", SCF_WAIT_SPIN, 0, SCF_WAIT_SPIN },
		{ "emul", SCF_WAIT_HYBRID, 0, SCF_WAIT_HYBRID },
	};
	unsigned int i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct scf_wait_policy ask = { .kind = c[i].ask, .spin_ns = 500 };
		struct scf_wait_policy got = { 0 };
		int ret = scf_notify_wait_pick(c[i].backend, &ask, &got);

		tap_ok(ret == c[i].ret && (ret || (got.kind == c[i].got &&
		       got.spin_ns == (got.kind == SCF_WAIT_HYBRID ? 500 : 0))),
		       "wait pick %s, asked %d: %d, kind %d", c[i].backend,
		       c[i].ask, ret, got.kind);
	}
}

int main(void)
{
	int err = fk_start();

	if (!tap_ok(err == 0, "fake UINTR kernel started (%d)", err))
		return tap_done();
	conform_intel(false);
	conform_intel(true);
	conform_intel_busy(false);
	conform_intel_busy(true);
	conform_rfc1();
	probe_each();
	hw_end_to_end(&(struct fk_config){ .abi = FK_INTEL }, "intel",
		      0, "wait spin", SCF_WAIT_DEFAULT);
	hw_end_to_end(&(struct fk_config){ .abi = FK_INTEL, .blocking = true },
		      "intel+BLOCKING", UINTR_HANDLER_FLAG_WAITING_RECEIVER,
		      "wait futex", SCF_WAIT_DEFAULT);
	hw_end_to_end(&(struct fk_config){ .abi = FK_INTEL, .blocking = true },
		      "intel+BLOCKING --wait spin",
		      UINTR_HANDLER_FLAG_WAITING_RECEIVER, "wait spin",
		      SCF_WAIT_SPIN);
	hw_end_to_end(&(struct fk_config){ .abi = FK_RFC1 }, "rfc-v1", 0,
		      "wait uintr_wait", SCF_WAIT_DEFAULT);
	wait_picks();
	errors();
	uintr_hw_set_hooks(NULL);
	return tap_done();
}
