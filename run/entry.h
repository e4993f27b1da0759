/* SPDX-License-Identifier: MIT */
/*
 * entry.h - the program's calls enter the runtime here: through the
 * SIGSYS handler (trap.c), or, at a rewritten site, through the
 * trampoline (tramp.c).  main.c sets them up and starts the program.
 */
#ifndef RUN_ENTRY_H
#define RUN_ENTRY_H

#include <stdbool.h>
#include <stdint.h>

/* trap.c: enter the program under Syscall User Dispatch */
int run_sud_init(void);
/* Ticks of n trapped calls, or of n plain ones when !trapped. */
uint64_t run_sud_calibrate(unsigned n, bool trapped);
__attribute__((noreturn)) void run_sud_enter(uint64_t entry, uint64_t sp);

/* tramp.c: the trampoline's entry, and a new thread's way in */
extern const char run_tramp_entry[], run_tramp_resume[];
uint32_t run_xsave_size(void);
uint64_t run_xmode(void);

#endif /* RUN_ENTRY_H */
