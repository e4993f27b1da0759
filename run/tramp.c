// SPDX-License-Identifier: MIT
/*
 * tramp.c - the trampoline a rewritten site calls (rewrite.c): it saves
 * what the kernel's syscall keeps, switches the selector, the thread
 * pointer and the stack, and serves the call (run_tramp_dispatch())
 * in this thread without a signal, as zpoline does.
 *
 * What it keeps as the kernel's syscall does: every register but %rax
 * (the result), %rcx and %r11 (the kernel clobbers them too), and the
 * vector state (the runtime's libc uses vector registers, the program
 * may hold values in them across an inline syscall): ymm0-15 (or
 * xmm0-15 without AVX) and MXCSR by plain moves, where the CPU has no
 * AVX-512; with AVX-512 (whose registers the C library's string
 * functions use too), the whole state by xsavec/xrstor.  The moves cost
 * about 15 ns where xsavec/xrstor cost 170-250 ns on the development
 * VM.  The x87 state is not kept: the runtime does no x87 arithmetic in
 * a call.  The flags are not kept: asm with `syscall` is taken to
 * clobber them.  What it does not keep, the 8 bytes below the program's
 * stack pointer, is rewrite.c's to answer for.
 */
#include <stddef.h>
#include <stdint.h>
#include <ucontext.h>

#include "dispatch.h"
#include "entry.h"

/* The per-thread block's offsets, as run_tramp_entry uses them. */
#define T_G		0
#define T_STACK		184
#define T_RTFS		192
#define T_PFS		200
#define T_SEL		208
#define T_XAREA		216
#define T_SELF		224
#define T_XMODE		232
_Static_assert(NGREG == RUN_NGREG, "ucontext's register count");
_Static_assert(offsetof(struct run_thr, g) == T_G, "T_G");
_Static_assert(offsetof(struct run_thr, stack_top) == T_STACK, "T_STACK");
_Static_assert(offsetof(struct run_thr, runtime_fs) == T_RTFS, "T_RTFS");
_Static_assert(offsetof(struct run_thr, prog_fs) == T_PFS, "T_PFS");
_Static_assert(offsetof(struct run_thr, selector) == T_SEL, "T_SEL");
_Static_assert(offsetof(struct run_thr, xarea) == T_XAREA, "T_XAREA");
_Static_assert(offsetof(struct run_thr, self) == T_SELF, "T_SELF");
_Static_assert(offsetof(struct run_thr, xmode) == T_XMODE, "T_XMODE");
_Static_assert(REG_R8 == 0 && REG_R15 == 7 && REG_RDI == 8 &&
	       REG_RDX == 12 && REG_RAX == 13 && REG_RCX == 14 &&
	       REG_RSP == 15 && REG_RIP == 16, "ucontext register order");

/*
 * The vector state into and out of the thread's area, as its xmode says;
 * clobber %rax, %rdx, %rdi only.
 *
 * With AVX, the save ends with vzeroupper.  The restore's 256-bit loads
 * leave the upper halves of ymm0-15 in use while the program runs, and
 * the runtime's compiled code (zeroing a struct, copying arguments) uses
 * SSE: the first SSE instruction after the trampoline, with the upper
 * halves still in use, stalled about 170 TSC ticks (70 ns) on every
 * call on the AMD EPYC development VM, measured with TSC stamps around
 * it.  The program's upper halves are saved by then and come back with
 * the restore, so zeroing them changes nothing the program sees.
 */
#define VEC16(op, r, w) \
	op " %" r "0, 0*" w "(%rdi)\n " op " %" r "1, 1*" w "(%rdi)\n " \
	op " %" r "2, 2*" w "(%rdi)\n " op " %" r "3, 3*" w "(%rdi)\n " \
	op " %" r "4, 4*" w "(%rdi)\n " op " %" r "5, 5*" w "(%rdi)\n " \
	op " %" r "6, 6*" w "(%rdi)\n " op " %" r "7, 7*" w "(%rdi)\n " \
	op " %" r "8, 8*" w "(%rdi)\n " op " %" r "9, 9*" w "(%rdi)\n " \
	op " %" r "10, 10*" w "(%rdi)\n " op " %" r "11, 11*" w "(%rdi)\n " \
	op " %" r "12, 12*" w "(%rdi)\n " op " %" r "13, 13*" w "(%rdi)\n " \
	op " %" r "14, 14*" w "(%rdi)\n " op " %" r "15, 15*" w "(%rdi)\n"
#define VEC16_IN(op, r, w) \
	op " 0*" w "(%rdi), %" r "0\n " op " 1*" w "(%rdi), %" r "1\n " \
	op " 2*" w "(%rdi), %" r "2\n " op " 3*" w "(%rdi), %" r "3\n " \
	op " 4*" w "(%rdi), %" r "4\n " op " 5*" w "(%rdi), %" r "5\n " \
	op " 6*" w "(%rdi), %" r "6\n " op " 7*" w "(%rdi), %" r "7\n " \
	op " 8*" w "(%rdi), %" r "8\n " op " 9*" w "(%rdi), %" r "9\n " \
	op " 10*" w "(%rdi), %" r "10\n " op " 11*" w "(%rdi), %" r "11\n " \
	op " 12*" w "(%rdi), %" r "12\n " op " 13*" w "(%rdi), %" r "13\n " \
	op " 14*" w "(%rdi), %" r "14\n " op " 15*" w "(%rdi), %" r "15\n"
