// SPDX-License-Identifier: MIT
/*
 * sud.c - Syscall User Dispatch, the kernel's side: every system call
 * the program makes becomes a SIGSYS, whose handler (trap.c) serves it
 * in this process (until its site is rewritten: rewrite.c).
 *
 * The selector byte is ALLOW while the runtime runs and BLOCK while the
 * program runs; each thread has its own, in the block %gs points at
 * (thread.c), or one global one without FSGSBASE.  The handler's return
 * (rt_sigreturn) happens after the selector is back to BLOCK, so it must
 * come from the exempt range: a restorer of our own, alone in that range.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "raw.h"
#include "sud.h"

#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH	59
#define PR_SYS_DISPATCH_ON		1
#endif
#ifndef SA_RESTORER
#define SA_RESTORER	0x04000000	/* the kernel ABI; glibc hides it */
#endif

volatile char run_sud_selector = RUN_SEL_ALLOW;
int run_sud_gs_on;

__asm__(".pushsection .text.scf_sud_exempt,\"ax\",@progbits\n"
	".hidden sud_exempt_start\n.hidden sud_exempt_end\n"
	".globl sud_exempt_start\n.globl sud_exempt_end\n"
	"sud_exempt_start:\n"
	"	movl $" "15" ", %eax\n"		/* __NR_rt_sigreturn */
	"	syscall\n"
	"	hlt\n"
	"sud_exempt_end:\n"
	".popsection\n");

struct ksigaction {
	void *handler;
	unsigned long flags;
	const void *restorer;
	uint64_t mask;
};

static struct ksigaction sigsys_ka = {
	.flags = SA_SIGINFO | SA_RESTORER | SA_ONSTACK,
	.restorer = sud_exempt_start,
};

/*
 * The runtime's own signals wait until the handler has switched FS; any
 * other has no handler here (DFL or IGN), so SIGINT and SIGTERM still
 * end a run that waits inside the handler.
 */
int run_sud_handle(void (*handler)(int, siginfo_t *, void *))
{
	sigsys_ka.handler = (void *)handler;
	sigsys_ka.mask = runtime.rt_sigs;
	return (int)raw_syscall6(SYS_rt_sigaction, SIGSYS,
				 (uint64_t)(uintptr_t)&sigsys_ka, 0, 8, 0, 0);
}

void run_sud_mask(uint64_t prog_handled)
{
	runtime.prog_handled = prog_handled;
	sigsys_ka.mask = runtime.rt_sigs | prog_handled;
	raw_syscall6(SYS_rt_sigaction, SIGSYS, (uint64_t)(uintptr_t)&sigsys_ka,
		     0, 8, 0, 0);
}

/* Dispatch on for this task: at start, and in a fork, which the kernel
 * does not give it (the handler, the alternate stack and the selector's
 * memory it does give). */
int run_sud_arm(void)
{
	if (prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON,
		  (unsigned long)(uintptr_t)sud_exempt_start,
		  (unsigned long)(sud_exempt_end - sud_exempt_start),
		  (unsigned long)(uintptr_t)run_sud_sel())) {
		fprintf(stderr, "scf-run: Syscall User Dispatch (Linux >= 5.11) "
			"refused: %s\n", strerror(errno));
		return -errno;
	}
	return 0;
}
