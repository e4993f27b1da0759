// SPDX-License-Identifier: MIT
/*
 * thread.c - the program's threads.  A clone with CLONE_VM (what
 * pthread_create() asks) becomes a thread of the runtime's own
 * (rtos_clone(): CLONE forwarded, so the shadow counts it, then
 * pthread_create()), so the runtime's code has a thread pointer of its
 * own in every thread; that thread then enters the program where the
 * clone returns, with the new stack, the TLS asked for and %rax 0.
 *
 * All threads of the process forward through its one slot: the client
 * becomes shared (scf_client_mt.c), the threads taking turns at each end
 * of the slot's single-producer rings.  One slot per thread would need a
 * shadow thread per slot to keep each thread's blocking calls apart; one
 * shared slot keeps one syscall core serving the process, as the origin's
 * "the threads of an RTOS process share one scf resource", and costs a
 * thread only the submit lock when nobody else is submitting.
 *
 * Each thread has a block (struct run_thr) where %gs points: its own
 * Syscall User Dispatch selector (prctl is per thread), the runtime's
 * thread pointer for it, the trampoline's save area.  futex is the
 * host's: the threads share this address space.  A thread's exit (exit,
 * not exit_group) does what CLONE_CHILD_CLEARTID asks of the kernel:
 * clears the program's tid word and wakes a joiner, then the thread goes
 * back to thread_main() on its own stack, frees what the runtime gave it
 * and returns, as any pthread.
 */
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "bench.h"
#include "calls.h"
#include "raw.h"
#include "rtos_dual.h"
#include "scf_mt_host.h"
#include "sud.h"

#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH	59
#endif
#ifndef PR_SYS_DISPATCH_OFF
#define PR_SYS_DISPATCH_OFF		0
#endif

#define RT_STACK	(256u << 10)	/* the trampoline's stack per thread */
#define ALT_STACK	(64u << 10)	/* the SIGSYS handler's per thread */
#define CLONE_NEED	SCF_CLONE_THREAD	/* VM, FS, FILES, SIGHAND, THREAD */
#define CLONE_OK	(CLONE_NEED | SCF_CLONE_SYSVSEM | SCF_CLONE_SETTLS | \
			 SCF_CLONE_PARENT_SETTID | SCF_CLONE_CHILD_CLEARTID)

static struct run_thr main_thr __attribute__((aligned(64)));

struct run_thr *run_main_thr(void)
{
	return &main_thr;
}

int run_thr_init(struct run_thr *t, uint64_t runtime_fs)
{
	uint8_t *stk = mmap(NULL, RT_STACK, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	/* ymm0-15 and MXCSR need 516 bytes */
	uint32_t xsize = ((runtime.xsize > 576 ? runtime.xsize : 576) + 63) & ~63u;

	if (stk == MAP_FAILED)
		return -errno;
	memset(t, 0, sizeof(*t));
	t->stack_top = (uint64_t)(uintptr_t)(stk + RT_STACK);
	t->runtime_fs = runtime_fs;
	t->selector = &t->sel;
	if (posix_memalign((void **)&t->xarea, 64, xsize))
		return -ENOMEM;
	memset(t->xarea, 0, xsize);
	t->self = t;
	t->xmode = runtime.xmode;
	return 0;
}

/* What the new thread starts with, handed over by its creator. */
struct start {
	struct run_thr *t;
	long long g[RUN_NGREG];
	uint64_t tls, mask;
	int *ctid;		/* CLONE_CHILD_CLEARTID's word, or NULL */
	int *ptid;		/* CLONE_PARENT_SETTID's word, or NULL */
	int tid;		/* the new thread's, published by it */
};

static __thread int *my_ctid;
/* Where the thread's exit goes back to thread_main() (none: the main thread). */
static __thread void *exit_jb[5];
static __thread bool exit_jb_set;

/*
 * The program's thread has left (run_thread_exit()): back on this
 * thread's own stack, off the runtime's stacks, the program's code never
 * to run here again.  Dispatch is turned off before the block that holds
 * its selector goes, then the stacks and the block are freed, and the
 * thread returns as any pthread, whose stack the C library reclaims.
 */
static void thread_gone(struct run_thr *t, void *alt)
{
	stack_t off = { .ss_flags = SS_DISABLE };
	sigset_t all;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	if (prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_OFF, 0, 0, 0))
		run_stop("a leaving thread cannot turn Syscall User Dispatch off");
	__asm__ volatile("wrgsbase %0" :: "r"(0ull) : "memory");
	cur_call.thr = NULL;
	cur_call.rec = NULL;
	scf_mt_host_set_rec(NULL);
	sigaltstack(&off, NULL);
	free(alt);
	munmap((void *)(uintptr_t)(t->stack_top - RT_STACK), RT_STACK);
	free(t->xarea);
	free(t);
}

