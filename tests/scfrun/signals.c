// SPDX-License-Identifier: MIT
/*
 * signals.c - the program's own signal handlers under scf-run, one mode
 * a run; each prints what happened, the same lines as natively:
 *
 *   raise    sigaction, raise (tgkill) and kill of itself, a blocked
 *            signal delivered when unblocked, raise from one site again
 *            (a rewritten site: the handler runs as the call returns)
 *   timer    setitimer's SIGALRM while it runs, alarm then pause
 *   sigchld  SIGCHLD from a forked child, then its status
 *   sigpipe  writes to a pipe with no reader: SIGPIPE's handler, EPIPE
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t got[65];

static void handler(int sig, siginfo_t *si, void *uc)
{
	(void)si;
	(void)uc;
	got[sig]++;
}

static void on(int sig)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Spin (no call) until the handler has run or 5 s have passed. */
static int spin_for(int sig)
{
	double end = now() + 5;

	while (!got[sig] && now() < end)
		;
	return got[sig];
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";
	sigset_t set;
	int fds[2], st, r;
	pid_t pid;

	if (!strcmp(m, "raise")) {
		on(SIGUSR1);
		on(SIGUSR2);
		raise(SIGUSR1);
		printf("raise: handler ran %d\n", got[SIGUSR1]);
		kill(getpid(), SIGUSR2);
		printf("kill self: handler ran %d\n", got[SIGUSR2]);
		sigemptyset(&set);
		sigaddset(&set, SIGUSR1);
		sigprocmask(SIG_BLOCK, &set, NULL);
		raise(SIGUSR1);
		printf("blocked: handler ran %d\n", got[SIGUSR1]);
		sigprocmask(SIG_UNBLOCK, &set, NULL);
		printf("unblocked: handler ran %d\n", got[SIGUSR1]);
		/* the same call site again: a rewritten one, where it can be */
		for (r = 0; r < 3; r++)
			raise(SIGUSR2);
		printf("raise 3 more: handler ran %d\n", got[SIGUSR2]);
	} else if (!strcmp(m, "timer")) {
		struct itimerval it = { .it_value = { .tv_usec = 20000 } };

		on(SIGALRM);
		setitimer(ITIMER_REAL, &it, NULL);
		printf("setitimer: handler ran %d while spinning\n", spin_for(SIGALRM));
		alarm(1);
		r = pause();
		printf("alarm, pause: %d errno %d, handler ran %d\n", r, errno,
		       got[SIGALRM]);
	} else if (!strcmp(m, "sigchld")) {
		on(SIGCHLD);
		fflush(stdout);
		pid = fork();
		if (!pid)
			_exit(3);
		printf("sigchld: handler ran %d\n", spin_for(SIGCHLD));
		r = waitpid(pid, &st, 0) == pid;
		printf("waitpid %d, status %d\n", r, WEXITSTATUS(st));
	} else if (!strcmp(m, "sigpipe")) {
		on(SIGPIPE);
		if (pipe(fds))
			return 1;
		close(fds[0]);
		for (st = 0; st < 3; st++)	/* the later ones: rewritten */
			r = (int)write(fds[1], "x", 1);
		printf("sigpipe: write %d errno %d, handler ran %d\n", r, errno,
		       got[SIGPIPE]);
	} else {
		fprintf(stderr, "usage: signals raise|timer|sigchld|sigpipe\n");
		return 2;
	}
	return 0;
}
