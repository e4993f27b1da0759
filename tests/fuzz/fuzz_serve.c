// SPDX-License-Identifier: MIT
/*
 * fuzz_serve.c - libFuzzer target for scf-shadow's request validation and
 * dispatch.  An input is a list of records that a hostile client could
 * produce: requests (any opcode, flags, arguments, payload offset and
 * length, descriptor index, payload bytes) and raw writes to the ring
 * index lines.  They are served in-process by the shadow's own code
 * (shadow_serve() and the rings) on a region in this process's memory,
 * against a temporary --root, and every answer is checked, opcode by
 * opcode: the result is -errno or a count that fits the call (no more
 * bytes than asked, an fd the client owns, 0 where only 0 means success),
 * the answer length fits the descriptor's chunk, and a bad index or ring
 * gets no answer at all.
 *
 * Nothing forks: SCF_SHADOW_FAULT=fork makes every SYNCFORK fail.  Every
 * pipe stays non-blocking: a read of an empty one would wait for a writer
 * that this one process never becomes.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scf_arch.h"
#include "shadow.h"

#define CAPACITY	4u
#define CHUNK		512u
#define SYNC_BYTES	(1u << 20)
#define MAX_RECORDS	16

/* One request as the input spells it (little-endian, packed). */
struct __attribute__((packed)) rec_req {
	uint8_t idx;		/* descriptor index, may be out of range */
	uint8_t own_chunk;	/* bit 0: payload_off is the desc's own;
				 * bit 1: push idx as it is, unreduced */
	uint32_t opcode;
	uint32_t flags;
	uint64_t args[6];
	uint32_t payload_off;
	uint32_t payload_len;
	uint8_t nbytes;		/* payload bytes that follow */
};

/* A raw write to one of the eight index lines of the queue page. */
struct __attribute__((packed)) rec_ring {
	uint8_t line;
	uint32_t value;
};

static struct shadow shadow;
static struct scf_queue client_q;	/* the client's view of the same queue */
static volatile sig_atomic_t never;
static void *region;
static uint64_t region_size;
static char root[4096];

/* Forked shadows are never made here (fault injected): no loop to run. */
static void no_serve_loop(struct shadow *s)
{
	(void)s;
	abort();
}

static void rm_root(void)
{
	char cmd[4200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd))
		fprintf(stderr, "fuzz_serve: cleanup of %s failed\n", root);
}

