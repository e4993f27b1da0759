/* SPDX-License-Identifier: MIT */
/*
 * calls.h - the services: the runtime's functions, one per system call
 * it serves itself (rl_: local, rd_: dual) or forwards (rc_: remote),
 * which the table names (table.c), and what the service files offer
 * each other and the layers above.  They call only downwards: run.h,
 * sud.h.
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

/* remote.c: a path beneath --root, as the shadow takes it (NULL: too
 * long); exec's closing of the fds with FD_CLOEXEC, for k */
const char *run_path(const char *path, int *dirfd, char *buf);
void run_close_on_exec(struct run_call *k);

/* signal.c: the program's handlers, with the host kernel */
int64_t run_sig_install(int sig, const uint64_t *act);
void run_sigpipe(void);

/* thread.c: a block per program thread, clone of a thread, its exit */
int run_thr_init(struct run_thr *t, uint64_t runtime_fs);
struct run_thr *run_main_thr(void);
int64_t rd_thread(struct run_call *k);
__attribute__((noreturn)) void run_thread_exit(struct run_call *k);

#endif /* RUN_CALLS_H */
