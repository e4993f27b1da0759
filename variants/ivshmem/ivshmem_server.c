// SPDX-License-Identifier: MIT
/*
 * ivshmem_server.c - scf-ivshmem-server: the ivshmem server QEMU's
 * ivshmem-doorbell device connects to, and the keeper of the run.
 *
 *   scf-ivshmem-server --socket PATH --shadow PATH --root DIR
 *       [--backend doorbell|poll] [--cpu N] [--timeout SECONDS]
 *       [--info FILE] -- qemu-system-x86_64 ARGS...
 *
 * It creates the shared memory (a memfd sealed against shrinking and
 * growing) and one eventfd per peer, listens on PATH, starts QEMU (whose
 * -chardev socket,path=PATH connects to it), and speaks the server side
 * of QEMU's ivshmem protocol (docs/specs/ivshmem-spec.rst): the protocol
 * version, the guest's peer id, the memory's fd, then the shadow's
 * eventfd as peer 0 and the guest's own as peer 1.  Once the guest has
 * formatted the SCF region in that memory and rung peer 0, it checks the
 * region and starts scf-shadow on it (--region-fd, and both eventfds
 * over --sock-fd).  When QEMU exits it stops the shadow; when the shadow
 * exits first it stops QEMU.  Nothing is left behind.
 *
 * --info FILE: key=value lines on how the run ended (guest_status,
 * shadow_stood: the shadow was still serving when the guest stopped,
 * shadow_status) and shadow_stamp_ticks, what one ordered TSC stamp costs
 * on the shadow's CPU, measured here before the shadow starts.
 *
 * Exit: the guest's own status (isa-debug-exit), 1 when the guest died,
 * timed out or the shadow failed, 2 bad input.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ivshmem_abi.h"
#include "scf_arch.h"
#include "scf_region.h"
#include "scf_sched.h"

#define NAME	"scf-ivshmem-server"

struct opts {
	const char *socket, *shadow, *root, *backend, *info;
	int cpu;
	double timeout_s;
	char **qemu;
};

struct run {
	int memfd, bell[2];	/* [IVSHMEM_PEER_*] */
	int lsock, qsock;
	pid_t qemu, shadow;
	int qemu_status, shadow_status;
	bool qemu_done, shadow_done;
	bool shadow_stood;	/* still serving when QEMU had exited */
	uint64_t stamp_ticks;
	double deadline;
};

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: " NAME " --socket PATH --shadow PATH --root DIR\n"
		"       [--backend doorbell|poll] [--cpu N] [--timeout SECONDS]\n"
		"       [--info FILE] -- qemu-system-x86_64 ARGS...\n");
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "socket", 1, 0, 's' }, { "shadow", 1, 0, 'x' },
		{ "root", 1, 0, 'r' }, { "backend", 1, 0, 'b' },
		{ "cpu", 1, 0, 'c' }, { "timeout", 1, 0, 't' },
		{ "info", 1, 0, 'i' }, { "help", 0, 0, 'h' }, { 0, 0, 0, 0 }
	};
	char *end;
	int c;

	*o = (struct opts){ .backend = "doorbell", .timeout_s = 600 };
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 's': o->socket = optarg; break;
		case 'x': o->shadow = optarg; break;
		case 'r': o->root = optarg; break;
		case 'b': o->backend = optarg; break;
		case 'i': o->info = optarg; break;
		case 'c':
			o->cpu = (int)strtol(optarg, &end, 10);
			if (*end || end == optarg || o->cpu < 0) {
				fprintf(stderr, NAME ": bad --cpu '%s'\n", optarg);
				return -1;
			}
			break;
		case 't':
			o->timeout_s = strtod(optarg, &end);
			if (*end || end == optarg || !(o->timeout_s > 0)) {
				fprintf(stderr, NAME ": bad --timeout '%s'\n", optarg);
				return -1;
			}
			break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return -1;
		}
	}
	if (!o->socket || !o->shadow || !o->root || optind >= argc) {
		fprintf(stderr, NAME ": need --socket, --shadow, --root and "
			"-- a QEMU command\n");
		return -1;
	}
	if (strcmp(o->backend, "doorbell") && strcmp(o->backend, "poll")) {
		fprintf(stderr, NAME ": bad --backend '%s' (doorbell or poll)\n",
			o->backend);
		return -1;
	}
	if (strlen(o->socket) >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
		fprintf(stderr, NAME ": --socket path too long\n");
		return -1;
	}
	o->qemu = argv + optind;
	return 0;
}

