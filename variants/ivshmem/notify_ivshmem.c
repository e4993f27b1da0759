// SPDX-License-Identifier: MIT
/*
 * notify_ivshmem.c - the shadow's side of the ivshmem variant (hosted).
 *
 * The client is a bare-metal guest in QEMU (variants/ivshmem/guest), so
 * only the shadow side attaches here.  Its doorbells are the ivshmem
 * server's eventfds (ivshmem_abi.h), which arrive over --sock-fd at
 * attach, SCM_RIGHTS, in one message: [0] the shadow's own (QEMU signals
 * it when the guest writes the Doorbell register), [1] the guest's
 * vector 0 (QEMU raises MSI-X vector 0 when it is signalled).
 *
 * doorbell: wait() re-checks ready() and sleeps in poll() on its eventfd
 * for at most SCF_NOTIFY_RECHECK_NS, then drains the counter.  No lost
 * wake-up: an eventfd keeps every kick until read, so a kick after the
 * ready() check leaves the counter non-zero and poll() returns at once.
 * kick() adds 1 to the guest's eventfd.
 * poll: no doorbell; wait() spins on ready().
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "scf_arch.h"
#include "scf_notify.h"
#include "scf_region.h"

struct scf_notify {
	bool doorbell;
	int mine;	/* eventfd the guest's Doorbell write signals */
	int peer;	/* eventfd of the guest's MSI-X vector 0 */
};

static struct scf_notify att;

const char *scf_notify_name(void)
{
	return "ivshmem";
}

const char *scf_notify_backend(const struct scf_notify *n)
{
	return n->doorbell ? "doorbell" : "poll";
}

const char *scf_notify_pick(const char *requested)
{
	if (!requested || !*requested || !strcmp(requested, "auto") ||
	    !strcmp(requested, "doorbell"))
		return "doorbell";
	if (!strcmp(requested, "poll"))
		return "poll";
	return NULL;
}

int scf_notify_wait_pick(const char *backend, const struct scf_wait_policy *req,
			 struct scf_wait_policy *out)
{
	bool bell = !backend || strcmp(backend, "poll");

	if (req->kind != SCF_WAIT_DEFAULT &&
	    req->kind != (bell ? SCF_WAIT_SLEEP : SCF_WAIT_SPIN))
		return -SCF_ENOSYS;
	out->kind = bell ? SCF_WAIT_SLEEP : SCF_WAIT_SPIN;
	out->spin_ns = 0;
	return 0;
}

struct scf_wait_policy scf_notify_policy(const struct scf_notify *n)
{
	struct scf_wait_policy w = {
		.kind = n->doorbell ? SCF_WAIT_SLEEP : SCF_WAIT_SPIN,
	};

	return w;
}

/* The two eventfds from the server, within a second; 0 or -errno. */
static int recv_bells(int sock, int fds[2])
{
	char cbuf[CMSG_SPACE(2 * sizeof(int))];
	struct pollfd p = { .fd = sock, .events = POLLIN };
	char byte;
	struct iovec iov = { &byte, 1 };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;

	if (poll(&p, 1, 1000) != 1)
		return -ETIMEDOUT;
	if (recvmsg(sock, &mh, MSG_CMSG_CLOEXEC) != 1)
		return -EPROTO;
	cm = CMSG_FIRSTHDR(&mh);
	if (!cm || cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS ||
	    cm->cmsg_len != CMSG_LEN(2 * sizeof(int)))
		return -EPROTO;
	memcpy(fds, CMSG_DATA(cm), 2 * sizeof(int));
	return 0;
}

int scf_notify_attach(struct scf_notify **out, const struct scf_notify_cfg *cfg)
{
	const char *b = scf_notify_pick(cfg->backend);
	int fds[2], err;

	/* The client side is the guest's (notify_guest.c), never a process. */
	if (cfg->side != SCF_SIDE_SHADOW)
		return -SCF_ENOSYS;
	if (!b)
		return -SCF_ENOSYS;
	att.doorbell = !strcmp(b, "doorbell");
	att.mine = att.peer = -1;
	if (att.doorbell) {
		if (cfg->sock_fd < 0)
			return -SCF_EINVAL;
		err = recv_bells(cfg->sock_fd, fds);
		if (err)
			return err;
		att.mine = fds[0];
		att.peer = fds[1];
	}
	*out = &att;
	return 0;
}

int scf_notify_kick(struct scf_notify *n, uint64_t *kstamp)
{
	uint64_t one = 1;

	if (kstamp)
		kstamp[0] = kstamp[1] = 0;
	if (!n->doorbell)
		return 1;
	/* write(2) is a full barrier: the response is published before. */
	if (write(n->peer, &one, sizeof(one)) != sizeof(one))
		return -errno;
	return 0;
}

int scf_notify_wait(struct scf_notify *n, scf_ready_fn ready, void *arg,
		    uint64_t *kstamp)
{
	struct pollfd p = { .fd = n->mine, .events = POLLIN };
	uint64_t v;

	if (kstamp)
		kstamp[0] = kstamp[1] = 0;
	while (!ready(arg)) {
		if (!n->doorbell) {
			scf_cpu_relax();
			continue;
		}
		if (poll(&p, 1, SCF_NOTIFY_RECHECK_NS / 1000000) == 1 &&
		    read(n->mine, &v, sizeof(v)) < 0 && errno != EAGAIN)
			return -errno;
	}
	return 0;
}

void scf_notify_detach(struct scf_notify *n)
{
	if (n->mine >= 0)
		close(n->mine);
	if (n->peer >= 0)
		close(n->peer);
	n->mine = n->peer = -1;
}
