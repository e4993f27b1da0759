// SPDX-License-Identifier: MIT
/*
 * main.c - scf-bench: the RTOS side.  Calibrates the TSC, measures the
 * peers (with no shadow running, so nothing else spins), starts the
 * shadow, runs the forwarded workloads, stores and prints the results.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "rtos_dual.h"
#include "scf_arch.h"
#include "scf_probe.h"
#include "scf_sched.h"
#include "scf_tsc.h"

static struct bench B;
static volatile int interrupted;
static volatile pid_t reaped_shadow;
static bool progress_tty;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* A shadow that dies under us must not leave the client waiting forever. */
static void on_child(int sig)
{
	int status, saved = errno;

	(void)sig;
	if (B.shadow_pid > 0 &&
	    waitpid(B.shadow_pid, &status, WNOHANG) == B.shadow_pid) {
		reaped_shadow = B.shadow_pid;
		B.shadow_pid = 0;	/* bench_shadow_stop() has nothing to do */
		interrupted = 1;
	}
	errno = saved;
}

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void iso_time(char *buf, size_t len)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

char *root_path(const struct bench *b, const char *name)
{
	char *p;

	if (asprintf(&p, "%s/%s", b->root, name) < 0) {
		perror("scf-bench");
		exit(1);
	}
	return p;
}

