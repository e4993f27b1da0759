// SPDX-License-Identifier: MIT
/*
 * uintr_hw_handler.c - the one user-interrupt handler (the hw backend's
 * and the uipi peer's), and the prefault of everything it touches.
 *
 * The handler is built per function with target("uintr,general-regs-
 * only"): GCC then saves only the general registers it uses and returns
 * with UIRET, and no file needs -muintr.  It is never instrumented: a
 * sanitizer call from an interrupt handler would clobber registers it
 * does not save.  It runs on the receiver's stack (past the 128-byte red
 * zone the kernel programs) in the thread that registered it, once per
 * delivered vector, and only counts: the waiter re-checks its condition.
 */
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "uintr_hw_parts.h"

__thread struct uintr_rx *uintr_tls_rx __attribute__((tls_model("local-exec")));

#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 11
#define UINTR_HANDLER_BUILT	1

struct __uintr_frame;

static void __attribute__((interrupt, target("uintr,general-regs-only"),
			   no_sanitize("address", "undefined"),
			   no_instrument_function))
uintr_hw_handler(struct __uintr_frame *frame, unsigned long long vector)
{
	struct uintr_rx *rx = uintr_tls_rx;

	(void)frame;
	if (!rx)
		return;
	/*
	 * Open-coded uintr_add()/uintr_or(): the handler calls no function,
	 * since a callee built without general-regs-only (or instrumented)
	 * could use registers the handler does not save.
	 */
	__atomic_store_n(&rx->interrupts,
			 __atomic_load_n(&rx->interrupts, __ATOMIC_RELAXED) + 1,
			 __ATOMIC_RELAXED);
	__atomic_store_n(&rx->vectors,
			 __atomic_load_n(&rx->vectors, __ATOMIC_RELAXED) + 1,
			 __ATOMIC_RELAXED);
	__atomic_store_n(&rx->vector_mask,
			 __atomic_load_n(&rx->vector_mask, __ATOMIC_RELAXED) |
			 1ull << (vector & 63), __ATOMIC_RELAXED);
	/* The futex word of uintr_wait_irqs(); same thread as the waiter. */
	__atomic_store_n(&rx->irqs, __atomic_load_n(&rx->irqs, __ATOMIC_RELAXED) + 1,
			 __ATOMIC_RELAXED);
}

uint64_t uintr_hw_handler_addr(void)
{
	return (uint64_t)(uintptr_t)uintr_hw_handler;
}
#else
#define UINTR_HANDLER_BUILT	0

uint64_t uintr_hw_handler_addr(void)
{
	return 0;
}
#endif

bool uintr_hw_handler_built(void)
{
	return UINTR_HANDLER_BUILT;
}

/* The stack below the registering frame made present: see uintr_hw_prefault(). */
#define UINTR_STACK_PREFAULT	(64u << 10)

static void lock_pages(const void *p, size_t len)
{
	uintptr_t pg = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t a = (uintptr_t)p & ~(pg - 1);
	uintptr_t e = ((uintptr_t)p + len + pg - 1) & ~(pg - 1);

	/*
	 * Best effort: where RLIMIT_MEMLOCK refuses, the pages were still
	 * made present just before, which covers everything but swap-out.
	 */
	(void)mlock((void *)a, e - a);
}

static void __attribute__((noinline)) prefault_stack(void)
{
	volatile char buf[UINTR_STACK_PREFAULT];
	size_t i;

	for (i = 0; i < sizeof(buf); i += 256)
		buf[i] = 0;
	lock_pages((const void *)buf, sizeof(buf));
}

/*
 * Why: a user interrupt is delivered in the middle of whatever the
 * receiver runs.  If the handler's first access faults (a copy-on-write
 * page after fork, a page never touched, one swapped out), the delivery
 * is restarted from the kernel's fault path; real hardware re-executes
 * the handler's instruction, but an emulated CPU was seen to resume the
 * interrupted code with UIF left clear instead, and every later interrupt
 * was lost.  So before STUI everything the handler touches is written
 * once (breaking copy-on-write) and locked: its code, the TLS slot it
 * reads, the counters it writes, and the stack it pushes its frame onto.
 * The stack is covered for 64 KiB below the registering frame: the
 * receiver waits in shallow frames of this code.
 */
void uintr_hw_prefault(struct uintr_rx *rx)
{
	uintr_tls_rx = rx;
	__atomic_store_n(&rx->irqs, __atomic_load_n(&rx->irqs, __ATOMIC_RELAXED),
			 __ATOMIC_RELAXED);
	uintr_add(&rx->interrupts, 0);
	uintr_add(&rx->uirr, 0);
	lock_pages(rx, sizeof(*rx));
	lock_pages(&uintr_tls_rx, sizeof(uintr_tls_rx));
	if (uintr_hw_handler_addr())
		lock_pages((const void *)(uintptr_t)uintr_hw_handler_addr(), 256);
	prefault_stack();
}
