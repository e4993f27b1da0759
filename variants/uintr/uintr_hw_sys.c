// SPDX-License-Identifier: MIT
/*
 * uintr_hw_sys.c - the UINTR syscalls of either kernel ABI (uintr_abi.h;
 * numbers, arguments and errors in variants/uintr/README.md).
 *
 * Registration tries UINTR_HANDLER_FLAG_WAITING_RECEIVER first: with it a
 * UIPI also ends any blocking syscall of the receiver, so it can sleep in
 * a futex like any waiter.  intel/uintr-linux-kernel accepts that flag
 * only with CONFIG_X86_UINTR_BLOCKING (experimental, off by default) and
 * RFC v1 accepts no flag at all; both answer -EINVAL, and registration
 * then falls back to flags 0.  The receiver then waits by what the kernel
 * still offers: the uintr_wait syscall where it exists (RFC v1 always;
 * intel only with BLOCKING), else it spins in user space, where a UIPI is
 * delivered straight to the running thread.
 *
 * uintr_wait's presence is asked with an invalid flag, which costs no
 * sleep: every version checks flags before anything else and answers
 * -EINVAL, except intel without BLOCKING, which answers -ENOSYS first.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "uintr_hw_parts.h"

/* The sleep of one uintr_wait (RFC v1 has it fixed at 100 us). */
#define UINTR_HW_WAIT_USEC	100

/*
 * The registration this thread holds, if any, and the thread's id.  The
 * kernel keeps one receiver per task and refuses a second with -EBUSY; a
 * second open here is refused the same way before anything of the live
 * one (its handler's TLS pointer) is touched.  A forked child is a new
 * task with no registration (copy_thread() clears it) but a copy of this
 * TLS: the id tells it apart.
 */
static __thread const struct uintr_hw_rx *uintr_hw_owner;
static __thread pid_t uintr_hw_owner_tid;

static bool owns_registration(void)
{
	return uintr_hw_owner && uintr_hw_owner_tid == (pid_t)syscall(SYS_gettid);
}

static long sysret(long r)
{
	return r < 0 ? -errno : r;
}

static long uintr_wait_call(const struct uintr_abi *abi, unsigned int flags)
{
	if (abi->kind == UINTR_ABI_INTEL)
		return sysret(syscall(abi->nr_wait, (long)UINTR_HW_WAIT_USEC,
				      (long)flags));
	return sysret(syscall(abi->nr_wait, (long)flags));
}

const char *uintr_hw_wait_name(enum uintr_hw_wait w)
{
	switch (w) {
	case UINTR_HW_WAIT_FUTEX:
		return "futex";
	case UINTR_HW_WAIT_SYSCALL:
		return "uintr_wait";
	case UINTR_HW_WAIT_SPIN:
		return "spin";
	}
	return "?";
}

int uintr_hw_rx_open(struct uintr_hw_rx *r, const struct uintr_abi *abi,
		     struct uintr_rx *rx, unsigned int vec)
{
	uint64_t handler = uintr_hw_handler_addr();
	struct uintr_rx *prev = uintr_tls_rx;
	long ret;

	r->abi = NULL;
	r->rx = rx;
	r->uvec_fd = -1;
	r->flags_refused = 0;
	if (!abi || !handler)
		return -ENOSYS;
	if (owns_registration())
		return -EBUSY;
	r->abi = abi;
	/* Before the handler can run: it finds its counters through TLS. */
	uintr_hw_prefault(rx);
	r->flags = UINTR_HANDLER_FLAG_WAITING_RECEIVER;
	ret = sysret(syscall(abi->nr_register_handler, handler, (long)r->flags));
	if (ret == -EINVAL) {
		r->flags_refused = -EINVAL;
		r->flags = 0;
		ret = sysret(syscall(abi->nr_register_handler, handler, 0L));
	}
	if (ret < 0)
		goto err_tls;
	if (r->flags & UINTR_HANDLER_FLAG_WAITING_RECEIVER)
		r->wait = UINTR_HW_WAIT_FUTEX;
	else if (uintr_wait_call(abi, ~0u) == -EINVAL)
		r->wait = UINTR_HW_WAIT_SYSCALL;
	else
		r->wait = UINTR_HW_WAIT_SPIN;
	ret = sysret(syscall(abi->nr_create_fd, (long)vec, 0L));
	if (ret < 0)
		goto err_handler;
	r->uvec_fd = (int)ret;
	uintr_hw_owner = r;
	uintr_hw_owner_tid = (pid_t)syscall(SYS_gettid);
	return 0;

err_handler:
	syscall(abi->nr_unregister_handler, 0L);
err_tls:
	/*
	 * Back to what the thread had: a registration this thread holds
	 * outside this library (the kernel's -EBUSY) keeps its handler's
	 * counters.
	 */
	uintr_tls_rx = prev;
	r->abi = NULL;
	return (int)ret;
}

void uintr_hw_rx_close(struct uintr_hw_rx *r)
{
	if (!r->abi)
		return;
	if (r->uvec_fd >= 0)
		close(r->uvec_fd);
	r->uvec_fd = -1;
	syscall(r->abi->nr_unregister_handler, 0L);
	if (uintr_tls_rx == r->rx)
		uintr_tls_rx = NULL;
	if (uintr_hw_owner == r)
		uintr_hw_owner = NULL;
	r->abi = NULL;
}

int uintr_hw_wait_once(const struct uintr_hw_rx *r)
{
	return (int)uintr_wait_call(r->abi, 0);
}

void uintr_hw_rx_describe(const struct uintr_hw_rx *r, char *buf, size_t len)
{
	snprintf(buf, len, "abi %s, flags %#x%s, wait %s",
		 r->abi ? r->abi->name : "none", r->flags,
		 r->flags & UINTR_HANDLER_FLAG_WAITING_RECEIVER ?
		 " WAITING_RECEIVER" : r->flags_refused ?
		 " (WAITING_RECEIVER refused: EINVAL)" : "",
		 uintr_hw_wait_name(r->wait));
}

long uintr_hw_tx_open(const struct uintr_abi *abi, int peer_fd)
{
	return sysret(syscall(abi->nr_register_sender, (long)peer_fd, 0L));
}

void uintr_hw_tx_close(const struct uintr_abi *abi, long index, int peer_fd)
{
	/* RFC v1 names the connection by the receiver's fd, intel by index. */
	syscall(abi->nr_unregister_sender,
		abi->kind == UINTR_ABI_RFC1 ? (long)peer_fd : index, 0L);
}
