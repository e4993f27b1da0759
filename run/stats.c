// SPDX-License-Identifier: MIT
/*
 * stats.c - per system call number: how often, and what it cost (the
 * report of it at the end is report.c's).  A forwarded call's phases come from its probes (queue,
 * memsync, notify, service, as scf-bench splits them); "trap" is the
 * rest of the SIGSYS handler: classifying, marshalling the program's
 * arguments, switching the thread pointer.  The kernel's own signal
 * delivery and sigreturn are outside the handler and in the wall time.
 */
#include <pthread.h>

#include "run.h"
#include "scf_probe.h"

/*
 * The program's threads account at once: one at a time, once a second
 * thread may exist (runtime.multi is set before it is created).
 */
static pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;

static void lock(void)
{
	if (__atomic_load_n(&runtime.multi, __ATOMIC_ACQUIRE))
		pthread_mutex_lock(&stats_lock);
}

static void unlock(void)
{
	if (__atomic_load_n(&runtime.multi, __ATOMIC_ACQUIRE))
		pthread_mutex_unlock(&stats_lock);
}

/*
 * A fork (a program's thread forking while another accounts) must not
 * leave the child a lock held by a thread it does not have: the forking
 * thread holds it across the fork, and both sides let it go.
 */
static void fork_prepare(void)
{
	pthread_mutex_lock(&stats_lock);
}

static void fork_done(void)
{
	pthread_mutex_unlock(&stats_lock);
}

__attribute__((constructor)) static void stats_atfork(void)
{
	pthread_atfork(fork_prepare, fork_done, fork_done);
}

static int64_t d(const uint64_t *t, int to, int from)
{
	return (int64_t)(t[to] - t[from]);
}

/*
 * A probed call's stamps, each present and each side's in order (as
 * scf-bench's check): one missing would turn its phases into a
 * difference with zero, and one such call would swamp every mean.
 */
static bool stamps_usable(const uint64_t *t)
{
	static const int chain[] = {
		SCF_C0_CALL, SCF_C1_SLOT, SCF_C2_MARSHALLED, SCF_C3_SUBMITTED,
		SCF_C5_WOKEN, SCF_C6_COLLECTED, SCF_C7_DONE, -1,
		SCF_S0_WOKEN, SCF_S1_POPPED, SCF_S2_VALIDATED, SCF_S3_SERVICED,
		SCF_S4_RESPONDED,
	};
	size_t i;

	for (i = 0; i < sizeof(chain) / sizeof(chain[0]); i++) {
		if (chain[i] < 0)
			continue;
		if (!t[chain[i]])
			return false;
		if (i && chain[i - 1] >= 0 && t[chain[i]] < t[chain[i - 1]])
			return false;
	}
	return true;
}

/*
 * A forwarded call made for k: accounted, and the run stopped if the
 * shadow died meanwhile (the watcher cut the wait: -SCF_EINTR).
 */
int64_t run_forwarded(struct run_call *k, int64_t ret)
{
	const char *name;

	run_account_fwd(k->nr, cur_call.rec);
	if (ret == -SCF_EINTR && runtime.shadow_gone) {
		name = run_call_name(k->nr);
		run_stop("scf-shadow exited while serving %s",
			 name ? name : "a call");
	}
	return ret;
}

void run_account_fwd(long nr, const struct scf_rec *rec)
{
	const uint64_t *t = rec->t;
	struct run_nr_stat *s;
	int64_t q, m, n, sv, tot;

	lock();
	runtime.fwd_total++;
	run_suite_rec(rec);
	if (nr < 0 || nr >= RUN_NR_MAX) {
		unlock();
		return;
	}
	s = &runtime.nr[nr];
	s->fwd++;
	if (!SCF_PROBES) {
		unlock();
		return;
	}
	/* C0 and C7 are stamped on every call, probed or not. */
	if (!t[SCF_C0_CALL] || !t[SCF_C7_DONE]) {
		runtime.fwd_bad_identity++;
		unlock();
		return;
	}
	tot = d(t, SCF_C7_DONE, SCF_C0_CALL);
	s->total += (uint64_t)tot;
	if (!rec->probed) {
		unlock();
		return;
	}
	if (!stamps_usable(t)) {
		runtime.fwd_unusable++;	/* its total counts, its phases do not */
		unlock();
		return;
	}
	q = d(t, SCF_C1_SLOT, SCF_C0_CALL) +
	    d(t, SCF_C3_SUBMITTED, SCF_C2_MARSHALLED) +
	    d(t, SCF_S1_POPPED, SCF_S0_WOKEN) +
	    d(t, SCF_S4_RESPONDED, SCF_S3_SERVICED) +
	    d(t, SCF_C7_DONE, SCF_C6_COLLECTED);
	m = d(t, SCF_C2_MARSHALLED, SCF_C1_SLOT) +
	    d(t, SCF_S2_VALIDATED, SCF_S1_POPPED) +
	    d(t, SCF_C6_COLLECTED, SCF_C5_WOKEN);
	n = d(t, SCF_S0_WOKEN, SCF_C3_SUBMITTED) +
	    d(t, SCF_C5_WOKEN, SCF_S4_RESPONDED);
	sv = d(t, SCF_S3_SERVICED, SCF_S2_VALIDATED);
	if (q + m + n + sv != tot)
		runtime.fwd_bad_identity++;
	s->probed++;
	s->queue += (uint64_t)q;
	s->memsync += (uint64_t)m;
	s->notify += (uint64_t)n;
	s->service += (uint64_t)sv;
	unlock();
}

void run_account(long nr, uint64_t handler_ticks, bool tramp)
{
	struct run_nr_stat *s;

	if (nr < 0 || nr >= RUN_NR_MAX)
		return;
	s = &runtime.nr[nr];
	lock();
	s->calls++;
	if (tramp)
		s->rewritten++;
	else
		s->trapped++;
	s->handler += handler_ticks;
	unlock();
}
