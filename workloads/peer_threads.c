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

double peer_threads_cpu_ns(void)
{
	DIR *d = opendir("/proc/self/task");
	pid_t self = (pid_t)syscall(SYS_gettid);
	struct dirent *e;
	struct timespec ts;
	double ns = 0;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		pid_t tid = (pid_t)atoi(e->d_name);

		/* A thread gone between readdir and here counts 0. */
		if (tid > 0 && tid != self &&
		    !clock_gettime(thread_clock(tid), &ts))
			ns += (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
	}
	closedir(d);
	return ns;
}
