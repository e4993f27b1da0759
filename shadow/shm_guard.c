// SPDX-License-Identifier: MIT
/*
 * shm_guard.c - the shared memory the shadow maps must stay as large as
 * it was said to be.  Before mapping, a handed fd is checked: a memfd must
 * be sealed against shrinking and growing, and the file must really hold
 * the bytes asked for.  What cannot be sealed (/dev/scf, a plain file) is
 * checked for size, and a SIGBUS on it later becomes a clean exit.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../kmod/uapi/scf_ioctl.h"
#include "shadow.h"

#define NEED_SEALS	(F_SEAL_SHRINK | F_SEAL_GROW)

static int too_small(const char *what, uint64_t has, uint64_t need)
{
	fprintf(stderr, "scf-shadow: %s holds %llu bytes, %llu needed\n",
		what, (unsigned long long)has, (unsigned long long)need);
	return -1;
}

int shm_check_fd(int fd, uint64_t need, const char *what)
{
	struct scf_info_args info;
	struct stat st;
	int seals;

	if (fstat(fd, &st)) {
		fprintf(stderr, "scf-shadow: %s: %s\n", what, strerror(errno));
		return -1;
	}
	/*
	 * /dev/scf cannot be sealed; it says its size, and refuses a mapping
	 * past its end anyway.  Other devices: the mapping is the check.
	 */
	if (S_ISCHR(st.st_mode) && !ioctl(fd, SCF_IOC_INFO_GET, &info) &&
	    info.region_size < need)
		return too_small(what, info.region_size, need);
	if (!S_ISREG(st.st_mode))
		return 0;
	seals = fcntl(fd, F_GET_SEALS);
	/* EINVAL: a file system without seals; SIGBUS is the guard then. */
	if (seals >= 0 && (seals & NEED_SEALS) != NEED_SEALS) {
		fprintf(stderr, "scf-shadow: %s: memfd not sealed against "
			"shrinking and growing (F_SEAL_SHRINK|F_SEAL_GROW)\n",
			what);
		return -1;
	}
	if ((uint64_t)st.st_size < need)
		return too_small(what, (uint64_t)st.st_size, need);
	return 0;
}

static const struct shadow *guarded;
static uintptr_t region_base;
static uint64_t region_len;

static bool in_range(uintptr_t a, uint64_t base, uint64_t len)
{
	return a >= base && a - base < len;
}

/* Where a fault at a landed: "region", "map-mode memory", or NULL. */
static const char *what_shrank(uintptr_t a)
{
	const struct syncmap *m = &guarded->sync;
	uint32_t i;

	if (in_range(a, region_base, region_len))
		return "region";
	for (i = 0; i < m->n; i++)
		if (in_range(a, m->r[i].addr, m->r[i].len))
			return "map-mode memory";
	return NULL;
}

/* Async-signal-safe: write(2) and a hand-made hex number only. */
static void say(const char *what, uintptr_t a)
{
	char buf[160], hex[2 + 16];
	size_t n = 0, k;
	int i;

	for (i = 0; i < 16; i++)
		hex[2 + 15 - i] = "0123456789abcdef"[(a >> (4 * i)) & 15];
	hex[0] = '0';
	hex[1] = 'x';
#define PUT(s, len) do { k = (len); memcpy(buf + n, (s), k); n += k; } while (0)
	PUT("scf-shadow: the ", 16);
	PUT(what, strlen(what));
	PUT(" shrank under the shadow (SIGBUS at ", 36);
	PUT(hex, sizeof(hex));
	PUT("); stopping\n", 12);
#undef PUT
	if (write(2, buf, n) < 0)
		return;
}

/*
 * A truncated file under a shared mapping faults on the next touch.  No
 * siglongjmp back into the serve loop: the fault can land half-way
 * through copying a request or an answer, and the memory both sides
 * needed to talk through is gone, so there is nobody left to answer.
 * The clean thing is one line and an exit code of its own; _exit, as
 * stdio and atexit handlers are not async-signal-safe.  A SIGBUS outside
 * the shared memory is a bug: the default action, a core, reports it.
 */
static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	const char *what = guarded ? what_shrank((uintptr_t)si->si_addr) : NULL;

	(void)uc;
	if (si->si_code == BUS_ADRERR && what) {
		say(what, (uintptr_t)si->si_addr);
		_exit(SHADOW_EXIT_SHRANK);
	}
	signal(sig, SIG_DFL);	/* returning re-faults, into the default */
}

int shm_guard(const struct shadow *s, const void *region, uint64_t size)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigbus;
	sa.sa_flags = SA_SIGINFO;
	guarded = s;
	region_base = (uintptr_t)region;
	region_len = size;
	return sigaction(SIGBUS, &sa, NULL) ? -errno : 0;
}