/* One protocol message: a little-endian int64, with fd when fd >= 0. */
static int send_msg(int sock, int64_t v, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &v, sizeof(v) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *cm;

	if (fd >= 0) {
		memset(cbuf, 0, sizeof(cbuf));
		mh.msg_control = cbuf;
		mh.msg_controllen = sizeof(cbuf);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	}
	return sendmsg(sock, &mh, MSG_NOSIGNAL) == sizeof(v) ? 0 : -errno;
}

static int make_shm(struct run *r)
{
	int i;

	r->memfd = memfd_create("scf-ivshmem", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (r->memfd < 0 || ftruncate(r->memfd, IVSHMEM_SHM_SIZE) ||
	    fcntl(r->memfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL))
		return -errno;
	for (i = 0; i < 2; i++) {
		r->bell[i] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (r->bell[i] < 0)
			return -errno;
	}
	return 0;
}

static int listen_on(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (s < 0)
		return -errno;
	strcpy(a.sun_path, path);
	unlink(path);
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) || listen(s, 1)) {
		int e = -errno;

		close(s);
		return e;
	}
	return s;
}

static pid_t spawn(char **argv, const int *keep, int nkeep)
{
	pid_t pid = fork();
	int i;

	if (pid)
		return pid;
	/* Children die with the server: nothing outlives a run. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (i = 0; i < nkeep; i++)
		if (keep[i] >= 0)
			fcntl(keep[i], F_SETFD, 0);
	execvp(argv[0], argv);
	fprintf(stderr, NAME ": exec %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* Reap whichever child exited; false when neither has. */
static bool reap(struct run *r, int flags)
{
	int st;
	pid_t p = waitpid(-1, &st, flags);

	if (p <= 0)
		return false;
	if (p == r->qemu) {
		r->qemu_done = true;
		r->qemu_status = st;
	} else if (p == r->shadow) {
		r->shadow_done = true;
		r->shadow_status = st;
	}
	return true;
}

/* Wait until fd is readable, a child exits, or the deadline; 1, 0 or -1. */
static int wait_fd(struct run *r, int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	for (;;) {
		double left = r->deadline - now_s();
		int n;

		while (reap(r, WNOHANG))
			;
		if (r->qemu_done || r->shadow_done || got_signal)
			return 0;
		if (left <= 0)
			return -1;
		n = poll(&p, 1, left > 0.1 ? 100 : (int)(left * 1000) + 1);
		if (n == 1)
			return 1;
	}
}

/* Stop a child: SIGTERM, then SIGKILL after 5 s. */
static void stop_child(struct run *r, pid_t pid, bool *done)
{
	double t;

	if (pid <= 0 || *done)
		return;
	kill(pid, SIGTERM);
	for (t = now_s() + 5; !*done && now_s() < t;)
		if (!reap(r, WNOHANG))
			usleep(10000);
	if (!*done) {
		kill(pid, SIGKILL);
		while (!*done && reap(r, 0))
			;
	}
}

/* The least of many back-to-back ordered stamps, on the shadow's CPU. */
static uint64_t stamp_cost(int cpu)
{
	uint64_t best = UINT64_MAX, a, b;
	cpu_set_t old;
	int i;

	sched_getaffinity(0, sizeof(old), &old);
	scf_pin_cpu(cpu);
	for (i = 0; i < 100000; i++) {
		a = scf_rdtsc_ordered();
		b = scf_rdtsc_ordered();
		if (b - a < best)
			best = b - a;
	}
	sched_setaffinity(0, sizeof(old), &old);
	return best;
}

static int start_shadow(struct run *r, const struct opts *o)
{
	struct scf_region_info info;
	char a_region[24], a_size[24], a_sock[24], a_cpu[24], a_ready[24];
	int sp[2], rp[2], err;
	void *mem;
	char c;

	/* The guest wrote it: check before any shadow maps it. */
	mem = mmap(NULL, IVSHMEM_SHM_SIZE, PROT_READ, MAP_SHARED, r->memfd, 0);
	if (mem == MAP_FAILED)
		return -errno;
	err = scf_region_check(mem, IVSHMEM_SHM_SIZE, &info);
	munmap(mem, IVSHMEM_SHM_SIZE);
	if (err) {
		fprintf(stderr, NAME ": the guest's region is refused: %s\n",
			scf_strerror(err));
		return err;
	}
	r->stamp_ticks = stamp_cost(o->cpu);
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sp) ||
	    pipe2(rp, O_CLOEXEC))
		return -errno;
	snprintf(a_region, sizeof(a_region), "%d", r->memfd);
	snprintf(a_size, sizeof(a_size), "%llu",
		 (unsigned long long)info.region_size);
	snprintf(a_sock, sizeof(a_sock), "%d", sp[1]);
	snprintf(a_cpu, sizeof(a_cpu), "%d", o->cpu);
	snprintf(a_ready, sizeof(a_ready), "%d", rp[1]);
	{
		char *argv[] = {
			(char *)o->shadow, "--region-fd", a_region,
			"--region-size", a_size, "--root", (char *)o->root,
			"--backend", (char *)o->backend, "--cpu", a_cpu,
			"--sock-fd", a_sock, "--ready-fd", a_ready, NULL
		};
		int keep[] = { r->memfd, sp[1], rp[1] };

		r->shadow = spawn(argv, keep, 3);
	}
	close(sp[1]);
	close(rp[1]);
	if (r->shadow < 0)
		return -errno;
	if (!strcmp(o->backend, "doorbell")) {
		char cbuf[CMSG_SPACE(2 * sizeof(int))];
		int fds[2] = { r->bell[IVSHMEM_PEER_SHADOW],
			       r->bell[IVSHMEM_PEER_GUEST] };
		struct iovec iov = { &c, 1 };
		struct msghdr mh = {
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
		};
		struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);

		c = 'B';
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(fds));
		memcpy(CMSG_DATA(cm), fds, sizeof(fds));
		if (sendmsg(sp[0], &mh, MSG_NOSIGNAL) != 1)
			return -errno;
	}
	close(sp[0]);
	/* The shadow says "R" once attached; EOF means it failed. */
	err = wait_fd(r, rp[0]);
	if (err == 1 && read(rp[0], &c, 1) == 1 && c == 'R')
		err = 0;
	else
		err = err < 0 ? -ETIMEDOUT : -ECHILD;
	close(rp[0]);
	return err;
}

