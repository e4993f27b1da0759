// SPDX-License-Identifier: MIT
/*
 * scf_modtest.c - tests of the scf module, run inside the VM with scf.ko
 * loaded (linked -static into the initramfs).  Prints TAP.
 *
 *   scf_modtest [--slots N] [--phys] [--unload]
 *
 * --slots N   the nr_slots the module was loaded with (default 4)
 * --phys      the module maps phys_base= (expect SCF_INFO_PHYS)
 * --unload    last, unload the module while a waiter sleeps (rmmod must
 *             be refused, the waiter undisturbed), then unload it for real
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "scf_arch.h"
#include "scf_ipi.h"
#include "scf_notify.h"
#include "scf_region.h"
#include "../tap.h"

static struct scf_info_args info;
static unsigned int want_slots = 4;
static int want_phys;
static void *region;

static int open_dev(void)
{
	return open(SCF_DEV_PATH, O_RDWR | O_CLOEXEC);
}

/* ioctl returning 0 or the errno it failed with. */
static int xioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) < 0 ? errno : 0;
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static int wait_bell(int fd, uint32_t slot, uint32_t side, uint32_t seq,
		     uint64_t timeout_ns, struct scf_wait_args *w)
{
	memset(w, 0, sizeof(*w));
	w->slot = slot;
	w->side = side;
	w->seq = seq;
	w->timeout_ns = timeout_ns;
	return xioctl(fd, SCF_IOC_BELL_WAIT, w);
}

static int kick_bell(int fd, uint32_t slot, uint32_t side,
		     struct scf_kick_args *k)
{
	memset(k, 0, sizeof(*k));
	k->slot = slot;
	k->side = side;
	k->cpu = SCF_CPU_WAITER;
	return xioctl(fd, SCF_IOC_BELL_KICK, k);
}

static uint32_t cur_seq(int fd, uint32_t slot, uint32_t side)
{
	struct scf_wait_args w;

	wait_bell(fd, slot, side, 0, 0, &w);
	return w.seq;
}

/* A page of the region shared with children, past every queue. */
struct shared {
	volatile uint64_t stamp[8];
	volatile uint32_t flag;
	volatile int32_t err;
	volatile uint32_t count;
};

static struct shared *sh;

static int get_stats(int fd, uint32_t slot, struct scf_stats_args *st)
{
	memset(st, 0, sizeof(*st));
	st->slot = slot;
	return xioctl(fd, SCF_IOC_STATS_GET, st);
}

/* The kernel was booted with idle=poll: kicks to a sleeper send no IPI. */
static int idle_poll_boot(void)
{
	char line[4096] = "";
	FILE *f = fopen("/proc/cmdline", "r");

	if (f) {
		if (!fgets(line, sizeof(line), f))
			line[0] = 0;
		fclose(f);
	}
	return strstr(line, "idle=poll") != NULL;
}

