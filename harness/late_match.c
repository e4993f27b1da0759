// SPDX-License-Identifier: MIT
/*
 * late_match.c - S5 stamps matched to their records by seq.
 */
#include "late_match.h"

void late_match_one(void *arg, const struct scf_late *l)
{
	struct late_match *m = arg;
	struct scf_rec *rec;

	if (!m || l->seq < m->base || l->seq - m->base >= m->n)
		return;
	rec = &m->recs[l->seq - m->base];
	if (rec->seq != l->seq || rec->late)
		return;
	rec->t[SCF_S5_REPLY_KICKED] = l->s5;
	rec->t[SCF_KR_ENTRY] = l->kr_entry;
	rec->t[SCF_KR_IPI_SENT] = l->kr_ipi_sent;
	rec->late = 1;
	m->matched++;
}
