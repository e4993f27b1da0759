// SPDX-License-Identifier: MIT
/*
 * irq.c - interrupts of the guest: the IDT, the local APIC (its EOI, a
 * periodic recheck timer), MSI-X entry 0 of ivshmem, and the TSC's rate
 * against the PIT.
 */
#include "hw.h"

#define LAPIC		0xfee00000u
#define LAPIC_ID	0x020
#define LAPIC_SVR	0x0f0
#define LAPIC_LVT_TIMER	0x320
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_DIV	0x3e0
/*
 * QEMU's LAPIC timer counts at 1 GHz; divided by 16, 625000 counts are
 * about 10 ms: the longest a waiter sleeps before it re-checks
 * (SCF_NOTIFY_RECHECK_NS).  On other hardware the period differs; it
 * only bounds a sleep.
 */
#define TIMER_DIV16	0x3
#define TIMER_COUNT	625000u
#define TIMER_PERIODIC	(1u << 17)

volatile uint64_t guest_doorbell_irqs, guest_timer_irqs;

struct idt_gate {
	uint16_t off0, sel;
	uint8_t ist, type;
	uint16_t off1;
	uint32_t off2, zero;
} __attribute__((packed));

static struct idt_gate idt[256] __attribute__((aligned(16)));

extern void isr_doorbell(void), isr_timer(void), isr_spurious(void);
extern void (*const isr_fault_table[22])(void);

static void set_gate(int vec, void (*fn)(void))
{
	uint64_t a = (uint64_t)(uintptr_t)fn;

	idt[vec] = (struct idt_gate){
		.off0 = (uint16_t)a, .sel = 0x08, .type = 0x8e,
		.off1 = (uint16_t)(a >> 16), .off2 = (uint32_t)(a >> 32),
	};
}

void guest_fault(uint64_t vec, uint64_t *frame) __attribute__((noreturn));
void guest_fault(uint64_t vec, uint64_t *frame)
{
	uint64_t cr2;

	__asm__ __volatile__("mov %%cr2, %0" : "=r"(cr2));
	con_printf("scf-guest: fatal: CPU exception %u, frame %lx %lx %lx, "
		   "cr2 %lx\n", (unsigned)vec, frame[0], frame[1], frame[2],
		   cr2);
	guest_exit(3);
}

void irq_init(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) idtr = { sizeof(idt) - 1, (uintptr_t)idt };
	int i;

	/* The legacy PICs stay masked: only the LAPIC delivers. */
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
	for (i = 0; i < 22; i++)
		set_gate(i, isr_fault_table[i]);
	set_gate(VEC_DOORBELL, isr_doorbell);
	set_gate(VEC_TIMER, isr_timer);
	set_gate(VEC_SPURIOUS, isr_spurious);
	__asm__ __volatile__("lidt %0" : : "m"(idtr));

	mmio_write32(LAPIC + LAPIC_SVR, 0x100 | VEC_SPURIOUS);
	mmio_write32(LAPIC + LAPIC_TIMER_DIV, TIMER_DIV16);
	mmio_write32(LAPIC + LAPIC_LVT_TIMER, TIMER_PERIODIC | VEC_TIMER);
	mmio_write32(LAPIC + LAPIC_TIMER_INIT, TIMER_COUNT);
	__asm__ __volatile__("sti");
}

int irq_msix_enable(const struct pci_dev *d)
{
	uint8_t cap = pci_cap(d, 0x11);
	uint32_t tbl, bir;
	uint64_t base, size;
	uintptr_t e;

	if (!cap)
		return -1;
	tbl = pci_read32(d, cap + 4);
	bir = tbl & 7;
	base = pci_bar(d, (int)bir, &size);
	if (!base || (tbl & ~7u) + 16 > size)
		return -1;
	e = (uintptr_t)(base + (tbl & ~7u));
	/* Entry 0: this CPU's APIC, fixed delivery, edge. */
	mmio_write32(e + 0, LAPIC | (mmio_read32(LAPIC + LAPIC_ID) >> 24) << 12);
	mmio_write32(e + 4, 0);
	mmio_write32(e + 8, VEC_DOORBELL);
	mmio_write32(e + 12, 0);	/* unmasked */
	/* Message Control: enable (bit 15), function mask off (bit 14) */
	pci_write16(d, cap + 2, (pci_read16(d, cap + 2) | 0x8000) & ~0x4000);
	return 0;
}

/*
 * The least of five 50 ms one-shots of PIT channel 2: a vCPU held off
 * the host CPU can only lengthen a measurement (it reads the TSC late),
 * never shorten it.
 */
uint64_t tsc_calibrate(void)
{
	const uint32_t count = 1193182 / 20;
	uint64_t t0, t1, best = ~0ull;
	int i;

	for (i = 0; i < 5; i++) {
		/* channel 2, gate on, speaker off */
		outb(0x61, (inb(0x61) & ~0x02) | 0x01);
		outb(0x43, 0xb0);
		outb(0x42, count & 0xff);
		outb(0x42, count >> 8);
		t0 = __builtin_ia32_rdtsc();
		while (!(inb(0x61) & 0x20))
			;
		t1 = __builtin_ia32_rdtsc();
		if (t1 - t0 < best)
			best = t1 - t0;
	}
	return best * 20;
}