static int child_exit(pid_t pid, double timeout_s)
{
	double end = now_s() + timeout_s;
	int status;

	while (now_s() < end) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
		usleep(1000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -1;
}

/* ---- tests ---------------------------------------------------------- */

static void test_info(int fd)
{
	int err = xioctl(fd, SCF_IOC_INFO_GET, &info);

	tap_ok(!err && info.version == SCF_UAPI_VERSION &&
	       info.nr_slots == want_slots &&
	       info.region_size == SCF_PAGE_SIZE + (uint64_t)info.nr_slots *
				info.slot_size &&
	       info.nr_cpu_ids >= 2 &&
	       !!(info.flags & SCF_INFO_PHYS) == want_phys,
	       "INFO_GET: v%u, %u slots of %llu bytes, region %llu, %u CPUs, flags %#x",
	       info.version, info.nr_slots, (unsigned long long)info.slot_size,
	       (unsigned long long)info.region_size, info.nr_cpu_ids, info.flags);
}

static void test_bad_input(int fd)
{
	struct scf_slot_args s;
	struct scf_kick_args k;
	struct scf_wait_args w;
	uint64_t junk = 0;
	int e1, e2, e3, e4;

	e1 = xioctl(fd, _IO(SCF_IOC_MAGIC, 0xff), NULL);
	e2 = xioctl(fd, _IOR(SCF_IOC_MAGIC, 0xc0, uint64_t), &junk);
	e3 = xioctl(fd, _IOWR('x', 0xc3, struct scf_kick_args), &k);
	tap_ok(e1 == ENOTTY && e2 == ENOTTY && e3 == ENOTTY,
	       "unknown ioctl, wrong size, wrong magic: ENOTTY (%d %d %d)",
	       e1, e2, e3);

	e1 = xioctl(fd, SCF_IOC_INFO_GET, NULL);
	e2 = xioctl(fd, SCF_IOC_SLOT_ALLOC, (void *)8);
	e3 = xioctl(fd, SCF_IOC_BELL_KICK, (void *)-4096L);
	e4 = xioctl(fd, SCF_IOC_BELL_WAIT, (void *)1);
	tap_ok(e1 == EFAULT && e2 == EFAULT && e3 == EFAULT && e4 == EFAULT,
	       "bad user pointers: EFAULT (%d %d %d %d)", e1, e2, e3, e4);
	/* Read-only page: the kernel reads the args, then cannot write back. */
	{
		struct scf_info_args *ro = mmap(NULL, 4096, PROT_READ,
						MAP_PRIVATE | MAP_ANONYMOUS,
						-1, 0);

		e1 = xioctl(fd, SCF_IOC_INFO_GET, ro);
		e2 = xioctl(fd, SCF_IOC_BELL_WAIT, ro);	/* slot 0 side 0 */
		munmap(ro, 4096);
		tap_ok(e1 == EFAULT && e2 == EFAULT,
		       "read-only args: EFAULT on copy-out (%d %d)", e1, e2);
	}

	memset(&s, 0, sizeof(s));
	s.slot = info.nr_slots;
	e1 = xioctl(fd, SCF_IOC_SLOT_ALLOC, &s);
	e2 = xioctl(fd, SCF_IOC_SLOT_FREE, &s);
	s.slot = SCF_SLOT_ANY;
	s.flags = 1;
	e3 = xioctl(fd, SCF_IOC_SLOT_ALLOC, &s);
	s.slot = 0;
	s.flags = 0;
	e4 = xioctl(fd, SCF_IOC_SLOT_FREE, &s);	/* not ours */
	tap_ok(e1 == EINVAL && e2 == EINVAL && e3 == EINVAL && e4 == EINVAL,
	       "bad slot / flags / free of a slot not held: EINVAL (%d %d %d %d)",
	       e1, e2, e3, e4);

	e1 = kick_bell(fd, info.nr_slots, 0, &k);
	e2 = kick_bell(fd, 0, 2, &k);
	memset(&k, 0, sizeof(k));
	k.cpu = (int32_t)info.nr_cpu_ids;
	e3 = xioctl(fd, SCF_IOC_BELL_KICK, &k);
	k.cpu = -2;
	e4 = xioctl(fd, SCF_IOC_BELL_KICK, &k);
	tap_ok(e1 == EINVAL && e2 == EINVAL && e3 == EINVAL && e4 == EINVAL,
	       "KICK bad slot, side, CPU: EINVAL (%d %d %d %d)", e1, e2, e3, e4);
	memset(&k, 0, sizeof(k));
	k.flags = 4;
	e1 = xioctl(fd, SCF_IOC_BELL_KICK, &k);
	e2 = wait_bell(fd, info.nr_slots, 0, 0, 0, &w);
	e3 = wait_bell(fd, 0, 2, 0, 0, &w);
	memset(&w, 0, sizeof(w));
	w.flags = 1;
	e4 = xioctl(fd, SCF_IOC_BELL_WAIT, &w);
	tap_ok(e1 == EINVAL && e2 == EINVAL && e3 == EINVAL && e4 == EINVAL,
	       "KICK flags, WAIT bad slot, side, flags: EINVAL (%d %d %d %d)",
	       e1, e2, e3, e4);
}

static void test_mmap(int fd)
{
	size_t size = info.region_size;
	void *a, *b, *c, *d, *e;
	int ok;

	a = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	b = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 (off_t)(size - 4096));
	ok = a != MAP_FAILED && b != MAP_FAILED;
	if (ok) {
		((volatile uint32_t *)a)[(size - 4096) / 4] = 0x5cf5cf;
		ok = ((volatile uint32_t *)b)[0] == 0x5cf5cf;
		((volatile uint32_t *)a)[(size - 4096) / 4] = 0;
	}
	tap_ok(ok, "mmap of the whole region and of its last page alias");
	if (b != MAP_FAILED)
		munmap(b, 4096);

	c = mmap(NULL, size + 4096, PROT_READ, MAP_SHARED, fd, 0);
	e = c == MAP_FAILED ? (void *)(long)errno : NULL;
	d = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, (off_t)size);
	tap_ok(c == MAP_FAILED && e == (void *)(long)EINVAL &&
	       d == MAP_FAILED && errno == EINVAL,
	       "mmap beyond the region (longer, or past its end): EINVAL");
	d = mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, (off_t)(size - 4096));
	e = d == MAP_FAILED ? (void *)(long)errno : NULL;
	c = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	tap_ok(d == MAP_FAILED && e == (void *)(long)EINVAL &&
	       c == MAP_FAILED && errno == EINVAL,
	       "mmap straddling the end, or MAP_PRIVATE: EINVAL");
	region = a == MAP_FAILED ? NULL : a;
}

