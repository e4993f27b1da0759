// SPDX-License-Identifier: MIT
/*
 * sud.c - Syscall User Dispatch: every system call the program makes
 * becomes a SIGSYS, served by run_dispatch() in this process (until its
 * site is rewritten: rewrite.c).
 *
 * The selector byte is ALLOW while the runtime runs and BLOCK while the
 * program runs; each thread has its own, in the block %gs points at
 * (thread.c), or one global one without FSGSBASE.  The handler's return (rt_sigreturn) happens after the
 * selector is back to BLOCK, so it must come from the exempt range: a
 * restorer of our own, alone in that range.  The program owns the FS
 * base (its TLS); the runtime's libc needs its own, so the handler
 * switches before any libc code and back before it returns.  Until the
 * switch nothing here may touch TLS: no errno, no stack protector (this
 * file is built with -fno-stack-protector).
 */
#include <asm/prctl.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "raw.h"
#include "run.h"
#include "scf_arch.h"

#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH	59
#define PR_SYS_DISPATCH_ON		1
#endif
#ifndef SA_RESTORER
#define SA_RESTORER	0x04000000	/* the kernel ABI; glibc hides it */
#endif
#define SEL_ALLOW	0
#define SEL_BLOCK	1
#ifndef HWCAP2_FSGSBASE
#define HWCAP2_FSGSBASE	(1 << 1)
#endif

static volatile char selector = SEL_ALLOW;	/* without a block per thread */
static uint64_t runtime_fs;
static int have_fsgsbase;
static int gs_on;	/* %gs points at each thread's block (thread.c) */

static inline struct run_thr *gs_thr(void)
{
	struct run_thr *t;

	__asm__ volatile("movq %%gs:224, %0" : "=r"(t));	/* T_SELF */
	return t;
}

/* This thread's selector byte: its block's, or the one global. */
static inline volatile char *cur_sel(void)
{
	return gs_on ? &gs_thr()->sel : &selector;
}

/* The exempt range: rt_sigreturn and nothing else. */
extern const char sud_exempt_start[], sud_exempt_end[];
__asm__(".pushsection .text.scf_sud_exempt,\"ax\",@progbits\n"
	".hidden sud_exempt_start\n.hidden sud_exempt_end\n"
	".globl sud_exempt_start\n.globl sud_exempt_end\n"
	"sud_exempt_start:\n"
	"	movl $" "15" ", %eax\n"		/* __NR_rt_sigreturn */
	"	syscall\n"
	"	hlt\n"
	"sud_exempt_end:\n"
	".popsection\n");

static inline uint64_t fs_get(void)
{
	uint64_t v = 0;

	if (have_fsgsbase)
		__asm__ volatile("rdfsbase %0" : "=r"(v));
	else
		raw_syscall6(SYS_arch_prctl, ARCH_GET_FS, (uint64_t)(uintptr_t)&v,
			     0, 0, 0, 0);
	return v;
}

static inline void fs_set(uint64_t v)
{
	if (have_fsgsbase)
		__asm__ volatile("wrfsbase %0" :: "r"(v) : "memory");
	else
		raw_syscall6(SYS_arch_prctl, ARCH_SET_FS, v, 0, 0, 0, 0);
}

static void sud_sigsys(int sig, siginfo_t *si, void *uc)
{
	volatile char *sel = cur_sel();
	uint64_t prog_fs;

	(void)sig;
	*sel = SEL_ALLOW;
	/* compiler barrier: no call below may be hoisted above the switch */
	__asm__ volatile("" ::: "memory");
	prog_fs = fs_get();
	fs_set(gs_on ? gs_thr()->runtime_fs : runtime_fs);
	run_dispatch(si, uc, &prog_fs);
	fs_set(prog_fs);
	__asm__ volatile("" ::: "memory");
	*sel = SEL_BLOCK;
}

struct ksigaction {
	void *handler;
	unsigned long flags;
	const void *restorer;
	uint64_t mask;
};

static struct ksigaction sigsys_ka = {
	.handler = (void *)sud_sigsys,
	.flags = SA_SIGINFO | SA_RESTORER | SA_ONSTACK,
	.restorer = sud_exempt_start,
};

void run_sud_mask(uint64_t prog_handled)
{
	runtime.prog_handled = prog_handled;
	sigsys_ka.mask = runtime.rt_sigs | prog_handled;
	raw_syscall6(SYS_rt_sigaction, SIGSYS, (uint64_t)(uintptr_t)&sigsys_ka,
		     0, 8, 0, 0);
}

