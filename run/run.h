/* SPDX-License-Identifier: MIT */
/*
 * run.h - scf-run: an RTOS-style loader and runtime for unmodified Linux
 * programs.  The program runs in this process; Syscall User Dispatch
 * turns each of its system calls into a SIGSYS, and the runtime serves it
 * locally, forwards it through SCF to scf-shadow, or does both.
 *
 * This header is the bottom layer: the shared types and state, and what
 * the files beneath the services offer (state.c, leave.c, stats.c,
 * suite.c, maps.c, load.c, host.c, turns.c, watch.c).  Each layer above
 * has its own header and calls only downwards:
 *
 *   main.c, report.c                     report.h
 *   trap.c (SIGSYS), tramp.c (rewritten)  entry.h
 *   dispatch.c, table.c, rewrite.c        dispatch.h
 *   the services: remote.c, local.c, mem.c, signal.c, thread.c,
 *     process.c, exec.c                   calls.h
 *   sud.c (the kernel's side of SUD)      sud.h
 *   this layer                            run.h
 *
 * What a lower file needs of a higher one is handed down at start-up
 * (leave.c: the teardown and the table's names; runtime.bench,
 * runtime.thr_resume), never called upwards.
 */
#ifndef RUN_H
#define RUN_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "scf_calls.h"
#include "scf_client.h"

struct bench;
struct ucontext_t;

#define RUN_NR_MAX	512	/* x86-64 system call numbers we account */
#define RUN_EXIT_STOPPED 125	/* the runtime stopped the program */
#define RUN_CALIB_NR	0x7fff	/* no such call: the trap's own cost */
#define RUN_SIGRET_NR	0x7ffe	/* no such call: the trampoline's stub */

/* A trapped call: the registers that carry it, and its result. */
struct run_call {
	long nr;
	uint64_t a[6];
	int64_t ret;
};

/* Per system call number: what happened and what it cost (TSC ticks). */
struct run_nr_stat {
	uint64_t calls, denied, passthrough;
	uint64_t fwd;			/* forwarded calls it made */
	uint64_t handler;		/* SIGSYS handler, whole */
	uint64_t total;			/* forwarded, C0 to C7: every call */
	uint64_t probed;		/* forwarded calls stamped at every point */
	uint64_t queue, memsync, notify, service;	/* of the probed ones */
	uint64_t trap;			/* handler minus forwarded total */
	uint64_t trapped, rewritten;	/* entered by SIGSYS, by the trampoline */
};

/*
 * A program thread's block, where %gs points while the program runs: the
 * trampoline (tramp.c) saves the registers here, in ucontext order.
 */
#define RUN_NGREG	23
struct run_thr {
	long long g[RUN_NGREG];	/* greg_t */
	uint64_t stack_top;		/* the runtime's stack for this thread */
	uint64_t runtime_fs, prog_fs;
	volatile char *selector;	/* its Syscall User Dispatch selector */
	uint8_t *xarea;			/* xsavec area, 64-byte aligned */
	struct run_thr *self;
	uint64_t xmode;			/* how the vector state is kept (tramp.c) */
	volatile char sel;		/* the selector byte itself */
	struct scf_rec rec;		/* this thread's forwarded call */
	/* a rewritten call's return held for a pending signal (signal.c) */
	uint64_t pend_rip, pend_mask;
	long long pend_ret;
};

/* How the trampoline keeps the vector state (tramp.c). */
#define RUN_XMODE_XSAVEC	0	/* xsavec/xrstor: everything (AVX-512) */
#define RUN_XMODE_YMM		1	/* ymm0-15 and MXCSR: AVX, no AVX-512 */
#define RUN_XMODE_XMM		2	/* xmm0-15 and MXCSR: SSE only */

/* The call a thread is serving (each thread its own: runtime TLS; state.c). */
struct run_cur {
	uint64_t *prog_mask;		/* the trapped context's mask */
	struct ucontext_t *uc;		/* the trapped context, NULL: trampoline */
	long long *g;			/* the call's registers, either way (exec) */
	uint64_t *prog_fs;		/* its FS base, set as the handler leaves */
	struct scf_rec *rec;		/* where its forwarded calls are stamped */
	struct run_thr *thr;		/* its block; NULL: the main thread */
};
/*
 * local-exec: scf-run is one executable, so any file reaches it with one
 * %fs-relative access, as the file that defines it does (no GOT load of
 * its offset on the call's path).
 */
extern __thread struct run_cur cur_call __attribute__((tls_model("local-exec")));

/*
 * By default one forwarded call in RUN_PROBE_EVERY stamps every point (the phase
 * split); the others stamp only their start and end, as scf-bench's
 * default: every stamp is an ordered TSC read on the call's path.
 */
#define RUN_PROBE_EVERY	64

