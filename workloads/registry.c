// SPDX-License-Identifier: MIT
/*
 * registry.c - find the workloads that registered with SCF_WORKLOAD().
 */
#include <string.h>

#include "bench.h"

/* Provided by the linker for the section the pointers live in. */
extern const struct wl *const __start_scf_workloads[];
extern const struct wl *const __stop_scf_workloads[];

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

void wl_list(FILE *f)
{
	const struct wl *const *w;

	for (w = wl_begin(); w < wl_end(); w++)
		fprintf(f, "  %-18s %-8s %s%s%s%s\n", (*w)->name,
			(*w)->kind == WL_FWD ? "forward" : "peer", (*w)->about,
			(*w)->group ? " [group " : "",
			(*w)->group ? (*w)->group : "",
			(*w)->group ? ((*w)->extended ? ", not in default]" :
				       "]") : "");
}
