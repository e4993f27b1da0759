/* SPDX-License-Identifier: MIT */
/*
 * dispatch.h - the layer above the services: the classification table
 * (table.c), a trapped call served (dispatch.c) and its site rewritten
 * (rewrite.c).  The entries (trap.c, tramp.c) call into it.
 */
#ifndef RUN_DISPATCH_H
#define RUN_DISPATCH_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "run.h"

enum run_class {
	RC_NONE = 0,	/* outside the table: -ENOSYS, or local with --passthrough */
	RC_LOCAL,	/* served in this process, as an RTOS kernel would */
	RC_REMOTE,	/* forwarded to scf-shadow */
	RC_DUAL,	/* both sides */
};

typedef int64_t (*run_fn)(struct run_call *k);

struct run_ent {
	const char *name;
	enum run_class cls;
	run_fn fn;		/* NULL: run on the host kernel as asked */
	const char *how;	/* one line for --list */
};

/* table.c */
const struct run_ent *run_table(long nr);
/* The call's name, NULL outside the table (run_call_name() below). */
const char *run_table_name(long nr);
void run_table_list(void);
const char *run_class_name(enum run_class c);

/* dispatch.c: one call, from the SIGSYS handler or the trampoline */
void run_dispatch(siginfo_t *si, void *uctx, uint64_t *prog_fs);
void run_tramp_dispatch(struct run_thr *t);

/* rewrite.c: syscall sites into calls of a trampoline at address 0,
 * whose slide jumps to entry; runtime.rewrite_why_not says why not */
int run_rewrite_init(bool have_fsgsbase, const char *entry);
/* The stub a rewritten call returns through when a signal waits. */
#define RUN_TRAMP_STUB	528ull
void run_rewrite_site(uint64_t after, long nr);

#endif /* RUN_DISPATCH_H */
