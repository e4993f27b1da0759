// SPDX-License-Identifier: MIT
/*
 * main.c - scf-shadow: parse the options, attach the region, pin, and
 * hand the slot (or slots) to the serve loop (serve_loop.c, clients.c).
 *
 * Started by scf-bench (the RTOS side), which passes the region and the
 * other fds it needs by number; see usage().
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scf_probe.h"
#include "scf_sched.h"
#include "dual.h"
#include "scf_wait.h"
#include "shadow.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
"usage: scf-shadow (--region-fd N | --region-dev PATH) --region-size BYTES\n"
"                  --root DIR [--slot S] [--cpu C] [--backend NAME]\n"
"                  [--wait spin|sleep|hybrid:N]\n"
"                  [--sock-fd N] [--memfd-fd N] [--ready-fd N]\n"
"                  [--service-delay-ns N] [--call-timeout SECONDS]\n"
"                  [--clients N] [--topology spsc|mpsc] [--stdio]\n"
"Serves the calls an RTOS side forwards through SCF slot S of the region,\n"
"with paths resolved beneath DIR.  --stdio: the client may use the\n"
"shadow's fds 0, 1 and 2 (a program run by scf-run).  --clients N:\n"
"serve slots S .. S+N-1 from this one CPU, scanning a ring pair each\n"
"(--topology spsc, the default) or taking slot S's one shared request\n"
"queue (mpsc); all ring slot S's doorbells.  Started by\n"
"scf-bench and scf-run.  A region memfd\n"
"and the --memfd-fd memfd must be sealed against shrinking and growing.\n"
"A client that is gone is noticed at once (its pidfd), or within\n"
"--call-timeout seconds (default 1) where there is no pidfd.\n"
"Exit: 0 stopped, 1 failure or client gone, 2 bad input, 3 shared memory\n"
"shrank.\n");
}

struct opts {
	int region_fd, sock_fd, memfd_fd, ready_fd;
	const char *region_dev, *root, *backend;
	bool stdio;		/* the client may use fds 0, 1 and 2 */
	struct scf_wait_policy wait;	/* kind 0: the backend's default */
	uint64_t region_size, delay_ns;
	uint32_t slot, timeout_ms;
	uint32_t clients;	/* served from this CPU, slots slot.. */
	bool mpsc;		/* --topology mpsc */
	int cpu;
};

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno || end == s || *end || s[0] == '-' ? -1 : 0;
}

/* Seconds, a decimal number in (0, 3600], to whole milliseconds. */
static int parse_seconds(const char *s, uint32_t *ms)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v > 0 && v <= 3600))
		return -1;
	*ms = v * 1000 < 1 ? 1 : (uint32_t)(v * 1000);
	return 0;
}

