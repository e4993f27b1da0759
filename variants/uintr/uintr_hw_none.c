// SPDX-License-Identifier: MIT
/*
 * uintr_hw_none.c - built instead of uintr_hw_isa.c and uintr_hw_handler.c
 * when the compiler has no -muintr.  uintr_hw_isa_built() says so, the
 * probe then reports "built without -muintr" and scf_notify_pick("hw")
 * returns NULL, so none of the others is ever reached; they trap if they
 * were.
 */
#include "uintr_priv.h"

int uintr_hw_isa_built(void)
{
	return 0;
}

void uintr_hw_stui(void)
{
	__builtin_trap();
}

void uintr_hw_clui(void)
{
	__builtin_trap();
}

void uintr_hw_senduipi(uint64_t index)
{
	(void)index;
	__builtin_trap();
}

const uint64_t uintr_hw_handler_addr = 0;
