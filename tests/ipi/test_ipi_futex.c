// SPDX-License-Identifier: MIT
/*
 * test_ipi_futex.c - the ipi variant on this host: backend selection and
 * the futex fallback between two processes through a memfd region.
 * Prints TAP.  Usage: test_ipi_futex [round_trips]
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "scf_ipi.h"
#include "scf_notify.h"
#include "scf_region.h"
#include "../tap.h"

static bool streq0(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

static void test_pick(void)
{
	bool dev = access(SCF_DEV_PATH, R_OK | W_OK) == 0;
	const char *note;

	tap_ok(streq0(scf_notify_name(), "ipi"), "variant is ipi");
	tap_ok(streq0(scf_notify_pick(NULL), dev ? "kmod" : "futex"),
	       "pick(NULL) is %s (/dev/scf %s)", dev ? "kmod" : "futex",
	       dev ? "present" : "absent");
	tap_ok(streq0(scf_notify_pick("auto"), scf_notify_pick(NULL)),
	       "pick(auto) = pick(NULL)");
	tap_ok(streq0(scf_notify_pick("kmod"), dev ? "kmod" : NULL),
	       "pick(kmod) is %s", dev ? "kmod" : "NULL without the device");
	tap_ok(streq0(scf_notify_pick("futex"), "futex"), "pick(futex)");
	tap_ok(!scf_notify_pick("spin") && !scf_notify_pick("hw"),
	       "pick of another variant's backend is NULL");
	tap_ok(streq0(scf_notify_region_dev("kmod"), "/dev/scf") &&
	       !scf_notify_region_dev("futex"), "region_dev");
	note = scf_notify_note("futex");
	tap_ok(note && strstr(note, "futex") && strstr(note, "emulated") &&
	       !strchr(note, '\n') &&
	       /* kmod: nothing emulated; without the device, the reason why not */
	       (access("/dev/scf", F_OK) ? scf_notify_note("kmod") &&
	     strstr(scf_notify_note("kmod"), "/dev/scf absent") :
	     !scf_notify_note("kmod")),
	       "note(futex) is one line: %s", note ? note : "(null)");
}

/* ---- a two-process ping-pong over the real rings ------------------------ */

struct side_ctx {
	struct scf_queue q;
	volatile uint32_t *stop;
};

static bool req_ready(void *arg)
{
	struct side_ctx *c = arg;

	return scf_ring_pending(&c->q.req) || *c->stop;
}

static bool rsp_ready(void *arg)
{
	struct side_ctx *c = arg;

	return scf_ring_pending(&c->q.rsp) != 0;
}

static void *region;
static uint64_t region_size;

static int make_region(void)
{
	struct scf_geom g;
	int fd;

	scf_geom_default(&g);
	g.nr_slots = 1;
	g.pool_chunk = 64;
	region_size = scf_region_size(&g) + SCF_PAGE_SIZE;	/* + a stop word */
	fd = memfd_create("scf-test", MFD_CLOEXEC);
	if (fd < 0 || ftruncate(fd, (off_t)region_size) < 0)
		return -errno;
	region = mmap(NULL, region_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		      fd, 0);
	close(fd);
	if (region == MAP_FAILED)
		return -errno;
	return scf_region_format(region, region_size - SCF_PAGE_SIZE, &g);
}

static volatile uint32_t *stop_word(void)
{
	return (volatile uint32_t *)((uint8_t *)region + region_size -
				     SCF_PAGE_SIZE);
}

static int attach(struct side_ctx *c, struct scf_notify **n, enum scf_side side)
{
	struct scf_notify_cfg cfg = {
		.side = side, .dev_fd = -1, .sock_fd = -1, .backend = "futex",
	};
	int ret;

	ret = scf_queue_attach(&c->q, region, region_size - SCF_PAGE_SIZE, 0);
	if (ret)
		return ret;
	c->stop = stop_word();
	cfg.q = &c->q;
	return scf_notify_attach(n, &cfg);
}

