// SPDX-License-Identifier: MIT
/*
 * main.c - the bare-metal RTOS side: find ivshmem, format the SCF region
 * in its shared memory, and run the forwarded workloads through the
 * freestanding core, printing every call's stamps on the serial line.
 *
 * Kernel command line (QEMU -append), words of key=value:
 *   backend=doorbell|poll  samples=N  cycles=N  workloads=a,b,...
 *   probe=1      boot, print the TSC rate and stop
 *   scribble=1   after the workloads, act as a hostile RTOS: overwrite
 *                the queue page and forward calls that try to leave --root
 * Output lines (parsed by variants/ivshmem/scf-ivshmem-run):
 *   T <tsc_hz>                  the guest's TSC rate, against the PIT
 *   H <workload> <samples> <cycles>   set up
 *   P <ticks>                   one ordered stamp's cost
 *   R <workload> <sample> <call> <ret> <probed> <stamp 0> .. <stamp 13>
 *   B <sample> <ticks>          the machine-state gauge after sample
 *   W <workload> calls <n> ok <n>
 */
#include "scf_calls.h"
#include "scf_probe.h"
#include "hw.h"
#include "ivshmem_abi.h"

#define MB_BOOT_MAGIC	0x2badb002u
#define O_RDONLY	0
#define O_WRONLY	1
#define O_RDWR		2
#define O_CREAT		0100
#define O_TRUNC		01000
#define SEEK_SET	0
#define MAX_CYCLES	100000u

struct cfg {
	char backend[16];
	char workloads[128];
	uint32_t samples, cycles;
	bool scribble;
	bool probe;	/* boot, say the TSC rate, stop: does this accelerator run us? */
};

static struct scf_client cli;
static uint32_t alloc_stack[SCF_GEOM_DEFAULT_CAPACITY];
static uint8_t alloc_used[SCF_GEOM_DEFAULT_CAPACITY];
static uint8_t buf[4096];

/* 0 when equal (the core is built without libc, and so is this). */
static int strcmp0(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a != *b;
}

static bool word_is(const char *w, const char *key, const char **val)
{
	while (*key && *w == *key)
		w++, key++;
	if (*key || *w != '=')
		return false;
	*val = w + 1;
	return true;
}

static uint32_t parse_u32(const char *s)
{
	uint64_t v = 0;

	while (*s >= '0' && *s <= '9' && v < 0xffffffffu)
		v = v * 10 + (uint64_t)(*s++ - '0');
	if ((*s && *s != ' ') || v > 0xffffffffu)
		return 0;
	return (uint32_t)v;
}

static void copy_word(char *dst, uint32_t cap, const char *s)
{
	uint32_t n = 0;

	while (*s && *s != ' ' && n + 1 < cap)
		dst[n++] = *s++;
	dst[n] = 0;
}

static void parse_cmdline(const char *p, struct cfg *c)
{
	const char *v;

	copy_word(c->backend, sizeof(c->backend), "doorbell");
	copy_word(c->workloads, sizeof(c->workloads), "null,write");
	c->samples = 5;
	c->cycles = 100;
	while (p && *p) {
		while (*p == ' ')
			p++;
		if (word_is(p, "backend", &v))
			copy_word(c->backend, sizeof(c->backend), v);
		else if (word_is(p, "workloads", &v))
			copy_word(c->workloads, sizeof(c->workloads), v);
		else if (word_is(p, "samples", &v))
			c->samples = parse_u32(v);
		else if (word_is(p, "cycles", &v))
			c->cycles = parse_u32(v);
		else if (word_is(p, "scribble", &v))
			c->scribble = *v == '1';
		else if (word_is(p, "probe", &v))
			c->probe = *v == '1';
		while (*p && *p != ' ')
			p++;
	}
}

/* ---- the workloads: the same calls as workloads/wl_syscalls.c ---- */

struct wl_state {
	int64_t fd;
	uint8_t byte;		/* this workload's own 1-byte buffer */
	uint64_t n;		/* calls so far, for read's expected byte */
};

static int64_t fwd_setup_open(const char *path, int flags)
{
	cli.rec = 0;		/* setup calls are not measured */
	return scf_openat(&cli, SCF_AT_FDCWD, path, flags, 0644);
}

