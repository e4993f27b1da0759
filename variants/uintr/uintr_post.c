// SPDX-License-Identifier: MIT
/*
 * uintr_post.c - SENDUIPI's UPID update and the receiver's notification
 * processing, over memory only.  See uintr_post.h for the race analysis.
 */
#include "uintr_post.h"
#include "scf_abi.h"

/*
 * LOCK CMPXCHG16B on the whole UPID: the emulation of the hardware's
 * locked read-modify-write of the descriptor.  A locked instruction is a
 * full barrier on x86: it orders the sender's earlier stores (the ring
 * publish the notification announces) before the post, and pairs with the
 * receiver's locked AND/XCHG in uintr_upid_take().
 */
static inline bool cas16(struct uintr_upid *u, uint64_t *nc, uint64_t *pir,
			 uint64_t new_nc, uint64_t new_pir)
{
	bool ok;

	__asm__ __volatile__("lock cmpxchg16b %1"
			     : "=@ccz"(ok), "+m"(*u), "+a"(*nc), "+d"(*pir)
			     : "b"(new_nc), "c"(new_pir)
			     : "memory");
	return ok;
}

void uintr_upid_read(struct uintr_upid *u, uint64_t *nc, uint64_t *pir)
{
	uint64_t a = 0, d = 0;

	/* A CMPXCHG16B that fails (or rewrites the same value) reads atomically. */
	cas16(u, &a, &d, a, d);
	*nc = a;
	*pir = d;
}

void uintr_upid_init(struct uintr_upid *u, uint8_t nv, uint32_t ndst)
{
	/*
	 * seq_cst store: the receiver's tid/pid written before this (in the
	 * doorbell) are visible to a sender whose RMW reads this value.
	 */
	__atomic_store_n(&u->nc, uintr_nc_make(nv, ndst), __ATOMIC_SEQ_CST);
}

int uintr_upid_post(struct uintr_upid *u, unsigned int uv,
		    struct uintr_notification *note)
{
	uint64_t nc, pir, new_nc, bit;
	int ret;

	if (uv >= UINTR_NR_VECTORS)
		return -SCF_EINVAL;
	bit = 1ull << uv;
	/* A torn first guess is fine: CMPXCHG16B checks all 16 bytes. */
	nc = __atomic_load_n(&u->nc, __ATOMIC_RELAXED);
	pir = __atomic_load_n(&u->pir, __ATOMIC_RELAXED);
	do {
		new_nc = nc;
		if (nc & UINTR_UPID_SN)
			ret = UINTR_POST_SUPPRESSED;
		else if (nc & UINTR_UPID_ON)
			ret = UINTR_POST_PENDING;
		else {
			new_nc |= UINTR_UPID_ON;
			ret = UINTR_POST_NOTIFY;
		}
	} while (!cas16(u, &nc, &pir, new_nc, pir | bit));
	if (ret == UINTR_POST_NOTIFY && note) {
		note->nv = uintr_nc_nv(nc);
		note->ndst = uintr_nc_ndst(nc);
	}
	return ret;
}

uint64_t uintr_upid_take(struct uintr_upid *u, bool *was_on)
{
	uint64_t old;

	/*
	 * Locked AND, then locked XCHG, in this order (SDM notification
	 * processing).  Both are seq_cst RMWs: a post ordered after the XCHG
	 * is ordered after the AND and sees ON clear (uintr_post.h).  The
	 * XCHG reading a sender's CMPXCHG16B is also the acquire that makes
	 * that sender's earlier publish visible to the receiver.
	 */
	old = __atomic_fetch_and(&u->nc, ~UINTR_UPID_ON, __ATOMIC_SEQ_CST);
	if (was_on)
		*was_on = old & UINTR_UPID_ON;
	return __atomic_exchange_n(&u->pir, 0, __ATOMIC_SEQ_CST);
}

void uintr_upid_suppress(struct uintr_upid *u)
{
	/* seq_cst: a post ordered after this sees SN and does not notify. */
	__atomic_fetch_or(&u->nc, UINTR_UPID_SN, __ATOMIC_SEQ_CST);
}

int uintr_upid_unsuppress(struct uintr_upid *u, struct uintr_notification *note)
{
	uint64_t nc = 0, pir = 0, new_nc;
	int ret;

	nc = __atomic_load_n(&u->nc, __ATOMIC_RELAXED);
	pir = __atomic_load_n(&u->pir, __ATOMIC_RELAXED);
	/*
	 * One locked RMW clears SN and, if requests are pending and ON is
	 * clear, sets ON: a concurrent post either lands before (we see its
	 * PIR bit here) or after (it sees SN clear and notifies itself).
	 */
	do {
		new_nc = nc & ~UINTR_UPID_SN;
		ret = UINTR_POST_PENDING;
		if (pir && !(nc & UINTR_UPID_ON)) {
			new_nc |= UINTR_UPID_ON;
			ret = UINTR_POST_NOTIFY;
		}
	} while (!cas16(u, &nc, &pir, new_nc, pir));
	if (ret == UINTR_POST_NOTIFY && note) {
		note->nv = uintr_nc_nv(nc);
		note->ndst = uintr_nc_ndst(nc);
	}
	return ret;
}

int uintr_uitte_set(struct uintr_uitte *e, unsigned int uv, uint64_t upid_off)
{
	unsigned int i;

	if (uv >= UINTR_NR_VECTORS)
		return -SCF_EINVAL;
	e->flags = UINTR_UITTE_VALID;
	e->uv = (uint8_t)uv;
	for (i = 0; i < sizeof(e->reserved); i++)
		e->reserved[i] = 0;
	e->upid_off = upid_off;
	return 0;
}

int uintr_senduipi(const struct uintr_uitte *uitt, uint32_t nr, uint64_t index,
		   void *base, uint64_t size, struct uintr_notification *note)
{
	const struct uintr_uitte *e;
	uint64_t off;

	if (index >= nr)
		return -SCF_EINVAL;
	e = &uitt[index];
	if (!(e->flags & UINTR_UITTE_VALID) || e->uv >= UINTR_NR_VECTORS)
		return -SCF_EINVAL;
	off = e->upid_off;
	if (off % 16 || size < sizeof(struct uintr_upid) ||
	    off > size - sizeof(struct uintr_upid))
		return -SCF_EINVAL;
	return uintr_upid_post((struct uintr_upid *)((uint8_t *)base + off),
			       e->uv, note);
}
