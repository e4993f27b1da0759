// SPDX-License-Identifier: MIT
/*
 * test_dual.c - the dual calls end to end, through a real scf-shadow of
 * this variant, printing TAP:
 *
 *   fork      the child binds its own slot and calls concurrently with
 *             its parent; exit: the shadow goes first, the slot is freed
 *   cycles    100 fork/exit cycles: no slot leaked, no process left
 *   exec      an image read only through forwarded reads is exec'd and
 *             re-attaches to its slot
 *   clone     8 threads x 10,000 calls through one slot, every response
 *             matched to its caller
 *   faults    the shadow's fork fails, its child fails or crashes holding
 *             a slot, the RTOS child dies without exit, the slots run
 *             out, dual calls with bad arguments
 *
 * Every check reads the region's slot table (scf_slot_count_used) and
 * the process tree (/proc/<pid>/task/<pid>/children) itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../harness/bench.h"
#include "../../rtos/rtos_dual.h"
#include "scf_sched.h"
#include "../tap.h"

#define THREADS		8
#define THREAD_CALLS	10000
#define CYCLES		100

static char root[64];

/* ---- the harness pieces that main.c has in scf-bench ---- */

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

char *root_path(const struct bench *b, const char *name)
{
	char *p;

	if (asprintf(&p, "%s/%s", b->root, name) < 0)
		exit(1);
	return p;
}

static char *beside_me(const char *name)
{
	static char path[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 64);
	char *slash;

	if (n <= 0)
		exit(1);
	path[n] = 0;
	slash = strrchr(path, '/');
	strcpy(slash + 1, name);
	return path;
}

/* ---- one region and shadow per group of tests ---- */

static int up(struct bench *b, const char *fault)
{
	memset(b, 0, sizeof(*b));
	b->client_cpu = 1;
	b->shadow_cpu = 0;
	b->region_fd = b->dev_fd = b->memfd = -1;
	b->root = root;
	b->shadow_path = beside_me("scf-shadow");
	b->backend = scf_notify_pick(getenv("SCF_BACKEND"));
	if (!b->backend)
		return -1;
	if (fault)
		setenv("SCF_SHADOW_FAULT", fault, 1);
	if (bench_region_create(b) || bench_shadow_start(b) ||
	    bench_notify_attach(b)) {
		unsetenv("SCF_SHADOW_FAULT");
		return -1;
	}
	unsetenv("SCF_SHADOW_FAULT");
	return 0;
}

static void down(struct bench *b)
{
	bench_shadow_stop(b);
	if (b->c.n)
		scf_notify_detach(b->c.n);
	munmap(b->arena, b->arena_size);
	munmap(b->region, b->region_size);
	close(b->region_fd);
	close(b->memfd);
	close(b->sock[0]);
	close(b->sock[1]);
	if (b->dev_fd >= 0)
		close(b->dev_fd);
	free(b->alloc_stack);
	free(b->alloc_used);
}

/* Children of pid's main thread, not counting except (0: none). */
static int children(pid_t pid, pid_t except)
{
	char path[64], buf[4096], *p, *end;
	int fd, n = 0;
	ssize_t len;
	long c;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)pid,
		 (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len < 0)
		return -1;
	buf[len] = 0;
	for (p = buf; (c = strtol(p, &end, 10)), end != p; p = end)
		n += c != except;
	return n;
}

/* Wait up to ms for no slot but the root's and no shadow child. */
static bool settled(struct bench *b, int ms)
{
	int i;

	for (i = 0; i <= ms / 10; i++) {
		if (rtos_slots_used(&b->session) == 1 && children(b->shadow_pid, 0) == 0 &&
		    children(getpid(), b->shadow_pid) == 0)
			return true;
		usleep(10000);
	}
	return false;
}

