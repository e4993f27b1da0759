// SPDX-License-Identifier: MIT
/*
 * peer_threads.c - CPU time of this process's threads other than the
 * caller: the kernel's io_uring threads (SQPOLL's iou-sqp, io-wq's
 * iou-wrk) are threads of the submitting process and do the peer side's
 * work there.
 */
#include <dirent.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "peer.h"

/*
 * The CPU-time clock of one thread of this process, as the kernel encodes
 * it (include/linux/posix-timers.h: MAKE_THREAD_CPUCLOCK(tid,
 * CPUCLOCK_SCHED)); precise even while the thread runs on another CPU.
 */
static clockid_t thread_clock(pid_t tid)
{
	return (clockid_t)((~(unsigned int)tid << 3) | 4u /* PERTHREAD */ |
			   2u /* SCHED */);
}

static void snap_take(struct peer_threads_snap *sn)
{
	DIR *d = opendir("/proc/self/task");
	pid_t self = (pid_t)syscall(SYS_gettid);
	struct dirent *e;
	struct timespec ts;

	sn->n = 0;
	if (!d)
		return;
	while ((e = readdir(d)) && sn->n < PEER_THREADS_MAX) {
		pid_t tid = (pid_t)atoi(e->d_name);

		/* A thread gone between readdir and here is left out. */
		if (tid > 0 && tid != self &&
		    !clock_gettime(thread_clock(tid), &ts)) {
			sn->tid[sn->n] = tid;
			sn->ns[sn->n++] = (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
		}
	}
	closedir(d);
}

void peer_threads_begin(struct peer_threads_snap *before)
{
	snap_take(before);
}

/*
 * Per thread, not as two sums: a previous ring's SQ thread that exits
 * asynchronously between the two snapshots would otherwise take its
 * whole lifetime's CPU time out of the difference and make it negative.
 * Such a thread is simply left out; a thread born in between counts
 * from zero.
 */
double peer_threads_end(const struct peer_threads_snap *before)
{
	struct peer_threads_snap now;
	double ns = 0;
	int i, j;

	snap_take(&now);
	for (i = 0; i < now.n; i++) {
		double was = 0;

		for (j = 0; j < before->n; j++)
			if (before->tid[j] == now.tid[i])
				was = before->ns[j];
		if (now.ns[i] > was)
			ns += now.ns[i] - was;
	}
	return ns;
}
