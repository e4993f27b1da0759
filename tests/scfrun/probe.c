// SPDX-License-Identifier: MIT
/*
 * probe.c - a program that misbehaves on purpose, run under scf-run by
 * tests/scfrun/run.sh: each mode makes one call the runtime must deny,
 * refuse or stop, or one dual call (fork), and prints what it returned.
 */
#include <errno.h>
#include <stdint.h>
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

/*
 * regs: what the kernel keeps across `syscall` is kept under scf-run,
 * by a trap and by a rewritten site alike: every general register but
 * rax, rcx, r11, and the vector registers.  One site (`mov $39, %eax;
 * syscall`, the wrappers' form) run several times: the first run traps,
 * the later ones go through the trampoline where rewriting is on.
 */
static struct { uint64_t gpr[11]; uint64_t xmm[6]; } rin, rout;

static int regs(void)
{
	int i, round, bad = 0;

	for (i = 0; i < 11; i++)
		rin.gpr[i] = 0x1111111111111111ull * (uint64_t)(i + 1) + 0x0123;
	for (i = 0; i < 6; i++)
		rin.xmm[i] = 0xa5a5a5a500000000ull + (uint64_t)i;
	for (round = 0; round < 4; round++) {
		memset(&rout, 0, sizeof(rout));
		__asm__ volatile(
			"movq 0+%[i], %%rbx\n movq 8+%[i], %%r12\n"
			"movq 16+%[i], %%r13\n movq 24+%[i], %%r14\n"
			"movq 32+%[i], %%r15\n movq 40+%[i], %%rdi\n"
			"movq 48+%[i], %%rsi\n movq 56+%[i], %%rdx\n"
			"movq 64+%[i], %%r8\n movq 72+%[i], %%r9\n"
			"movq 80+%[i], %%r10\n"
			"movdqu 88+%[i], %%xmm0\n movdqu 104+%[i], %%xmm8\n"
			"movdqu 120+%[i], %%xmm15\n"
			"mov $39, %%eax\n syscall\n"
			"movq %%rbx, 0+%[o]\n movq %%r12, 8+%[o]\n"
			"movq %%r13, 16+%[o]\n movq %%r14, 24+%[o]\n"
			"movq %%r15, 32+%[o]\n movq %%rdi, 40+%[o]\n"
			"movq %%rsi, 48+%[o]\n movq %%rdx, 56+%[o]\n"
			"movq %%r8, 64+%[o]\n movq %%r9, 72+%[o]\n"
			"movq %%r10, 80+%[o]\n"
			"movdqu %%xmm0, 88+%[o]\n movdqu %%xmm8, 104+%[o]\n"
			"movdqu %%xmm15, 120+%[o]\n"
			: [o] "=m"(rout) : [i] "m"(rin)
			: "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "r8", "r9",
			  "r10", "r11", "r12", "r13", "r14", "r15", "xmm0",
			  "xmm8", "xmm15", "memory");
		if (memcmp(&rin, &rout, sizeof(rin)))
			bad++;
	}
	/* The upper halves of the ymm registers, where there are any. */
	if (__builtin_cpu_supports("avx")) {
		static uint64_t yin[4] = { 1, 2, 3, 0xfeedfacecafebeefull },
				yout[4];

		for (round = 0; round < 4; round++) {
			memset(yout, 0, sizeof(yout));
			__asm__ volatile("vmovdqu %[i], %%ymm1\n"
					 "mov $39, %%eax\n syscall\n"
					 "vmovdqu %%ymm1, %[o]\n"
					 : [o] "=m"(yout) : [i] "m"(yin)
					 : "rax", "rcx", "r11", "xmm1", "memory");
			if (memcmp(yin, yout, sizeof(yin)))
				bad++;
		}
	}
	printf("regs kept %d of %d rounds\n", bad ? 0 : 4, 4);
	return bad != 0;
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";
	long r;

	if (!strcmp(m, "regs")) {
		return regs();
	} else if (!strcmp(m, "enosys")) {		/* outside the table */
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
