// SPDX-License-Identifier: MIT
/*
 * main.c - scf-bench: the RTOS side.  Parses the options, sets the
 * machine up (setup.c), runs the selected workloads (measure_all.c: samples
 * round-robin over peers and forwarded runs, the shadow parked beside
 * peers and baselines), and stops the shadow on every way out.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "counters.h"
#include "harness.h"
#include "lockstep.h"
#include "trace.h"
#include "../rtos/rtos_dual.h"
#include "scf_probe.h"
#include "scf_wait.h"

static struct bench bench;
static volatile pid_t reaped_shadow;
/*
 * Set by SIGINT/SIGTERM/SIGHUP.  Ctrl-C reaches the whole process group:
 * the shadow stops on the same signal, and its end is then the
 * interruption, not a death.  The kernel delivers the lower-numbered
 * SIGINT before SIGCHLD, so this is set before on_child() runs.
 */
static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
	bench_interrupted = 1;
}

/* A shadow that dies under us must not leave the client waiting forever. */
static void on_child(int sig)
{
	int status, saved = errno;

	(void)sig;
	if (bench.shadow_pid > 0 &&
	    waitpid(bench.shadow_pid, &status, WNOHANG) == bench.shadow_pid) {
		reaped_shadow = bench.shadow_pid;
		bench.shadow_pid = 0;	/* bench_shadow_stop() has nothing to do */
		bench_interrupted = 1;
	}
	errno = saved;
}

/* ---- options ---- */

#define MAX_REQUESTS	(16ull << 20)

