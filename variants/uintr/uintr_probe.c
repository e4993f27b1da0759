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

#include "uintr_hw_parts.h"

/*
 * One template for both tables: the two ABIs differ only in their
 * numbers (uintr_abi.h) and in what the vector-fd call is called.
 */
#define UINTR_ABI_TABLE(k, n, P, fd_call) {				\
	.kind = (k),							\
	.name = (n),							\
	.nr_register_handler = P##_NR_REGISTER_HANDLER,			\
	.nr_unregister_handler = P##_NR_UNREGISTER_HANDLER,		\
	.nr_create_fd = P##_NR_##fd_call,				\
	.nr_register_sender = P##_NR_REGISTER_SENDER,			\
	.nr_unregister_sender = P##_NR_UNREGISTER_SENDER,		\
	.nr_wait = P##_NR_WAIT,						\
}

const struct uintr_abi uintr_abi_rfc1 =
	UINTR_ABI_TABLE(UINTR_ABI_RFC1, "rfc-v1", UINTR_RFC1, CREATE_FD);
const struct uintr_abi uintr_abi_intel =
	UINTR_ABI_TABLE(UINTR_ABI_INTEL, "intel", UINTR_INTEL, VECTOR_FD);

static bool uintr_cpuid_real(void)
{
	unsigned int a, b, c, d;

	if (!__get_cpuid_count(UINTR_CPUID_LEAF, UINTR_CPUID_SUBLEAF,
			       &a, &b, &c, &d))
		return false;
	return d & (1u << UINTR_CPUID_EDX_BIT);
}

bool uintr_cpuid_has_uintr(void)
{
	if (uintr_hw_hooks && uintr_hw_hooks->cpu_has_uintr)
		return uintr_hw_hooks->cpu_has_uintr();
	return uintr_cpuid_real();
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

static pthread_mutex_t probe_lock = PTHREAD_MUTEX_INITIALIZER;
static bool probe_done;
static const struct uintr_abi *probe_abi;
static const char *probe_reason;
const struct uintr_hw_hooks *uintr_hw_hooks;

static void probe_run(void)
{
	const char *w = NULL;
	const char *cpuinfo = uintr_hw_hooks && uintr_hw_hooks->cpuinfo ?
			      uintr_hw_hooks->cpuinfo : "/proc/cpuinfo";

	probe_abi = NULL;
	if (!uintr_cpuid_has_uintr())
		w = "no UINTR: CPUID.7.0:EDX[5] clear";
	else if (!uintr_hw_handler_built())
		w = "no UINTR: the compiler cannot build a user-interrupt handler";
	else if (!uintr_cpuinfo_has_flag(cpuinfo))
		w = "no UINTR: the kernel does not enumerate the uintr flag (not a UINTR kernel)";
	else
		probe_abi = uintr_abi_probe(sys1, &w);
	probe_reason = probe_abi ? NULL : w;
}

const struct uintr_abi *uintr_hw_probe(const char **why)
{
	const struct uintr_abi *abi;

	/* The lock orders probe_run()'s stores before every later reader. */
	pthread_mutex_lock(&probe_lock);
	if (!probe_done) {
		probe_run();
		probe_done = true;
	}
	abi = probe_abi;
	*why = probe_reason;
	pthread_mutex_unlock(&probe_lock);
	return abi;
}

void uintr_hw_set_hooks(const struct uintr_hw_hooks *h)
{
	pthread_mutex_lock(&probe_lock);
	uintr_hw_hooks = h;
	probe_done = false;
	pthread_mutex_unlock(&probe_lock);
}