static void *thread_main(void *arg)
{
	struct start *st = arg;
	struct run_thr *t = st->t;
	stack_t ss = { .ss_size = ALT_STACK };
	uint64_t fs;
	int tid;

	__asm__ volatile("rdfsbase %0" : "=r"(fs));
	t->runtime_fs = fs;
	ss.ss_sp = malloc(ALT_STACK);
	if (!ss.ss_sp || sigaltstack(&ss, NULL))
		run_stop("a new thread has no signal stack");
	cur_call.thr = t;
	cur_call.rec = &t->rec;
	scf_mt_host_set_rec(&t->rec);
	my_ctid = st->ctid;
	__asm__ volatile("wrgsbase %0" :: "r"((uint64_t)(uintptr_t)t) : "memory");
	if (run_sud_arm())
		run_stop("a new thread cannot turn Syscall User Dispatch on");
	memcpy(t->g, st->g, sizeof(t->g));
	t->prog_fs = st->tls;
	/* The program's mask, SIGSYS never blocked (a blocked one kills). */
	raw_syscall6(SYS_rt_sigprocmask, SIG_SETMASK,
		     (uint64_t)(uintptr_t)&st->mask, 0, 8, 0, 0);
	tid = (int)syscall(SYS_gettid);
	/*
	 * The tid goes where CLONE_PARENT_SETTID asked before the program
	 * runs in this thread, as the kernel does: written by the creator
	 * after, it could land after this thread's exit had cleared it, and
	 * a join would wait for ever.
	 */
	if (st->ptid)
		*st->ptid = tid;
	/* release: pairs with the creator's acquire load; st is its from now */
	__atomic_store_n(&st->tid, tid, __ATOMIC_RELEASE);
	syscall(SYS_futex, &st->tid, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	if (!__builtin_setjmp(exit_jb)) {
		exit_jb_set = true;
		/* Into the program through the trampoline's way back. */
		__asm__ volatile("jmp *%0" :: "r"(runtime.thr_resume) : "memory");
		__builtin_unreachable();
	}
	thread_gone(t, ss.ss_sp);
	return NULL;
}

/* threads: refused, said each time, never a hang. */
int64_t rd_refused(struct run_call *k)
{
	const char *name = run_call_name(k->nr);

	/* clone3: the C library falls back to clone, counted, not said */
	if (k->nr != SYS_clone3)
		fprintf(stderr, "scf-run: %s refused (-ENOSYS)%s\n",
			name ? name : "call", runtime.threads_ok ? "" :
			": no FSGSBASE or XSAVEC here, threads need both");
	return -ENOSYS;
}

int64_t rd_thread(struct run_call *k)
{
	uint64_t flags = k->a[0];
	struct start *st;
	pthread_t pt;
	int64_t r;
	int tid;

	if ((flags & CLONE_NEED) != CLONE_NEED || (flags & ~CLONE_OK) ||
	    !k->a[1] || !runtime.threads_ok || !cur_call.uc)
		return rd_refused(k);
	st = calloc(1, sizeof(*st));
	if (!st || posix_memalign((void **)&st->t, 64, sizeof(*st->t)) ||
	    run_thr_init(st->t, 0)) {
		free(st);
		return -ENOMEM;
	}
	memcpy(st->g, cur_call.g, sizeof(st->g));
	st->g[REG_RAX] = 0;		/* the child's clone returns 0 */
	st->g[REG_RSP] = (long long)k->a[1];
	st->tls = (flags & SCF_CLONE_SETTLS) ? k->a[4] : *cur_call.prog_fs;
	st->mask = (*cur_call.prog_mask & ~(1ull << (SIGSYS - 1))) | runtime.rt_sigs;
	st->ctid = (flags & SCF_CLONE_CHILD_CLEARTID) ?
		   (int *)(uintptr_t)k->a[3] : NULL;
	st->ptid = (flags & SCF_CLONE_PARENT_SETTID) ?
		   (int *)(uintptr_t)k->a[2] : NULL;
	/*
	 * release: pairs with the acquire in stats.c; set while this is the
	 * only thread, so no one accounts unlocked beside a locked one.
	 */
	__atomic_store_n(&runtime.multi, true, __ATOMIC_RELEASE);
	r = rtos_clone(&runtime.bench->session, &pt, thread_main, st, NULL);
	/* rtos_clone() leaves this thread's record unset: ours again. */
	scf_mt_host_set_rec(cur_call.rec);
	if (r < 0)
		return r;	/* st leaks with its block: no thread ran */
	pthread_detach(pt);
	/* acquire: pairs with the new thread's release of its tid */
	while (!(tid = __atomic_load_n(&st->tid, __ATOMIC_ACQUIRE)))
		syscall(SYS_futex, &st->tid, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
	free(st);
	__atomic_fetch_add(&runtime.threads_started, 1, __ATOMIC_RELAXED);
	return tid;
}

void run_thread_exit(struct run_call *k)
{
	(void)k;
	/* All of the thread's own leaving first: a joiner may end the run. */
	rtos_thread_exit(&runtime.bench->session);
	__atomic_fetch_add(&runtime.threads_exited, 1, __ATOMIC_RELAXED);
	if (my_ctid) {
		/* release: the joiner sees the thread's writes before the 0 */
		__atomic_store_n(my_ctid, 0, __ATOMIC_RELEASE);
		syscall(SYS_futex, my_ctid, FUTEX_WAKE, 1, NULL, NULL, 0);
	}
	/* Back to thread_main(), which frees what the thread had. */
	if (exit_jb_set)
		__builtin_longjmp(exit_jb, 1);
	for (;;)
		raw_syscall6(SYS_exit, 0, 0, 0, 0, 0, 0);
}
