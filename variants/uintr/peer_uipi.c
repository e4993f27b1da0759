// SPDX-License-Identifier: MIT
/*
 * peer_uipi.c - SENDUIPI ping-pong between two processes: the notification
 * the uintr variant's hw backend uses, without SCF: that backend's raw
 * peer (uintr_RAW_PEERS), so it is the variant's own (uintr_PEER_SRCS)
 * and no other variant's scf-bench has it.  It runs only where the CPU
 * has UINTR and the kernel supports it; elsewhere the run says why it
 * cannot run (b->skip_why, -ENODEV) and is skipped, never emulated here
 * (the emulation's raw counterpart is the `signal` peer).
 *
 * Each side registers the user-interrupt handler, creates a receiver fd
 * for vector 0 and hands it to the other over a unix socket; each
 * registers as a sender to the other's fd and gets a UITT index.  The
 * receiver stays in user space and spins on its handler's counter, so
 * every UIPI is delivered straight to the running thread.  The probe, both
 * syscall ABIs, the handler (with its prefaulted, locked pages) and the
 * instructions are the hw backend's own (uintr_hw_parts.h).
 * Each sample runs on a thread of its own (struct wl .own_thread): a task
 * is one UINTR receiver at most, and the client thread may be the uintr
 * variant's forwarded channel's receiver already.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include "peer.h"
#include "scf_arch.h"
#include "scf_fdpass.h"
#include "uintr_hw_parts.h"

/* The user vector each side receives on. */
#define UIPI_VEC	0u

struct uipi {
	const struct uintr_abi *abi;
	struct uintr_hw_rx hw;
	struct uintr_rx rx;	/* this process's handler counters */
	int sock[2];		/* [0] the client's end, [1] the peer's */
	int peer_fd;
	long index;		/* our UITT entry for the peer */
	pid_t pid;
};

/* In the thread that will receive: handler, fd exchange, sender, STUI. */
static int uipi_attach(struct uipi *u, int sock)
{
	int err;

	err = uintr_hw_rx_open(&u->hw, u->abi, &u->rx, UIPI_VEC);
	if (err)
		return err;
	err = scf_fd_send(sock, u->hw.uvec_fd);
	if (err)
		return err;
	u->peer_fd = scf_fd_recv(sock);
	if (u->peer_fd < 0)
		return u->peer_fd;
	u->index = uintr_hw_tx_open(u->abi, u->peer_fd);
	if (u->index < 0)
		return (int)u->index;
	uintr_hw_stui();
	return 0;
}

static void uipi_detach(struct uipi *u)
{
	if (u->index >= 0)
		uintr_hw_clui();	/* STUI ran: the last step of attach */
	if (u->index >= 0)
		uintr_hw_tx_close(u->abi, u->index, u->peer_fd);
	if (u->peer_fd >= 0)
		close(u->peer_fd);
	uintr_hw_rx_close(&u->hw);
}

/* Spin until the handler has run want times; peer > 0 as in peer_read(). */
static int uipi_wait(struct uipi *u, uint64_t want, pid_t peer)
{
	uint64_t spins = 0;

	/*
	 * Counter only, no data: the SENDUIPI's locked RMW and the handler
	 * running in this thread order everything there is.
	 */
	while (uintr_get(&u->rx.interrupts) < want) {
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

	u->peer_fd = -1;
	u->index = -1;
	err = uipi_attach(u, u->sock[1]);
	for (r = 1; !err && r <= rounds; r++) {
		err = uipi_wait(u, r, 0);
		if (!err)
			uintr_hw_senduipi((uint64_t)u->index);
	}
	uipi_detach(u);
	return err;
}

static int uipi_rt(void *arg, uint64_t r)
{
	struct uipi *u = arg;

	uintr_hw_senduipi((uint64_t)u->index);
	return uipi_wait(u, r, u->pid);
}

/* How the client side registered (ABI, flags, wait spin), for the result. */
static char uipi_setup[sizeof(((struct measurement *)0)->detail)];

static int uipi_measure(struct bench *b, struct wl_ctx *x, int64_t *ticks,
			uint64_t n)
{
	struct uipi u = { .peer_fd = -1, .index = -1,
			  .hw = { .uvec_fd = -1 } };
	int err;

	(void)x;
	u.abi = uintr_hw_probe(&b->skip_why);
	if (!u.abi)
		return -ENODEV;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, u.sock))
		return -errno;
	u.pid = peer_start(b, uipi_side, &u, n);
	err = u.pid < 0 ? u.pid : uipi_attach(&u, u.sock[0]);
	if (!err) {
		/* The receivers spin whatever the registration allowed. */
		u.hw.wait = UINTR_HW_WAIT_SPIN;
		uintr_hw_rx_describe(&u.hw, uipi_setup, sizeof(uipi_setup));
		err = peer_loop(ticks, n, uipi_rt, &u);
	}
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

static void uipi_annotate(struct bench *b, struct measurement *r)
{
	(void)b;
	/* The receivers spin whatever the kernel offers: said as such. */
	snprintf(r->detail, sizeof(r->detail), "%s", uipi_setup);
	meas_warn(r, "uintr hw set up: %s (uipi receivers always spin)",
		 uipi_setup);
}

static const struct wl wl_uipi = {
	.name = "uipi",
	.kind = WL_PEER,
	.about = "SENDUIPI ping-pong between two processes (UINTR hardware only)",
	.measure = uipi_measure,
	.wait = peer_wait_spin,
	.annotate = uipi_annotate,
	.own_thread = true,
};

SCF_WORKLOAD(wl_uipi);
