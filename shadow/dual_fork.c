// SPDX-License-Identifier: MIT
/*
 * dual_fork.c - SYNCFORK, the shadow's half of fork (the origin's SCF
 * Doc: "Shadow Process calls linux fork; the child asks for an SCF slot
 * and sends slot_num to its parent through a pipe; the parent returns
 * slot_num to the RTOS").
 *
 *   parent                          child
 *   pipe, fork ------------------>  take a free slot of the region's table,
 *                                   reset its queue, listen for the bind
 *   read the slot (bounded) <-----  write the slot (or -errno) to the pipe
 *   answer it to the RTOS           accept the RTOS child's two lines
 *                                   (SO_PEERCRED: a child of our RTOS
 *                                   process), attach the doorbell, 'R',
 *                                   watch its pidfd, serve it until it
 *                                   exits (EXIT) or dies
 *
 * The child's slot comes from the region's slot table (scf_slot_alloc)
 * under every variant; with /dev/scf the kernel's hold on the slot is
 * the RTOS side's, taken when it attaches its doorbell, so that its death
 * releases it (the module's release).  Who releases the table entry:
 *   - EXIT (group): the RTOS side, after it has seen this shadow exit;
 *   - anything else (the RTOS child died, never bound, SIGTERM, a setup
 *     error): this shadow, before it exits.
 * Anything that fails before the slot is reported frees it and reports
 * -EAGAIN; the parent answers -EAGAIN, so no failure leaks a slot.  A
 * child that dies or hangs before it reports is killed and its slot taken
 * back by the parent (reclaim()); a forked shadow that crashes later,
 * while its RTOS process is gone too, by the next fork (reap_stale()).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "dual.h"

static struct scf_slot_ent *ent(struct shadow *s, uint32_t slot)
{
	return &((struct scf_ctrl *)s->dual.region)->slot[slot];
}

static bool alive(int32_t pid)
{
	return kill(pid, 0) == 0 || errno == EPERM;
}

/*
 * Free the table entries of slots whose shadow died without releasing
 * them and whose RTOS process is gone too.  A fresh allocation has
 * shadow_pid 0 until its shadow writes its own (live) pid, so it is
 * never taken for stale; gen, re-read before the CAS, narrows the window
 * in which another reaper could free and re-allocate the entry meanwhile
 * to the CAS itself.  Best effort: the regular paths never need it.
 */
static void reap_stale(struct shadow *s)
{
	uint32_t i, expect;

	for (i = 0; i < s->dual.info.nr_slots; i++) {
		struct scf_slot_ent *e = ent(s, i);
		int32_t sp, cp;
		uint64_t gen;

		if (atomic_load_explicit(&e->state, memory_order_acquire) !=
		    SCF_SLOT_USED)
			continue;
		gen = SCF_READ_ONCE(e->gen);
		sp = SCF_READ_ONCE(e->shadow_pid);
		cp = SCF_READ_ONCE(e->client_pid);
		if (sp <= 0 || alive(sp) || (cp > 0 && alive(cp)))
			continue;
		if (SCF_READ_ONCE(e->gen) != gen)
			continue;
		expect = SCF_SLOT_USED;
		/* release: pairs with the acquire in scf_slot_alloc() */
		if (atomic_compare_exchange_strong_explicit(&e->state, &expect,
				SCF_SLOT_FREE, memory_order_release,
				memory_order_relaxed))
			s->dual.reaped++;
	}
}

static void __attribute__((noreturn))
child_exit(struct shadow *s, int32_t slot, bool release, int status)
{
	if (s->n)
		scf_notify_detach(s->n);
	fdtab_close_all(&s->fds);
	syncmap_unmap_all(&s->sync);
	if (release && slot >= 0)
		scf_slot_free(s->dual.region, &s->dual.info, (uint32_t)slot);
	_exit(status);
}

static void report(int wfd, int32_t msg)
{
	/* A short write only loses the parent its answer: it says -EAGAIN. */
	if (write(wfd, &msg, sizeof(msg)) != sizeof(msg))
		msg = -EAGAIN;
	close(wfd);
}

/* Take a slot, make its queue new, listen; the slot, or -errno. */
static int32_t take_slot(struct shadow *s, uint32_t fault, int *lfd)
{
	struct shadow_dual *d = &s->dual;
	int slot, err;

	reap_stale(s);
	slot = scf_slot_alloc(d->region, &d->info, 0);
	if (slot < 0)
		return -EAGAIN;		/* every slot in use */
	SCF_WRITE_ONCE(ent(s, (uint32_t)slot)->shadow_pid, (int32_t)getpid());
	if (fault == DUAL_FAULT_CRASH)
		raise(SIGKILL);		/* dies holding the slot */
	err = fault == DUAL_FAULT_CHILD ? -EIO :
	      scf_queue_attach(&s->q, d->region, d->region_size,
			       (uint32_t)slot);
	if (!err) {
		/* No RTOS process uses it yet: we hand it out, we reset it. */
		scf_queue_reset(&s->q);
		d->slot = (uint32_t)slot;
		*lfd = dual_listen();
		err = *lfd < 0 ? *lfd : 0;
	}
	if (err) {
		scf_slot_free(d->region, &d->info, (uint32_t)slot);
		return -EAGAIN;
	}
	return slot;
}

