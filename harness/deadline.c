// SPDX-License-Identifier: MIT
/*
 * deadline.c - the call deadline on the bench side: arming it, judging a
 * call in service by the shadow's state, and saying why a call gave up.
 *
 * The rule (common/scf/scf_deadline.h), the same for every backend: each
 * --call-timeout without the response, the core looks at the request the
 * shadow took up last.  A request not taken up, still on the ring or
 * popped and dropped, ends the call.  One taken up is in service: the
 * judge here grants it another deadline while the shadow runs (any state
 * but stopped, traced, zombie or dead: a long service delay or a blocking
 * read sleeps in S or D), SCF_DEADLINE_GRANTS_MAX times at most.  A call
 * that gives up stops the run with exit 1 and one line naming the call,
 * its request, why it gave up and the shadow's state.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>

#include "bench.h"
#include "scf_deadline.h"

/* "running", "stopped" or "gone", from /proc/<pid>/stat and kill(0). */
const char *bench_shadow_state(pid_t pid)
{
	char path[64], buf[512], *p;
	FILE *f;
	size_t n;

	if (pid <= 0 || (kill(pid, 0) && errno == ESRCH))
		return "gone";
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return "gone";
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	/* The state follows the command name's closing parenthesis. */
	p = strrchr(buf, ')');
	if (!p || p[1] != ' ')
		return "running";
	switch (p[2]) {
	case 'T': case 't':
		return "stopped";
	case 'Z': case 'X': case 'x':
		return "gone";
	default:
		return "running";
	}
}

/* A call in service gets one more deadline while its shadow runs. */
static bool judge(void *arg, enum scf_wait_phase phase)
{
	struct bench *b = arg;

	(void)phase;	/* only ever SCF_PHASE_RESPONSE */
	return strcmp(bench_shadow_state(b->shadow_pid), "running") != 0;
}

void bench_deadline_arm(struct bench *b)
{
	if (b->call_timeout_s <= 0)
		return;		/* a harness that sets none: no deadline */
	b->c.timeout_tsc = (uint64_t)(b->call_timeout_s * (double)b->tsc_hz);
	if (!b->c.timeout_tsc)
		b->c.timeout_tsc = 1;
	b->c.judge = judge;
	b->c.judge_arg = b;
}

bool bench_deadline_report(const struct bench *b, const char *what)
{
	const struct scf_client *c = &b->c;
	unsigned long long seq = (unsigned long long)c->seq;
	char why[160];

	switch (c->timed_out) {
	case SCF_PHASE_NONE:
		return false;
	case SCF_PHASE_POP:
		snprintf(why, sizeof(why), "waiting for the shadow to pop "
			 "request %llu", seq);
		break;
	case SCF_PHASE_DROPPED:
		snprintf(why, sizeof(why), "waiting for the response: request "
			 "%llu was dropped (popped off the ring, never taken "
			 "up)", seq);
		break;
	default:
		snprintf(why, sizeof(why), "waiting for the response to request "
			 "%llu%s", seq, c->grants < SCF_DEADLINE_GRANTS_MAX ? "" :
			 ", still in service after the most deadlines a call "
			 "is granted");
		break;
	}
	fprintf(stderr, "\nscf-bench: %s timed out after %g s %s; scf-shadow "
		"(pid %d) is %s\n", what, b->call_timeout_s * (c->grants + 1),
		why, (int)b->shadow_pid, bench_shadow_state(b->shadow_pid));
	return true;
}
