// SPDX-License-Identifier: MIT
/*
 * clients.c - one syscall core serving several clients, the slots
 * [slot, slot + n) of one region, in one of two topologies:
 *
 *   spsc: each client has its ring pair; a sweep drains each request
 *         ring in turn (layout_indirect.h);
 *   mpsc: every client pushes (client, descriptor) into one shared
 *         multi-producer queue, qhdr.recv of the first slot; the shadow
 *         pops it and answers on that client's own response ring
 *         (layout_mpsc.h).
 *
 * Here: each client's slot attached, the one serve loop run over them
 * (serve_loop.c, which says how one doorbell pair serves them all), and
 * their statistics merged into the first's.  The dual calls (fork, exit,
 * exec, clone) act on the whole shadow process, which every client
 * shares: they are refused (dual_check).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serve_set.h"

static int clients_attach(struct serve_set *set, struct shadow *s,
			  uint32_t n, bool mpsc)
{
	uint32_t i;
	int err;

	memset(set, 0, sizeof(*set));
	set->n = n;
	set->layout = mpsc ? SERVE_MPSC : SERVE_INDIRECT;
	set->stop = s->stop;
	set->c[0] = s;
	s->dual.shared = true;	/* copied into every client below */
	for (i = 1; i < n; i++) {
		set->c[i] = malloc(sizeof(*s));
		if (!set->c[i])
			return -1;
		/* Same root, backend and limits; its own queue and fds. */
		*set->c[i] = *s;
		memset(&set->c[i]->fds, 0, sizeof(s->fds));
		memset(&set->c[i]->st, 0, sizeof(s->st));
		err = scf_queue_attach(&set->c[i]->q, s->dual.region,
				       s->dual.region_size, s->dual.slot + i);
		if (err) {
			fprintf(stderr, "scf-shadow: client %u (slot %u): %s\n",
				i, s->dual.slot + i, scf_strerror(err));
			return -1;
		}
	}
	if (mpsc && (err = scf_mpsc_attach(&set->recv, s->q.hdr->recv))) {
		fprintf(stderr, "scf-shadow: slot %u's receive queue: %s\n",
			s->dual.slot, scf_strerror(err));
		return -1;
	}
	return 0;
}

int shadow_serve_clients(struct shadow *s, uint32_t n, bool mpsc)
{
	struct serve_set set;
	uint32_t i;
	int err = clients_attach(&set, s, n, mpsc);

	if (!err)
		shadow_serve_set(&set);
	for (i = 1; i < n && set.c[i]; i++) {
		s->st.served += set.c[i]->st.served;
		s->st.failed += set.c[i]->st.failed;
		s->st.enosys += set.c[i]->st.enosys;
		s->st.bad_index += set.c[i]->st.bad_index;
		s->st.bad_ring += set.c[i]->st.bad_ring;
		s->st.late_dropped += set.c[i]->st.late_dropped;
		s->st.stamped += set.c[i]->st.stamped;
		fdtab_close_all(&set.c[i]->fds);
		free(set.c[i]);
	}
	return err;
}
