// SPDX-License-Identifier: MIT
/*
 * pci.c - PCI configuration mechanism 1 (ports 0xcf8/0xcfc): find a
 * device, read its BARs and capabilities.
 */
#include "hw.h"

static uint32_t cfg_addr(const struct pci_dev *d, uint8_t off)
{
	return 0x80000000u | (uint32_t)d->bus << 16 | (uint32_t)d->dev << 11 |
	       (uint32_t)d->fn << 8 | (off & 0xfc);
}

uint32_t pci_read32(const struct pci_dev *d, uint8_t off)
{
	outl(0xcf8, cfg_addr(d, off));
	return inl(0xcfc);
}

void pci_write32(const struct pci_dev *d, uint8_t off, uint32_t v)
{
	outl(0xcf8, cfg_addr(d, off));
	outl(0xcfc, v);
}

uint16_t pci_read16(const struct pci_dev *d, uint8_t off)
{
	return (uint16_t)(pci_read32(d, off) >> ((off & 2) * 8));
}

void pci_write16(const struct pci_dev *d, uint8_t off, uint16_t v)
{
	uint32_t w = pci_read32(d, off);
	unsigned sh = (off & 2) * 8;

	w = (w & ~(0xffffu << sh)) | (uint32_t)v << sh;
	pci_write32(d, off, w);
}

int pci_find(uint16_t vendor, uint16_t device, struct pci_dev *out)
{
	struct pci_dev d;
	unsigned bus, dev, fn;

	for (bus = 0; bus < 256; bus++)
		for (dev = 0; dev < 32; dev++)
			for (fn = 0; fn < 8; fn++) {
				uint32_t id;

				d = (struct pci_dev){ bus, dev, fn };
				id = pci_read32(&d, 0);
				if ((id & 0xffff) == 0xffff) {
					if (fn == 0)
						break;
					continue;
				}
				if ((id & 0xffff) == vendor && id >> 16 == device) {
					*out = d;
					return 0;
				}
			}
	return -1;
}

uint64_t pci_bar(const struct pci_dev *d, int bar, uint64_t *size)
{
	uint8_t off = (uint8_t)(0x10 + 4 * bar);
	uint32_t lo = pci_read32(d, off), hi = 0, slo, shi = 0xffffffffu;
	bool is64 = (lo & 6) == 4;
	uint16_t cmd = pci_read16(d, 0x04);

	if (lo & 1)
		return 0;	/* an I/O BAR */
	/* Size it with decoding off, so nothing answers at ~0 meanwhile. */
	pci_write16(d, 0x04, cmd & ~3u);
	pci_write32(d, off, 0xffffffffu);
	slo = pci_read32(d, off);
	pci_write32(d, off, lo);
	if (is64) {
		hi = pci_read32(d, off + 4);
		pci_write32(d, off + 4, 0xffffffffu);
		shi = pci_read32(d, off + 4);
		pci_write32(d, off + 4, hi);
	}
	pci_write16(d, 0x04, cmd);
	*size = ~(((uint64_t)shi << 32) | (slo & ~0xfu)) + 1;
	if (!is64)
		*size &= 0xffffffffu;
	return ((uint64_t)hi << 32) | (lo & ~0xfu);
}

uint8_t pci_cap(const struct pci_dev *d, uint8_t id)
{
	uint8_t p;
	int n = 0;

	if (!(pci_read16(d, 0x06) & 0x10))
		return 0;
	for (p = pci_read32(d, 0x34) & 0xfc; p && n < 48; n++) {
		uint32_t w = pci_read32(d, p);

		if ((w & 0xff) == id)
			return p;
		p = (w >> 8) & 0xfc;
	}
	return 0;
}
