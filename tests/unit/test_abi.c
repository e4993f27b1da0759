// SPDX-License-Identifier: MIT
/*
 * test_abi.c - region layout and attach checks: every way a region can be
 * wrong gives its own error, and nothing is read before size covers it.
 */
#include <unistd.h>

#include "helpers.h"

static void test_offsets(void **state)
{
	(void)state;
	/* The _Static_asserts pin these at compile time; this documents them. */
	assert_int_equal(sizeof(struct scf_ctrl), 4096);
	assert_int_equal(sizeof(struct scf_qhdr), 4096);
	assert_int_equal(sizeof(struct scf_desc), 320);
	assert_int_equal(offsetof(struct scf_qhdr, req_head) / 64, 1);
	assert_int_equal(offsetof(struct scf_qhdr, req_tail) / 64, 2);
	assert_int_equal(offsetof(struct scf_qhdr, rsp_head) / 64, 3);
	assert_int_equal(offsetof(struct scf_qhdr, rsp_tail) / 64, 4);
	assert_int_equal(offsetof(struct scf_desc, probe) % 8, 0);
	assert_int_equal(SCF_MAGIC, 0x4643537f);
	assert_memory_equal(&(uint32_t){ SCF_MAGIC }, "\x7fSCF", 4);
}

static void test_roundtrip(void **state)
{
	struct test_region r;
	struct scf_queue q;
	uint8_t *base;

	(void)state;
	test_region_make(&r, 64, SCF_RING_LOCKED, 4096);
	assert_int_equal(scf_queue_attach(&q, r.mem, r.size, 1), 0);
	assert_int_equal(q.capacity, 64);
	assert_int_equal(q.ring, SCF_RING_LOCKED);
	assert_int_equal(q.pool_size, 64 * 4096);
	base = (uint8_t *)q.hdr;
	assert_true((uint8_t *)q.desc > base);
	assert_true(q.pool + q.pool_size <= (uint8_t *)r.mem + r.size);
	assert_int_equal(((uintptr_t)q.desc) % 64, 0);
	assert_int_equal(((uintptr_t)q.pool) % 4096, 0);
	test_region_free(&r);
}

/* Attach a copy of a good region with one field changed. */
static int attach_with(void (*mutate)(struct test_region *), uint64_t size_delta)
{
	struct test_region r;
	struct scf_queue q;
	int ret;

	test_region_make(&r, 16, SCF_RING_LOCKFREE, 256);
	mutate(&r);
	ret = scf_queue_attach(&q, r.mem, r.size - size_delta, 0);
	test_region_free(&r);
	return ret;
}

static struct scf_ctrl *ctrl(struct test_region *r) { return r->mem; }
static struct scf_qhdr *qhdr(struct test_region *r)
{
	return (struct scf_qhdr *)((uint8_t *)r->mem + ctrl(r)->slot_off);
}
static void nothing(struct test_region *r) { (void)r; }
static void bad_magic(struct test_region *r) { ctrl(r)->magic ^= 1; }
static void bad_version(struct test_region *r) { ctrl(r)->version = 99; }
static void bad_nr_slots(struct test_region *r) { ctrl(r)->nr_slots = 0; }
static void many_slots(struct test_region *r) { ctrl(r)->nr_slots = SCF_MAX_SLOTS + 1; }
static void big_claim(struct test_region *r) { ctrl(r)->region_size += 4096; }
static void bad_stride(struct test_region *r) { ctrl(r)->slot_stride += 8; }
static void huge_stride(struct test_region *r) { ctrl(r)->slot_stride = 1ull << 62; }
static void bad_slot_off(struct test_region *r) { ctrl(r)->slot_off = 0; }
static void bad_qmagic(struct test_region *r) { qhdr(r)->qmagic = 0; }
static void cap_not_pow2(struct test_region *r) { qhdr(r)->capacity = 12; }
static void cap_zero(struct test_region *r) { qhdr(r)->capacity = 0; }
static void cap_huge(struct test_region *r) { qhdr(r)->capacity = 1u << 31; }
static void bad_ring(struct test_region *r) { qhdr(r)->ring = 7; }
static void bad_req_off(struct test_region *r) { qhdr(r)->req_off += 4; }
static void overlap(struct test_region *r) { qhdr(r)->desc_off = qhdr(r)->rsp_off; }
static void bad_pool(struct test_region *r) { qhdr(r)->pool_off = 1ull << 40; }
static void bad_desc_size(struct test_region *r) { qhdr(r)->desc_size = 64; }
static void bad_chunk(struct test_region *r) { qhdr(r)->pool_chunk = 100; }

