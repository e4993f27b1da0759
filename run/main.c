// SPDX-License-Identifier: MIT
/*
 * main.c - scf-run: start scf-shadow the way scf-bench does (one SCF
 * slot, the same notify backend), load the program into this process
 * and enter it under Syscall User Dispatch; its exit ends the run with a
 * per-call table, and optionally a JSON file and the native wall time.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "dispatch.h"
#include "entry.h"
#include "harness.h"
#include "report.h"
#include "rtos_dual.h"
#include "scf_sched.h"
#include "scf_tsc.h"

static struct bench bench;
static const char *json_out;
static bool compare_native;
static const char *result_name;	/* --name: app-NAME, else the program's */
static double native_ns = -1;
static uint64_t t_start_ns;

static void usage(FILE *f)
{
	fprintf(f,
"usage: scf-run [options] -- PROGRAM [ARGS...]\n"
"       scf-run --list\n"
"Runs an unmodified x86-64 Linux program (static or dynamic) in this\n"
"process under Syscall User Dispatch: each system call is served locally,\n"
"forwarded through SCF to scf-shadow, or both (see --list).\n"
"  --variant V          run the scf-run built for variant V (any folder\n"
"                       variants/V/ that was built: build/V/scf-run)\n"
"  --backend NAME       notify backend (default auto)\n"
"  --memsync copy       how payloads travel (only copy: the program's\n"
"                       buffers are not in the sync window)\n"
"  --root DIR           the program's file system: the shadow's root\n"
"                       (default /)\n"
"  --cpus C,S           program and shadow CPUs (default 1,0)\n"
"  --passthrough        run calls outside the table on the host kernel\n"
"                       (default: -ENOSYS); counted either way\n"
"  --out FILE           write the per-call results as JSON (" SCF_RUN_SCHEMA ")\n"
"  --results DIR        also write DIR/<variant>/app-<program>.json in\n"
"                       the suite's schema (" SCF_BENCH_SCHEMA "), with\n"
"                       --commit C and --dirty 0|1 as scf-bench's\n"
"  --name NAME          that file is app-NAME.json\n"
"  --compare-native     run the program natively first (stdout to\n"
"                       /dev/null), and print both wall times\n"
"  --idle poll|halt     idle CPUs poll (default: /dev/cpu_dma_latency held\n"
"                       at 0 for the run, as scf-bench does) or halt\n"
"  --no-rewrite         every call traps (SIGSYS); by default a syscall\n"
"                       site is rewritten after its first trap into a\n"
"                       call of a trampoline at address 0, where\n"
"                       vm.mmap_min_addr is 0\n"
"  --probe-every N      stamp every point of one forwarded call in N\n"
"                       (default 64, as scf-bench; 1: every call); the\n"
"                       others stamp only their start and end\n"
"  --quiet              no table on stderr\n"
"  --shadow PATH        scf-shadow binary (default: next to scf-run)\n"
"  --list               print the classification table\n");
}

static int bad(const char *what, const char *val)
{
	fprintf(stderr, "scf-run: bad %s: '%s'\n", what, val);
	return -1;
}

/* Another variant's scf-run: the sibling build directory. */
static void exec_variant(const char *v, char **argv)
{
	char self[PATH_MAX], path[PATH_MAX + 64], *slash;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n <= 0)
		exit(2);
	self[n] = 0;
	slash = strrchr(self, '/');
	*slash = 0;
	slash = strrchr(self, '/');
	if (!slash)
		exit(2);
	*slash = 0;
	snprintf(path, sizeof(path), "%s/%s/scf-run", self, v);
	if (access(path, X_OK)) {
		fprintf(stderr, "scf-run: no variant '%s' built (%s)\n", v, path);
		exit(2);
	}
	execv(path, argv);
	fprintf(stderr, "scf-run: exec %s: %s\n", path, strerror(errno));
	exit(2);
}

