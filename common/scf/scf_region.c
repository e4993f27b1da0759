// SPDX-License-Identifier: MIT
/*
 * scf_region.c - format, check and attach the shared region.
 */
#include "scf_region.h"
#include "scf_arch.h"

static bool is_pow2(uint32_t v)
{
	return v && !(v & (v - 1));
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/* Offsets of a slot's sections, as the creator lays them out. */
struct queue_layout {
	uint64_t req_off, rsp_off, desc_off, late_off, pool_off, queue_size;
};

static void queue_layout(uint32_t capacity, uint32_t late_cap,
			 uint32_t pool_chunk, struct queue_layout *l)
{
	l->req_off = SCF_QHDR_SIZE;
	l->rsp_off = align_up(l->req_off + 4ull * capacity, SCF_CACHELINE);
	l->desc_off = align_up(l->rsp_off + 4ull * capacity, SCF_CACHELINE);
	l->late_off = align_up(l->desc_off +
			       (uint64_t)sizeof(struct scf_desc) * capacity,
			       SCF_CACHELINE);
	l->pool_off = align_up(l->late_off +
			       (uint64_t)sizeof(struct scf_late) * late_cap,
			       SCF_PAGE_SIZE);
	l->queue_size = l->pool_off + (uint64_t)pool_chunk * capacity;
}

static uint64_t min_stride(const struct scf_geom *g)
{
	struct queue_layout l;

	queue_layout(g->capacity, g->late_cap, g->pool_chunk, &l);
	return align_up(l.queue_size, SCF_PAGE_SIZE);
}

void scf_geom_default(struct scf_geom *g)
{
	g->nr_slots = SCF_GEOM_DEFAULT_SLOTS;
	g->capacity = SCF_GEOM_DEFAULT_CAPACITY;
	g->ring = SCF_RING_LOCKFREE;
	g->pool_chunk = SCF_GEOM_DEFAULT_CHUNK;
	g->late_cap = SCF_GEOM_DEFAULT_LATE;
	g->slot_stride = 0;
}

int scf_geom_check(const struct scf_geom *g)
{
	if (!g->nr_slots || g->nr_slots > SCF_MAX_SLOTS)
		return -SCF_EBADSLOT;
	if (!is_pow2(g->capacity) || g->capacity > SCF_CAP_MAX)
		return -SCF_EBADCAP;
	if (!is_pow2(g->late_cap) || g->late_cap > SCF_LATE_CAP_MAX)
		return -SCF_EBADCAP;
	if (g->ring > SCF_RING_INLINE)
		return -SCF_EBADRING;
	if (g->pool_chunk % SCF_CACHELINE || g->pool_chunk > SCF_POOL_CHUNK_MAX)
		return -SCF_EBADOFF;
	if (g->slot_stride && (g->slot_stride % SCF_PAGE_SIZE ||
			       g->slot_stride < min_stride(g)))
		return -SCF_EBADOFF;
	return 0;
}

uint64_t scf_slot_stride(const struct scf_geom *g)
{
	uint64_t min = min_stride(g);

	return g->slot_stride > min ? g->slot_stride : min;
}

uint64_t scf_region_size(const struct scf_geom *g)
{
	return SCF_CTRL_SIZE + scf_slot_stride(g) * g->nr_slots;
}

int scf_region_format(void *mem, uint64_t size, const struct scf_geom *g)
{
	struct scf_ctrl *ctrl = mem;
	struct queue_layout l;
	uint64_t stride;
	uint32_t i;
	int ret;

	ret = scf_geom_check(g);
	if (ret)
		return ret;
	if (size < scf_region_size(g))
		return -SCF_ETOOSMALL;
	queue_layout(g->capacity, g->late_cap, g->pool_chunk, &l);
	stride = scf_slot_stride(g);

	/* A kernel region may hold a previous run's state: clear the headers. */
	ctrl->magic = 0;
	atomic_thread_fence(memory_order_release);
	__builtin_memset((uint8_t *)mem + 4, 0, SCF_CTRL_SIZE - 4);
	ctrl->version = SCF_ABI_VERSION;
	ctrl->ctrl_size = SCF_CTRL_SIZE;
	ctrl->nr_slots = g->nr_slots;
	ctrl->region_size = scf_region_size(g);
	ctrl->slot_off = SCF_CTRL_SIZE;
	ctrl->slot_stride = stride;
	for (i = 0; i < g->nr_slots; i++) {
		struct scf_qhdr *q = (struct scf_qhdr *)((uint8_t *)mem +
				     SCF_CTRL_SIZE + stride * i);

		__builtin_memset(q, 0, SCF_QHDR_SIZE);
		q->capacity = g->capacity;
		q->ring = g->ring;
		q->desc_size = sizeof(struct scf_desc);
		q->pool_chunk = g->pool_chunk;
		q->late_cap = g->late_cap;
		q->req_off = (uint32_t)l.req_off;
		q->rsp_off = (uint32_t)l.rsp_off;
		q->desc_off = (uint32_t)l.desc_off;
		q->late_off = (uint32_t)l.late_off;
		q->pool_off = l.pool_off;
		q->queue_size = l.queue_size;
		q->qmagic = SCF_QMAGIC;
	}
	/*
	 * Magic last: an attacher that sees it sees a complete header.  The
	 * release pairs with nothing in-process; processes attach after the
	 * creator has handed them the region (fork/exec or an fd), which is
	 * a full barrier, so this is belt and braces.
	 */
	atomic_thread_fence(memory_order_release);
	ctrl->magic = SCF_MAGIC;
	return 0;
}

int scf_region_check(const void *mem, uint64_t size,
		     struct scf_region_info *info)
{
	const struct scf_ctrl *ctrl = mem;
	uint64_t slot_off, stride, rsize, need;
	uint32_t nr;

	/* Not one byte is read before we know the control page is there. */
	if (!mem || size < SCF_CTRL_SIZE)
		return -SCF_ETOOSMALL;
	if (SCF_READ_ONCE(ctrl->magic) != SCF_MAGIC)
		return -SCF_EBADMAGIC;
	if (SCF_READ_ONCE(ctrl->version) != SCF_ABI_VERSION)
		return -SCF_EBADVERSION;
	if (SCF_READ_ONCE(ctrl->ctrl_size) != SCF_CTRL_SIZE)
		return -SCF_EBADOFF;
	nr = SCF_READ_ONCE(ctrl->nr_slots);
	rsize = SCF_READ_ONCE(ctrl->region_size);
	slot_off = SCF_READ_ONCE(ctrl->slot_off);
	stride = SCF_READ_ONCE(ctrl->slot_stride);
	if (!nr || nr > SCF_MAX_SLOTS)
		return -SCF_EBADSLOT;
	if (rsize > size)
		return -SCF_ETOOSMALL;
	if (slot_off < SCF_CTRL_SIZE || slot_off % SCF_PAGE_SIZE ||
	    stride < SCF_QHDR_SIZE || stride % SCF_PAGE_SIZE)
		return -SCF_EBADOFF;
	/* nr <= 32 and stride < 2^59 below, so the product cannot wrap. */
	if (stride > rsize || slot_off > rsize)
		return -SCF_ETOOSMALL;
	need = slot_off + stride * nr;
	if (need > rsize)
		return -SCF_ETOOSMALL;
	info->nr_slots = nr;
	info->region_size = rsize;
	info->slot_off = slot_off;
	info->slot_stride = stride;
	return 0;
}

int scf_queue_attach(struct scf_queue *q, void *mem, uint64_t size,
		     uint32_t slot)
{
	struct scf_region_info info;
	struct scf_qhdr *h;
	struct queue_layout want;
	uint32_t cap, late_cap, chunk, ring;
	uint64_t qsize;
	uint8_t *base;
	int ret;

	ret = scf_region_check(mem, size, &info);
	if (ret)
		return ret;
	if (slot >= info.nr_slots)
		return -SCF_EBADSLOT;
	base = (uint8_t *)mem + info.slot_off + info.slot_stride * slot;
	h = (struct scf_qhdr *)base;

	if (SCF_READ_ONCE(h->qmagic) != SCF_QMAGIC)
		return -SCF_EBADQMAGIC;
	cap = SCF_READ_ONCE(h->capacity);
	late_cap = SCF_READ_ONCE(h->late_cap);
	chunk = SCF_READ_ONCE(h->pool_chunk);
	ring = SCF_READ_ONCE(h->ring);
	if (!is_pow2(cap) || cap > SCF_CAP_MAX ||
	    !is_pow2(late_cap) || late_cap > SCF_LATE_CAP_MAX)
		return -SCF_EBADCAP;
	if (ring > SCF_RING_INLINE)
		return -SCF_EBADRING;
	if (chunk % SCF_CACHELINE || chunk > SCF_POOL_CHUNK_MAX ||
	    SCF_READ_ONCE(h->desc_size) != sizeof(struct scf_desc))
		return -SCF_EBADOFF;
	/*
	 * The sections must sit exactly where the creator's layout puts them
	 * for this geometry: that one comparison rules out misalignment,
	 * overlap and every arithmetic overflow at once.
	 */
	queue_layout(cap, late_cap, chunk, &want);
	qsize = SCF_READ_ONCE(h->queue_size);
	if (SCF_READ_ONCE(h->req_off) != want.req_off ||
	    SCF_READ_ONCE(h->rsp_off) != want.rsp_off ||
	    SCF_READ_ONCE(h->desc_off) != want.desc_off ||
	    SCF_READ_ONCE(h->late_off) != want.late_off ||
	    SCF_READ_ONCE(h->pool_off) != want.pool_off ||
	    qsize != want.queue_size)
		return -SCF_EBADOFF;
	if (qsize > info.slot_stride)
		return -SCF_ETOOSMALL;

	q->hdr = h;
	q->slot = slot;
	q->capacity = cap;
	q->late_cap = late_cap;
	q->pool_chunk = chunk;
	q->ring = ring;
	q->desc = (struct scf_desc *)(base + want.desc_off);
	q->late = (struct scf_late *)(base + want.late_off);
	q->pool = base + want.pool_off;
	q->pool_size = (uint64_t)chunk * cap;
	scf_ring_bind(&q->req, &h->req_head.v, &h->req_tail.v, &h->req_lock.v,
		      (_Atomic uint32_t *)(base + want.req_off), cap, ring);
	scf_ring_bind(&q->rsp, &h->rsp_head.v, &h->rsp_tail.v, &h->rsp_lock.v,
		      (_Atomic uint32_t *)(base + want.rsp_off), cap, ring);
	scf_ring_bind(&q->lat, &h->late_head.v, &h->late_tail.v, 0, 0,
		      late_cap, SCF_RING_LOCKFREE);
	return 0;
}

void scf_queue_reset(struct scf_queue *q)
{
	struct scf_qhdr *h = q->hdr;
	int side;

	atomic_store_explicit(&h->req_head.v, 0, memory_order_relaxed);
	atomic_store_explicit(&h->req_tail.v, 0, memory_order_relaxed);
	atomic_store_explicit(&h->rsp_head.v, 0, memory_order_relaxed);
	atomic_store_explicit(&h->rsp_tail.v, 0, memory_order_relaxed);
	atomic_store_explicit(&h->req_lock.v, 0, memory_order_relaxed);
	atomic_store_explicit(&h->rsp_lock.v, 0, memory_order_relaxed);
	atomic_store_explicit(&h->late_head.v, 0, memory_order_relaxed);
	atomic_store_explicit(&h->late_tail.v, 0, memory_order_relaxed);
	/* A new client numbers its requests from 1 again. */
	atomic_store_explicit(&h->taken.v, 0, memory_order_relaxed);
	for (side = 0; side < SCF_SIDE_NR; side++) {
		atomic_store_explicit(&h->bell[side].seq, 0,
				      memory_order_relaxed);
		atomic_store_explicit(&h->bell[side].waiting, 0,
				      memory_order_relaxed);
	}
	q->req.prod = q->req.cons = q->req.tail_seen = q->req.head_seen = 0;
	q->rsp.prod = q->rsp.cons = q->rsp.tail_seen = q->rsp.head_seen = 0;
	q->lat.prod = q->lat.cons = q->lat.tail_seen = q->lat.head_seen = 0;
	/* Publish the reset before the slot is handed to a peer. */
	atomic_thread_fence(memory_order_release);
}

static struct scf_slot_ent *slot_ent(void *mem, uint32_t slot)
{
	return &((struct scf_ctrl *)mem)->slot[slot];
}

int scf_slot_alloc(void *mem, const struct scf_region_info *info,
		   int32_t client_pid)
{
	uint32_t i;

	for (i = 0; i < info->nr_slots; i++) {
		struct scf_slot_ent *e = slot_ent(mem, i);
		uint32_t expect = SCF_SLOT_FREE;

		/*
		 * acq_rel: acquire pairs with the release in scf_slot_free()
		 * so the previous owner is done with the slot; release orders
		 * nothing yet, the owner fields are written after.
		 */
		if (atomic_compare_exchange_strong_explicit(&e->state, &expect,
				SCF_SLOT_USED, memory_order_acq_rel,
				memory_order_relaxed)) {
			e->client_pid = client_pid;
			e->shadow_pid = 0;
			e->gen++;
			atomic_store_explicit(&e->refs, 1, memory_order_relaxed);
			return (int)i;
		}
	}
	return -SCF_EAGAIN;
}

int scf_slot_free(void *mem, const struct scf_region_info *info,
		  uint32_t slot)
{
	struct scf_slot_ent *e;
	uint32_t expect = SCF_SLOT_USED;

	if (slot >= info->nr_slots)
		return -SCF_EBADSLOT;
	e = slot_ent(mem, slot);
	e->client_pid = 0;
	e->shadow_pid = 0;
	atomic_store_explicit(&e->refs, 0, memory_order_relaxed);
	/* release: pairs with the acquire in scf_slot_alloc() */
	if (!atomic_compare_exchange_strong_explicit(&e->state, &expect,
			SCF_SLOT_FREE, memory_order_release,
			memory_order_relaxed))
		return -SCF_EINVAL;	/* double free */
	return 0;
}

uint32_t scf_slot_count_used(const void *mem,
			     const struct scf_region_info *info)
{
	const struct scf_ctrl *ctrl = mem;
	uint32_t i, n = 0;

	for (i = 0; i < info->nr_slots; i++)
		n += atomic_load_explicit(&ctrl->slot[i].state,
					  memory_order_acquire) == SCF_SLOT_USED;
	return n;
}
