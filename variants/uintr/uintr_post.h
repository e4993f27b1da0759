/* SPDX-License-Identifier: MIT */
/*
 * uintr_post.h - the architectural posting semantics of user interrupts,
 * as pure functions over a UPID and a UITT in memory.
 *
 * No signals, no syscalls, no allocation: the emulation's delivery
 * (uintr_emul.c) and the unit tests drive these functions, so coalescing,
 * SN suppression and vector bookkeeping are tested on their own.
 *
 * Sender (SENDUIPI, SDM): in one locked read-modify-write of the 16-byte
 * UPID, set PIR[UV]; if SN = 0 and ON = 0, set ON and send a notification
 * to NDST with vector NV.  Here the RMW is LOCK CMPXCHG16B, like the
 * hardware's locked access to the whole descriptor, and "send a
 * notification" is returned to the caller (UINTR_POST_NOTIFY) together
 * with the NV/NDST the RMW saw.
 *
 * Receiver (user-interrupt notification processing, SDM): clear ON with a
 * locked AND, then take PIR with a locked XCHG and act on every bit that
 * was set.  The SDM does exactly these two 8-byte locked operations.
 *
 * Why no vector is lost (sender S: RMW(PIR|=v, ON test-and-set);
 * receiver R: AND(~ON) then XCHG(PIR,0)); all are locked, hence totally
 * ordered on x86 (and seq_cst in C11 terms):
 *   - S's RMW before R's XCHG: R's XCHG returns v.
 *   - S's RMW after R's XCHG: then it is also after R's AND, so S sees
 *     ON = 0 and (unless SN) sends a new notification, after which R will
 *     process the descriptor again and find v.
 * With SN set, v stays in PIR and uintr_upid_unsuppress() notifies when SN
 * is cleared (what the kernel does when it schedules the receiver in).
 *
 * A notification can be spurious: S posts between R's AND and XCHG, sets
 * ON and notifies, and R's XCHG already took the bit.  The next take then
 * returns PIR = 0; callers count that as spurious, not as an interrupt
 * (hardware delivers nothing when UIRR stays 0).
 */
#ifndef UINTR_POST_H
#define UINTR_POST_H

#include <stdbool.h>
#include <stdint.h>

#include "uintr_abi.h"

struct uintr_upid {
	uint64_t nc;	/* ON, SN, NV, NDST: accessed only with __atomic ops */
	uint64_t pir;
} __attribute__((aligned(16)));

/* One UITT entry: the SDM layout, with the UPID named by an offset. */
struct uintr_uitte {
	uint8_t flags;		/* UINTR_UITTE_VALID */
	uint8_t uv;		/* user vector */
	uint8_t reserved[6];
	uint64_t upid_off;	/* from the base handed to uintr_senduipi() */
};

_Static_assert(sizeof(struct uintr_upid) == 16, "UPID is 16 bytes");
_Static_assert(_Alignof(struct uintr_upid) == 16, "UPID is 16-byte aligned");
_Static_assert(__builtin_offsetof(struct uintr_upid, pir) == 8, "PIR at bit 64");
_Static_assert(sizeof(struct uintr_uitte) == 16, "UITT entry is 16 bytes");
_Static_assert(__builtin_offsetof(struct uintr_uitte, uv) == 1, "UV at bits 15:8");
_Static_assert(__builtin_offsetof(struct uintr_uitte, upid_off) == 8,
	       "UPID reference at bits 127:64");

/* What a post did. */
enum uintr_post_result {
	UINTR_POST_PENDING = 0,	/* PIR bit set; ON already set: coalesced */
	UINTR_POST_NOTIFY = 1,	/* ON went 0 -> 1: send a notification */
	UINTR_POST_SUPPRESSED = 2,	/* PIR bit set; SN set: no notification */
};

/* A notification as the sender's RMW saw the UPID. */
struct uintr_notification {
	uint8_t nv;
	uint32_t ndst;
};

static inline uint8_t uintr_nc_nv(uint64_t nc)
{
	return (uint8_t)((nc & UINTR_UPID_NV_MASK) >> UINTR_UPID_NV_SHIFT);
}

static inline uint32_t uintr_nc_ndst(uint64_t nc)
{
	return (uint32_t)(nc >> UINTR_UPID_NDST_SHIFT);
}

static inline uint64_t uintr_nc_make(uint8_t nv, uint32_t ndst)
{
	return ((uint64_t)nv << UINTR_UPID_NV_SHIFT) |
	       ((uint64_t)ndst << UINTR_UPID_NDST_SHIFT);
}

/*
 * Receiver set-up: NV and NDST, ON and SN clear.  PIR is left as it is, so
 * a request posted before the receiver came up is not lost; the caller
 * checks for it with uintr_upid_take() (or its ready() condition).
 */
void uintr_upid_init(struct uintr_upid *u, uint8_t nv, uint32_t ndst);

/* The whole descriptor, read atomically (for tests and diagnostics). */
void uintr_upid_read(struct uintr_upid *u, uint64_t *nc, uint64_t *pir);

/*
 * SENDUIPI's descriptor update for vector uv.  Returns an
 * enum uintr_post_result, or -SCF_EINVAL for uv >= 64.  On
 * UINTR_POST_NOTIFY, *note (if not NULL) gets NV and NDST.
 */
int uintr_upid_post(struct uintr_upid *u, unsigned int uv,
		    struct uintr_notification *note);

/*
 * Notification processing: clear ON, then take PIR.  Returns the vectors
 * taken (0: a spurious notification).  *was_on (if not NULL) says whether
 * ON was set, for exact accounting of notifications.
 */
uint64_t uintr_upid_take(struct uintr_upid *u, bool *was_on);

/* Set SN: later posts only set PIR. */
void uintr_upid_suppress(struct uintr_upid *u);
/*
 * Clear SN.  Returns UINTR_POST_NOTIFY (and fills *note) when requests
 * were posted while suppressed and ON was clear: ON is then set, and the
 * caller must deliver the notification; else UINTR_POST_PENDING.
 */
int uintr_upid_unsuppress(struct uintr_upid *u, struct uintr_notification *note);

/* ---- the sender's UITT ---- */

/* Fill entry e: valid, vector uv, UPID at upid_off. -SCF_EINVAL if uv >= 64. */
int uintr_uitte_set(struct uintr_uitte *e, unsigned int uv, uint64_t upid_off);

/*
 * SENDUIPI index: look up uitt[index] (of nr entries), check it (valid,
 * vector, UPID offset 16-byte aligned and inside [base, base + size)),
 * and post to the UPID it names.  Returns like uintr_upid_post(), or
 * -SCF_EINVAL for an out-of-range index, an invalid entry or a bad UPID
 * reference (where the hardware raises #GP).
 */
int uintr_senduipi(const struct uintr_uitte *uitt, uint32_t nr, uint64_t index,
		   void *base, uint64_t size, struct uintr_notification *note);

#endif /* UINTR_POST_H */
