// SPDX-License-Identifier: MIT
/*
 * uintr_emul.c - the emul backend: user interrupts with the architectural
 * posting semantics (uintr_post.c) on a CPU without UINTR.
 *
 * Each side's receiver thread owns the UPID in its doorbell's backend
 * area (qhdr->bell[side].backend): NV is the real-time signal that stands
 * for the notification vector, NDST the receiver's tid (the hardware's
 * APIC ID of the receiver's CPU).  The sender's private UITT has one entry
 * naming the peer's UPID by its offset from the queue page.
 *
 *   kick  = SENDUIPI: post the doorbell vector; if that set ON (SN clear,
 *           ON was clear) send the notification: tgkill(pid, NDST, NV).
 *   the RT signal handler = notification processing (clear ON, move PIR
 *           into the thread's UIRR) and, while UIF is set, delivery: one
 *           handler call per pending vector, highest first, as the SDM
 *           delivers one vector per handler invocation.
 *   STUI / CLUI = set / clear the thread's UIF; STUI delivers what is
 *           pending in UIRR.  Attach ends with STUI, detach begins with CLUI.
 *   wait  = as the UINTR kernels do for a receiver that is not running: SN
 *           is set while it sleeps, so senders only post to PIR and skip
 *           the notification, and SN is cleared when it runs again, which
 *           raises the notification for whatever was posted meanwhile; it
 *           is processed there and then (the kernel has it recognized on
 *           the receiver's return to user space), with no signal.
 *           The sleep itself is a futex on area.sleeping; a sender whose
 *           post found SN set wakes it (the kernel's wake-up of a blocked
 *           receiver, which it gets through the UPID it redirected).
 *
 * Sends that find ON set only set PIR: many sends before the receiver
 * processes the notification give one interrupt ("sent many, received
 * one").
 *
 * No lost wake-up in the sleep (all UPID updates are locked RMWs, so they
 * are totally ordered; the sender publishes before it posts):
 *   - a post before the receiver's SN-setting RMW found SN clear and either
 *     notified or found a notification in flight; either way the
 *     receiver's ready() after its RMW sees the publish, and it does not
 *     sleep;
 *   - a post after it found SN set and was suppressed; the sender then
 *     takes `sleeping` (set to 1 before the RMW) and FUTEX_WAKEs; the
 *     receiver's FUTEX_WAIT(sleeping == 1) either sees 0 or is woken.
  */
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "scf_arch.h"
#include "uintr_priv.h"

/* SIGRTMIN + 7: clear of glibc's reserved ones and of SIGRTMIN (timers). */
#define UINTR_EMUL_SIGOFF	7

static pthread_mutex_t emul_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned int emul_receivers;	/* attached receivers in this process */

static struct uintr_upid *emul_upid(struct scf_queue *q, enum scf_side side)
{
	return (struct uintr_upid *)((uint8_t *)q->hdr +
				     uintr_emul_upid_off(side));
}

/*
 * Delivery: one handler call per vector pending in UIRR, while UIF is set.
 * It runs in the receiver thread only, from the signal handler or from
 * the thread itself (STUI, waking up), and the one may interrupt the
 * other: each vector leaves UIRR by an atomic exchange, so none is
 * delivered twice, and the counters take single-instruction atomic adds,
 * so an interrupted update is not lost.
 */
static void emul_deliver(struct uintr_rx *rx)
{
	uint64_t pending;

	while (__atomic_load_n(&rx->uif, __ATOMIC_RELAXED) &&
	       (pending = __atomic_exchange_n(&rx->uirr, 0, __ATOMIC_RELAXED))) {
		while (pending) {
			unsigned int v = 63u - (unsigned int)__builtin_clzll(pending);

			pending &= ~(1ull << v);
			__atomic_fetch_add(&rx->interrupts, 1, __ATOMIC_RELAXED);
			__atomic_fetch_add(&rx->vectors, 1, __ATOMIC_RELAXED);
			__atomic_fetch_or(&rx->vector_mask, 1ull << v, __ATOMIC_RELAXED);
			/*
			 * The futex word of uintr_wait_irqs(); same thread as
			 * the waiter, so program order is enough for its compare.
			 */
			__atomic_fetch_add(&rx->irqs, 1, __ATOMIC_RELAXED);
		}
	}
}

/*
 * Notification processing: clear ON, take PIR into UIRR, deliver.  The
 * XCHG of PIR (uintr_upid_take) is what makes the senders' publishes
 * visible to this thread (uintr_post.h).
 */
static void emul_process(struct scf_notify *n)
{
	uint64_t pir = uintr_upid_take(emul_upid(n->q, n->side), NULL);

	if (!pir) {
		__atomic_fetch_add(&n->rx.spurious, 1, __ATOMIC_RELAXED);
		return;
	}
	__atomic_fetch_or(&n->rx.uirr, pir, __ATOMIC_RELAXED);
	emul_deliver(&n->rx);
}

