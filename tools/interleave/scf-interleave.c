// SPDX-License-Identifier: MIT
/*
 * scf-interleave - run several scf-bench command lines taking turns, one
 * sample at a time, on the same CPUs: a token goes round-robin, and only
 * the process holding it measures, while the others' clients block and
 * their shadows sleep (parked).  So two builds, or two commits, see the
 * same machine state sample by sample, and a ratio of their numbers
 * divides like by like.
 *
 *   scf-interleave 'CMD1 ...' 'CMD2 ...' [...]
 *
 * Each command runs under /bin/sh -c with SCF_LOCKSTEP_FDS=R,W: a byte on
 * R is its turn, a byte it writes on W ends the turn; end of file on W
 * (it exited) drops it from the round.  The byte 'r' also ends the
 * writer's round of samples (sample i of each of its workloads): it waits
 * until every other command has ended the same round, so sample i of a
 * workload is taken near sample i of the same workload in the others
 * (list the compared workloads first and in the same order).  Every
 * command also gets SCF_INTERLEAVE_GROUP, one id for this whole run, which
 * scf-bench records as config.interleave_group: the analysis tools take a
 * ratio between two processes' results only when they share it.  Exit
 * status: 0 when every command exited 0, else the first failing one's
 * (2: bad usage).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CMDS	64

struct member {
	pid_t pid;
	int tok_w, done_r;	/* our ends */
	int status;
	int alive;
	int held;		/* ended its round: waits for the others */
};

static int start(struct member *m, const char *cmd)
{
	int tok[2], done[2];
	char env[64];

	if (pipe(tok) || pipe(done)) {
		perror("scf-interleave: pipe");
		return -1;
	}
	m->pid = fork();
	if (m->pid < 0) {
		perror("scf-interleave: fork");
		return -1;
	}
	if (!m->pid) {
		close(tok[1]);
		close(done[0]);
		snprintf(env, sizeof(env), "%d,%d", tok[0], done[1]);
		setenv("SCF_LOCKSTEP_FDS", env, 1);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		perror("scf-interleave: /bin/sh");
		_exit(127);
	}
	close(tok[0]);
	close(done[1]);
	m->tok_w = tok[1];
	m->done_r = done[0];
	m->alive = 1;
	return 0;
}

/* One turn of m: hand it the token, wait for it back; 0 when it left. */
static int turn(struct member *m)
{
	char c;
	ssize_t n;

	while ((n = write(m->tok_w, "t", 1)) < 0 && errno == EINTR)
		;
	if (n != 1)
		return 0;
	while ((n = read(m->done_r, &c, 1)) < 0 && errno == EINTR)
		;
	m->held = n == 1 && c == 'r';
	return n == 1;
}

/*
 * Once every member still running has ended its round, start the next;
 * 1 when it did.  Rounds alternate direction (A B, then B A, ...), so no
 * command always measures right after the same other one: a position
 * effect would otherwise read as a difference between them.
 */
static int next_round(struct member *m, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (m[i].alive && !m[i].held)
			return 0;
	for (i = 0; i < n; i++)
		m[i].held = 0;
	return 1;
}

/* SCF_INTERLEAVE_GROUP: this run's id (pid and start time), inherited. */
static int group_env(void)
{
	struct timespec ts;
	char id[64];

	clock_gettime(CLOCK_REALTIME, &ts);
	snprintf(id, sizeof(id), "il-%d-%lld.%09ld", (int)getpid(),
		 (long long)ts.tv_sec, ts.tv_nsec);
	if (setenv("SCF_INTERLEAVE_GROUP", id, 1)) {
		perror("scf-interleave: setenv");
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct member m[MAX_CMDS] = { 0 };	/* held: no round ended yet */
	int i, last = 0, dir = 1, n = argc - 1, alive, rc = 0;

	if (n < 1 || n > MAX_CMDS || !strcmp(argv[1], "--help")) {
		fprintf(stderr, "usage: scf-interleave 'CMD' ['CMD' ...] "
			"(1 to %d commands, taking turns sample by sample)\n",
			MAX_CMDS);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	if (group_env())
		return 1;
	for (i = 0; i < n; i++)
		if (start(&m[i], argv[i + 1]))
			return 1;
	for (alive = n, i = 0; alive; last = i, i = (i + dir + n) % n) {
		if (next_round(m, n) && n > 1) {
			/* The new round starts where the last one ended. */
			dir = -dir;
			i = last;
		}
		if (!m[i].alive || m[i].held || turn(&m[i]))
			continue;
		/* It exited (or closed its end): out of the round. */
		close(m[i].tok_w);
		close(m[i].done_r);
		while (waitpid(m[i].pid, &m[i].status, 0) < 0 && errno == EINTR)
			;
		m[i].alive = 0;
		alive--;
	}
	for (i = 0; i < n; i++) {
		int st = m[i].status;
		int code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);

		if (code && !rc)
			rc = code;
	}
	return rc;
}