static void test_format(int fd)
{
	struct scf_region_info ri;
	struct scf_queue q;
	struct scf_geom g;
	uint64_t size = 0;
	uint32_t i;
	int ret, att = 0;

	if (!region) {
		tap_ok(0, "format: no region");
		return;
	}
	scf_geom_default(&g);
	ret = scf_ipi_geom(fd, &g, &size);
	if (!ret) {
		memset(region, 0, size);
		ret = scf_region_format(region, size, &g);
	}
	if (!ret)
		ret = scf_region_check(region, size, &ri);
	for (i = 0; !ret && i < g.nr_slots; i++)
		att += !scf_queue_attach(&q, region, size, i);
	tap_ok(!ret && att == (int)info.nr_slots && ri.slot_stride == info.slot_size,
	       "scf_ipi_geom fits capacity %u, pool_chunk %u, late_cap %u into %llu-byte slots; format, check, attach %d slots (%s)",
	       g.capacity, g.pool_chunk, g.late_cap,
	       (unsigned long long)info.slot_size, att,
	       ret ? scf_strerror(ret) : "ok");
	/* A shared scratch page for the children: last page of the region. */
	sh = (struct shared *)((uint8_t *)region + size - 4096);
	memset((void *)sh, 0, sizeof(*sh));
}

static void test_timeout(int fd)
{
	struct scf_wait_args w;
	uint32_t seq = cur_seq(fd, 0, 0);
	double t0, dt;
	int err;

	t0 = now_s();
	err = wait_bell(fd, 0, 0, seq, 0, &w);
	dt = now_s() - t0;
	tap_ok(err == ETIMEDOUT && w.seq == seq && !(w.flags & SCF_WAIT_SLEPT) &&
	       dt < 0.5, "WAIT timeout 0 polls: ETIMEDOUT at once, seq %u", w.seq);

	t0 = now_s();
	err = wait_bell(fd, 0, 0, seq, 50 * 1000 * 1000, &w);
	dt = now_s() - t0;
	tap_ok(err == ETIMEDOUT && (w.flags & SCF_WAIT_SLEPT) && dt >= 0.049 &&
	       dt < 3.0 && !w.handler_tsc,
	       "WAIT 50 ms timeout: ETIMEDOUT after %.1f ms, no handler stamp",
	       dt * 1e3);
}

static void test_kick_before_wait(int fd)
{
	struct scf_kick_args k;
	struct scf_wait_args w;
	uint32_t seq = cur_seq(fd, 1, 1);
	int e1, e2;

	e1 = kick_bell(fd, 1, 1, &k);
	e2 = wait_bell(fd, 1, 1, seq, 5000000000ull, &w);
	tap_ok(!e1 && k.seq == seq + 1 && (k.flags & SCF_KICK_LOCAL) &&
	       !k.ipi_sent_tsc && k.entry_tsc && k.target_cpu == -1 &&
	       !e2 && w.seq == seq + 1 && !(w.flags & SCF_WAIT_SLEPT) &&
	       !w.handler_tsc && !w.resumed_tsc,
	       "kick before wait: no IPI, the wait returns at once with seq %u",
	       w.seq);
}

/*
 * A child on waiter_cpu sleeps on (slot 0, shadow side); the parent, on
 * kicker_cpu, kicks it once it has had time to fall asleep.  The child
 * leaves its wait's stamps in sh->stamp[0..3] (entry, handler, resumed,
 * back in user space) and its flags in sh->stamp[4].  Returns the kick's
 * error, *rc the child's exit status.
 */
static int kick_sleeper(int fd, int waiter_cpu, int kicker_cpu,
			struct scf_kick_args *k, int *rc)
{
	uint32_t seq = cur_seq(fd, 0, 0);
	pid_t pid;
	int err;

	memset((void *)sh, 0, sizeof(*sh));
	pin(kicker_cpu);
	pid = fork();
	if (pid == 0) {
		struct scf_wait_args w;
		int cfd = open_dev();

		pin(waiter_cpu);
		sh->flag = 1;
		err = wait_bell(cfd, 0, 0, seq, 10000000000ull, &w);
		sh->stamp[0] = w.entry_tsc;
		sh->stamp[1] = w.handler_tsc;
		sh->stamp[2] = w.resumed_tsc;
		sh->stamp[3] = scf_rdtsc_ordered();
		sh->stamp[4] = w.flags;
		sh->err = err;
		_exit(err ? 1 : 0);
	}
	while (!sh->flag)
		usleep(1000);
	usleep(300 * 1000);	/* TCG: give it time to reach the sleep */
	err = kick_bell(fd, 0, 0, k);
	*rc = child_exit(pid, 10);
	return err;
}