/*
 * The notification vector's handler; runs in the receiver thread (tgkill
 * targets it).  Touches only the UPID and the thread's own state:
 * async-signal-safe, errno kept.
 */
static void emul_handler(int sig, siginfo_t *si, void *uc)
{
	struct uintr_rx *rx = uintr_tls_rx;
	struct scf_notify *n;

	(void)si;
	(void)uc;
	if (!rx)
		return;		/* a late signal after detach */
	n = (struct scf_notify *)((uint8_t *)rx - offsetof(struct scf_notify, rx));
	if (sig != n->signo)
		return;
	emul_process(n);
}

void uintr_emul_stui(struct scf_notify *n)
{
	__atomic_store_n(&n->rx.uif, 1, __ATOMIC_RELAXED);
	/* keep the compiler from sinking the store below the delivery */
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	emul_deliver(&n->rx);
}

void uintr_emul_clui(struct scf_notify *n)
{
	__atomic_store_n(&n->rx.uif, 0, __ATOMIC_RELAXED);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}

static int emul_install(int signo)
{
	struct sigaction sa;
	int ret = 0;

	pthread_mutex_lock(&emul_lock);
	if (!emul_receivers) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = emul_handler;
		/*
		 * SA_RESTART: a notification landing while the receiver is
		 * in a forwarded read()/write() must not fail that call.  Our
		 * own sleep has a timeout, so the kernel ends it with EINTR
		 * after any handler, SA_RESTART or not (uintr_wait.c).
		 */
		sa.sa_flags = SA_SIGINFO | SA_RESTART;
		sigemptyset(&sa.sa_mask);
		if (sigaction(signo, &sa, NULL))
			ret = -errno;
	}
	if (!ret)
		emul_receivers++;
	pthread_mutex_unlock(&emul_lock);
	return ret;
}

static void emul_uninstall(int signo)
{
	struct sigaction sa;

	pthread_mutex_lock(&emul_lock);
	if (emul_receivers && !--emul_receivers) {
		/*
		 * SIG_IGN, not SIG_DFL: a notification still in flight from a
		 * post that raced with SN would terminate the process under
		 * SIG_DFL; ignoring also discards any pending instance.
		 */
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = SIG_IGN;
		sigemptyset(&sa.sa_mask);
		sigaction(signo, &sa, NULL);
	}
	pthread_mutex_unlock(&emul_lock);
}

static int emul_attach(struct scf_notify *n, const struct scf_notify_cfg *cfg)
{
	struct scf_doorbell *bell = &n->q->hdr->bell[cfg->side];
	enum scf_side peer = cfg->side == SCF_SIDE_SHADOW ?
			     SCF_SIDE_CLIENT : SCF_SIDE_SHADOW;
	sigset_t set;
	pid_t tid = (pid_t)syscall(SYS_gettid);
	int ret;

	n->signo = SIGRTMIN + UINTR_EMUL_SIGOFF;
	if (n->signo > SIGRTMAX || n->signo > 255)
		return -ENOSYS;
	/* Sender role: our UITT's one entry names the peer's UPID. */
	ret = uintr_uitte_set(&n->uitt[0], UINTR_VEC_DOORBELL,
			      uintr_emul_upid_off(peer));
	if (ret)
		return ret;

	/* Receiver role: handler first, then tell senders where we are. */
	ret = emul_install(n->signo);
	if (ret)
		return ret;
	sigemptyset(&set);
	sigaddset(&set, n->signo);
	ret = -pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	if (ret) {
		emul_uninstall(n->signo);
		return ret;
	}
	n->prev_rx = uintr_tls_rx;
	uintr_tls_rx = &n->rx;
	SCF_WRITE_ONCE(bell->tid, (int32_t)tid);
	SCF_WRITE_ONCE(bell->pid, (int32_t)getpid());
	SCF_WRITE_ONCE(bell->cpu, cfg->cpu);
	/*
	 * NV/NDST with ON and SN clear; seq_cst store, so the tid/pid above
	 * are visible to a sender whose CMPXCHG16B reads it.  PIR is kept:
	 * a kick before we came up is found by ready() on the first wait.
	 */
	uintr_upid_init(emul_upid(n->q, cfg->side), (uint8_t)n->signo,
			(uint32_t)tid);
	uintr_emul_stui(n);
	return 0;
}

/* Send the notification a post asked for: NV to NDST. */
static int emul_notify(struct scf_notify *n, enum scf_side peer,
		       const struct uintr_notification *note)
{
	const struct scf_doorbell *bell = &n->q->hdr->bell[peer];
	int32_t pid = SCF_READ_ONCE(bell->pid);

	/* The UPID is shared memory: check before signalling anybody. */
	if (!note->ndst)
		return 0;	/* receiver not attached yet: nobody to notify */
	if (pid <= 0 || (n->peer_pid > 0 && pid != n->peer_pid) ||
	    note->nv < SIGRTMIN || note->nv > SIGRTMAX ||
	    note->ndst > INT32_MAX)
		return -EPROTO;
	if (syscall(SYS_tgkill, pid, (pid_t)note->ndst, note->nv))
		return -errno;
	return 0;
}

