// SPDX-License-Identifier: MIT
/*
 * ring_bad_index.c - a hostile writer on a live region: garble the index
 * of a request a running client has pushed and its shadow not yet popped,
 * so that the shadow pops an index naming no descriptor and drops the
 * request.
 *
 *   ring-bad-index SHADOW_PID
 *
 * The region is the shadow's own (its --region-fd or --region-dev,
 * --region-size and --slot, read from /proc/PID/cmdline): a memfd, which
 * /proc/PID/fd/N opens, or the module's /dev/scf, one region for all.  To hit the request between push and pop every time, the shadow
 * is stopped first (SIGSTOP, and every thread seen in state T) with its
 * request ring empty: a request pushed while it is stopped stays on the
 * ring unread, its index is rewritten, and SIGCONT lets the shadow pop
 * it.  Where the stop finds no request
 * waiting (the shadow was serving, parked, or the client ran a peer) the
 * shadow is continued and the stop tried again, for 10 s at most.
 *
 * Prints one line, "dropped request SEQ (descriptor I, ring position P)",
 * and exits 0; exit 1 with one line saying why when it could not.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "scf_arch.h"
#include "scf_region.h"

#define TRY_FOR_NS	10000000000ull	/* give up after 10 s */
#define STOP_WAIT_NS	1000000000ull	/* a stop takes effect within 1 s */
#define PUSH_WAIT_NS	100000000ull	/* a stopped shadow's client pushes */

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static void nap_ms(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&t, NULL);
}

static int fail(const char *what)
{
	printf("ring-bad-index: %s\n", what);
	return 1;
}

/* The value after --name in the NUL-separated cmdline, or NULL. */
static const char *arg_of(const char *cmd, size_t len, const char *name)
{
	const char *p = cmd, *end = cmd + len;

	while (p < end) {
		const char *next = p + strlen(p) + 1;

		if (!strcmp(p, name) && next < end)
			return next;
		p = next;
	}
	return NULL;
}

/* Is every thread of pid stopped (state T or t)? */
static int all_stopped(int pid)
{
	char path[320], buf[512];
	struct dirent *e;
	int stopped = 1, seen = 0;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	d = opendir(path);
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		char *p;
		size_t n;
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/stat", pid,
			 e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;	/* a thread that just ended */
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		buf[n] = 0;
		p = strrchr(buf, ')');
		seen++;
		if (!p || (p[2] != 'T' && p[2] != 't'))
			stopped = 0;
	}
	closedir(d);
	return seen ? stopped : -1;
}

static int stop_shadow(int pid)
{
	uint64_t t0 = now_ns();
	int st;

	if (kill(pid, SIGSTOP))
		return -1;
	while ((st = all_stopped(pid)) == 0 && now_ns() - t0 < STOP_WAIT_NS)
		nap_ms(1);
	return st == 1 ? 0 : -1;
}

static bool ring_empty(const struct scf_queue *q)
{
	return atomic_load_explicit(q->req.head, memory_order_acquire) ==
	       atomic_load_explicit(q->req.tail, memory_order_acquire);
}

static void *map_region(int pid, uint64_t *size, uint32_t *slot)
{
	char path[4096], cmd[4096], *end;
	const char *fd, *dev, *sz, *sl;
	size_t len;
	void *mem;
	FILE *f;
	int rfd;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	len = fread(cmd, 1, sizeof(cmd) - 1, f);
	fclose(f);
	cmd[len] = 0;
	fd = arg_of(cmd, len, "--region-fd");
	dev = arg_of(cmd, len, "--region-dev");
	sz = arg_of(cmd, len, "--region-size");
	sl = arg_of(cmd, len, "--slot");
	if ((!fd && !dev) || !sz)
		return NULL;
	*size = strtoull(sz, &end, 0);
	*slot = sl ? (uint32_t)strtoul(sl, NULL, 0) : 0;
	if (fd)
		snprintf(path, sizeof(path), "/proc/%d/fd/%s", pid, fd);
	else
		snprintf(path, sizeof(path), "%s", dev);
	rfd = open(path, O_RDWR | O_CLOEXEC);
	if (rfd < 0)
		return NULL;
	mem = mmap(NULL, *size, PROT_READ | PROT_WRITE, MAP_SHARED, rfd, 0);
	close(rfd);
	return mem == MAP_FAILED ? NULL : mem;
}

int main(int argc, char **argv)
{
	struct scf_queue q;
	uint64_t size, t0;
	uint32_t slot;
	void *mem;
	int pid;

	if (argc != 2 || (pid = atoi(argv[1])) <= 0) {
		fprintf(stderr, "usage: ring-bad-index SHADOW_PID\n");
		return 2;
	}
	mem = map_region(pid, &size, &slot);
	if (!mem)
		return fail("cannot map the shadow's region (--region-fd or "
			    "--region-dev)");
	if (scf_queue_attach(&q, mem, size, slot))
		return fail("the shadow's slot does not attach");
	if (q.ring == SCF_RING_INLINE)
		return fail("an inline slot has no ring of indices");
	t0 = now_ns();
	while (now_ns() - t0 < TRY_FOR_NS) {
		uint64_t t1;

		if (stop_shadow(pid)) {
			kill(pid, SIGCONT);
			return fail("the shadow did not stop");
		}
		/*
		 * A request already waiting may be half popped (its index
		 * read, tail not yet stored): only a push seen after the
		 * stop, onto an empty ring, is certainly still unread.
		 */
		if (ring_empty(&q))
			t1 = now_ns();
		else
			t1 = now_ns() - PUSH_WAIT_NS;
		while (now_ns() - t1 < PUSH_WAIT_NS) {
			uint32_t head = atomic_load_explicit(q.req.head,
							     memory_order_acquire);
			uint32_t tail = atomic_load_explicit(q.req.tail,
							     memory_order_relaxed);
			uint32_t pos = tail & q.req.mask, idx;
			uint64_t seq;

			if (head == tail) {
				nap_ms(1);
				continue;
			}
			/* head's acquire pairs with the client's push */
			idx = atomic_load_explicit(&q.req.entry[pos],
						   memory_order_relaxed);
			if (idx >= q.capacity) {
				kill(pid, SIGCONT);
				return fail("the ring already holds a bad index");
			}
			seq = SCF_READ_ONCE(q.desc[idx].seq);
			atomic_store_explicit(&q.req.entry[pos], q.capacity,
					      memory_order_relaxed);
			kill(pid, SIGCONT);
			printf("dropped request %llu (descriptor %u, ring "
			       "position %u)\n", (unsigned long long)seq, idx,
			       tail);
			return 0;
		}
		kill(pid, SIGCONT);
		nap_ms(20);
	}
	return fail("no request waited on the ring within 10 s");
}
