/* SPDX-License-Identifier: MIT */
/*
 * boot.S - multiboot (v1) entry of the bare-metal guest: QEMU's -kernel
 * loads the image and jumps here in 32-bit protected mode with paging
 * off.  Build identity page tables for the low 64 GiB with 2 MiB pages
 * (the ivshmem BARs, the LAPIC and RAM all lie there on a QEMU pc
 * machine), enter long mode and call guest_main(magic, info).
 */
#define MB_MAGIC	0x1badb002
#define MB_FLAGS	0x00000003	/* page-aligned modules, memory info */
#define MAP_GIB		64

	.section .multiboot, "a"
	.align 4
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)

	.section .bss
	.align 4096
pml4:	.skip 4096
pdpt:	.skip 4096
pd:	.skip 4096 * MAP_GIB
	.align 16
stack:	.skip 65536
stack_top:

	.section .data
	.align 16
gdt:	.quad 0
	.quad 0x00af9a000000ffff	/* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff	/* 0x10: data */
gdt_end:
gdtr:	.word gdt_end - gdt - 1
	.quad gdt

	.section .text
	.code32
	.global _start
_start:
	cli
	mov	$stack_top, %esp
	mov	%eax, %edi		/* multiboot magic: 1st argument */
	mov	%ebx, %esi		/* multiboot info: 2nd argument */

	/* PML4[0] -> pdpt; pdpt[i] -> pd + i * 4096 */
	mov	$pdpt, %eax
	or	$3, %eax
	mov	%eax, pml4
	xor	%ecx, %ecx
1:	mov	%ecx, %eax
	shl	$12, %eax
	add	$pd, %eax
	or	$3, %eax
	mov	%eax, pdpt(,%ecx,8)
	inc	%ecx
	cmp	$MAP_GIB, %ecx
	jb	1b

	/* pd[i] = i * 2 MiB | present | writable | large */
	xor	%ecx, %ecx
2:	mov	%ecx, %eax
	shl	$21, %eax
	or	$0x83, %eax
	mov	%eax, pd(,%ecx,8)
	mov	%ecx, %eax
	shr	$11, %eax
	mov	%eax, pd+4(,%ecx,8)
	inc	%ecx
	cmp	$(MAP_GIB * 512), %ecx
	jb	2b

	mov	%cr4, %eax
	or	$(1 << 5), %eax		/* PAE */
	mov	%eax, %cr4
	mov	$pml4, %eax
	mov	%eax, %cr3
	mov	$0xc0000080, %ecx	/* EFER */
	rdmsr
	or	$(1 << 8), %eax		/* LME */
	wrmsr
	mov	%cr0, %eax
	or	$0x80000001, %eax	/* PG | PE */
	mov	%eax, %cr0
	lgdt	gdtr
	ljmp	$0x08, $long_mode

	.code64
long_mode:
	mov	$0x10, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	mov	%ax, %fs
	mov	%ax, %gs
	mov	$stack_top, %rsp
	and	$0xffffffff, %edi
	and	$0xffffffff, %esi
	call	guest_main
3:	cli
	hlt
	jmp	3b

	.section .note.GNU-stack, "", @progbits
