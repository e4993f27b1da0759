// SPDX-License-Identifier: MIT
/*
 * uintr_hw_isa.c - the UINTR instructions, in the one file (with the
 * handler's) built with -muintr.  variant.mk adds the flag only where the
 * compiler has it; elsewhere uintr_hw_none.c stands in and the hw backend
 * reports itself unavailable.
 */
#include <x86gprintrin.h>

#include "uintr_priv.h"

int uintr_hw_isa_built(void)
{
	return 1;
}

void uintr_hw_stui(void)
{
	_stui();
}

void uintr_hw_clui(void)
{
	_clui();
}

void uintr_hw_senduipi(uint64_t index)
{
	_senduipi(index);
}