static int serve(struct run *r, const struct opts *o)
{
	uint64_t v;
	int err;

	r->deadline = now_s() + o->timeout_s;
	r->lsock = listen_on(o->socket);
	if (r->lsock < 0) {
		fprintf(stderr, NAME ": listen on %s: %s\n", o->socket,
			strerror(-r->lsock));
		return 2;
	}
	r->qemu = spawn(o->qemu, NULL, 0);
	if (r->qemu < 0)
		return 1;
	/* QEMU's chardev connects during device set-up. */
	err = wait_fd(r, r->lsock);
	if (err != 1) {
		fprintf(stderr, NAME ": QEMU %s before connecting to %s\n",
			err < 0 ? "timed out" : "exited", o->socket);
		return 1;
	}
	r->qsock = accept4(r->lsock, NULL, NULL, SOCK_CLOEXEC);
	if (r->qsock < 0 ||
	    send_msg(r->qsock, IVSHMEM_PROTOCOL_VERSION, -1) ||
	    send_msg(r->qsock, IVSHMEM_PEER_GUEST, -1) ||
	    send_msg(r->qsock, -1, r->memfd) ||
	    send_msg(r->qsock, IVSHMEM_PEER_SHADOW, r->bell[IVSHMEM_PEER_SHADOW]) ||
	    send_msg(r->qsock, IVSHMEM_PEER_GUEST, r->bell[IVSHMEM_PEER_GUEST])) {
		fprintf(stderr, NAME ": ivshmem protocol: %s\n", strerror(errno));
		return 1;
	}
	/* The guest rings the shadow once its region is formatted. */
	err = wait_fd(r, r->bell[IVSHMEM_PEER_SHADOW]);
	if (err != 1) {
		fprintf(stderr, NAME ": guest %s before formatting the region\n",
			err < 0 ? "timed out" : "stopped");
		return 1;
	}
	if (read(r->bell[IVSHMEM_PEER_SHADOW], &v, sizeof(v)) < 0)
		return 1;
	err = start_shadow(r, o);
	if (err) {
		if (!r->qemu_done)
			fprintf(stderr, NAME ": shadow did not start: %s\n",
				strerror(-err > 0 && -err < 4096 ? -err : EPROTO));
		return 1;
	}
	/* Until either side stops, or the run's time is up. */
	while (wait_fd(r, r->qsock) == 1) {
		char b[64];

		if (read(r->qsock, b, sizeof(b)) <= 0)
			break;	/* QEMU hung up: it is exiting */
	}
	return 0;
}