static double thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static double proc_cpu_ns(pid_t pid)
{
	struct timespec ts;
	clockid_t cid;

	if (pid <= 0 || clock_getcpuclockid(pid, &cid) ||
	    clock_gettime(cid, &ts))
		return -1;
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/*
 * CPU time of a peer baseline's other side so far: its reaped child
 * processes (exact once waited for), plus what its measure() reported
 * for this process's other threads (b->peer_thread_cpu_ns).
 */
static double peer_side_cpu_ns(const struct bench *b)
{
	struct rusage ru;
	double ns = b->peer_thread_cpu_ns;

	if (!getrusage(RUSAGE_CHILDREN, &ru))
		ns += (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e9 +
		      (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e3;
	return ns;
}

static void progress(const char *fmt, ...)
{
	va_list ap;

	if (B.quiet)
		return;
	va_start(ap, fmt);
	if (progress_tty)
		fputs("\r\033[K", stderr);
	vfprintf(stderr, fmt, ap);
	if (!progress_tty)
		fputc('\n', stderr);
	va_end(ap);
}

/* ---- the late log: S5 stamps, matched to their records by seq ---- */

struct late_match {
	struct scf_rec *recs;
	uint64_t base;
	uint32_t n, matched;
};

static void late_one(void *arg, const struct scf_late *l)
{
	struct late_match *m = arg;
	struct scf_rec *rec;

	if (l->seq < m->base || l->seq - m->base >= m->n)
		return;		/* a setup call's, or garbage: ignore */
	rec = &m->recs[l->seq - m->base];
	if (rec->seq != l->seq || rec->late)
		return;
	rec->t[SCF_S5_REPLY_KICKED] = l->s5;
	rec->t[SCF_KR_ENTRY] = l->kr_entry;
	rec->t[SCF_KR_IPI_SENT] = l->kr_ipi_sent;
	rec->late = 1;
	m->matched++;
}

static void drain_discard(struct bench *b)
{
	struct late_match m = { 0 };

	scf_client_drain_late(&b->c, late_one, &m);
}

/* ---- one run ---- */

static const char *result_dir(void)
{
	static char dir[64];

	snprintf(dir, sizeof(dir), "%s%s", scf_notify_name(),
		 SCF_PROBES ? "" : "-noprobes");
	return dir;
}

static void finish_run(struct bench *b, struct run *r)
{
	iso_time(r->end, sizeof(r->end));
	if (b->note)
		run_warn(r, "%s", b->note);
	if (b->latency_note)
		run_warn(r, "%s", b->latency_note);
	run_warn(r, "tsc skew CPU %d -> CPU %d: %.1f ns (best round trip %.0f ns)",
		 b->client_cpu, b->shadow_cpu, b->skew_ns, b->skew_rtt_ns);
	if (!b->tsc_invariant)
		run_warn(r, "TSC is not invariant on this CPU: phases may drift");
	for (int p = 0; p < PH_NR; p++)
		if (r->ph[p].negative)
			run_warn(r, "%s: %llu negative deltas (cross-CPU skew), "
				 "kept unclamped", phase_names[p],
				 (unsigned long long)r->ph[p].negative);
	if (r->missing_late)
		run_warn(r, "%llu responses without an S5 stamp (late log)",
			 (unsigned long long)r->missing_late);
	if (r->identity_violations)
		run_warn(r, "identity violated by %llu requests",
			 (unsigned long long)r->identity_violations);
	if (b->out_dir && results_write(b, r))
		b->failures++;
	results_print(b, r);
}

static int run_peer(struct bench *b, const struct wl *w, int k, int nk)
{
	struct wl_ctx x = { .fd = -1 };
	struct run r;
	int64_t *ticks;
	double c0, p0;
	uint32_t s;
	uint64_t i;
	int err = 0;

	run_init(&r, b->samples, b->cycles);
	r.workload = w->name;
	r.dir = "peers";
	r.backend = strncmp(w->name, "native-", 7) ? w->name : "native";
	r.memsync = "none";
	r.probes = false;
	ticks = malloc(sizeof(*ticks) * b->cycles);
	doorbell_begin(b, &r, false);
	c0 = thread_cpu_ns();
	p0 = peer_side_cpu_ns(b);
	for (s = 0; s < b->samples && !err && !interrupted; s++) {
		uint64_t t0 = now_ns();

		progress("scf-bench: [%d/%d] peers/%s sample %u/%u", k, nk,
			 w->name, s + 1, b->samples);
		err = w->measure(b, &x, ticks, b->cycles);
		r.wall_ns[s] = (double)(now_ns() - t0) / b->cycles;
		for (i = 0; !err && i < b->cycles; i++)
			run_add(&r, PH_TOTAL, ticks[i]);
		run_end_sample(&r, s);
	}
	r.client_cpu_ns = (thread_cpu_ns() - c0) / ((double)b->samples * b->cycles);
	r.shadow_cpu_ns = (peer_side_cpu_ns(b) - p0) /
			  ((double)b->samples * b->cycles);
	doorbell_end(b, &r);
	free(ticks);
	if (err == -ENODEV && b->skip_why && !interrupted) {
		/* Never faked: said, and left out of the results. */
		progress("%s", "");
		printf("\npeers/%s  skipped: %s\n", w->name, b->skip_why);
		b->skip_why = NULL;
		run_free(&r);
		return 0;
	}
	if (err || interrupted) {
		progress("scf-bench: peers/%s failed: %s\n", w->name,
			 interrupted ? "interrupted" : strerror(-err));
		run_free(&r);
		b->failures++;
		return -1;
	}
	if (w->annotate)
		w->annotate(b, &r);
	finish_run(b, &r);
	run_free(&r);
	return 0;
}

static int run_fwd(struct bench *b, const struct wl *w, const char *name,
		   uint64_t payload, uint32_t memsync, uint32_t cycles,
		   int k, int nk)
{
	struct wl_ctx x = { .fd = -1, .size = payload };
	struct late_match m;
	struct scf_rec *recs;
	struct dual_rec *drecs = NULL;
	struct run r;
	double c0, s0;
	uint64_t total_ns = 0;
	uint32_t s, i;
	int err;

	b->c.memsync = memsync;
	err = w->setup ? w->setup(b, &x) : 0;
	if (err) {
		fprintf(stderr, "scf-bench: %s: setup failed\n", name);
		b->failures++;
		return -1;
	}
	if (x.max_cycles && cycles > x.max_cycles)
		cycles = x.max_cycles;
	run_init(&r, b->samples, cycles);
	r.workload = name;
	r.dir = result_dir();
	r.backend = b->backend;
	r.payload = payload;
	r.memsync = memsync == SCF_MEMSYNC_MAP ? "map" : "copy";
	r.probes = SCF_PROBES;
	r.emulated = b->note != NULL;
	recs = calloc(cycles, sizeof(*recs));
	if (x.dual)
		drecs = calloc(cycles, sizeof(*drecs));
	drain_discard(b);
	doorbell_begin(b, &r, true);
	c0 = thread_cpu_ns();
	s0 = proc_cpu_ns(b->shadow_pid);
	for (s = 0; s < b->samples && !err && !interrupted; s++) {
		uint64_t t0, t1, wait_from;

		progress("scf-bench: [%d/%d] %s/%s sample %u/%u", k, nk,
			 r.dir, name, s + 1, b->samples);
		m = (struct late_match){ recs, b->c.seq + 1, cycles, 0 };
		memset(recs, 0, sizeof(*recs) * cycles);
		t0 = now_ns();
		for (i = 0; i < cycles && !interrupted; i++) {
			uint64_t c0 = SCF_PROBES ? 0 : scf_rdtsc_ordered();
			int bad;

			if (x.dual)
				x.drec = &drecs[i];
			else
				b->c.rec = &recs[i];
			bad = w->op(b, &x, i);
			/* Probes compiled out: time the call from outside. */
			if (!SCF_PROBES && !x.dual)
				recs[i].t[SCF_C7_DONE] = scf_rdtsc_ordered() - c0;
			if (bad) {
				fprintf(stderr, "\nscf-bench: %s: call %u of sample "
					"%u returned %lld (%s)\n", name, i, s,
					(long long)recs[i].ret,
					scf_strerror((int)recs[i].ret));
				err = -1;
				break;
			}
			if ((i & 255) == 255)
				scf_client_drain_late(&b->c, late_one, &m);
		}
		t1 = now_ns();
		b->c.rec = NULL;
		if (err || interrupted)
			break;
		r.wall_ns[s] = (double)(t1 - t0) / cycles;
		total_ns += t1 - t0;
		/* The last S5 stamps follow their responses by a kick. */
		wait_from = now_ns();
		do
			scf_client_drain_late(&b->c, late_one, &m);
		while (!x.dual && m.matched < cycles &&
		       now_ns() - wait_from < 50000000ull);
		for (i = 0; i < cycles; i++) {
			if (x.dual)
				run_add_dual(&r, &drecs[i]);
			else if (SCF_PROBES)
				run_add_rec(&r, &recs[i]);
			else
				run_add(&r, PH_TOTAL, (int64_t)recs[i].t[SCF_C7_DONE]);
		}
		run_end_sample(&r, s);
	}
	r.client_cpu_ns = (thread_cpu_ns() - c0) / ((double)b->samples * cycles);
	if (s0 >= 0)
		r.shadow_cpu_ns = (proc_cpu_ns(b->shadow_pid) - s0) /
				  ((double)b->samples * cycles);
	doorbell_end(b, &r);
	if (w->teardown)
		w->teardown(b, &x);
	free(recs);
	free(drecs);
	if (err || interrupted) {
		progress("scf-bench: %s/%s failed%s\n", r.dir, name,
			 interrupted ? ": interrupted" : "");
		run_free(&r);
		b->failures++;
		return -1;
	}
	progress("%s", "");
	if (w->annotate)
		w->annotate(b, &r);
	finish_run(b, &r);
	if (!strcmp(name, "write"))	/* the origin's lat_write line */
		printf("  Avg time delay per syscall: %.3f usec (%.0f ns), "
		       "%u x %u calls\n",
		       total_ns / 1e3 / ((double)b->samples * cycles),
		       total_ns / ((double)b->samples * cycles), b->samples,
		       cycles);
	run_free(&r);
	return 0;
}

/* ---- the workload list ---- */

#define MAX_SEL 64
#define MAX_REQUESTS	(16ull << 20)

struct sel {
	const struct wl *w[MAX_SEL];
	int n;
};

static int select_workloads(const char *list, struct sel *sel)
{
	const struct wl *const *w;
	char *dup = strdup(list), *save = NULL, *tok;
	int i, j;

	sel->n = 0;
	for (tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "all") || !strcmp(tok, "forwarded")) {
			for (w = wl_begin(); w < wl_end() && sel->n < MAX_SEL; w++)
				if (tok[0] == 'a' || (*w)->kind == WL_FWD)
					sel->w[sel->n++] = *w;
			continue;
		}
		if (tok[0] == '-' && wl_find(tok + 1)) {
			/* "-name": leave out what the list so far selected */
			for (i = j = 0; i < sel->n; i++)
				if (sel->w[i] != wl_find(tok + 1))
					sel->w[j++] = sel->w[i];
			sel->n = j;
			continue;
		}
		if (!wl_find(tok)) {
			fprintf(stderr, "scf-bench: unknown workload '%s'; "
				"--list shows them\n", tok);
			free(dup);
			return -1;
		}
		if (sel->n < MAX_SEL)
			sel->w[sel->n++] = wl_find(tok);
	}
	free(dup);
	return sel->n ? 0 : -1;
}

/* Payload sizes: 8 B to 1 MiB, in powers of 4, then 1 MiB itself. */
static const uint64_t payload_sizes[] = {
	8, 32, 128, 512, 2048, 8192, 32768, 131072, 524288, 1048576,
};
#define NPAYLOAD (sizeof(payload_sizes) / sizeof(payload_sizes[0]))
/* Bytes one sample of the sweep moves at most: keeps 1 MiB runs short. */
#define PAYLOAD_SAMPLE_BYTES (64ull << 20)

static int count_runs(const struct sel *sel)
{
	int i, n = 0;

	for (i = 0; i < sel->n; i++)
		n += strcmp(sel->w[i]->name, "payload") ? 1 : 2 * (int)NPAYLOAD;
	return n;
}

static void run_all(struct bench *b, const struct sel *sel)
{
	int i, k = 0, nk = count_runs(sel);
	bool any_fwd = false;

	/* Peers first, with nothing else spinning on the shadow's CPU. */
	for (i = 0; i < sel->n && !interrupted; i++) {
		if (sel->w[i]->kind == WL_PEER)
			run_peer(b, sel->w[i], ++k, nk);
		else
			any_fwd = true;
	}
	if (!any_fwd || interrupted)
		return;
	if (bench_region_create(b) || bench_shadow_start(b) ||
	    bench_notify_attach(b)) {
		b->failures++;
		return;
	}
	b->c.cancel = &interrupted;
	b->c.rec = NULL;
	if (scf_syncmap(&b->c, b->arena, b->arena_size)) {
		fprintf(stderr, "scf-bench: syncmap of the arena failed\n");
		b->failures++;
		return;
	}
	for (i = 0; i < sel->n && !interrupted; i++) {
		const struct wl *w = sel->w[i];
		unsigned j, ms;

		if (w->kind != WL_FWD)
			continue;
		if (strcmp(w->name, "payload")) {
			run_fwd(b, w, w->name, 0, b->memsync, b->cycles, ++k, nk);
			continue;
		}
		for (ms = 0; ms < 2; ms++) {
			for (j = 0; j < NPAYLOAD && !interrupted; j++) {
				uint64_t sz = payload_sizes[j];
				uint64_t cyc = PAYLOAD_SAMPLE_BYTES / sz;
				char name[64];

				if (cyc > b->cycles)
					cyc = b->cycles;
				if (cyc < 1)
					cyc = 1;
				snprintf(name, sizeof(name), "payload-%s-%llu",
					 ms ? "map" : "copy",
					 (unsigned long long)sz);
				run_fwd(b, w, name, sz, ms, (uint32_t)cyc, ++k, nk);
			}
		}
	}
}

/* ---- options ---- */

static void usage(FILE *f)
{
	fprintf(f,
"usage: scf-bench [options]\n"
"  --workloads LIST      comma-separated names, 'all' (default) or\n"
"                        'forwarded' (all but the peers), '-name' leaves\n"
"                        one out again; --list shows them\n"
"  --samples N           samples per workload (default 20)\n"
"  --cycles N            calls per sample (default 10000)\n"
"  --cpus C,S            client (RTOS) CPU and shadow (Linux) CPU (default 1,0)\n"
"  --out DIR             results directory, results/<commit>/<host> (required\n"
"                        to store; without it nothing is written)\n"
"  --commit HASH         recorded in the results (default: unknown)\n"
"  --dirty 0|1           the tree had uncommitted changes\n"
"  --backend NAME        notify backend (default auto; see README)\n"
"  --memsync copy|map    how payloads travel (default copy)\n"
"  --ring lockfree|locked  ring discipline (default lockfree)\n"
"  --capacity N          descriptors per slot, power of two (default 16)\n"
"  --root DIR            directory the shadow serves (default: a new temp dir)\n"
"  --shadow PATH         scf-shadow binary (default: beside scf-bench)\n"
"  --service-delay-ns N  the shadow busy-waits N ns per call (validation)\n"
"  --fifo PRIO           run the client SCHED_FIFO at PRIO\n"
"  --quiet               no progress on stderr\n"
"  --idle poll|halt      idle CPUs poll (default: /dev/cpu_dma_latency held\n"
"                        at 0) or halt (cpuidle POLL states off; root)\n"
"  --allow-idle          the same as --idle halt\n"
"  --list                list the workloads and exit\n"
"This build: variant %s, probes %s.\n", scf_notify_name(),
		SCF_PROBES ? "on" : "off");
}

static int parse_u32(const char *s, uint32_t *v, uint32_t min, uint32_t max)
{
	char *end;
	unsigned long x;

	errno = 0;
	x = strtoul(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || x < min || x > max)
		return -1;
	*v = (uint32_t)x;
	return 0;
}

static int bad(const char *opt, const char *val)
{
	fprintf(stderr, "scf-bench: bad value for --%s: '%s'\n", opt, val);
	return -1;
}

static int parse_opts(struct bench *b, int argc, char **argv, const char **wl)
{
	static const struct option lo[] = {
		{ "workloads", 1, 0, 'w' }, { "samples", 1, 0, 's' },
		{ "cycles", 1, 0, 'n' }, { "cpus", 1, 0, 'c' },
		{ "out", 1, 0, 'o' }, { "commit", 1, 0, 'C' },
		{ "dirty", 1, 0, 'd' }, { "backend", 1, 0, 'b' },
		{ "memsync", 1, 0, 'm' }, { "ring", 1, 0, 'r' },
		{ "capacity", 1, 0, 'q' }, { "root", 1, 0, 'R' },
		{ "shadow", 1, 0, 'S' }, { "service-delay-ns", 1, 0, 'D' },
		{ "fifo", 1, 0, 'f' }, { "quiet", 0, 0, 'Q' },
		{ "allow-idle", 0, 0, 'I' }, { "idle", 1, 0, 'i' },
		{ "list", 0, 0, 'l' }, { "help", 0, 0, 'h' }, { 0, 0, 0, 0 }
	};
	uint32_t v, v2;
	char *comma;
	int c;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'w': *wl = optarg; break;
		case 's':
			if (parse_u32(optarg, &b->samples, 1, 100000))
				return bad("samples", optarg);
			break;
		case 'n':
			if (parse_u32(optarg, &b->cycles, 1, 10000000))
				return bad("cycles", optarg);
			break;
		case 'c':
			comma = strchr(optarg, ',');
			if (!comma)
				return bad("cpus", optarg);
			*comma = 0;
			if (parse_u32(optarg, &v, 0, 4095) ||
			    parse_u32(comma + 1, &v2, 0, 4095) || v == v2) {
				*comma = ',';
				return bad("cpus", optarg);
			}
			b->client_cpu = (int)v;
			b->shadow_cpu = (int)v2;
			break;
		case 'o': b->out_dir = optarg; break;
		case 'C': b->commit = optarg; break;
		case 'd': b->dirty = !strcmp(optarg, "1"); break;
		case 'b': b->backend_req = optarg; break;
		case 'm':
			if (!strcmp(optarg, "copy"))
				b->memsync = SCF_MEMSYNC_COPY;
			else if (!strcmp(optarg, "map"))
				b->memsync = SCF_MEMSYNC_MAP;
			else
				return bad("memsync", optarg);
			break;
		case 'r':
			if (!strcmp(optarg, "lockfree"))
				b->ring = SCF_RING_LOCKFREE;
			else if (!strcmp(optarg, "locked"))
				b->ring = SCF_RING_LOCKED;
			else
				return bad("ring", optarg);
			break;
		case 'q':
			if (parse_u32(optarg, &b->capacity, 1, SCF_CAP_MAX) ||
			    (b->capacity & (b->capacity - 1)))
				return bad("capacity", optarg);
			break;
		case 'R': b->root = optarg; break;
		case 'S': b->shadow_path = optarg; break;
		case 'D':
			if (parse_u32(optarg, &v, 0, 100000000))
				return bad("service-delay-ns", optarg);
			b->delay_ns = v;
			break;
		case 'f':
			if (parse_u32(optarg, &v, 1, 99))
				return bad("fifo", optarg);
			b->fifo_prio = (int)v;
			break;
		case 'Q': b->quiet = true; break;
		case 'I': b->idle = IDLE_HALT; break;
		case 'i':
			if (bench_idle_parse(b, optarg))
				return bad("idle", optarg);
			break;
		case 'l':
			wl_list(stdout);
			exit(0);
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	/* Every request's phases are kept: bound what that can cost. */
	if ((uint64_t)b->samples * b->cycles > MAX_REQUESTS) {
		fprintf(stderr, "scf-bench: --samples x --cycles = %llu requests; "
			"at most %llu per workload\n",
			(unsigned long long)b->samples * b->cycles,
			(unsigned long long)MAX_REQUESTS);
		return -1;
	}
	if (optind < argc) {
		fprintf(stderr, "scf-bench: unexpected argument '%s'\n",
			argv[optind]);
		return -1;
	}
	return 0;
}

static char *default_shadow(void)
{
	static char path[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 32);
	char *slash;

	if (n <= 0)
		return "scf-shadow";
	path[n] = 0;
	slash = strrchr(path, '/');
	strcpy(slash ? slash + 1 : path, "scf-shadow");
	return path;
}

static void setup_cpus_and_clock(struct bench *b)
{
	struct scf_tsc_skew sk;
	int err, ncpu = scf_cpus_online();

	if (b->client_cpu >= ncpu || b->shadow_cpu >= ncpu) {
		fprintf(stderr, "scf-bench: --cpus %d,%d: this machine has CPUs "
			"0-%d\n", b->client_cpu, b->shadow_cpu, ncpu - 1);
		exit(2);
	}
	err = scf_tsc_calibrate(&b->tsc_hz);
	if (err) {
		fprintf(stderr, "scf-bench: TSC calibration failed\n");
		exit(1);
	}
	b->tsc_invariant = scf_tsc_invariant();
	err = scf_tsc_skew(b->client_cpu, b->shadow_cpu, b->tsc_hz, &sk);
	if (err) {
		fprintf(stderr, "scf-bench: cannot measure TSC skew between CPU "
			"%d and %d: %s\n", b->client_cpu, b->shadow_cpu,
			strerror(-err));
		exit(2);
	}
	b->skew_ns = sk.skew_ns;
	b->skew_rtt_ns = sk.rtt_ns;
	err = scf_pin_cpu(b->client_cpu);
	if (err) {
		fprintf(stderr, "scf-bench: cannot pin to CPU %d: %s\n",
			b->client_cpu, strerror(-err));
		exit(2);
	}
	bench_idle_setup(b);
	if (scf_lock_memory())
		fprintf(stderr, "scf-bench: note: mlockall failed, page faults "
			"may show in the tails\n");
	if (b->fifo_prio && scf_set_fifo(b->fifo_prio))
		fprintf(stderr, "scf-bench: note: SCHED_FIFO %d refused, "
			"running SCHED_OTHER\n", b->fifo_prio);
}

static char root_tmp[64];

static void make_root(struct bench *b)
{
	if (b->root)
		return;
	snprintf(root_tmp, sizeof(root_tmp), "/tmp/scf-root.XXXXXX");
	if (!mkdtemp(root_tmp)) {
		perror("scf-bench: mkdtemp");
		exit(1);
	}
	b->root = root_tmp;
}

static void remove_root(void)
{
	/* Only the directory we made ourselves. */
	if (root_tmp[0])
		bench_root_remove(root_tmp);
}

int main(int argc, char **argv)
{
	struct bench *b = &B;
	const char *wl = "all";
	struct sigaction sa;
	struct sel sel;
	size_t off = 0;
	pid_t died;
	int i;

	/* An image exec'd by the exec dual call (rtos_exec.c). */
	if (argc > 1 && !strcmp(argv[1], "--exec-child"))
		return rtos_exec_child(argc, argv);
	b->samples = 20;
	b->cycles = 10000;
	b->client_cpu = 1;
	b->shadow_cpu = 0;
	b->commit = "unknown";
	b->region_fd = b->dev_fd = b->memfd = b->latency_fd = -1;
	for (i = 0; i < argc && off < sizeof(b->cmdline) - 1; i++)
		off += (size_t)snprintf(b->cmdline + off, sizeof(b->cmdline) - off,
					"%s%s", i ? " " : "", argv[i]);
	if (parse_opts(b, argc, argv, &wl) || select_workloads(wl, &sel))
		return 2;
	if (!b->shadow_path)
		b->shadow_path = default_shadow();
	b->backend = scf_notify_pick(b->backend_req);
	if (!b->backend) {
		const char *why = b->backend_req ?
				  scf_notify_note(b->backend_req) : NULL;

		fprintf(stderr, "scf-bench: variant %s: backend '%s' cannot run "
			"on this machine%s%s\n", scf_notify_name(),
			b->backend_req, why ? ": " : "", why ? why : "");
		return 2;
	}
	b->note = scf_notify_note(b->backend);
	if (!b->out_dir)
		fprintf(stderr, "scf-bench: no --out: results are printed, "
			"not stored\n");
	progress_tty = isatty(2);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_child;
	sa.sa_flags = SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);

	setup_cpus_and_clock(b);
	make_root(b);
	printf("scf-bench: variant %s, backend %s%s, probes %s, CPUs client %d "
	       "shadow %d, TSC %.3f GHz%s, skew %.1f ns\n", scf_notify_name(),
	       b->backend, b->note ? " (emulated)" : "",
	       SCF_PROBES ? "on" : "off", b->client_cpu, b->shadow_cpu,
	       b->tsc_hz / 1e9, b->tsc_invariant ? " invariant" : "",
	       b->skew_ns);
	if (b->note)
		printf("scf-bench: %s\n", b->note);
	fflush(stdout);

	run_all(b, &sel);

	died = reaped_shadow;
	if (died) {
		fprintf(stderr, "scf-bench: scf-shadow (pid %d) died\n",
			(int)died);
		b->failures++;
	}
	/* Our tables first: the shadow's parting line is not to land
	 * inside a half-flushed stdout buffer when both go to one file. */
	fflush(stdout);
	bench_shadow_stop(b);
	remove_root();
	if (interrupted && !died) {
		fprintf(stderr, "scf-bench: interrupted\n");
		return 130;
	}
	return b->failures ? 1 : 0;
}
