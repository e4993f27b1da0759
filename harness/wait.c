// SPDX-License-Identifier: MIT
/*
 * wait.c - the receivers' wait policy (--wait), resolved for the picked
 * backend, and the policy each result records.  Like is compared with
 * like: the raw peer that stands for a variant's notification (futex,
 * signal) waits as that variant's receivers do, and every result says how
 * its receivers waited, so a table never sets a spinning SCF beside a
 * sleeping peer unlabelled.
 */
#include <stdio.h>

#include "bench.h"
#include "scf_wait.h"

int bench_wait_pick(struct bench *b)
{
	char want[32];

	if (scf_notify_wait_pick(b->backend, &b->wait_req, &b->wait)) {
		fprintf(stderr, "scf-bench: backend %s/%s cannot wait by '%s'\n",
			scf_notify_name(), b->backend,
			scf_wait_format(&b->wait_req, want, sizeof(want)));
		return -1;
	}
	if (b->wait.kind == SCF_WAIT_DEFAULT)
		snprintf(b->wait_name, sizeof(b->wait_name), "as registered");
	else
		scf_wait_format(&b->wait, b->wait_name, sizeof(b->wait_name));
	return 0;
}

void bench_wait_attached(struct bench *b, const struct scf_notify *n)
{
	struct scf_wait_policy w = scf_notify_policy(n);

	scf_wait_format(&w, b->wait_name, sizeof(b->wait_name));
}

/*
 * --wait as asked, not as this variant resolved it: the peers run once,
 * with the first variant of a run (poll, whose receivers can only spin),
 * and stand for the others' notifications (futex for ipi, signal for
 * uintr emul), whose receivers sleep unless --wait says otherwise.
 */
struct scf_wait_policy peer_wait_follows(const struct bench *b)
{
	struct scf_wait_policy w = b->wait_req;

	if (w.kind == SCF_WAIT_DEFAULT)
		w.kind = SCF_WAIT_SLEEP;
	return w;
}

struct scf_wait_policy peer_wait_spin(const struct bench *b)
{
	struct scf_wait_policy w = { .kind = SCF_WAIT_SPIN };

	(void)b;
	return w;
}

struct scf_wait_policy peer_wait_sleep(const struct bench *b)
{
	struct scf_wait_policy w = { .kind = SCF_WAIT_SLEEP };

	(void)b;
	return w;
}
