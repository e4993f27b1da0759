/* SPDX-License-Identifier: MIT */
/*
 * isr.S - the guest's interrupt entry points.  The doorbell (MSI-X vector
 * 0 of ivshmem) and the recheck timer only wake a hlt: they count and
 * end the interrupt at the LAPIC; the waiter re-checks its condition.
 * A CPU exception is fatal: guest_fault() reports it on the serial line.
 */
#define LAPIC_EOI	0xfee000b0

	.text
	.code64
	.global isr_doorbell
isr_doorbell:
	lock incq guest_doorbell_irqs(%rip)
	push	%rax
	mov	$LAPIC_EOI, %eax
	movl	$0, (%rax)
	pop	%rax
	iretq

	.global isr_timer
isr_timer:
	lock incq guest_timer_irqs(%rip)
	push	%rax
	mov	$LAPIC_EOI, %eax
	movl	$0, (%rax)
	pop	%rax
	iretq

	.global isr_spurious
isr_spurious:
	iretq

.macro FAULT vec
	.global isr_fault\vec
isr_fault\vec:
	mov	$\vec, %edi
	mov	%rsp, %rsi
	and	$-16, %rsp
	call	guest_fault
.endm
	FAULT 0
	FAULT 1
	FAULT 2
	FAULT 3
	FAULT 4
	FAULT 5
	FAULT 6
	FAULT 7
	FAULT 8
	FAULT 9
	FAULT 10
	FAULT 11
	FAULT 12
	FAULT 13
	FAULT 14
	FAULT 15
	FAULT 16
	FAULT 17
	FAULT 18
	FAULT 19
	FAULT 20
	FAULT 21

	.section .rodata
	.global isr_fault_table
isr_fault_table:
	.quad isr_fault0, isr_fault1, isr_fault2, isr_fault3, isr_fault4
	.quad isr_fault5, isr_fault6, isr_fault7, isr_fault8, isr_fault9
	.quad isr_fault10, isr_fault11, isr_fault12, isr_fault13, isr_fault14
	.quad isr_fault15, isr_fault16, isr_fault17, isr_fault18, isr_fault19
	.quad isr_fault20, isr_fault21

	.section .note.GNU-stack, "", @progbits
