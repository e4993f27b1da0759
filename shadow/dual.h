/* SPDX-License-Identifier: MIT */
/*
 * dual.h - the pieces of the shadow's dual calls (dual*.c), private to
 * the shadow.
 *
 * A forked shadow and its RTOS process talk outside the queue only to
 * set the queue up: the RTOS child connects twice to the abstract unix
 * socket "\0scf-fork-<shadow pid>", a control line (tag 'C') and the
 * socket the notify backend gets (tag 'N'); the kernel's SO_PEERCRED
 * says who connected.  Control bytes:
 *
 *   shadow -> RTOS  'R'  my side of the doorbell is attached: attach yours
 *   RTOS -> shadow  'X'  (after EXIT(exec)) the new image is up
 */
#ifndef SHADOW_DUAL_H
#define SHADOW_DUAL_H

#include "scf_arch.h"
#include "shadow.h"

#define DUAL_SOCK_FMT		"scf-fork-%d"	/* abstract name, shadow pid */
#define DUAL_TAG_CTL		'C'
#define DUAL_TAG_NOTIFY		'N'
#define DUAL_READY		'R'
#define DUAL_EXECED		'X'
#define DUAL_BIND_MS		5000	/* RTOS child must bind within this */
#define DUAL_EXEC_MS		10000	/* new image must come up within this */
#define DUAL_REPORT_MS		5000	/* forked shadow reports its slot */

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
/* Watch the client's pidfd in a thread: its death stops the serve loop. */
int dual_watch(struct shadow *s);
/* (Re)attach this shadow's side of the doorbell to s->q. */
int dual_notify_attach(struct shadow *s);

#endif /* SHADOW_DUAL_H */