static int wl_setup(const char *w, struct wl_state *st, uint64_t total)
{
	uint64_t off;

	st->fd = -1;
	st->n = 0;
	if (!strcmp0(w, "null"))
		return 0;
	if (!strcmp0(w, "write") || !strcmp0(w, "write-noservice") ||
	    !strcmp0(w, "write-nomem")) {
		st->fd = fwd_setup_open(w[5] ? "write-cfg.dat" : "write.dat",
					O_WRONLY | O_CREAT | O_TRUNC);
		st->byte = 'w';
		return st->fd < 0 ? -1 : 0;
	}
	if (!strcmp0(w, "openclose")) {
		st->fd = fwd_setup_open("openclose.dat", O_WRONLY | O_CREAT | O_TRUNC);
		if (st->fd < 0)
			return -1;
		scf_close(&cli, (int)st->fd);
		st->fd = -1;
		return 0;
	}
	if (!strcmp0(w, "read")) {
		/* A file of byte i = i mod 251, one byte per call to come. */
		st->fd = fwd_setup_open("read.dat", O_RDWR | O_CREAT | O_TRUNC);
		if (st->fd < 0)
			return -1;
		for (off = 0; off < total; off += sizeof(buf)) {
			uint64_t i, len = total - off < sizeof(buf) ?
					  total - off : sizeof(buf);

			for (i = 0; i < len; i++)
				buf[i] = (uint8_t)((off + i) % 251);
			if (scf_pwrite64(&cli, (int)st->fd, buf, len,
					 (int64_t)off) != (int64_t)len)
				return -1;
		}
		return scf_lseek(&cli, (int)st->fd, 0, SEEK_SET) == 0 ? 0 : -1;
	}
	return -2;
}

static bool wl_op(const char *w, struct wl_state *st, uint64_t i, int64_t *ret)
{
	struct scf_req r = { .opcode = SCF_OP_WRITE,
			     .args = { (uint64_t)st->fd, 0, 1 } };

	if (!strcmp0(w, "null"))
		return (*ret = scf_null(&cli)) == 0;
	if (!strcmp0(w, "write"))
		return (*ret = scf_write(&cli, (int)st->fd, &st->byte, 1)) == 1;
	if (!strcmp0(w, "write-noservice")) {
		r.in = &st->byte;
		r.in_len = 1;
		r.flags = SCF_DF_NOSERVICE;
		return (*ret = scf_call(&cli, &r)) == 1;
	}
	if (!strcmp0(w, "write-nomem")) {
		r.flags = SCF_DF_NOMEM;
		return (*ret = scf_call(&cli, &r)) == 1;
	}
	if (!strcmp0(w, "openclose")) {
		if (!(i & 1)) {
			st->fd = *ret = scf_openat(&cli, SCF_AT_FDCWD,
						   "openclose.dat", O_RDONLY, 0);
			return *ret >= 0;
		}
		*ret = scf_close(&cli, (int)st->fd);
		st->fd = -1;
		return *ret == 0;
	}
	/* read: one byte, the one the file holds at this offset */
	st->byte = 0;
	*ret = scf_read(&cli, (int)st->fd, &st->byte, 1);
	return *ret == 1 && st->byte == (uint8_t)(st->n++ % 251);
}

static void wl_teardown(struct wl_state *st)
{
	cli.rec = 0;
	if (st->fd >= 0)
		scf_close(&cli, (int)st->fd);
	st->fd = -1;
}

#define MAX_WL	8

struct wl_run {
	char name[32];
	struct wl_state st;
	uint64_t calls, ok;
	bool ready;
};

/* One sample of w: cycles calls, each printed with every stamp. */
static void run_sample(struct wl_run *w, uint32_t s, uint32_t cycles)
{
	struct scf_rec rec;
	uint32_t i, k;

	for (i = 0; i < cycles; i++) {
		int64_t ret = 0;

		__builtin_memset(&rec, 0, sizeof(rec));
		cli.rec = &rec;
		w->calls++;
		w->ok += wl_op(w->name, &w->st, i, &ret);
		con_printf("R %s %u %u %ld %u", w->name, s, i, ret, rec.probed);
		for (k = 0; k <= SCF_C7_DONE; k++)
			con_printf(" %lu", rec.t[k]);
		con_printf("\n");
	}
}

/*
 * The machine-state gauge after each sample: a fixed dependent loop on
 * the guest's vCPU, its median of 31 runs in TSC ticks (a level that
 * moves says the machine changed under the sample).
 */
