// SPDX-License-Identifier: MIT
/*
 * wl_iouring.c - what a Linux program would use instead of forwarding:
 * io_uring (liburing), one operation in flight, timed from the SQE's
 * preparation to the reaped CQE.
 *
 *   iouring             1-byte write, io_uring_submit_and_wait(): one
 *                       io_uring_enter per request, on the client's CPU.
 *   iouring-sqpoll      1-byte write with IORING_SETUP_SQPOLL|SQ_AFF: the
 *                       kernel's SQ thread, pinned to the shadow's CPU,
 *                       polls the SQ ring; the client spins on the CQ ring
 *                       (no system call at all, like SCF's poll variant).
 *   iouring-nop, iouring-sqpoll-nop   the same with IORING_OP_NOP: the
 *                       peers of the forwarded null call.
 *
 * The write goes to a file in the shadow's root at the file position
 * (offset -1), like the forwarded and native writes.  io-wq workers, should
 * the kernel punt the write, are pinned to the shadow's CPU.  The SQ
 * thread and io-wq workers are threads of this process: their CPU time
 * over the timed requests is the shadow side (b->peer_thread_cpu_ns).
 */
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "peer.h"
#include "scf_arch.h"

#define IOU_ENTRIES	8
#define IOU_SQ_IDLE_MS	1000	/* SQ thread keeps polling this long */
#define IOU_WARMUP	64	/* untimed requests first, like PEER_WARMUP */

struct iou {
	struct io_uring ring;
	bool sqpoll, nop;
	int fd;
};

static int iou_init(struct bench *b, struct iou *u)
{
	struct io_uring_params p;
	cpu_set_t set;
	int err;

	memset(&p, 0, sizeof(p));
	if (u->sqpoll) {
		p.flags = IORING_SETUP_SQPOLL | IORING_SETUP_SQ_AFF;
		p.sq_thread_cpu = (uint32_t)b->shadow_cpu;
		p.sq_thread_idle = IOU_SQ_IDLE_MS;
	}
	err = io_uring_queue_init_params(IOU_ENTRIES, &u->ring, &p);
	if (err)
		return err;
	if (!(p.features & IORING_FEAT_RW_CUR_POS) && !u->nop) {
		io_uring_queue_exit(&u->ring);
		return -EOPNOTSUPP;	/* no offset -1: not the same write */
	}
	CPU_ZERO(&set);
	CPU_SET(b->shadow_cpu, &set);
	err = io_uring_register_iowq_aff(&u->ring, sizeof(set), &set);
	if (err && err != -EINVAL) {	/* -EINVAL: this kernel has none */
		io_uring_queue_exit(&u->ring);
		return err;
	}
	return 0;
}

/* One request, submitted and reaped; 0 when its result is right. */
static int iou_one(struct iou *u)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&u->ring);
	struct io_uring_cqe *cqe;
	int err, res;

	if (!sqe)
		return -EBUSY;		/* one in flight: cannot happen */
	if (u->nop)
		io_uring_prep_nop(sqe);
	else
		io_uring_prep_write(sqe, u->fd, "w", 1, (uint64_t)-1);
	if (!u->sqpoll) {
		err = io_uring_submit_and_wait(&u->ring, 1);
		if (err < 0)
			return err;
		err = io_uring_peek_cqe(&u->ring, &cqe);
	} else {
		/*
		 * io_uring_submit() publishes the SQ tail with a release store
		 * that pairs with the SQ thread's acquire (liburing's
		 * io_uring_smp_store_release); it enters the kernel only to
		 * wake an idle SQ thread.  peek_cqe's acquire load of the CQ
		 * tail pairs with the kernel's release of the CQE.
		 */
		err = io_uring_submit(&u->ring);
		if (err < 0)
			return err;
		while ((err = io_uring_peek_cqe(&u->ring, &cqe)) == -EAGAIN)
			scf_cpu_relax();
	}
	if (err)
		return err;
	res = cqe->res;
	io_uring_cqe_seen(&u->ring, cqe);
	return res == (u->nop ? 0 : 1) ? 0 : (res < 0 ? res : -EIO);
}

static int iou_measure(struct bench *b, struct iou *u, int64_t *ticks,
		       uint64_t n)
{
	struct peer_threads_snap snap;
	char *path = NULL;
	uint64_t i;
	int err;

	u->fd = -1;
	if (!u->nop) {
		path = root_path(b, "iouring-write.dat");
		u->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		free(path);
		if (u->fd < 0)
			return -errno;
	}
	err = iou_init(b, u);	/* on failure, nothing is left set up */
	if (!err) {
		/* Warm-up: the SQ thread's first wake and faults are not it. */
		for (i = 0; !err && i < IOU_WARMUP; i++)
			err = iou_one(u);
		/* The kernel's threads' share: the timed requests only. */
		peer_threads_begin(&snap);
		for (i = 0; !err && i < n; i++) {
			uint64_t t0 = scf_rdtsc_ordered();

			err = iou_one(u);
			ticks[i] = (int64_t)(scf_rdtsc_ordered() - t0);
		}
		b->peer_thread_cpu_ns += peer_threads_end(&snap);
		io_uring_queue_exit(&u->ring);
	}
	if (u->fd >= 0)
		close(u->fd);
	return err;
}

static int iouring_write(struct bench *b, struct wl_ctx *x, int64_t *t, uint64_t n)
{
	struct iou u = { .sqpoll = false, .nop = false };

	(void)x;
	return iou_measure(b, &u, t, n);
}

static int iouring_sqpoll_write(struct bench *b, struct wl_ctx *x, int64_t *t,
				uint64_t n)
{
	struct iou u = { .sqpoll = true, .nop = false };

	(void)x;
	return iou_measure(b, &u, t, n);
}

static int iouring_nop(struct bench *b, struct wl_ctx *x, int64_t *t, uint64_t n)
{
	struct iou u = { .sqpoll = false, .nop = true };

	(void)x;
	return iou_measure(b, &u, t, n);
}

static int iouring_sqpoll_nop(struct bench *b, struct wl_ctx *x, int64_t *t,
			      uint64_t n)
{
	struct iou u = { .sqpoll = true, .nop = true };

	(void)x;
	return iou_measure(b, &u, t, n);
}

static const struct wl wl_iouring = {
	.name = "iouring",
	.kind = WL_PEER,
	.about = "io_uring 1-byte write, submit_and_wait, one in flight",
	.measure = iouring_write,
};
static const struct wl wl_iouring_sqpoll = {
	.name = "iouring-sqpoll",
	.kind = WL_PEER,
	.about = "io_uring 1-byte write, SQPOLL thread on the shadow CPU, CQ spin",
	.measure = iouring_sqpoll_write,
};
static const struct wl wl_iouring_nop = {
	.name = "iouring-nop",
	.kind = WL_PEER,
	.about = "io_uring NOP, submit_and_wait, one in flight",
	.measure = iouring_nop,
};
static const struct wl wl_iouring_sqpoll_nop = {
	.name = "iouring-sqpoll-nop",
	.kind = WL_PEER,
	.about = "io_uring NOP, SQPOLL thread on the shadow CPU, CQ spin",
	.measure = iouring_sqpoll_nop,
};

SCF_WORKLOAD(wl_iouring);
SCF_WORKLOAD(wl_iouring_sqpoll);
SCF_WORKLOAD(wl_iouring_nop);
SCF_WORKLOAD(wl_iouring_sqpoll_nop);
