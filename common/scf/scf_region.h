/* SPDX-License-Identifier: MIT */
/*
 * scf_region.h - laying out, checking and attaching the shared region.
 *
 * The creator (the RTOS side) formats the region; either side attaches a
 * slot's queue through scf_queue_attach(), which reads every header field
 * exactly once into private memory, checks it, and from then on uses only
 * the private copy: a peer rewriting the header later changes nothing.
 */
#ifndef SCF_REGION_H
#define SCF_REGION_H

#include "scf_abi.h"
#include "scf_discipline.h"

/* What the creator chooses. */
struct scf_geom {
	uint32_t nr_slots;
	uint32_t capacity;	/* power of two */
	uint32_t ring;		/* enum scf_ring_discipline */
	uint32_t pool_chunk;	/* payload bytes per descriptor, multiple of 64 */
	uint32_t late_cap;	/* power of two */
	uint64_t slot_stride;	/* 0: the minimum; else a page multiple >= it
				 * (a kernel region with fixed-size slots) */
};

#define SCF_GEOM_DEFAULT_CAPACITY	16u
#define SCF_GEOM_DEFAULT_CHUNK		(1u << 20)
#define SCF_GEOM_DEFAULT_LATE		1024u
#define SCF_GEOM_DEFAULT_SLOTS		4u

/* Region geometry as checked, in private memory. */
struct scf_region_info {
	uint32_t nr_slots;
	uint64_t region_size;
	uint64_t slot_off;
	uint64_t slot_stride;
};

/* One side's private view of one SCF slot's queue. */
struct scf_queue {
	struct scf_qhdr *hdr;
	struct scf_desc *desc;		/* [capacity] */
	struct scf_late *late;		/* [late_cap] */
	uint8_t *pool;			/* capacity * pool_chunk bytes */
	uint32_t slot;
	uint32_t capacity;
	uint32_t pool_chunk;
	uint32_t late_cap;
	uint32_t ring;
	uint64_t pool_size;
	struct scf_ring req;		/* client produces, shadow consumes */
	struct scf_ring rsp;		/* shadow produces, client consumes */
	struct scf_ring lat;		/* late log: shadow -> client */
};

void scf_geom_default(struct scf_geom *g);
/* 0 when g is valid; else the SCF_E* code that attach would give. */
int scf_geom_check(const struct scf_geom *g);
/* Bytes of one slot (page multiple) and of the whole region. */
uint64_t scf_slot_stride(const struct scf_geom *g);
uint64_t scf_region_size(const struct scf_geom *g);
/* Format a region of size bytes: control page and every queue page. */
int scf_region_format(void *mem, uint64_t size, const struct scf_geom *g);

/*
 * Check the control page of a region of size bytes.  Nothing past the
 * first page is read, and nothing at all before size is known to cover it.
 */
int scf_region_check(const void *mem, uint64_t size,
		     struct scf_region_info *info);
/* Check slot's queue page and bind the rings; -SCF_E* on any mismatch. */
int scf_queue_attach(struct scf_queue *q, void *mem, uint64_t size,
		     uint32_t slot);
/* Zero a slot's indices and doorbells (the creator, before handing it out). */
void scf_queue_reset(struct scf_queue *q);

/* Slot table in the control page, claimed by compare-and-swap. */
int scf_slot_alloc(void *mem, const struct scf_region_info *info,
		   int32_t client_pid);
int scf_slot_free(void *mem, const struct scf_region_info *info,
		  uint32_t slot);
/* Slots currently in use (for leak checks). */
uint32_t scf_slot_count_used(const void *mem,
			     const struct scf_region_info *info);

/* A fixed message for an SCF_E* code or a Linux errno (negative or not). */
const char *scf_strerror(int err);

#endif /* SCF_REGION_H */
