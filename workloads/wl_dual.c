// SPDX-License-Identifier: MIT
/*
 * wl_dual.c - the dual calls as workloads: fork, exec, clone.  Each call
 * is recorded with its forwarded parts and its local part (PH_LOCAL),
 * and each is checked end to end: the child process or thread makes a
 * call of its own through its slot and leaves the way it should, and no
 * slot is left in use afterwards.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "../rtos/rtos_dual.h"

#define EXEC_FILE	"exec.bin"

/* Slots in use before the run: every call must leave it so. */
static uint32_t slots_before;

static int dual_setup(struct bench *b, struct wl_ctx *x, uint32_t max)
{
	x->dual = true;
	x->max_cycles = max;
	slots_before = rtos_slots_used(&b->session);
	return 0;
}

static int reap(pid_t pid, const char *what)
{
	int status;
	pid_t got;

	do
		got = waitpid(pid, &status, 0);
	while (got < 0 && errno == EINTR);
	if (got != pid || !WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "\nscf-bench: %s child %d: %s %d\n", what,
			(int)pid, got != pid ? "lost" :
			WIFEXITED(status) ? "exit status" : "killed by signal",
			got != pid ? 0 : WIFEXITED(status) ?
			WEXITSTATUS(status) : WTERMSIG(status));
		return -1;
	}
	return 0;
}

static int no_leak(struct bench *b, const char *what)
{
	uint32_t used = rtos_slots_used(&b->session);

	if (used == slots_before)
		return 0;
	fprintf(stderr, "\nscf-bench: %s: %u slots in use, %u before\n", what,
		used, slots_before);
	return -1;
}

/* ---- fork: syncfork + fork(); the child calls once and exits ---- */

static int fork_setup(struct bench *b, struct wl_ctx *x)
{
	return dual_setup(b, x, 50);
}

static int fork_op(struct bench *b, struct wl_ctx *x, uint64_t i)
{
	pid_t pid = rtos_fork(&b->session, x->drec);

	(void)i;
	if (pid < 0) {
		fprintf(stderr, "\nscf-bench: fork: %s\n",
			scf_strerror((int)pid));
		return -1;
	}
	if (!pid)
		rtos_exit(&b->session, scf_null(&b->c) == 0 ? 0 : 4);
	return reap(pid, "fork") ?: no_leak(b, "fork");
}

/* ---- exec: in a forked child, the image read through the shadow ---- */

static int copy_self(struct bench *b)
{
	char *dst = root_path(b, EXEC_FILE), buf[65536];
	int in = open("/proc/self/exe", O_RDONLY | O_CLOEXEC), out = -1;
	ssize_t n = 0;

	if (in >= 0)
		out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	while (out >= 0 && (n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n) {
			n = -1;
			break;
		}
	if (in < 0 || out < 0 || n < 0)
		fprintf(stderr, "scf-bench: cannot copy myself to %s: %s\n",
			dst, strerror(errno));
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	free(dst);
	return in < 0 || out < 0 || n < 0 ? -1 : 0;
}

static int exec_setup(struct bench *b, struct wl_ctx *x)
{
	return copy_self(b) ?: dual_setup(b, x, 20);
}

static int read_full(int fd, void *p, size_t len)
{
	uint8_t *c = p;
	ssize_t n;

	while (len) {
		n = read(fd, c, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		c += n;
		len -= (size_t)n;
	}
	return 0;
}

static int exec_op(struct bench *b, struct wl_ctx *x, uint64_t i)
{
	static char *const argv[] = { "scf-bench", "--exec-child", NULL };
	uint64_t t_end;
	int rp[2], err;
	pid_t pid;

	(void)i;
	if (pipe2(rp, O_CLOEXEC))
		return -1;
	pid = rtos_fork(&b->session, NULL);
	if (!pid) {
		close(rp[0]);
		err = rtos_exec(&b->session, EXEC_FILE, argv, rp[1], x->drec);
		fprintf(stderr, "scf-bench: exec %s: %s\n", EXEC_FILE,
			scf_strerror(err));
		rtos_exit(&b->session, 5);
	}
	close(rp[1]);
	err = pid < 0 || read_full(rp[0], x->drec, sizeof(*x->drec)) ||
	      read_full(rp[0], &t_end, sizeof(t_end));
	close(rp[0]);
	if (pid < 0) {
		fprintf(stderr, "\nscf-bench: exec: fork: %s\n",
			scf_strerror((int)pid));
		return -1;
	}
	x->drec->t_end = t_end;
	return reap(pid, "exec") || err ? -1 : no_leak(b, "exec");
}

/* ---- clone: a thread on the same slot, one call, thread exit ---- */

static atomic_int thread_bad;

static void *clone_thread(void *arg)
{
	struct bench *b = arg;

	if (scf_null(&b->c) != 0 || rtos_thread_exit(&b->session) != 0)
		atomic_store(&thread_bad, 1);
	return NULL;
}

static int clone_setup(struct bench *b, struct wl_ctx *x)
{
	return dual_setup(b, x, 200);
}

static int clone_op(struct bench *b, struct wl_ctx *x, uint64_t i)
{
	pthread_t t;
	int err;

	(void)i;
	atomic_store(&thread_bad, 0);
	err = rtos_clone(&b->session, &t, clone_thread, b, x->drec);
	if (err) {
		fprintf(stderr, "\nscf-bench: clone: %s\n", scf_strerror(err));
		return -1;
	}
	err = rtos_join(&b->session, t);
	return err || atomic_load(&thread_bad) ? -1 : 0;
}

/* Designated: struct wl grows, these stay valid. */
static const struct wl wl_fork = {
	.name = "fork", .kind = WL_FWD,
	.about = "dual fork: syncfork, fork, child binds, calls, exits",
	.setup = fork_setup, .op = fork_op,
};
static const struct wl wl_exec = {
	.name = "exec", .kind = WL_FWD,
	.about = "dual exec: stat, open, read, close, exit(exec), fexecve, re-attach",
	.setup = exec_setup, .op = exec_op,
};
static const struct wl wl_clone = {
	.name = "clone", .kind = WL_FWD,
	.about = "dual clone: remote clone, pthread_create; thread calls, exits",
	.setup = clone_setup, .op = clone_op,
};

SCF_WORKLOAD(wl_fork);
SCF_WORKLOAD(wl_exec);
SCF_WORKLOAD(wl_clone);
