// SPDX-License-Identifier: MIT
/*
 * signal.c - the program's own signal handlers, delivered.
 *
 * A handler the program installs is installed with the host kernel as
 * it asked (its flags, its restorer; its mask but SIGSYS, which carries
 * its calls and must never be blocked; with SA_ONSTACK, onstack() in
 * front of it, since the host's alternate stack is the runtime's).  The
 * kernel then delivers it in the
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
 * it runs its length, then the handler runs.  A forwarded call that
 * waits is interrupted through the shadow (watch.c, dispatch.c).
 */
#include <errno.h>
#include <stddef.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "calls.h"
#include "raw.h"
#include "sud.h"

#define PTR(x)		((void *)(uintptr_t)(x))
#define BIT(sig)	(1ull << ((sig) - 1))
#ifndef SA_RESTORER
#define SA_RESTORER	0x04000000
#endif
#ifndef SS_AUTODISARM
#define SS_AUTODISARM	(1u << 31)
#endif
#ifndef FP_XSTATE_MAGIC1
#define FP_XSTATE_MAGIC1	0x46505853u
#endif

struct ksigaction {
	uint64_t handler, flags, restorer, mask;
};

/* The program's alternate signal stack (sigaltstack), one per process. */
static struct {
	uint64_t sp, size;
	int flags;
} alt = { 0, 0, SS_DISABLE };

#define UC_COPY		(offsetof(ucontext_t, uc_sigmask) + 8)	/* the kernel's */
#define SI_SIZE		128

#if defined(__has_attribute)
#if __has_attribute(no_stack_protector)
#define NO_SSP	__attribute__((no_stack_protector))
#endif
#endif
#ifndef NO_SSP
#define NO_SSP
#endif

static void copy(void *to, const void *from, uint64_t n)
{
	volatile uint8_t *t = to;
	const uint8_t *f = from;

	while (n--)
		*t++ = *f++;
}

/*
 * A handler the program installed with SA_ONSTACK.  The host's alternate
 * stack is the runtime's (the SIGSYS handler's), so the host delivers
 * this one there; it moves the frame the kernel built (context, siginfo,
 * extended state) onto the program's alternate stack, as the kernel
 * would have (below the current frame if the program already runs on
 * it), and returns into the program's handler with that frame under it
 * and its restorer as the return address.  The restorer's rt_sigreturn
 * traps; rl_rt_sigreturn() reads the frame at the stack pointer.
 *
 * It runs with the program's thread pointer and its selector (BLOCK):
 * no system call, no thread-local data, no stack protector.
 */
NO_SSP static void onstack(int sig, siginfo_t *si, void *uctx)
{
	ucontext_t *uc = uctx;
	greg_t *g = uc->uc_mcontext.gregs;
	uint64_t sp = (uint64_t)g[REG_RSP], xsz = 512, mask, top;
	uint8_t *fp = (uint8_t *)uc->uc_mcontext.fpregs;
	uint32_t magic;
	ucontext_t *nuc;
	uint8_t *nfp = NULL;
	uint64_t *ret;

	if (!(alt.flags & SS_DISABLE) &&
	    !(sp >= alt.sp && sp < alt.sp + alt.size))
		top = alt.sp + alt.size;
	else
		top = sp - 128;		/* on it already, or none: below */
	if (fp) {
		copy(&magic, fp + 464, 4);
		if (magic == FP_XSTATE_MAGIC1)
			copy(&xsz, fp + 468, 4);
		nfp = (uint8_t *)((top - xsz) & ~63ull);
		copy(nfp, fp, xsz);
		top = (uint64_t)(uintptr_t)nfp;
	}
	top = (top - SI_SIZE) & ~15ull;
	copy((void *)(uintptr_t)top, si, SI_SIZE);
	si = (siginfo_t *)(uintptr_t)top;
	nuc = (ucontext_t *)(uintptr_t)((top - UC_COPY) & ~15ull);
	copy(nuc, uc, UC_COPY);
	nuc->uc_mcontext.fpregs = (void *)nfp;
	nuc->uc_stack.ss_sp = (void *)(uintptr_t)alt.sp;
	nuc->uc_stack.ss_size = alt.size;
	nuc->uc_stack.ss_flags = alt.flags;
	ret = (uint64_t *)nuc - 1;
	*ret = runtime.sigact[sig][2];		/* the program's restorer */
	/* The handler's mask: as the kernel set it for this delivery. */
	copy(&mask, &uc->uc_sigmask, 8);
	mask |= runtime.sigact[sig][3];
	if (!(runtime.sigact[sig][1] & SA_NODEFER))
		mask |= BIT(sig);
	mask &= ~BIT(SIGSYS);
	copy(&uc->uc_sigmask, &mask, 8);
	g[REG_RIP] = (greg_t)runtime.sigact[sig][0];
	g[REG_RSP] = (greg_t)(uintptr_t)ret;
	g[REG_RDI] = sig;
	g[REG_RSI] = (greg_t)(uintptr_t)si;
	g[REG_RDX] = (greg_t)(uintptr_t)nuc;
	g[REG_RAX] = 0;
	g[REG_EFL] &= ~0x400ll;		/* DF clear, as the ABI has it */
}