static void die(const char *what)
{
	fprintf(stderr, "fuzz_serve: setup: %s: %s\n", what, strerror(errno));
	exit(1);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct scf_geom g;
	int fd;
	const char *tmp = getenv("TMPDIR");

	(void)argc;
	(void)argv;
	snprintf(root, sizeof(root), "%s/scf-fuzz.XXXXXX", tmp ? tmp : "/tmp");
	if (!mkdtemp(root))
		die("mkdtemp");
	atexit(rm_root);
	fd = openat(AT_FDCWD, root, O_PATH | O_DIRECTORY);
	if (fd < 0)
		die("root");
	shadow.root_fd = fd;

	scf_geom_default(&g);
	g.nr_slots = 1;
	g.capacity = CAPACITY;
	g.pool_chunk = CHUNK;
	g.late_cap = 4;
	region_size = scf_region_size(&g);
	region = mmap(NULL, region_size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (region == MAP_FAILED || scf_region_format(region, region_size, &g))
		die("region");
	shadow.sync.memfd = memfd_create("fuzz-sync", MFD_CLOEXEC);
	if (shadow.sync.memfd < 0 || ftruncate(shadow.sync.memfd, SYNC_BYTES))
		die("memfd");
	shadow.stop = &never;
	/* A write to a pipe nobody reads: -EPIPE, as scf-shadow has it. */
	signal(SIGPIPE, SIG_IGN);
	setenv("SCF_SHADOW_FAULT", "fork", 1);
	shadow.serve_loop = no_serve_loop;
	if (dual_init(&shadow, region, region_size, 0, -1, -1, 0, "spin"))
		die("dual_init");
	return 0;
}

/*
 * Empty the directory dfd (which it closes): every entry, directories
 * made writable and emptied first, whatever mode an input gave them.
 */
static int clear_dir(int dfd)
{
	struct dirent *e;
	DIR *d = fdopendir(dfd);
	int fd, err = 0;

	if (!d) {
		close(dfd);
		return -1;
	}
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (!unlinkat(dfd, e->d_name, 0))
			continue;
		fchmodat(dfd, e->d_name, 0700, 0);
		fd = openat(dfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
		if (fd < 0 || clear_dir(fd) || unlinkat(dfd, e->d_name, AT_REMOVEDIR))
			err = -1;
	}
	closedir(d);
	return err;
}

/*
 * --root as every input first finds it: a file "f" and a directory "d",
 * nothing an earlier input made.  An input is then the whole story of
 * what it does: it replays alone as it ran, and a fixed seed makes the
 * same runs whatever the order of the ones before.
 */
static void fresh_root(void)
{
	int fd = openat(AT_FDCWD, root, O_RDONLY | O_DIRECTORY);

	if (fd < 0 || clear_dir(fd) || mkdirat(shadow.root_fd, "d", 0755))
		die("fresh --root");
	fd = openat(shadow.root_fd, "f", O_WRONLY | O_CREAT, 0644);
	if (fd < 0)
		die("fresh --root");
	close(fd);
}

/* Fresh rings, a zeroed pool, and no state left from the input before. */
static void reset(void)
{
	fdtab_close_all(&shadow.fds);
	fresh_root();
	syncmap_unmap_all(&shadow.sync);
	/* The synced memory zeroed too: a mapped stat or read left bytes. */
	if (ftruncate(shadow.sync.memfd, 0) || ftruncate(shadow.sync.memfd, SYNC_BYTES))
		abort();
	memset(&shadow.st, 0, sizeof(shadow.st));
	shadow.dual.pending = SHADOW_PENDING_NONE;
	shadow.dual.threads = 1;
	/* Indices zeroed first: both views then start from them. */
	if (scf_queue_attach(&shadow.q, region, region_size, 0))
		abort();
	scf_queue_reset(&shadow.q);
	if (scf_queue_attach(&shadow.q, region, region_size, 0) ||
	    scf_queue_attach(&client_q, region, region_size, 0))
		abort();
	memset(shadow.q.desc, 0, sizeof(*shadow.q.desc) * CAPACITY);
	memset(shadow.q.pool, 0, (size_t)CHUNK * CAPACITY);
}

/* The request as the client left it, taken before the shadow serves it. */
struct asked {
	uint32_t opcode;
	uint32_t flags;
	uint64_t args[6];
	struct scf_iovec iov[SCF_IOV_MAX];	/* writev's table, if any */
	bool iov_ok;
};

static void ask_snapshot(uint32_t idx, struct asked *a)
{
	const struct scf_desc *d = &shadow.q.desc[idx];
	uint64_t cnt;

	a->opcode = d->opcode;
	a->flags = d->flags;
	memcpy(a->args, d->args, sizeof(a->args));
	a->iov_ok = false;
	if (a->opcode != SCF_OP_WRITEV || a->args[2] > SCF_IOV_MAX)
		return;
	cnt = a->args[2];
	if (a->flags & SCF_DF_MAP) {
		/* No table (cnt 0) is a table: writev moves 0 bytes. */
		if (cnt && !syncmap_contains(&shadow.sync, a->args[1],
					     cnt * sizeof(a->iov[0])))
			return;
		if (cnt)
			memcpy(a->iov, (const void *)(uintptr_t)a->args[1],
			       cnt * sizeof(a->iov[0]));
	} else {
		memcpy(a->iov, shadow.q.pool + (uint64_t)idx * CHUNK,
		       cnt * sizeof(a->iov[0]));
	}
	a->iov_ok = true;
}

/* The most bytes a writev with this table could have moved. */
static uint64_t iov_sum(const struct asked *a)
{
	uint64_t i, sum = 0;

	for (i = 0; i < a->args[2]; i++) {
		if (a->iov[i].len > UINT64_MAX - sum)
			return UINT64_MAX;
		sum += a->iov[i].len;
	}
	return sum;
}

static bool is_client_fd(int64_t fd)
{
	return fdtab_check(&shadow.fds, fd) >= 0;
}

/*
 * What a non-negative answer may be for this call: a count no larger
 * than the call asked for, a descriptor the client now owns, a flag
 * word, or 0.  Returns the reason it may not, or NULL.
 */
static const char *bad_count(const struct asked *a, int64_t ret)
{
	const uint64_t *x = a->args;
	uint64_t u = (uint64_t)ret;

	switch (a->opcode) {
	case SCF_OP_READ: case SCF_OP_WRITE: case SCF_OP_PREAD64:
	case SCF_OP_PWRITE64: case SCF_OP_GETDENTS64:
		if (u > x[2])
			return "count beyond the length asked";
		/* Nor more than the buffer it names could hold. */
		return u <= ((a->flags & SCF_DF_MAP) ? SYNC_BYTES : CHUNK) ? NULL :
			"count beyond the chunk or the synced memory";
	case SCF_OP_SENDFILE:
		return u <= x[2] ? NULL : "count beyond the length asked";
	case SCF_OP_WRITEV:
		if (!a->iov_ok)
			return "a count for a table the shadow cannot read";
		return u <= iov_sum(a) ? NULL : "count beyond the iovecs' sum";
	case SCF_OP_OPENAT: case SCF_OP_DUP3:
		return is_client_fd(ret) ? NULL : "fd the client does not own";
	case SCF_OP_FCNTL:
		if (x[1] == F_DUPFD || x[1] == F_DUPFD_CLOEXEC)
			return is_client_fd(ret) && u >= x[2] ? NULL :
				"dup'd fd not the client's, or below the floor";
		if (x[1] == F_GETFD || x[1] == F_GETFL)
			return u <= INT32_MAX ? NULL : "flags beyond an int";
		return ret == 0 ? NULL : "a set that answers non-zero";
	case SCF_OP_PIPE2:
		return u >> 32 == 0 && is_client_fd(ret & 0xffff) &&
		       is_client_fd(ret >> 16) ? NULL :
			"pipe ends the client does not own";
	case SCF_OP_LSEEK:
		return NULL;		/* any offset the file has */
	case SCF_OP_SYNCFORK:
		return u < 1 ? NULL : "slot beyond nr_slots";
	case SCF_OP_CLONE:
		return u <= SCF_THREADS_MAX ? NULL : "threads beyond the cap";
	case SCF_OP_NULL: case SCF_OP_CLOSE: case SCF_OP_FSTAT:
	case SCF_OP_NEWFSTATAT: case SCF_OP_SYNCMAP: case SCF_OP_SYNCUNMAP:
	case SCF_OP_EXIT: case SCF_OP_IOCTL: case SCF_OP_MKDIRAT:
	case SCF_OP_UNLINKAT: case SCF_OP_PARK:
	case SCF_OP_FSYNC: case SCF_OP_FTRUNCATE:
	case SCF_OP_RENAMEAT2: case SCF_OP_FCHOWNAT:
		return ret == 0 ? NULL : "non-zero answer to a 0-or-errno call";
	default:
		return "an answer to an opcode outside the allowlist";
	}
}

/*
 * Every answer, for every opcode: -errno, or a count that fits the call;
 * the answer bytes fit the chunk and were only written for a copy-mode
 * call that succeeded, a read-like one saying exactly how many.
 */
static void check_answer(uint32_t idx, const struct asked *a, int64_t ret)
{
	uint32_t out_len = shadow.q.desc[idx].out_len;
	const char *why = NULL;

	if (ret < 0)
		why = ret < -4095 ? "neither a count nor -errno" : NULL;
	else
		why = bad_count(a, ret);
	if (!why && out_len > CHUNK)
		why = "answer bytes beyond the chunk";
	if (!why && out_len && (ret < 0 || (a->flags & SCF_DF_MAP)))
		why = "answer bytes for a failed or mapped call";
	if (!why && out_len && (a->opcode == SCF_OP_READ ||
	    a->opcode == SCF_OP_PREAD64 || a->opcode == SCF_OP_GETDENTS64) &&
	    out_len != (uint64_t)ret)
		why = "answer bytes other than the count read";
	if (!why)
		return;
	fprintf(stderr, "fuzz_serve: opcode %u flags %#x args[2] %llu: ret %lld,"
		" out_len %u: %s\n", a->opcode, a->flags,
		(unsigned long long)a->args[2], (long long)ret, out_len, why);
	abort();
}

/*
 * The client takes its answer away.  A stat's times, inode and block
 * count, and getdents' inode numbers, differ from run to run: left where
 * a later request in the same input could read them as a path or an
 * iovec table, they would make a fixed seed give different runs.
 */
static void consume_answer(uint32_t idx, const struct asked *a, int64_t ret)
{
	uint64_t ptr, len;

	if (ret < 0)
		return;
	switch (a->opcode) {
	case SCF_OP_FSTAT:
		ptr = a->args[1], len = sizeof(struct scf_stat);
		break;
	case SCF_OP_NEWFSTATAT:
		ptr = a->args[2], len = sizeof(struct scf_stat);
		break;
	case SCF_OP_GETDENTS64:
		ptr = a->args[1], len = (uint64_t)ret;
		break;
	default:
		return;
	}
	if (!(a->flags & SCF_DF_MAP))
		memset(shadow.q.pool + (uint64_t)idx * CHUNK, 0, CHUNK);
	else if (syncmap_contains(&shadow.sync, ptr, len))
		memset((void *)(uintptr_t)ptr, 0, len);
}

/* The shadow's side: pop, refuse a bad index, serve, answer. */
static void serve_all(void)
{
	uint64_t probe[SCF_PROBE_NR] = { 0 };
	struct asked asked;
	uint32_t idx, got, n;
	int64_t ret;
	int err;

	for (n = 0; n < 4 * CAPACITY; n++) {
		err = scf_ring_pop(&shadow.q.req, &idx);
		if (err == -SCF_EPROTO) {
			scf_ring_resync(&shadow.q.req);
			break;
		}
		if (err)
			break;
		if (idx >= shadow.q.capacity)
			continue;
		ask_snapshot(idx, &asked);
		ret = shadow_serve(&shadow, idx, probe);
		check_answer(idx, &asked, ret);
		consume_answer(idx, &asked, ret);
		SCF_WRITE_ONCE(shadow.q.desc[idx].ret, ret);
		if (scf_ring_push(&shadow.q.rsp, idx))
			break;
	}
	/* The client collects; a ring it finds broken it resyncs. */
	for (n = 0; n < 4 * CAPACITY; n++) {
		err = scf_ring_pop(&client_q.rsp, &got);
		if (err == -SCF_EPROTO)
			scf_ring_resync(&client_q.rsp);
		if (err)
			break;
	}
}

/*
 * The next n bytes of the input, at *at: whether there are that many.
 * Offsets, not pointers: a pointer tested against NULL is traced as a
 * comparison, and the input buffer's heap address, which moves with the
 * fuzzer's own allocations, would join the mutation dictionary.
 */
static bool take(size_t *at, size_t size, size_t n)
{
	if (size - *at < n)
		return false;
	*at += n;
	return true;
}

static void put_request(const struct rec_req *q, const uint8_t *bytes)
{
	uint32_t idx = q->idx % CAPACITY;
	struct scf_desc *d = &shadow.q.desc[idx];
	uint8_t *chunk = shadow.q.pool + (uint64_t)idx * CHUNK;

	/*
	 * The rest of the chunk zeroed, not left with an earlier answer: a
	 * stat's times and inode numbers, or getdents' entries, differ run
	 * to run, and a payload made of them would make a fixed seed give
	 * different runs.
	 */
	memcpy(chunk, bytes, q->nbytes);
	memset(chunk + q->nbytes, 0, CHUNK - q->nbytes);
	d->opcode = q->opcode;
	d->flags = q->flags;
	memcpy(d->args, q->args, sizeof(d->args));
	if (q->opcode == SCF_OP_PIPE2 ||
	    (q->opcode == SCF_OP_FCNTL && q->args[1] == F_SETFL))
		d->args[q->opcode == SCF_OP_PIPE2 ? 0 : 2] |= O_NONBLOCK;
	d->payload_off = (q->own_chunk & 1) ? idx * CHUNK : q->payload_off;
	d->payload_len = q->payload_len;
	/* A raw index, in range or not: the shadow must cope with both. */
	if (scf_ring_push(&client_q.req, (q->own_chunk & 2) ? q->idx : idx)) {
		serve_all();
		scf_ring_push(&client_q.req, idx);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	_Atomic uint32_t *lines;
	struct rec_ring rr;
	struct rec_req rq;
	size_t at = 0, was;
	uint8_t kind;
	int n;

	reset();
	lines = &shadow.q.hdr->req_head.v;
	for (n = 0; n < MAX_RECORDS && take(&at, size, 1); n++) {
		kind = data[at - 1];
		switch (kind % 3) {
		case 0:
			if (!take(&at, size, sizeof(rq)))
				break;
			memcpy(&rq, data + at - sizeof(rq), sizeof(rq));
			was = at;
			if (!take(&at, size, rq.nbytes))
				break;
			put_request(&rq, data + was);
			continue;
		case 1:
			if (!take(&at, size, sizeof(rr)))
				break;
			memcpy(&rr, data + at - sizeof(rr), sizeof(rr));
			/* The eight index lines are 16 words apart. */
			atomic_store_explicit(&lines[(rr.line % 8) * 16],
					      rr.value, memory_order_relaxed);
			continue;
		default:
			serve_all();
			continue;
		}
		break;
	}
	serve_all();
	return 0;
}