/*
 * A waiter asleep on CPU 0, the kicker on CPU 1: the IPI must go to CPU 0
 * and the stamps must be ordered; under idle=poll, CPU 0 polls and the
 * kick wakes it without one.
 */
static void test_kick_wake(int fd)
{
	struct scf_kick_args k;
	int err, rc;

	err = kick_sleeper(fd, 0, 1, &k, &rc);
	tap_diag("kick: entry %llu ipi_sent +%lld; waiter: handler +%lld resumed +%lld user +%lld (TSC ticks from kick entry)",
	     (unsigned long long)k.entry_tsc,
	     (long long)(k.ipi_sent_tsc - k.entry_tsc),
	     (long long)(sh->stamp[1] - k.entry_tsc),
	     (long long)(sh->stamp[2] - k.entry_tsc),
	     (long long)(sh->stamp[3] - k.entry_tsc));
	if (idle_poll_boot()) {
		/* CPU 0 polls in idle: need-resched, no IPI, no handler stamp */
		tap_ok(!err && rc == 0 && k.flags == SCF_KICK_POLLING &&
		       !k.ipi_sent_tsc && k.target_cpu == -1 &&
		       (sh->stamp[4] & SCF_WAIT_IDLE) && !sh->stamp[1],
		       "idle=poll: kick of a sleeping waiter woke it without an IPI (flags %#x, waiter flags %#llx)",
		       k.flags, (unsigned long long)sh->stamp[4]);
		return;
	}
	tap_ok(!err && rc == 0 && k.flags == SCF_KICK_IPI && k.target_cpu == 0,
	       "kick of a sleeping waiter: one IPI to its CPU 0 (target %d, flags %#x), waiter returned 0",
	       k.target_cpu, k.flags);
	tap_ok((sh->stamp[4] & SCF_WAIT_SLEPT) && (sh->stamp[4] & SCF_WAIT_IRQ) &&
	       sh->stamp[0] < k.entry_tsc &&
	       k.entry_tsc <= k.ipi_sent_tsc && k.ipi_sent_tsc <= sh->stamp[1] &&
	       sh->stamp[1] <= sh->stamp[2] && sh->stamp[2] <= sh->stamp[3],
	       "stamps ordered: wait entry < kick entry <= ipi sent <= handler (in the IPI) <= resumed <= user");
}

/*
 * Waiter and kicker on one CPU: no IPI can be sent to oneself's sleeper,
 * the kick wakes it directly and says so.
 */
static void test_kick_same_cpu(int fd)
{
	struct scf_kick_args k;
	int err, rc;

	err = kick_sleeper(fd, 1, 1, &k, &rc);
	tap_ok(!err && rc == 0 && k.flags == SCF_KICK_SAME_CPU &&
	       !k.ipi_sent_tsc && k.target_cpu == -1 &&
	       (sh->stamp[4] & SCF_WAIT_SLEPT) &&
	       !(sh->stamp[4] & (SCF_WAIT_IRQ | SCF_WAIT_IDLE)) && !sh->stamp[1],
	       "kick of a waiter sleeping on the kicker's CPU: woken directly, no IPI (flags %#x, waiter %#llx)",
	       k.flags, (unsigned long long)sh->stamp[4]);
}

/*
 * STATS_GET: a kick nobody waits for counts once, as not_waiting; the
 * sum over all slots is each slot's sum; bad input is -EINVAL.
 */
static void test_stats(int fd)
{
	struct scf_stats_args a, b, all, one;
	struct scf_kick_args k;
	uint32_t i;
	int err, sum_ok = 1, e1, e2;

	err = get_stats(fd, 1, &a);
	err = err ?: kick_bell(fd, 1, 0, &k);
	err = err ?: get_stats(fd, 1, &b);
	tap_ok(!err && k.flags == SCF_KICK_LOCAL &&
	       b.side[0].kicks == a.side[0].kicks + 1 &&
	       b.side[0].not_waiting == a.side[0].not_waiting + 1 &&
	       b.side[0].ipi_sent == a.side[0].ipi_sent &&
	       b.side[1].kicks == a.side[1].kicks,
	       "STATS_GET: a kick with no waiter counts once, as not_waiting, on its side only");
	err = get_stats(fd, SCF_SLOT_ANY, &all);
	for (i = 0; i < info.nr_slots && !err; i++) {
		err = get_stats(fd, i, &one);
		all.side[0].kicks -= one.side[0].kicks;
		all.side[1].kicks -= one.side[1].kicks;
	}
	sum_ok = !err && !all.side[0].kicks && !all.side[1].kicks;
	tap_ok(sum_ok, "STATS_GET SCF_SLOT_ANY is the sum over the %u slots",
	       info.nr_slots);
	memset(&a, 0, sizeof(a));
	a.slot = info.nr_slots;
	e1 = xioctl(fd, SCF_IOC_STATS_GET, &a);
	memset(&a, 0, sizeof(a));
	a.flags = 1;
	e2 = xioctl(fd, SCF_IOC_STATS_GET, &a);
	tap_ok(e1 == EINVAL && e2 == EINVAL,
	       "STATS_GET: slot out of range %d, flags set %d (EINVAL)", e1, e2);
	tap_ok(xioctl(fd, SCF_IOC_STATS_GET, NULL) == EFAULT,
	       "STATS_GET: bad pointer is EFAULT");
}

