// SPDX-License-Identifier: MIT
/*
 * park.c - the shadow asleep while the client measures something else on
 * its CPU (a baseline, another process's sample): a futex wait on the
 * queue page's park word, so nothing spins beside the measurement.
 */
#include <errno.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "shadow.h"

/* Re-check *stop at least this often: a signal may land before the wait. */
#define PARK_RECHECK_NS	100000000L

void shadow_park(struct shadow *s)
{
	_Atomic uint32_t *w = &s->q.hdr->park.v;
	struct timespec ts = { 0, PARK_RECHECK_NS };
	uint32_t v;

	/* acquire: pairs with the client's release store of 0 on unpark */
	while (!*s->stop && (v = atomic_load_explicit(w, memory_order_acquire))) {
		/* Shared futex: the region is a MAP_SHARED memfd or device. */
		if (syscall(SYS_futex, w, FUTEX_WAIT, v, &ts, NULL, 0) &&
		    errno != EAGAIN && errno != EINTR && errno != ETIMEDOUT) {
			/* No futex on this mapping (a device's): sleep a little. */
			struct timespec nap = { 0, 50000 };

			nanosleep(&nap, NULL);
		}
	}
}
