/* SPDX-License-Identifier: MIT */
/*
 * shadow.h - scf-shadow, the Linux side: serves forwarded calls with real
 * Linux system calls, trusting nothing the shared region says.
 */
#ifndef SHADOW_H
#define SHADOW_H

#include <signal.h>
#include <stdint.h>

#include "scf_calls.h"
#include "scf_region.h"

/* Client-visible fds are the shadow's own, but only those it opened. */
#define SHADOW_FD_MAX		4096
#define SHADOW_SYNC_MAX		64

struct fdtab {
	uint64_t open[SHADOW_FD_MAX / 64];
	uint32_t count;
};

int fdtab_add(struct fdtab *t, int fd);		/* -EMFILE if out of range */
int fdtab_check(const struct fdtab *t, int64_t fd);	/* fd or -EBADF */
int fdtab_del(struct fdtab *t, int64_t fd);	/* fd or -EBADF */
void fdtab_close_all(struct fdtab *t);

/* Ranges of the shared memfd mapped at their agreed address (map mode). */
struct sync_range {
	uint64_t addr, len;
};

struct syncmap {
	int memfd;			/* -1: map mode unavailable */
	uint32_t n;
	struct sync_range r[SHADOW_SYNC_MAX];
};

int syncmap_map(struct syncmap *m, uint64_t addr, uint64_t len, uint64_t off);
int syncmap_unmap(struct syncmap *m, uint64_t addr, uint64_t len);
/* True when [addr, addr + len) lies inside one synced range. */
bool syncmap_contains(const struct syncmap *m, uint64_t addr, uint64_t len);
void syncmap_unmap_all(struct syncmap *m);

/*
 * Dual calls (dual.c): the shadow's half of fork, exit, exec and clone,
 * and what it needs to know for them about its region and its client.
 */
enum shadow_pending {
	SHADOW_PENDING_NONE = 0,
	SHADOW_PENDING_EXIT,		/* answered EXIT: leave the serve loop */
	SHADOW_PENDING_EXEC,		/* answered EXIT(exec): re-attach */
};

struct shadow_dual {
	void *region;
	uint64_t region_size;
	struct scf_region_info info;	/* checked once, private */
	uint32_t slot;
	int dev_fd;			/* /dev/scf, or -1 */
	int notify_sock;		/* handed to the notify backend, or -1 */
	int ctl_sock;			/* forked shadow: control line to its
					 * RTOS process (bind, exec), else -1 */
	uint32_t cpu;
	const char *backend;
	struct scf_wait_policy wait;	/* as --wait asked */
	int32_t client_pid;		/* the RTOS process served */
	int client_pidfd;		/* its pidfd, or -1 */
	uint32_t threads;		/* RTOS threads sharing the slot */
	bool forked;			/* a shadow's child: owns its slot */
	bool shared;			/* one of several clients of this
					 * shadow (clients.c): no dual calls */
	int pending;			/* enum shadow_pending */
	int exit_status;
	int serve_tid;			/* the thread in the serve loop */
	_Atomic int client_gone;	/* the watcher saw the client die */
	uint32_t fault;			/* test-only fault injection */
	uint32_t fault_left;		/* ... for this many more forks */
	uint64_t forks, fork_failed, reaped;
};

struct shadow_stats {
	uint64_t served;	/* requests answered */
	uint64_t failed;	/* of which answered with an error */
	uint64_t enosys;	/* opcodes off the allowlist */
	uint64_t bad_index;	/* ring entries naming no descriptor */
	uint64_t bad_ring;	/* request ring indices out of protocol */
	uint64_t late_dropped;	/* late log full */
	uint64_t stamped;	/* probed requests (SCF_DF_PROBE) stamped */
};

struct shadow {
	struct scf_queue q;
	struct scf_notify *n;
	int root_fd;
	uint64_t delay_ns;	/* --service-delay-ns */
	uint32_t timeout_ms;	/* --call-timeout: a gone client is noticed
				 * at least this often */
	struct fdtab fds;
	struct syncmap sync;
	struct shadow_stats st;
	volatile sig_atomic_t *stop;
	/*
	 * The serve loop (serve_loop.c's shadow_serve_loop): a shadow
	 * forked by a dual fork serves its new slot with it.  Passed in,
	 * not called by name, so that the dual calls do not depend on the
	 * loop that serves them.
	 */
	void (*serve_loop)(struct shadow *s);
	struct shadow_dual dual;
	bool park_asked;	/* SCF_OP_PARK answered: sleep once it is out */
};

/*
 * Tell the client that request seq is taken up (qhdr.taken): the call
 * deadline's evidence that a request popped off the ring is in service,
 * not dropped (scf_deadline.h).  Relaxed: the client reads it only after
 * a deadline passed, and orders nothing by it.  The line is the shadow's
 * alone, so the store stays in its cache.
 */
