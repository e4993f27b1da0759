/* SPDX-License-Identifier: MIT */
/*
 * scf_notify.h - the contract every notification variant implements.
 *
 * In the spirit of tools/virtio/ringtest/main.h: the SCF core and the
 * harness call only these functions, and each variant (variants/poll,
 * variants/ipi, variants/uintr) provides them once; the build links one
 * variant into each of build/<variant>/scf-shadow and scf-bench.
 *
 * A side waits on its own doorbell, qhdr->bell[side], and kicks the peer's.
 * The client kicks bell[SCF_SIDE_SHADOW] after publishing a request; the
 * shadow kicks bell[SCF_SIDE_CLIENT] after publishing a response.
 *
 * Contract for wait(): return 0 as soon as ready(arg) is true, and never
 * return 0 while it is false.  A kick that happens at any moment after
 * the condition became true must not be lost (no lost wake-up): backends
 * that sleep announce themselves in bell.waiting and re-check ready()
 * after a full barrier, or let the kernel compare a sequence number.
 * Signals may interrupt a sleep; wait() then re-checks ready(), so a
 * caller's stop flag folded into ready() ends the wait.  A sleep is
 * bounded: wait() re-checks ready() at least every SCF_NOTIFY_RECHECK_NS
 * whether kicked or not, so a deadline folded into ready() (the call
 * deadline, scf_deadline.h) ends a wait for a peer that never kicks.
 *
 * Several attachments: a process may hold attachments to several slots
 * (a forked shadow, a forked or exec'd client) and must be able to attach
 * again to a slot after fork or exec; an attachment inherited across fork
 * is abandoned by the child (never used or detached: it may hold what the
 * parent still uses).  Threads: kick() may be called from several threads
 * of the attaching process at once, wait() from any one of them at a time
 * (a client shared by threads, scf_client_mt.c).  A backend that can
 * sleep only the thread that attached returns -SCF_EINVAL to another
 * thread's wait(), which then polls ready() instead.
 */
#ifndef SCF_NOTIFY_H
#define SCF_NOTIFY_H

#include "scf_abi.h"

/* The longest a wait() sleeps without re-checking ready(). */
#define SCF_NOTIFY_RECHECK_NS	10000000ull

struct scf_queue;
struct scf_geom;
struct scf_notify;		/* variant-private, one per side per queue */

/*
 * How a receiver waits in wait(): its policy, which every result and
 * table records so a spinning receiver is never set beside a sleeping one
 * unlabelled.  A request of SCF_WAIT_DEFAULT takes the backend's own.
 */
enum scf_wait_kind {
	SCF_WAIT_DEFAULT = 0,	/* request only: what the backend does by itself */
	SCF_WAIT_SLEEP,		/* block in the kernel until kicked */
	SCF_WAIT_SPIN,		/* poll ready() and never block */
	SCF_WAIT_HYBRID,	/* poll ready() for spin_ns, then sleep */
};

struct scf_wait_policy {
	enum scf_wait_kind kind;
	uint64_t spin_ns;	/* SCF_WAIT_HYBRID only */
};

struct scf_notify_cfg {
	struct scf_queue *q;
	enum scf_side side;	/* which side the caller is */
	int32_t peer_pid;	/* the other process, when known */
	int dev_fd;		/* /dev/scf, or -1 */
	int sock_fd;		/* unix socket to the peer (fd passing), or -1 */
	uint32_t cpu;		/* the caller's CPU */
	const char *backend;	/* requested backend, NULL or "auto" to pick */
	struct scf_wait_policy wait;	/* requested; kind 0: the default */
};

typedef bool (*scf_ready_fn)(void *arg);

/* The variant, e.g. "poll", "ipi", "uintr". */
const char *scf_notify_name(void);
/* The backend in use, e.g. "spin", "kmod", "futex", "hw", "emul". */
const char *scf_notify_backend(const struct scf_notify *n);
/*
 * Set up this side.  Returns 0 and *out, or -errno; -SCF_ENOSYS when the
 * requested backend cannot run on this machine (the caller says so and
 * exits 2).
 */
int scf_notify_attach(struct scf_notify **out, const struct scf_notify_cfg *cfg);
/*
 * Ring the peer.  kstamp, when not NULL, receives the kernel-side stamps
 * of the sending direction [entry, ipi_sent] (0 where the backend has
 * none).  Returns 0, 1 when the backend has no doorbell at all (poll:
 * the caller then records C4 = C3), or -errno.
 */