/* The shadow: echo every request index back until told to stop. */
static int shadow_main(void)
{
	struct side_ctx c;
	struct scf_notify *n;
	uint32_t idx;
	long served = 0;

	if (attach(&c, &n, SCF_SIDE_SHADOW))
		return 3;
	for (;;) {
		if (scf_notify_wait(n, req_ready, &c, NULL))
			return 4;
		while (!scf_ring_pop(&c.q.req, &idx)) {
			if (scf_ring_push(&c.q.rsp, idx))
				return 5;
			served++;
			if (scf_notify_kick(n, NULL))
				return 6;
		}
		if (*c.stop && !scf_ring_pending(&c.q.req))
			break;
	}
	scf_notify_detach(n);
	return served > 0 ? 0 : 7;
}

static void on_alarm(int sig)
{
	static const char msg[] = "not ok - watchdog: a wake-up was lost (timeout)\n";

	(void)sig;
	if (write(1, msg, sizeof(msg) - 1) < 0)
		_exit(2);
	_exit(1);
}

static void test_pingpong(long rounds)
{
	struct timespec t0, t1;
	struct side_ctx c;
	struct scf_notify *n;
	uint64_t ks[2] = { 1, 1 };
	long i, bad = 0;
	uint32_t idx;
	int status, ret;
	pid_t pid;
	double s;

	ret = make_region();
	tap_ok(!ret, "memfd region formatted (%s)", ret ? scf_strerror(ret) : "ok");
	if (ret)
		return;
	pid = fork();
	if (pid == 0)
		_exit(shadow_main());
	ret = attach(&c, &n, SCF_SIDE_CLIENT);
	tap_ok(!ret && streq0(scf_notify_backend(n), "futex"),
	       "client attached with backend futex");
	if (ret) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		return;
	}
	signal(SIGALRM, on_alarm);
	alarm(120);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < rounds; i++) {
		if (scf_ring_push(&c.q.req, (uint32_t)(i & 15)) ||
		    scf_notify_kick(n, ks) ||
		    scf_notify_wait(n, rsp_ready, &c, ks) ||
		    scf_ring_pop(&c.q.rsp, &idx) || idx != (uint32_t)(i & 15) ||
		    ks[0] || ks[1]) {
			bad++;
			break;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	tap_ok(!bad && i == rounds,
	       "%ld round trips, no lost wake-up, answers in order, kstamps 0 (%.2f us each)",
	       i, s * 1e6 / (double)(i ? i : 1));

	*c.stop = 1;
	ret = scf_notify_kick(n, NULL);
	waitpid(pid, &status, 0);
	alarm(0);
	tap_ok(!ret && WIFEXITED(status) && !WEXITSTATUS(status),
	       "shadow stopped cleanly (status %d)", status);
	scf_notify_detach(n);
}

/*
 * wait() never returns while ready() is false, however many kicks come;
 * and a kick that lands before the wait is not lost.
 */
static volatile uint32_t *flag_word;

static bool flag_ready(void *arg)
{
	(void)arg;
	return __atomic_load_n(flag_word, __ATOMIC_ACQUIRE) != 0;
}

static void test_spurious(void)
{
	struct side_ctx c;
	struct scf_notify *n;
	volatile uint32_t *shared = stop_word();
	int status, i, ret;
	pid_t pid;

	flag_word = &shared[16];
	shared[16] = 0;		/* the condition */
	shared[32] = 0;		/* child: returned from wait */
	pid = fork();
	if (pid == 0) {
		struct side_ctx cc;
		struct scf_notify *cn;

		if (attach(&cc, &cn, SCF_SIDE_SHADOW))
			_exit(3);
		if (scf_notify_wait(cn, flag_ready, NULL, NULL))
			_exit(4);
		__atomic_store_n(&shared[32], 1, __ATOMIC_RELEASE);
		_exit(flag_ready(NULL) ? 0 : 5);
	}
	ret = attach(&c, &n, SCF_SIDE_CLIENT);
	for (i = 0; !ret && i < 100; i++)
		ret = scf_notify_kick(n, NULL);
	usleep(100 * 1000);
	tap_ok(!ret && !__atomic_load_n(&shared[32], __ATOMIC_ACQUIRE),
	       "100 kicks without the condition: wait() keeps waiting");
	__atomic_store_n(&shared[16], 1, __ATOMIC_RELEASE);
	scf_notify_kick(n, NULL);
	alarm(30);
	waitpid(pid, &status, 0);
	alarm(0);
	tap_ok(WIFEXITED(status) && !WEXITSTATUS(status),
	       "condition set and kicked: wait() returned (status %d)", status);

	/* Kick before wait: the condition is already true, so no sleep. */
	shared[16] = 0;
	__atomic_store_n(&shared[16], 1, __ATOMIC_RELEASE);
	scf_notify_kick(n, NULL);
	pid = fork();
	if (pid == 0) {
		struct side_ctx cc;
		struct scf_notify *cn;

		if (attach(&cc, &cn, SCF_SIDE_SHADOW))
			_exit(3);
		_exit(scf_notify_wait(cn, flag_ready, NULL, NULL) ? 4 : 0);
	}
	alarm(30);
	waitpid(pid, &status, 0);
	alarm(0);
	tap_ok(WIFEXITED(status) && !WEXITSTATUS(status),
	       "kick before wait: no lost wake-up");
	scf_notify_detach(n);
}

static void test_kmod_absent(void)
{
	struct scf_notify_cfg cfg = {
		.side = SCF_SIDE_CLIENT, .dev_fd = -1, .sock_fd = -1,
		.backend = "kmod",
	};
	struct side_ctx c;
	struct scf_notify *n = NULL;
	int ret;

	if (!access(SCF_DEV_PATH, F_OK)) {
		tap_skip("/dev/scf present", "attach(kmod) without the device");
		return;
	}
	ret = scf_queue_attach(&c.q, region, region_size - SCF_PAGE_SIZE, 0);
	cfg.q = &c.q;
	if (!ret)
		ret = scf_notify_attach(&n, &cfg);
	tap_ok(ret == -SCF_ENOSYS, "attach(kmod) without /dev/scf is -ENOSYS (%d)",
	       ret);
}

/*
 * Both backends sleep unless asked, and take spin and hybrid:N; an
 * attached side declares what it was asked for.
 */
static void test_wait_policy(void)
{
	static const char *const backends[] = { "futex", "kmod" };
	struct scf_wait_policy ask, got;
	struct scf_notify *n = NULL;
	struct side_ctx c;
	unsigned int i, k;
	int ret;

	for (i = 0; i < 2; i++) {
		for (k = SCF_WAIT_DEFAULT; k <= SCF_WAIT_HYBRID; k++) {
			ask = (struct scf_wait_policy){ .kind = k, .spin_ns = 700 };
			memset(&got, 0, sizeof(got));
			ret = scf_notify_wait_pick(backends[i], &ask, &got);
			tap_ok(!ret && got.kind == (k ? k : SCF_WAIT_SLEEP) &&
			       got.spin_ns == (k == SCF_WAIT_HYBRID ? 700 : 0),
			       "wait pick %s, asked %u: kind %d, %llu ns",
			       backends[i], k, got.kind,
			       (unsigned long long)got.spin_ns);
		}
	}
	ret = make_region();
	if (!ret) {
		struct scf_notify_cfg cfg = {
			.side = SCF_SIDE_CLIENT, .dev_fd = -1, .sock_fd = -1,
			.backend = "futex", .q = &c.q,
			.wait = { .kind = SCF_WAIT_HYBRID, .spin_ns = 900 },
		};

		ret = scf_queue_attach(&c.q, region, region_size - SCF_PAGE_SIZE,
				       0) ?: scf_notify_attach(&n, &cfg);
	}
	tap_ok(!ret && scf_notify_policy(n).kind == SCF_WAIT_HYBRID &&
	       scf_notify_policy(n).spin_ns == 900,
	       "attached with hybrid:900, it declares hybrid:900 (%d)", ret);
	if (!ret)
		scf_notify_detach(n);
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? strtol(argv[1], NULL, 0) : 100000;

	test_pick();
	test_pingpong(rounds);
	test_spurious();
	test_kmod_absent();
	test_wait_policy();
	return tap_done();
}