static int parse_opts(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "variant", 1, 0, 'v' }, { "backend", 1, 0, 'b' },
		{ "memsync", 1, 0, 'm' }, { "root", 1, 0, 'r' },
		{ "cpus", 1, 0, 'c' }, { "passthrough", 0, 0, 'p' },
		{ "out", 1, 0, 'o' }, { "compare-native", 0, 0, 'n' },
		{ "quiet", 0, 0, 'q' }, { "shadow", 1, 0, 's' },
		{ "list", 0, 0, 'l' }, { "help", 0, 0, 'h' },
		{ "results", 1, 0, 'R' }, { "commit", 1, 0, 'C' },
		{ "dirty", 1, 0, 'D' }, { "name", 1, 0, 'N' },
		{ "idle", 1, 0, 'I' }, { "no-rewrite", 0, 0, 'W' },
		{ "probe-every", 1, 0, 'P' }, { 0, 0, 0, 0 }
	};
	int c, a, s;
	char end;
	unsigned long u;

	while ((c = getopt_long(argc, argv, "+qp", lo, NULL)) != -1) {
		switch (c) {
		case 'v':
			/* A folder name: no path, nothing hidden. */
			if (!optarg[0] || optarg[0] == '.' ||
			    strspn(optarg, "abcdefghijklmnopqrstuvwxyz"
				   "0123456789_-") != strlen(optarg))
				return bad("--variant", optarg);
			if (strcmp(optarg, scf_notify_name()))
				exec_variant(optarg, argv);
			break;
		case 'b': bench.backend_req = optarg; break;
		case 'm':
			if (strcmp(optarg, "copy")) {
				fprintf(stderr, "scf-run: --memsync %s: only copy "
					"(the program's buffers are not in the "
					"sync window)\n", optarg);
				return -1;
			}
			break;
		case 'r': runtime.root = optarg; break;
		case 'c':
			if (sscanf(optarg, "%d,%d%c", &a, &s, &end) != 2 || a < 0 ||
			    s < 0 || a == s)
				return bad("--cpus", optarg);
			bench.client_cpu = a;
			bench.shadow_cpu = s;
			break;
		case 'p': runtime.passthrough = true; break;
		case 'W': runtime.no_rewrite = true; break;
		case 'P':
			if (sscanf(optarg, "%lu%c", &u, &end) != 1 || u < 1 ||
			    u > (1ul << 30))
				return bad("--probe-every", optarg);
			runtime.probe_every = (uint32_t)u;
			break;
		case 'o': json_out = optarg; break;
		case 'n': compare_native = true; break;
		case 'q': runtime.quiet = true; break;
		case 's': bench.shadow_path = optarg; break;
		case 'R': bench.out_dir = optarg; break;
		case 'C': bench.commit = optarg; break;
		case 'N':
			if (!*optarg || strchr(optarg, '/'))
				return bad("--name", optarg);
			result_name = optarg;
			break;
		case 'D':
			if (strcmp(optarg, "0") && strcmp(optarg, "1"))
				return bad("--dirty", optarg);
			bench.dirty = optarg[0] == '1';
			break;
		case 'I':
			if (bench_idle_parse(&bench, optarg))
				return bad("--idle", optarg);
			break;
		case 'l': run_table_list(); exit(0);
		case 'h': usage(stdout); exit(0);
		default:
			fprintf(stderr, "scf-run: see scf-run --help\n");
			return -1;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "scf-run: no program given (scf-run [options] "
			"-- PROGRAM [ARGS...])\n");
		return -1;
	}
	return optind;
}

/* The program file: as given when it has a '/', else along PATH. */
static const char *find_program(const char *name)
{
	static char buf[PATH_MAX];
	const char *path = getenv("PATH"), *p, *colon;

	if (strchr(name, '/'))
		return name;
	for (p = path ? path : "/usr/bin:/bin"; *p; p = colon + 1) {
		colon = strchr(p, ':');
		if (!colon)
			colon = p + strlen(p);
		snprintf(buf, sizeof(buf), "%.*s/%s", (int)(colon - p), p, name);
		if (!access(buf, X_OK))
			return buf;
		if (!*colon)
			break;
	}
	return NULL;
}

/* The program's working directory, relative to --root. */
static void initial_cwd(void)
{
	char cwd[PATH_MAX], root[PATH_MAX];
	size_t n;

	runtime.cwd[0] = 0;
	if (!getcwd(cwd, sizeof(cwd)) || !realpath(runtime.root, root))
		return;
	n = strlen(root);
	if (!strcmp(root, "/")) {
		n = 0;
		runtime.root_is_host = true;
	}
	if (strncmp(cwd, root, n) || (cwd[n] != '/' && cwd[n] != 0))
		return;			/* outside --root: start at its top */
	snprintf(runtime.cwd, sizeof(runtime.cwd), "%s", cwd[n] ? cwd + n + 1 : "");
}

/* The end of the run, for run_exit() (leave.c): exit_group, a stop. */
static void finish(int status)
{
	double wall = (double)(run_mono_ns() - t_start_ns);

	/* A fork of the program: its own shadow leaves first, no report. */
	if (runtime.child)
		rtos_exit(&bench.session, status);
	bench_shadow_stop(&bench);
	run_turn_end();
	if (!runtime.quiet)
		run_report(status, wall, native_ns);
	if (json_out && run_write_json(json_out, status, wall, native_ns) &&
	    !status)
		status = 1;
	if (bench.out_dir && run_suite_end(&bench, wall, native_ns) && !status)
		status = 1;
	fflush(NULL);
	_exit(status);
}

/* What a trap adds to a plain system call, best of a few rounds. */
static void trap_calibrate(void)
{
	uint64_t best_t = UINT64_MAX, best_p = UINT64_MAX, t;
	int i;

	for (i = 0; i < 5; i++) {
		t = run_sud_calibrate(200, true);
		best_t = t < best_t ? t : best_t;
		t = run_sud_calibrate(200, false);
		best_p = t < best_p ? t : best_p;
	}
	runtime.trap_rt_ns = best_t > best_p ?
		scf_tsc_to_ns((int64_t)(best_t - best_p), runtime.tsc_hz) / 200 : 0;
}

