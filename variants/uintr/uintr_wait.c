// SPDX-License-Identifier: MIT
/*
 * uintr_wait.c - a hw receiver's sleep until ready(), woken by its own
 * user-interrupt handler: the wait of a receiver registered with
 * UINTR_HANDLER_FLAG_WAITING_RECEIVER (uintr_hw.c).  (emul sleeps with SN
 * set instead, as a descheduled receiver does: uintr_emul.c.)
 *
 * The handler runs in the receiver thread and bumps rx.irqs.  The wait is
 *
 *     snap = irqs; if (ready()) return; futex_wait(&irqs, snap, 1 s)
 *
 * No lost wake-up.  The sender publishes, then posts; a post either
 * raises a notification or finds ON set, i.e. one already in flight that
 * will be processed after the post (uintr_post.h).  Either way a handler
 * run happens after the publish, in this thread, and:
 *   - before the snapshot: ready() after it sees the publish (the handler's
 *     XCHG acquired it and precedes the snapshot in program order);
 *   - between the snapshot and the futex's compare in the kernel: irqs no
 *     longer equals snap, futex_wait returns EAGAIN at once, we re-check;
 *   - while we sleep, or after the kernel's compare but before we sleep:
 *     the UIPI to a receiver registered with WAITING_RECEIVER is pending,
 *     the task does not sleep / is woken, and the handler runs on the way
 *     out (EINTR).
 * So ready() is always re-checked after the handler run that follows the
 * publish.  (A handler interrupting ready() itself changes nothing: ready()
 * is then simply re-evaluated on the next turn.)
 *
 * Other signals: with a timeout, FUTEX_WAIT is restarted through the
 * restart block, which the kernel turns into EINTR whenever a handler ran,
 * even with SA_RESTART; so the shadow's SIGTERM handler ends the sleep and
 * its stop flag in ready() is re-checked.  That is why the sleep has a
 * timeout at all; it is SCF_NOTIFY_RECHECK_NS, which also lets a call
 * deadline in ready() end the wait, and an expiry that finds ready() true
 * is counted (n->timeouts): a wake that only the timeout delivered is a
 * lost wake-up, and the end-to-end test fails on any.
 */
#include <errno.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "uintr_priv.h"



int uintr_wait_irqs(struct scf_notify *n, scf_ready_fn ready, void *arg)
{
	/* Bounded: ready() holds the call deadline (scf_notify.h). */
	struct timespec ts = { .tv_nsec = SCF_NOTIFY_RECHECK_NS };
	uint32_t snap;

	/* Only the thread the handler runs in can sleep on its counter. */
	if (uintr_tls_rx != &n->rx)
		return -EINVAL;
	for (;;) {
		/*
		 * Relaxed is enough: irqs is only written by this thread's
		 * handler; the snapshot must just precede ready() in program
		 * order, which the compiler keeps (ready() is an opaque call
		 * or an atomic acquire load).
		 */
		snap = __atomic_load_n(&n->rx.irqs, __ATOMIC_RELAXED);
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
		if (ready(arg))
			return 0;
		uintr_add(&n->sleeps, 1);
		if (syscall(SYS_futex, &n->rx.irqs, FUTEX_WAIT_PRIVATE, snap,
			    &ts, NULL, 0) == 0)
			continue;	/* spurious futex wake: re-check */
		switch (errno) {
		case EAGAIN:	/* a handler ran before the compare */
		case EINTR:	/* a handler ran while we slept */
			break;
		case ETIMEDOUT:
			/* Counted only where an interrupt was missed. */
			if (ready(arg))
				uintr_add(&n->timeouts, 1);
			break;
		default:
			return -errno;
		}
	}
}
