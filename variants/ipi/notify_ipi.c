// SPDX-License-Identifier: MIT
/*
 * notify_ipi.c - the ipi variant: a doorbell that wakes the peer with a
 * targeted IPI, through the scf kernel module (backend "kmod"); where
 * /dev/scf is absent, a futex on the shared sequence word stands in for
 * it (backend "futex") and says so.
 *
 * kmod: the doorbell's sequence lives in the kernel.  A side remembers the
 * last value it saw; SCF_IOC_BELL_WAIT sleeps only while the kernel's
 * value still equals it, so a kick that lands between our ready() check
 * and the ioctl makes the ioctl return at once (no lost wake-up).
 *
 * futex: the doorbell is qhdr->bell[side] in the region (a memfd shared
 * by two processes, hence non-private futex ops).  Dekker-style:
 *
 *   waiter                              kicker
 *   s = seq            (acquire)        publish request (release)
 *   waiting = 1                         seq += 1           (release)
 *   fence (seq_cst)  <---- pairs ---->  fence (seq_cst)
 *   if ready(): done                    if waiting: FUTEX_WAKE(seq)
 *   FUTEX_WAIT(seq, s)
 *
 * Either the kicker sees waiting = 1 and wakes, or the waiter's re-check
 * sees the publish; and if the kick lands after the re-check, seq no
 * longer equals s and FUTEX_WAIT returns at once.
 *
 * Wait policy (both backends): sleep (the default) as above; spin polls
 * ready() and never sleeps nor announces itself, so the futex kicker
 * makes no FUTEX_WAKE and the kmod one counts not_waiting; hybrid:N polls
 * ready() for N ns first, then sleeps.  The raw futex peer runs with the
 * same policy (workloads/wl_futex.c), so the two compare like with like.
 *
 * Counters: kmod counts every kick's outcome in the module
 * (SCF_IOC_STATS_GET).  futex counts in the rung doorbell's
 * variant-private bytes (struct futex_counts), written by the kickers
 * only, so both processes' kicks add up in one place.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "scf_arch.h"
#include "scf_ipi.h"
#include "scf_notify.h"
#include "scf_region.h"
#include "scf_wait.h"

enum ipi_backend {
	IPI_KMOD,
	IPI_FUTEX,
};

struct scf_notify {
	enum ipi_backend backend;
	enum scf_side side;
	uint32_t slot;
	struct scf_doorbell *mine;	/* futex: the word we sleep on */
	struct scf_doorbell *peer;	/* futex: the word we bump */
	int fd;				/* kmod: /dev/scf */
	bool own_fd;
	bool own_slot;			/* kmod: we allocated the slot */
	uint32_t seen;			/* kmod: last sequence seen on ours */
	struct scf_wait_policy wait;	/* sleep, spin or hybrid */
};

/* In scf_doorbell.backend of the doorbell rung; only kickers write it. */
struct futex_counts {
	_Atomic uint64_t kicks;
	_Atomic uint64_t wake;		/* FUTEX_WAKE calls */
	_Atomic uint64_t woken;		/* sleepers they woke */
};
_Static_assert(sizeof(struct futex_counts) <=
	       sizeof(((struct scf_doorbell *)0)->backend), "futex_counts");

static const char *const backend_name[] = {
	[IPI_KMOD] = "kmod",
	[IPI_FUTEX] = "futex",
};

static bool dev_present(void)
{
	return access(SCF_DEV_PATH, R_OK | W_OK) == 0;
}

const char *scf_notify_name(void)
{
	return "ipi";
}

const char *scf_notify_backend(const struct scf_notify *n)
{
	return backend_name[n->backend];
}

const char *scf_notify_pick(const char *requested)
{
	if (!requested || !*requested || !strcmp(requested, "auto"))
		return dev_present() ? "kmod" : "futex";
	if (!strcmp(requested, "kmod"))
		return dev_present() ? "kmod" : NULL;
	if (!strcmp(requested, "futex"))
		return "futex";
	return NULL;
}

const char *scf_notify_region_dev(const char *backend)
{
	return backend && !strcmp(backend, "kmod") ? SCF_DEV_PATH : NULL;
}