/* Raw ioctl ping-pong between two processes on two CPUs. */
#define PP_ROUNDS 2000

static void test_pingpong(int fd)
{
	uint32_t seq0 = cur_seq(fd, 2 % info.nr_slots, 0);
	uint32_t seq1 = cur_seq(fd, 2 % info.nr_slots, 1);
	uint32_t slot = 2 % info.nr_slots, i, seen = seq1, ipis = 0, slept = 0;
	struct scf_kick_args k;
	struct scf_wait_args w;
	int err = 0, rc;
	pid_t pid;

	memset((void *)sh, 0, sizeof(*sh));
	pid = fork();
	if (pid == 0) {
		int cfd = open_dev();
		uint32_t s = seq0, n;

		pin(0);
		for (n = 1; n <= PP_ROUNDS; n++) {
			/* wait for request n */
			while (__atomic_load_n(&sh->count, __ATOMIC_ACQUIRE) < 2 * n - 1) {
				if (wait_bell(cfd, slot, 0, s, 5000000000ull, &w))
					_exit(2);
				s = w.seq;
			}
			__atomic_store_n(&sh->count, 2 * n, __ATOMIC_RELEASE);
			if (kick_bell(cfd, slot, 1, &k))
				_exit(3);
		}
		_exit(0);
	}
	pin(1);
	for (i = 1; i <= PP_ROUNDS && !err; i++) {
		__atomic_store_n(&sh->count, 2 * i - 1, __ATOMIC_RELEASE);
		err = kick_bell(fd, slot, 0, &k);
		ipis += !!(k.flags & SCF_KICK_IPI);
		while (!err && __atomic_load_n(&sh->count, __ATOMIC_ACQUIRE) < 2 * i) {
			err = wait_bell(fd, slot, 1, seen, 5000000000ull, &w);
			seen = w.seq;
			slept += !!(w.flags & SCF_WAIT_SLEPT);
		}
	}
	rc = child_exit(pid, 30);
	tap_ok(!err && rc == 0 && i == PP_ROUNDS + 1,
	       "%u ioctl round trips CPU 1 <-> CPU 0, none lost (err %d, child %d; %u IPIs, %u sleeps)",
	       i - 1, err, rc, ipis, slept);
}

static void test_slots(int fd)
{
	struct scf_slot_args s;
	uint32_t got = 0, i;
	int fd2 = open_dev(), e1, e2, e3, ok = 1;

	for (i = 0; i < info.nr_slots; i++) {
		memset(&s, 0, sizeof(s));
		s.slot = SCF_SLOT_ANY;
		if (xioctl(fd, SCF_IOC_SLOT_ALLOC, &s) || s.slot >= 32 ||
		    (got & (1u << s.slot)))
			ok = 0;
		else
			got |= 1u << s.slot;
	}
	s.slot = SCF_SLOT_ANY;
	e1 = xioctl(fd2, SCF_IOC_SLOT_ALLOC, &s);
	tap_ok(ok && got == (1u << info.nr_slots) - 1 && e1 == ENOSPC,
	       "%u slots allocated, distinct; the next: ENOSPC (%d)",
	       info.nr_slots, e1);

	s.slot = 1;
	e1 = xioctl(fd2, SCF_IOC_SLOT_FREE, &s);	/* another file's */
	e2 = xioctl(fd, SCF_IOC_SLOT_FREE, &s);
	e3 = xioctl(fd, SCF_IOC_SLOT_FREE, &s);	/* double free */
	tap_ok(e1 == EINVAL && !e2 && e3 == EINVAL,
	       "free by another file EINVAL, by the owner 0, twice EINVAL (%d %d %d)",
	       e1, e2, e3);

	s.slot = 0;
	e1 = xioctl(fd2, SCF_IOC_SLOT_ALLOC, &s);	/* held: busy */
	s.slot = SCF_SLOT_ANY;
	e2 = xioctl(fd2, SCF_IOC_SLOT_ALLOC, &s);
	tap_ok(e1 == EBUSY && !e2 && s.slot == 1 && s.allocs >= 2,
	       "a held slot: EBUSY; the freed slot 1 is reused (got %u, allocation #%llu)",
	       s.slot, (unsigned long long)s.allocs);

	/* Closing a file frees what it holds. */
	close(fd2);
	fd2 = open_dev();
	s.slot = 1;
	e1 = xioctl(fd2, SCF_IOC_SLOT_ALLOC, &s);
	for (i = 0; i < info.nr_slots; i++) {
		s.slot = i;
		if (i != 1)
			ok &= !xioctl(fd, SCF_IOC_SLOT_FREE, &s);
	}
	s.slot = 1;
	e2 = xioctl(fd2, SCF_IOC_SLOT_FREE, &s);
	tap_ok(!e1 && ok && !e2,
	       "close frees a file's slots; every slot freed again (%d %d)",
	       e1, e2);
	close(fd2);
}

