/* SPDX-License-Identifier: MIT */
/*
 * sud.h - Syscall User Dispatch, the kernel's side (sud.c): the selector
 * byte, the exempt range and the SIGSYS action.  Below the services,
 * which arm it again in a new thread or a fork and change the handler's
 * mask; the handler itself is trap.c's.
 */
#ifndef RUN_SUD_H
#define RUN_SUD_H

#include <signal.h>
#include <stdint.h>

#include "run.h"

#define RUN_SEL_ALLOW	0
#define RUN_SEL_BLOCK	1

/* The one selector without a block per thread (no FSGSBASE). */
extern volatile char run_sud_selector __attribute__((visibility("hidden")));
/* Set: %gs points at each thread's block (thread.c), its selector there. */
extern int run_sud_gs_on __attribute__((visibility("hidden")));

/* The exempt range: rt_sigreturn and nothing else (the restorer). */
extern const char sud_exempt_start[], sud_exempt_end[];

static inline struct run_thr *run_gs_thr(void)
{
	struct run_thr *t;

	__asm__ volatile("movq %%gs:224, %0" : "=r"(t));	/* T_SELF */
	return t;
}

/* This thread's selector byte: its block's, or the one global. */
static inline volatile char *run_sud_sel(void)
{
	return run_sud_gs_on ? &run_gs_thr()->sel : &run_sud_selector;
}

/* Dispatch on for this task (at start, in a new thread, in a fork). */
int run_sud_arm(void);
/* handler takes SIGSYS, the runtime's own signals blocked in it: 0 or -errno. */
int run_sud_handle(void (*handler)(int, siginfo_t *, void *));
/* The SIGSYS handler blocks the program's handled signals: these now. */
void run_sud_mask(uint64_t prog_handled);

#endif /* RUN_SUD_H */