const char *scf_notify_note(const char *backend)
{
	if (backend && !strcmp(backend, "kmod") && !dev_present())
		return "/dev/scf absent: load scf.ko (make kmod; see README)";
	if (!backend || strcmp(backend, "futex"))
		return NULL;
	if (dev_present())
		return "emulated: futex backend forced, a futex doorbell stands in for the IPI of /dev/scf";
	return "emulated: /dev/scf absent, futex doorbell stands in for the IPI";
}

int scf_ipi_info(int dev_fd, struct scf_info_args *info)
{
	memset(info, 0, sizeof(*info));
	if (ioctl(dev_fd, SCF_IOC_INFO_GET, info) < 0)
		return -errno;
	if (info->version != SCF_UAPI_VERSION)
		return -SCF_EBADVERSION;
	return 0;
}

int scf_ipi_geom(int dev_fd, struct scf_geom *g, uint64_t *region_size)
{
	struct scf_info_args info;
	int ret;

	ret = scf_ipi_info(dev_fd, &info);
	if (ret)
		return ret;
	if (!info.nr_slots || info.nr_slots > SCF_MAX_SLOTS)
		return -SCF_EBADSLOT;
	g->nr_slots = info.nr_slots;
	g->slot_stride = 0;		/* the minimum, while we shrink */
	while (scf_slot_stride(g) > info.slot_size) {
		if (g->pool_chunk > SCF_CACHELINE)
			g->pool_chunk = (g->pool_chunk / 2) & ~(SCF_CACHELINE - 1);
		else if (g->late_cap > 1)
			g->late_cap /= 2;
		else
			return -SCF_ETOOSMALL;
	}
	g->slot_stride = info.slot_size;
	ret = scf_geom_check(g);
	if (ret)
		return ret;
	if (scf_region_size(g) > info.region_size)
		return -SCF_ETOOSMALL;
	*region_size = info.region_size;
	return 0;
}

int scf_notify_region_fit(const char *backend, int dev_fd,
			  struct scf_geom *g, uint64_t *size)
{
	if (!backend || strcmp(backend, "kmod"))
		return 0;	/* memfd region: nothing to fit */
	return scf_ipi_geom(dev_fd, g, size);
}

/* ---- kmod -------------------------------------------------------------- */

static int kmod_attach(struct scf_notify *n, const struct scf_notify_cfg *cfg)
{
	struct scf_info_args info;
	struct scf_wait_args w;
	int ret;

	if (cfg->dev_fd >= 0) {
		n->fd = cfg->dev_fd;
	} else {
		n->fd = open(SCF_DEV_PATH, O_RDWR | O_CLOEXEC);
		if (n->fd < 0)
			return errno == ENOENT ? -SCF_ENOSYS : -errno;
		n->own_fd = true;
	}
	ret = scf_ipi_info(n->fd, &info);
	if (ret)
		return ret;
	if (n->slot >= info.nr_slots)
		return -SCF_EBADSLOT;

	/*
	 * The client holds the slot in the kernel for as long as it runs:
	 * if it dies, the module frees the slot and the shadow's wait ends
	 * with -EPIPE instead of sleeping forever.
	 */
	if (n->side == SCF_SIDE_CLIENT) {
		struct scf_slot_args s = { .slot = n->slot };

		if (ioctl(n->fd, SCF_IOC_SLOT_ALLOC, &s) < 0)
			return -errno;
		n->own_slot = true;
	}

	/* A zero-timeout wait reads the sequence: our starting point. */
	memset(&w, 0, sizeof(w));
	w.slot = n->slot;
	w.side = n->side;
	if (ioctl(n->fd, SCF_IOC_BELL_WAIT, &w) < 0 && errno != ETIMEDOUT)
		return -errno;
	n->seen = w.seq;
	return 0;
}

static int kmod_kick(struct scf_notify *n, uint64_t *kstamp)
{
	struct scf_kick_args a;

	memset(&a, 0, sizeof(a));
	a.slot = n->slot;
	a.side = !n->side;
	a.cpu = SCF_CPU_WAITER;
	/*
	 * The syscall is the barrier: the caller's ring publish (a release
	 * store) is ordered before the kernel's fully ordered sequence bump.
	 */
	if (ioctl(n->fd, SCF_IOC_BELL_KICK, &a) < 0)
		return -errno;
	if (kstamp) {
		kstamp[0] = a.entry_tsc;
		kstamp[1] = a.ipi_sent_tsc;
	}
	return 0;
}

