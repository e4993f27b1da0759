// SPDX-License-Identifier: MIT
/*
 * notify_guest.c - scf_notify.h for the bare-metal guest, the client
 * side of the ivshmem variant.
 *
 * doorbell: kick writes the shadow's doorbell (ivshmem BAR0 Doorbell,
 * peer IVSHMEM_PEER_SHADOW, vector 0); wait sleeps in hlt until an
 * interrupt (the shadow's MSI-X doorbell, or the recheck timer) and
 * re-checks ready().  "cli; check; sti; hlt": an interrupt that comes
 * after the check is held until sti's one-instruction shadow has passed,
 * so it ends the hlt instead of being lost.
 * poll: no doorbell either way; both sides spin on the rings.
 */
#include "scf_arch.h"
#include "scf_notify.h"
#include "scf_region.h"
#include "hw.h"
#include "ivshmem_abi.h"

struct scf_notify {
	enum scf_side side;
	bool doorbell;
};

static struct scf_notify att;
static uintptr_t regs;
static bool use_doorbell;

void guest_notify_setup(uintptr_t bar0, bool doorbell)
{
	regs = bar0;
	use_doorbell = doorbell;
}

static bool streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

const char *scf_notify_name(void)
{
	return "ivshmem";
}

const char *scf_notify_backend(const struct scf_notify *n)
{
	return n->doorbell ? "doorbell" : "poll";
}

const char *scf_notify_pick(const char *requested)
{
	if (!requested || streq(requested, "auto") ||
	    streq(requested, "doorbell"))
		return "doorbell";
	if (streq(requested, "poll"))
		return "poll";
	return 0;
}

int scf_notify_wait_pick(const char *backend, const struct scf_wait_policy *req,
			 struct scf_wait_policy *out)
{
	bool bell = !backend || !streq(backend, "poll");

	if (req->kind != SCF_WAIT_DEFAULT &&
	    req->kind != (bell ? SCF_WAIT_SLEEP : SCF_WAIT_SPIN))
		return -SCF_ENOSYS;
	out->kind = bell ? SCF_WAIT_SLEEP : SCF_WAIT_SPIN;
	out->spin_ns = 0;
	return 0;
}

struct scf_wait_policy scf_notify_policy(const struct scf_notify *n)
{
	struct scf_wait_policy w = {
		.kind = n->doorbell ? SCF_WAIT_SLEEP : SCF_WAIT_SPIN,
	};

	return w;
}

int scf_notify_attach(struct scf_notify **out, const struct scf_notify_cfg *cfg)
{
	const char *b = scf_notify_pick(cfg->backend);

	if (cfg->side != SCF_SIDE_CLIENT || !regs)
		return -SCF_EINVAL;
	if (!b || (streq(b, "doorbell") != use_doorbell))
		return -SCF_ENOSYS;
	att.side = cfg->side;
	att.doorbell = use_doorbell;
	*out = &att;
	return 0;
}

int scf_notify_kick(struct scf_notify *n, uint64_t *kstamp)
{
	if (kstamp)
		kstamp[0] = kstamp[1] = 0;
	if (!n->doorbell)
		return 1;	/* no doorbell: the client records C4 = C3 */
	/*
	 * The ring push's release store is ordered before this MMIO store
	 * (x86 keeps stores in order; UC stores drain the store buffer):
	 * the shadow woken by it sees the request.
	 */
	mmio_write32(regs + IVSHMEM_REG_DOORBELL,
		     IVSHMEM_PEER_SHADOW << 16 | 0);
	return 0;
}

int scf_notify_wait(struct scf_notify *n, scf_ready_fn ready, void *arg,
		    uint64_t *kstamp)
{
	if (kstamp)
		kstamp[0] = kstamp[1] = 0;
	if (!n->doorbell) {
		/* ready()'s acquire load pairs with the shadow's publish */
		while (!ready(arg))
			scf_cpu_relax();
		return 0;
	}
	for (;;) {
		__asm__ __volatile__("cli" : : : "memory");
		if (ready(arg))
			break;
		__asm__ __volatile__("sti; hlt" : : : "memory");
	}
	__asm__ __volatile__("sti" : : : "memory");
	return 0;
}

void scf_notify_detach(struct scf_notify *n)
{
	(void)n;
}