static int reap(pid_t pid)
{
	int status;
	pid_t got;

	do
		got = waitpid(pid, &status, 0);
	while (got < 0 && errno == EINTR);
	if (got != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* ---- fork: concurrent calls on two slots, then exit ---- */

#define FORK_CALLS	200

static int calls(struct bench *b, int fd, int64_t base, int n)
{
	int i, bad = 0;

	for (i = 0; i < n; i++)
		bad += scf_lseek(&b->c, fd, base + i, SEEK_SET) != base + i;
	return bad;
}

static void test_fork(void)
{
	struct bench B, *b = &B;
	uint32_t parent_slot;
	int fd, bad, st;
	bool ok;
	pid_t pid;

	if (up(b, NULL)) {
		tap_ok(false, "fork: region and shadow up");
		return;
	}
	parent_slot = b->slot;
	/* Opened before the fork: the child's shadow inherits the fd. */
	fd = (int)scf_openat(&b->c, SCF_AT_FDCWD, "fork.dat",
			     O_RDWR | O_CREAT | O_TRUNC, 0600);
	pid = rtos_fork(&b->session, NULL);
	if (!pid) {
		/* A slot of its own, the inherited fd works, then exit. */
		bad = b->slot == parent_slot ? 1 : 0;
		bad += calls(b, fd, 1000000, FORK_CALLS);
		rtos_exit(&b->session, bad ? 1 : 0);
	}
	tap_ok(pid > 0, "fork: syncfork and fork (%d)", (int)pid);
	bad = calls(b, fd, 0, FORK_CALLS);
	tap_ok(bad == 0, "fork: parent's %d calls meanwhile all right (%d wrong)",
	       FORK_CALLS, bad);
	st = pid > 0 ? reap(pid) : -1;
	tap_ok(st == 0, "fork: child bound to another slot, %d calls on the "
	       "inherited fd right, exited (status %d)", FORK_CALLS, st);
	ok = settled(b, 2000);
	tap_ok(ok, "fork: after exit, slots in use %u, shadow "
	       "children %d", rtos_slots_used(&b->session), children(b->shadow_pid, 0));
	tap_ok(scf_null(&b->c) == 0, "fork: parent's slot still serves");
	down(b);
}

/* ---- 100 fork/exit cycles ---- */

static void test_cycles(void)
{
	struct bench B, *b = &B;
	int i, failed = 0, max_used = 0;
	bool ok;
	pid_t pid;

	if (up(b, NULL)) {
		tap_ok(false, "cycles: region and shadow up");
		return;
	}
	for (i = 0; i < CYCLES; i++) {
		pid = rtos_fork(&b->session, NULL);
		if (!pid)
			rtos_exit(&b->session, scf_null(&b->c) ? 1 : 0);
		if (pid < 0 || reap(pid)) {
			failed++;
			continue;
		}
		if ((int)rtos_slots_used(&b->session) > max_used)
			max_used = (int)rtos_slots_used(&b->session);
	}
	tap_ok(failed == 0, "cycles: %d fork/exit cycles, %d failed", CYCLES,
	       failed);
	ok = settled(b, 2000);
	tap_ok(max_used == 1 && ok, "cycles: zero leaked slots "
	       "(in use %u, most after a cycle %d), zero leftover processes "
	       "(shadow's children %d, ours %d)", rtos_slots_used(&b->session), max_used,
	       children(b->shadow_pid, 0), children(getpid(), b->shadow_pid));
	down(b);
}

/* ---- exec ---- */

static int copy_file(const char *from, const char *to)
{
	char buf[65536];
	int in = open(from, O_RDONLY | O_CLOEXEC), out = -1;
	ssize_t n = -1;

	if (in >= 0)
		out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	while (out >= 0 && (n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			break;
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return n == 0 ? 0 : -1;
}

static void test_exec(void)
{
	static char *const argv[] = { "scf-dualtest", "--exec-child", NULL };
	static struct dual_rec d;
	struct bench B, *b = &B;
	uint64_t t_end = 0;
	int rp[2], st, err;
	bool ok;
	char *img;
	pid_t pid;
	ssize_t n1, n2;

	if (up(b, NULL)) {
		tap_ok(false, "exec: region and shadow up");
		return;
	}
	img = root_path(b, "exec.bin");
	tap_ok(copy_file("/proc/self/exe", img) == 0, "exec: image under --root");
	free(img);
	if (pipe2(rp, O_CLOEXEC)) {
		down(b);
		return;
	}
	pid = rtos_fork(&b->session, NULL);
	if (!pid) {
		close(rp[0]);
		err = rtos_exec(&b->session, "exec.bin", argv, rp[1], &d);
		fprintf(stderr, "exec: %s\n", scf_strerror(err));
		rtos_exit(&b->session, 5);
	}
	close(rp[1]);
	n1 = read(rp[0], &d, sizeof(d));
	n2 = read(rp[0], &t_end, sizeof(t_end));
	close(rp[0]);
	st = pid > 0 ? reap(pid) : -1;
	tap_ok(n1 == sizeof(d) && d.n >= 5 && d.part[0].opcode == SCF_OP_NEWFSTATAT
	       && d.part[d.n - 1].opcode == SCF_OP_EXIT,
	       "exec: stat, open, read(s), close, exit(exec) forwarded (%u parts)",
	       d.n);
	tap_ok(n2 == sizeof(t_end) && t_end > d.t0, "exec: new image re-attached "
	       "(%.0f us after the stat)", n2 == sizeof(t_end) ?
	       (double)(t_end - d.t0) / 2.5e3 : 0.0);
	tap_ok(st == 0, "exec: new image's call through the slot and its exit "
	       "(status %d)", st);
	ok = settled(b, 2000);
	tap_ok(ok, "exec: slots in use %u, shadow children %d",
	       rtos_slots_used(&b->session), children(b->shadow_pid, 0));
	down(b);
}

/* ---- clone: 8 threads x 10,000 calls through one slot ---- */

struct worker {
	struct bench *b;
	int fd, id;
	int wrong;		/* answers that were not this thread's */
	int exit_ret;
};

static void *worker(void *arg)
{
	struct worker *w = arg;
	int64_t base = (int64_t)(w->id + 1) << 32, got;
	int i;

	/* lseek answers the offset asked for: a crossed answer shows. */
	for (i = 0; i < THREAD_CALLS; i++) {
		got = scf_lseek(&w->b->c, w->fd, base + i, SEEK_SET);
		w->wrong += got != base + i;
	}
	w->exit_ret = rtos_thread_exit(&w->b->session);
	return NULL;
}

static void test_clone(void)
{
	struct bench B, *b = &B;
	struct worker w[THREADS];
	pthread_t t[THREADS];
	struct scf_slot_ent *e;
	int i, made = 0, wrong = 0, exits = 0, joined = 0;
	uint32_t peak = 0;
	char name[32];
	uint64_t t0;

	if (up(b, NULL)) {
		tap_ok(false, "clone: region and shadow up");
		return;
	}
	e = &((struct scf_ctrl *)b->region)->slot[b->slot];
	for (i = 0; i < THREADS; i++) {
		snprintf(name, sizeof(name), "clone-%d.dat", i);
		w[i] = (struct worker){ b, (int)scf_openat(&b->c, SCF_AT_FDCWD,
				name, O_RDWR | O_CREAT | O_TRUNC, 0600), i, 0, -1 };
	}
	t0 = now_ns();
	for (i = 0; i < THREADS; i++)
		made += rtos_clone(&b->session, &t[i], worker, &w[i], NULL) == 0;
	for (i = 0; i < made; i++) {
		uint32_t r = atomic_load(&e->refs);

		peak = r > peak ? r : peak;
		joined += rtos_join(&b->session, t[i]) == 0;
		wrong += w[i].wrong;
		exits += w[i].exit_ret == 0;
	}
	tap_ok(made == THREADS && joined == THREADS, "clone: %d threads "
	       "cloned and joined", made);
	tap_ok(wrong == 0, "clone: %d x %d calls through one slot in %.2f s, "
	       "%d answers not the caller's", THREADS, THREAD_CALLS,
	       (double)(now_ns() - t0) / 1e9, wrong);
	tap_ok(exits == THREADS && atomic_load(&e->refs) == 1 && !b->c.mt,
	       "clone: every thread's exit counted (shadow's count %u, was up to "
	       "%u), client single-threaded again", atomic_load(&e->refs), peak);
	tap_ok(scf_null(&b->c) == 0, "clone: the slot still serves");
	down(b);
}

/* ---- faults ---- */

static void fault_case(const char *fault, const char *what)
{
	struct bench B, *b = &B;
	uint32_t used;
	pid_t pid;
	bool ok;
	int st;

	if (up(b, fault)) {
		tap_ok(false, "fault %s: region and shadow up", fault);
		return;
	}
	pid = rtos_fork(&b->session, NULL);
	if (!pid)
		rtos_exit(&b->session, 0);	/* must not happen */
	if (pid > 0)
		reap(pid);
	used = rtos_slots_used(&b->session);
	tap_ok(pid == -EAGAIN && used == 1, "fault %s (%s): fork gives %s, "
	       "slots in use %u", fault, what, scf_strerror(pid), used);
	/* A crashed child's slot is taken back by its parent. */
	pid = rtos_fork(&b->session, NULL);
	if (!pid)
		rtos_exit(&b->session, 0);
	st = pid > 0 ? reap(pid) : -1;
	ok = st == 0 && settled(b, 2000);
	tap_ok(ok, "fault %s: the next fork/exit works "
	       "and no slot is leaked (in use %u)", fault, rtos_slots_used(&b->session));
	down(b);
}

static void test_died(void)
{
	struct bench B, *b = &B;
	pid_t pid;
	bool ok;
	int st;

	if (up(b, NULL)) {
		tap_ok(false, "died: region and shadow up");
		return;
	}
	pid = rtos_fork(&b->session, NULL);
	if (!pid) {
		scf_null(&b->c);
		raise(SIGKILL);		/* dies without exit */
	}
	st = pid > 0 ? reap(pid) : -1;
	ok = st == 128 + SIGKILL && settled(b, 3000);
	tap_ok(ok, "died: an RTOS child "
	       "killed without exit: its shadow noticed, left and freed the "
	       "slot (in use %u, shadow children %d)", rtos_slots_used(&b->session),
	       children(b->shadow_pid, 0));
	down(b);
}

static void test_exhaust(void)
{
	struct bench B, *b = &B;
	struct scf_region_info info;
	pid_t pid[SCF_MAX_SLOTS];
	int gate[2], n = 0, i, ok = 0;
	bool all;
	int64_t last = 0;
	char c;

	if (up(b, NULL) || pipe2(gate, O_CLOEXEC)) {
		tap_ok(false, "exhaust: region and shadow up");
		return;
	}
	scf_region_check(b->region, b->region_size, &info);
	while (n < (int)SCF_MAX_SLOTS) {
		pid[n] = rtos_fork(&b->session, NULL);
		if (!pid[n]) {
			/* Hold the slot until the gate closes. */
			close(gate[1]);
			while (read(gate[0], &c, 1) < 0 && errno == EINTR)
				;
			rtos_exit(&b->session, scf_null(&b->c) ? 1 : 0);
		}
		if (pid[n] < 0) {
			last = pid[n];
			break;
		}
		n++;
	}
	tap_ok(n == (int)info.nr_slots - 1 && last == -EAGAIN, "exhaust: %d of "
	       "%u slots forked, then %s", n, info.nr_slots,
	       scf_strerror((int)last));
	close(gate[1]);
	for (i = 0; i < n; i++)
		ok += reap(pid[i]) == 0;
	close(gate[0]);
	all = ok == n && settled(b, 2000);
	tap_ok(all, "exhaust: all %d exited, slots in "
	       "use %u", n, rtos_slots_used(&b->session));
	down(b);
}

static void test_bad_args(void)
{
	static const struct { uint32_t op; uint64_t a0, a1; int64_t want;
			      const char *what; } cases[] = {
		{ SCF_OP_SYNCFORK, 7, 0, -EINVAL, "syncfork, unknown how" },
		{ SCF_OP_EXIT, 0, 9, -EINVAL, "exit, unknown how" },
		{ SCF_OP_EXIT, 256, SCF_EXIT_GROUP, -EINVAL, "exit, status > 255" },
		{ SCF_OP_EXIT, 0, SCF_EXIT_EXEC, -EOPNOTSUPP,
		  "exit(exec) on a slot with no forked pair" },
		{ SCF_OP_CLONE, 0, 0, -EINVAL, "clone without thread flags" },
		{ SCF_OP_CLONE, SCF_CLONE_THREAD | (1ull << 40), 0, -EINVAL,
		  "clone with a flag outside the allowed" },
	};
	struct bench B, *b = &B;
	struct scf_req r;
	unsigned i;
	int64_t got;

	if (up(b, NULL)) {
		tap_ok(false, "bad args: region and shadow up");
		return;
	}
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&r, 0, sizeof(r));
		r.opcode = cases[i].op;
		r.args[0] = cases[i].a0;
		r.args[1] = cases[i].a1;
		got = scf_call(&b->c, &r);
		tap_ok(got == cases[i].want, "bad args: %s: %lld (%s)",
		       cases[i].what, (long long)got, scf_strerror((int)got));
	}
	tap_ok(scf_null(&b->c) == 0 && rtos_slots_used(&b->session) == 1,
	       "bad args: the shadow still serves, no slot taken");
	down(b);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = SIG_DFL };

	if (argc > 1 && !strcmp(argv[1], "--exec-child"))
		return rtos_exec_child(argc, argv);
	setvbuf(stdout, NULL, _IOLBF, 0);
	sigaction(SIGCHLD, &sa, NULL);
	if (scf_pin_cpu(1))
		fprintf(stderr, "# cannot pin to CPU 1: running unpinned\n");
	snprintf(root, sizeof(root), "/tmp/scf-dualtest.XXXXXX");
	if (!mkdtemp(root)) {
		perror("mkdtemp");
		return 1;
	}
	tap_diag("variant %s, backend %s", scf_notify_name(),
		 scf_notify_pick(getenv("SCF_BACKEND")));
	test_fork();
	test_cycles();
	test_exec();
	test_clone();
	fault_case("fork:1", "fork() fails");
	fault_case("child:1", "the child fails holding its slot");
	fault_case("crash:1", "the child dies holding its slot");
	test_died();
	test_exhaust();
	test_bad_args();
	{
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
		if (system(cmd))
			fprintf(stderr, "# could not remove %s\n", root);
	}
	return tap_done();
}
