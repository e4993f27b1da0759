// SPDX-License-Identifier: MIT
#include "scf_desc.h"

int scf_desc_alloc_init(struct scf_desc_alloc *a, uint32_t capacity,
			uint32_t *stack, uint8_t *used)
{
	uint32_t i;

	if (capacity < SCF_CAP_MIN || capacity > SCF_CAP_MAX || !stack || !used)
		return -SCF_EINVAL;
	a->capacity = capacity;
	a->stack = stack;
	a->used = used;
	/* Index 0 on top: the first calls use the lowest descriptors. */
	for (i = 0; i < capacity; i++) {
		stack[i] = capacity - 1 - i;
		used[i] = 0;
	}
	a->nfree = capacity;
	return 0;
}

int scf_desc_get(struct scf_desc_alloc *a)
{
	uint32_t idx;

	if (!a->nfree)
		return -SCF_EAGAIN;
	idx = a->stack[--a->nfree];
	a->used[idx] = 1;
	return (int)idx;
}

int scf_desc_put(struct scf_desc_alloc *a, uint32_t idx)
{
	if (idx >= a->capacity || !a->used[idx])
		return -SCF_EINVAL;
	a->used[idx] = 0;
	a->stack[a->nfree++] = idx;
	return 0;
}