static void write_info(const struct run *r, const struct opts *o)
{
	FILE *f;

	if (!o->info || !(f = fopen(o->info, "w")))
		return;
	if (r->qemu_done)
		fprintf(f, "guest_status=%s%d\n",
			WIFSIGNALED(r->qemu_status) ? "signal " : "",
			WIFSIGNALED(r->qemu_status) ? WTERMSIG(r->qemu_status) :
			WEXITSTATUS(r->qemu_status));
	fprintf(f, "shadow_stood=%d\n", r->shadow_stood);
	if (r->shadow_done)
		fprintf(f, "shadow_status=%s%d\n",
			WIFSIGNALED(r->shadow_status) ? "signal " : "",
			WIFSIGNALED(r->shadow_status) ?
			WTERMSIG(r->shadow_status) :
			WEXITSTATUS(r->shadow_status));
	if (r->stamp_ticks)
		fprintf(f, "shadow_stamp_ticks=%llu\n",
			(unsigned long long)r->stamp_ticks);
	fclose(f);
}

int main(int argc, char **argv)
{
	struct run r = { .memfd = -1, .bell = { -1, -1 }, .lsock = -1,
			 .qsock = -1 };
	struct sigaction sa = { .sa_handler = on_signal };
	struct opts o;
	int rc, code;

	if (parse_opts(argc, argv, &o))
		return 2;
	if (make_shm(&r)) {
		fprintf(stderr, NAME ": shared memory: %s\n", strerror(errno));
		return 1;
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	rc = serve(&r, &o);
	/* Give QEMU a moment to finish on its own, then stop it. */
	if (r.qemu > 0 && !r.qemu_done && !r.shadow_done && rc == 0) {
		double t = now_s() + 10;

		while (!r.qemu_done && now_s() < t && now_s() < r.deadline &&
		       !got_signal)
			if (!reap(&r, WNOHANG))
				usleep(10000);
	}
	if (r.qemu > 0 && !r.qemu_done && now_s() >= r.deadline)
		fprintf(stderr, NAME ": guest timed out after %.0f s\n",
			o.timeout_s);
	stop_child(&r, r.qemu, &r.qemu_done);
	while (reap(&r, WNOHANG))
		;
	r.shadow_stood = r.shadow > 0 && !r.shadow_done;
	stop_child(&r, r.shadow, &r.shadow_done);
	write_info(&r, &o);
	if (o.socket && r.lsock >= 0)
		unlink(o.socket);
	if (rc)
		return rc;
	if (!r.qemu_done)
		return 1;
	if (WIFSIGNALED(r.qemu_status)) {
		fprintf(stderr, NAME ": guest died: QEMU killed by signal %d; "
			"shadow stopped\n", WTERMSIG(r.qemu_status));
		return 1;
	}
	/* isa-debug-exit: QEMU exits (code << 1) | 1 */
	code = WEXITSTATUS(r.qemu_status);
	if (!(code & 1)) {
		fprintf(stderr, NAME ": guest died: QEMU exited %d; shadow "
			"stopped\n", code);
		return 1;
	}
	if (r.shadow_done && WIFEXITED(r.shadow_status) &&
	    WEXITSTATUS(r.shadow_status) != 0) {
		fprintf(stderr, NAME ": shadow exited %d\n",
			WEXITSTATUS(r.shadow_status));
		return 1;
	}
	return code >> 1;
}