static void print_baseline(uint32_t s)
{
	uint64_t v[31], t0, x = 1;
	uint32_t i, j, k;

	for (i = 0; i < 31; i++) {
		t0 = scf_rdtsc_ordered();
		for (j = 0; j < 1000; j++)
			__asm__ __volatile__("" : "+r"(x) : : );
		v[i] = scf_rdtsc_ordered() - t0;
	}
	for (i = 1; i < 31; i++)
		for (k = i; k && v[k - 1] > v[k]; k--) {
			t0 = v[k];
			v[k] = v[k - 1];
			v[k - 1] = t0;
		}
	con_printf("B %u %lu\n", s, v[15]);
}

/* What one ordered stamp costs here: the least of many back-to-back pairs. */
static void print_stamp_cost(void)
{
	uint64_t best = ~0ull, a, b;
	uint32_t i;

	for (i = 0; i < 1000; i++) {
		a = scf_rdtsc_ordered();
		b = scf_rdtsc_ordered();
		if (b - a < best)
			best = b - a;
	}
	con_printf("P %lu\n", best);
}

/*
 * Every workload is set up first, then the samples go round-robin (one
 * sample of each in turn), so sample i of every workload is taken on the
 * same machine state.
 */
static int run_workloads(const struct cfg *c)
{
	static struct wl_run wl[MAX_WL];
	uint32_t nw = 0, k, s;
	const char *wp;
	int fails = 0, err;

	for (wp = c->workloads; *wp && nw < MAX_WL;) {
		k = 0;
		while (*wp && *wp != ',' && k + 1 < sizeof(wl[nw].name))
			wl[nw].name[k++] = *wp++;
		wl[nw].name[k] = 0;
		while (*wp && *wp != ',')
			wp++;
		if (*wp == ',')
			wp++;
		if (k)
			nw++;
	}
	for (k = 0; k < nw; k++) {
		err = wl_setup(wl[k].name, &wl[k].st,
			       (uint64_t)c->samples * c->cycles + 1);
		if (err) {
			con_printf("scf-guest: %s: %s\n", wl[k].name, err == -2 ?
				   "unknown workload" : "setup failed");
			fails++;
			continue;
		}
		wl[k].ready = true;
		con_printf("H %s %u %u\n", wl[k].name, c->samples, c->cycles);
	}
	print_stamp_cost();
	for (s = 0; s < c->samples; s++) {
		for (k = 0; k < nw; k++)
			if (wl[k].ready)
				run_sample(&wl[k], s, c->cycles);
		print_baseline(s);
	}
	for (k = 0; k < nw; k++) {
		if (!wl[k].ready)
			continue;
		wl_teardown(&wl[k].st);
		con_printf("W %s calls %lu ok %lu\n", wl[k].name, wl[k].calls,
			   wl[k].ok);
		fails += wl[k].ok != wl[k].calls;
	}
	return fails;
}

/* ---- a hostile RTOS: what it writes must not hurt the shadow ---- */

static void scribble(void)
{
	uint8_t *page = (uint8_t *)cli.q.hdr;
	uint64_t x = 0x9e3779b97f4a7c15ull;
	int64_t r;
	uint32_t i, round;

	r = fwd_setup_open("../escaped.txt", O_WRONLY | O_CREAT | O_TRUNC);
	con_printf("X open ../escaped.txt %ld\n", r);
	r = fwd_setup_open("/tmp/scf-escaped.txt", O_WRONLY | O_CREAT | O_TRUNC);
	con_printf("X open /tmp/scf-escaped.txt %ld\n", r);
	for (round = 0; round < 64; round++) {
		/* A fixed sequence (xorshift): the test is deterministic. */
		for (i = 0; i < 256; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			page[(x >> 8) % SCF_PAGE_SIZE] = (uint8_t)x;
		}
		for (i = 0; i < cli.q.capacity; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			cli.q.desc[i].args[1] = x;
			cli.q.desc[i].args[2] = x >> 3;
		}
		(void)scf_notify_kick(cli.n, 0);
	}
	con_printf("X scribbled\n");
}

