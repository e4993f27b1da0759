// SPDX-License-Identifier: MIT
/*
 * probe.c - a program that misbehaves on purpose, run under scf-run by
 * tests/scfrun/run.sh: each mode makes one call the runtime must deny,
 * refuse or stop, or one dual call (fork), and prints what it returned.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";
	long r;

	if (!strcmp(m, "enosys")) {		/* outside the table */
		r = syscall(SYS_socket, AF_UNIX, SOCK_STREAM, 0);
		printf("socket %s errno %d\n", r < 0 ? "-1" : "fd",
		       r < 0 ? errno : 0);
	} else if (!strcmp(m, "escape")) {	/* out of --root */
		r = open("../../../../../../etc/passwd", O_RDONLY);
		printf("open %ld errno %d\n", r, r < 0 ? errno : 0);
	} else if (!strcmp(m, "sud-off")) {	/* PR_SYS_DISPATCH_OFF */
		r = prctl(59, 0, 0, 0, 0);
		printf("prctl %ld\n", r);
	} else if (!strcmp(m, "unmap")) {	/* everything, runtime included */
		r = munmap((void *)0x10000, 0x7ff000000000ul);
		printf("munmap %ld\n", r);
	} else if (!strcmp(m, "mapover")) {
		void *p = mmap((void *)0x10000, 0x7ff000000000ul, PROT_READ,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		printf("mmap %p\n", p);
	} else if (!strcmp(m, "fork")) {	/* the dual path */
		int st = -1;

		fflush(stdout);
		r = fork();
		if (!r) {	/* still dispatched: outside the table, -ENOSYS */
			long s = syscall(SYS_socket, AF_UNIX, SOCK_STREAM, 0);

			printf("child writes, socket %ld\n", s < 0 ? -errno : s);
			return 7;
		}
		if (r > 0 && waitpid((pid_t)r, &st, 0) != r)
			st = -1;
		printf("fork %s, child status %d\n", r > 0 ? "ok" : "failed",
		       WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	} else if (!strcmp(m, "dupover")) {	/* onto the shadow's own fds */
		int fd, refused = 0, moved = 0, bad = 0;
		char buf[8];

		for (fd = 3; fd < 64; fd++) {
			r = dup2(1, fd);
			if (r == fd)
				moved++;
			else if (r < 0 && errno == EBADF)
				refused++;
			else
				bad++;
		}
		r = fcntl(1, F_DUPFD, 5000);
		fd = open("text", O_RDONLY);
		printf("refused %d moved %d bad %d dupfd5000 %ld errno %d read %zd\n",
		       refused, moved, bad, r, errno,
		       fd >= 0 ? read(fd, buf, sizeof(buf)) : (ssize_t)-1);
	} else if (!strcmp(m, "kill")) {	/* the group holds the shadow */
		long self;

		r = kill(0, SIGTERM);
		printf("kill(0) %ld errno %d", r, r < 0 ? errno : 0);
		self = kill(getpid(), 0);
		printf(" kill(self) %ld\n", self);
	} else if (!strcmp(m, "thread")) {	/* refused, never a hang */
		r = syscall(SYS_clone, 0x50f00, 0, 0, 0, 0);
		printf("clone %ld errno %d\n", r, r < 0 ? errno : 0);
	} else if (!strcmp(m, "exec") && argc > 2) {	/* the dual path */
		char *av[] = { argv[2], "enosys", NULL };

		fflush(stdout);
		r = execv(av[0], av);
		printf("execv %ld errno %d\n", r, r < 0 ? errno : 0);
	} else {
		fprintf(stderr, "probe: unknown mode '%s'\n", m);
		return 2;
	}
	return 0;
}
