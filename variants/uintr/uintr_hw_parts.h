/* SPDX-License-Identifier: MIT */
/*
 * uintr_hw_parts.h - the UINTR hardware path's parts, in one place for both of
 * its users in this folder: the uintr variant's hw backend (uintr_hw.c) and
 * its uipi peer (peer_uipi.c).
 *
 *   uintr_probe.c        can it run here: CPUID, the kernel's "uintr" flag,
 *                        which syscall ABI answers (uintr_abi.h)
 *   uintr_hw_sys.c       the syscalls of either ABI: handler registration
 *                        (WAITING_RECEIVER, else flags 0), the wait that
 *                        kernel offers, vector fd, sender, teardown
 *   uintr_hw_handler.c   the one user-interrupt handler, and the prefault
 *                        and locking of every page it touches
 *   uintr_hw_isa.c       STUI, CLUI, SENDUIPI: the only code that executes
 *                        a UINTR instruction, behind a seam tests replace
 *
 * The fd that carries a receiver's vector to the sender's process goes
 * over a unix socket with common/host/scf_fdpass.c.
 */
#ifndef UINTR_HW_PARTS_H
#define UINTR_HW_PARTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "uintr_abi.h"

/*
 * What the user-interrupt handler updates, once per delivered vector (the
 * emul backend's signal handler updates the same).  Only the receiver
 * thread writes it, from its handler; __atomic accesses keep the compiler
 * from caching it across the handler and let other threads read it.
 */
struct uintr_rx {
	uint32_t irqs;		/* futex word: +1 per handler call */
	uint32_t uif;		/* emul: the user-interrupt flag (STUI/CLUI) */
	uint64_t interrupts;	/* handler calls */
	uint64_t spurious;	/* emul: notifications that found PIR empty */
	uint64_t vectors;
	uint64_t vector_mask;
	uint64_t uirr;		/* emul: recognized, not yet delivered */
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

/*
 * The receiving thread's handler state, found by the handlers.  Local-exec
 * TLS: the handler reaches it as %fs:offset, with no GOT load that could
 * touch another page.
 */
extern __thread struct uintr_rx *uintr_tls_rx
	__attribute__((tls_model("local-exec")));

/* ---- probe (uintr_probe.c) ---- */

/* The ABI that answers here, or NULL and *why ("no UINTR: ..."). */
const struct uintr_abi *uintr_hw_probe(const char **why);
/* Pure part of the probe, over an injectable syscall (for tests). */
typedef long (*uintr_sys1_fn)(long nr, long arg0);
const struct uintr_abi *uintr_abi_probe(uintr_sys1_fn sys, const char **why);
bool uintr_cpuid_has_uintr(void);
bool uintr_cpuinfo_has_flag(const char *cpuinfo_path);

/* ---- syscalls (uintr_hw_sys.c) ---- */

/* How a registered receiver can wait for a user interrupt. */
enum uintr_hw_wait {
	/* any blocking syscall (a futex) is ended by a UIPI: WAITING_RECEIVER */
	UINTR_HW_WAIT_FUTEX = 0,
	/* the uintr_wait syscall, with its bounded sleep */
	UINTR_HW_WAIT_SYSCALL,
	/* nothing: stay in user space, where the UIPI is delivered at once */
	UINTR_HW_WAIT_SPIN,
};

/* One receiver thread's registration. */
struct uintr_hw_rx {
	const struct uintr_abi *abi;
	unsigned int flags;		/* what register_handler accepted */
	int flags_refused;		/* -errno for WAITING_RECEIVER, or 0 */
	enum uintr_hw_wait wait;
	int uvec_fd;			/* our vector's fd, for the sender */
	struct uintr_rx *rx;
};

/*
 * In the thread that will receive: prefault and lock what the handler
 * touches, register the handler (UINTR_HANDLER_FLAG_WAITING_RECEIVER,
 * and flags 0 when the kernel refuses that with -EINVAL), pick the wait
 * the kernel offers, create the fd of vector vec.  User interrupts stay
 * disabled (no STUI).  0, or -errno with everything undone.  A thread
 * receives through one registration at a time, as the kernel has it:
 * while one is open, another is refused with -EBUSY, and a failure leaves
 * the thread's handler state (uintr_tls_rx) as it found it.
 */
int uintr_hw_rx_open(struct uintr_hw_rx *r, const struct uintr_abi *abi,
		     struct uintr_rx *rx, unsigned int vec);
/* Close the fd and unregister the handler; call after uintr_hw_clui(). */
void uintr_hw_rx_close(struct uintr_hw_rx *r);
/* One uintr_wait; 0 (timed out), -EINTR (a UIPI woke us), or -errno. */
int uintr_hw_wait_once(const struct uintr_hw_rx *r);
/* "abi intel, flags 0x1000 WAITING_RECEIVER, wait futex" and the like. */
void uintr_hw_rx_describe(const struct uintr_hw_rx *r, char *buf, size_t len);
const char *uintr_hw_wait_name(enum uintr_hw_wait w);

/* Become a sender to the receiver behind peer_fd: the UITT index, or -errno. */
long uintr_hw_tx_open(const struct uintr_abi *abi, int peer_fd);
void uintr_hw_tx_close(const struct uintr_abi *abi, long index, int peer_fd);

/* ---- the handler (uintr_hw_handler.c) ---- */

/* 0 where the compiler cannot build the handler (then hw never runs). */
bool uintr_hw_handler_built(void);
uint64_t uintr_hw_handler_addr(void);
/*
 * Make every page the handler touches present and locked: its code, the
 * TLS slot, *rx, and the stack below the caller.  Set uintr_tls_rx = rx.
 */
void uintr_hw_prefault(struct uintr_rx *rx);

/* ---- the instructions (uintr_hw_isa.c) ---- */

void uintr_hw_stui(void);
void uintr_hw_clui(void);
void uintr_hw_senduipi(uint64_t index);

/*
 * Test seam: replace the CPUID probe, the cpuinfo file and the three
 * instructions (a CPU without UINTR cannot execute them).  NULL restores
 * the real ones.  Either way the cached probe is forgotten.
 */
struct uintr_hw_hooks {
	bool (*cpu_has_uintr)(void);
	const char *cpuinfo;
	void (*stui)(void);
	void (*clui)(void);
	void (*senduipi)(uint64_t index);
};
void uintr_hw_set_hooks(const struct uintr_hw_hooks *h);
extern const struct uintr_hw_hooks *uintr_hw_hooks;

#endif /* UINTR_HW_PARTS_H */
