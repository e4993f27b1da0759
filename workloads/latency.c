// SPDX-License-Identifier: MIT
/*
 * latency.c - keep the CPUs out of idle states for the whole run, as
 * rt-tests' cyclictest does (its latency target): /dev/cpu_dma_latency
 * held open at 0 us.  In a guest with the haltpoll cpuidle driver an idle
 * vCPU otherwise halts, and every sleeping doorbell's wake-up pays a VM
 * exit and a host wake-up (measured on the 2-vCPU development VM: futex
 * ping-pong p50 45 us halting, 14 us held), which would be reported as the
 * mechanism's cost.  An RTOS partition's CPU never halts either.
 *
 * The request lasts while the fd is open: until the process exits.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

#define LATENCY_DEV	"/dev/cpu_dma_latency"

void bench_latency_target(struct bench *b)
{
	static char note[160];
	int32_t zero = 0;
	int fd;

	if (b->latency_fd >= 0)
		return;
	fd = open(LATENCY_DEV, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, &zero, sizeof(zero)) != sizeof(zero)) {
		snprintf(note, sizeof(note), "CPUs may enter idle states: "
			 "%s: %s (not held at 0 us)", LATENCY_DEV,
			 strerror(errno));
		if (fd >= 0)
			close(fd);
	} else {
		b->latency_fd = fd;	/* closed by exit: the request ends */
		snprintf(note, sizeof(note), "%s held at 0 us for the run "
			 "(rt-tests practice): idle CPUs poll, never halt",
			 LATENCY_DEV);
	}
	b->latency_note = note;
}