__asm__(".pushsection .text\n"
	".globl run_vec_save\n.hidden run_vec_save\n"
	".type run_vec_save, @function\n"
	"run_vec_save:\n"
	"	movq %gs:216, %rdi\n"
	"	movq %gs:232, %rax\n"
	"	cmpq $1, %rax\n	je 1f\n"
	"	cmpq $2, %rax\n	je 2f\n"
	"	movl $-1, %eax\n	movl $-1, %edx\n"
	"	xsavec64 (%rdi)\n	vzeroupper\n	ret\n"
	"1:	" VEC16("vmovdqu", "ymm", "32")
	"	stmxcsr 512(%rdi)\n	vzeroupper\n	ret\n"
	"2:	" VEC16("movdqu", "xmm", "16")
	"	stmxcsr 512(%rdi)\n	ret\n"
	".size run_vec_save, .-run_vec_save\n"
	".globl run_vec_restore\n.hidden run_vec_restore\n"
	".type run_vec_restore, @function\n"
	"run_vec_restore:\n"
	"	movq %gs:216, %rdi\n"
	"	movq %gs:232, %rax\n"
	"	cmpq $1, %rax\n	je 1f\n"
	"	cmpq $2, %rax\n	je 2f\n"
	"	movl $-1, %eax\n	movl $-1, %edx\n"
	"	xrstor64 (%rdi)\n	ret\n"
	"1:	" VEC16_IN("vmovdqu", "ymm", "32")
	"	ldmxcsr 512(%rdi)\n	ret\n"
	"2:	" VEC16_IN("movdqu", "xmm", "16")
	"	ldmxcsr 512(%rdi)\n	ret\n"
	".size run_vec_restore, .-run_vec_restore\n"
	".popsection\n");

/*
 * On entry: %rsp points at the return address (the site + 2) on the
 * program's stack, %rax holds the call number, %gs the thread's block.
 * Nothing here makes a system call while the selector says BLOCK.
 */
__asm__(".pushsection .text\n"
	".globl run_tramp_entry\n.hidden run_tramp_entry\n"
	".type run_tramp_entry, @function\n"
	"run_tramp_entry:\n"
	"	movq %rsp, %gs:120\n"
	"	movq %gs:184, %rsp\n"
	"	movq %rax, %gs:104\n"
	"	movq %r8, %gs:0\n	movq %r9, %gs:8\n"
	"	movq %r10, %gs:16\n	movq %r11, %gs:24\n"
	"	movq %r12, %gs:32\n	movq %r13, %gs:40\n"
	"	movq %r14, %gs:48\n	movq %r15, %gs:56\n"
	"	movq %rdi, %gs:64\n	movq %rsi, %gs:72\n"
	"	movq %rbp, %gs:80\n	movq %rbx, %gs:88\n"
	"	movq %rdx, %gs:96\n	movq %rcx, %gs:112\n"
	"	movq %gs:120, %rax\n"
	"	movq (%rax), %rcx\n"
	"	movq %rcx, %gs:128\n"		/* RIP: after the site */
	"	addq $8, %rax\n"
	"	movq %rax, %gs:120\n"		/* RSP: as at the site */
	"	movq %gs:208, %rax\n"
	"	movb $0, (%rax)\n"		/* selector ALLOW */
	"	rdfsbase %rax\n"
	"	movq %rax, %gs:200\n"
	"	movq %gs:192, %rax\n"
	"	wrfsbase %rax\n"
	"	call run_vec_save\n"
	"	movq %gs:224, %rdi\n"
	"	cld\n"
	"	call run_tramp_dispatch\n"
	"run_tramp_leave:\n"
	"	call run_vec_restore\n"
	"	movq %gs:200, %rax\n"
	"	wrfsbase %rax\n"
	"	movq %gs:120, %rsp\n"
	"	pushq %gs:128\n"		/* the slot the call wrote */
	"	movq %gs:208, %rax\n"
	"	movb $1, (%rax)\n"		/* selector BLOCK: no call of ours after */
	"	movq %gs:0, %r8\n	movq %gs:8, %r9\n"
	"	movq %gs:16, %r10\n	movq %gs:24, %r11\n"
	"	movq %gs:32, %r12\n	movq %gs:40, %r13\n"
	"	movq %gs:48, %r14\n	movq %gs:56, %r15\n"
	"	movq %gs:64, %rdi\n	movq %gs:72, %rsi\n"
	"	movq %gs:80, %rbp\n	movq %gs:88, %rbx\n"
	"	movq %gs:96, %rdx\n	movq %gs:112, %rcx\n"
	"	movq %gs:104, %rax\n"
	"	ret\n"
	".size run_tramp_entry, .-run_tramp_entry\n"
	/*
	 * A new thread starts here, its block filled (thread.c): the
	 * extended state as it is now, then the program's registers.
	 */
	".globl run_tramp_resume\n.hidden run_tramp_resume\n"
	".type run_tramp_resume, @function\n"
	"run_tramp_resume:\n"
	"	call run_vec_save\n"
	"	jmp run_tramp_leave\n"
	".size run_tramp_resume, .-run_tramp_resume\n"
	".popsection\n");

static void cpuid2(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

/* Plain moves where they keep everything, else xsavec (see the top). */
uint64_t run_xmode(void)
{
	uint32_t a, d;

	__asm__ volatile("xgetbv" : "=a"(a), "=d"(d) : "c"(0));
	if (a & 0xe0)			/* AVX-512 state enabled */
		return RUN_XMODE_XSAVEC;
	return (a & 4) ? RUN_XMODE_YMM : RUN_XMODE_XMM;
}

/* The extended state's size in the compacted format, 0 without xsavec. */
uint32_t run_xsave_size(void)
{
	uint32_t r[4];

	cpuid2(1, 0, r);
	if (!(r[2] & (1u << 27)))	/* OSXSAVE */
		return 0;
	cpuid2(0xd, 1, r);
	if (!(r[0] & (1u << 1)))	/* XSAVEC */
		return 0;
	return r[1];
}

