// SPDX-License-Identifier: MIT
/*
 * placement.c - where the region's pages land, under control.
 *
 * Two cache lines on one page, one written by the client's CPU and one by
 * the shadow's, take a round trip that depends on the page: on most a
 * machine's floor, on some (memory far from both CPUs, as a guest cannot
 * see) twice that, and a process whose rings land there keeps that level
 * for its whole run.  So at region setup every page of the region is
 * probed with that two-line round trip; a page past the floor is held out
 * of the allocator (spliced into a pipe, which keeps a reference to it),
 * punched out of the memfd, and touched again, so a fresh page takes its
 * place; at most PLACE_TRIES times a page.  The floor is the fastest
 * probe of a pool of scratch pages.  Where the machine has several NUMA
 * nodes the region is first bound to the node of the two CPUs.
 * What was chosen, what the probes measured and how many pages were
 * rejected goes into every result (config.placement).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench.h"
#include "placement.h"
#include "scf_arch.h"
#include "scf_sched.h"
#include "scf_tsc.h"

#define PAGE		4096u
#define PROBE_TRIPS	300	/* round trips per probe; the median counts */
#define FLOOR_PAGES	16	/* scratch pages the floor is taken from */
#define PLACE_TRIES	4	/* fresh pages tried for one slow page */
#define PLACE_SLACK	1.30	/* a page within floor * this is at the floor */
#define MPOL_BIND_	2	/* <linux/mempolicy.h>, without libnuma */

struct partner {
	_Atomic uint32_t *ping, *pong;	/* the two lines of the page probed */
	_Atomic int state;		/* 0 idle, 1 probe, 2 quit */
	int cpu;
};

