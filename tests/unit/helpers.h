/* SPDX-License-Identifier: MIT */
/* tests/unit/helpers.h - a formatted region in private memory for tests. */
#ifndef TEST_HELPERS_H
#define TEST_HELPERS_H

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <cmocka.h>

#include "scf_region.h"

struct test_region {
	void *mem;
	uint64_t size;
	struct scf_geom geom;
};

static inline void test_region_make(struct test_region *r, uint32_t capacity,
				    uint32_t ring, uint32_t chunk)
{
	scf_geom_default(&r->geom);
	r->geom.capacity = capacity;
	r->geom.ring = ring;
	r->geom.pool_chunk = chunk;
	r->geom.nr_slots = 2;
	r->size = scf_region_size(&r->geom);
	/* mmap gives the zeroed memory scf_region_format() expects. */
	r->mem = mmap(NULL, r->size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(r->mem != MAP_FAILED);
	assert_int_equal(scf_region_format(r->mem, r->size, &r->geom), 0);
}

static inline void test_region_free(struct test_region *r)
{
	munmap(r->mem, r->size);
}

#endif
