// SPDX-License-Identifier: MIT
/*
 * uintr_hw_handler.c - the user-interrupt handler, built with -muintr
 * -mgeneral-regs-only: GCC then saves only the general registers and
 * returns with UIRET.  It runs on the receiver's stack (past the red
 * zone) in the thread that registered it, once per delivered vector, and
 * only counts: the waiter re-checks its ring (uintr_wait.c).
 */
#include <x86gprintrin.h>

#include "uintr_priv.h"

static void __attribute__((interrupt))
uintr_hw_handler(struct __uintr_frame *frame, unsigned long long vector)
{
	struct uintr_rx *rx = uintr_tls_rx;

	(void)frame;
	if (!rx)
		return;
	uintr_add(&rx->interrupts, 1);
	uintr_add(&rx->vectors, 1);
	uintr_or(&rx->vector_mask, 1ull << (vector & 63));
	/* The futex word of uintr_wait_irqs(); same thread as the waiter. */
	__atomic_store_n(&rx->irqs, __atomic_load_n(&rx->irqs, __ATOMIC_RELAXED) + 1,
			 __ATOMIC_RELAXED);
}

const uint64_t uintr_hw_handler_addr = (uint64_t)(uintptr_t)uintr_hw_handler;