static void test_attach_errors(void **state)
{
	(void)state;
	assert_int_equal(attach_with(nothing, 0), 0);
	assert_int_equal(attach_with(bad_magic, 0), -SCF_EBADMAGIC);
	assert_int_equal(attach_with(bad_version, 0), -SCF_EBADVERSION);
	assert_int_equal(attach_with(bad_nr_slots, 0), -SCF_EBADSLOT);
	assert_int_equal(attach_with(many_slots, 0), -SCF_EBADSLOT);
	assert_int_equal(attach_with(big_claim, 0), -SCF_ETOOSMALL);
	assert_int_equal(attach_with(nothing, 4096), -SCF_ETOOSMALL);
	assert_int_equal(attach_with(bad_stride, 0), -SCF_EBADOFF);
	assert_int_equal(attach_with(huge_stride, 0), -SCF_ETOOSMALL);
	assert_int_equal(attach_with(bad_slot_off, 0), -SCF_EBADOFF);
	assert_int_equal(attach_with(bad_qmagic, 0), -SCF_EBADQMAGIC);
	assert_int_equal(attach_with(cap_not_pow2, 0), -SCF_EBADCAP);
	assert_int_equal(attach_with(cap_zero, 0), -SCF_EBADCAP);
	assert_int_equal(attach_with(cap_huge, 0), -SCF_EBADCAP);
	assert_int_equal(attach_with(bad_ring, 0), -SCF_EBADRING);
	assert_int_equal(attach_with(bad_req_off, 0), -SCF_EBADOFF);
	assert_int_equal(attach_with(overlap, 0), -SCF_EBADOFF);
	assert_int_equal(attach_with(bad_pool, 0), -SCF_EBADOFF);
	assert_int_equal(attach_with(bad_desc_size, 0), -SCF_EBADOFF);
	assert_int_equal(attach_with(bad_chunk, 0), -SCF_EBADOFF);
}

static void test_bad_slot_number(void **state)
{
	struct test_region r;
	struct scf_queue q;

	(void)state;
	test_region_make(&r, 4, SCF_RING_LOCKFREE, 64);
	assert_int_equal(scf_queue_attach(&q, r.mem, r.size, 2), -SCF_EBADSLOT);
	test_region_free(&r);
}

/* Distinct codes, each with its own message. */
static void test_messages(void **state)
{
	int a, b;

	(void)state;
	for (a = SCF_ERR_BASE + 1; a <= SCF_ERR_LAST; a++) {
		assert_string_not_equal(scf_strerror(-a), "unknown error");
		for (b = a + 1; b <= SCF_ERR_LAST; b++)
			assert_string_not_equal(scf_strerror(-a), scf_strerror(-b));
	}
}

/*
 * A region too small for its control page is refused without a single
 * read: the page is PROT_NONE, so any access would crash the test.
 */
static void test_no_read_before_check(void **state)
{
	long pg = sysconf(_SC_PAGESIZE);
	void *p = mmap(NULL, (size_t)pg, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct scf_region_info info;
	struct scf_queue q;

	(void)state;
	assert_true(p != MAP_FAILED);
	assert_int_equal(scf_region_check(p, 100, &info), -SCF_ETOOSMALL);
	assert_int_equal(scf_queue_attach(&q, p, 4095, 0), -SCF_ETOOSMALL);
	assert_int_equal(scf_region_check(NULL, 1 << 20, &info), -SCF_ETOOSMALL);
	munmap(p, (size_t)pg);
}

static void test_format_rejects(void **state)
{
	struct scf_geom g;
	char buf[8192];

	(void)state;
	scf_geom_default(&g);
	g.capacity = 3;
	assert_int_equal(scf_region_format(buf, sizeof(buf), &g), -SCF_EBADCAP);
	scf_geom_default(&g);
	assert_int_equal(scf_region_format(buf, sizeof(buf), &g), -SCF_ETOOSMALL);
	g.ring = 5;
	assert_int_equal(scf_geom_check(&g), -SCF_EBADRING);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_offsets),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_attach_errors),
		cmocka_unit_test(test_bad_slot_number),
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_no_read_before_check),
		cmocka_unit_test(test_format_rejects),
	};

	return cmocka_run_group_tests_name("abi", tests, NULL, NULL);
}