static int kmod_wait(struct scf_notify *n, scf_ready_fn ready, void *arg,
		     uint64_t *kstamp)
{
	uint64_t handler = 0, resumed = 0;
	struct scf_wait_args w;
	int err;

	while (!ready(arg)) {
		memset(&w, 0, sizeof(w));
		w.slot = n->slot;
		w.side = n->side;
		w.seq = n->seen;
		/* Bounded: ready() holds the call deadline (scf_notify.h). */
		w.timeout_ns = SCF_NOTIFY_RECHECK_NS;
		err = ioctl(n->fd, SCF_IOC_BELL_WAIT, &w) < 0 ? errno : 0;
		/*
		 * The kernel read the sequence with acquire semantics: what
		 * the kicker published before its bump is visible to the
		 * ready() above on the next turn.
		 */
		n->seen = w.seq;
		handler = resumed = 0;
		if (!err && (w.flags & SCF_WAIT_SLEPT)) {
			handler = w.handler_tsc;
			resumed = w.resumed_tsc;
		}
		if (err == EPIPE) {	/* the slot's owner is gone */
			if (ready(arg))
				break;
			return -EPIPE;
		}
		if (err && err != EINTR && err != ETIMEDOUT)
			return -err;
	}
	if (kstamp) {
		kstamp[0] = handler;
		kstamp[1] = resumed;
	}
	return 0;
}

/* ---- futex ------------------------------------------------------------- */

static long futex(_Atomic uint32_t *uaddr, int op, uint32_t val)
{
	/* Bounded: ready() holds the call deadline (scf_notify.h). */
	static const struct timespec recheck = {
		.tv_nsec = SCF_NOTIFY_RECHECK_NS,
	};

	/* Shared between processes: no FUTEX_PRIVATE_FLAG. */
	return syscall(SYS_futex, (uint32_t *)uaddr, op, val,
		       op == FUTEX_WAIT ? &recheck : NULL, NULL, 0);
}

static void count(_Atomic uint64_t *c, uint64_t v)
{
	/* A statistic, read between runs: no ordering needed. */
	atomic_fetch_add_explicit(c, v, memory_order_relaxed);
}

static int futex_kick(struct scf_notify *n, uint64_t *kstamp)
{
	struct futex_counts *fc = (struct futex_counts *)n->peer->backend;
	long woken;

	/*
	 * release: the caller's publish is ordered before the bump, and
	 * pairs with the waiter's acquire load of seq.
	 */
	atomic_fetch_add_explicit(&n->peer->seq, 1, memory_order_release);
	/*
	 * Pairs with the waiter's fence between its waiting = 1 and its
	 * ready() re-check: either we see waiting, or it sees our publish.
	 */
	atomic_thread_fence(memory_order_seq_cst);
	count(&fc->kicks, 1);
	if (atomic_load_explicit(&n->peer->waiting, memory_order_relaxed)) {
		woken = futex(&n->peer->seq, FUTEX_WAKE, 1);
		if (woken < 0)
			return -errno;
		count(&fc->wake, 1);
		count(&fc->woken, (uint64_t)woken);
	}
	if (kstamp)
		kstamp[0] = kstamp[1] = 0;
	return 0;
}

static int futex_wait(struct scf_notify *n, scf_ready_fn ready, void *arg,
		      uint64_t *kstamp)
{
	uint32_t seq;
	int ret = 0;

	if (kstamp)
		kstamp[0] = kstamp[1] = 0;
	while (!ready(arg)) {
		/* acquire: pairs with the kicker's release increment. */
		seq = atomic_load_explicit(&n->mine->seq, memory_order_acquire);
		atomic_store_explicit(&n->mine->waiting, 1,
				      memory_order_relaxed);
		/* Pairs with the kicker's fence after its increment. */
		atomic_thread_fence(memory_order_seq_cst);
		if (ready(arg))
			break;
		/* Returns at once (EAGAIN) if a kick moved seq since. */
		if (futex(&n->mine->seq, FUTEX_WAIT, seq) < 0 &&
		    errno != EAGAIN && errno != EINTR && errno != ETIMEDOUT) {
			ret = -errno;
			break;
		}
	}
	/* Only a hint for the kicker: a stale 1 costs one FUTEX_WAKE. */
	atomic_store_explicit(&n->mine->waiting, 0, memory_order_relaxed);
	return ret;
}

