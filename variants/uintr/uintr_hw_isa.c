// SPDX-License-Identifier: MIT
/*
 * uintr_hw_isa.c - STUI, CLUI and SENDUIPI: the only code in the project
 * that executes a UINTR instruction (with the handler's UIRET).
 *
 * They are written as mnemonics to the assembler, so no file needs
 * -muintr.  Nothing calls them before the probe has found UINTR (the hw
 * backend and the uipi peer check uintr_hw_probe() first), and the tests
 * replace them through uintr_hw_set_hooks(): on a CPU without UINTR they
 * would raise #UD (SIGILL), so a test of everything around them runs the
 * rest for real and these three as fakes.
 */
#include "uintr_hw_parts.h"

void uintr_hw_stui(void)
{
	if (__builtin_expect(uintr_hw_hooks && uintr_hw_hooks->stui, 0)) {
		uintr_hw_hooks->stui();
		return;
	}
	__asm__ __volatile__("stui" : : : "memory");
}

void uintr_hw_clui(void)
{
	if (__builtin_expect(uintr_hw_hooks && uintr_hw_hooks->clui, 0)) {
		uintr_hw_hooks->clui();
		return;
	}
	__asm__ __volatile__("clui" : : : "memory");
}

void uintr_hw_senduipi(uint64_t index)
{
	if (__builtin_expect(uintr_hw_hooks && uintr_hw_hooks->senduipi, 0)) {
		uintr_hw_hooks->senduipi(index);
		return;
	}
	/*
	 * SENDUIPI's update of the target UPID is a locked read-modify-write:
	 * a full barrier that orders the caller's ring publish before the
	 * post, paired with the receiver's locked XCHG of PIR in notification
	 * processing.
	 */
	__asm__ __volatile__("senduipi %0" : : "r"(index) : "memory");
}