/* The fd the shadow says "ready" on: open, and writable. */
static int check_ready_fd(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0) {
		fprintf(stderr, "scf-shadow: --ready-fd %d: not an open file "
			"descriptor\n", fd);
		return -1;
	}
	if ((fl & O_ACCMODE) == O_RDONLY) {
		fprintf(stderr, "scf-shadow: --ready-fd %d: not open for "
			"writing\n", fd);
		return -1;
	}
	return 0;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "region-fd", 1, 0, 'r' }, { "region-dev", 1, 0, 'R' },
		{ "region-size", 1, 0, 'z' }, { "root", 1, 0, 'd' },
		{ "slot", 1, 0, 's' }, { "cpu", 1, 0, 'c' },
		{ "backend", 1, 0, 'b' }, { "sock-fd", 1, 0, 'k' },
		{ "memfd-fd", 1, 0, 'm' }, { "ready-fd", 1, 0, 'y' },
		{ "service-delay-ns", 1, 0, 'D' }, { "help", 0, 0, 'h' },
		{ "stdio", 0, 0, 'S' },
		{ "call-timeout", 1, 0, 'T' }, { "wait", 1, 0, 'W' },
		{ "clients", 1, 0, 'n' }, { "topology", 1, 0, 't' },
		{ 0, 0, 0, 0 }
	};
	uint64_t v, limit;
	int c, li = 0;

	memset(o, 0, sizeof(*o));
	o->region_fd = o->sock_fd = o->memfd_fd = o->ready_fd = -1;
	o->cpu = 0;
	o->timeout_ms = 1000;
	o->clients = 1;
	while ((c = getopt_long(argc, argv, "", lo, &li)) != -1) {
		if (c == 'h') {
			usage(stdout);
			exit(0);
		}
		if (c == '?') {
			usage(stderr);
			return -1;
		}
		switch (c) {
		case 'R': o->region_dev = optarg; continue;
		case 'd': o->root = optarg; continue;
		case 'b': o->backend = optarg; continue;
		case 'S': o->stdio = true; continue;
		case 'T':
			if (!parse_seconds(optarg, &o->timeout_ms))
				continue;
			fprintf(stderr, "scf-shadow: bad value for "
				"--call-timeout: '%s' (seconds, more than 0, "
				"at most 3600)\n", optarg);
			return -1;
		case 't':
			if (!strcmp(optarg, "spsc") || !strcmp(optarg, "mpsc")) {
				o->mpsc = optarg[0] == 'm';
				continue;
			}
			fprintf(stderr, "scf-shadow: bad value for --topology: "
				"'%s' (spsc or mpsc)\n", optarg);
			return -1;
		case 'W':
			if (!scf_wait_parse(optarg, &o->wait))
				continue;
			fprintf(stderr, "scf-shadow: bad value for --wait: '%s'\n",
				optarg);
			return -1;
		}
		limit = (c == 'z' || c == 'D') ? UINT64_MAX : INT32_MAX;
		if (parse_u64(optarg, &v) || v > limit) {
			fprintf(stderr, "scf-shadow: bad number for --%s: '%s'\n",
				lo[li].name, optarg);
			return -1;
		}
		switch (c) {
		case 'r': o->region_fd = (int)v; break;
		case 'z': o->region_size = v; break;
		case 's': o->slot = (uint32_t)v; break;
		case 'n':
			if (v < 1 || v > SHADOW_CLIENTS_MAX) {
				fprintf(stderr, "scf-shadow: bad value for "
					"--clients: '%s' (1 to %d)\n", optarg,
					SHADOW_CLIENTS_MAX);
				return -1;
			}
			o->clients = (uint32_t)v;
			break;
		case 'c': o->cpu = (int)v; break;
		case 'k': o->sock_fd = (int)v; break;
		case 'm': o->memfd_fd = (int)v; break;
		case 'y': o->ready_fd = (int)v; break;
		case 'D': o->delay_ns = v; break;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "scf-shadow: unexpected argument '%s'\n",
			argv[optind]);
		return -1;
	}
	if ((o->region_fd < 0) == !o->region_dev || !o->region_size || !o->root) {
		fprintf(stderr, "scf-shadow: need one of --region-fd/--region-dev, "
			"--region-size and --root\n");
		return -1;
	}
	if (o->ready_fd >= 0 && check_ready_fd(o->ready_fd))
		return -1;
	if (o->memfd_fd >= 0) {
		char what[32];

		snprintf(what, sizeof(what), "--memfd-fd %d", o->memfd_fd);
		if (shm_check_fd(o->memfd_fd, 0, what))
			return -1;
	}
	return 0;
}

static void *map_region(const struct opts *o, int *dev_fd)
{
	int fd = o->region_fd;
	char what[PATH_MAX + 16];
	void *p;

	*dev_fd = -1;
	if (o->region_dev) {
		fd = open(o->region_dev, O_RDWR | O_CLOEXEC);
		if (fd < 0) {
			fprintf(stderr, "scf-shadow: open %s: %s\n",
				o->region_dev, strerror(errno));
			return NULL;
		}
		*dev_fd = fd;
	}
	/* A region that could shrink, or is short, is never mapped. */
	if (o->region_dev)
		snprintf(what, sizeof(what), "--region-dev %s", o->region_dev);
	else
		snprintf(what, sizeof(what), "--region-fd %d", fd);
	if (shm_check_fd(fd, o->region_size, what))
		return NULL;
	p = mmap(NULL, o->region_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		 fd, 0);
	if (p == MAP_FAILED) {
		fprintf(stderr, "scf-shadow: mmap region (%llu bytes): %s\n",
			(unsigned long long)o->region_size, strerror(errno));
		return NULL;
	}
	return p;
}


