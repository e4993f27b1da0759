// SPDX-License-Identifier: MIT
/*
 * test_uintr_hw.c - the hw backend on a UINTR CPU and kernel: a thread
 * ping-pong with real SENDUIPI, fds passed over a socketpair.  Where the
 * machine lacks UINTR every test is reported skipped with the reason,
 * e.g. "ok 1 - hw_pingpong # SKIP no UINTR: CPUID.7.0:EDX[5] clear".
 */
#include <pthread.h>
#include <stdio.h>
#include <sys/socket.h>

#include "uintr_test.h"
#include "../tap.h"

#define HW_ROUNDS	20000u

static void *hw_start(void *arg)
{
	struct pp_side *s = ((struct pp_side **)arg)[0];
	struct shm_region *r = ((struct shm_region **)arg)[1];

	s->err = pp_attach(s, r->mem, r->size);
	if (!s->err)
		s->err = pp_run(s);
	scf_notify_detach(s->n);
	return NULL;
}

static void test_hw_pingpong(void **state)
{
	static struct pp_side side[2];
	static struct shm_region r;
	void *args[2][2];
	pthread_t th[2];
	int sv[2], i;

	(void)state;
	memset(side, 0, sizeof(side));
	assert_int_equal(shm_region_make(&r), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	for (i = 0; i < 2; i++) {
		side[i].side = i ? SCF_SIDE_CLIENT : SCF_SIDE_SHADOW;
		side[i].backend = "hw";
		side[i].sock_fd = sv[i];
		side[i].rounds = HW_ROUNDS;
		args[i][0] = &side[i];
		args[i][1] = &r;
		assert_int_equal(pthread_create(&th[i], NULL, hw_start, args[i]), 0);
	}
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < 2; i++) {
		assert_int_equal(side[i].err, 0);
		assert_int_equal(side[i].done, HW_ROUNDS);
		assert_int_equal(side[i].st.timeouts, 0);
		assert_true(side[i].st.interrupts > 0);
	}
	close(sv[0]);
	close(sv[1]);
	shm_region_free(&r);
}

static void test_hw_pick(void **state)
{
	(void)state;
	assert_string_equal(scf_notify_pick("hw"), "hw");
	assert_string_equal(scf_notify_pick(NULL), "hw");
	assert_non_null(uintr_hw_abi_name());
}

static void test_hw_coalescing(void **state)
{
	struct uintr_coalesce co;

	(void)state;
	assert_int_equal(uintr_coalesce_measure("hw", 1000, UINTR_RX_RUNNING,
						-1, -1, &co, NULL), 0);
	assert_true(co.interrupts >= 1 && co.interrupts <= 1000);
	print_message("# coalescing (hw, running receiver): %.1f per 1000 sends\n",
		      co.per_1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hw_pick),
		cmocka_unit_test(test_hw_pingpong),
		cmocka_unit_test(test_hw_coalescing),
	};
	const char *why = uintr_hw_unsupported_reason();
	size_t i, n = sizeof(tests) / sizeof(tests[0]);

	if (why) {
		/* tests/tap.h: cmocka's skip() cannot carry a reason. */
		for (i = 0; i < n; i++)
			tap_skip(why, "%s", tests[i].name + strlen("test_"));
		return tap_done();
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
