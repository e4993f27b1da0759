// SPDX-License-Identifier: MIT
/*
 * deadline.c - the call deadline on the bench side: arming it, judging an
 * expired one by the shadow's state, and saying why a call gave up.
 *
 * The rule (common/scf/scf_deadline.h): each --call-timeout without the
 * response, the shadow's state is read.  A shadow that has taken the
 * request and is still running (any state but stopped, traced, zombie or
 * dead: a long service delay or a blocking read sleeps in S or D) is
 * serving a slow call and gets another deadline, unless it sleeps on its
 * doorbell again (it dropped the request).  A request still on the ring
 * after a whole deadline, or a stopped or vanished shadow, ends the call: the run stops with exit 1 and one line naming the call, the phase
 * and the shadow's state.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>

#include "bench.h"
#include "scf_deadline.h"

static const char *last_state = "running";

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

/*
 * Is pid asleep on its doorbell (futex, the module's ioctl) rather than in
 * the call it serves?  With one call in flight a shadow that took ours and
 * waits there again has dropped it (a garbled index, say).  Only the
 * sleeping backends can tell; a polling shadow spins in user space alike
 * whether idle or busy, and is given the benefit of the doubt.
 */
static bool shadow_idle(pid_t pid)
{
	char path[64], buf[64];
	FILE *f;
	long nr;

	snprintf(path, sizeof(path), "/proc/%d/syscall", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return false;
	nr = fgets(buf, sizeof(buf), f) ? strtol(buf, NULL, 10) : -1;
	fclose(f);
	return nr == SYS_futex || nr == SYS_ioctl;
}

static bool judge(void *arg, enum scf_wait_phase phase)
{
	struct bench *b = arg;

	last_state = bench_shadow_state(b->shadow_pid);
	if (phase != SCF_PHASE_RESPONSE || strcmp(last_state, "running"))
		return true;
	if (shadow_idle(b->shadow_pid)) {
		last_state = "running but idle on its doorbell: the request "
			     "was dropped";
		return true;
	}
	return false;
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
	if (b->c.timed_out == SCF_PHASE_NONE)
		return false;
	fprintf(stderr, "\nscf-bench: %s timed out after %g s %s; scf-shadow "
		"(pid %d) is %s\n", what, b->call_timeout_s,
		b->c.timed_out == SCF_PHASE_POP ?
			"waiting for the shadow to pop the request" :
			"waiting for the response",
		(int)b->shadow_pid, last_state);
	return true;
}
