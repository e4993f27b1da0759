// SPDX-License-Identifier: MIT
/*
 * wl_pingpong.c - the physical limit: one cache line bouncing between the
 * client's and the shadow's CPU, between two processes, as SCF's rings do.
 */
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "scf_arch.h"
#include "scf_sched.h"

struct pp_line {
	_Alignas(64) _Atomic uint64_t ping;
	_Alignas(64) _Atomic uint64_t pong;
};

static int pingpong_measure(struct bench *b, struct wl_ctx *x, int64_t *ticks,
			    uint64_t n)
{
	struct pp_line *l;
	uint64_t r;
	pid_t pid;
	int status;

	(void)x;
	l = mmap(NULL, sizeof(*l), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (l == MAP_FAILED)
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		if (scf_pin_cpu(b->shadow_cpu))
			_exit(1);
		for (r = 1; r <= n; r++) {
			/* acquire: pairs with the parent's release of ping */
			while (atomic_load_explicit(&l->ping, memory_order_acquire) != r)
				scf_cpu_relax();
			/* release: pairs with the parent's acquire of pong */
			atomic_store_explicit(&l->pong, r, memory_order_release);
		}
		_exit(0);
	}
	for (r = 1; r <= n; r++) {
		uint64_t t0 = scf_rdtsc_ordered();

		atomic_store_explicit(&l->ping, r, memory_order_release);
		while (atomic_load_explicit(&l->pong, memory_order_acquire) != r)
			scf_cpu_relax();
		ticks[r - 1] = (int64_t)(scf_rdtsc_ordered() - t0);
	}
	waitpid(pid, &status, 0);
	munmap(l, sizeof(*l));
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -EIO;
}

static const struct wl wl_pingpong = {
	.name = "pingpong",
	.kind = WL_PEER,
	.about = "cache-line round trip between the two CPUs",
	.measure = pingpong_measure,
};

SCF_WORKLOAD(wl_pingpong);
