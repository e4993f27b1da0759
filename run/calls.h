/* SPDX-License-Identifier: MIT */
/*
 * calls.h - the runtime's service functions, one per system call it
 * serves itself (rl_: local, rd_: dual) or forwards (rc_: remote).
 */
#ifndef RUN_CALLS_H
#define RUN_CALLS_H

#include "run.h"

#define RUN_CALLS(X) \
	X(rc_read) X(rc_write) X(rc_pread64) X(rc_pwrite64) X(rc_readv) \
	X(rc_writev) X(rc_open) X(rc_openat) X(rc_close) X(rc_lseek) \
	X(rc_fstat) X(rc_stat) X(rc_lstat) X(rc_newfstatat) X(rc_statx) \
	X(rc_access) X(rc_faccessat) X(rc_getdents64) X(rc_ioctl) \
	X(rc_dup) X(rc_dup2) X(rc_dup3) X(rc_fcntl) X(rc_sendfile) \
	X(rc_fsync) X(rc_ftruncate) \
	X(rc_mkdir) X(rc_mkdirat) X(rc_unlink) X(rc_rmdir) X(rc_unlinkat) \
	X(rc_pipe) X(rc_pipe2) \
	X(rc_rename) X(rc_renameat) X(rc_chown) X(rc_fchown) X(rc_fchownat) \
	X(rl_brk) X(rl_mmap) X(rl_munmap) X(rl_mprotect) X(rl_madvise) \
	X(rl_mremap) X(rl_rt_sigaction) X(rl_rt_sigprocmask) \
	X(rl_sigaltstack) X(rl_prctl) X(rl_getcwd) X(rd_chdir) \
	X(rl_readlink) X(rl_readlinkat) X(rl_fadvise64) X(rd_exit) \
	X(rd_refused) X(rd_fork) X(rd_execve) \
	X(rl_kill) X(rl_tgkill) X(rl_rt_sigreturn) X(rl_pause) \
	X(rl_rt_sigsuspend)

#define RUN_DECL(f) int64_t f(struct run_call *k);
RUN_CALLS(RUN_DECL)
#undef RUN_DECL

int run_owned_snapshot(void);

#endif /* RUN_CALLS_H */
