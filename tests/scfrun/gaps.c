// SPDX-License-Identifier: MIT
/*
 * gaps.c MODE - what scf-run must do as Linux does, one mode a run; it
 * prints what each call returned, so a run under scf-run and a native
 * one are compared line by line.  Static: it runs under any --root.
 *
 *   files   rename, renameat, renameat2 (NOREPLACE, EXCHANGE), chown,
 *           lchown, fchown, fchownat to the caller's own uid and gid
 *   eintr   alarm(1), a handler without SA_RESTART, read of an empty
 *           pipe whose writer never writes: -1 EINTR, the handler ran;
 *           twice through the same read (trapped, then rewritten)
 *   restart the same with SA_RESTART: the handler runs while the read
 *           waits, the read goes on and gets what a child writes later
 *   altstack an SA_ONSTACK handler runs on the alternate stack the program
 *           set (a local's address lies inside it), one without SA_ONSTACK
 *           does not; sigaltstack reports SS_ONSTACK inside the handler
 *   threads 2000 threads created and joined one after another; the
 *           process's peak RSS (getrusage: scf-run's own under scf-run)
 *           grows by less than 16 MiB from the 200th to the last
 *   forkthr a second thread forks while the first one waits in a join:
 *           the child has that thread alone, writes through the pipe,
 *           makes a thread of its own, exits 5; the parent reads it
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE	1
#define RENAME_EXCHANGE		2
#endif

static void said(const char *what, long r)
{
	printf("%s %ld errno %d\n", what, r, r < 0 ? errno : 0);
	errno = 0;
}

/* The file's first bytes, or "-" when it cannot be read. */
static void show(const char *path)
{
	char b[16] = "-";
	int fd = open(path, O_RDONLY);
	long n;

	if (fd >= 0) {
		n = read(fd, b, sizeof(b) - 1);
		b[n > 0 ? n : 0] = 0;
		close(fd);
	}
	printf("  %s: %s\n", path, b);
}

static void put(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd >= 0) {
		if (write(fd, s, strlen(s)) < 0)
			perror("write");
		close(fd);
	}
}

static int files(void)
{
	long uid = getuid(), gid = getgid();
	struct stat st;
	int fd, dfd;

	mkdir("gd", 0755);
	put("ga", "alpha");
	put("gb", "beta");
	said("rename ga gc", syscall(SYS_rename, "ga", "gc"));
	show("ga");
	show("gc");
	said("rename missing", syscall(SYS_rename, "nothere", "gx"));
	said("renameat gc gd/ga", syscall(SYS_renameat, AT_FDCWD, "gc",
					 AT_FDCWD, "gd/ga"));
	show("gd/ga");
	dfd = open("gd", O_RDONLY | O_DIRECTORY);
	said("renameat dirfd", syscall(SYS_renameat, dfd, "ga", dfd, "gz"));
	show("gd/gz");
	said("renameat2 noreplace onto a file",
	     syscall(SYS_renameat2, AT_FDCWD, "gb", dfd, "gz",
		     RENAME_NOREPLACE));
	said("renameat2 exchange", syscall(SYS_renameat2, AT_FDCWD, "gb", dfd,
					   "gz", RENAME_EXCHANGE));
	show("gb");
	show("gd/gz");
	said("renameat2 bad flags", syscall(SYS_renameat2, AT_FDCWD, "gb",
					    AT_FDCWD, "gy", 3));
	said("rename over a file", syscall(SYS_rename, "gb", "gd/gz"));
	show("gb");
	show("gd/gz");

	fd = open("gd/gz", O_RDWR);
	said("fchown own", syscall(SYS_fchown, fd, uid, gid));
	said("fchown -1 -1", syscall(SYS_fchown, fd, -1L, -1L));
	said("fchown bad fd", syscall(SYS_fchown, 999, uid, gid));
	said("chown own", syscall(SYS_chown, "gd/gz", uid, gid));
	said("chown missing", syscall(SYS_chown, "gd/nothere", uid, gid));
	said("lchown own", syscall(SYS_lchown, "gd/gz", uid, -1L));
	said("fchownat own", syscall(SYS_fchownat, dfd, "gz", -1L, gid,
				     AT_SYMLINK_NOFOLLOW));
	said("fchownat empty path", syscall(SYS_fchownat, fd, "", uid, gid,
					    AT_EMPTY_PATH));
	said("fchownat bad flags", syscall(SYS_fchownat, dfd, "gz", uid, gid,
					   0x4));
	if (!fstat(fd, &st))
		printf("owner is caller: %d\n", st.st_uid == (uid_t)uid &&
		       st.st_gid == (gid_t)gid);
	close(fd);
	close(dfd);
	said("unlink", syscall(SYS_unlinkat, AT_FDCWD, "gd/gz", 0));
	said("rmdir", syscall(SYS_unlinkat, AT_FDCWD, "gd", AT_REMOVEDIR));
	return 0;
}

