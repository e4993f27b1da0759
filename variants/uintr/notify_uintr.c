// SPDX-License-Identifier: MIT
/*
 * notify_uintr.c - the uintr variant's scf_notify contract: selection of
 * the backend (hw where the CPU and kernel have UINTR, else emul) and
 * dispatch to it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scf_arch.h"
#include "scf_wait.h"
#include "uintr_priv.h"

/* What the emulation is, after why it stands in. */
#define EMUL_WHAT	"user interrupts posted in shared memory by the SDM rules; " \
			"a running receiver is interrupted by an RT signal, a " \
			"sleeping one (SN set) woken by a futex"

const char *scf_notify_name(void)
{
	return "uintr";
}

const char *scf_notify_backend(const struct scf_notify *n)
{
	return n->ops->name;
}

const char *uintr_hw_unsupported_reason(void)
{
	const char *why;

	return uintr_hw_probe(&why) ? NULL : why;
}

const char *uintr_hw_abi_name(void)
{
	const char *why;
	const struct uintr_abi *abi = uintr_hw_probe(&why);

	return abi ? abi->name : NULL;
}

const char *scf_notify_pick(const char *requested)
{
	const char *why;
	bool hw = uintr_hw_probe(&why) != NULL;

	if (!requested || !strcmp(requested, "auto"))
		return hw ? "hw" : "emul";
	if (!strcmp(requested, "hw"))
		return hw ? "hw" : NULL;
	if (!strcmp(requested, "emul"))
		return "emul";
	return NULL;
}

const char *scf_notify_note(const char *backend)
{
	static __thread char note[256];
	const char *why;
	const struct uintr_abi *abi = uintr_hw_probe(&why);

	/* hw where it cannot run: the reason, for the harness's exit-2 line */
	if (backend && !strcmp(backend, "hw"))
		return abi ? NULL : why;
	if (backend && !strcmp(backend, "emul")) {
		/* Why emul, so auto on a machine without UINTR says so. */
		snprintf(note, sizeof(note), "emulated (%s): " EMUL_WHAT,
			 abi ? "asked for emul on a UINTR machine" : why);
		return note;
	}
	return NULL;
}

const char *scf_notify_detail(const struct scf_notify *n)
{
	return n && n->detail[0] ? n->detail : NULL;
}

/*
 * emul sleeps with SN set by default, and can spin (SN clear: every post
 * interrupts it) or spin first.  hw waits as its registration allows
 * (uintr_hw.c: the kernel decides, at attach), or spins when asked; it
 * cannot be made to sleep where the kernel offers no sleep.
 */
int scf_notify_wait_pick(const char *backend, const struct scf_wait_policy *req,
			 struct scf_wait_policy *out)
{
	bool hw = backend && !strcmp(backend, "hw");

	*out = *req;
	if (req->kind != SCF_WAIT_HYBRID)
		out->spin_ns = 0;
	if (hw)
		return req->kind == SCF_WAIT_DEFAULT ||
		       req->kind == SCF_WAIT_SPIN ? 0 : -ENOSYS;
	if (req->kind == SCF_WAIT_DEFAULT)
		out->kind = SCF_WAIT_SLEEP;
	return 0;
}

struct scf_wait_policy scf_notify_policy(const struct scf_notify *n)
{
	return n->wait;
}

/* hw: the policy its registration left it (uintr_hw_sys.c). */
static void hw_policy(struct scf_notify *n)
{
	if (n->wait.kind == SCF_WAIT_SPIN) {
		n->hw.wait = UINTR_HW_WAIT_SPIN;
		uintr_hw_rx_describe(&n->hw, n->detail, sizeof(n->detail));
	}
	n->wait.kind = n->hw.wait == UINTR_HW_WAIT_SPIN ? SCF_WAIT_SPIN :
							  SCF_WAIT_SLEEP;
}

int scf_notify_attach(struct scf_notify **out, const struct scf_notify_cfg *cfg)
{
	const char *backend = scf_notify_pick(cfg->backend);
	struct scf_wait_policy w;
	struct scf_notify *n;
	int ret;

	if (cfg->side >= SCF_SIDE_NR || !cfg->q || !cfg->q->hdr)
		return -EINVAL;
	if (!backend || scf_notify_wait_pick(backend, &cfg->wait, &w))
		return -ENOSYS;
	n = calloc(1, sizeof(*n));
	if (!n)
		return -ENOMEM;
	n->wait = w;
	n->ops = !strcmp(backend, "hw") ? &uintr_hw_ops : &uintr_emul_ops;
	n->q = cfg->q;
	n->side = cfg->side;
	n->peer_pid = cfg->peer_pid;
	n->sock_fd = cfg->sock_fd;
	ret = n->ops->attach(n, cfg);
	if (ret) {
		free(n);
		return ret;
	}
	if (n->ops == &uintr_hw_ops)
		hw_policy(n);
	*out = n;
	return 0;
}

int scf_notify_kick(struct scf_notify *n, uint64_t *kstamp)
{
	if (kstamp)
		kstamp[0] = kstamp[1] = 0;	/* no kernel stamps for uintr */
	return n->ops->kick(n);
}

int scf_notify_wait(struct scf_notify *n, scf_ready_fn ready, void *arg,
		    uint64_t *kstamp)
{
	if (kstamp)
		kstamp[0] = kstamp[1] = 0;
	/* hw spins in its own wait, by what its registration chose. */
	if (n->ops != &uintr_hw_ops && n->wait.kind == SCF_WAIT_SPIN) {
		/* ready() does the acquire load that pairs with the publish. */
		while (!ready(arg))
			scf_cpu_relax();
		return 0;
	}
	if (n->wait.kind == SCF_WAIT_HYBRID &&
	    scf_wait_spin(ready, arg, n->wait.spin_ns))
		return 0;
	return n->ops->wait(n, ready, arg);
}

void scf_notify_detach(struct scf_notify *n)
{
	if (!n)
		return;
	n->ops->detach(n);
	free(n);
}

int uintr_notify_stats(const struct scf_notify *n, struct uintr_stats *out)
{
	if (!n || !out)
		return -EINVAL;
	/* The rx counters are written by the receiver's handler: atomic loads. */
	/* Single-writer counters, readable from any thread (uintr_priv.h). */
	out->sends = uintr_get(&n->sends);
	out->notifies = uintr_get(&n->notifies);
	out->self_notifies = uintr_get(&n->self_notifies);
	out->suppressed = uintr_get(&n->suppressed);
	out->sleeps = uintr_get(&n->sleeps);
	out->timeouts = uintr_get(&n->timeouts);
	out->interrupts = uintr_get(&n->rx.interrupts);
	out->spurious = uintr_get(&n->rx.spurious);
	out->vectors = uintr_get(&n->rx.vectors);
	out->vector_mask = uintr_get(&n->rx.vector_mask);
	return 0;
}
