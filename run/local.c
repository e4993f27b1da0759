// SPDX-License-Identifier: MIT
/*
 * local.c - the calls the runtime answers itself, as an RTOS kernel
 * would: signal dispositions and masks, the working directory, prctl,
 * and exit.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "calls.h"
#include "raw.h"

#define PTR(x)	((void *)(uintptr_t)(x))
#define SIGSYS_BIT	(1ull << (SIGSYS - 1))

/*
 * rt_sigaction: recorded, and installed with the host kernel (signal.c),
 * so the program's handlers run in its own context.
 */
int64_t rl_rt_sigaction(struct run_call *k)
{
	int sig = (int)k->a[0];
	uint64_t *act = PTR(k->a[1]), *old = PTR(k->a[2]);
	int64_t r;

	if (sig < 1 || sig > 64 || k->a[3] != 8)
		return -EINVAL;
	if (sig == SIGSYS && act)
		run_stop("the program tried to take over SIGSYS, which carries "
			 "its system calls");
	if (old)
		memcpy(old, runtime.sigact[sig], 32);
	if (!act)
		return 0;
	if ((sig == SIGKILL || sig == SIGSTOP))
		return -EINVAL;
	r = run_sig_install(sig, act);
	if (!r)
		memcpy(runtime.sigact[sig], act, 32);
	return r;
}

/*
 * rt_sigprocmask: the mask of the trapped context, which rt_sigreturn
 * gives back to the program; SIGSYS and the runtime's doorbell signals
 * stay as the runtime needs them, and are not reported.
 */
int64_t rl_rt_sigprocmask(struct run_call *k)
{
	uint64_t *mask = cur_call.prog_mask, set;

	if (k->a[3] != 8)
		return -EINVAL;
	if (k->a[2])
		*(uint64_t *)PTR(k->a[2]) = *mask & ~runtime.rt_sigs;
	if (!k->a[1])
		return 0;
	set = *(uint64_t *)PTR(k->a[1]);
	switch (k->a[0]) {
	case SIG_BLOCK:
		*mask |= set;
		break;
	case SIG_UNBLOCK:
		*mask &= ~set;
		break;
	case SIG_SETMASK:
		*mask = set;
		break;
	default:
		return -EINVAL;
	}
	*mask = (*mask & ~(SIGSYS_BIT | (1ull << (SIGKILL - 1)) |
			   (1ull << (SIGSTOP - 1)))) | runtime.rt_sigs;
	return 0;
}

int64_t rl_prctl(struct run_call *k)
{
	switch (k->a[0]) {
	case 59:	/* PR_SET_SYSCALL_USER_DISPATCH */
		run_stop("the program tried to turn Syscall User Dispatch "
			 "off (prctl PR_SET_SYSCALL_USER_DISPATCH)");
	case PR_SET_NAME:
	case PR_GET_NAME:
	case PR_GET_DUMPABLE:
	case PR_SET_DUMPABLE:
	case PR_SET_PDEATHSIG:
	case PR_GET_PDEATHSIG:
	case PR_SET_VMA:
	case PR_CAPBSET_READ:
	case PR_GET_NO_NEW_PRIVS:
		return raw_syscall6(SYS_prctl, k->a[0], k->a[1], k->a[2],
				    k->a[3], k->a[4], 0);
	default:
		return -EINVAL;
	}
}

int64_t rl_getcwd(struct run_call *k)
{
	uint64_t n = strlen(runtime.cwd) + 2;

	if (k->a[1] < n)
		return -ERANGE;
	((char *)PTR(k->a[0]))[0] = '/';
	strcpy((char *)PTR(k->a[0]) + 1, runtime.cwd);
	return (int64_t)n;
}

/* chdir: the shadow says whether it is a directory; the name is ours. */
int64_t rd_chdir(struct run_call *k)
{
	char buf[SCF_PATH_MAX], next[SCF_PATH_MAX];
	int dirfd = SCF_AT_FDCWD;
	const char *p = run_path(PTR(k->a[0]), &dirfd, buf);
	struct scf_stat st;
	int64_t r;

	if (!p || strlen(p) >= sizeof(next))
		return -ENAMETOOLONG;
	r = run_forwarded(k, scf_newfstatat(runtime.c, dirfd, p, &st, 0));
	if (r < 0)
		return r;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	strcpy(next, strcmp(p, ".") ? p : "");
	strcpy(runtime.cwd, next);
	return 0;
}

/* readlink: only what the loader knows, the program's own path. */
static int64_t do_readlink(const char *path, char *buf, uint64_t len)
{
	uint64_t n = strlen(runtime.prog);

	if (strcmp(path, "/proc/self/exe"))
		return -ENOENT;
	if (n > len)
		n = len;
	memcpy(buf, runtime.prog, n);
	return (int64_t)n;
}

int64_t rl_readlink(struct run_call *k)
{
	return do_readlink(PTR(k->a[0]), PTR(k->a[1]), k->a[2]);
}

int64_t rl_readlinkat(struct run_call *k)
{
	return do_readlink(PTR(k->a[1]), PTR(k->a[2]), k->a[3]);
}

/* fadvise64: advice only; the shadow's page cache is its own business. */
int64_t rl_fadvise64(struct run_call *k)
{
	(void)k;
	return 0;
}

/* exit, exit_group: the shadow leaves first (dual), then the runtime. */
int64_t rd_exit(struct run_call *k)
{
	run_account(k->nr, 0, cur_call.uc == NULL);
	if (k->nr == SYS_exit && cur_call.thr)
		run_thread_exit(k);	/* one thread of several */
	if (!runtime.child)
		run_forwarded(k, scf_exit(runtime.c, (int)k->a[0], SCF_EXIT_GROUP));
	run_exit((int)(k->a[0] & 0xff));	/* a child: rtos_exit() */
}