static volatile int ran;
static volatile double ran_at;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void on_alarm(int sig)
{
	(void)sig;
	ran++;
	ran_at = now();
}

static long blocking_read(int fd, char *b, size_t n)
{
	return read(fd, b, n);
}

static int interrupted(bool restart)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	char b[16] = "";
	int p[2], round, st = -1;
	double t0;
	long r;
	pid_t pid = 0;

	sa.sa_flags = restart ? SA_RESTART : 0;
	if (pipe(p) || sigaction(SIGALRM, &sa, NULL))
		return 1;
	for (round = 1; round <= 2; round++) {
		if (restart) {
			pid = fork();
			if (pid == 0) {
				struct timespec two = { 2, 0 };

				nanosleep(&two, NULL);
				r = write(p[1], "late", 4);
				_exit(r == 4 ? 0 : 1);
			}
		}
		ran = 0;
		t0 = now();
		alarm(1);
		errno = 0;
		r = blocking_read(p[0], b, sizeof(b) - 1);
		b[r > 0 ? r : 0] = 0;
		printf("round %d: read %ld errno %d '%s', handler ran %d, "
		       "while the read waited %d\n", round, r, r < 0 ? errno : 0,
		       b, ran, ran && ran_at > t0 + 0.5 && now() > ran_at + 0.5);
		if (pid > 0) {
			waitpid(pid, &st, 0);
			printf("child status %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
		}
	}
	return 0;
}

static void *thread_fn(void *arg)
{
	return arg;
}

static long max_rss_kib(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_SELF, &ru) ? -1 : ru.ru_maxrss;
}

static int threads(void)
{
	long at200 = 0, joined = 0;
	pthread_t t;
	void *r;
	int i;

	for (i = 1; i <= 2000; i++) {
		if (pthread_create(&t, NULL, thread_fn, (void *)(uintptr_t)i) ||
		    pthread_join(t, &r))
			break;
		joined += r == (void *)(uintptr_t)i;
		if (i == 200)
			at200 = max_rss_kib();
	}
	printf("threads joined %ld\n", joined);
	printf("peak rss bounded %d\n", at200 > 0 &&
	       max_rss_kib() - at200 < 16 * 1024);
	fprintf(stderr, "peak rss at 200: %ld KiB, at the end: %ld KiB\n",
		at200, max_rss_kib());
	return 0;
}

static int fork_pipe[2];