void guest_main(uint32_t magic, uint32_t mbi);
void guest_main(uint32_t magic, uint32_t mbi)
{
	struct scf_notify_cfg ncfg = { .side = SCF_SIDE_CLIENT };
	struct scf_region_info info;
	struct scf_notify *n;
	struct pci_dev dev;
	struct scf_geom g;
	struct cfg c = { .samples = 0 };
	uint64_t bar0, bar2, size0, size2, region;
	int err, fails;
	int32_t slot;

	con_init();
	con_printf("scf-guest: boot\n");
	if (magic != MB_BOOT_MAGIC) {
		con_printf("scf-guest: not started by a multiboot loader\n");
		guest_exit(2);
	}
	if (*(volatile uint32_t *)(uintptr_t)mbi & 4)
		parse_cmdline((const char *)(uintptr_t)
			      *(volatile uint32_t *)(uintptr_t)(mbi + 16), &c);
	else
		parse_cmdline(0, &c);
	if (!c.samples || !c.cycles || c.cycles > MAX_CYCLES ||
	    !scf_notify_pick(c.backend)) {
		con_printf("scf-guest: bad command line (backend=doorbell|poll "
			   "samples=N cycles=1..%u)\n", MAX_CYCLES);
		guest_exit(2);
	}
	irq_init();
	con_printf("T %lu\n", tsc_calibrate());
	if (c.probe) {
		print_stamp_cost();
		guest_exit(0);
	}

	if (pci_find(IVSHMEM_VENDOR, IVSHMEM_DEVICE, &dev)) {
		con_printf("scf-guest: no ivshmem device\n");
		guest_exit(2);
	}
	/* memory decoding and bus mastering (MSI-X writes are DMA) */
	pci_write16(&dev, 0x04, pci_read16(&dev, 0x04) | 0x6);
	bar0 = pci_bar(&dev, 0, &size0);
	bar2 = pci_bar(&dev, 2, &size2);
	con_printf("scf-guest: ivshmem %02x:%02x.%x bar0 %lx bar2 %lx (%lu bytes) "
		   "ivposition %u\n", dev.bus, dev.dev, dev.fn, bar0, bar2, size2,
		   bar0 ? mmio_read32(bar0 + IVSHMEM_REG_IVPOSITION) : 0);
	if (!bar0 || !bar2 || bar2 + size2 > (64ull << 30) || size2 < (1u << 20)) {
		con_printf("scf-guest: ivshmem BARs unusable\n");
		guest_exit(2);
	}
	if (irq_msix_enable(&dev)) {
		con_printf("scf-guest: ivshmem has no usable MSI-X\n");
		guest_exit(2);
	}
	mmio_write32(bar0 + IVSHMEM_REG_INTRMASK, 0xffffffffu);

	/* One slot, small payload chunks: the region fits 4 MiB. */
	scf_geom_default(&g);
	g.nr_slots = 1;
	g.pool_chunk = 8192;
	region = scf_region_size(&g);
	if (region > size2) {
		con_printf("scf-guest: region %lu bytes > shared memory\n", region);
		guest_exit(2);
	}
	__builtin_memset((void *)(uintptr_t)bar2, 0, region);
	err = scf_region_format((void *)(uintptr_t)bar2, region, &g);
	if (!err)
		err = scf_region_check((void *)(uintptr_t)bar2, region, &info);
	slot = err ? err : scf_slot_alloc((void *)(uintptr_t)bar2, &info, 1);
	if (slot < 0) {
		con_printf("scf-guest: region: %s\n", scf_strerror(slot));
		guest_exit(1);
	}
	err = scf_queue_attach(&cli.q, (void *)(uintptr_t)bar2, region,
			       (uint32_t)slot);
	if (!err) {
		guest_notify_setup(bar0, c.backend[0] == 'd');
		ncfg.q = &cli.q;
		ncfg.backend = c.backend;
		err = scf_notify_attach(&n, &ncfg);
	}
	if (!err)
		err = scf_client_init(&cli, n, SCF_MEMSYNC_COPY, alloc_stack,
				      alloc_used);
	if (err) {
		con_printf("scf-guest: attach: %s\n", scf_strerror(err));
		guest_exit(1);
	}
	cli.probe_every = 1;
	con_printf("scf-guest: region %lu bytes slot %d backend %s\n", region,
		   slot, scf_notify_backend(n));
	/* Tell the server the region is formatted: it starts the shadow. */
	mmio_write32(bar0 + IVSHMEM_REG_DOORBELL, IVSHMEM_PEER_SHADOW << 16);

	fails = run_workloads(&c);
	if (c.scribble)
		scribble();
	con_printf("scf-guest: done, %d workload(s) failed, doorbell irqs %lu, "
		   "timer irqs %lu\n", fails, guest_doorbell_irqs,
		   guest_timer_irqs);
	guest_exit(fails ? 1 : 0);
}