/* ---- wait policy ------------------------------------------------------- */

/* Both backends can sleep, spin, or spin first; sleep unless asked. */
int scf_notify_wait_pick(const char *backend, const struct scf_wait_policy *req,
			 struct scf_wait_policy *out)
{
	(void)backend;
	*out = *req;
	if (req->kind == SCF_WAIT_DEFAULT)
		out->kind = SCF_WAIT_SLEEP;
	if (out->kind != SCF_WAIT_HYBRID)
		out->spin_ns = 0;
	return 0;
}

struct scf_wait_policy scf_notify_policy(const struct scf_notify *n)
{
	return n->wait;
}

/*
 * The part of a wait that needs no doorbell: true when ready() was seen
 * by spinning (spin: always, at last; hybrid: within its time), false
 * when the caller must sleep.  A kmod sequence left unread while we spun
 * only makes the next sleep's ioctl return at once with the new value.
 */
static bool wait_spin_first(const struct scf_notify *n, scf_ready_fn ready,
			    void *arg)
{
	switch (n->wait.kind) {
	case SCF_WAIT_SPIN:
		/* ready() does the acquire load that pairs with the publish. */
		while (!ready(arg))
			scf_cpu_relax();
		return true;
	case SCF_WAIT_HYBRID:
		return scf_wait_spin(ready, arg, n->wait.spin_ns);
	default:
		return false;
	}
}

/* ---- counters ---------------------------------------------------------- */

/*
 * kmod: the module counts, per doorbell, where each kick ended: ipi_sent,
 * woken_without_ipi (the waiter's CPU polled in idle), same_cpu,
 * not_waiting (nobody slept), pending (an earlier kick's wake-up was
 * still on its way) or offline; forced counts the ipi_sent sent only
 * because force_ipi is on; handler_irq / handler_idle count where the
 * waker ran on the waiter's CPU.
 */
static const char *const kmod_counter_names[] = {
	"kicks", "ipi_sent", "woken_without_ipi", "same_cpu", "not_waiting",
	"pending", "offline", "forced", "handler_irq", "handler_idle",
};
enum { KMOD_COUNTERS = sizeof(kmod_counter_names) / sizeof(kmod_counter_names[0]) };

/*
 * futex: the kicker counts its FUTEX_WAKE calls and the sleepers they
 * woke; a kick with nobody asleep is not_waiting.  Its wake-up IPIs, if
 * any, are the scheduler's and show only in /proc/interrupts.
 */
static const char *const futex_counter_names[] = {
	"kicks", "not_waiting", "futex_wake", "futex_woken",
};

static void kmod_counts_copy(uint64_t *o, const struct scf_bell_counts *k)
{
	const uint64_t v[] = {
		k->kicks, k->ipi_sent, k->woken_without_ipi, k->same_cpu,
		k->not_waiting, k->pending, k->offline, k->forced,
		k->handler_irq, k->handler_idle,
	};

	_Static_assert(sizeof(v) / sizeof(v[0]) == KMOD_COUNTERS,
		       "one value per name");
	memcpy(o, v, sizeof(v));
}

int scf_notify_counts(const char *backend, int dev_fd, const void *region,
		      struct scf_counters *out)
{
	const struct scf_ctrl *ctrl = region;
	int side;
	uint32_t i;

