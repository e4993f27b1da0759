/* SPDX-License-Identifier: MIT */
/*
 * serve_set.h - what the one serve loop (serve_loop.c) serves: the
 * clients of one shadow, the layout their requests come in, and the
 * primitives' common vocabulary.  The primitives themselves are one
 * header per layout (layout_indirect.h, layout_inline.h, layout_mpsc.h),
 * included by serve_loop.c alone so that they inline into the loop.
 */
#ifndef SERVE_SET_H
#define SERVE_SET_H

#include "scf_mpsc.h"
#include "shadow.h"

enum serve_layout {
	/* a ring pair of descriptor indices a client (lock-free or locked) */
	SERVE_INDIRECT,
	/* one client, its call n in descriptor scf_inline_idx(n) */
	SERVE_INLINE,
	/* one shared queue of (client, index), and each client's own ring
	 * for its synchronous calls */
	SERVE_MPSC,
};

struct serve_set {
	/*
	 * c[0] is the shadow main() set up: its doorbells serve every
	 * client, its stop ends the loop, its stats take the others'.
	 */
	struct shadow *c[SHADOW_CLIENTS_MAX];
	uint32_t n;
	enum serve_layout layout;
	volatile sig_atomic_t *stop;	/* c[0]'s: one load for the wait */
	uint32_t at;		/* several sources: the one swept now */
	uint64_t next;		/* inline: the call expected next */
	struct scf_mpsc recv;	/* mpsc: c[0]'s qhdr.recv */
};

/* A request taken: its client, and its descriptor, checked in range. */
struct serve_req {
	struct shadow *s;
	uint32_t idx;
};

/* What taking a request gave. */
enum {
	SERVE_NONE,		/* nothing left: the sweep is over */
	SERVE_AGAIN,		/* nothing to answer here: look again */
	SERVE_TAKEN,		/* a request to answer */
};

/* serve_loop.c: serve set until *set->stop or a dual call ends it. */
void shadow_serve_set(struct serve_set *set);

#endif /* SERVE_SET_H */
