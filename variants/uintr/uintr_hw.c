// SPDX-License-Identifier: MIT
/*
 * uintr_hw.c - the hw backend: real SENDUIPI on a UINTR CPU and kernel.
 *
 * Attach, on each side, in the thread that will wait:
 *   1. uintr_register_handler(handler, flags): intel ABI with
 *      UINTR_HANDLER_FLAG_WAITING_RECEIVER, so a UIPI also wakes us from a
 *      blocking syscall; RFC v1 takes no flags;
 *   2. create_fd / uintr_vector_fd(UINTR_VEC_DOORBELL): our receiver fd;
 *   3. send it to the peer over cfg->sock_fd (SCM_RIGHTS);
 *   4. STUI: user interrupts enabled.
 * The peer's fd is received at our first kick (hw_connect): the shadow
 * attaches and reports ready before the client attaches, so attach must
 * not wait for the peer; by our first kick the peer has attached (the
 * client kicks first, after its own attach; the shadow kicks only in
 * answer), and its fd is in the socket.  Then uintr_register_sender(peer
 * fd) gives the UITT index.
 * kick = SENDUIPI(index).  wait: intel ABI, sleep on the handler's counter
 * (uintr_wait.c), woken by the UIPI because of the WAITING flag.  RFC v1's
 * uintr_wait(flags) has no timeout and does not look at what is already
 * pending, so an interrupt that lands between our ready() check and the
 * syscall would be lost for good: on RFC v1 the receiver stays in user
 * space and spins, where every UIPI is delivered directly (said in the
 * note, so the numbers are not taken for a sleeping receiver's).
 */
#include <errno.h>
#include <poll.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "scf_arch.h"
#include "uintr_priv.h"

#define UINTR_HW_CONNECT_MS	10000

static long sysret(long r)
{
	return r < 0 ? -errno : r;
}

static int hw_attach(struct scf_notify *n, const struct scf_notify_cfg *cfg)
{
	struct scf_doorbell *bell = &n->q->hdr->bell[cfg->side];
	const char *why;
	long r;
	int ret;

	n->uvec_fd = n->peer_fd = -1;
	n->uipi_index = -1;
	n->abi = uintr_hw_probe(&why);
	if (!n->abi)
		return -ENOSYS;
	if (cfg->sock_fd < 0)
		return -EINVAL;	/* the fds travel over the peer socket */
	/* Before the handler can run: it finds its counters through TLS. */
	uintr_tls_rx = &n->rx;
	r = sysret(syscall(n->abi->nr_register_handler, uintr_hw_handler_addr,
			   n->abi->handler_flags));
	if (r < 0)
		goto err_tls;
	r = sysret(syscall(n->abi->nr_create_fd, UINTR_VEC_DOORBELL, 0));
	if (r < 0)
		goto err_handler;
	n->uvec_fd = (int)r;
	ret = uintr_fd_send(cfg->sock_fd, n->uvec_fd);
	if (ret) {
		r = ret;
		goto err_fd;
	}
	SCF_WRITE_ONCE(bell->tid, (int32_t)syscall(SYS_gettid));
	SCF_WRITE_ONCE(bell->pid, (int32_t)getpid());
	SCF_WRITE_ONCE(bell->cpu, cfg->cpu);
	uintr_hw_stui();
	return 0;

err_fd:
	close(n->uvec_fd);
	n->uvec_fd = -1;
err_handler:
	syscall(n->abi->nr_unregister_handler, 0);
err_tls:
	uintr_tls_rx = NULL;
	return (int)r;
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
	fd = uintr_fd_recv(n->sock_fd);
	if (fd < 0)
		return fd;
	r = sysret(syscall(n->abi->nr_register_sender, fd, 0));
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
	/*
	 * SENDUIPI's UPID update is a locked RMW: a full barrier that orders
	 * the caller's ring publish before the post, paired with the
	 * receiver's locked XCHG of PIR in notification processing.
	 */
	uintr_hw_senduipi((uint64_t)n->uipi_index);
	uintr_add(&n->sends, 1);
	return 0;
}

static int hw_wait(struct scf_notify *n, scf_ready_fn ready, void *arg)
{
	if (n->abi->kind == UINTR_ABI_INTEL)
		return uintr_wait_irqs(n, ready, arg);
	/* RFC v1: stay running, the UIPI is delivered in user space. */
	if (uintr_tls_rx != &n->rx)
		return -EINVAL;
	while (!ready(arg))
		scf_cpu_relax();
	return 0;
}

static void hw_detach(struct scf_notify *n)
{
	uintr_hw_clui();
	if (n->uipi_index >= 0)
		syscall(n->abi->nr_unregister_sender,
			n->abi->kind == UINTR_ABI_RFC1 ? (long)n->peer_fd :
							 n->uipi_index, 0);
	if (n->peer_fd >= 0)
		close(n->peer_fd);
	if (n->uvec_fd >= 0)
		close(n->uvec_fd);
	syscall(n->abi->nr_unregister_handler, 0);
	if (uintr_tls_rx == &n->rx)
		uintr_tls_rx = NULL;
}

const struct uintr_ops uintr_hw_ops = {
	.name = "hw",
	.attach = hw_attach,
	.kick = hw_kick,
	.wait = hw_wait,
	.detach = hw_detach,
};
