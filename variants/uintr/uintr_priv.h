/* SPDX-License-Identifier: MIT */
/*
 * uintr_priv.h - the uintr variant's private state and backend ops.
 */
#ifndef UINTR_PRIV_H
#define UINTR_PRIV_H

#include <stdint.h>

#include "scf_notify.h"
#include "scf_region.h"
#include "uintr_abi.h"
#include "uintr_notify.h"
#include "uintr_post.h"

/*
 * What a receiver's interrupt handler (emul: the RT signal handler; hw:
 * the __attribute__((interrupt)) handler) updates.  Only the receiver
 * thread writes it, from its handler; __atomic accesses keep the compiler
 * from caching it across the handler and let other threads read it.
 */
struct uintr_rx {
	uint32_t irqs;		/* futex word: +1 per handler run */
	uint32_t pad;
	uint64_t interrupts;
	uint64_t spurious;
	uint64_t vectors;
	uint64_t vector_mask;
};

/*
 * Counters with a single writer (the owning thread, or its handler) that
 * other threads may read: a relaxed load and store, no locked RMW on the
 * hot path.
 */
static inline void uintr_add(uint64_t *c, uint64_t v)
{
	__atomic_store_n(c, __atomic_load_n(c, __ATOMIC_RELAXED) + v,
			 __ATOMIC_RELAXED);
}

static inline void uintr_or(uint64_t *c, uint64_t v)
{
	__atomic_store_n(c, __atomic_load_n(c, __ATOMIC_RELAXED) | v,
			 __ATOMIC_RELAXED);
}

static inline uint64_t uintr_get(const uint64_t *c)
{
	return __atomic_load_n(c, __ATOMIC_RELAXED);
}

/* The receiver thread's handler state, found by the handlers. */
extern __thread struct uintr_rx *uintr_tls_rx;

struct uintr_ops;

struct scf_notify {
	const struct uintr_ops *ops;
	struct scf_queue *q;
	enum scf_side side;
	int32_t peer_pid;
	int sock_fd;
	struct uintr_rx rx;
	uint64_t sends, notifies, suppressed, sleeps, timeouts;
	/* emul */
	struct uintr_uitte uitt[1];
	int signo;
	/* hw */
	const struct uintr_abi *abi;
	int uvec_fd, peer_fd;
	long uipi_index;
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

/* The emulated UPID in the doorbell's variant-private area. */
struct uintr_emul_area {
	struct uintr_upid upid;
	uint64_t reserved[22];
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
 * n->rx.irqs (uintr_wait.c).  Shared by emul and hw (intel ABI).
 */
int uintr_wait_irqs(struct scf_notify *n, scf_ready_fn ready, void *arg);

/* uintr_probe.c: the hw ABI that answers here, or NULL and *why. */
const struct uintr_abi *uintr_hw_probe(const char **why);
/* Pure part of the probe, over an injectable syscall (for tests). */
typedef long (*uintr_sys1_fn)(long nr, long arg0);
const struct uintr_abi *uintr_abi_probe(uintr_sys1_fn sys, const char **why);
bool uintr_cpuid_has_uintr(void);
bool uintr_cpuinfo_has_flag(const char *cpuinfo_path);

/* uintr_fdpass.c: one fd over a unix socket (SCM_RIGHTS). */
int uintr_fd_send(int sock, int fd);
int uintr_fd_recv(int sock);

/* uintr_hw_isa.c (built with -muintr) or uintr_hw_none.c. */
int uintr_hw_isa_built(void);
void uintr_hw_stui(void);
void uintr_hw_clui(void);
void uintr_hw_senduipi(uint64_t index);
/* uintr_hw_handler.c (-muintr -mgeneral-regs-only), or uintr_hw_none.c. */
extern const uint64_t uintr_hw_handler_addr;

#endif /* UINTR_PRIV_H */
