// SPDX-License-Identifier: MIT
/*
 * test_uintr_probe.c - the hw backend's machine-independent parts: the
 * syscall-ABI probe (over a fake syscall), the cpuinfo flag parser, and
 * the fd passing over a unix socket.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/socket.h>

#include "uintr_test.h"
#include "uintr_priv.h"

static long calls[8];
static int ncalls;
static long answers_nr;		/* the syscall that exists */
static long answer;		/* what it returns */

static long fake_sys(long nr, long arg0)
{
	assert_int_equal(arg0, 0);	/* unregister_handler(flags = 0) only */
	if (ncalls < 8)
		calls[ncalls++] = nr;
	return nr == answers_nr ? answer : -ENOSYS;
}

static const struct uintr_abi *probe_with(long nr, long ret, const char **why)
{
	ncalls = 0;
	answers_nr = nr;
	answer = ret;
	*why = NULL;
	return uintr_abi_probe(fake_sys, why);
}

static void test_abi_probe(void **state)
{
	const struct uintr_abi *abi;
	const char *why;

	(void)state;
	/* intel kernel: asked first, and nothing else is asked */
	abi = probe_with(UINTR_INTEL_NR_UNREGISTER_HANDLER, -EINVAL, &why);
	assert_ptr_equal(abi, &uintr_abi_intel);
	assert_int_equal(ncalls, 1);
	assert_int_equal(calls[0], 472);
	assert_int_equal(abi->nr_register_handler, 471);
	assert_int_equal(abi->nr_create_fd, 473);
	assert_int_equal(abi->nr_register_sender, 474);
	assert_int_equal(abi->nr_unregister_sender, 475);
	assert_int_equal(abi->nr_wait, 476);
	/* RFC v1 kernel: 472 is ENOSYS, then 450 answers */
	abi = probe_with(UINTR_RFC1_NR_UNREGISTER_HANDLER, -EINVAL, &why);
	assert_ptr_equal(abi, &uintr_abi_rfc1);
	assert_int_equal(ncalls, 2);
	assert_int_equal(calls[0], 472);
	assert_int_equal(calls[1], 450);
	assert_int_equal(abi->nr_register_handler, 449);
	assert_int_equal(abi->nr_create_fd, 451);
	assert_int_equal(abi->nr_register_sender, 452);
	assert_int_equal(abi->nr_unregister_sender, 453);
	assert_int_equal(abi->nr_wait, 454);
	/* neither */
	abi = probe_with(-1, 0, &why);
	assert_null(abi);
	assert_non_null(strstr(why, "no UINTR syscall ABI"));
	/* UINTR compiled in but disabled */
	abi = probe_with(472, -EOPNOTSUPP, &why);
	assert_null(abi);
	assert_non_null(strstr(why, "disabled"));
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_cpuinfo_flag(void **state)
{
	char path[] = "/tmp/uintr-cpuinfo-XXXXXX";
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	write_file(path, "processor\t: 0\nflags\t\t: fpu sse2 uintr avx512f\n");
	assert_true(uintr_cpuinfo_has_flag(path));
	write_file(path, "processor\t: 0\nflags\t\t: fpu uintr_x notuintr\n");
	assert_false(uintr_cpuinfo_has_flag(path));
	write_file(path, "processor\t: 0\nflags\t\t: fpu sse2\nbugs\t\t: uintr\n");
	assert_false(uintr_cpuinfo_has_flag(path));
	unlink(path);
	assert_false(uintr_cpuinfo_has_flag(path));
	/* and this machine's answer agrees with CPUID where CPUID says no */
	if (!uintr_cpuid_has_uintr())
		assert_non_null(uintr_hw_unsupported_reason());
}

static void test_fd_passing(void **state)
{
	int sv[2], p[2], got;
	char c = 0;

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(pipe(p), 0);
	assert_int_equal(scf_fd_send(sv[0], p[1]), 0);
	got = scf_fd_recv(sv[1]);
	assert_true(got >= 0);
	assert_true(got != p[1]);
	assert_true(fcntl(got, F_GETFD) & FD_CLOEXEC);
	/* the received fd is the pipe's write end */
	assert_int_equal(write(got, "x", 1), 1);
	assert_int_equal(read(p[0], &c, 1), 1);
	assert_int_equal(c, 'x');
	close(got);
	/* a message without an fd is refused */
	assert_int_equal(write(sv[0], "SCFFD\0\0", 8), 8);
	assert_int_equal(scf_fd_recv(sv[1]), -EPROTO);
	/* a closed peer */
	close(sv[0]);
	assert_true(scf_fd_recv(sv[1]) < 0);
	assert_int_equal(scf_fd_send(sv[1], p[0]), -EPIPE);
	close(sv[1]);
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_abi_probe),
		cmocka_unit_test(test_cpuinfo_flag),
		cmocka_unit_test(test_fd_passing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