/* The whole invocation. */
struct run_state {
	struct bench *bench;		/* the harness: shadow, slot (main.c's) */
	struct scf_client *c;
	struct scf_rec rec;		/* the forwarded call in progress */
	const char *prog;		/* as given */
	const char *root;
	bool root_is_host;		/* --root resolves to / */
	char cwd[SCF_PATH_MAX];		/* beneath root, "" = root itself */
	bool passthrough;
	bool quiet;
	uint32_t probe_every;		/* --probe-every (RUN_PROBE_EVERY) */
	bool child;			/* a fork of the program (process.c) */
	volatile int shadow_gone;	/* the watcher saw scf-shadow exit */
	uint64_t tsc_hz;
	/* memory: the program's break, and what the runtime owns */
	uint64_t brk_start, brk_cur, brk_max;
	uint64_t (*owned)[2];		/* [start, end) of the runtime's maps */
	uint32_t nowned;
	/*
	 * Signals the runtime itself handles (a notify backend's doorbell,
	 * uintr emul's; none for poll or futex, whose calls then make no
	 * sigprocmask of their own): blocked while the program runs, open
	 * only while a call is served.
	 */
	uint64_t rt_sigs;
	/* the program's signal dispositions (signal.c installs them) */
	uint64_t sigact[65][4];
	uint64_t prog_handled;		/* signals with a handler of its own */
	/* threads (thread.c): FSGSBASE and XSAVEC give each its block */
	bool threads_ok;
	uint32_t xsize;			/* xsavec area, 0: none */
	uint64_t xmode;			/* RUN_XMODE_*, every thread's */
	uint64_t threads_started, threads_exited;
	bool multi;			/* a second thread may run: lock stats */
	/* How a new thread enters the program from its filled block: the
	 * trampoline's way back (tramp.c), handed down by run_sud_init(). */
	const char *thr_resume;
	/* rewriting (rewrite.c) */
	bool no_rewrite;		/* --no-rewrite */
	bool rewrite;			/* the trampoline is there */
	const char *rewrite_why_not;	/* NULL: rewriting is on */
	uint64_t sites_rewritten, sites_kept_context, sites_kept_split,
		 sites_kept_other;	/* distinct sites */
	bool sites_kept_uncounted;	/* more kept sites than the set holds */
	/* accounting */
	struct run_nr_stat nr[RUN_NR_MAX];
	uint64_t unclassified, denied, fwd_total, fwd_bad_identity;
	uint64_t fwd_unusable;		/* probed, a stamp missing or unordered */
	/* A trap's round trip (SIGSYS delivery, handler, sigreturn) beyond a
	 * plain syscall, measured before the program starts. */
	double trap_rt_ns;
};

/* state.c */
extern struct run_state runtime;

/*
 * leave.c: the ways out of a run.  The teardown (report, files) is
 * main.c's and a call's name is the table's: both sit above every file
 * that may stop the run, so main.c hands them down before the program
 * starts.
 */
typedef void (*run_teardown_fn)(int status);
typedef const char *(*run_name_fn)(long nr);
void run_leave_init(run_teardown_fn teardown, run_name_fn call_name);
/* Tear down and leave (exit_group, a stop). */
__attribute__((noreturn)) void run_exit(int status);
/* ... and die of sig, as the program would have */
__attribute__((noreturn)) void run_die(int sig);
void run_stop(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));
/* The table's name of a call, NULL outside it. */
const char *run_call_name(long nr);

/* The schema report.c's --out file names (run_write_json()). */
#define SCF_RUN_SCHEMA		"scf-run/1"

/* stats.c */
/* A forwarded call made for k: accounted; a stop if the shadow is gone. */
int64_t run_forwarded(struct run_call *k, int64_t ret);
void run_account(long nr, uint64_t handler_ticks, bool tramp);
void run_account_fwd(long nr, const struct scf_rec *rec);

/* suite.c: the same run in the suite's result schema (--results) */
void run_suite_begin(const char *prog);
void run_suite_rec(const struct scf_rec *rec);
int run_suite_end(struct bench *b, double wall_ns, double native_ns);

/* maps.c: the runtime's mappings, and the program's, so an exec can
 * drop them all */
int run_owned_snapshot(void);
bool run_owned_overlap(uint64_t addr, uint64_t len);
void run_track_add(uint64_t addr, uint64_t len);
void run_track_del(uint64_t addr, uint64_t len);
void run_track_unmap_all(void);

/* load.c: map an ELF and its interpreter, build its stack */
struct run_image {
	uint64_t entry;		/* where to jump: the interpreter's or the program's */
	uint64_t sp;		/* the fresh stack, argc on top */
	uint64_t brk;		/* first page after the program's bss */
};
/* A whole file into a malloc'd buffer: 0 or -errno. */
typedef int (*run_fetch_fn)(const char *path, uint8_t **buf, uint64_t *len);
struct run_exe;
/* Fetch and check a program and its interpreter; say: print why not. */
int run_exe_read(const char *path, run_fetch_fn fetch, bool say,
		 struct run_exe **x);
/* Map what run_exe_read() checked; build the stack. */
int run_exe_map(struct run_exe *x, const char *path, char **argv,
		char **envp, struct run_image *img);
void run_exe_free(struct run_exe *x);

/* host.c: the runtime's own work on the host */
uint64_t run_mono_ns(void);
int run_host_fetch(const char *path, uint8_t **buf, uint64_t *len);
/* The program by its host path, its interpreter beneath --root. */
int run_first_fetch(const char *path, uint8_t **buf, uint64_t *len);
/* The program natively (stdout to /dev/null): its wall time in ns, or -1. */
double run_native(const char *path, char **argv);

/* watch.c: stop waiting for a dead shadow (sets b->c.cancel) */
int run_watch_shadow(struct bench *b);
/* ... and interrupt a waiting call for these handled signals */
void run_watch_signals(uint64_t handled);

/* turns.c: one scf-run process, one sample under scf-interleave */
int run_turn_take(void);
void run_turn_end(void);

#endif /* RUN_H */