static void *forker(void *arg)
{
	char b[32] = "";
	int st = -1;
	pid_t pid;
	long n;

	(void)arg;
	pid = fork();
	if (pid == 0) {
		pthread_t t;
		void *r = NULL;
		int ok = !pthread_create(&t, NULL, thread_fn, (void *)7) &&
			 !pthread_join(t, &r) && r == (void *)7;

		n = write(fork_pipe[1], ok ? "child ok" : "child bad", ok ? 8 : 9);
		_exit(n > 0 ? 5 : 1);
	}
	if (pid < 0)
		return (void *)1;
	n = read(fork_pipe[0], b, sizeof(b) - 1);
	b[n > 0 ? n : 0] = 0;
	waitpid(pid, &st, 0);
	printf("fork from a thread: child says '%s', status %d\n", b,
	       WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return NULL;
}

static volatile int forked_done;

static void *forker_flag(void *arg)
{
	void *r = forker(arg);

	forked_done = 1;
	return r;
}

/* Twice: the other thread waiting in a join, then busy with writes. */
static int forkthr(void)
{
	pthread_t t;
	void *r = (void *)1;
	long writes = 0;
	int fd;

	if (pipe(fork_pipe) || pthread_create(&t, NULL, forker, NULL) ||
	    pthread_join(t, &r))
		return 1;
	printf("forker joined %d\n", r == NULL);
	fd = open("gfw", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || pthread_create(&t, NULL, forker_flag, NULL))
		return 1;
	while (!forked_done)
		writes += write(fd, "w", 1) == 1;
	if (pthread_join(t, &r))
		return 1;
	close(fd);
	unlink("gfw");
	printf("forker beside a writing thread joined %d, writes made %d\n",
	       r == NULL, writes > 0);
	return 0;
}

static void *writer(void *arg)
{
	int fd = open("gfw2", O_WRONLY | O_CREAT | O_TRUNC, 0644);

	(void)arg;
	while (!forked_done)
		if (write(fd, "w", 1) != 1)
			break;
	close(fd);
	return NULL;
}

/* 200 forks while another thread forwards writes without a pause. */
static int forkmany(void)
{
	int i, ok = 0, st;
	pthread_t t;
	char c;

	if (pipe(fork_pipe) || pthread_create(&t, NULL, writer, NULL))
		return 1;
	for (i = 0; i < 200; i++) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(write(fork_pipe[1], "c", 1) == 1 ? 0 : 1);
		if (pid < 0)
			break;
		ok += read(fork_pipe[0], &c, 1) == 1 &&
		      waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
		      !WEXITSTATUS(st);
	}
	forked_done = 1;
	pthread_join(t, NULL);
	unlink("gfw2");
	printf("forks beside a writing thread: %d of 200 children ran\n", ok);
	return 0;
}

static char *alt_lo, *alt_hi;
static volatile int in_alt, alt_flags;

static void on_usr(int sig)
{
	char local;
	stack_t now;

	in_alt = &local >= alt_lo && &local < alt_hi;
	alt_flags = sigaltstack(NULL, &now) ? -1 : now.ss_flags;
	(void)sig;
}

static int altstack(void)
{
	static char mem[1 << 16] __attribute__((aligned(16)));
	stack_t ss = { .ss_sp = mem, .ss_size = sizeof(mem) }, old;
	struct sigaction sa = { .sa_handler = on_usr, .sa_flags = SA_ONSTACK };
	int i;

	alt_lo = mem;
	alt_hi = mem + sizeof(mem);
	said("sigaltstack", sigaltstack(&ss, NULL));
	said("sigaltstack query", sigaltstack(NULL, &old));
	printf("  set %d size %zu flags %d\n", old.ss_sp == mem, old.ss_size,
	       old.ss_flags);
	said("sigaltstack too small", sigaltstack(&(stack_t){ .ss_sp = mem,
						 .ss_size = 100 }, NULL));
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_flags = 0;
	sigaction(SIGUSR2, &sa, NULL);
	for (i = 0; i < 2; i++) {
		in_alt = -1;
		raise(SIGUSR1);
		printf("SA_ONSTACK: handler on the alternate stack %d, "
		       "sigaltstack there says %d\n", in_alt, alt_flags);
		in_alt = -1;
		raise(SIGUSR2);
		printf("no SA_ONSTACK: handler on the alternate stack %d, "
		       "sigaltstack there says %d\n", in_alt, alt_flags);
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(m, "files"))
		return files();
	if (!strcmp(m, "eintr") || !strcmp(m, "restart"))
		return interrupted(!strcmp(m, "restart"));
	if (!strcmp(m, "altstack"))
		return altstack();
	if (!strcmp(m, "threads"))
		return threads();
	if (!strcmp(m, "forkthr"))
		return forkthr();
	if (!strcmp(m, "forkmany"))
		return forkmany();
	fprintf(stderr, "usage: gaps files|eintr|restart|altstack|threads|forkthr\n");
	return 2;
}
