/* SPDX-License-Identifier: MIT */
/*
 * hw.h - port I/O, MMIO and the guest's shared declarations.
 */
#ifndef GUEST_HW_H
#define GUEST_HW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ __volatile__("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ __volatile__("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;

	__asm__ __volatile__("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint32_t mmio_read32(uintptr_t a)
{
	return *(volatile uint32_t *)a;
}

static inline void mmio_write32(uintptr_t a, uint32_t v)
{
	*(volatile uint32_t *)a = v;
}

/* console.c: COM1 */
void con_init(void);
void con_putc(char c);
void con_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print, then stop the machine (QEMU's isa-debug-exit, else hlt). */
void guest_exit(int code) __attribute__((noreturn));

/* pci.c */
struct pci_dev {
	uint8_t bus, dev, fn;
};
uint32_t pci_read32(const struct pci_dev *d, uint8_t off);
void pci_write32(const struct pci_dev *d, uint8_t off, uint32_t v);
uint16_t pci_read16(const struct pci_dev *d, uint8_t off);
void pci_write16(const struct pci_dev *d, uint8_t off, uint16_t v);
int pci_find(uint16_t vendor, uint16_t device, struct pci_dev *out);
/* Address of a memory BAR (64-bit ones read whole), 0 if none. */
uint64_t pci_bar(const struct pci_dev *d, int bar, uint64_t *size);
/* Config-space offset of capability id, or 0. */
uint8_t pci_cap(const struct pci_dev *d, uint8_t id);

/* irq.c */
#define VEC_DOORBELL	0x40
#define VEC_TIMER	0x41
#define VEC_SPURIOUS	0xff
extern volatile uint64_t guest_doorbell_irqs, guest_timer_irqs;
void irq_init(void);
/* MSI-X entry 0 of d to VEC_DOORBELL on this CPU; 0 or -1. */
int irq_msix_enable(const struct pci_dev *d);
/* TSC ticks per second, counted against the PIT. */
uint64_t tsc_calibrate(void);

/* notify_guest.c */
void guest_notify_setup(uintptr_t regs, bool doorbell);

#endif /* GUEST_HW_H */