/* sigaltstack: the program's, which SA_ONSTACK handlers run on. */
int64_t rl_sigaltstack(struct run_call *k)
{
	stack_t *ss = PTR(k->a[0]), *old = PTR(k->a[1]);
	uint64_t sp = cur_call.g ? (uint64_t)cur_call.g[REG_RSP] : 0;
	bool on = !(alt.flags & SS_DISABLE) && sp >= alt.sp &&
		  sp < alt.sp + alt.size;

	if (old) {
		old->ss_sp = PTR(alt.sp);
		old->ss_size = alt.size;
		old->ss_flags = on ? SS_ONSTACK : alt.flags;
	}
	if (!ss)
		return 0;
	if (on)
		return -EPERM;
	if ((unsigned int)ss->ss_flags & ~(unsigned int)(SS_DISABLE | SS_AUTODISARM))
		return -EINVAL;
	if (ss->ss_flags & SS_DISABLE) {
		alt.flags = SS_DISABLE;
		alt.sp = alt.size = 0;
		return 0;
	}
	if (ss->ss_size < (size_t)MINSIGSTKSZ)
		return -ENOMEM;
	alt.sp = (uint64_t)(uintptr_t)ss->ss_sp;
	alt.size = ss->ss_size;
	alt.flags = 0;
	return 0;
}

/* A handler of the program's, or its DFL/IGN, with the host kernel. */
int64_t run_sig_install(int sig, const uint64_t *act)
{
	struct ksigaction ka = { act[0], act[1], act[2], act[3] };
	bool handled = act[0] != (uint64_t)(uintptr_t)SIG_DFL &&
		       act[0] != (uint64_t)(uintptr_t)SIG_IGN;
	int64_t r;

	if (handled) {
		ka.mask &= ~BIT(SIGSYS);
		if (!(ka.flags & SA_RESTORER))
			return -EINVAL;	/* x86-64 has no default restorer */
		if (ka.flags & SA_ONSTACK) {	/* onstack() moves it there */
			ka.handler = (uint64_t)(uintptr_t)onstack;
			ka.flags |= SA_SIGINFO;
			ka.restorer = (uint64_t)(uintptr_t)sud_exempt_start;
		}
	} else {
		ka.flags = ka.restorer = ka.mask = 0;
	}
	r = raw_syscall6(SYS_rt_sigaction, (uint64_t)sig,
			 (uint64_t)(uintptr_t)&ka, 0, 8, 0, 0);
	if (r)
		return r;
	if (handled == !(runtime.prog_handled & BIT(sig))) {
		run_sud_mask(handled ? runtime.prog_handled | BIT(sig) :
				       runtime.prog_handled & ~BIT(sig));
		run_watch_signals(runtime.prog_handled);
	}
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
	ucontext_t *uc = cur_call.uc;
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
	mask = (mask & ~(BIT(SIGSYS) | BIT(SIGKILL) | BIT(SIGSTOP))) | runtime.rt_sigs;
	memcpy(&uc->uc_sigmask, &mask, 8);
	return uc->uc_mcontext.gregs[REG_RAX];	/* as the kernel's returns */
}

/* Wait for a handled signal the program's mask lets through; re-raise it. */
static int64_t wait_handled(uint64_t prog_mask)
{
	uint64_t set = runtime.prog_handled & ~prog_mask;
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
	return wait_handled(cur_call.prog_mask ? *cur_call.prog_mask : 0);
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
	const uint64_t *h = runtime.sigact[SIGPIPE];

	if (h[0] == (uint64_t)(uintptr_t)SIG_IGN)
		return;
	if (h[0] == (uint64_t)(uintptr_t)SIG_DFL)
		run_die(SIGPIPE);
	/* pending until the call returns to the program, then delivered */
	syscall(SYS_tgkill, getpid(), (pid_t)syscall(SYS_gettid), SIGPIPE);
}
