// SPDX-License-Identifier: MIT
/*
 * uintr_hw.c - the hw backend: real SENDUIPI on a UINTR CPU and kernel,
 * over the parts it shares with the uipi peer (uintr_hw_parts.h).
 *
 * Attach, on each side, in the thread that will wait:
 *   1. uintr_hw_rx_open(): prefault and lock the handler's pages, register
 *      the handler (WAITING_RECEIVER, else flags 0), pick the wait the
 *      kernel offers, create our vector's fd (UINTR_VEC_DOORBELL);
 *   2. send that fd to the peer over cfg->sock_fd (SCM_RIGHTS);
 *   3. STUI: user interrupts enabled.
 * The peer's fd is received at our first kick (hw_connect): the shadow
 * attaches and reports ready before the client attaches, so attach must
 * not wait for the peer; by our first kick the peer has attached (the
 * client kicks first, after its own attach; the shadow kicks only in
 * answer), and its fd is in the socket.  Then uintr_register_sender(peer
 * fd) gives the UITT index.
 * kick = SENDUIPI(index).  wait, by what registration got:
 *   futex       sleep on the handler's counter (uintr_wait.c), woken by
 *               the UIPI because of UINTR_HANDLER_FLAG_WAITING_RECEIVER;
 *   uintr_wait  the syscall, in a loop that re-checks ready() after each
 *               return; it sleeps at most 100 us, so a UIPI delivered
 *               between our check and the syscall (handled in user space
 *               before it) costs at most that sleep, never a lost wake-up;
 *   spin        stay in user space, where every UIPI is delivered at once.
 * Which one ran is in every result (scf_notify_detail()).
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "scf_arch.h"
#include "uintr_priv.h"

#define UINTR_HW_CONNECT_MS	10000

static int hw_attach(struct scf_notify *n, const struct scf_notify_cfg *cfg)
{
	struct scf_doorbell *bell = &n->q->hdr->bell[cfg->side];
	const char *why;
	int ret;

	n->hw.uvec_fd = n->peer_fd = -1;
	n->uipi_index = -1;
	n->abi = uintr_hw_probe(&why);
	if (!n->abi)
		return -ENOSYS;
	if (cfg->sock_fd < 0)
		return -EINVAL;	/* the fds travel over the peer socket */
	ret = uintr_hw_rx_open(&n->hw, n->abi, &n->rx, UINTR_VEC_DOORBELL);
	if (ret)
		return ret;
	ret = scf_fd_send(cfg->sock_fd, n->hw.uvec_fd);
	if (ret) {
		uintr_hw_rx_close(&n->hw);
		return ret;
	}
	uintr_hw_rx_describe(&n->hw, n->detail, sizeof(n->detail));
	SCF_WRITE_ONCE(bell->tid, (int32_t)syscall(SYS_gettid));
	SCF_WRITE_ONCE(bell->pid, (int32_t)getpid());
	SCF_WRITE_ONCE(bell->cpu, cfg->cpu);
	uintr_hw_stui();
	return 0;
}

/* Receive the peer's receiver fd and become its sender (first kick). */
static int hw_connect(struct scf_notify *n)
{
	struct pollfd p = { .fd = n->sock_fd, .events = POLLIN };
	long r;
	int fd;

	/* Bounded: a peer that never attaches is an error, not a hang. */
	do
		r = poll(&p, 1, UINTR_HW_CONNECT_MS);
	while (r < 0 && errno == EINTR);
	if (r <= 0)
		return r ? -errno : -ETIMEDOUT;
	fd = scf_fd_recv(n->sock_fd);
	if (fd < 0)
		return fd;
	r = uintr_hw_tx_open(n->abi, fd);
	if (r < 0) {
		close(fd);
		return (int)r;
	}
	n->peer_fd = fd;
	n->uipi_index = r;
	return 0;
}

static int hw_kick(struct scf_notify *n)
{
	int ret;

	if (n->uipi_index < 0) {
		ret = hw_connect(n);
		if (ret)
			return ret;
	}
	/* SENDUIPI is a full barrier: see uintr_hw_senduipi(). */
	uintr_hw_senduipi((uint64_t)n->uipi_index);
	uintr_add(&n->sends, 1);
	return 0;
}

static int hw_wait(struct scf_notify *n, scf_ready_fn ready, void *arg)
{
	int ret;

	if (uintr_tls_rx != &n->rx)
		return -EINVAL;	/* only the registered thread receives */
	switch (n->hw.wait) {
	case UINTR_HW_WAIT_FUTEX:
		return uintr_wait_irqs(n, ready, arg);
	case UINTR_HW_WAIT_SYSCALL:
		while (!ready(arg)) {
			uintr_add(&n->sleeps, 1);
			ret = uintr_hw_wait_once(&n->hw);
			if (ret && ret != -EINTR)
				return ret;
		}
		return 0;
	case UINTR_HW_WAIT_SPIN:
		break;
	}
	while (!ready(arg))
		scf_cpu_relax();
	return 0;
}

static void hw_detach(struct scf_notify *n)
{
	uintr_hw_clui();
	if (n->uipi_index >= 0)
		uintr_hw_tx_close(n->abi, n->uipi_index, n->peer_fd);
	if (n->peer_fd >= 0)
		close(n->peer_fd);
	uintr_hw_rx_close(&n->hw);
}

const struct uintr_ops uintr_hw_ops = {
	.name = "hw",
	.attach = hw_attach,
	.kick = hw_kick,
	.wait = hw_wait,
	.detach = hw_detach,
};
