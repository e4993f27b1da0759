// SPDX-License-Identifier: MIT
/*
 * process.c - fork, the dual way (the SCF seeds' "syncfork"): SYNCFORK
 * makes the shadow fork a shadow for the child, on a slot of its own,
 * then the host fork() makes the RTOS child, which binds to that slot
 * before it returns to the program (rtos_fork()), with Syscall User
 * Dispatch turned on again: a fork does not inherit it.  A child leaves
 * through rtos_exit(): EXIT to its own shadow, which goes first.
 *
 * Threads (clone with CLONE_VM) are thread.c's.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench.h"
#include "calls.h"
#include "rtos_dual.h"
#include "scf_arch.h"
#include "sud.h"

#define PTR(x)	((void *)(uintptr_t)(x))
#define SCF_CLONE_CHILD_SETTID	0x01000000ull
/* clone flags a fork may carry (glibc's fork: the last three and SIGCHLD) */
#define FORK_FLAGS	(0xffull | SCF_CLONE_PARENT_SETTID | \
			 SCF_CLONE_CHILD_SETTID | SCF_CLONE_CHILD_CLEARTID)

int64_t rd_fork(struct run_call *k)
{
	uint64_t flags = k->nr == SYS_clone ? k->a[0] : 17;	/* SIGCHLD */
	struct dual_rec d;
	pid_t pid;

	if (k->nr == SYS_clone && (flags & SCF_CLONE_VM))
		return rd_thread(k);
	if (k->nr == SYS_clone && ((flags & ~FORK_FLAGS) || k->a[1]))
		return rd_refused(k);	/* a new stack without a thread */
	pid = rtos_fork(&runtime.bench->session, &d);
	if (pid < 0)
		return pid;
	if (!pid) {
		runtime.child = true;
		/* Not one call of the child may pass unclassified. */
		if (run_sud_arm())
			run_stop("the fork's child cannot turn Syscall User "
				 "Dispatch on");
		if (flags & SCF_CLONE_CHILD_SETTID)
			*(int *)PTR(k->a[3]) = (int)syscall(SYS_gettid);
		if (flags & SCF_CLONE_CHILD_CLEARTID)
			syscall(SYS_set_tid_address, PTR(k->a[3]));
		return 0;
	}
	if (flags & SCF_CLONE_PARENT_SETTID)
		*(int *)PTR(k->a[2]) = pid;
	/* The SYNCFORK part: the forwarded half of the dual call. */
	if (d.n)
		run_account_fwd(k->nr, &d.part[0]);
	return pid;
}

/* A pid one of the shadows has: every slot's, this process's included. */
static bool is_shadow(int64_t pid)
{
	const struct scf_ctrl *ctrl = runtime.bench->region;
	uint32_t i;

	for (i = 0; i < SCF_MAX_SLOTS; i++)
		if (pid == SCF_READ_ONCE(ctrl->slot[i].shadow_pid))
			return true;
	return pid == runtime.bench->shadow_pid;
}

/*
 * kill, tgkill: the program's own processes only.  A process group (pid
 * <= 0) holds the shadows too, so it is refused, as is any shadow.
 */
int64_t rl_kill(struct run_call *k)
{
	int64_t pid = (int64_t)(int32_t)k->a[0];

	if (pid <= 0 || is_shadow(pid))
		return -EPERM;
	return syscall(SYS_kill, (pid_t)pid, (int)k->a[1]) ? -errno : 0;
}

int64_t rl_tgkill(struct run_call *k)
{
	int64_t tgid = (int64_t)(int32_t)k->a[0];

	if (tgid <= 0 || is_shadow(tgid))
		return -EPERM;
	return syscall(SYS_tgkill, (pid_t)tgid, (pid_t)k->a[1], (int)k->a[2]) ?
	       -errno : 0;
}
