/* SPDX-License-Identifier: MIT */
/*
 * fake_uintr_kernel.h - a UINTR kernel in user space, for tests: seccomp
 * user notification (SECCOMP_RET_USER_NOTIF) hands every syscall numbered
 * 449..454 (RFC v1) or 471..479 (intel/uintr-linux-kernel) of this
 * process to a supervisor thread, which answers it as that kernel's
 * sources do: the same checks in the same order, the same return values
 * and errnos (variants/uintr/README.md has the table).
 *
 * No UINTR instruction executes on this CPU: the instructions are
 * replaced by fakes (fk_hooks: STUI/CLUI/SENDUIPI), each a syscall
 * numbered FK_NR_* that the supervisor answers against this kernel's
 * state: STUI only in a registered receiver, SENDUIPI only on a valid
 * UITT entry of the caller.  By default a SENDUIPI posts nothing (every
 * interrupt is lost, for the tests of that); with fk_config.deliver it
 * is delivered: the supervisor does what the handler would to the
 * receiver's struct uintr_rx (named by its fake STUI), once per vector,
 * while UIF is set, and wakes a receiver registered with a WAITING flag
 * from its futex sleep on that counter with FK_WAKE_SIG (any other
 * blocking syscall the kernel restarts unseen, so it is left alone).
 * uintr_wait returns as its timer would (0).
 *
 * Every process under the filter is answered by the one supervisor: the
 * receiver's vector fds are memfds the supervisor installs into the
 * caller (SECCOMP_IOCTL_NOTIF_ADDFD), and fds a caller passes are read
 * through /proc/TID/fd.  A process exec'd under the filter calls
 * fk_hooks_init() (not fk_start()) for the fake instructions.
 */
#ifndef FAKE_UINTR_KERNEL_H
#define FAKE_UINTR_KERNEL_H

#include <stdbool.h>
#include <signal.h>
#include <stdint.h>
#include <sys/types.h>

#include "uintr_hw_parts.h"

enum fk_abi {
	FK_NONE = 0,	/* neither table: every call -ENOSYS */
	FK_RFC1,
	FK_INTEL,
};

struct fk_config {
	enum fk_abi abi;
	bool blocking;		/* intel: CONFIG_X86_UINTR_BLOCKING=y */
	bool disabled;		/* the kernel has the code, the CPU feature is off */
	bool deliver;		/* SENDUIPI delivers (else every one is lost) */
};

/* The fake instructions' syscall numbers: past every real table. */
#define FK_NR_STUI	1024
#define FK_NR_CLUI	1025
#define FK_NR_SENDUIPI	1026
/* Ends a WAITING receiver's futex sleep, as the kernel's UIPI does. */
#define FK_WAKE_SIG	(SIGRTMIN + 9)

/*
 * Install the filter on the calling thread (and so on every thread it
 * creates afterwards) and start the supervisor.  Once per process, before
 * any other thread; 0 or -errno.
 */
int fk_start(void);
/*
 * In a process that runs under another's fk_start() (exec'd, or forked
 * and exec'd): the fake instructions and cpuinfo in fk_hooks, and the
 * FK_WAKE_SIG handler.  fk_start() calls it itself.  0 or -errno.
 */
int fk_hooks_init(void);
/* Become this kernel (and forget all state). */
void fk_configure(const struct fk_config *c);
/* The next call of syscall nr fails with -err (fault injection). */
void fk_fail_next(long nr, int err);

struct fk_stats {
	unsigned int receivers;		/* tasks with a handler registered */
	unsigned int senders;		/* valid UITT entries */
	unsigned long calls;		/* syscalls answered */
	unsigned int last_flags;	/* of the last register_handler */
	unsigned int stui, clui, senduipi;
	unsigned int violations;	/* instruction used out of turn */
	unsigned long delivered;	/* handler runs done (deliver) */
	long last_index;		/* of the last SENDUIPI */
};
void fk_get_stats(struct fk_stats *s);

/*
 * For uintr_hw_set_hooks(): CPUID says UINTR, the cpuinfo file shows the
 * "uintr" flag, and the three fake instructions.  Filled by fk_start().
 */
extern struct uintr_hw_hooks fk_hooks;

#endif /* FAKE_UINTR_KERNEL_H */
