// SPDX-License-Identifier: MIT
/*
 * dispatch.c - one trapped system call: look it up in the table, serve
 * it (local, remote, dual), or deny it, and account for it.  Runs inside
 * the SIGSYS handler (trap.c) or behind the trampoline (tramp.c), with
 * the runtime's thread pointer.
 */
#include <asm/prctl.h>
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>

#include "calls.h"
#include "dispatch.h"
#include "raw.h"
#include "scf_arch.h"

#ifndef SYS_USER_DISPATCH
#define SYS_USER_DISPATCH	2	/* si_code of a dispatched call */
#endif

/* arch_prctl: the FS base is the program's, restored as the handler leaves. */
static int64_t do_arch_prctl(struct run_call *k)
{
	switch (k->a[0]) {
	case ARCH_SET_FS:
		*cur_call.prog_fs = k->a[1];
		return 0;
	case ARCH_GET_FS:
		*(uint64_t *)(uintptr_t)k->a[1] = *cur_call.prog_fs;
		return 0;
	case ARCH_SET_GS:
		if (runtime.threads_ok)
			return -EPERM;	/* GS holds the thread's block */
		return raw_syscall6(k->nr, k->a[0], k->a[1], 0, 0, 0, 0);
	default:
		return raw_syscall6(k->nr, k->a[0], k->a[1], 0, 0, 0, 0);
	}
}

/*
 * One call of the program, from either entry: g holds its registers (the
 * trapped context's, or the trampoline's copy) and receives its result.
 */
/*
 * The handler's own stamps are plain TSC reads, not fenced ones: a
 * fenced pair costs about 50 ns more per call (measured on the AMD EPYC
 * development VM), and what they time, the runtime's mean share of a
 * call beside its forwarded call's fenced C0..C7, needs no ordering
 * finer than the call itself.
 */
