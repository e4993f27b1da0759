/* SPDX-License-Identifier: MIT */
/*
 * scf_mt_host.h - what a Linux host gives a client shared by threads
 * (struct scf_mt_ops): a mutex for the submit lock, a private futex per
 * descriptor to park each waiting thread on its own completion, and each
 * thread's record of its last call.
 */
#ifndef SCF_MT_HOST_H
#define SCF_MT_HOST_H

#include <pthread.h>

#include "scf_client.h"

struct scf_mt_host {
	pthread_mutex_t lock;
	struct scf_mt mt;
	_Atomic uint32_t *state;	/* [capacity] */
};

/* Share c between threads; 0 or -errno.  Call with one thread on c. */
int scf_mt_host_enable(struct scf_client *c, struct scf_mt_host *h);
/* Back to one thread (the others have left); frees what enable took. */
void scf_mt_host_disable(struct scf_client *c, struct scf_mt_host *h);
/* The record the calling thread's next calls fill, or NULL for none. */
void scf_mt_host_set_rec(struct scf_rec *rec);

#endif /* SCF_MT_HOST_H */
