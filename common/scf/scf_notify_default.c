// SPDX-License-Identifier: MIT
/*
 * scf_notify_default.c - what the notify contract (scf_notify.h) assumes
 * where a variant does not say otherwise: no region device, nothing
 * emulated, any geometry, no doorbell counters.  Weak, so a variant that
 * defines one of these replaces it and a variant that needs none of them
 * omits them all.  Freestanding.
 */
#include "scf_notify.h"

__attribute__((weak)) const char *scf_notify_region_dev(const char *backend)
{
	(void)backend;
	return NULL;
}

__attribute__((weak)) const char *scf_notify_note(const char *backend)
{
	(void)backend;
	return NULL;
}

__attribute__((weak)) int scf_notify_region_fit(const char *backend,
		int dev_fd, struct scf_geom *g, uint64_t *size)
{
	(void)backend;
	(void)dev_fd;
	(void)g;
	(void)size;
	return 0;
}

__attribute__((weak)) int scf_notify_counts(const char *backend, int dev_fd,
		const void *region, struct scf_counters *out)
{
	(void)backend;
	(void)dev_fd;
	(void)region;
	(void)out;
	return -SCF_ENOSYS;
}
