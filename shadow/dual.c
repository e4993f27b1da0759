// SPDX-License-Identifier: MIT
/*
 * dual.c - the shadow's half of the dual calls (the origin's SCF Doc,
 * "Dual Syscall"): fork, exit/exit_group, exec and clone.  Every argument
 * is checked like serve.c checks the others: the region and the client
 * are untrusted.
 *
 *   SYNCFORK  fork; the child takes a slot and serves the RTOS child on
 *             it (dual_fork.c); the answer is the slot.
 *   EXIT      thread: one thread fewer (the last one's is the process's);
 *             group: answer, then leave the serve loop and exit; the RTOS
 *             side exits after us and releases the slot;
 *             exec: answer, then drop the other threads, detach the
 *             doorbell and wait for the new image to re-attach.
 *   CLONE     one thread more on this slot (a reference count).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "dual.h"

static struct scf_slot_ent *my_ent(struct shadow *s)
{
	return &((struct scf_ctrl *)s->dual.region)->slot[s->dual.slot];
}

/* Tools reading the region see the thread count; we never read it back. */
static void mirror_threads(struct shadow *s)
{
	atomic_store_explicit(&my_ent(s)->refs, s->dual.threads,
			      memory_order_relaxed);
}

static void parse_fault(struct shadow_dual *d)
{
	static const char *const names[] = {
		[DUAL_FAULT_FORK] = "fork", [DUAL_FAULT_CHILD] = "child",
		[DUAL_FAULT_CRASH] = "crash",
	};
	const char *f = getenv("SCF_SHADOW_FAULT");
	uint32_t i;
	size_t n;

	if (!f || !*f)
		return;
	for (i = 1; i < sizeof(names) / sizeof(names[0]); i++) {
		n = strlen(names[i]);
		if (strncmp(f, names[i], n) || (f[n] && f[n] != ':'))
			continue;
		d->fault = i;
		d->fault_left = f[n] ? (uint32_t)strtoul(f + n + 1, NULL, 10) :
				UINT32_MAX;
		fprintf(stderr, "scf-shadow: test fault '%s' armed\n", f);
		return;
	}
	fprintf(stderr, "scf-shadow: unknown SCF_SHADOW_FAULT '%s' ignored\n", f);
}

int dual_init(struct shadow *s, void *region, uint64_t size, uint32_t slot,
	      int dev_fd, int sock_fd, uint32_t cpu, const char *backend)
{
	struct shadow_dual *d = &s->dual;
	int err = scf_region_check(region, size, &d->info);

	if (err || slot >= d->info.nr_slots) {
		fprintf(stderr, "scf-shadow: region refused: %s\n",
			scf_strerror(err ? err : -SCF_EBADSLOT));
		return -EINVAL;
	}
	d->region = region;
	d->region_size = size;
	d->slot = slot;
	d->dev_fd = dev_fd;
	d->notify_sock = sock_fd;
	d->ctl_sock = -1;
	d->cpu = cpu;
	d->backend = backend;
	d->client_pid = getppid();
	/* Watched while a forked shadow waits for its RTOS child to bind. */
	d->client_pidfd = dual_pidfd_open(d->client_pid);
	d->threads = 1;
	d->serve_tid = (int)syscall(SYS_gettid);
	parse_fault(d);
	SCF_WRITE_ONCE(my_ent(s)->shadow_pid, (int32_t)getpid());
	mirror_threads(s);
	return 0;
}

int dual_check(struct shadow *s, uint32_t op, const uint64_t *a)
{
	/*
	 * A shadow serving several clients is one process for all: none
	 * of them may fork it, end it or make it re-attach.
	 */
	if (s->dual.shared)
		return -EOPNOTSUPP;
	switch (op) {
	case SCF_OP_SYNCFORK:
		if (a[0] != SCF_FORK_START || a[1] || a[2] || a[3] || a[4] ||
		    a[5])
			return -EINVAL;
		return 0;
	case SCF_OP_EXIT:
		if (a[0] > 0xff || a[2] || a[3] || a[4] || a[5])
			return -EINVAL;
		if (a[1] != SCF_EXIT_THREAD && a[1] != SCF_EXIT_GROUP &&
		    a[1] != SCF_EXIT_EXEC)
			return -EINVAL;
		/* Re-attaching needs the control line of a forked pair. */
		if (a[1] == SCF_EXIT_EXEC && s->dual.ctl_sock < 0)
			return -EOPNOTSUPP;
		return 0;
	case SCF_OP_CLONE:
		if ((a[0] & SCF_CLONE_THREAD) != SCF_CLONE_THREAD ||
		    (a[0] & ~SCF_CLONE_ALLOWED) || a[1] || a[2] || a[3] ||
		    a[4] || a[5])
			return -EINVAL;
		if (s->dual.threads >= SCF_THREADS_MAX)
			return -EAGAIN;
		return 0;
	}
	return -ENOSYS;
}

int64_t dual_serve(struct shadow *s, uint32_t op, const uint64_t *a)
{
	struct shadow_dual *d = &s->dual;

	switch (op) {
	case SCF_OP_SYNCFORK:
		return dual_fork(s);
	case SCF_OP_CLONE:
		d->threads++;
		mirror_threads(s);
		return d->threads;
	case SCF_OP_EXIT:
		if (a[1] == SCF_EXIT_THREAD && d->threads > 1) {
			d->threads--;
			mirror_threads(s);
			return 0;
		}
		d->exit_status = (int)a[0];
		if (a[1] == SCF_EXIT_EXEC) {
			/* exec leaves one thread: the one that called it */
			d->threads = 1;
			mirror_threads(s);
			d->pending = SHADOW_PENDING_EXEC;
		} else {
			d->pending = SHADOW_PENDING_EXIT;
		}
		return 0;
	}
	return -ENOSYS;
}

/* The client's new image is coming: re-attach our side for it. */
static int exec_reattach(struct shadow *s)
{
	struct shadow_dual *d = &s->dual;
	int err;

	if (s->n)
		scf_notify_detach(s->n);
	s->n = NULL;
	err = dual_expect(s, d->ctl_sock, DUAL_EXECED, DUAL_EXEC_MS);
	if (!err)
		err = dual_notify_attach(s);
	if (!err && write(d->ctl_sock, &(char){ DUAL_READY }, 1) != 1)
		err = -errno;
	return err;
}

bool dual_after(struct shadow *s)
{
	int p = s->dual.pending;

	if (p == SHADOW_PENDING_EXIT)
		return true;		/* pending stays: the exit is graceful */
	s->dual.pending = SHADOW_PENDING_NONE;
	if (p == SHADOW_PENDING_EXEC)
		return exec_reattach(s) != 0;
	return false;
}
