// SPDX-License-Identifier: MIT
/*
 * signal.c - the program's own signal handlers, delivered.
 *
 * A handler the program installs is installed with the host kernel as
 * it asked (its flags but SA_ONSTACK: the host's alternate stack is the
 * runtime's; its restorer; its mask but SIGSYS, which carries its calls
 * and must never be blocked).  The kernel then delivers it in the
 * program's own context: on its stack, with its thread pointer, its
 * calls trapping as any other.  While the runtime runs (the SIGSYS
 * handler, a rewritten site's call) the signals the program handles
 * are blocked: the SIGSYS handler's sa_mask holds them, and the
 * trampoline's path blocks them around the call.  A signal raised
 * meanwhile (kill, raise, a timer, SIGCHLD) stays pending and is
 * delivered as the call returns to the program, where natively it is
 * delivered as the call returns to user space.
 *
 * The handler returns through its restorer's rt_sigreturn, which traps
 * like any call (never rewritten: rewrite.c): the runtime copies the
 * program's signal frame (registers, extended state, mask) into the
 * trapped context, so the SIGSYS handler's own sigreturn resumes the
 * program where the signal stopped it.
 *
 * Calls that wait for a signal (pause, rt_sigsuspend) wait for one of
 * the program's handled signals with sigwaitinfo and raise it again on
 * this thread, so it is delivered, in the program's context, as the
 * call returns -EINTR.  A sleep is not cut short by a handled signal:
 * it runs its length, then the handler runs.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "calls.h"
#include "raw.h"

#define PTR(x)		((void *)(uintptr_t)(x))
#define BIT(sig)	(1ull << ((sig) - 1))
#ifndef SA_RESTORER
#define SA_RESTORER	0x04000000
#endif
#ifndef FP_XSTATE_MAGIC1
#define FP_XSTATE_MAGIC1	0x46505853u
#endif

struct ksigaction {
	uint64_t handler, flags, restorer, mask;
};

/* A handler of the program's, or its DFL/IGN, with the host kernel. */
int64_t run_sig_install(int sig, const uint64_t *act)
{
	struct ksigaction ka = { act[0], act[1], act[2], act[3] };
	bool handled = act[0] != (uint64_t)(uintptr_t)SIG_DFL &&
		       act[0] != (uint64_t)(uintptr_t)SIG_IGN;
	int64_t r;

	if (handled) {
		ka.flags &= ~(uint64_t)SA_ONSTACK;
		ka.mask &= ~BIT(SIGSYS);
		if (!(ka.flags & SA_RESTORER))
			return -EINVAL;	/* x86-64 has no default restorer */
	} else {
		ka.flags = ka.restorer = ka.mask = 0;
	}
	r = raw_syscall6(SYS_rt_sigaction, (uint64_t)sig,
			 (uint64_t)(uintptr_t)&ka, 0, 8, 0, 0);
	if (r)
		return r;
	if (handled == !(R.prog_handled & BIT(sig)))
		run_sud_mask(handled ? R.prog_handled | BIT(sig) :
				       R.prog_handled & ~BIT(sig));
	return 0;
}

/*
 * rt_sigreturn from the program's handler: the frame the kernel built
 * for it sits at the trapped stack pointer (its restorer's ret popped
 * the return address); its registers, extended state and mask become
 * the trapped context's, which the SIGSYS handler's sigreturn restores.
 */
int64_t rl_rt_sigreturn(struct run_call *k)
{
	ucontext_t *uc = RC.uc;
	ucontext_t *pf;
	uint8_t *from, *to;
	uint32_t n = 512, m = 512;
	uint64_t mask;

	(void)k;
	if (!uc)
		run_stop("rt_sigreturn without a trapped context");
	pf = (ucontext_t *)(uintptr_t)uc->uc_mcontext.gregs[REG_RSP];
	memcpy(uc->uc_mcontext.gregs, pf->uc_mcontext.gregs,
	       sizeof(uc->uc_mcontext.gregs));
	from = (uint8_t *)pf->uc_mcontext.fpregs;
	to = (uint8_t *)uc->uc_mcontext.fpregs;
	if (from && to) {
		uint32_t fm, tm;

		/* the xsave's size, in the software bytes at 464 (sigcontext.h) */
		memcpy(&fm, from + 464, 4);
		memcpy(&tm, to + 464, 4);
		if (fm == FP_XSTATE_MAGIC1 && tm == FP_XSTATE_MAGIC1) {
			memcpy(&n, from + 468, 4);
			memcpy(&m, to + 468, 4);
			n = n < m ? n : m;
		}
		memcpy(to, from, n);
	}
	memcpy(&mask, &pf->uc_sigmask, 8);
	mask = (mask & ~(BIT(SIGSYS) | BIT(SIGKILL) | BIT(SIGSTOP))) | R.rt_sigs;
	memcpy(&uc->uc_sigmask, &mask, 8);
	return uc->uc_mcontext.gregs[REG_RAX];	/* as the kernel's returns */
}

/* Wait for a handled signal the program's mask lets through; re-raise it. */
static int64_t wait_handled(uint64_t prog_mask)
{
	uint64_t set = R.prog_handled & ~prog_mask;
	siginfo_t si;
	int64_t r;

	if (!set)	/* nothing it handles can come: as natively, for ever */
		return raw_syscall6(SYS_pause, 0, 0, 0, 0, 0, 0);
	r = raw_syscall6(SYS_rt_sigtimedwait, (uint64_t)(uintptr_t)&set,
			 (uint64_t)(uintptr_t)&si, 0, 8, 0, 0);
	if (r > 0)
		syscall(SYS_tgkill, getpid(), (pid_t)syscall(SYS_gettid), (int)r);
	return -EINTR;
}

int64_t rl_pause(struct run_call *k)
{
	(void)k;
	return wait_handled(RC.prog_mask ? *RC.prog_mask : 0);
}

/* rt_sigsuspend: the mask asked for while waiting, the old one after. */
int64_t rl_rt_sigsuspend(struct run_call *k)
{
	if (k->a[1] != 8)
		return -EINVAL;
	return wait_handled(*(uint64_t *)PTR(k->a[0]));
}

/* A write to a pipe nobody reads: SIGPIPE, as the kernel would send it. */
void run_sigpipe(void)
{
	const uint64_t *h = R.sigact[SIGPIPE];

	if (h[0] == (uint64_t)(uintptr_t)SIG_IGN)
		return;
	if (h[0] == (uint64_t)(uintptr_t)SIG_DFL)
		run_die(SIGPIPE);
	/* pending until the call returns to the program, then delivered */
	syscall(SYS_tgkill, getpid(), (pid_t)syscall(SYS_gettid), SIGPIPE);
}