/* The slot's owner goes away while a peer sleeps on it: -EPIPE. */
static void test_close_waiter(void)
{
	struct scf_slot_args s = { .slot = 3 % info.nr_slots };
	int ofd = open_dev(), e, rc;
	double t0;
	pid_t pid;

	e = xioctl(ofd, SCF_IOC_SLOT_ALLOC, &s);
	memset((void *)sh, 0, sizeof(*sh));
	pid = fork();
	if (pid == 0) {
		struct scf_wait_args w;
		int cfd;
		uint32_t seq;

		close(ofd);	/* else our copy keeps the owner's file open */
		cfd = open_dev();
		seq = cur_seq(cfd, s.slot, 0);
		sh->flag = 1;
		_exit(wait_bell(cfd, s.slot, 0, seq, 20000000000ull, &w));
	}
	while (!sh->flag)
		usleep(1000);
	usleep(200 * 1000);
	t0 = now_s();
	close(ofd);
	rc = child_exit(pid, 10);
	tap_ok(!e && rc == EPIPE && now_s() - t0 < 5,
	       "owner closes /dev/scf while a peer waits on its slot: the wait ends with EPIPE (%d) in %.0f ms",
	       rc, (now_s() - t0) * 1e3);
}

static void on_usr1(int sig)
{
	(void)sig;
}

static void test_signal(void)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	int rc;
	pid_t pid;

	memset((void *)sh, 0, sizeof(*sh));
	pid = fork();
	if (pid == 0) {
		struct scf_wait_args w;
		int cfd = open_dev();
		uint32_t seq = cur_seq(cfd, 0, 1);

		sigaction(SIGUSR1, &sa, NULL);	/* no SA_RESTART */
		sh->flag = 1;
		_exit(wait_bell(cfd, 0, 1, seq, 20000000000ull, &w));
	}
	while (!sh->flag)
		usleep(1000);
	usleep(200 * 1000);
	kill(pid, SIGUSR1);
	rc = child_exit(pid, 10);
	tap_ok(rc == EINTR, "a signal interrupts the wait: EINTR (%d)", rc);
}

/* The notify contract over /dev/scf: two processes, the real rings. */
struct nctx {
	struct scf_queue q;
};

static bool req_ready(void *arg)
{
	struct nctx *c = arg;

	return scf_ring_pending(&c->q.req) || sh->flag;
}

static bool rsp_ready(void *arg)
{
	struct nctx *c = arg;

	return scf_ring_pending(&c->q.rsp) != 0;
}

#define NT_ROUNDS 1000

