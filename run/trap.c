// SPDX-License-Identifier: MIT
/*
 * trap.c - the SIGSYS handler: a trapped call's entry into the runtime,
 * served by run_dispatch(); and the start-up that puts it in place
 * (Syscall User Dispatch itself is sud.c's, the trampoline tramp.c's).
 *
 * The program owns the FS base (its TLS); the runtime's libc needs its
 * own, so the handler switches before any libc code and back before it
 * returns.  Until the switch nothing here may touch TLS: no errno, no
 * stack protector (this file is built with -fno-stack-protector).
 */
#include <asm/prctl.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/syscall.h>

#include "calls.h"
#include "dispatch.h"
#include "entry.h"
#include "raw.h"
#include "scf_arch.h"
#include "sud.h"

#ifndef HWCAP2_FSGSBASE
#define HWCAP2_FSGSBASE	(1 << 1)
#endif

static uint64_t runtime_fs;
static int have_fsgsbase;

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
	volatile char *sel = run_sud_sel();
	uint64_t prog_fs;

	(void)sig;
	*sel = RUN_SEL_ALLOW;
	/* compiler barrier: no call below may be hoisted above the switch */
	__asm__ volatile("" ::: "memory");
	prog_fs = fs_get();
	fs_set(run_sud_gs_on ? run_gs_thr()->runtime_fs : runtime_fs);
	run_dispatch(si, uc, &prog_fs);
	fs_set(prog_fs);
	__asm__ volatile("" ::: "memory");
	*sel = RUN_SEL_BLOCK;
}

int run_sud_init(void)
{
	static char altstack[256 << 10] __attribute__((aligned(64)));
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
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
	if (sigaltstack(&ss, NULL)) {
		perror("scf-run: sigaltstack");
		return -errno;
	}
	err = run_sud_handle(sud_sigsys);
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
	runtime.thr_resume = run_tramp_resume;
	if (have_fsgsbase && runtime.xsize && runtime.xsize <= (64u << 10)) {
		err = run_thr_init(run_main_thr(), runtime_fs);
		if (err) {
			fprintf(stderr, "scf-run: thread block: %s\n",
				strerror((int)-err));
			return (int)err;
		}
		__asm__ volatile("wrgsbase %0" :: "r"((uint64_t)(uintptr_t)
				 run_main_thr()) : "memory");
		run_sud_gs_on = 1;
		runtime.threads_ok = true;
	}
	err = run_rewrite_init(have_fsgsbase, run_tramp_entry);
	if (err) {
		fprintf(stderr, "scf-run: trampoline: %s\n", strerror((int)-err));
		return (int)err;
	}
	return run_sud_arm();
}

uint64_t run_sud_calibrate(unsigned n, bool trapped)
{
	volatile char *sel = run_sud_sel();
	uint64_t t0, t1;
	unsigned i;

	/* Nothing between the two stores may call libc: it would trap. */
	*sel = trapped ? RUN_SEL_BLOCK : RUN_SEL_ALLOW;
	__asm__ volatile("" ::: "memory");
	t0 = scf_rdtsc_ordered();
	for (i = 0; i < n; i++)
		raw_syscall6(RUN_CALIB_NR, 0, 0, 0, 0, 0, 0);
	t1 = scf_rdtsc_ordered();
	__asm__ volatile("" ::: "memory");
	*sel = RUN_SEL_ALLOW;
	return t1 - t0;
}

void run_sud_enter(uint64_t entry, uint64_t sp)
{
	/* From the BLOCK store on, the program's calls trap; none is made here. */
	__asm__ volatile("mov %0, %%rsp\n\t"
			 "movb $" "1" ", (%2)\n\t"	/* RUN_SEL_BLOCK */
			 "xor %%edx, %%edx\n\t"	/* no atexit function */
			 "xor %%ebp, %%ebp\n\t"
			 "jmp *%1\n\t"
			 :: "D"(sp), "S"(entry), "r"(run_sud_sel()) : "memory");
	__builtin_unreachable();
}