static int setup(void)
{
	int err;

	bench.backend = scf_notify_pick(bench.backend_req);
	if (!bench.backend) {
		fprintf(stderr, "scf-run: backend '%s' of variant %s cannot run "
			"here\n", bench.backend_req ? bench.backend_req : "auto",
			scf_notify_name());
		return -1;
	}
	if (bench.client_cpu >= scf_cpus_online() || bench.shadow_cpu >= scf_cpus_online()) {
		fprintf(stderr, "scf-run: --cpus %d,%d: this machine has CPUs "
			"0-%d\n", bench.client_cpu, bench.shadow_cpu, scf_cpus_online() - 1);
		return -1;
	}
	if (scf_tsc_calibrate(&runtime.tsc_hz)) {
		fprintf(stderr, "scf-run: TSC calibration failed\n");
		return -1;
	}
	err = bench_region_create(&bench);
	if (!err)
		err = bench_shadow_start(&bench);
	if (!err)
		err = bench_notify_attach(&bench);
	if (err)
		return -1;
	if (scf_pin_cpu(bench.client_cpu)) {
		fprintf(stderr, "scf-run: cannot pin to CPU %d\n", bench.client_cpu);
		return -1;
	}
	/*
	 * What an idle CPU does decides what a sleeping backend's wake-up
	 * costs (a halted vCPU pays a VM exit and a host wake-up per
	 * doorbell): the same choice as scf-bench's, or the two are not
	 * comparable.
	 */
	bench_idle_setup(&bench);
	runtime.c = &bench.c;
	bench.c.rec = &runtime.rec;
	bench.c.probe_every = runtime.probe_every;
	if (run_watch_shadow(&bench)) {
		fprintf(stderr, "scf-run: cannot watch scf-shadow\n");
		return -1;
	}
	if (!runtime.quiet && bench.latency_note)
		fprintf(stderr, "scf-run: note: %s\n", bench.latency_note);
	if (!runtime.quiet && scf_notify_note(bench.backend))
		fprintf(stderr, "scf-run: note: %s\n", scf_notify_note(bench.backend));
	return 0;
}

int main(int argc, char **argv)
{
	extern char **environ;
	struct run_image img;
	struct run_exe *exe;
	const char *path;
	size_t off = 0;
	int i;
	static char prog_abs[PATH_MAX];
	struct stat st;
	int first;

	runtime.bench = &bench;
	run_leave_init(finish, run_table_name);
	bench.client_cpu = 1;
	bench.shadow_cpu = 0;
	bench.region_fd = bench.dev_fd = bench.memfd = bench.latency_fd = -1;
	bench.memsync = SCF_MEMSYNC_COPY;
	bench.stdio = true;
	bench.commit = "unknown";
	for (i = 0; i < argc && off < sizeof(bench.cmdline) - 1; i++)
		off += (size_t)snprintf(bench.cmdline + off, sizeof(bench.cmdline) - off,
					"%s%s", i ? " " : "", argv[i]);
	runtime.root = "/";
	runtime.probe_every = RUN_PROBE_EVERY;
	first = parse_opts(argc, argv);
	if (first < 0)
		return 2;
	if (stat(runtime.root, &st) || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "scf-run: --root %s: not a directory\n", runtime.root);
		return 2;
	}
	path = find_program(argv[first]);
	if (!path || access(path, R_OK)) {
		fprintf(stderr, "scf-run: %s: no such program\n", argv[first]);
		return 2;
	}
	/* /proc/self/exe reads back an absolute path, as natively. */
	runtime.prog = realpath(path, prog_abs) ? prog_abs : path;
	bench.root = runtime.root;
	if (bench.out_dir)
		run_suite_begin(result_name ? result_name : path);
	if (!bench.shadow_path)
		bench.shadow_path = setup_default_shadow();
	if (run_turn_take())
		return 2;
	atexit(run_turn_end);	/* a start-up that fails ends the turn too */
	if (compare_native)
		native_ns = run_native(path, argv + first);
	initial_cwd();
	if (setup())
		return 2;
	if (run_sud_init()) {
		bench_shadow_stop(&bench);
		return 2;
	}
	if (!runtime.quiet && runtime.rewrite_why_not)
		fprintf(stderr, "scf-run: note: %s\n", runtime.rewrite_why_not);
	trap_calibrate();
	/* The wall time counts the loader, as native counts execve. */
	t_start_ns = run_mono_ns();
	/* Everything mapped so far is the runtime's; the program's comes next. */
	if (run_owned_snapshot() ||
	    run_exe_read(path, run_first_fetch, true, &exe) ||
	    run_exe_map(exe, path, argv + first, environ, &img)) {
		bench_shadow_stop(&bench);
		return 2;
	}
	run_exe_free(exe);
	runtime.brk_start = runtime.brk_cur = img.brk;
	fflush(NULL);
	run_sud_enter(img.entry, img.sp);
}