/* On the shadow's CPU: answer every ping with a pong, until told to quit. */
static void *partner_main(void *arg)
{
	struct partner *p = arg;
	uint32_t seen = 0, v;

	scf_pin_cpu(p->cpu);
	for (;;) {
		int st = atomic_load_explicit(&p->state, memory_order_acquire);

		if (st == 2)
			return NULL;
		if (st != 1) {
			scf_cpu_relax();
			continue;
		}
		/* acquire: pairs with the prober's release store of ping */
		v = atomic_load_explicit(p->ping, memory_order_acquire);
		if (v == seen) {
			scf_cpu_relax();
			continue;
		}
		seen = v;
		/* release: pairs with the prober's acquire load of pong */
		atomic_store_explicit(p->pong, v, memory_order_release);
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The median two-line round trip on page pg, in ns; < 0 on a stall. */
static double probe(struct partner *p, uint8_t *pg, uint64_t tsc_hz)
{
	static uint64_t t[PROBE_TRIPS];
	static uint32_t seq;
	uint64_t t0;
	int i;

	p->ping = (_Atomic uint32_t *)pg;
	p->pong = (_Atomic uint32_t *)(pg + 128);	/* another line, no pair */
	atomic_store_explicit(p->ping, 0, memory_order_relaxed);
	atomic_store_explicit(p->pong, 0, memory_order_relaxed);
	seq = 0;
	/* release: pairs with the partner's acquire of state */
	atomic_store_explicit(&p->state, 1, memory_order_release);
	for (i = 0; i < PROBE_TRIPS; i++) {
		uint64_t spins = 0;

		t0 = scf_rdtsc_ordered();
		/* release: pairs with the partner's acquire load of ping */
		atomic_store_explicit(p->ping, ++seq, memory_order_release);
		/* acquire: pairs with the partner's release store of pong */
		while (atomic_load_explicit(p->pong, memory_order_acquire) != seq)
			if (++spins > 100000000ull)
				goto stalled;
		t[i] = scf_rdtsc_ordered() - t0;
	}
	atomic_store_explicit(&p->state, 0, memory_order_release);
	qsort(t, PROBE_TRIPS, sizeof(t[0]), cmp_u64);
	return (double)t[PROBE_TRIPS / 2] * 1e9 / (double)tsc_hz;
stalled:
	atomic_store_explicit(&p->state, 0, memory_order_release);
	return -1;
}

/* The node both CPUs are on, where there are several; -1 otherwise. */
static int shared_node(int a, int b)
{
	char path[96];
	int n, na = -1, nb = -1, nodes = 0;

	for (n = 0; n < 64; n++) {
		snprintf(path, sizeof(path), "/sys/devices/system/node/node%d", n);
		if (access(path, F_OK))
			continue;
		nodes++;
		snprintf(path, sizeof(path),
			 "/sys/devices/system/node/node%d/cpu%d", n, a);
		if (!access(path, F_OK))
			na = n;
		snprintf(path, sizeof(path),
			 "/sys/devices/system/node/node%d/cpu%d", n, b);
		if (!access(path, F_OK))
			nb = n;
	}
	return nodes > 1 && na >= 0 && na == nb ? na : -1;
}

/*
 * Replace the page at off of fd, mapped at pg: hold the old one in the
 * pipe, punch it out, and write its bytes back into a fresh one.
 */
static int reroll(int fd, uint8_t *pg, uint64_t off, int hold[2])
{
	static uint8_t keep[PAGE];
	loff_t o = (loff_t)off;
	ssize_t n;

	memcpy(keep, pg, PAGE);
	n = splice(fd, &o, hold[1], NULL, PAGE, SPLICE_F_NONBLOCK);
	if (n != PAGE)
		return n < 0 ? -errno : -EIO;
	if (fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
		      (off_t)off, PAGE))
		return -errno;
	memcpy(pg, keep, PAGE);
	return 0;
}

/*
 * The machine's floor: the fastest probe of FLOOR_PAGES scratch pages,
 * taken afresh for every placement (about 2 ms).  The machine moves
 * between speed states in the course of a run (a two-line round trip of
 * ~120 ns in one, 350-480 ns in the other, on every page alike), so a
 * floor taken at process start would reject every page of a peer placed
 * later in the slow state: the page is judged against the floor of the
 * state it is probed in.  < 0 when it could not be taken.
 */
static double floor_ns(struct partner *p, uint64_t tsc_hz)
{
	double floor = -1;
	uint8_t *scratch;
	uint32_t i;

	scratch = mmap(NULL, FLOOR_PAGES * PAGE, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (scratch == MAP_FAILED)
		return -1;
	for (i = 0; i < FLOOR_PAGES; i++) {
		double v = probe(p, scratch + i * PAGE, tsc_hz);

		if (v > 0 && (floor < 0 || v < floor))
			floor = v;
	}
	munmap(scratch, FLOOR_PAGES * PAGE);
	return floor;
}

int placement_run(struct bench *b, int fd, uint8_t *region, uint64_t size,
		  const uint64_t *off, uint32_t n, struct placement *pl)
{
	struct partner p = { .cpu = b->shadow_cpu };
	static uint8_t keep_lines[192];	/* the probe's two lines */
	int hold[2] = { -1, -1 }, node, err = 0;
	uint32_t i;
	pthread_t th;

	memset(pl, 0, sizeof(*pl));
	node = shared_node(b->client_cpu, b->shadow_cpu);
	if (node >= 0) {
		unsigned long mask[2] = { 0 };

		mask[node / 64] |= 1ul << (node % 64);
		if (!syscall(SYS_mbind, region, size, MPOL_BIND_, mask, 128, 0))
			pl->node = node + 1;
	}
	if (pthread_create(&th, NULL, partner_main, &p))
		return -EAGAIN;
	pl->floor_ns = floor_ns(&p, b->tsc_hz);
	/* --test-place-limit-ns: a limit of the test's, below the floor,
	 * sends every page through the replacing path */
	pl->limit_ns = b->test_place_limit_ns ? (double)b->test_place_limit_ns :
		       pl->floor_ns * PLACE_SLACK;
	if (pl->floor_ns <= 0)
		err = -EIO;
	else if (pipe2(hold, O_CLOEXEC))
		err = -errno;
	/* Room for every page that could be held: as much as allowed (a
	 * full pipe only ends the replacing early). */
	else
		fcntl(hold[1], F_SETPIPE_SZ, (int)(PAGE * PLACE_MAX_PAGES * PLACE_TRIES));
	for (i = 0; !err && i < n && i < PLACE_MAX_PAGES; i++) {
		uint8_t *pg = region + off[i];
		double v;
		int k;

		if (off[i] % PAGE || off[i] + PAGE > size)
			continue;
		/* a line of its own for each probe: the page's bytes kept */
		memcpy(keep_lines, pg, sizeof(keep_lines));
		v = probe(&p, pg, b->tsc_hz);
		memcpy(pg, keep_lines, sizeof(keep_lines));
		for (k = 0; v > pl->limit_ns && k < PLACE_TRIES &&
		     fd >= 0; k++) {
			if (reroll(fd, pg, off[i], hold))
				break;
			pl->rejected++;
			memcpy(keep_lines, pg, sizeof(keep_lines));
			v = probe(&p, pg, b->tsc_hz);
			memcpy(pg, keep_lines, sizeof(keep_lines));
		}
		pl->page[pl->npages] = off[i] / PAGE;
		pl->page_ns[pl->npages++] = v;
	}
	atomic_store_explicit(&p.state, 2, memory_order_release);
	pthread_join(th, NULL);
	/* The region's pages are in place: the rejected ones may go. */
	if (hold[0] >= 0)
		close(hold[0]);
	if (hold[1] >= 0)
		close(hold[1]);
	pl->controlled = fd >= 0 && !err;
	/* Nothing above is required for a correct run, only a steady one. */
	return err;
}

void placement_add(struct placement *acc, const struct placement *pl)
{
	uint32_t i;

	acc->controlled = acc->mappings ? acc->controlled && pl->controlled :
			  pl->controlled;
	acc->mappings++;
	acc->node = pl->node;
	acc->floor_ns = pl->floor_ns;
	acc->limit_ns = pl->limit_ns;
	acc->rejected += pl->rejected;
	acc->probed += pl->npages;
	for (i = 0; i < pl->npages && acc->npages < PLACE_MAX_PAGES; i++) {
		acc->page[acc->npages] = pl->page[i];
		acc->page_ns[acc->npages++] = pl->page_ns[i];
	}
}

void *placement_shared(struct bench *b, size_t len, struct placement *acc)
{
	uint64_t size = (len + PAGE - 1) / PAGE * PAGE, off[PLACE_MAX_PAGES];
	struct placement pl;
	uint32_t n;
	uint8_t *m;
	int fd;

	/* a memfd, not anonymous memory: a page past the limit can be
	 * punched out of it and a fresh one take its place */
	fd = memfd_create("scf-peer-lines", MFD_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (ftruncate(fd, (off_t)size)) {
		close(fd);
		return NULL;
	}
	m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
		 fd, 0);
	if (m == MAP_FAILED) {
		close(fd);
		return NULL;
	}
	for (n = 0; n < size / PAGE && n < PLACE_MAX_PAGES; n++)
		off[n] = (uint64_t)n * PAGE;
	/* A failed probe leaves the pages as they fell: still zeroed, and
	 * no placement recorded for them. */
	if (!placement_run(b, b->place_off ? -1 : fd, m, size, off, n, &pl) &&
	    acc)
		placement_add(acc, &pl);
	close(fd);	/* the mapping keeps the pages */
	return m;
}
