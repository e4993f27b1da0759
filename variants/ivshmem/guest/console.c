// SPDX-License-Identifier: MIT
/*
 * console.c - the serial console on COM1 (0x3f8), 115200 8N1, and a
 * printf of the few conversions the guest uses.
 */
#include <stdarg.h>

#include "hw.h"

#define COM1	0x3f8

void con_init(void)
{
	outb(COM1 + 1, 0x00);	/* no UART interrupts */
	outb(COM1 + 3, 0x80);	/* DLAB */
	outb(COM1 + 0, 0x01);	/* divisor 1: 115200 */
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03);	/* 8N1 */
	outb(COM1 + 2, 0xc7);	/* FIFO */
	outb(COM1 + 4, 0x03);
}

void con_putc(char c)
{
	if (c == '\n')
		con_putc('\r');
	while (!(inb(COM1 + 5) & 0x20))
		;
	outb(COM1, (uint8_t)c);
}

static void put_u64(uint64_t v, unsigned base, int width, char pad)
{
	char buf[24];
	int n = 0;

	do {
		buf[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (n < width--)
		con_putc(pad);
	while (n)
		con_putc(buf[--n]);
}

void con_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	for (; *fmt; fmt++) {
		int lng = 0, width = 0;
		char pad = ' ';
		uint64_t u;
		int64_t s;

		if (*fmt != '%') {
			con_putc(*fmt);
			continue;
		}
		fmt++;
		if (*fmt == '0')
			pad = '0', fmt++;
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l')
			lng++, fmt++;
		switch (*fmt) {
		case 's': {
			const char *p = va_arg(ap, const char *);

			while (*p)
				con_putc(*p++);
			break;
		}
		case 'd':
			s = lng ? va_arg(ap, int64_t) : va_arg(ap, int);
			if (s < 0) {
				con_putc('-');
				u = -(uint64_t)s;
			} else {
				u = (uint64_t)s;
			}
			put_u64(u, 10, width, pad);
			break;
		case 'u':
		case 'x':
			u = lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
			put_u64(u, *fmt == 'u' ? 10 : 16, width, pad);
			break;
		case 'c':
			con_putc((char)va_arg(ap, int));
			break;
		default:
			con_putc('%');
			con_putc(*fmt);
		}
	}
	va_end(ap);
}

/*
 * QEMU's isa-debug-exit device (iobase 0xf4) ends QEMU with status
 * (code << 1) | 1; without it the CPU halts and the host's timeout ends
 * the run.
 */
void guest_exit(int code)
{
	con_printf("scf-guest: exit %d\n", code);
	outb(0xf4, (uint8_t)code);
	for (;;)
		__asm__ __volatile__("cli; hlt");
}
