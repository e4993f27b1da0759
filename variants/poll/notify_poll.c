// SPDX-License-Identifier: MIT
/*
 * notify_poll.c - the poll variant: no doorbell at all, the peer spins on
 * the ring.  Freestanding like the core, so an RTOS can use it unchanged.
 */
#include "scf_notify.h"
#include "scf_arch.h"
#include "scf_region.h"

struct scf_notify {
	enum scf_side side;
	uint32_t slot;
};

/*
 * One attachment per (slot, side): a process may serve or use several
 * slots (a forked shadow attaches its new slot; the threads of a client
 * share one attachment).  No state beyond the key, so attaching the same
 * (slot, side) again, e.g. after fork or exec, is harmless.  Static
 * storage: the core allocates nothing.
 */
static struct scf_notify poll_att[SCF_MAX_SLOTS][SCF_SIDE_NR];

static bool streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

const char *scf_notify_name(void)
{
	return "poll";
}

const char *scf_notify_backend(const struct scf_notify *n)
{
	(void)n;
	return "spin";
}

/* No doorbell to sleep on: the receiver spins, and can do nothing else. */
int scf_notify_wait_pick(const char *backend, const struct scf_wait_policy *req,
			 struct scf_wait_policy *out)
{
	(void)backend;
	if (req->kind != SCF_WAIT_DEFAULT && req->kind != SCF_WAIT_SPIN)
		return -SCF_ENOSYS;
	out->kind = SCF_WAIT_SPIN;
	out->spin_ns = 0;
	return 0;
}

struct scf_wait_policy scf_notify_policy(const struct scf_notify *n)
{
	struct scf_wait_policy w = { .kind = SCF_WAIT_SPIN };

	(void)n;
	return w;
}

int scf_notify_attach(struct scf_notify **out, const struct scf_notify_cfg *cfg)
{
	struct scf_wait_policy w;
	struct scf_notify *n;

	if (cfg->side >= SCF_SIDE_NR || !cfg->q || cfg->q->slot >= SCF_MAX_SLOTS)
		return -SCF_EINVAL;
	if (!scf_notify_pick(cfg->backend) ||
	    scf_notify_wait_pick(cfg->backend, &cfg->wait, &w))
		return -SCF_ENOSYS;
	n = &poll_att[cfg->q->slot][cfg->side];
	n->side = cfg->side;
	n->slot = cfg->q->slot;
	*out = n;
	return 0;
}

int scf_notify_kick(struct scf_notify *n, uint64_t *kstamp)
{
	(void)n;
	if (kstamp)
		kstamp[0] = kstamp[1] = 0;
	return 1;		/* no doorbell: the client records C4 = C3 */
}

int scf_notify_wait(struct scf_notify *n, scf_ready_fn ready, void *arg,
		    uint64_t *kstamp)
{
	(void)n;
	/* ready() does the acquire load that pairs with the peer's publish. */
	while (!ready(arg))
		scf_cpu_relax();
	if (kstamp)
		kstamp[0] = kstamp[1] = 0;
	return 0;
}

void scf_notify_detach(struct scf_notify *n)
{
	(void)n;
}

const char *scf_notify_pick(const char *requested)
{
	if (!requested || streq(requested, "auto") || streq(requested, "spin"))
		return "spin";
	return 0;
}

/* No doorbell, nothing rung: its one counter, kicks, stays 0. */
static const char *const poll_counter_names[] = { "kicks" };

int scf_notify_counts(const char *backend, int dev_fd, const void *region,
		      struct scf_counters *out)
{
	(void)backend;
	(void)dev_fd;
	(void)region;
	__builtin_memset(out, 0, sizeof(*out));
	out->n = 1;
	out->names = poll_counter_names;
	out->counted_by = "none";
	return 0;
}
