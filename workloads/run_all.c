// SPDX-License-Identifier: MIT
/*
 * run_all.c - which workloads run, and in which order: the peers first, with
 * nothing else spinning, then the region, the shadow and the forwarded
 * workloads, the payload workload as a sweep over sizes and memsync modes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

int select_workloads(const char *list, struct sel *sel)
{
	const struct wl *const *w;
	char *dup = strdup(list), *save = NULL, *tok;
	int i, j;

	sel->n = 0;
	for (tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (wl_in_group(tok, NULL) >= 0) {
			for (w = wl_begin(); w < wl_end() && sel->n < MAX_SEL; w++)
				if (wl_in_group(tok, *w) == 1)
					sel->w[sel->n++] = *w;
			continue;
		}
		if (tok[0] == '-' && wl_find(tok + 1)) {
			/* "-name": leave out what the list so far selected */
			for (i = j = 0; i < sel->n; i++)
				if (sel->w[i] != wl_find(tok + 1))
					sel->w[j++] = sel->w[i];
			sel->n = j;
			continue;
		}
		if (!wl_find(tok)) {
			fprintf(stderr, "scf-bench: unknown workload '%s'; "
				"--list shows them\n", tok);
			free(dup);
			return -1;
		}
		if (sel->n < MAX_SEL)
			sel->w[sel->n++] = wl_find(tok);
	}
	free(dup);
	if (!sel->n) {
		fprintf(stderr, "scf-bench: --workloads '%s' selects no "
			"workload; --list shows them\n", list);
		return -1;
	}
	return 0;
}

/* Payload sizes: 8 B to 1 MiB, in powers of 4, then 1 MiB itself. */
static const uint64_t payload_sizes[] = {
	8, 32, 128, 512, 2048, 8192, 32768, 131072, 524288, 1048576,
};
#define NPAYLOAD (sizeof(payload_sizes) / sizeof(payload_sizes[0]))
/* Bytes one sample of the sweep moves at most: keeps 1 MiB runs short. */
#define PAYLOAD_SAMPLE_BYTES (64ull << 20)

static int count_runs(const struct sel *sel)
{
	int i, n = 0;

	for (i = 0; i < sel->n; i++)
		n += strcmp(sel->w[i]->name, "payload") ? 1 : 2 * (int)NPAYLOAD;
	return n;
}

void run_all(struct bench *b, const struct sel *sel)
{
	int i, k = 0, nk = count_runs(sel);
	bool any_fwd = false;

	/* Peers first, with nothing else spinning on the shadow's CPU. */
	for (i = 0; i < sel->n && !bench_interrupted; i++) {
		if (sel->w[i]->kind == WL_PEER)
			run_peer(b, sel->w[i], ++k, nk);
		else
			any_fwd = true;
	}
	if (!any_fwd || bench_interrupted)
		return;
	if (bench_region_create(b) || bench_shadow_start(b) ||
	    bench_notify_attach(b)) {
		b->failures++;
		return;
	}
	b->c.cancel = &bench_interrupted;
	bench_deadline_arm(b);
	b->c.rec = NULL;
	if (scf_syncmap(&b->c, b->arena, b->arena_size)) {
		fprintf(stderr, "scf-bench: syncmap of the arena failed\n");
		b->failures++;
		return;
	}
	for (i = 0; i < sel->n && !bench_interrupted && !b->c.timed_out; i++) {
		const struct wl *w = sel->w[i];
		unsigned j, ms;

		if (w->kind != WL_FWD)
			continue;
		if (w->run) {		/* its own loop: calls in flight together */
			w->run(b, w, ++k, nk);
			continue;
		}
		if (strcmp(w->name, "payload")) {
			run_fwd(b, w, w->name, 0, b->memsync, b->cycles, ++k, nk);
			continue;
		}
		for (ms = 0; ms < 2; ms++) {
			for (j = 0; j < NPAYLOAD && !bench_interrupted &&
				    !b->c.timed_out; j++) {
				uint64_t sz = payload_sizes[j];
				uint64_t cyc = PAYLOAD_SAMPLE_BYTES / sz;
				char name[64];

				if (cyc > b->cycles)
					cyc = b->cycles;
				if (cyc < 1)
					cyc = 1;
				snprintf(name, sizeof(name), "payload-%s-%llu",
					 ms ? "map" : "copy",
					 (unsigned long long)sz);
				run_fwd(b, w, name, sz, ms, (uint32_t)cyc, ++k, nk);
			}
		}
	}
}