int run_sud_init(void)
{
	static char altstack[256 << 10] __attribute__((aligned(64)));
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
	struct ksigaction *ka = &sigsys_ka;
	long err;

	sigset_t block;
	int sig;

	/* A handler of the runtime's own must never run with the program's FS. */
	sigemptyset(&block);
	runtime.rt_sigs = 0;
	for (sig = 1; sig <= 64; sig++) {
		struct sigaction sa;

		if (sig == SIGSYS || sigaction(sig, NULL, &sa) ||
		    sa.sa_handler == SIG_DFL || sa.sa_handler == SIG_IGN)
			continue;
		runtime.rt_sigs |= 1ull << (sig - 1);
		sigaddset(&block, sig);
	}
	have_fsgsbase = (getauxval(AT_HWCAP2) & HWCAP2_FSGSBASE) != 0;
	runtime_fs = 0;
	raw_syscall6(SYS_arch_prctl, ARCH_GET_FS,
		     (uint64_t)(uintptr_t)&runtime_fs, 0, 0, 0, 0);
	/*
	 * The runtime's own signals wait until the handler has switched FS;
	 * any other has no handler here (DFL or IGN), so SIGINT and SIGTERM
	 * still end a run that waits inside the handler.
	 */
	ka->mask = runtime.rt_sigs;
	if (sigaltstack(&ss, NULL)) {
		perror("scf-run: sigaltstack");
		return -errno;
	}
	err = raw_syscall6(SYS_rt_sigaction, SIGSYS, (uint64_t)(uintptr_t)ka,
			   0, 8, 0, 0);
	if (err) {
		fprintf(stderr, "scf-run: SIGSYS handler: %s\n", strerror((int)-err));
		return (int)err;
	}
	if (sigprocmask(SIG_BLOCK, &block, NULL)) {
		perror("scf-run: sigprocmask");
		return -errno;
	}
	/*
	 * A block per thread, where %gs points: its selector, its runtime
	 * thread pointer, the trampoline's save area.  Needs FSGSBASE (the
	 * trampoline reads %gs, the handler switches FS without a call) and
	 * XSAVEC (the trampoline keeps the vector registers).
	 */
	runtime.xsize = run_xsave_size();
	if (runtime.xsize)
		runtime.xmode = run_xmode();
	if (have_fsgsbase && runtime.xsize && runtime.xsize <= (64u << 10)) {
		err = run_thr_init(run_main_thr(), runtime_fs);
		if (err) {
			fprintf(stderr, "scf-run: thread block: %s\n",
				strerror((int)-err));
			return (int)err;
		}
		__asm__ volatile("wrgsbase %0" :: "r"((uint64_t)(uintptr_t)
				 run_main_thr()) : "memory");
		gs_on = 1;
		runtime.threads_ok = true;
	}
	err = run_rewrite_init(have_fsgsbase);
	if (err) {
		fprintf(stderr, "scf-run: trampoline: %s\n", strerror((int)-err));
		return (int)err;
	}
	return run_sud_arm();
}

/* Dispatch on for this task: at start, and in a fork, which the kernel
 * does not give it (the handler, the alternate stack and the selector's
 * memory it does give). */
int run_sud_arm(void)
{
	if (prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON,
		  (unsigned long)(uintptr_t)sud_exempt_start,
		  (unsigned long)(sud_exempt_end - sud_exempt_start),
		  (unsigned long)(uintptr_t)cur_sel())) {
		fprintf(stderr, "scf-run: Syscall User Dispatch (Linux >= 5.11) "
			"refused: %s\n", strerror(errno));
		return -errno;
	}
	return 0;
}

uint64_t run_sud_calibrate(unsigned n, bool trapped)
{
	volatile char *sel = cur_sel();
	uint64_t t0, t1;
	unsigned i;

	/* Nothing between the two stores may call libc: it would trap. */
	*sel = trapped ? SEL_BLOCK : SEL_ALLOW;
	__asm__ volatile("" ::: "memory");
	t0 = scf_rdtsc_ordered();
	for (i = 0; i < n; i++)
		raw_syscall6(RUN_CALIB_NR, 0, 0, 0, 0, 0, 0);
	t1 = scf_rdtsc_ordered();
	__asm__ volatile("" ::: "memory");
	*sel = SEL_ALLOW;
	return t1 - t0;
}

void run_sud_enter(uint64_t entry, uint64_t sp)
{
	/* From the BLOCK store on, the program's calls trap; none is made here. */
	__asm__ volatile("mov %0, %%rsp\n\t"
			 "movb $" "1" ", (%2)\n\t"	/* SEL_BLOCK */
			 "xor %%edx, %%edx\n\t"	/* no atexit function */
			 "xor %%ebp, %%ebp\n\t"
			 "jmp *%1\n\t"
			 :: "D"(sp), "S"(entry), "r"(cur_sel()) : "memory");
	__builtin_unreachable();
}
