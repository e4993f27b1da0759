/* SPDX-License-Identifier: MIT */
/*
 * rtos_dual.h - the RTOS side's half of the dual calls (the origin's SCF
 * Doc, "Dual Syscall"), on a session's client s->c: forward, then do the
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

#include "scf_session.h"

/*
 * One dual call (fork, exec, clone): the forwarded calls it made, in
 * order, and the TSC when it began and when the RTOS side's own work was
 * done.  Its phases are the sums of its parts' phases, and
 * local = (t_end - t0) - the parts' totals: everything the RTOS side did
 * itself (the local fork, the exec of the image, the thread's creation,
 * and the gaps between the parts), so the identity becomes
 * queue + memsync + notify + service + local = total.
 */
#define DUAL_PARTS	32
struct dual_rec {
	uint64_t t0, t_end;
	uint32_t n;		/* parts used */
	uint32_t dropped;	/* parts beyond DUAL_PARTS: counted in local */
	struct scf_rec part[DUAL_PARTS];
};

/*
 * fork: SYNCFORK, then fork(); the child binds to the new slot before it
 * returns.  Parent: the child's pid; child: 0; -errno (-EAGAIN: the
 * shadow could not fork or no slot is free).  d->t_end: the parent's
 * fork() returned.
 */
pid_t rtos_fork(struct scf_session *s, struct dual_rec *d);

/*
 * exit_group: EXIT(group); the shadow answers and exits; once it is gone
 * the RTOS side releases the slot and exits.  In a process rtos_fork()
 * or an exec made; never returns.
 */
void rtos_exit(struct scf_session *s, int status) __attribute__((noreturn));

/*
 * exec: remote newfstatat for the size, allocate, remote openat, remote
 * read(s), remote close, EXIT(exec) so the shadow expects the new image,
 * then fexecve() of a memfd holding exactly the bytes read.  argv[1] must
 * be "--exec-child": the new image starts in rtos_exec_child().  report
 * (a pipe, or -1) gets *d, then the new image's t_end.  Returns only on
 * failure (-errno), bound to the slot again.
 */
int rtos_exec(struct scf_session *s, const char *path, char *const argv[],
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
int rtos_clone(struct scf_session *s, pthread_t *t, void *(*fn)(void *), void *arg,
	       struct dual_rec *d);
int rtos_thread_exit(struct scf_session *s);
int rtos_join(struct scf_session *s, pthread_t t);

/* The slots in use in the region (for leak checks). */
uint32_t rtos_slots_used(const struct scf_session *s);

/* rtos_fork.c, for rtos_exec.c: bind s->c to slot over the two lines. */
int rtos_attach(struct scf_session *s, uint32_t slot, int32_t shadow_pid, int ctl,
		int nsock);
/* This forked process's lines and shadow; -EOPNOTSUPP in the root. */
int rtos_self(int *ctl, int *nsock, int32_t *shadow_pid);
/* The next part of d to record into (NULL: d is NULL). */
struct scf_rec *rtos_part(struct dual_rec *d);

#endif /* RTOS_DUAL_H */
