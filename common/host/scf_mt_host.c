// SPDX-License-Identifier: MIT
/*
 * scf_mt_host.c - the Linux host's services for a shared client.
 */
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "scf_mt_host.h"

static __thread struct scf_rec *thread_rec;

static void host_lock(void *arg)
{
	pthread_mutex_lock(&((struct scf_mt_host *)arg)->lock);
}

static void host_unlock(void *arg)
{
	pthread_mutex_unlock(&((struct scf_mt_host *)arg)->lock);
}

static void host_park(void *arg, _Atomic uint32_t *word, uint32_t val)
{
	(void)arg;
	/*
	 * The kernel compares *word with val under its hash-bucket lock:
	 * a CAS away from val before we sleep makes this return at once, and
	 * one after finds us queued for the wake (no lost wake-up).  EINTR
	 * and spurious returns are fine: the caller re-checks.
	 */
	syscall(SYS_futex, (uint32_t *)word, FUTEX_WAIT_PRIVATE, val, NULL,
		NULL, 0);
}

static void host_unpark(void *arg, _Atomic uint32_t *word)
{
	(void)arg;
	syscall(SYS_futex, (uint32_t *)word, FUTEX_WAKE_PRIVATE, INT_MAX,
		NULL, NULL, 0);
}

static struct scf_rec *host_rec(void *arg)
{
	(void)arg;
	return thread_rec;
}

static const struct scf_mt_ops host_ops = {
	.lock = host_lock,
	.unlock = host_unlock,
	.park = host_park,
	.unpark = host_unpark,
	.rec = host_rec,
};

int scf_mt_host_enable(struct scf_client *c, struct scf_mt_host *h)
{
	int err;

	h->state = calloc(c->q.capacity, sizeof(*h->state));
	if (!h->state)
		return -ENOMEM;
	err = -pthread_mutex_init(&h->lock, NULL);
	if (!err)
		err = scf_client_mt_enable(c, &h->mt, &host_ops, h, h->state);
	if (err) {
		free(h->state);
		h->state = NULL;
	}
	return err;
}

void scf_mt_host_disable(struct scf_client *c, struct scf_mt_host *h)
{
	if (c->mt != &h->mt)
		return;
	scf_client_mt_disable(c);
	pthread_mutex_destroy(&h->lock);
	free(h->state);
	h->state = NULL;
}

void scf_mt_host_set_rec(struct scf_rec *rec)
{
	thread_rec = rec;
}