	memset(out, 0, sizeof(*out));
	if (backend && !strcmp(backend, "kmod")) {
		struct scf_stats_args a;

		memset(&a, 0, sizeof(a));
		a.slot = SCF_SLOT_ANY;
		if (ioctl(dev_fd, SCF_IOC_STATS_GET, &a) < 0)
			return -errno;
		out->n = KMOD_COUNTERS;
		out->names = kmod_counter_names;
		out->counted_by = "module";
		out->line = "{kicks} kicks: {ipi_sent} IPIs ({forced} forced), "
			    "{woken_without_ipi} woken without IPI (polling "
			    "idle), {same_cpu} same CPU, {not_waiting} peer "
			    "awake";
		for (side = 0; side < SCF_SIDE_NR; side++)
			kmod_counts_copy(out->side[side], &a.side[side]);
		return 0;
	}
	if (!region)
		return -SCF_EINVAL;
	out->n = sizeof(futex_counter_names) / sizeof(futex_counter_names[0]);
	out->names = futex_counter_names;
	out->counted_by = "kicker (futex)";
	out->line = "{kicks} kicks: {futex_wake} FUTEX_WAKE (woke "
		    "{futex_woken}), {not_waiting} peer awake; no IPI of its "
		    "own (see interrupts)";
	for (i = 0; i < ctrl->nr_slots && i < SCF_MAX_SLOTS; i++) {
		const struct scf_qhdr *h = (const void *)((const uint8_t *)region +
				ctrl->slot_off + i * ctrl->slot_stride);

		for (side = 0; side < SCF_SIDE_NR; side++) {
			struct futex_counts *fc =
				(struct futex_counts *)h->bell[side].backend;
			uint64_t k, w;
			uint64_t *v = out->side[side];

			k = atomic_load_explicit(&fc->kicks, memory_order_relaxed);
			w = atomic_load_explicit(&fc->wake, memory_order_relaxed);
			v[0] += k;		/* kicks */
			v[1] += k - w;		/* not_waiting */
			v[2] += w;		/* futex_wake */
			v[3] += atomic_load_explicit(&fc->woken,	/* futex_woken */
						     memory_order_relaxed);
		}
	}
	return 0;
}

/* ---- the contract ------------------------------------------------------ */

int scf_notify_attach(struct scf_notify **out, const struct scf_notify_cfg *cfg)
{
	const char *backend;
	struct scf_notify *n;
	int ret = 0;

	if (cfg->side >= SCF_SIDE_NR || !cfg->q || !cfg->q->hdr)
		return -SCF_EINVAL;
	backend = scf_notify_pick(cfg->backend);
	if (!backend)
		return -SCF_ENOSYS;
	n = calloc(1, sizeof(*n));
	if (!n)
		return -SCF_ENOMEM;
	n->backend = strcmp(backend, "kmod") ? IPI_FUTEX : IPI_KMOD;
	n->side = cfg->side;
	n->slot = cfg->q->slot;
	n->fd = -1;
	scf_notify_wait_pick(backend, &cfg->wait, &n->wait);
	n->mine = &cfg->q->hdr->bell[cfg->side];
	n->peer = &cfg->q->hdr->bell[!cfg->side];

	/* Who sleeps on this doorbell, for tools reading the region. */
	n->mine->pid = getpid();
	n->mine->tid = (int32_t)syscall(SYS_gettid);
	n->mine->cpu = cfg->cpu;

	if (n->backend == IPI_KMOD)
		ret = kmod_attach(n, cfg);
	if (ret) {
		scf_notify_detach(n);
		return ret;
	}
	*out = n;
	return 0;
}

int scf_notify_kick(struct scf_notify *n, uint64_t *kstamp)
{
	if (n->backend == IPI_KMOD)
		return kmod_kick(n, kstamp);
	return futex_kick(n, kstamp);
}

int scf_notify_wait(struct scf_notify *n, scf_ready_fn ready, void *arg,
		    uint64_t *kstamp)
{
	if (wait_spin_first(n, ready, arg)) {
		if (kstamp)
			kstamp[0] = kstamp[1] = 0;	/* nothing slept */
		return 0;
	}
	if (n->backend == IPI_KMOD)
		return kmod_wait(n, ready, arg, kstamp);
	return futex_wait(n, ready, arg, kstamp);
}

void scf_notify_detach(struct scf_notify *n)
{
	if (!n)
		return;
	if (n->own_slot) {
		struct scf_slot_args s = { .slot = n->slot };

		ioctl(n->fd, SCF_IOC_SLOT_FREE, &s);
	}
	if (n->own_fd)
		close(n->fd);
	free(n);
}
