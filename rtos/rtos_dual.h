/* SPDX-License-Identifier: MIT */
/*
 * rtos_dual.h - the RTOS side's half of the dual calls (the origin's SCF
 * Doc, "Dual Syscall"), on the bench's client b->c: forward, then do the
 * local part.  Each records its forwarded parts and its end into a
 * struct dual_rec when given one (NULL: not measured).
 *
 * A process made by rtos_fork() is bound to its own slot and its own
 * forked shadow; it leaves through rtos_exit() (or dies, which its shadow
 * notices).  Threads made by rtos_clone() share their process's slot.
 */
#ifndef RTOS_DUAL_H
#define RTOS_DUAL_H

#include <pthread.h>

#include "../harness/bench.h"

/*
 * fork: SYNCFORK, then fork(); the child binds to the new slot before it
 * returns.  Parent: the child's pid; child: 0; -errno (-EAGAIN: the
 * shadow could not fork or no slot is free).  d->t_end: the parent's
 * fork() returned.
 */
pid_t rtos_fork(struct bench *b, struct dual_rec *d);

/*
 * exit_group: EXIT(group); the shadow answers and exits; once it is gone
 * the RTOS side releases the slot and exits.  In a process rtos_fork()
 * or an exec made; never returns.
 */
void rtos_exit(struct bench *b, int status) __attribute__((noreturn));

/*
 * exec: remote newfstatat for the size, allocate, remote openat, remote
 * read(s), remote close, EXIT(exec) so the shadow expects the new image,
 * then fexecve() of a memfd holding exactly the bytes read.  argv[1] must
 * be "--exec-child": the new image starts in rtos_exec_child().  report
 * (a pipe, or -1) gets *d, then the new image's t_end.  Returns only on
 * failure (-errno), bound to the slot again.
 */
int rtos_exec(struct bench *b, const char *path, char *const argv[],
	      int report, struct dual_rec *d);
/* main() of an exec'd image: re-attach, one call, t_end, exit. */
int rtos_exec_child(int argc, char **argv);

/*
 * clone: CLONE (the shadow counts the thread), then pthread_create(); the
 * client becomes shared by threads on the first one.  d->t_end: the
 * thread was created.  rtos_thread_exit() is the thread's forwarded exit
 * (call it last in fn); rtos_join() joins and, with the last thread
 * gone, makes the client single-threaded again.
 */
int rtos_clone(struct bench *b, pthread_t *t, void *(*fn)(void *), void *arg,
	       struct dual_rec *d);
int rtos_thread_exit(struct bench *b);
int rtos_join(struct bench *b, pthread_t t);

/* The slots in use in the region (for leak checks). */
uint32_t rtos_slots_used(const struct bench *b);

/* rtos_fork.c, for rtos_exec.c: bind b->c to slot over the two lines. */
int rtos_attach(struct bench *b, uint32_t slot, int32_t shadow_pid, int ctl,
		int nsock);
/* This forked process's lines and shadow; -EOPNOTSUPP in the root. */
int rtos_self(int *ctl, int *nsock, int32_t *shadow_pid);
/* The next part of d to record into (NULL: d is NULL). */
struct scf_rec *rtos_part(struct dual_rec *d);

#endif /* RTOS_DUAL_H */