static void test_notify_kmod(int fd)
{
	struct scf_notify_cfg cfg = { .dev_fd = fd, .sock_fd = -1,
				      .backend = "kmod" };
	uint64_t ks[2], kw[2];
	uint32_t i, idx, full = 0, bad = 0, slot = 1 % info.nr_slots;
	struct scf_notify *n = NULL;
	struct nctx c;
	int ret, rc = -1, poll_boot;
	pid_t pid;

	memset((void *)sh, 0, sizeof(*sh));
	ret = scf_queue_attach(&c.q, region, info.region_size, slot);
	if (!ret)
		scf_queue_reset(&c.q);
	tap_ok(!ret && !strcmp(scf_notify_pick(NULL), "kmod") &&
	       !strcmp(scf_notify_pick("kmod"), "kmod") &&
	       !scf_notify_note("kmod"),
	       "pick(auto) and pick(kmod) are kmod with /dev/scf present");
	pid = fork();
	if (pid == 0) {
		struct scf_notify_cfg sc = cfg;
		struct scf_notify *sn;
		struct nctx cc;
		uint32_t j;

		pin(0);
		sc.dev_fd = -1;		/* opens its own */
		sc.side = SCF_SIDE_SHADOW;
		sc.cpu = 0;
		if (scf_queue_attach(&cc.q, region, info.region_size, slot))
			_exit(2);
		sc.q = &cc.q;
		if (scf_notify_attach(&sn, &sc))
			_exit(3);
		__atomic_store_n(&sh->count, 1, __ATOMIC_RELEASE);
		for (;;) {
			if (scf_notify_wait(sn, req_ready, &cc, NULL))
				_exit(4);
			while (!scf_ring_pop(&cc.q.req, &j)) {
				if (scf_ring_push(&cc.q.rsp, j) ||
				    scf_notify_kick(sn, NULL))
					_exit(5);
			}
			if (sh->flag && !scf_ring_pending(&cc.q.req))
				break;
		}
		scf_notify_detach(sn);
		_exit(0);
	}
	pin(1);
	cfg.side = SCF_SIDE_CLIENT;
	cfg.cpu = 1;
	cfg.q = &c.q;
	if (!ret)
		ret = scf_notify_attach(&n, &cfg);
	while (!ret && !__atomic_load_n(&sh->count, __ATOMIC_ACQUIRE))
		usleep(1000);
	for (i = 0; !ret && i < NT_ROUNDS; i++) {
		ret = scf_ring_push(&c.q.req, i & 15);
		if (!ret)
			ret = scf_notify_kick(n, ks);
		if (!ret)
			ret = scf_notify_wait(n, rsp_ready, &c, kw);
		if (!ret)
			ret = scf_ring_pop(&c.q.rsp, &idx);
		if (!ret && idx != (i & 15))
			ret = -1;
		if (!ks[0])
			bad++;
		if (kw[0] && kw[1]) {
			full++;
			if (kw[0] > kw[1])
				bad++;
		}
	}
	if (n) {
		sh->flag = 1;
		scf_notify_kick(n, NULL);
		rc = child_exit(pid, 30);
	} else {
		kill(pid, SIGKILL);
		child_exit(pid, 5);
	}
	/*
	 * Under idle=poll the shadow's CPU polls, so a kick wakes it with no
	 * IPI at all: an IPI-woken round trip is then chance (0 to 30 of
	 * 1000 have been seen under TCG), and only those there are can be
	 * checked.  With halting idle, most must be.
	 */
	poll_boot = idle_poll_boot();
	tap_ok(!ret && i == NT_ROUNDS && rc == 0 && !bad &&
	       (full > NT_ROUNDS / 2 || poll_boot) && n &&
	       !strcmp(scf_notify_backend(n), "kmod"),
	       "notify contract over /dev/scf: %u round trips through the rings, %u woken by an IPI with handler <= resumed%s (ret %d, shadow %d, bad %u)",
	       i, full, poll_boot ? " (idle=poll: any number)" :
	       " (halting idle: more than half)", ret, rc, bad);
	scf_notify_detach(n);
}

static int read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n, tot = 0;

	if (fd < 0)
		return -1;
	while ((size_t)tot < len - 1 &&
	       (n = read(fd, buf + tot, len - 1 - tot)) > 0)
		tot += n;
	buf[tot] = 0;
	close(fd);
	return (int)tot;
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_TRUNC);
	int ok;

	if (fd < 0)
		return -1;
	ok = write(fd, s, strlen(s)) == (ssize_t)strlen(s);
	close(fd);
	return ok ? 0 : -1;
}

/*
 * force_ipi=1: a kick of a sleeping waiter sends an IPI either way; only
 * under idle=poll, where the kernel skipped it, is it marked FORCED (no
 * second IPI where the kernel sent one).  INFO_GET reports the mode.
 */
static void test_kick_forced(int fd)
{
	const char *param = "/sys/module/scf/parameters/force_ipi";
	struct scf_info_args in;
	struct scf_kick_args k;
	uint32_t want;
	int err, rc;

	if (write_file(param, "1")) {
		tap_ok(0, "force_ipi: cannot write %s", param);
		return;
	}
	err = scf_ipi_info(fd, &in);
	tap_ok(!err && (in.flags & SCF_INFO_FORCE_IPI),
	       "force_ipi=1: INFO_GET says SCF_INFO_FORCE_IPI (flags %#x)",
	       in.flags);
	want = idle_poll_boot() ? SCF_KICK_IPI | SCF_KICK_FORCED : SCF_KICK_IPI;
	err = kick_sleeper(fd, 0, 1, &k, &rc);
	write_file(param, "0");
	tap_ok(!err && rc == 0 && k.flags == want && k.target_cpu == 0 &&
	       k.ipi_sent_tsc,
	       "force_ipi=1: kick of a sleeping waiter sent an IPI to CPU 0 (flags %#x, want %#x)",
	       k.flags, want);
}

