// SPDX-License-Identifier: MIT
/*
 * uintr_probe.c - can the hw backend run here, and with which syscall ABI?
 *
 * Three questions, cheapest and safest first:
 *   1. the CPU: CPUID.(EAX=7,ECX=0):EDX[5];
 *   2. the kernel: a UINTR kernel enumerates the "uintr" flag in
 *      /proc/cpuinfo; mainline does not know the feature.  Only such a
 *      kernel is asked any syscall, because on mainline the RFC v1 numbers
 *      are other syscalls (uintr_abi.h);
 *   3. the ABI: uintr_unregister_handler(0) with no handler registered is
 *      harmless and answers -EINVAL on both ABIs, -ENOSYS where absent.
 *      The intel table is asked first: an RFC v1 kernel (v5.14) has no
 *      syscall 472, while on an intel-ABI kernel (newer base) 450 is
 *      set_mempolicy_home_node.
 */
#include <cpuid.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "uintr_priv.h"

const struct uintr_abi uintr_abi_rfc1 = {
	.kind = UINTR_ABI_RFC1,
	.name = "rfc-v1",
	.nr_register_handler = UINTR_RFC1_NR_REGISTER_HANDLER,
	.nr_unregister_handler = UINTR_RFC1_NR_UNREGISTER_HANDLER,
	.nr_create_fd = UINTR_RFC1_NR_CREATE_FD,
	.nr_register_sender = UINTR_RFC1_NR_REGISTER_SENDER,
	.nr_unregister_sender = UINTR_RFC1_NR_UNREGISTER_SENDER,
	.nr_wait = UINTR_RFC1_NR_WAIT,
	.handler_flags = 0,	/* RFC v1 rejects any flag */
};

const struct uintr_abi uintr_abi_intel = {
	.kind = UINTR_ABI_INTEL,
	.name = "intel",
	.nr_register_handler = UINTR_INTEL_NR_REGISTER_HANDLER,
	.nr_unregister_handler = UINTR_INTEL_NR_UNREGISTER_HANDLER,
	.nr_create_fd = UINTR_INTEL_NR_VECTOR_FD,
	.nr_register_sender = UINTR_INTEL_NR_REGISTER_SENDER,
	.nr_unregister_sender = UINTR_INTEL_NR_UNREGISTER_SENDER,
	.nr_wait = UINTR_INTEL_NR_WAIT,
	/* a receiver blocked in futex_wait is woken by a UIPI (uintr_wait.c) */
	.handler_flags = UINTR_HANDLER_FLAG_WAITING_RECEIVER,
};

bool uintr_cpuid_has_uintr(void)
{
	unsigned int a, b, c, d;

	if (!__get_cpuid_count(UINTR_CPUID_LEAF, UINTR_CPUID_SUBLEAF,
			       &a, &b, &c, &d))
		return false;
	return d & (1u << UINTR_CPUID_EDX_BIT);
}

bool uintr_cpuinfo_has_flag(const char *path)
{
	char line[8192];
	bool found = false;
	FILE *f = fopen(path, "re");

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		char *tok, *save = NULL;

		if (strncmp(line, "flags", 5))
			continue;
		for (tok = strtok_r(strchr(line, ':') ? strchr(line, ':') + 1 : line,
				    " \t\n", &save);
		     tok; tok = strtok_r(NULL, " \t\n", &save))
			if (!strcmp(tok, "uintr"))
				found = true;
		break;	/* the first CPU's flags are enough */
	}
	fclose(f);
	return found;
}

const struct uintr_abi *uintr_abi_probe(uintr_sys1_fn sys, const char **why)
{
	static const struct uintr_abi *const order[] = {
		&uintr_abi_intel, &uintr_abi_rfc1,
	};
	unsigned int i;

	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		long r = sys(order[i]->nr_unregister_handler, 0);

		if (r == -ENOSYS)
			continue;
		if (r == -EOPNOTSUPP) {
			*why = "no UINTR: the kernel has UINTR disabled (EOPNOTSUPP)";
			return NULL;
		}
		return order[i];
	}
	*why = "no UINTR: no UINTR syscall ABI answers (intel 472, rfc-v1 450)";
	return NULL;
}

static long sys1(long nr, long arg0)
{
	long r = syscall(nr, arg0);

	return r < 0 ? -errno : r;
}

static const struct uintr_abi *probe_abi;
static const char *probe_reason;
static pthread_once_t probe_once = PTHREAD_ONCE_INIT;

static void probe_run(void)
{
	const char *w = NULL;

	if (!uintr_cpuid_has_uintr())
		w = "no UINTR: CPUID.7.0:EDX[5] clear";
	else if (!uintr_hw_isa_built())
		w = "no UINTR: built without -muintr (the compiler lacks it)";
	else if (!uintr_cpuinfo_has_flag("/proc/cpuinfo"))
		w = "no UINTR: the kernel does not enumerate the uintr flag (not a UINTR kernel)";
	else
		probe_abi = uintr_abi_probe(sys1, &w);
	probe_reason = probe_abi ? NULL : w;
}

const struct uintr_abi *uintr_hw_probe(const char **why)
{
	/* pthread_once orders probe_run()'s stores before every return. */
	pthread_once(&probe_once, probe_run);
	*why = probe_reason;
	return probe_abi;
}