int scf_notify_kick(struct scf_notify *n, uint64_t *kstamp);
/*
 * Wait until ready(arg).  kstamp, when not NULL, receives the kernel-side
 * stamps of the waking direction [handler, resumed] (0 where none).
 */
int scf_notify_wait(struct scf_notify *n, scf_ready_fn ready, void *arg,
		    uint64_t *kstamp);
void scf_notify_detach(struct scf_notify *n);
/*
 * The policy this attached side's wait() runs with (never
 * SCF_WAIT_DEFAULT: where attach chose, as uintr hw does from what its
 * registration allowed, the choice).
 */
struct scf_wait_policy scf_notify_policy(const struct scf_notify *n);
/*
 * How an attached backend was set up where it chose at attach time (the
 * uintr hw backend: kernel ABI, handler flags, wait), or NULL.  Optional:
 * a variant with no such choice does not define it (weak, NULL here).
 */
const char *scf_notify_detail(const struct scf_notify *n) __attribute__((weak));

/*
 * Selection, before anything is attached (hosted harness).
 *
 * scf_notify_pick() resolves a request ("auto", NULL, or a backend name)
 * to the backend that will run on this machine, or NULL when the one
 * asked for cannot (the harness then prints why and exits 2).
 * scf_notify_region_dev() names the device whose mmap is the region for
 * that backend ("/dev/scf" for ipi/kmod), or NULL for an anonymous memfd.
 * scf_notify_note() is NULL, or one line saying what is emulated or fallen
 * back to; the harness prints it beside the table and stores it in the
 * result's warnings, so a number is never shown as something it is not.
 *
 * Optional: scf_notify_region_dev(), scf_notify_note(),
 * scf_notify_region_fit() and scf_notify_counts() have weak defaults in
 * the core (scf_notify_default.c: no region device, nothing emulated, any
 * geometry, no counters); a variant defines only those it needs.
 */
const char *scf_notify_pick(const char *requested);
/*
 * Fit the geometry and region size to the region device of backend
 * (its fixed slot size and count); 0, or -errno.  Backends without a
 * device leave both as they are.
 */
int scf_notify_region_fit(const char *backend, int dev_fd,
			  struct scf_geom *g, uint64_t *size);
const char *scf_notify_region_dev(const char *backend);
const char *scf_notify_note(const char *backend);
/*
 * The policy backend's receivers will wait with when req is asked for:
 * 0 and *out, or -SCF_ENOSYS when backend cannot wait that way (the
 * harness names both and exits 2).  *out is req where req names a kind;
 * for SCF_WAIT_DEFAULT it is the backend's own, or stays SCF_WAIT_DEFAULT
 * where only attach can tell (then scf_notify_policy() says).
 */
int scf_notify_wait_pick(const char *backend, const struct scf_wait_policy *req,
			 struct scf_wait_policy *out);

/*
 * What the doorbells did, in counters the variant declares and names
 * itself: the harness writes them under those names (the result's
 * "doorbell" object, and per side rung: SCF_SIDE_SHADOW counts the
 * requests' kicks), sums and subtracts them, and prints them through the
 * variant's line, knowing none of them.  A counter the backend does not
 * keep is not declared, so it is absent from the result, never zero.
 *
 * names[0] is the number of kicks, by contract; the rest are the
 * variant's own (the ipi variant's: where each kick ended, described in
 * variants/ipi/notify_ipi.c).  line is a template of the table's doorbell line:
 * {name} stands for that counter summed over both sides; NULL prints
 * every counter.  counted_by says who counted ("module", "kicker").
 * Values only grow: the caller subtracts a snapshot.
 */
#define SCF_COUNTERS_MAX	16
struct scf_counters {
	uint32_t n;
	const char *const *names;	/* n names, static */
	const char *counted_by;
	const char *line;
	uint64_t side[SCF_SIDE_NR][SCF_COUNTERS_MAX];
};

/*
 * The counters of backend so far, summed over every slot.  region: the
 * formatted region; dev_fd: its device or -1.  Returns 0, or
 * -SCF_ENOSYS where the backend keeps none.  A variant that keeps none
 * need not define it (the weak default says so).
 */
int scf_notify_counts(const char *backend, int dev_fd, const void *region,
		      struct scf_counters *out);

#endif /* SCF_NOTIFY_H */
