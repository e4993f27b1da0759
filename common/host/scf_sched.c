// SPDX-License-Identifier: MIT
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <sys/mman.h>
#include <unistd.h>

#include "scf_sched.h"

int scf_pin_cpu(int cpu)
{
	cpu_set_t set;
	int ret;

	if (cpu < 0 || cpu >= CPU_SETSIZE)
		return -EINVAL;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	ret = pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	if (ret)
		return -ret;
	/* The kernel may accept the mask and still run us elsewhere briefly. */
	if (sched_getcpu() != cpu)
		sched_yield();
	return 0;
}

int scf_set_fifo(int prio)
{
	struct sched_param sp = { .sched_priority = prio };

	if (sched_setscheduler(0, SCHED_FIFO, &sp))
		return -errno;
	return 0;
}

int scf_lock_memory(void)
{
	if (mlockall(MCL_CURRENT | MCL_FUTURE))
		return -errno;
	return 0;
}

int scf_cpus_online(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set))
		return -errno;
	return CPU_COUNT(&set);
}