static inline void shadow_taken(struct shadow *s, uint64_t seq)
{
	atomic_store_explicit(&s->q.hdr->taken.v, (uint32_t)seq,
			      memory_order_relaxed);
}

/*
 * Validate and serve one request.  Reads the descriptor once into private
 * memory, stamps S2 (validated) and S3 (serviced) into probe[], writes
 * out_len, and returns the result or -errno.
 */
int64_t shadow_serve(struct shadow *s, uint32_t idx, uint64_t *probe);
/*
 * SCF_INTR_SIG, queued with a request's seq (low 32 bits) as its value:
 * a blocking service of that request ends -EINTR (the client's program
 * got a handled signal); any other request's is resumed.  Installed
 * without SA_RESTART by serve.c.
 */
#define SCF_INTR_SIG	SIGURG
int shadow_intr_init(void);

/*
 * park.c: sleep (never spin) while the client holds qhdr.park non-zero,
 * or until *s->stop.
 */
void shadow_park(struct shadow *s);
/* Exit codes besides 0, 1 (failure, client gone) and 2 (bad input). */
#define SHADOW_EXIT_SHRANK	3	/* shared memory shrank: SIGBUS */

/*
 * shm_guard.c: 0 when fd may be mapped for need bytes (a memfd sealed
 * against shrinking and growing, a file that holds them, a device),
 * else -1 after one line naming what and the problem.  what is the
 * option as given: "--region-fd 4", "--region-dev /dev/scf".
 */
int shm_check_fd(int fd, uint64_t need, const char *what);
/* Turn a SIGBUS on the region or a synced range into a clean exit. */
int shm_guard(const struct shadow *s, const void *region, uint64_t size);

/*
 * serve_loop.c: serve s's one slot, whatever its layout, until *s->stop,
 * or until a dual call ends the loop.
 */
void shadow_serve_loop(struct shadow *s);
/*
 * answer.c: take up request idx (popped at probe[S1]; shadow_taken()),
 * serve it and publish its answer on the response ring, stamping S0..S4
 * into it when the request asks for it (SCF_DF_PROBE); *seq is the
 * request's number.  1 when stamped,
 * 0 when not, or -1 when the client's response ring is broken.
 */
int shadow_answer(struct shadow *s, uint32_t idx, uint64_t *probe,
		  const uint64_t *kwait, uint64_t *seq);
/*
 * answer.c: serve request idx and write its result, and S0..S4 and the
 * wait's kernel stamps when it is a sampled one; true when stamped.  Each
 * layout publishes it its own way (layout_*.h).
 */
bool shadow_answer_fill(struct shadow *s, uint32_t idx, uint64_t *probe,
			const uint64_t *kwait);
/* answer.c: S5 and the reply kick's kernel stamps into the late log. */
void shadow_late_log(struct shadow *s, uint64_t seq, uint64_t s5,
		     const uint64_t *kst);
/* out.c: the reply kick, counted in rsp_kicks; kkick: its kernel stamps. */
void shadow_kick(struct shadow *s, uint64_t *kkick);
/*
 * out.c: a probed call's answer is out: S5, its late-log entry with the
 * kick's stamps kkick, and S5 as the next call's S0.
 */
void shadow_stamp_out(struct shadow *s, uint64_t seq, uint64_t *probe,
		      const uint64_t *kkick);
/*
 * out.c: what waited for an answer to be out: the park the client asked
 * for, a dual call's second half.  True when the serve loop must end.
 */
bool shadow_after_out(struct shadow *s);
/*
 * clients.c: serve n clients, slots [slot, slot + n), from this one
 * thread, scanning their request rings (mpsc false) or taking the first
 * slot's shared receive queue (mpsc true), until *s->stop.  0, or -1
 * after one line when a client's slot or the queue cannot be attached.
 */
#define SHADOW_CLIENTS_MAX	16
int shadow_serve_clients(struct shadow *s, uint32_t n, bool mpsc);

/* dual.c */
int dual_init(struct shadow *s, void *region, uint64_t size, uint32_t slot,
	      int dev_fd, int sock_fd, uint32_t cpu, const char *backend);
/* 0 when a dual call's arguments are acceptable, else -errno. */
int dual_check(struct shadow *s, uint32_t op, const uint64_t *a);
int64_t dual_serve(struct shadow *s, uint32_t op, const uint64_t *a);
/*
 * After a response is out: act on what a dual call left pending.  True
 * when the serve loop must end.
 */
bool dual_after(struct shadow *s);

#endif /* SHADOW_H */
