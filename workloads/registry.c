// SPDX-License-Identifier: MIT
/*
 * registry.c - find the workloads that registered with SCF_WORKLOAD().
 */
#include <string.h>

#include "bench.h"

/* Provided by the linker for the section the pointers live in. */
extern const struct wl *const __start_scf_workloads[];
extern const struct wl *const __stop_scf_workloads[];
/* Weak: a variant with no workloads of its own has no such section. */
extern const struct wl *const __start_scf_own_workloads[] __attribute__((weak));
extern const struct wl *const __stop_scf_own_workloads[] __attribute__((weak));

const struct wl *const *wl_begin(void)
{
	return __start_scf_workloads;
}

const struct wl *const *wl_end(void)
{
	return __stop_scf_workloads;
}

const struct wl *wl_find(const char *name)
{
	const struct wl *const *w;

	for (w = wl_begin(); w < wl_end(); w++)
		if (!strcmp((*w)->name, name))
			return *w;
	return NULL;
}

bool wl_is_own(const struct wl *w)
{
	const struct wl *const *o;

	for (o = __start_scf_own_workloads; o && o < __stop_scf_own_workloads; o++)
		if (*o == w)
			return true;
	return false;
}

void wl_list(FILE *f)
{
	const struct wl *const *w;

	for (w = wl_begin(); w < wl_end(); w++)
		fprintf(f, "  %-18s %-8s %s%s%s%s%s\n", (*w)->name,
			(*w)->kind == WL_FWD ? "forward" : "peer", (*w)->about,
			wl_is_own(*w) ? " [the variant's own]" : "",
			(*w)->group ? " [group " : "",
			(*w)->group ? (*w)->group : "",
			(*w)->group ? ((*w)->extended ? ", not in default]" :
				       "]") : "");
}
