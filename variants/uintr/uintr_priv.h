/* SPDX-License-Identifier: MIT */
/*
 * uintr_priv.h - the uintr variant's private state and backend ops.
 */
#ifndef UINTR_PRIV_H
#define UINTR_PRIV_H

#include <stdint.h>

#include "scf_notify.h"
#include "scf_region.h"
#include "scf_fdpass.h"
#include "uintr_abi.h"
#include "uintr_hw_parts.h"
#include "uintr_notify.h"
#include "uintr_post.h"

struct uintr_ops;

struct scf_notify {
	const struct uintr_ops *ops;
	struct scf_queue *q;
	enum scf_side side;
	int32_t peer_pid;
	int sock_fd;
	struct uintr_rx rx;
	/*
	 * emul: the thread's receiver before this one attached (a peer
	 * measured on a thread that is a client already), back on detach.
	 */
	struct uintr_rx *prev_rx;
	uint64_t sends, notifies, suppressed, sleeps, timeouts;
	/* emul */
	struct uintr_uitte uitt[1];
	int signo;
	uint64_t self_notifies;	/* emul: notifications raised on waking up */
	/* hw */
	const struct uintr_abi *abi;
	struct uintr_hw_rx hw;
	int peer_fd;
	long uipi_index;
	char detail[128];	/* how the backend was set up (scf_notify_detail) */
	struct scf_wait_policy wait;	/* as attached (scf_notify_policy) */
};

struct uintr_ops {
	const char *name;
	int (*attach)(struct scf_notify *n, const struct scf_notify_cfg *cfg);
	int (*kick)(struct scf_notify *n);
	int (*wait)(struct scf_notify *n, scf_ready_fn ready, void *arg);
	void (*detach)(struct scf_notify *n);
};

extern const struct uintr_ops uintr_emul_ops;
extern const struct uintr_ops uintr_hw_ops;

/*
 * The emulated UPID in the doorbell's variant-private area, and the word a
 * receiver sleeps on while SN is set (uintr_emul.c).
 */
struct uintr_emul_area {
	struct uintr_upid upid;
	uint32_t sleeping;	/* futex word: 1 while the receiver sleeps */
	uint32_t pad;
	uint64_t reserved[21];
};

_Static_assert(sizeof(struct uintr_emul_area) <=
	       sizeof(((struct scf_doorbell *)0)->backend),
	       "emulated UPID area fits the doorbell's backend bytes");
_Static_assert((offsetof(struct scf_qhdr, bell) +
		offsetof(struct scf_doorbell, backend)) % 16 == 0 &&
	       sizeof(struct scf_doorbell) % 16 == 0,
	       "every doorbell's UPID is 16-byte aligned (CMPXCHG16B)");

/* Offset of side's emulated UPID from the start of the queue page. */
static inline uint64_t uintr_emul_upid_off(enum scf_side side)
{
	return offsetof(struct scf_qhdr, bell) +
	       (uint64_t)side * sizeof(struct scf_doorbell) +
	       offsetof(struct scf_doorbell, backend) +
	       offsetof(struct uintr_emul_area, upid);
}

/*
 * Sleep until ready(arg), woken by the receiver's handler bumping
 * n->rx.irqs (uintr_wait.c): hw registered with WAITING_RECEIVER.
 */
int uintr_wait_irqs(struct scf_notify *n, scf_ready_fn ready, void *arg);

/* emul: the user-interrupt flag of the calling receiver thread. */
void uintr_emul_stui(struct scf_notify *n);
void uintr_emul_clui(struct scf_notify *n);

#endif /* UINTR_PRIV_H */
