// SPDX-License-Identifier: MIT
/*
 * probe_off.c - built with SCF_PROBES=0 (see tests.mk): the same probe
 * calls as test_probe.c, which must compile to nothing here.
 */
#include "scf_probe.h"

int probe_off_enabled(void)
{
	return scf_probes_enabled();
}

/* Returns how many times the argument expression was evaluated. */
int probe_off_stamp(uint64_t *p)
{
	int evaluated = 0;

	(void)p;

	scf_probe((evaluated++, p), SCF_C0_CALL);
	scf_probe((evaluated++, p), SCF_C7_DONE);
	scf_probe_set((evaluated++, p), SCF_S0_WOKEN, 42);
	return evaluated;
}
