/* SPDX-License-Identifier: MIT */
/*
 * scf_session.h - one RTOS-side attachment to a shadow: the client bound
 * to its slot of the region, and what a fork, an exec or a thread of the
 * RTOS side (rtos/) needs to make another one.  rtos/ knows nothing
 * more of its caller than this.
 *
 * A caller that keeps more state (scf-bench's struct bench) embeds the
 * session with SCF_SESSION_GROUP(name), the kernel's struct_group idiom:
 * the members are named both directly (b->c) and as one struct
 * (b->session.c), the same bytes either way, so the caller's own code is
 * unchanged and rtos/ gets &b->session.
 */
#ifndef SCF_SESSION_H
#define SCF_SESSION_H

#include <stdint.h>
#include <sys/types.h>

#include "scf_client.h"
#include "scf_notify.h"

#define SCF_SESSION_MEMBERS						\
	struct scf_client c;	/* bound to slot */			\
	void *region;		/* the whole region, mapped shared */	\
	uint64_t region_size;						\
	int region_fd;		/* passed on to an exec'd image */	\
	uint32_t slot;							\
	/* the descriptor allocator's state, sized by the slot's	\
	 * capacity: re-initialised on every attach */			\
	uint32_t *alloc_stack;						\
	uint8_t *alloc_used;						\
	pid_t shadow_pid;	/* this side's own shadow, 0: not ours */ \
	int client_cpu;		/* where the client runs */		\
	const char *backend;	/* the notify backend as picked */	\
	struct scf_wait_policy wait;	/* the receivers' policy */

struct scf_session {
	SCF_SESSION_MEMBERS
};

#define SCF_SESSION_GROUP(name)						\
	union {								\
		struct { SCF_SESSION_MEMBERS };				\
		struct scf_session name;				\
	}

#endif /* SCF_SESSION_H */
