// SPDX-License-Identifier: MIT
/*
 * wl_groups.c - selection tokens that name several workloads.
 */
#include <string.h>

#include "bench.h"

static bool is_group(const char *tok)
{
	const struct wl *const *w;

	for (w = wl_begin(); w < wl_end(); w++)
		if ((*w)->group && !strcmp((*w)->group, tok))
			return true;
	return false;
}

int wl_in_group(const char *tok, const struct wl *w)
{
	if (!strcmp(tok, "all"))
		return w ? 1 : 0;
	if (!strcmp(tok, "default"))
		return w ? !w->extended : 0;
	if (!strcmp(tok, "forwarded"))
		return w ? w->kind == WL_FWD && !w->extended : 0;
	if (!strcmp(tok, "own"))
		return w ? wl_is_own(w) && !w->extended : 0;
	if (!is_group(tok))
		return -1;
	return w ? w->group && !strcmp(w->group, tok) : 0;
}
