/* SPDX-License-Identifier: MIT */
/*
 * bench.h - scf-bench, the RTOS side: workload drivers, peers, results.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "scf_calls.h"
#include "scf_client.h"
#include "scf_notify.h"
#include "scf_phase.h"
#include "scf_session.h"

/* One phase's per-request values (TSC ticks), in request order. */
struct series {
	int64_t *v;
	uint64_t n;		/* values present */
	uint64_t negative;
	uint32_t *sample_end;	/* n at the end of each sample */
};

/* measurement.c: v[0..n) copied into sorted[] in ascending order. */
void ticks_sorted(int64_t *sorted, const int64_t *v, uint64_t n);
/* Nearest-rank percentile p (0..1] of sorted[0..n), n > 0. */
int64_t sorted_pct(const int64_t *sorted, uint64_t n, double p);
/* Median of a series in ticks (0: empty); scratch holds s->n values. */
int64_t series_p50(const struct series *s, int64_t *scratch);

struct interference;
struct counters_meas;
struct trace_meas;

struct placement;

struct measurement {
	const char *workload;	/* name in the results */
	const char *dir;	/* results subdirectory: variant or "peers" */
	const char *backend;
	uint32_t samples, cycles;
	uint64_t payload;
	const char *memsync;
	bool probes;
	bool emulated;
	/*
	 * How this run's notification was set up (config.backend_detail):
	 * a peer's own, set by its annotate(); empty for a forwarded run,
	 * which takes the channel's (bench.detail)
	 */
	char detail[160];
	struct series ph[PH_NR];
	uint64_t identity_checked, identity_violations;
	uint64_t missing_late;	/* S5 never arrived */
	double client_cpu_ns, shadow_cpu_ns;	/* per request, <0: unknown */
	double *wall_ns;	/* per-sample wall time per call (the origin's) */
	char start[32], end[32];
	uint32_t probe_every;	/* 0: no probes (PROBES=0 build, peers) */
	bool sequential;	/* its samples ran back to back, not interleaved */
	double *baseline_ns;	/* per sample: the ping-pong p50 after it */
	double *wall_gap_pct;	/* per sample: wall time vs the calls' totals */
	uint32_t samples_done;
	/* a peer's shared lines as placed (the forwarded runs' region is
	 * bench.place); NULL: none placed */
	const struct placement *place;
	/* Which of the per-sample trust fields this run measured: one not
	 * measured is left out of its result, never written as zero. */
	bool baseline_measured, wall_gap_measured;
	struct interference *intf;	/* what else ran on the CPUs */
	char warnings[12][192];
	uint32_t nwarn;
	struct {			/* workload-specific figures ("extra") */
		const char *key;
		double val;
	} extra[12];
	uint32_t nextra;
	/* doorbell.c: what the doorbells did during the run's samples
	 * (indexed by the side rung), and the CAL/RES interrupts of the
	 * shadow's and the client's CPU (indexed likewise): before the
	 * first sample, after the last, and summed over the samples */
	bool have_bell, have_irq;
	struct scf_counters bell, bell_at;	/* names: the variant's */
	struct irq_pair { uint64_t cal, res; } irq_before[SCF_SIDE_NR],
					       irq_after[SCF_SIDE_NR],
					       irq_at[SCF_SIDE_NR],
					       irq_delta[SCF_SIDE_NR];
	/* counters.c, trace_tail.c: the run's own (NULL: none) */
	struct counters_meas *cnt;
	struct trace_meas *trace;
};