int main(int argc, char **argv)
{
	struct scf_notify_cfg cfg;
	struct sigaction sa;
	struct opts o;
	struct shadow *s;
	const char *backend;
	void *mem;
	int err, dev_fd, fd;

	if (parse_opts(argc, argv, &o))
		return 2;
	/* Die with the RTOS side: never an orphan spinning on a core. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() == 1)
		return 1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	/*
	 * A forwarded write to a pipe whose reader left answers -EPIPE: the
	 * client decides what its program sees; the shadow goes on.
	 */
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	/* Forked shadows (dual.c) are reaped by the kernel: no zombies. */
	sa.sa_handler = SIG_IGN;
	sigaction(SIGCHLD, &sa, NULL);
	if (shadow_intr_init())
		return 1;

	s = calloc(1, sizeof(*s));
	if (!s)
		return 1;
	s->stop = &stop;
	s->serve_loop = shadow_serve_loop;
	s->delay_ns = o.delay_ns;
	s->timeout_ms = o.timeout_ms;
	s->sync.memfd = o.memfd_fd;
	s->root_fd = open(o.root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (s->root_fd < 0) {
		fprintf(stderr, "scf-shadow: --root %s: %s\n", o.root,
			strerror(errno));
		return 2;
	}
	for (fd = 0; o.stdio && fd < 3; fd++)
		if (fcntl(fd, F_GETFD) >= 0)
			fdtab_add(&s->fds, fd);
	err = scf_pin_cpu(o.cpu);
	if (err) {
		fprintf(stderr, "scf-shadow: cannot pin to CPU %d: %s\n", o.cpu,
			strerror(-err));
		return 2;
	}
	mem = map_region(&o, &dev_fd);
	if (!mem)
		return 2;
	err = shm_guard(s, mem, o.region_size);
	if (err) {
		fprintf(stderr, "scf-shadow: SIGBUS guard: %s\n",
			strerror(-err));
		return 1;
	}
	err = scf_queue_attach(&s->q, mem, o.region_size, o.slot);
	if (err) {
		fprintf(stderr, "scf-shadow: region refused: %s\n",
			scf_strerror(err));
		return 2;
	}
	backend = scf_notify_pick(o.backend);
	if (backend && dual_init(s, mem, o.region_size, o.slot, dev_fd,
				 o.sock_fd, (uint32_t)o.cpu, backend))
		return 2;
	if (!backend) {
		fprintf(stderr, "scf-shadow: backend '%s' of variant %s cannot "
			"run here\n", o.backend ? o.backend : "auto",
			scf_notify_name());
		return 2;
	}
	cfg = (struct scf_notify_cfg){
		.q = &s->q, .side = SCF_SIDE_SHADOW, .peer_pid = getppid(),
		.dev_fd = dev_fd, .sock_fd = o.sock_fd, .cpu = (uint32_t)o.cpu,
		.backend = backend, .wait = o.wait,
	};
	s->dual.wait = o.wait;	/* a forked shadow's slot waits alike */
	err = scf_notify_attach(&s->n, &cfg);
	if (err) {
		fprintf(stderr, "scf-shadow: notify %s/%s: %s\n",
			scf_notify_name(), backend, scf_strerror(err));
		return 2;
	}
	/* Without a pidfd the watcher looks every --call-timeout instead. */
	err = dual_watch(s);
	if (err) {
		fprintf(stderr, "scf-shadow: client watcher: %s\n",
			strerror(-err));
		return 1;
	}
	if (o.ready_fd >= 0) {
		if (write(o.ready_fd, "R", 1) != 1) {
			fprintf(stderr, "scf-shadow: --ready-fd %d: %s\n",
				o.ready_fd, strerror(errno));
			return 1;
		}
		close(o.ready_fd);
	}

	if (o.clients > 1 || o.mpsc) {
		if (s->q.ring == SCF_RING_INLINE) {
			fprintf(stderr, "scf-shadow: --clients and --topology "
				"need an indexed ring, not inline\n");
			return 2;
		}
		if (shadow_serve_clients(s, o.clients, o.mpsc))
			return 2;
	} else {
		shadow_serve_loop(s);
	}

	scf_notify_detach(s->n);
	fdtab_close_all(&s->fds);
	syncmap_unmap_all(&s->sync);
	fprintf(stderr, "scf-shadow: served %llu (failed %llu, enosys %llu), "
		"stamped %llu, bad index %llu, bad ring %llu, late dropped %llu\n",
		(unsigned long long)s->st.served,
		(unsigned long long)s->st.failed,
		(unsigned long long)s->st.enosys,
		(unsigned long long)s->st.stamped,
		(unsigned long long)s->st.bad_index,
		(unsigned long long)s->st.bad_ring,
		(unsigned long long)s->st.late_dropped);
	/* A forwarded exit_group: the shadow leaves with the client's status. */
	if (s->dual.pending == SHADOW_PENDING_EXIT)
		return s->dual.exit_status;
	if (s->dual.client_gone || dual_client_gone(s)) {
		fprintf(stderr, "scf-shadow: client (pid %d) is gone; "
			"stopping\n", (int)s->dual.client_pid);
		return 1;
	}
	return 0;
}
