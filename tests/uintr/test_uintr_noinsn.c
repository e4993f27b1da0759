// SPDX-License-Identifier: MIT
/*
 * test_uintr_noinsn.c - the real probe on this CPU, and proof that the hw
 * path never executes a UINTR instruction unless the probe says the CPU
 * has UINTR.  On a CPU without UINTR, STUI/CLUI/SENDUIPI raise #UD: a
 * SIGILL anywhere here fails the test.
 *
 * Twice: with this machine as it is, and with a fake UINTR kernel
 * (fake_uintr_kernel.c) that makes every syscall and the cpuinfo flag say
 * yes, so only CPUID stands between the code and the instructions, which
 * stay real (no hooks for them).
 */
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tap.h"
#include "uintr_test.h"
#include "uintr_priv.h"
#include "fake_uintr_kernel.h"

static void on_sigill(int sig)
{
	static const char msg[] =
		"not ok - SIGILL: a UINTR instruction executed without UINTR\n";

	(void)sig;
	if (write(1, msg, sizeof(msg) - 1) < 0)
		_exit(2);
	_exit(1);
}

/* Everything of the hw path a caller can reach; none may execute. */
static void try_hw(const char *stage)
{
	struct shm_region r = { 0 };
	struct pp_side s;
	struct uintr_hw_rx hw;
	struct uintr_rx rx = { 0 };
	struct uintr_coalesce co;
	const struct uintr_abi *abi;
	const char *why = NULL;
	int sv[2];

	abi = uintr_hw_probe(&why);
	tap_ok(!abi && why && strstr(why, "CPUID"),
	       "%s: the probe says no, because of CPUID: %s", stage,
	       why ? why : "(null)");
	tap_ok(scf_notify_pick("hw") == NULL && !strcmp(scf_notify_pick("auto"), "emul"),
	       "%s: hw cannot be picked, auto picks emul", stage);
	tap_ok(strstr(scf_notify_note("emul"), why) != NULL,
	       "%s: the emul note says why: %s", stage, scf_notify_note("emul"));
	if (shm_region_make(&r) || socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return;
	memset(&s, 0, sizeof(s));
	s.side = SCF_SIDE_SHADOW;
	s.backend = "hw";
	s.sock_fd = sv[0];
	tap_ok(pp_attach(&s, r.mem, r.size) == -ENOSYS,
	       "%s: attach hw -ENOSYS, no STUI", stage);
	/* the uipi peer's path: open with what the probe returned */
	tap_ok(uintr_hw_rx_open(&hw, abi, &rx, 0) == -ENOSYS && !uintr_tls_rx,
	       "%s: the uipi receiver set-up refuses without an ABI", stage);
	tap_ok(uintr_coalesce_measure("hw", 10, UINTR_RX_RUNNING, -1, -1, &co,
				      NULL) == -ENOSYS,
	       "%s: the hw coalescing measurement refuses", stage);
	close(sv[0]);
	close(sv[1]);
	shm_region_free(&r);
}

int main(void)
{
	struct sigaction sa;
	int err;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigill;
	sigaction(SIGILL, &sa, NULL);
	if (uintr_cpuid_has_uintr()) {
		/* Nothing to prove here: the instructions are legal. */
		tap_skip("this CPU has UINTR (CPUID.7.0:EDX[5] set)",
			 "the hw path executes no UINTR instruction without UINTR");
		return tap_done();
	}
	try_hw("this machine");
	err = fk_start();
	if (tap_ok(err == 0, "fake UINTR kernel started (%d)", err)) {
		/* The kernel and cpuinfo say yes; the CPUID probe and the
		 * instructions stay real. */
		static struct uintr_hw_hooks kernel_only;

		fk_configure(&(struct fk_config){ .abi = FK_INTEL, .blocking = true });
		kernel_only.cpuinfo = fk_hooks.cpuinfo;
		uintr_hw_set_hooks(&kernel_only);
		try_hw("UINTR kernel, CPU without UINTR");
		uintr_hw_set_hooks(NULL);
	}
	return tap_done();
}