void meas_init(struct measurement *r, uint32_t samples, uint32_t cycles);
void meas_free(struct measurement *r);
void meas_warn(struct measurement *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void meas_add(struct measurement *r, enum scf_phase p, int64_t v);
void meas_extra(struct measurement *r, const char *key, double val);
void meas_end_sample(struct measurement *r, uint32_t sample);
/* Phases of one forwarded call; checks the identity. */
void meas_add_rec(struct measurement *r, const struct scf_rec *rec);

struct dual_rec;
void meas_add_dual(struct measurement *r, const struct dual_rec *d);

/* The region's pages as placement.c chose them. */
#define PLACE_MAX_PAGES	64
struct placement {
	bool controlled;	/* slow pages were replaced, not only probed */
	int node;		/* NUMA node bound + 1; 0: none (one node) */
	double floor_ns;	/* fastest two-line round trip of scratch pages */
	double limit_ns;	/* a page past it was replaced */
	uint32_t npages, rejected;
	/* a peer's (placement_add): its shared mappings placed, one a
	 * sample, and the pages probed in them, of which the first
	 * PLACE_MAX_PAGES are listed; 0 for the region's */
	uint32_t mappings, probed;
	uint64_t page[PLACE_MAX_PAGES];		/* page index in its mapping */
	double page_ns[PLACE_MAX_PAGES];	/* its probe, as kept */
};

/* ---- the whole invocation ---------------------------------------------- */

#define BENCH_CLIENTS_MAX	8

struct bench {
	/* the client's attachment: c, region, slot, shadow_pid, client_cpu,
	 * backend, wait, ... (scf_session.h), all that rtos/ sees */
	SCF_SESSION_GROUP(session);

	/* options */
	uint32_t samples, cycles;
	int shadow_cpu;
	const char *out_dir;		/* results/<commit>/<host> */
	const char *commit;
	bool dirty;
	const char *backend_req;
	struct scf_wait_policy wait_req;	/* --wait; kind 0: the default */
	const char *root;
	const char *shadow_path;
	uint64_t delay_ns;
	uint32_t memsync;
	uint32_t ring;
	uint32_t capacity;
	int fifo_prio;
	bool quiet;
	uint32_t probe_every;		/* --probe-every: 1 in N stamps all */
	bool sequential;		/* --order sequential */
	/* --replica K of --replicas R: one of R identical processes of a
	 * configuration; 0 when not replicated.  Its files are named
	 * <workload>.r<K>.json, so the replicas of a run sit side by side. */
	uint32_t replica, replicas;
	bool place_off;			/* --placement off: pages only probed */
	uint32_t test_place_limit_ns;	/* --test-place-limit-ns: the limit */
	/* the running peer's placement (measure_peer.c), where peer_shared()
	 * records its lines' pages; NULL outside a peer's sample */
	struct placement *peer_place;
	uint64_t test_drop_ns;		/* --test-drop-ns: break wall_gap */
	uint32_t test_drop_pct;		/* --test-drop-ns P%: P % of each total */
	bool stdio;			/* the shadow serves fds 0-2 (scf-run) */
	/* --clients, --topology: one shadow CPU serving several slots */
	uint32_t clients;		/* 0 or 1: the one slot */
	bool mpsc;
	bool topology_set;		/* either was given: results say so */
	char cmdline[1024];

	/* set up */
	const char *note;		/* what is emulated, or NULL */
	char detail[160];		/* scf_notify_detail() at attach, or "" */
	char wait_name[32];		/* it, as results spell it */
	uint64_t tsc_hz;
	bool tsc_invariant;
	double skew_ns, skew_rtt_ns;
	double stamp_ticks[2];		/* one ordered stamp: client, shadow CPU */
	double loop_ticks;		/* the sample loop's cost per call */
	int dev_fd, memfd, sock[2];
	/* clients 1 .. clients-1 (spawn.c), slots slot+1 ..; c is client 0 */
	struct bench_peer_client {
		struct scf_client c;
		uint32_t *alloc_stack;
		uint8_t *alloc_used;
	} more[BENCH_CLIENTS_MAX - 1];
	uint8_t *arena;			/* SCF_SYNC_BASE in both processes */
	struct placement place;		/* the region's pages (placement.c) */
	uint64_t arena_size;
	/* spawn.c: the shadow exited before it said it was ready, which no
	 * sample can follow: the run ends at once, exit 2 (main.c). */
	bool shadow_unready;
	double call_timeout_s;		/* --call-timeout (deadline.c) */
	int failures;
	/* A peer's measure() that cannot run here returns -ENODEV and says
	 * why in skip_why: the harness skips it, never fakes it. */
	const char *skip_why;
	/* A peer's measure() adds here the CPU time (ns) that threads of
	 * this process other than the caller spent for it (io_uring's SQ
	 * thread, io-wq workers): counted as the shadow side. */
	double peer_thread_cpu_ns;
	/* latency.c: --idle poll holds /dev/cpu_dma_latency at 0 (fd, or
	 * -1); --idle halt turns the cpuidle POLL states of both CPUs off.
	 * latency_note: the line every result's warnings carry about it. */
	int latency_fd;
	const char *latency_note;
	enum bench_idle { IDLE_POLL, IDLE_HALT } idle;
	bool idle_asked;	/* --idle or --allow-idle, not the default */
};

/* out_dir.c: 0, or -1 after one line saying what is wrong with --out. */
int out_dir_check(const char *out);

/* incomplete.c: the INCOMPLETE mark of --out, from start to success. */
void incomplete_begin(const char *out_dir);
void incomplete_end(int rc, const char *reason);
/* The run never started after all: our own mark goes, as if never made. */
void incomplete_withdraw(void);

/* deadline.c: the call deadline and what an expired one says. */
const char *bench_shadow_state(pid_t pid);
void bench_deadline_arm(struct bench *b);
/* what: the call that gave up, e.g. "null: call 3 of sample 0". */
bool bench_deadline_report(const struct bench *b, const char *what);

#define ARENA_SIZE	(4ull << 20)
#define CHURN_OFF	(1ull << 30)	/* syncmap churn, past the arena */
#define CHURN_LEN	(64ull << 10)
#define MEMFD_SIZE	(CHURN_OFF + CHURN_LEN)

/*
 * wait.c: the receivers' wait policy.  bench_wait_pick() resolves --wait
 * for the picked backend (0, or -1 after saying which backend cannot wait
 * that way); bench_wait_attached() takes what attach settled on.  The
 * peers that stand for the variant's notification wait as its receivers
 * do: peer_wait_follows() is their policy, --wait as asked (default sleep,
 * the default of the receivers they stand for).
 */
int bench_wait_pick(struct bench *b);
void bench_wait_attached(struct bench *b, const struct scf_notify *n);
struct scf_wait_policy peer_wait_follows(const struct bench *b);
/* The peers that can wait only one way. */
struct scf_wait_policy peer_wait_spin(const struct bench *b);
struct scf_wait_policy peer_wait_sleep(const struct bench *b);

/* latency.c: put the two CPUs' idle in the mode --idle asked for */
void bench_idle_setup(struct bench *b);
const char *bench_idle_name(const struct bench *b);
/* "option" (--idle asked) or "default" (the variant's, variant.mk v_IDLE) */
const char *bench_idle_source(const struct bench *b);
/* 0, or -1 after saying what was wrong with --idle's value */
int bench_idle_parse(struct bench *b, const char *val);

/* root_dir.c: the plain files in dir, then dir itself */
void bench_root_remove(const char *dir);
/* The temporary roots' names, and removing those of dead runs under tmp. */
#define BENCH_ROOT_PREFIX	"scf-root."
void bench_root_sweep(const char *tmp);

/* doorbell.c: counters and interrupts around a run (see struct measurement) */
void doorbell_begin(const struct bench *b, struct measurement *r, bool bell);
void doorbell_sample_begin(const struct bench *b, struct measurement *r);
void doorbell_sample_end(const struct bench *b, struct measurement *r);
void doorbell_end(const struct bench *b, struct measurement *r);
void doorbell_json(const struct bench *b, const struct measurement *r, void *root);
void doorbell_print(const struct measurement *r);

/* irqstat.c: call-function (CAL) and rescheduling (RES) interrupts that
 * cpu took so far, from /proc/interrupts; 0 or -errno */
int irqstat_read(int cpu, uint64_t *cal, uint64_t *res);

/* spawn.c */
int bench_region_create(struct bench *b);
int bench_shadow_start(struct bench *b);
void bench_shadow_stop(struct bench *b);
int bench_notify_attach(struct bench *b);

/* ---- workloads --------------------------------------------------------- */

enum wl_kind {
	WL_FWD,			/* forwarded through SCF */
	WL_PEER,		/* measured without the shadow running */
};

struct wl_ctx {
	int fd;
	uint64_t size;		/* payload bytes */
	uint8_t *buf;		/* client buffer (arena in map mode) */
	char *path;
	struct scf_iovec iov[2];
	/*
	 * Set by a dual workload's setup: op then records each call into
	 * *drec (not b->c.rec), and a sample has at most max_cycles calls
	 * (0: --cycles), since a fork or an exec costs milliseconds.
	 */
	bool dual;
	uint32_t max_cycles;
	struct dual_rec *drec;
};

struct wl {
	const char *name;
	enum wl_kind kind;
	const char *about;
	/* WL_FWD */
	int (*setup)(struct bench *b, struct wl_ctx *x);
	/* one forwarded call; 0 when its result is what the call should give */
	int (*op)(struct bench *b, struct wl_ctx *x, uint64_t i);
	void (*teardown)(struct bench *b, struct wl_ctx *x);
	/* WL_PEER: n round trips or calls, each into ticks[] */
	int (*measure)(struct bench *b, struct wl_ctx *x, int64_t *ticks,
		       uint64_t n);
	/* optional: add figures to the finished run (meas_extra) */
	void (*annotate)(struct bench *b, struct measurement *r);
	/*
	 * optional: the group a workload belongs to (--workloads GROUP runs
	 * them all), and whether it is left out of the default selection
	 * (only "all" or its group or its name run it)
	 */
	const char *group;
	bool extended;
	/* optional, WL_FWD: a run loop of its own (several calls in flight) */
	int (*run)(struct bench *b, const struct wl *w, int k, int nk);
	/* WL_PEER, optional: how its receivers wait (results' config.wait);
	 * NULL where nothing waits for a notification (native, io_uring) */
	struct scf_wait_policy (*wait)(const struct bench *b);
	/*
	 * WL_PEER, optional: measure() runs on a fresh thread each sample
	 * (peer_own_thread.c), since it registers a UINTR receiver and the
	 * client thread may be one already
	 */
	bool own_thread;
};

/*
 * Workloads register themselves: SCF_WORKLOAD(x) puts a pointer to x in
 * the scf_workloads section, so adding one touches no shared list.  A
 * variant's own workloads (v_PEER_SRCS, compiled with SCF_OWN_WORKLOAD
 * by the top-level Makefile) put one in scf_own_workloads as well, so the
 * selection "own" finds them where they live, not by a name they give.
 */
#ifdef SCF_OWN_WORKLOAD
#define SCF_WORKLOAD_OWN(x) \
	static const struct wl *const x##_own \
	__attribute__((used, section("scf_own_workloads"))) = &(x);
#else
#define SCF_WORKLOAD_OWN(x)
#endif
#define SCF_WORKLOAD(x) \
	SCF_WORKLOAD_OWN(x) \
	static const struct wl *const x##_reg \
	__attribute__((used, section("scf_workloads"))) = &(x)

const struct wl *wl_find(const char *name);
/*
 * Whether w belongs to the selection token tok: "all", "default" (all
 * but the extended ones), "forwarded" (forwarded, not extended), "own"
 * (the variant's own, not extended) or a group name.  -1 when tok names
 * no selection at all.
 */
int wl_in_group(const char *tok, const struct wl *w);
void wl_list(FILE *f);
/* Whether w is one of the variant's own (its folder's v_PEER_SRCS). */
bool wl_is_own(const struct wl *w);
/* Iterate over every registered workload. */
const struct wl *const *wl_begin(void);
const struct wl *const *wl_end(void);

/* results.c: the schema every result file it writes names (results/README.md) */
#define SCF_BENCH_SCHEMA	"scf-bench/2"
int results_write(const struct bench *b, const struct measurement *r);
void results_print(const struct bench *b, const struct measurement *r);

/* stamp_cost.c: one ordered stamp on this CPU, median, in ticks */
double stamp_cost_ticks(void);

/* Small helpers */
uint64_t now_ns(void);
void iso_time(char *buf, size_t len);
char *root_path(const struct bench *b, const char *name);

#endif /* BENCH_H */
