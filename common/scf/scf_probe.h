/* SPDX-License-Identifier: MIT */
/*
 * scf_probe.h - TSC stamps at every step of a forwarded call.
 *
 * scf_probe(p, POINT) stores an ordered TSC read in p[POINT], where p is
 * a uint64_t array of SCF_PROBE_NR stamps (a descriptor's probe[] or the
 * client's private record).  Built with SCF_PROBES=0 every probe compiles
 * to nothing: no TSC read, no store, and the arguments are not evaluated.
 */
#ifndef SCF_PROBE_H
#define SCF_PROBE_H

#include "scf_abi.h"
#include "scf_arch.h"

#ifndef SCF_PROBES
#define SCF_PROBES 1
#endif

#if SCF_PROBES
#define scf_probe_if(on, p, point)	do { if (on) scf_probe(p, point); } while (0)
#define scf_probe(p, point)	((p)[(point)] = scf_rdtsc_ordered())
#define scf_probe_set(p, point, tsc)	((p)[(point)] = (tsc))
#define scf_probe_now()		scf_rdtsc_ordered()
#else
/* sizeof: the operands count as used but are never evaluated. */
#define scf_probe(p, point)	((void)sizeof(p), (void)sizeof(point))
#define scf_probe_if(on, p, point)	((void)sizeof(on), scf_probe(p, point))
#define scf_probe_set(p, point, tsc)	((void)sizeof(p), (void)sizeof(tsc))
#define scf_probe_now()		((uint64_t)0)
#endif

/* Whether this translation unit was built with probes (recorded in results). */
static inline int scf_probes_enabled(void)
{
	return SCF_PROBES;
}

#endif /* SCF_PROBE_H */
