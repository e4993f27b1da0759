// SPDX-License-Identifier: MIT
/*
 * leave.c - the ways out of a run, for every layer: run_exit()
 * (exit_group, a stop), run_stop() (the runtime refuses to go on) and
 * run_die() (a signal whose default kills, as it would the program).
 * The teardown itself (the shadow, the report, the result files) and
 * the table's names sit above the files that stop a run; main.c hands
 * both down before the program starts (run_leave_init()).
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "bench.h"
#include "run.h"

static run_teardown_fn teardown;
static run_name_fn call_name;

void run_leave_init(run_teardown_fn td, run_name_fn name)
{
	teardown = td;
	call_name = name;
}

const char *run_call_name(long nr)
{
	return call_name ? call_name(nr) : NULL;
}

void run_exit(int status)
{
	teardown(status);
	_exit(status);		/* not reached: the teardown leaves */
}

void run_die(int sig)
{
	sigset_t set;

	runtime.quiet = true;		/* the shell says it: "Broken pipe" */
	if (!runtime.child)
		bench_shadow_stop(runtime.bench);
	run_turn_end();
	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	run_exit(128 + sig);
}

void run_stop(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "scf-run: stopped: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	run_exit(RUN_EXIT_STOPPED);
}