static inline uint64_t tsc_plain(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static void serve(greg_t *g, long nr, uint64_t *prog_fs, bool tramp)
{
	uint64_t t0 = tsc_plain();
	const struct run_ent *e;
	struct run_call k;

	cur_call.prog_fs = prog_fs;
	cur_call.g = g;
	if (!cur_call.rec)
		cur_call.rec = &runtime.rec;	/* the main thread's, as bench.c.rec */
	/* The backend's own signals may arrive while it waits, only now. */
	if (runtime.rt_sigs)
		raw_syscall6(SYS_rt_sigprocmask, SIG_UNBLOCK,
			     (uint64_t)(uintptr_t)&runtime.rt_sigs, 0, 8, 0, 0);
	k.nr = nr;
	k.a[0] = (uint64_t)g[REG_RDI];
	k.a[1] = (uint64_t)g[REG_RSI];
	k.a[2] = (uint64_t)g[REG_RDX];
	k.a[3] = (uint64_t)g[REG_R10];
	k.a[4] = (uint64_t)g[REG_R8];
	k.a[5] = (uint64_t)g[REG_R9];
	e = run_table(k.nr);
	if (k.nr == SYS_arch_prctl) {
		k.ret = do_arch_prctl(&k);
	} else if (!e) {
		runtime.unclassified++;
		if (k.nr >= 0 && k.nr < RUN_NR_MAX) {
			if (runtime.passthrough)
				runtime.nr[k.nr].passthrough++;
			else
				runtime.nr[k.nr].denied++;
		}
		k.ret = runtime.passthrough ?
			raw_syscall6(k.nr, k.a[0], k.a[1], k.a[2], k.a[3],
				     k.a[4], k.a[5]) : -ENOSYS;
	} else if (e->fn) {
		k.ret = e->fn(&k);
	} else {
		k.ret = raw_syscall6(k.nr, k.a[0], k.a[1], k.a[2], k.a[3],
				     k.a[4], k.a[5]);
	}
	g[REG_RAX] = (greg_t)k.ret;
	run_account(k.nr, tsc_plain() - t0, tramp);
	/* A write to a pipe nobody reads: SIGPIPE, as natively (a forwarded
	 * call's; rt_sigreturn gives back a result the handler already saw). */
	if (k.ret == -EPIPE && e && e->cls == RC_REMOTE)
		run_sigpipe();
	if (runtime.rt_sigs)
		raw_syscall6(SYS_rt_sigprocmask, SIG_BLOCK,
			     (uint64_t)(uintptr_t)&runtime.rt_sigs, 0, 8, 0, 0);
}

/*
 * A forwarded call the watcher interrupted (watch.c) ended -EINTR.  As
 * Linux: -EINTR while a handled signal the program's mask lets through
 * waits whose handler has no SA_RESTART; otherwise the call is made
 * again after the handlers: the site (a syscall, or the rewritten call
 * *%rax: both 2 bytes, both take the number in %rax) runs once more.
 */
static void intr_restart(greg_t *g, long nr, uint64_t prog_mask)
{
	const struct run_ent *e = run_table(nr);
	uint64_t pend = 0;
	int sig;

	if (g[REG_RAX] != -EINTR || !e || e->cls != RC_REMOTE)
		return;
	raw_syscall6(SYS_rt_sigpending, (uint64_t)(uintptr_t)&pend, 8, 0, 0,
		     0, 0);
	pend &= runtime.prog_handled & ~prog_mask;
	for (sig = 1; sig <= 64; sig++)
		if ((pend & (1ull << (sig - 1))) &&
		    !(runtime.sigact[sig][1] & SA_RESTART))
			return;
	g[REG_RIP] -= 2;
	g[REG_RAX] = nr;
}

void run_dispatch(siginfo_t *si, void *uctx, uint64_t *prog_fs)
{
	ucontext_t *uc = uctx;

	if (si->si_code != SYS_USER_DISPATCH)
		return;			/* a SIGSYS someone sent: not a call */
	if (si->si_syscall == RUN_CALIB_NR) {
		uc->uc_mcontext.gregs[REG_RAX] = -ENOSYS;	/* the trap alone */
		return;
	}
	if (si->si_syscall == RUN_SIGRET_NR &&
	    (uint64_t)(uintptr_t)si->si_call_addr == RUN_TRAMP_STUB + 7) {
		struct run_thr *t = cur_call.thr ? cur_call.thr : run_main_thr();

		if (!t->pend_rip)
			run_stop("the program ran the trampoline's stub itself");
		uc->uc_mcontext.gregs[REG_RIP] = (greg_t)t->pend_rip;
		uc->uc_mcontext.gregs[REG_RAX] = t->pend_ret;
		memcpy(&uc->uc_sigmask, &t->pend_mask, 8);
		t->pend_rip = 0;
		return;
	}
	cur_call.uc = uc;
	cur_call.prog_mask = (uint64_t *)&uc->uc_sigmask;
	/* Later runs of this site enter through the trampoline, if it can. */
	run_rewrite_site((uint64_t)(uintptr_t)si->si_call_addr, si->si_syscall);
	serve(uc->uc_mcontext.gregs, si->si_syscall, prog_fs, false);
	intr_restart(uc->uc_mcontext.gregs, si->si_syscall, *cur_call.prog_mask);
}

/*
 * A rewritten site's call (tramp.c): the trampoline has saved the
 * registers and switched the selector, the thread pointer and the stack.
 * Never one of the calls that need the trapped context (rewrite.c).
 */
void run_tramp_dispatch(struct run_thr *t)
{
	uint64_t handled = runtime.prog_handled, old = 0, pending = 0;
	long nr = t->g[REG_RAX];

	cur_call.uc = NULL;
	cur_call.prog_mask = NULL;
	/*
	 * The program's handlers must not run on the runtime's thread
	 * pointer: block them for the call, as the SIGSYS handler's mask
	 * does (only a program that installed one pays for it).
	 */
	if (handled)
		raw_syscall6(SYS_rt_sigprocmask, SIG_BLOCK,
			     (uint64_t)(uintptr_t)&handled,
			     (uint64_t)(uintptr_t)&old, 8, 0, 0);
	serve(t->g, nr, &t->prog_fs, true);
	intr_restart(t->g, nr, old);
	if (!handled)
		return;
	/*
	 * One the call raised (SIGPIPE, raise) or that came meanwhile waits:
	 * opened here it would run on the runtime's thread pointer.  The
	 * call returns through the stub instead, whose trap opens the mask
	 * as it returns to the program (run_dispatch()).
	 */
	if (!raw_syscall6(SYS_rt_sigpending, (uint64_t)(uintptr_t)&pending,
			  8, 0, 0, 0, 0) && (pending & handled & ~old)) {
		t->pend_rip = (uint64_t)t->g[REG_RIP];
		t->pend_ret = t->g[REG_RAX];
		t->pend_mask = old;
		t->g[REG_RIP] = RUN_TRAMP_STUB;
		return;
	}
	raw_syscall6(SYS_rt_sigprocmask, SIG_SETMASK,
		     (uint64_t)(uintptr_t)&old, 0, 8, 0, 0);
}