static void __attribute__((noreturn))
child(struct shadow *s, int wfd, uint32_t fault)
{
	struct shadow_dual *d = &s->dual;
	int32_t parent_client = d->client_pid, pid, slot;
	int parent_pidfd = d->client_pidfd, lfd = -1, ctl, nsock, err;

	/* The parent's doorbell and lines: abandoned, never detached. */
	s->n = NULL;
	if (d->ctl_sock >= 0)
		close(d->ctl_sock);
	if (d->notify_sock >= 0)
		close(d->notify_sock);
	d->ctl_sock = d->notify_sock = -1;
	d->forked = true;
	d->pending = SHADOW_PENDING_NONE;
	d->threads = 1;
	d->forks = d->fork_failed = d->reaped = 0;
	d->serve_tid = (int)syscall(SYS_gettid);
	memset(&s->st, 0, sizeof(s->st));

	slot = take_slot(s, fault, &lfd);
	report(wfd, slot);
	if (slot < 0)
		_exit(0);

	err = dual_accept(s, lfd, parent_client, parent_pidfd, &ctl, &nsock,
			  &pid);
	close(lfd);
	if (parent_pidfd >= 0)
		close(parent_pidfd);
	d->client_pidfd = -1;
	if (err)
		child_exit(s, slot, true, 0);	/* nobody bound: give it back */
	d->client_pid = pid;
	d->ctl_sock = ctl;
	d->notify_sock = nsock;
	d->client_pidfd = dual_pidfd_open(pid);
	SCF_WRITE_ONCE(ent(s, (uint32_t)slot)->client_pid, pid);
	atomic_store_explicit(&ent(s, (uint32_t)slot)->refs, 1,
			      memory_order_relaxed);
	if (d->client_pidfd < 0 || dual_notify_attach(s))
		child_exit(s, slot, true, 0);
	if (write(ctl, &(char){ DUAL_READY }, 1) != 1 || dual_watch(s))
		child_exit(s, slot, true, 0);

	s->serve_loop(s);

	/* Graceful: the RTOS side releases the slot once it has seen us go. */
	if (d->pending == SHADOW_PENDING_EXIT && !d->client_gone)
		child_exit(s, slot, false, d->exit_status);
	child_exit(s, slot, true, 0);
}

/*
 * A child that did not report a slot: make sure it is gone, then free a
 * slot it may have died holding (its pid in the entry: nobody else can
 * have taken that entry since, an allocation clears the pid).
 */
static void reclaim(struct shadow *s, pid_t pid, int pidfd)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };
	uint32_t i;

	kill(pid, SIGKILL);
	/*
	 * No pidfd: the child died and was reaped (SIGCHLD is ignored)
	 * before pidfd_open(), and then its pid is gone with it.
	 */
	if (pidfd < 0 ? !(kill(pid, 0) && errno == ESRCH) :
	    poll(&p, 1, DUAL_REPORT_MS) != 1)
		return;		/* not seen to die: reap_stale() will do */
	for (i = 0; i < s->dual.info.nr_slots; i++)
		if (atomic_load_explicit(&ent(s, i)->state,
					 memory_order_acquire) == SCF_SLOT_USED &&
		    SCF_READ_ONCE(ent(s, i)->shadow_pid) == (int32_t)pid &&
		    !scf_slot_free(s->dual.region, &s->dual.info, i))
			s->dual.reaped++;
}

int64_t dual_fork(struct shadow *s)
{
	struct shadow_dual *d = &s->dual;
	struct pollfd p = { .events = POLLIN };
	uint32_t fault = DUAL_FAULT_NONE;
	int32_t msg = -EAGAIN;
	int fds[2], n = 0, pidfd;
	pid_t pid;

	if (d->fault && d->fault_left) {
		d->fault_left--;
		fault = d->fault;
	}
	if (fault == DUAL_FAULT_FORK || pipe2(fds, O_CLOEXEC)) {
		d->fork_failed++;
		return -EAGAIN;
	}
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		d->fork_failed++;
		return -EAGAIN;
	}
	if (!pid) {
		close(fds[0]);
		child(s, fds[1], fault);
	}
	close(fds[1]);
	pidfd = dual_pidfd_open(pid);
	p.fd = fds[0];
	do
		n = poll(&p, 1, DUAL_REPORT_MS);
	while (n < 0 && errno == EINTR && !*s->stop);
	if (n == 1 && read(fds[0], &msg, sizeof(msg)) != sizeof(msg))
		msg = -EAGAIN;		/* the child died before it reported */
	close(fds[0]);
	if (n != 1 || msg >= (int32_t)d->info.nr_slots)
		msg = -EAGAIN;		/* hung, or talking nonsense */
	if (msg < 0) {
		reclaim(s, pid, pidfd);
		d->fork_failed++;
	} else {
		d->forks++;
	}
	if (pidfd >= 0)
		close(pidfd);
	return msg < 0 ? -EAGAIN : msg;
}
