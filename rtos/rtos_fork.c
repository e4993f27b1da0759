// SPDX-License-Identifier: MIT
/*
 * rtos_fork.c - fork and exit_group, the RTOS side (the origin's SCF Doc:
 * "RTOS sends syncfork; ... RTOS syncfork returns with slot_num; RTOS
 * calls fork and gives slot_num to the child"; "RTOS sends exit; the
 * shadow calls linux exit; RTOS calls exit").
 *
 * The forked RTOS process binds to its slot: it connects twice to its
 * shadow's bind socket (scf_dual_link.h), checks with SO_PEERCRED that
 * the listener is the shadow the slot table names, waits for 'R' (the
 * shadow's doorbell is attached), then attaches its own doorbell with its
 * own /dev/scf file (dev_fd -1): with the kmod backend the kernel's hold
 * on the slot is then this process's, and its death releases it.  The
 * attachment it inherited for its parent's slot is abandoned, never
 * detached: detaching it could release what the parent still uses.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "rtos_dual.h"
#include "scf_arch.h"
#include "scf_calls.h"
#include "scf_dual_link.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

/* This process's binding; a forked copy gets its own below. */
static struct {
	int32_t shadow_pid;
	int shadow_pidfd;	/* -1: not opened yet */
	int ctl, nsock;		/* -1 in the root process */
} self = { 0, -1, -1, -1 };

struct scf_rec *rtos_part(struct dual_rec *d)
{
	struct scf_rec *r;

	if (!d)
		return NULL;
	if (d->n == DUAL_PARTS) {
		d->dropped++;
		return NULL;
	}
	r = &d->part[d->n++];
	memset(r, 0, sizeof(*r));
	return r;
}

int rtos_self(int *ctl, int *nsock, int32_t *shadow_pid)
{
	if (self.ctl < 0)
		return -EOPNOTSUPP;	/* the root process has no forked pair */
	*ctl = self.ctl;
	*nsock = self.nsock;
	*shadow_pid = self.shadow_pid;
	return 0;
}

uint32_t rtos_slots_used(const struct scf_session *s)
{
	struct scf_region_info info;

	if (scf_region_check(s->region, s->region_size, &info))
		return UINT32_MAX;
	return scf_slot_count_used(s->region, &info);
}

static int pidfd_open(int32_t pid)
{
	long fd = syscall(SYS_pidfd_open, (pid_t)pid, 0);

	return fd < 0 ? -errno : (int)fd;
}

/* One byte on fd within ms, the shadow alive meanwhile; 0 or -errno. */
static int expect(int fd, char want, int ms)
{
	struct pollfd p[2] = {
		{ .fd = fd, .events = POLLIN },
		{ .fd = self.shadow_pidfd, .events = POLLIN },
	};
	char got;
	int n;

	do
		n = poll(p, self.shadow_pidfd >= 0 ? 2 : 1, ms);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (!n)
		return -ETIMEDOUT;
	if (!p[0].revents)
		return -ESRCH;		/* the shadow died */
	if (read(fd, &got, 1) != 1)
		return -EPIPE;
	return got == want ? 0 : -EPROTO;
}

int rtos_attach(struct scf_session *s, uint32_t slot, int32_t shadow_pid, int ctl,
		int nsock)
{
	struct scf_notify_cfg cfg = {
		.q = &s->c.q, .side = SCF_SIDE_CLIENT, .peer_pid = shadow_pid,
		.dev_fd = -1, .sock_fd = nsock, .cpu = (uint32_t)s->client_cpu,
		.backend = s->backend, .wait = s->wait,
	};
	const volatile int *cancel = s->c.cancel;
	uint32_t memsync = s->c.memsync;
	struct scf_notify *n;
	int err;

	self.shadow_pid = shadow_pid;
	self.ctl = ctl;
	self.nsock = nsock;
	if (self.shadow_pidfd < 0)
		self.shadow_pidfd = pidfd_open(shadow_pid);
	if (self.shadow_pidfd < 0)
		return self.shadow_pidfd;
	err = expect(ctl, DUAL_READY, DUAL_BIND_MS);
	if (err)
		return err;
	err = scf_queue_attach(&s->c.q, s->region, s->region_size, slot);
	if (err)
		return err;
	err = scf_notify_attach(&n, &cfg);
	if (err)
		return err;
	err = scf_client_init(&s->c, n, memsync, s->alloc_stack,
			      s->alloc_used);
	s->c.cancel = cancel;
	s->slot = slot;
	return err;
}

