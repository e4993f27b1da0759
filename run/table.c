// SPDX-License-Identifier: MIT
/*
 * table.c - the classification: every system call the program may make,
 * local, remote or dual, after the SCF seeds (the cRTOS musl list: brk,
 * mprotect, arch_prctl, set_tid_address, rt_sigprocmask local; mmap and
 * munmap dual; ioctl and writev passed to Linux; exit_group local, here
 * dual since the shadow leaves with it).  Anything else is outside.
 */
#include <stdio.h>
#include <sys/syscall.h>

#include "calls.h"
#include "dispatch.h"

#define L(nr, f, h)	[SYS_##nr] = { #nr, RC_LOCAL, f, h }
#define RM(nr, f, h)	[SYS_##nr] = { #nr, RC_REMOTE, f, h }
#define D(nr, f, h)	[SYS_##nr] = { #nr, RC_DUAL, f, h }
#define HOST		"the host kernel, as asked"

static const struct run_ent table[RUN_NR_MAX] = {
	/* memory: the RTOS kernel's own, never over the runtime */
	L(brk, rl_brk, "emulated break past the program's bss"),
	L(mmap, rl_mmap, "anonymous, never over the runtime"),
	L(munmap, rl_munmap, "local, not the runtime's memory"),
	L(mprotect, rl_mprotect, "local, not the runtime's memory"),
	L(madvise, rl_madvise, "local, not the runtime's memory"),
	L(mremap, rl_mremap, "local, not the runtime's memory"),
	/* thread-local setup and identity */
	L(arch_prctl, NULL, "FS: the program's, switched at each trap"),
	L(set_tid_address, NULL, HOST),
	L(set_robust_list, NULL, HOST),
	L(rseq, NULL, HOST),
	L(prctl, rl_prctl, "names and reads; SUD off stops the program"),
	L(getpid, NULL, HOST), L(getppid, NULL, HOST), L(gettid, NULL, HOST),
	L(getuid, NULL, HOST), L(geteuid, NULL, HOST), L(getgid, NULL, HOST),
	L(getegid, NULL, HOST), L(getgroups, NULL, HOST),
	L(getpgrp, NULL, HOST), L(getpgid, NULL, HOST), L(getsid, NULL, HOST),
	L(uname, NULL, HOST), L(sysinfo, NULL, HOST), L(umask, NULL, HOST),
	L(getrlimit, NULL, HOST), L(prlimit64, NULL, HOST),
	L(getrusage, NULL, HOST), L(times, NULL, HOST),
	L(sched_getaffinity, NULL, HOST), L(sched_yield, NULL, HOST),
	L(getrandom, NULL, HOST), L(futex, NULL, HOST),
	L(mincore, NULL, HOST), L(wait4, NULL, HOST), L(waitid, NULL, HOST),
	/* time */
	L(clock_gettime, NULL, HOST), L(clock_getres, NULL, HOST),
	L(gettimeofday, NULL, HOST), L(time, NULL, HOST),
	L(nanosleep, NULL, HOST), L(clock_nanosleep, NULL, HOST),
	/* signals */
	L(rt_sigaction, rl_rt_sigaction, "installed: the program's handlers "
	  "run in its context, blocked while the runtime runs"),
	L(rt_sigreturn, rl_rt_sigreturn, "the program's signal frame into "
	  "the trapped context"),
	L(pause, rl_pause, "waits for a handled signal, raises it again"),
	L(rt_sigsuspend, rl_rt_sigsuspend, "as pause, with the mask asked"),
	L(alarm, NULL, HOST), L(setitimer, NULL, HOST), L(getitimer, NULL, HOST),
	L(timer_create, NULL, HOST), L(timer_settime, NULL, HOST),
	L(timer_gettime, NULL, HOST), L(timer_delete, NULL, HOST),
	L(rt_sigprocmask, rl_rt_sigprocmask,
	  "the trapped context's; SIGSYS never blocked"),
	L(sigaltstack, rl_sigaltstack, "the program's, for its SA_ONSTACK handlers "
	  "(the host's is the runtime's)"),
	L(kill, rl_kill, "the program's processes; never a shadow or a group"),
	L(tgkill, rl_tgkill, "the program's processes; never a shadow"),
	/* answered by the runtime */
	L(getcwd, rl_getcwd, "the working directory beneath --root"),
	L(readlink, rl_readlink, "/proc/self/exe: the program"),
	L(readlinkat, rl_readlinkat, "/proc/self/exe: the program"),
	L(fadvise64, rl_fadvise64, "advice: accepted"),
	/* files and I/O: the shadow's */
	RM(read, rc_read, "READ, one per pool chunk"),
	RM(write, rc_write, "WRITE, one per pool chunk"),
	RM(pread64, rc_pread64, "PREAD64"), RM(pwrite64, rc_pwrite64, "PWRITE64"),
	RM(readv, rc_readv, "READ per piece"),
	RM(writev, rc_writev, "WRITEV (or WRITE per piece)"),
	RM(open, rc_open, "OPENAT beneath --root"),
	RM(openat, rc_openat, "OPENAT beneath --root"),
	RM(close, rc_close, "CLOSE"), RM(lseek, rc_lseek, "LSEEK"),
	RM(fstat, rc_fstat, "FSTAT"), RM(stat, rc_stat, "NEWFSTATAT"),
	RM(lstat, rc_lstat, "NEWFSTATAT"),
	RM(newfstatat, rc_newfstatat, "NEWFSTATAT"),
	RM(statx, rc_statx, "NEWFSTATAT, basic fields"),
	RM(access, rc_access, "NEWFSTATAT: existence"),
	RM(faccessat, rc_faccessat, "NEWFSTATAT: existence"),
	RM(faccessat2, rc_faccessat, "NEWFSTATAT: existence"),
	RM(getdents64, rc_getdents64, "GETDENTS64"),
	RM(ioctl, rc_ioctl, "IOCTL: TCGETS, TIOCGWINSZ; else -ENOTTY"),
	RM(dup, rc_dup, "FCNTL F_DUPFD"), RM(dup2, rc_dup2, "DUP3"),
	RM(dup3, rc_dup3, "DUP3"),
	RM(fcntl, rc_fcntl, "FCNTL; record locks with their struct flock, "
	   "never F_SETLKW (-EINVAL)"),
	RM(fsync, rc_fsync, "FSYNC"), RM(fdatasync, rc_fsync, "FSYNC datasync"),
	RM(ftruncate, rc_ftruncate, "FTRUNCATE"),
	RM(sendfile, rc_sendfile, "SENDFILE, no offset"),
	RM(mkdir, rc_mkdir, "MKDIRAT"), RM(mkdirat, rc_mkdirat, "MKDIRAT"),
	RM(unlink, rc_unlink, "UNLINKAT"), RM(rmdir, rc_rmdir, "UNLINKAT"),
	RM(unlinkat, rc_unlinkat, "UNLINKAT"),
	RM(pipe, rc_pipe, "PIPE2: the shadow's pipe, a fork's too"),
	RM(pipe2, rc_pipe2, "PIPE2: the shadow's pipe, a fork's too"),
	RM(rename, rc_rename, "RENAMEAT2 beneath --root"),
	RM(renameat, rc_renameat, "RENAMEAT2 beneath --root"),
	RM(renameat2, rc_renameat, "RENAMEAT2: NOREPLACE, EXCHANGE"),
	RM(chown, rc_chown, "FCHOWNAT beneath --root"),
	RM(lchown, rc_chown, "FCHOWNAT, the link itself"),
	RM(fchown, rc_fchown, "FCHOWNAT of the fd"),
	RM(fchownat, rc_fchownat, "FCHOWNAT beneath --root"),
	/* both sides */
	D(chdir, rd_chdir, "NEWFSTATAT there, the directory here"),
	D(exit, rd_exit, "EXIT(group): the shadow leaves, then the runtime"),
	D(exit_group, rd_exit, "EXIT(group): the shadow leaves, then the runtime"),
	D(fork, rd_fork, "SYNCFORK, then fork; the child binds its own slot"),
	D(vfork, rd_fork, "as fork"),
	D(clone, rd_fork, "as fork; a thread (CLONE_VM): CLONE, then a "
	  "thread of the runtime's entering the program; one shared slot"),
	D(clone3, rd_refused, "refused: -ENOSYS (glibc falls back to clone)"),
	D(execve, rd_execve, "image read through the shadow, loaded here"),
	D(execveat, rd_execve, "as execve; AT_FDCWD and no flags only"),
};

const struct run_ent *run_table(long nr)
{
	if (nr < 0 || nr >= RUN_NR_MAX || !table[nr].name)
		return NULL;
	return &table[nr];
}

const char *run_table_name(long nr)
{
	const struct run_ent *e = run_table(nr);

	return e ? e->name : NULL;
}

const char *run_class_name(enum run_class c)
{
	static const char *const n[] = { "none", "local", "remote", "dual" };

	return n[c];
}

void run_table_list(void)
{
	int c, nr;

	printf("%-4s %-18s %-7s %s\n", "nr", "call", "class", "how");
	for (c = RC_LOCAL; c <= RC_DUAL; c++)
		for (nr = 0; nr < RUN_NR_MAX; nr++)
			if (table[nr].name && table[nr].cls == (enum run_class)c)
				printf("%-4d %-18s %-7s %s%s\n", nr, table[nr].name,
				       run_class_name(table[nr].cls), table[nr].how,
				       nr == SYS_mmap ? "; of a file: dual, "
				       "anonymous memory filled by PREAD64" : "");
	printf("anything else: -ENOSYS (--passthrough: the host kernel), "
	       "counted either way\n");
}
