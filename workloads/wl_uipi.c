// SPDX-License-Identifier: MIT
/*
 * wl_uipi.c - SENDUIPI ping-pong between two processes: the notification
 * the uintr variant's hw backend uses, without SCF.  Only where the CPU
 * has UINTR and the kernel supports it; elsewhere the run says why it
 * cannot run (b->skip_why, -ENODEV) and is skipped, never emulated here
 * (the emulation's raw counterpart is the `signal` peer).
 *
 * Each side registers a user-interrupt handler, creates a receiver fd for
 * vector 0 and hands it to the other over a unix socket; each registers as
 * a sender to the other's fd and gets a UITT index.  The receiver stays
 * in user space and spins on its handler's counter, so every UIPI is
 * delivered straight to the running thread (like the hw backend on the
 * RFC v1 ABI; see variants/uintr).  Two syscall tables exist: the
 * intel/uintr-linux-kernel one (471...) is tried first, then RFC v1
 * (449...), and only on a kernel that enumerates the "uintr" CPU flag,
 * where those numbers cannot mean anything else.
 *
 * The instructions are written as mnemonics to the assembler, so the file
 * builds with any GCC; they only execute after the checks above.
 */
#include <cpuid.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "peer.h"
#include "scf_arch.h"

struct uipi_abi {
	const char *name;
	long reg_handler, unreg_handler, create_fd, reg_sender, unreg_sender;
	bool unreg_by_fd;	/* RFC v1 unregisters a sender by fd */
};

static const struct uipi_abi uipi_abis[] = {
	{ "intel", 471, 472, 473, 474, 475, false },
	{ "rfc-v1", 449, 450, 451, 452, 453, true },
};

/* Interrupts taken by this process's handler (one thread receives). */
uint64_t uipi_irqs __attribute__((visibility("hidden")));
void uipi_handler_entry(void) __attribute__((visibility("hidden")));

/*
 * The handler.  The CPU pushed the old RSP, RFLAGS, RIP and the vector;
 * count (the locked add needs no register), drop the vector, UIRET (which
 * restores RFLAGS, so the add's flags do not leak).
 */
__asm__(".text\n"
	".p2align 4\n"
	"uipi_handler_entry:\n"
	"	lock incq uipi_irqs(%rip)\n"
	"	addq $8, %rsp\n"
	"	uiret\n");

static inline void uipi_send(uint64_t index)
{
	/* A locked RMW of the peer's UPID: a full barrier. */
	__asm__ __volatile__("senduipi %0" : : "r"(index) : "memory");
}

struct uipi {
	const struct uipi_abi *abi;
	int sock[2];		/* [0] the client's end, [1] the peer's */
	int own_fd, peer_fd;
	long index;		/* our UITT entry for the peer */
	pid_t pid;
};

static bool cpuinfo_has(const char *flag)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[4096], *p;
	bool found = false;
	size_t n = strlen(flag);

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "flags", 5))
			continue;
		for (p = strstr(line, flag); p && !found; p = strstr(p + 1, flag))
			found = p[-1] == ' ' && (p[n] == ' ' || p[n] == '\n');
		break;
	}
	fclose(f);
	return found;
}

/* NULL when UINTR can be used here, else why not. */
static const char *uipi_unavailable(void)
{
	unsigned int a, b, c, d;

	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d) || !(d & (1u << 5)))
		return "no UINTR hardware (CPUID.(EAX=7,ECX=0):EDX[5] clear)";
	if (!cpuinfo_has("uintr"))
		return "UINTR CPU, but this kernel has no user-interrupt "
		       "support (no \"uintr\" in /proc/cpuinfo flags)";
	return NULL;
}

/* In the thread that will receive: handler, fd exchange, sender, STUI. */
static int uipi_attach(struct uipi *u, int sock)
{
	long r = -1;
	size_t i;

	for (i = 0; i < sizeof(uipi_abis) / sizeof(uipi_abis[0]); i++) {
		u->abi = &uipi_abis[i];
		r = syscall(u->abi->reg_handler, uipi_handler_entry, 0);
		if (r == 0 || errno != ENOSYS)
			break;
	}
	if (r)
		return -errno;
	u->own_fd = (int)syscall(u->abi->create_fd, 0, 0);
	if (u->own_fd < 0)
		return -errno;
	r = peer_fd_send(sock, u->own_fd);
	if (r)
		return (int)r;
	u->peer_fd = peer_fd_recv(sock);
	if (u->peer_fd < 0)
		return u->peer_fd;
	u->index = syscall(u->abi->reg_sender, u->peer_fd, 0);
	if (u->index < 0)
		return -errno;
	__asm__ __volatile__("stui" : : : "memory");
	return 0;
}

static void uipi_detach(struct uipi *u)
{
	__asm__ __volatile__("clui" : : : "memory");
	if (!u->abi)
		return;
	if (u->index >= 0)
		syscall(u->abi->unreg_sender,
			u->abi->unreg_by_fd ? (long)u->peer_fd : u->index, 0);
	if (u->peer_fd >= 0)
		close(u->peer_fd);
	if (u->own_fd >= 0)
		close(u->own_fd);
	syscall(u->abi->unreg_handler, 0);
}

/* Spin until the handler has run want times; peer > 0 as in peer_read(). */
static int uipi_wait(uint64_t want, pid_t peer)
{
	uint64_t spins = 0;

	/* Counter only, no data: the SENDUIPI's locked RMW and the
	 * handler's locked add order everything there is. */
	while (__atomic_load_n(&uipi_irqs, __ATOMIC_ACQUIRE) < want) {
		scf_cpu_relax();
		if (peer > 0 && !(++spins & 0xfffff) && peer_dead(peer))
			return -EPIPE;
	}
	return 0;
}

static int uipi_side(void *arg, uint64_t rounds)
{
	struct uipi *u = arg;
	uint64_t r;
	int err;

	u->abi = NULL;
	u->own_fd = u->peer_fd = -1;
	u->index = -1;
	err = uipi_attach(u, u->sock[1]);
	for (r = 1; !err && r <= rounds; r++) {
		err = uipi_wait(r, 0);
		if (!err)
			uipi_send((uint64_t)u->index);
	}
	uipi_detach(u);
	return err;
}

static int uipi_rt(void *arg, uint64_t r)
{
	struct uipi *u = arg;

	uipi_send((uint64_t)u->index);
	return uipi_wait(r, u->pid);
}

static int uipi_measure(struct bench *b, struct wl_ctx *x, int64_t *ticks,
			uint64_t n)
{
	struct uipi u = { .own_fd = -1, .peer_fd = -1, .index = -1 };
	int err;

	(void)x;
	b->skip_why = uipi_unavailable();
	if (b->skip_why)
		return -ENODEV;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, u.sock))
		return -errno;
	uipi_irqs = 0;		/* the peer inherits 0 as well */
	u.pid = peer_start(b, uipi_side, &u, n);
	err = u.pid < 0 ? u.pid : uipi_attach(&u, u.sock[0]);
	if (!err)
		err = peer_loop(ticks, n, uipi_rt, &u);
	if (u.pid > 0) {
		if (err)
			peer_kill(u.pid);
		else
			err = peer_reap(u.pid);
	}
	uipi_detach(&u);
	close(u.sock[0]);
	close(u.sock[1]);
	return err;
}

static const struct wl wl_uipi = {
	.name = "uipi",
	.kind = WL_PEER,
	.about = "SENDUIPI ping-pong between two processes (UINTR hardware only)",
	.measure = uipi_measure,
};

SCF_WORKLOAD(wl_uipi);
