/* SPDX-License-Identifier: MIT */
/*
 * fake_uintr_kernel.h - a UINTR kernel in user space, for tests: seccomp
 * user notification (SECCOMP_RET_USER_NOTIF) hands every syscall numbered
 * 449..454 (RFC v1) or 471..479 (intel/uintr-linux-kernel) of this
 * process to a supervisor thread, which answers it as that kernel's
 * sources do: the same checks in the same order, the same return values
 * and errnos (variants/uintr/README.md has the table).
 *
 * What it cannot do is deliver a user interrupt: no UINTR instruction
 * executes on this CPU.  uintr_wait returns as its timer would (0), and
 * the instructions are replaced by fk_isa (fake STUI/CLUI/SENDUIPI that
 * check against this kernel's state: STUI only in a registered receiver,
 * SENDUIPI only on a valid UITT entry of a registered sender).
 *
 * The receiver's vector fds are memfds made by the supervisor; it shares
 * the fd table with the test, so the syscall returns the number it got.
 */
#ifndef FAKE_UINTR_KERNEL_H
#define FAKE_UINTR_KERNEL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "uintr_hw.h"

enum fk_abi {
	FK_NONE = 0,	/* neither table: every call -ENOSYS */
	FK_RFC1,
	FK_INTEL,
};

struct fk_config {
	enum fk_abi abi;
	bool blocking;		/* intel: CONFIG_X86_UINTR_BLOCKING=y */
	bool disabled;		/* the kernel has the code, the CPU feature is off */
};

/*
 * Install the filter on the calling thread (and so on every thread it
 * creates afterwards) and start the supervisor.  Once per process, before
 * any other thread; 0 or -errno.
 */
int fk_start(void);
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
	long last_index;		/* of the last SENDUIPI */
};
void fk_get_stats(struct fk_stats *s);

/*
 * For uintr_hw_set_hooks(): CPUID says UINTR, the cpuinfo file shows the
 * "uintr" flag, and the three fake instructions.  Filled by fk_start().
 */
extern struct uintr_hw_hooks fk_hooks;

#endif /* FAKE_UINTR_KERNEL_H */