static uint32_t *emul_sleeping(struct scf_queue *q, enum scf_side side)
{
	return (uint32_t *)((uint8_t *)emul_upid(q, side) +
			    offsetof(struct uintr_emul_area, sleeping) -
			    offsetof(struct uintr_emul_area, upid));
}

/* The kernel's part: wake a receiver that sleeps with SN set. */
static int emul_wake_sleeper(struct scf_notify *n, enum scf_side peer)
{
	uint32_t *sleeping = emul_sleeping(n->q, peer);

	/*
	 * seq_cst XCHG: ordered after our suppressed post, so it sees the
	 * receiver's sleeping = 1 that preceded its SN-setting RMW.  Only
	 * the sender that takes the 1 makes the syscall.
	 */
	if (!__atomic_exchange_n(sleeping, 0, __ATOMIC_SEQ_CST))
		return 0;
	if (syscall(SYS_futex, sleeping, FUTEX_WAKE, 1, NULL, NULL, 0) < 0)
		return -errno;
	return 0;
}

static int emul_kick(struct scf_notify *n)
{
	enum scf_side peer = n->side == SCF_SIDE_SHADOW ?
			     SCF_SIDE_CLIENT : SCF_SIDE_SHADOW;
	struct uintr_notification note;
	int ret;

	/*
	 * The post's locked CMPXCHG16B is a full barrier: the caller's ring
	 * publish is ordered before it, and the receiver's XCHG of PIR that
	 * reads it (or a later post) makes that publish visible.
	 */
	ret = uintr_senduipi(n->uitt, 1, 0, n->q->hdr, SCF_QHDR_SIZE, &note);
	if (ret < 0)
		return ret;
	uintr_add(&n->sends, 1);
	if (ret == UINTR_POST_SUPPRESSED) {
		uintr_add(&n->suppressed, 1);
		return emul_wake_sleeper(n, peer);
	}
	if (ret != UINTR_POST_NOTIFY)
		return 0;
	uintr_add(&n->notifies, 1);
	return emul_notify(n, peer, &note);
}

/*
 * Running again: clear SN; if requests were posted while it was set, the
 * notification they did not send is raised now and processed here, as the
 * kernel has it recognized on the receiver's return to user space.
 */
static void emul_resume(struct scf_notify *n)
{
	__atomic_store_n(emul_sleeping(n->q, n->side), 0, __ATOMIC_RELAXED);
	if (uintr_upid_unsuppress(emul_upid(n->q, n->side), NULL) !=
	    UINTR_POST_NOTIFY)
		return;
	uintr_add(&n->self_notifies, 1);
	emul_process(n);
}

static int emul_wait(struct scf_notify *n, scf_ready_fn ready, void *arg)
{
	/*
	 * The sleep's bound: see uintr_wait.c for why there is one, and
	 * ready() holds the call deadline (scf_notify.h).
	 */
	struct timespec ts = { .tv_nsec = SCF_NOTIFY_RECHECK_NS };
	uint32_t *sleeping = emul_sleeping(n->q, n->side);

	/* Only the thread the handler runs in can sleep for it. */
	if (uintr_tls_rx != &n->rx)
		return -EINVAL;
	for (;;) {
		if (ready(arg))
			return 0;
		/* seq_cst: before the SN RMW, for emul_wake_sleeper() */
		__atomic_store_n(sleeping, 1, __ATOMIC_SEQ_CST);
		uintr_upid_suppress(emul_upid(n->q, n->side));
		if (ready(arg)) {
			emul_resume(n);
			return 0;
		}
		uintr_add(&n->sleeps, 1);
		/* A timeout is counted only where a wake-up was missed. */
		if (syscall(SYS_futex, sleeping, FUTEX_WAIT, 1, &ts, NULL, 0) &&
		    errno == ETIMEDOUT && ready(arg))
			uintr_add(&n->timeouts, 1);
		/* 0, EAGAIN (woken before we slept), EINTR (a signal): re-check */
		emul_resume(n);
	}
}

static void emul_detach(struct scf_notify *n)
{
	uintr_emul_clui(n);
	/* Suppress first: from now on posts only set PIR, nobody signals us. */
	uintr_upid_suppress(emul_upid(n->q, n->side));
	emul_uninstall(n->signo);
	if (uintr_tls_rx == &n->rx)
		uintr_tls_rx = n->prev_rx;
}

const struct uintr_ops uintr_emul_ops = {
	.name = "emul",
	.attach = emul_attach,
	.kick = emul_kick,
	.wait = emul_wait,
	.detach = emul_detach,
};
