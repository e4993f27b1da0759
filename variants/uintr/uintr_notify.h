/* SPDX-License-Identifier: MIT */
/*
 * uintr_notify.h - what the uintr variant offers beyond scf_notify.h:
 * its counters, why hw cannot run here, and the coalescing measurement.
 * For the variant's own peers (peer_uintr.c) and the tests.
 */
#ifndef UINTR_NOTIFY_H
#define UINTR_NOTIFY_H

#include <stdint.h>

#include "scf_notify.h"

/* The user vector both doorbells use. */
#define UINTR_VEC_DOORBELL	0u

/* One side's counters since attach (both roles: it sends and receives). */
struct uintr_stats {
	uint64_t sends;		/* senduipi issued (kicks) */
	uint64_t notifies;	/* emul: sends that set ON and signalled the peer */
	uint64_t self_notifies;	/* emul: notifications raised on waking (SN cleared) */
	uint64_t suppressed;	/* emul: sends that found SN set */
	uint64_t interrupts;	/* notifications received with vectors (hw: handler runs) */
	uint64_t spurious;	/* emul: notifications that found PIR empty */
	uint64_t vectors;	/* vector bits dispatched */
	uint64_t vector_mask;	/* every vector seen */
	uint64_t sleeps;	/* waits that blocked */
	uint64_t timeouts;	/* blocked waits ended by the safety timeout */
};

int uintr_notify_stats(const struct scf_notify *n, struct uintr_stats *out);

/*
 * NULL when the hw backend can run on this machine, else the reason, e.g.
 * "no UINTR: CPUID.7.0:EDX[5] clear".  The ABI in use (NULL if none).
 */
const char *uintr_hw_unsupported_reason(void);
const char *uintr_hw_abi_name(void);

/*
 * Receiver state during a coalescing burst.  Asked for SLEEPING, the
 * receiver waits in scf_notify_wait() as the backend lets it: a hw
 * receiver whose kernel offers no sleep (no CONFIG_X86_UINTR_BLOCKING)
 * spins there, and is measured as RUNNING (uintr_coalesce.rx_mode).
 */
enum uintr_rx_mode {
	UINTR_RX_SLEEPING = 0,	/* in scf_notify_wait(), as a waiting shadow */
	UINTR_RX_RUNNING = 1,	/* busy in user space, interrupted asynchronously */
};

struct uintr_coalesce {
	uint32_t sends;		/* back-to-back senduipi in the burst */
	uint64_t notifies;	/* notifications raised (emul): by the sender,
				 * or by the receiver clearing SN on waking */
	uint64_t interrupts;	/* interrupts the receiver took */
	uint64_t spurious;	/* notifications that found nothing */
	uint64_t burst_ns;	/* time the sender spent on the burst */
	double per_1000;	/* interrupts delivered per 1000 sends */
	enum uintr_rx_mode rx_mode;	/* what the receiver did: measured */
	char detail[128];	/* the receiver's set-up (scf_notify_detail) */
};

/*
 * Interrupts delivered per 1000 back-to-back sends: the calling thread
 * (pinned to tx_cpu unless -1) issues `sends` kicks in a row at a
 * receiver thread pinned to rx_cpu (-1: not pinned), through a private
 * region, with the backend `backend` ("emul"; "hw" where supported).
 * send_tsc, if not NULL, gets the TSC ticks of each send.  A RUNNING
 * receiver attaches with the spin policy.  0 or -errno.
 */
int uintr_coalesce_measure(const char *backend, uint32_t sends,
			   enum uintr_rx_mode mode, int tx_cpu, int rx_cpu,
			   struct uintr_coalesce *out, int64_t *send_tsc);

#endif /* UINTR_NOTIFY_H */
