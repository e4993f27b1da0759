// SPDX-License-Identifier: MIT
/*
 * dual_link.c - how a forked shadow finds and follows its RTOS process:
 * the bind socket, SO_PEERCRED, the pidfd watcher, the control bytes.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "dual.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

int dual_pidfd_open(int32_t pid)
{
	long fd;

	if (pid <= 0)
		return -EINVAL;
	fd = syscall(SYS_pidfd_open, (pid_t)pid, 0);
	if (fd < 0)
		return -errno;
	/* pidfds are close-on-exec from birth */
	return (int)fd;
}

int32_t dual_ppid(int32_t pid)
{
	char path[64], buf[512], *p;
	int fd, ppid;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = 0;
	/* "pid (comm) S ppid": comm may hold anything, so from the last ')' */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %*c %d", &ppid) != 1)
		return -EIO;
	return ppid;
}

static socklen_t abstract_addr(struct sockaddr_un *a, int32_t pid)
{
	int n;

	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	n = snprintf(a->sun_path + 1, sizeof(a->sun_path) - 1, DUAL_SOCK_FMT,
		     (int)pid);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n);
}

int dual_listen(void)
{
	struct sockaddr_un a;
	socklen_t len = abstract_addr(&a, getpid());
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&a, len) || listen(fd, 4)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

static int64_t ms_left(const struct timespec *t0, int ms)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return ms - ((t.tv_sec - t0->tv_sec) * 1000 +
		     (t.tv_nsec - t0->tv_nsec) / 1000000);
}

/*
 * Poll fd for input while watching pidfd (-1: none) and *s->stop, for at
 * most what is left of ms since t0.  0 when fd is readable, else -errno.
 */
static int wait_in(struct shadow *s, int fd, int pidfd,
		   const struct timespec *t0, int ms)
{
	struct pollfd p[2] = {
		{ .fd = fd, .events = POLLIN },
		{ .fd = pidfd, .events = POLLIN },
	};
	int64_t left;
	int n;

	for (;;) {
		if (*s->stop || s->dual.client_gone)
			return -EINTR;
		left = ms_left(t0, ms);
		if (left <= 0)
			return -ETIMEDOUT;
		n = poll(p, pidfd >= 0 ? 2 : 1, (int)left);
		if (n < 0 && errno != EINTR)
			return -errno;
		if (n > 0 && p[1].revents)
			return -ESRCH;		/* the process we wait for is gone */
		if (n > 0 && p[0].revents)
			return 0;
	}
}

/* One connection from the RTOS child; its tag byte and peer pid. */
static int take_one(struct shadow *s, int lfd, int pidfd,
		    const struct timespec *t0, char *tag, int32_t *pid)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	int fd, err;

	err = wait_in(s, lfd, pidfd, t0, DUAL_BIND_MS);
	if (err)
		return err;
	fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return errno == EAGAIN ? -EAGAIN : -errno;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) ||
	    cred.uid != getuid()) {
		close(fd);
		return -EPERM;
	}
	err = wait_in(s, fd, pidfd, t0, DUAL_BIND_MS);
	if (!err && read(fd, tag, 1) != 1)
		err = -EPROTO;
	if (err) {
		close(fd);
		return err;
	}
	*pid = cred.pid;
	return fd;
}

int dual_accept(struct shadow *s, int lfd, int32_t parent_pid,
		int parent_pidfd, int *ctl, int *nsock, int32_t *pid)
{
	struct timespec t0;
	int32_t who = 0;
	char tag = 0;
	int fd;

	*ctl = *nsock = -1;
	*pid = 0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (*ctl < 0 || *nsock < 0) {
		fd = take_one(s, lfd, parent_pidfd, &t0, &tag, &who);
		if (fd == -EAGAIN || fd == -EPERM || fd == -EPROTO)
			continue;	/* a stranger, or a race: keep waiting */
		if (fd < 0)
			goto fail;
		/*
		 * Only a child of the RTOS process that asked for the fork may
		 * bind, both lines must come from that one process, and each
		 * line only once.
		 */
		if ((tag != DUAL_TAG_CTL && tag != DUAL_TAG_NOTIFY) ||
		    (tag == DUAL_TAG_CTL && *ctl >= 0) ||
		    (tag == DUAL_TAG_NOTIFY && *nsock >= 0) ||
		    (*pid && who != *pid) || dual_ppid(who) != parent_pid) {
			close(fd);
			continue;
		}
		*pid = who;
		if (tag == DUAL_TAG_CTL)
			*ctl = fd;
		else
			*nsock = fd;
	}
	return 0;
fail:
	if (*ctl >= 0)
		close(*ctl);
	if (*nsock >= 0)
		close(*nsock);
	*ctl = *nsock = -1;
	return fd;
}

int dual_expect(struct shadow *s, int fd, char want, int ms)
{
	struct timespec t0;
	char got;
	int err;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	err = wait_in(s, fd, s->dual.client_pidfd, &t0, ms);
	if (err)
		return err;
	if (read(fd, &got, 1) != 1)
		return -EPIPE;
	return got == want ? 0 : -EPROTO;
}

bool dual_client_gone(const struct shadow *s)
{
	const struct shadow_dual *d = &s->dual;

	if (!d->forked && getppid() != d->client_pid)
		return true;	/* the client was our parent */
	return kill(d->client_pid, 0) && errno == ESRCH;
}

static void *watcher(void *arg)
{
	struct shadow *s = arg;
	struct pollfd p = { .fd = s->dual.client_pidfd, .events = POLLIN };
	int ms = s->timeout_ms ? (int)s->timeout_ms : 1000;

	/* The pidfd says at once; without one, look every --call-timeout. */
	while (poll(&p, p.fd >= 0 ? 1 : 0, ms) <= 0 && !dual_client_gone(s))
		;
	/* seq_cst: seen by the serve loop's ready() before the signal lands */
	atomic_store(&s->dual.client_gone, 1);
	__atomic_store_n(s->stop, 1, __ATOMIC_SEQ_CST);
	/* Ends a sleeping wait: wait() re-checks ready() after a signal. */
	syscall(SYS_tgkill, getpid(), s->dual.serve_tid, SIGTERM);
	return NULL;
}

int dual_watch(struct shadow *s)
{
	sigset_t all, old;
	pthread_attr_t at;
	pthread_t t;
	int err;

	/* The watcher blocks every signal: SIGTERM is for the serve thread. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&at, 64 << 10);
	err = -pthread_create(&t, &at, watcher, s);
	pthread_attr_destroy(&at);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return err;
}

int dual_notify_attach(struct shadow *s)
{
	struct shadow_dual *d = &s->dual;
	struct scf_notify_cfg cfg = {
		.q = &s->q, .side = SCF_SIDE_SHADOW, .peer_pid = d->client_pid,
		.dev_fd = d->dev_fd, .sock_fd = d->notify_sock, .cpu = d->cpu,
		.backend = d->backend, .wait = d->wait,
	};

	return scf_notify_attach(&s->n, &cfg);
}
