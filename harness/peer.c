// SPDX-License-Identifier: MIT
/*
 * peer.c - the peer process of the ping-pong baselines and their timed
 * loop (peer.h).
 */
#include <errno.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "peer.h"
#include "placement.h"
#include "scf_arch.h"
#include "scf_sched.h"

pid_t peer_start(struct bench *b, int (*fn)(void *arg, uint64_t rounds),
		 void *arg, uint64_t rounds)
{
	pid_t parent = getpid(), pid;

	fflush(NULL);		/* nothing buffered is written twice */
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid)
		return pid;
	/* The harness's handlers are not the peer's: die on a stop signal. */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
	/* Never outlive the client, spinning or asleep. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
		_exit(3);
	if (scf_pin_cpu(b->shadow_cpu))
		_exit(2);
	_exit(fn(arg, PEER_WARMUP + rounds) ? 1 : 0);
}

bool peer_dead(pid_t pid)
{
	siginfo_t si = { 0 };

	return !waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) &&
	       si.si_pid == pid;
}

int peer_reap(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -EIO;
}

void peer_kill(pid_t pid)
{
	kill(pid, SIGKILL);
	peer_reap(pid);
}

int peer_loop(int64_t *ticks, uint64_t n, peer_rt_fn rt, void *arg)
{
	uint64_t r;
	int err;

	for (r = 1; r <= PEER_WARMUP; r++) {
		err = rt(arg, r);
		if (err)
			return err;
	}
	for (; r <= PEER_WARMUP + n; r++) {
		uint64_t t0 = scf_rdtsc_ordered();

		err = rt(arg, r);
		if (err)
			return err;
		ticks[r - PEER_WARMUP - 1] = (int64_t)(scf_rdtsc_ordered() - t0);
	}
	return 0;
}

int peer_pingpong(struct bench *b, int64_t *ticks, uint64_t n,
		  int (*side)(void *arg, uint64_t rounds), peer_rt_fn rt,
		  void *arg, pid_t *pid)
{
	int err;

	*pid = peer_start(b, side, arg, n);
	if (*pid < 0)
		return *pid;
	err = peer_loop(ticks, n, rt, arg);
	if (err) {
		peer_kill(*pid);
		return err;
	}
	return peer_reap(*pid);
}

int peer_read(int fd, void *buf, size_t len, pid_t peer)
{
	ssize_t got;

	while ((got = read(fd, buf, len)) != (ssize_t)len) {
		if (got >= 0)
			return got ? -EIO : -EPIPE;	/* short, or EOF */
		if (errno != EINTR)
			return -errno;
		if (peer > 0 && peer_dead(peer))
			return -EPIPE;
	}
	return 0;
}

int peer_write(int fd, const void *buf, size_t len)
{
	ssize_t put;

	while ((put = write(fd, buf, len)) != (ssize_t)len) {
		if (put >= 0)
			return -EIO;
		if (errno != EINTR)
			return -errno;
	}
	return 0;
}

void *peer_shared(struct bench *b, size_t len)
{
	return placement_shared(b, len, b->peer_place);
}

void peer_unshare(void *p, size_t len)
{
	if (p)
		munmap(p, len);
}
