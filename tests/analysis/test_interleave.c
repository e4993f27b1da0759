// SPDX-License-Identifier: MIT
/*
 * test_interleave.c - result_interleaved(): a ratio is taken only between
 * results of one round-robin run or of one interleaved pair run, and the
 * reader fills the ordering from config and context.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "result.h"

static struct run_order order(const char *mode, const char *group,
			      const char *run)
{
	struct run_order o;

	snprintf(o.mode, sizeof(o.mode), "%s", mode);
	snprintf(o.group, sizeof(o.group), "%s", group);
	snprintf(o.run, sizeof(o.run), "%s", run);
	return o;
}

static void same_round_robin_run(void **state)
{
	struct run_order a = order("round-robin", "", "scf-bench --workloads all");
	struct run_order b = a;

	(void)state;
	assert_true(result_interleaved(&a, &b));
}

static void other_run_or_sequential(void **state)
{
	struct run_order a = order("round-robin", "", "build/poll/scf-bench x");
	struct run_order b = order("round-robin", "", "build/ipi/scf-bench x");
	struct run_order s = order("sequential", "", "build/poll/scf-bench x");
	struct run_order old = order("", "", "build/poll/scf-bench x");
	struct run_order none = order("round-robin", "", "");

	(void)state;
	assert_false(result_interleaved(&a, &b));
	assert_false(result_interleaved(&a, &s));
	assert_false(result_interleaved(&s, &s));
	assert_false(result_interleaved(&old, &old));
	assert_false(result_interleaved(&none, &none));	/* no run identity */
}

static void interleave_group(void **state)
{
	struct run_order on = order("sequential", "pair-7", "build/poll/scf-bench");
	struct run_order off = order("sequential", "pair-7", "build/poll-noprobes/scf-bench");
	struct run_order other = order("sequential", "pair-8", "build/poll-noprobes/scf-bench");
	struct run_order nogroup = order("sequential", "", "build/poll-noprobes/scf-bench");

	(void)state;
	assert_true(result_interleaved(&on, &off));
	assert_true(result_interleaved(&off, &on));
	assert_false(result_interleaved(&on, &other));
	assert_false(result_interleaved(&nogroup, &nogroup));
}

/* The reader takes the ordering from config and context.cmdline. */
static void reader_fills_ordering(void **state)
{
	static const char doc[] =
		"{\"schema\":\"scf-bench/1\",\"context\":{\"cmdline\":\"b x\"},"
		"\"config\":{\"variant\":\"poll\",\"backend\":\"spin\","
		"\"workload\":\"null\",\"samples\":1,\"cycles\":1,\"payload\":1,"
		"\"memsync\":\"copy\",\"ring\":\"lockfree\",\"probes\":true,"
		"\"order_mode\":\"round-robin\",\"interleave_group\":\"g\"},"
		"\"phases\":{\"total\":{\"count\":0}}}";
	json_t *root = json_loads(doc, 0, NULL);
	struct result r;
	struct aerr e;

	(void)state;
	assert_non_null(root);
	assert_int_equal(result_from_json("x.json", root, &r, &e), 0);
	assert_string_equal(r.cfg.ordering.mode, "round-robin");
	assert_string_equal(r.cfg.ordering.group, "g");
	assert_string_equal(r.cfg.ordering.run, "b x");
	result_free(&r);
	json_decref(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_round_robin_run),
		cmocka_unit_test(other_run_or_sequential),
		cmocka_unit_test(interleave_group),
		cmocka_unit_test(reader_fills_ordering),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