static void usage(FILE *f)
{
	fprintf(f,
"usage: scf-bench [options]\n"
"  --workloads LIST      comma-separated names or groups: 'default' (all\n"
"                        but the extended sweeps), 'all' (every one),\n"
"                        'forwarded' (default's forwarded ones), 'own'\n"
"                        (default's from the variant's folder), a group\n"
"                        ('async'); '-name' leaves one out again;\n"
"                        --list shows them\n"
"  --samples N           samples per workload (default 20)\n"
"  --cycles N            calls per sample (default 10000)\n"
"  --cpus C,S            client (RTOS) CPU and shadow (Linux) CPU (default 1,0)\n"
"  --out DIR             results directory, results/<commit>/<host> (required\n"
"                        to store; without it nothing is written); each\n"
"                        result is JSON of schema " SCF_BENCH_SCHEMA "\n"
"  --commit HASH         recorded in the results (default: unknown)\n"
"  --dirty 0|1           the tree had uncommitted changes\n"
"  --backend NAME        notify backend (default auto; see README)\n"
"  --memsync copy|map    how payloads travel (default copy)\n"
"  --ring indirect|inline|locked  ring layout (default indirect: rings\n"
"                        of descriptor indices, lock-free; inline: the\n"
"                        request in the descriptor, one line each way;\n"
"                        locked: indirect under the origin's lock;\n"
"                        lockfree is indirect's old name)\n"
"  --capacity N          descriptors per slot, power of two (default 16)\n"
"  --clients N           clients (slots) one shadow CPU serves, 1 to 8,\n"
"                        driven as tasks of one client thread (default 1)\n"
"  --topology spsc|mpsc  a ring pair per client (default), or one shared\n"
"                        request queue with answers routed per client\n"
"  --root DIR            directory the shadow serves (default: a new temp dir)\n"
"  --shadow PATH         scf-shadow binary (default: beside scf-bench)\n"
"  --service-delay-ns N  the shadow busy-waits N ns per call (validation)\n"
"  --fifo PRIO           run the client SCHED_FIFO at PRIO\n"
"  --probe-every N       one call in N stamps every probe point, the others\n"
"                        only C0 and C7 (default 64; 1: every call)\n"
"  --order round-robin|sequential  sample 1 of every workload, then\n"
"                        sample 2, ... (default), or one after another\n"
"  --replica K/R         this process is replica K of R identical ones\n"
"                        (make bench REPLICAS=R): files <workload>.rK.json\n"
"  --placement on|off    replace the region's pages slower than the\n"
"                        machine's floor (default on), or only probe them\n"
"  --quiet               no progress on stderr\n"
"  --idle poll|halt      idle CPUs poll (/dev/cpu_dma_latency held at 0)\n"
"                        or halt (cpuidle POLL states off; root); default:\n"
"                        what the variant declares for the backend\n"
"                        (variants/<v>/variant.mk, v_IDLE), else poll\n"
"  --allow-idle          the same as --idle halt\n"
"  --events LIST         libpfm4 event names counted per request on the client\n"
"                        and the shadow (default: cycles, instructions, cache\n"
"                        misses, a cross-core event; software events without\n"
"                        a PMU)\n"
"  --trace               record kernel events (TSC clock, tracefs instance) and\n"
"                        join them to the requests: the result's \"tail\"\n"
"  --wait spin|sleep|hybrid:N  how both receivers wait: spin, sleep, or spin\n"
"                        N ns then sleep (default: the backend's own; see\n"
"                        README); the variant's raw peer waits the same way\n"
"  --call-timeout SECONDS  give up on a call whose shadow is stopped,\n"
"                        gone, or has not taken the request up for this\n"
"                        long (dropped it); one it serves gets more, within\n"
"                        a bound (default 1; exit 1 naming the call)\n"
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

/* Seconds, more than 0 and at most an hour (as scf-shadow takes them). */
static int parse_timeout(const char *s, double *v)
{
	char *end;
	double x;

	errno = 0;
	x = strtod(s, &end);
	if (errno || end == s || *end || !(x >= 0.001 && x <= 3600))
		return -1;
	*v = x;
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
		{ "probe-every", 1, 0, 'P' }, { "order", 1, 0, 'O' },
		/* test-only: take N ns from every call's total (wall_gap) */
		{ "test-drop-ns", 1, 0, 'X' },
		/* test-only: replace every page probed slower than N ns (1:
		 * below any floor, so every page takes the replacing path) */
		{ "test-place-limit-ns", 1, 0, 'Z' },
		{ "allow-idle", 0, 0, 'I' }, { "idle", 1, 0, 'i' },
		{ "events", 1, 0, 'E' }, { "trace", 0, 0, 'T' },
		{ "wait", 1, 0, 'W' }, { "call-timeout", 1, 0, 'K' },
		{ "clients", 1, 0, 'N' }, { "topology", 1, 0, 'Y' },
		{ "replica", 1, 0, 'j' }, { "placement", 1, 0, 'L' },
		{ "list", 0, 0, 'l' }, { "help", 0, 0, 'h' }, { 0, 0, 0, 0 }
	};
	uint32_t v, v2;
	char *comma, tail;
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
		case 'd':
			if (!strcmp(optarg, "1") || !strcmp(optarg, "true"))
				b->dirty = true;
			else if (!strcmp(optarg, "0") || !strcmp(optarg, "false"))
				b->dirty = false;
			else
				return bad("dirty", optarg);
			break;
		case 'b': b->backend_req = optarg; break;
		case 'K':
			if (parse_timeout(optarg, &b->call_timeout_s))
				return bad("call-timeout", optarg);
			break;
		case 'm':
			if (!strcmp(optarg, "copy"))
				b->memsync = SCF_MEMSYNC_COPY;
			else if (!strcmp(optarg, "map"))
				b->memsync = SCF_MEMSYNC_MAP;
			else
				return bad("memsync", optarg);
			break;
		case 'r':
			if (!strcmp(optarg, "lockfree") ||
			    !strcmp(optarg, "indirect"))
				b->ring = SCF_RING_LOCKFREE;
			else if (!strcmp(optarg, "inline"))
				b->ring = SCF_RING_INLINE;
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
		case 'N':
			if (parse_u32(optarg, &b->clients, 1, BENCH_CLIENTS_MAX))
				return bad("clients", optarg);
			b->topology_set = true;
			break;
		case 'Y':
			if (strcmp(optarg, "spsc") && strcmp(optarg, "mpsc"))
				return bad("topology", optarg);
			b->mpsc = optarg[0] == 'm';
			b->topology_set = true;
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
		case 'P':
			if (parse_u32(optarg, &b->probe_every, 1, 1u << 30))
				return bad("probe-every", optarg);
			break;
		case 'O':
			if (!strcmp(optarg, "sequential"))
				b->sequential = true;
			else if (!strcmp(optarg, "round-robin"))
				b->sequential = false;
			else
				return bad("order", optarg);
			break;
		case 'X':
			/* N (ns) from every call's total, or P% of it */
			comma = optarg + strlen(optarg);
			if (comma > optarg && comma[-1] == '%') {
				comma[-1] = 0;
				c = parse_u32(optarg, &b->test_drop_pct, 1, 99);
				comma[-1] = '%';
				if (c)
					return bad("test-drop-ns", optarg);
			} else if (parse_u32(optarg, &v, 0, 1000000000)) {
				return bad("test-drop-ns", optarg);
			} else {
				b->test_drop_ns = v;
			}
			break;
		case 'Z':
			if (parse_u32(optarg, &b->test_place_limit_ns, 1,
				      1000000000))
				return bad("test-place-limit-ns", optarg);
			break;
		case 'j':
			/* K/R: replica K (1-based) of R identical processes */
			if (sscanf(optarg, "%u/%u%c", &v, &v2, &tail) != 2 ||
			    v < 1 || v2 > 64 || v > v2)
				return bad("replica", optarg);
			b->replica = v;
			b->replicas = v2;
			break;
		case 'L':
			if (!strcmp(optarg, "on") || !strcmp(optarg, "off"))
				b->place_off = optarg[1] == 'f';
			else
				return bad("placement", optarg);
			break;
		case 'T': trace_enable(); break;
		case 'E':
			if (counters_select(optarg))
				return -1;
			break;
		case 'I': b->idle = IDLE_HALT; b->idle_asked = true; break;
		case 'i':
			if (bench_idle_parse(b, optarg))
				return bad("idle", optarg);
			b->idle_asked = true;
			break;
		case 'W':
			if (scf_wait_parse(optarg, &b->wait_req))
				return bad("wait", optarg);
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

int main(int argc, char **argv)
{
	struct bench *b = &bench;
	const char *wl = "default";
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
	b->call_timeout_s = 1;
	b->commit = "unknown";
	b->probe_every = 64;
	b->region_fd = b->dev_fd = b->memfd = b->latency_fd = -1;
	for (i = 0; i < argc && off < sizeof(b->cmdline) - 1; i++)
		off += (size_t)snprintf(b->cmdline + off, sizeof(b->cmdline) - off,
					"%s%s", i ? " " : "", argv[i]);
	if (parse_opts(b, argc, argv, &wl) || select_workloads(wl, &sel))
		return 2;
	if (b->out_dir && out_dir_check(b->out_dir))
		return 2;
	/* The trace joins events to every request's stamps: all of them. */
	if (trace_enabled())
		b->probe_every = 1;
	if (!b->shadow_path)
		b->shadow_path = setup_default_shadow();
	if (input_check(b, &sel) || setup_backend(b) || bench_wait_pick(b))
		return 2;
	if (!b->out_dir)
		fprintf(stderr, "scf-bench: no --out: results are printed, "
			"not stored\n");
	progress_init(b->quiet);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_child;
	sa.sa_flags = SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);

	/* Under scf-interleave: wait for our turn before calibrating. */
	if (lockstep_init())
		return 2;
	setup_run(b);
	if (b->out_dir)
		incomplete_begin(b->out_dir);
	measure_all(b, &sel);
	if (b->shadow_unready) {
		/* Said by spawn.c in one line; nothing was measured. */
		setup_remove_root();
		incomplete_withdraw();
		return 2;
	}

	died = got_signal ? 0 : reaped_shadow;
	if (died) {
		fprintf(stderr, "scf-bench: scf-shadow (pid %d) died\n",
			(int)died);
		b->failures++;
	}
	/* Our tables first: the shadow's parting line is not to land
	 * inside a half-flushed stdout buffer when both go to one file. */
	fflush(stdout);
	bench_shadow_stop(b);
	setup_remove_root();
	if (bench_interrupted && !died) {
		fprintf(stderr, "scf-bench: interrupted\n");
		incomplete_end(130, "interrupted");
		return 130;
	}
	incomplete_end(b->failures ? 1 : 0, b->c.timed_out ?
		       "a call timed out" : died ? "scf-shadow died" :
		       "a workload failed");
	return b->failures ? 1 : 0;
}
