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
 *   the RT signal handler = notification processing and delivery: clear
 *           ON, take PIR, count each vector, bump rx.irqs.
 *   wait  = sleep until ready(), woken by the handler (uintr_wait.c).
 *
 * Sends that find ON set only set PIR: many sends before the receiver
 * runs its handler give one interrupt ("sent many, received one").
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
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
 * Runs in the receiver thread (tgkill targets it): notification
 * processing, then one "interrupt" for the vectors taken.  Touches only
 * the UPID and the thread's own counters: async-signal-safe, errno kept.
 */
static void emul_handler(int sig, siginfo_t *si, void *uc)
{
	struct uintr_rx *rx = uintr_tls_rx;
	struct scf_notify *n;
	uint64_t pir;

	(void)si;
	(void)uc;
	if (!rx)
		return;		/* a late signal after detach */
	n = (struct scf_notify *)((uint8_t *)rx - offsetof(struct scf_notify, rx));
	if (sig != n->signo)
		return;
	pir = uintr_upid_take(emul_upid(n->q, n->side), NULL);
	if (pir) {
		uintr_add(&rx->interrupts, 1);
		uintr_add(&rx->vectors, (uint64_t)__builtin_popcountll(pir));
		uintr_or(&rx->vector_mask, pir);
	} else {
		uintr_add(&rx->spurious, 1);
	}
	/*
	 * The futex word the waiter sleeps on.  Same thread as the waiter,
	 * so program order is enough for its compare; the XCHG above is
	 * what made the sender's publish visible (uintr_post.h).
	 */
	__atomic_store_n(&rx->irqs, __atomic_load_n(&rx->irqs, __ATOMIC_RELAXED) + 1,
			 __ATOMIC_RELAXED);
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
	if (ret == UINTR_POST_SUPPRESSED)
		uintr_add(&n->suppressed, 1);
	if (ret != UINTR_POST_NOTIFY)
		return 0;
	uintr_add(&n->notifies, 1);
	return emul_notify(n, peer, &note);
}

static void emul_detach(struct scf_notify *n)
{
	/* Suppress first: from now on posts only set PIR, nobody signals us. */
	uintr_upid_suppress(emul_upid(n->q, n->side));
	emul_uninstall(n->signo);
	if (uintr_tls_rx == &n->rx)
		uintr_tls_rx = NULL;
}

const struct uintr_ops uintr_emul_ops = {
	.name = "emul",
	.attach = emul_attach,
	.kick = emul_kick,
	.wait = uintr_wait_irqs,
	.detach = emul_detach,
};
