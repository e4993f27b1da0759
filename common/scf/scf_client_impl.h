/* SPDX-License-Identifier: MIT */
/*
 * scf_client_impl.h - the steps of a forwarded call that the call path
 * (scf_path.h) and its users (scf_call.c, scf_async.c, scf_client_mt.c)
 * have in common.  Private to the client runtime; static inline, so no
 * path pays a call for sharing them.
 */
#ifndef SCF_CLIENT_IMPL_H
#define SCF_CLIENT_IMPL_H

#include "scf_client.h"
#include "scf_arch.h"
#include "scf_probe.h"

/* Shadow-side stamps travel in the descriptor; copied out at the end. */
static const uint8_t scf_shadow_probes[] = {
	SCF_S0_WOKEN, SCF_S1_POPPED, SCF_S2_VALIDATED, SCF_S3_SERVICED,
	SCF_S4_RESPONDED, SCF_KQ_HANDLER, SCF_KQ_RESUMED,
};

/* Copy the request's bytes into its pool chunk; bytes used or -errno. */
static inline int scf_gather(uint8_t *dst, uint32_t room,
			     const struct scf_req *r)
{
	uint64_t used = r->in_len;
	uint32_t i;

	if (used > room)
		return -SCF_EINVAL;
	if (r->in_len)
		__builtin_memcpy(dst, r->in, r->in_len);
	for (i = 0; i < r->in_nmore; i++) {
		uint64_t len = r->in_more[i].len;

		if (len > room - used)
			return -SCF_EINVAL;
		if (len)
			__builtin_memcpy(dst + used, r->in_more[i].p, len);
		used += len;
	}
	return (int)used;
}

/*
 * Whether request seq stamps every point: one in probe_every, from
 * probe_base on.  A power of two (scf-run's 64, scf-bench's 1) takes a
 * mask: the division it replaces sits before C0 on every call, and C0's
 * fence waits for it.
 */
static inline bool scf_probe_full(const struct scf_client *c, uint64_t seq)
{
	uint64_t every = c->probe_every;

	if (!SCF_PROBES || !every || seq < c->probe_base)
		return false;
	if (!(every & (every - 1)))
		return !((seq - c->probe_base) & (every - 1));
	return (seq - c->probe_base) % every == 0;
}

/* Fill descriptor idx for request r; 0 or -errno (payload too large). */
static inline int scf_marshal(const struct scf_client *c, uint32_t idx,
			      uint64_t seq, const struct scf_req *r, bool full)
{
	const struct scf_queue *q = &c->q;
	struct scf_desc *d = &q->desc[idx];
	uint32_t i;
	int err;

	d->opcode = r->opcode;
	d->flags = (c->memsync == SCF_MEMSYNC_MAP ? SCF_DF_MAP : 0) |
		   (r->flags & SCF_DF_CLIENT_MASK) |
		   (full ? SCF_DF_PROBE : 0);
	d->seq = seq;
	for (i = 0; i < 6; i++)
		d->args[i] = r->args[i];
	/* ret and out_len are the shadow's to write: not touched here. */
	d->payload_off = idx * q->pool_chunk;
	d->payload_len = 0;
	if (r->in_len || r->in_nmore) {
		err = scf_gather(q->pool + d->payload_off, q->pool_chunk, r);
		if (err < 0)
			return err;
		d->payload_len = (uint32_t)err;
	}
	return 0;
}

/*
 * Read the answer out of descriptor idx; the caller has observed the
 * response with acquire ordering.  Like the shadow, the client trusts
 * nothing in the region: ret and out_len are read once, the payload's
 * place comes from idx (the shadow may rewrite payload_off after it
 * answered), and *bad is set when the shadow broke the protocol: an
 * out_len or a ret beyond what was asked for, or a ret that is neither a
 * result nor an errno.
 */
static inline int64_t scf_collect(const struct scf_client *c, uint32_t idx,
				  const struct scf_req *r, bool *bad)
{
	const struct scf_queue *q = &c->q;
	const struct scf_desc *d = &q->desc[idx];
	int64_t ret = SCF_READ_ONCE(d->ret);
	uint32_t out_len;

	*bad = ret < -4095 || (r->out_cap && ret > (int64_t)r->out_cap);
	if (*bad)
		return -SCF_EPROTO;
	if (r->out_cap) {
		out_len = SCF_READ_ONCE(d->out_len);
		if (out_len > r->out_cap || out_len > q->pool_chunk) {
			*bad = true;
			ret = -SCF_EPROTO;
		} else if (out_len) {
			__builtin_memcpy(r->out,
					 q->pool + (uint64_t)idx * q->pool_chunk,
					 out_len);
		}
	}
	return ret;
}

/*
 * Outside the timed window: the shadow's stamps and the identity.  seq is
 * the request number the client wrote into the descriptor, not read back
 * from it: the shadow reads that line as it answers, and reading it again
 * here took a cross-CPU transfer, about 40 TSC ticks a call on an AMD
 * EPYC VM, on every call and outside its total (the late log's seq, which
 * the shadow read from the descriptor, is matched against it).
 */
static inline void scf_rec_finish(struct scf_rec *rec, const struct scf_desc *d,
				  uint64_t seq, const struct scf_req *r,
				  int64_t ret, bool full)
{
	uint32_t i;

	rec->probed = full;
	if (full) {
		for (i = 0; i < sizeof(scf_shadow_probes); i++)
			rec->t[scf_shadow_probes[i]] =
				d->probe[scf_shadow_probes[i]];
	}
	rec->seq = seq;
	rec->ret = ret;
	rec->opcode = r->opcode;
	rec->late = 0;
}

#endif /* SCF_CLIENT_IMPL_H */