static void test_trace(int fd)
{
	static char buf[1 << 16];
	const char *t = "/sys/kernel/tracing";
	char path[256];
	struct scf_kick_args k;
	uint32_t seq = cur_seq(fd, 0, 1);
	pid_t pid;
	int ok;

	snprintf(path, sizeof(path), "%s/events/scf/enable", t);
	if (access(path, W_OK)) {
		tap_ok(0, "tracepoints: %s missing", path);
		return;
	}
	snprintf(path, sizeof(path), "%s/trace", t);
	write_file(path, "");
	snprintf(path, sizeof(path), "%s/events/scf/enable", t);
	ok = !write_file(path, "1");
	memset((void *)sh, 0, sizeof(*sh));
	pid = fork();
	if (pid == 0) {
		struct scf_wait_args w;
		int cfd = open_dev();

		pin(0);
		sh->flag = 1;
		_exit(wait_bell(cfd, 0, 1, seq, 10000000000ull, &w));
	}
	pin(1);
	while (!sh->flag)
		usleep(1000);
	usleep(300 * 1000);
	kick_bell(fd, 0, 1, &k);
	child_exit(pid, 10);
	write_file(path, "0");
	snprintf(path, sizeof(path), "%s/trace", t);
	read_file(path, buf, sizeof(buf));
	tap_ok(ok && strstr(buf, "scf_kick:") && strstr(buf, "scf_ipi:") &&
	       strstr(buf, "scf_wake:"),
	       "tracepoints scf:scf_kick, scf:scf_ipi, scf:scf_wake recorded");
	{
		char *p = strstr(buf, "scf_kick:");

		while (p && p > buf && p[-1] != '\n')
			p--;
		for (int l = 0; p && *p && l < 3; l++) {
			char *e = strchr(p, '\n');

			tap_diag("%.*s", e ? (int)(e - p) : (int)strlen(p), p);
			p = e ? e + 1 : NULL;
		}
	}
}

/* rmmod while a waiter sleeps: refused, the waiter undisturbed. */
static void test_unload(int fd)
{
	struct scf_kick_args k;
	uint32_t seq = cur_seq(fd, 0, 0);
	int e1, e2, rc, cfd;
	pid_t pid;

	memset((void *)sh, 0, sizeof(*sh));
	pid = fork();
	if (pid == 0) {
		struct scf_wait_args w;
		int wfd = open_dev();
		int err;

		pin(0);
		sh->flag = 1;
		err = wait_bell(wfd, 0, 0, seq, 20000000000ull, &w);
		_exit(err ? err : (w.flags & SCF_WAIT_SLEPT) ? 0 : 100);
	}
	pin(1);
	while (!sh->flag)
		usleep(1000);
	usleep(300 * 1000);
	e1 = syscall(SYS_delete_module, "scf", O_NONBLOCK) ? errno : 0;
	usleep(100 * 1000);
	rc = waitpid(pid, NULL, WNOHANG);
	tap_ok((e1 == EBUSY || e1 == EAGAIN) && rc == 0,
	       "rmmod while a waiter sleeps is refused (%s), the waiter sleeps on",
	       strerror(e1));
	e2 = kick_bell(fd, 0, 0, &k);
	rc = child_exit(pid, 10);
	tap_ok(!e2 && rc == 0, "the waiter is then woken by a kick and returns 0 (%d)",
	       rc);

	munmap(region, info.region_size);
	close(fd);
	e1 = syscall(SYS_delete_module, "scf", O_NONBLOCK) ? errno : 0;
	cfd = open_dev();
	e2 = cfd < 0 ? errno : 0;
	tap_ok(!e1 && e2 == ENOENT,
	       "with every file closed, rmmod succeeds (%d) and /dev/scf is gone (%d)",
	       e1, e2);
	if (cfd >= 0)
		close(cfd);
}

int main(int argc, char **argv)
{
	int fd, unload = 0, i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--slots") && i + 1 < argc)
			want_slots = (unsigned int)atoi(argv[++i]);
		else if (!strcmp(argv[i], "--phys"))
			want_phys = 1;
		else if (!strcmp(argv[i], "--unload"))
			unload = 1;
		else {
			fprintf(stderr, "usage: %s [--slots N] [--phys] [--unload]\n",
				argv[0]);
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = open_dev();
	tap_ok(fd >= 0, "open %s (%s)", SCF_DEV_PATH, fd < 0 ? strerror(errno) : "ok");
	if (fd < 0) {
		tap_done();
		return 1;
	}
	test_info(fd);
	if (info.nr_slots < 2 || info.nr_cpu_ids < 2) {
		tap_ok(0, "need >= 2 slots and >= 2 CPUs");
		tap_done();
		return 1;
	}
	test_bad_input(fd);
	test_mmap(fd);
	test_format(fd);
	if (!region || !sh) {
		tap_done();
		return 1;
	}
	test_timeout(fd);
	test_kick_before_wait(fd);
	test_kick_wake(fd);
	test_kick_same_cpu(fd);
	test_stats(fd);
	test_pingpong(fd);
	test_kick_forced(fd);
	test_slots(fd);
	test_close_waiter();
	test_signal();
	test_notify_kmod(fd);
	test_trace(fd);
	if (unload)
		test_unload(fd);
	return tap_done();
}
