/* SPDX-License-Identifier: MIT */
/*
 * dual.h - the pieces of the shadow's dual calls (dual*.c), private to
 * the shadow.
 *
 * The protocol bytes outside the queue are in scf_dual_link.h.
 */
#ifndef SHADOW_DUAL_H
#define SHADOW_DUAL_H

#include "scf_arch.h"
#include "scf_dual_link.h"
#include "shadow.h"

/* Test-only fault injection: SCF_SHADOW_FAULT=<name>[:count]. */
enum dual_fault {
	DUAL_FAULT_NONE = 0,
	DUAL_FAULT_FORK,	/* fork() fails */
	DUAL_FAULT_CHILD,	/* the child fails after taking its slot */
	DUAL_FAULT_CRASH,	/* the child dies after taking its slot */
};

/* dual_fork.c: SYNCFORK; returns the child's slot or -errno. */
int64_t dual_fork(struct shadow *s);

/* dual_link.c */
int dual_pidfd_open(int32_t pid);
/* Parent pid of pid from /proc, or -errno. */
int32_t dual_ppid(int32_t pid);
/* Listen on the abstract name for this process; fd or -errno. */
int dual_listen(void);
/*
 * Accept the RTOS child's two connections: from a process of our uid
 * whose parent is parent_pid; *ctl, *nsock, *pid.  Gives up after
 * DUAL_BIND_MS, when parent_pidfd shows the parent gone, or on *stop.
 */
int dual_accept(struct shadow *s, int lfd, int32_t parent_pid,
		int parent_pidfd, int *ctl, int *nsock, int32_t *pid);
/* Wait for one byte want on fd (watching the client); 0 or -errno. */
int dual_expect(struct shadow *s, int fd, char want, int ms);
/*
 * Watch the client in a thread (its pidfd, and every s->timeout_ms where
 * there is none): its death stops the serve loop.
 */
int dual_watch(struct shadow *s);
/* True when the client is gone (or, unforked, we were orphaned). */
bool dual_client_gone(const struct shadow *s);
/* (Re)attach this shadow's side of the doorbell to s->q. */
int dual_notify_attach(struct shadow *s);

#endif /* SHADOW_DUAL_H */
