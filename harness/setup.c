// SPDX-License-Identifier: MIT
/*
 * setup.c - what a run needs before its first workload: the shadow
 * binary, the notify backend, the CPUs (pinned, TSC calibrated, skew
 * measured, idle states held off) and the directory the shadow serves.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "scf_probe.h"
#include "scf_sched.h"
#include "scf_tsc.h"

char *setup_default_shadow(void)
{
	static char path[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 32);
	char *slash;

	if (n <= 0)
		return "scf-shadow";
	path[n] = 0;
	slash = strrchr(path, '/');
	strcpy(slash ? slash + 1 : path, "scf-shadow");
	return path;
}

/* Builds outside the top-level rules (tests) declare no backends. */
#ifndef SCF_BACKENDS
#define SCF_BACKENDS	""
#endif

/* Is name one of the space-separated words of SCF_BACKENDS? */
static bool backend_declared(const char *name)
{
	const char *p = SCF_BACKENDS;
	size_t n = strlen(name);

	while (*p) {
		size_t w = strcspn(p, " ");

		if (w == n && !strncmp(p, name, n))
			return true;
		p += w;
		p += strspn(p, " ");
	}
	return false;
}

int setup_backend(struct bench *b)
{
	const char *why;

	if (b->backend_req && strcmp(b->backend_req, "auto") &&
	    *SCF_BACKENDS && !backend_declared(b->backend_req)) {
		fprintf(stderr, "scf-bench: unknown backend '%s' for variant "
			"%s (have: auto %s)\n", b->backend_req,
			scf_notify_name(), SCF_BACKENDS);
		return -1;
	}
	b->backend = scf_notify_pick(b->backend_req);
	if (!b->backend) {
		why = b->backend_req ? scf_notify_note(b->backend_req) : NULL;
		fprintf(stderr, "scf-bench: variant %s: backend '%s' cannot run "
			"on this machine%s%s\n", scf_notify_name(),
			b->backend_req, why ? ": " : "", why ? why : "");
		return -1;
	}
	b->note = scf_notify_note(b->backend);
	return 0;
}

static void setup_cpus_and_clock(struct bench *b)
{
	struct scf_tsc_skew sk;
	int err;

	/* --cpus names CPUs this machine has: input_check.c saw to it. */
	err = scf_tsc_calibrate(&b->tsc_hz);
	if (err) {
		fprintf(stderr, "scf-bench: TSC calibration failed\n");
		exit(1);
	}
	b->tsc_invariant = scf_tsc_invariant();
	err = scf_tsc_skew(b->client_cpu, b->shadow_cpu, b->tsc_hz, &sk);
	if (err) {
		fprintf(stderr, "scf-bench: cannot measure TSC skew between CPU "
			"%d and %d: %s\n", b->client_cpu, b->shadow_cpu,
			strerror(-err));
		exit(2);
	}
	b->skew_ns = sk.skew_ns;
	b->skew_rtt_ns = sk.rtt_ns;
	/* One ordered stamp's cost on each benchmark CPU (net phases). */
	if (!scf_pin_cpu(b->shadow_cpu))
		b->stamp_ticks[1] = stamp_cost_ticks();
	err = scf_pin_cpu(b->client_cpu);
	if (!err)
		b->stamp_ticks[0] = stamp_cost_ticks();
	if (err) {
		fprintf(stderr, "scf-bench: cannot pin to CPU %d: %s\n",
			b->client_cpu, strerror(-err));
		exit(2);
	}
	bench_idle_setup(b);
	if (scf_lock_memory())
		fprintf(stderr, "scf-bench: note: mlockall failed, page faults "
			"may show in the tails\n");
	if (b->fifo_prio && scf_set_fifo(b->fifo_prio))
		fprintf(stderr, "scf-bench: note: SCHED_FIFO %d refused, "
			"running SCHED_OTHER\n", b->fifo_prio);
}

static char root_tmp[64];

static void setup_root(struct bench *b)
{
	if (b->root)
		return;
	/* Its owner's pid in the name: a later run can tell it is stale. */
	bench_root_sweep("/tmp");
	snprintf(root_tmp, sizeof(root_tmp), "/tmp/" BENCH_ROOT_PREFIX "%d.XXXXXX",
		 (int)getpid());
	if (!mkdtemp(root_tmp)) {
		perror("scf-bench: mkdtemp");
		exit(1);
	}
	b->root = root_tmp;
}

void setup_remove_root(void)
{
	/* Only the directory we made ourselves. */
	if (root_tmp[0])
		bench_root_remove(root_tmp);
}

char *root_path(const struct bench *b, const char *name)
{
	char *p;

	if (asprintf(&p, "%s/%s", b->root, name) < 0) {
		perror("scf-bench");
		exit(1);
	}
	return p;
}

void setup_run(struct bench *b)
{
	setup_cpus_and_clock(b);
	setup_root(b);
	printf("scf-bench: variant %s, backend %s%s, wait %s, idle %s (%s), "
	       "probes %s, CPUs client %d shadow %d, TSC %.3f GHz%s, skew "
	       "%.1f ns, stamp %.1f/%.1f ns\n",
	       scf_notify_name(), b->backend, b->note ? " (emulated)" : "",
	       b->wait_name, bench_idle_name(b),
	       b->idle_asked ? "--idle" : "default",
	       SCF_PROBES ? "on" : "off", b->client_cpu, b->shadow_cpu,
	       b->tsc_hz / 1e9, b->tsc_invariant ? " invariant" : "",
	       b->skew_ns, b->stamp_ticks[0] * 1e9 / (double)b->tsc_hz,
	       b->stamp_ticks[1] * 1e9 / (double)b->tsc_hz);
	if (b->note)
		printf("scf-bench: %s\n", b->note);
	fflush(stdout);
}