/* Connect one line to the shadow's bind socket and tag it. */
static int connect_line(int32_t shadow_pid, char tag)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	struct ucred cred;
	socklen_t clen = sizeof(cred), len;
	int fd, n;

	n = snprintf(a.sun_path + 1, sizeof(a.sun_path) - 1, DUAL_SOCK_FMT,
		     (int)shadow_pid);
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	errno = 0;
	/* The kernel says who listens: it must be the shadow the table names. */
	if (connect(fd, (struct sockaddr *)&a, len) ||
	    getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &clen) ||
	    cred.pid != shadow_pid || write(fd, &tag, 1) != 1) {
		n = errno ? -errno : -EPERM;
		close(fd);
		return n;
	}
	return fd;
}

static int bind_slot(struct scf_session *s, uint32_t slot, int32_t shadow_pid)
{
	int ctl, nsock, err;

	if (self.shadow_pidfd >= 0)
		close(self.shadow_pidfd);	/* the parent's shadow's */
	if (self.ctl >= 0)
		close(self.ctl);
	if (self.nsock >= 0)
		close(self.nsock);
	self.shadow_pidfd = self.ctl = self.nsock = -1;
	ctl = connect_line(shadow_pid, DUAL_TAG_CTL);
	if (ctl < 0)
		return ctl;
	nsock = connect_line(shadow_pid, DUAL_TAG_NOTIFY);
	if (nsock < 0) {
		close(ctl);
		return nsock;
	}
	err = rtos_attach(s, slot, shadow_pid, ctl, nsock);
	if (!err)
		s->shadow_pid = 0;	/* the harness's shadow is not ours */
	return err;
}

pid_t rtos_fork(struct scf_session *s, struct dual_rec *d)
{
	struct scf_ctrl *ctrl = s->region;
	pid_t parent = getpid(), pid;
	int32_t shadow_pid;
	int64_t slot;
	int err;

	if (d) {
		d->n = d->dropped = 0;
		d->t0 = scf_rdtsc_ordered();
	}
	s->c.rec = rtos_part(d);
	slot = scf_syncfork(&s->c);
	s->c.rec = NULL;
	if (slot < 0)
		return (pid_t)slot;
	if ((uint64_t)slot >= SCF_MAX_SLOTS)
		return -EPROTO;
	/* Written by the shadow's child before it reported the slot. */
	shadow_pid = SCF_READ_ONCE(ctrl->slot[slot].shadow_pid);
	pid = fork();
	if (pid < 0) {
		err = -errno;
		/* Nobody will bind: SIGTERM makes the shadow release and go. */
		if (shadow_pid > 0)
			kill(shadow_pid, SIGTERM);
		return err;
	}
	if (pid) {
		if (d)
			d->t_end = scf_rdtsc_ordered();
		return pid;
	}
	/* An RTOS child must not outlive the benchmark that made it. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(3);
	err = bind_slot(s, (uint32_t)slot, shadow_pid);
	if (err) {
		fprintf(stderr, "scf-bench: forked child cannot bind slot %lld: "
			"%s\n", (long long)slot, scf_strerror(err));
		_exit(3);
	}
	return 0;
}

void rtos_exit(struct scf_session *s, int status)
{
	struct scf_region_info info;
	struct pollfd p = { .events = POLLIN };
	bool graceful;
	int64_t ret;

	s->c.rec = NULL;
	if (self.shadow_pidfd < 0 && self.shadow_pid <= 0) {
		self.shadow_pid = s->shadow_pid;
		self.shadow_pidfd = pidfd_open(s->shadow_pid);
	}
	ret = scf_exit(&s->c, status, SCF_EXIT_GROUP);
	p.fd = self.shadow_pidfd;
	/* The shadow exits first: wait until it has. */
	graceful = !ret && p.fd >= 0 && poll(&p, 1, DUAL_EXIT_MS) == 1;
	if (!graceful && self.shadow_pid > 0) {
		/*
		 * It refused, or hangs: SIGTERM makes it release the slot
		 * itself on its way out, unless it already answered (then it
		 * leaves the slot to us: take it after SIGKILL).
		 */
		kill(self.shadow_pid, ret ? SIGTERM : SIGKILL);
		graceful = !ret && poll(&p, 1, DUAL_EXIT_MS) == 1;
	}
	/* Our doorbell first (kmod: the kernel's hold), then the table's. */
	scf_notify_detach(s->c.n);
	if (graceful && !scf_region_check(s->region, s->region_size, &info))
		scf_slot_free(s->region, &info, s->slot);
	_exit(status);
}
