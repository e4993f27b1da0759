// SPDX-License-Identifier: MIT
/*
 * fake_uintr_boot.c - the fake UINTR kernel (fake_uintr_kernel.c) under
 * the real scf-bench and scf-shadow: linked only into the test builds in
 * build/uintr-fake/, it starts before main() when SCF_FAKE_UINTR names a
 * kernel:
 *
 *   SCF_FAKE_UINTR=intel            intel/uintr-linux-kernel
 *   SCF_FAKE_UINTR=intel-blocking   the same with CONFIG_X86_UINTR_BLOCKING
 *   SCF_FAKE_UINTR=rfc-v1           the RFC v1 ABI
 *
 * The first process installs the filter and the supervisor (fk_start),
 * with delivery on, and marks the environment; the processes it starts
 * (scf-shadow, exec'd with that environment; forked peers inherit the
 * hooks) only take the fake instructions (fk_hooks_init), and their
 * syscalls reach the one supervisor.  At its exit the first process
 * prints one line, "fake-uintr: ...", with what the kernel saw, for the
 * test to check (tests/uintr/fake_default_run.sh).  Without
 * SCF_FAKE_UINTR nothing happens.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fake_uintr_kernel.h"

#define FK_MARK	"SCF_FAKE_UINTR_SUPERVISOR"

static const char *fk_kernel;

static void fk_report(void)
{
	struct fk_stats s;

	fk_get_stats(&s);
	fprintf(stderr, "fake-uintr: kernel %s: %lu syscalls, %u STUI, %u CLUI, "
		"%u SENDUIPI, %lu delivered, %u receivers left, violations %u\n",
		fk_kernel, s.calls, s.stui, s.clui, s.senduipi, s.delivered,
		s.receivers, s.violations);
}

static void __attribute__((constructor)) fk_boot(void)
{
	struct fk_config c = { .deliver = true };
	const char *k = getenv("SCF_FAKE_UINTR");
	char pid[16];
	int err;

	if (!k)
		return;
	if (!strcmp(k, "intel")) {
		c.abi = FK_INTEL;
	} else if (!strcmp(k, "intel-blocking")) {
		c.abi = FK_INTEL;
		c.blocking = true;
	} else if (!strcmp(k, "rfc-v1")) {
		c.abi = FK_RFC1;
	} else {
		fprintf(stderr, "SCF_FAKE_UINTR: '%s' is none of intel, "
			"intel-blocking, rfc-v1\n", k);
		_exit(2);
	}
	fk_kernel = k;
	if (getenv(FK_MARK)) {
		err = fk_hooks_init();
	} else {
		err = fk_start();
		if (!err) {
			fk_configure(&c);
			snprintf(pid, sizeof(pid), "%d", (int)getpid());
			setenv(FK_MARK, pid, 1);
			atexit(fk_report);
		}
	}
	if (err) {
		fprintf(stderr, "SCF_FAKE_UINTR: the fake kernel cannot start: "
			"%s\n", strerror(-err));
		_exit(2);
	}
	uintr_hw_set_hooks(&fk_hooks);
}
