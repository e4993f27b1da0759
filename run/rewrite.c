// SPDX-License-Identifier: MIT
/*
 * rewrite.c - trap-free calls after the first: each syscall instruction
 * of the program traps through Syscall User Dispatch the first time it
 * runs (sud.c); the handler then rewrites that site, `syscall` (0f 05)
 * into `call *%rax` (ff d0), both two bytes.  With the call number in
 * %rax the call lands in a page mapped at address 0: a slide of 512
 * nops (chains of seven 0x66 prefixes and a nop: entered at any byte,
 * the rest of the chain is one valid nop, and the slide runs 64
 * instructions, not 512) and then a jump to run_tramp_entry, which serves the call in this thread
 * without a signal, as zpoline does.  SUD stays on for every site not
 * rewritten.
 *
 * What the trampoline keeps as the kernel's syscall does: every register
 * but %rax (the result), %rcx and %r11 (the kernel clobbers them too),
 * and the vector state (the runtime's libc uses vector registers, the
 * program may hold values in them across an inline syscall): ymm0-15 (or
 * xmm0-15 without AVX) and MXCSR by plain moves, where the CPU has no
 * AVX-512; with AVX-512 (whose registers the C library's string functions
 * use too), the whole state by xsavec/xrstor.  The moves cost about 15 ns
 * where xsavec/xrstor cost 170-250 ns on the development VM.  The x87
 * state is not kept: the runtime does no x87 arithmetic in a call.  The flags are not kept: asm with `syscall` is taken to
 * clobber them.  What it does not keep: the 8 bytes below the program's
 * stack pointer, where `call` writes its return address.  That is inside
 * the red zone, which a leaf function may use across an inline syscall;
 * zpoline and lazypoline accept the same.  We accept it only for sites
 * of the form the C library's wrappers have, `mov $NR, %eax; syscall`
 * (or `xor %eax, %eax; syscall` for read): a call number the site
 * fixes, and code the compiler emits for a system call wrapper, not for
 * a leaf with live red-zone data around an inline syscall of a variable
 * number.  Everything else keeps trapping.
 *
 * Rewriting while other threads run: the two bytes are replaced with one
 * locked cmpxchg of 16 bits, atomic on Intel and AMD alike when its
 * operand lies in one cache line (the line is held exclusively for the
 * whole operation), so another thread fetching the instruction sees
 * either the old or the new one, never half.  A site whose two bytes
 * straddle a 64-byte line keeps trapping: that store would be a split
 * lock, which the kernel may refuse or slow down on purpose.  The page is made writable for the store and given back its
 * protection after, under one lock so two rewriters never race on a
 * page's protection; execute permission is never taken away meanwhile.
 *
 * Calls that need the trapped context itself are never rewritten: the
 * signal mask and sigreturn (rt_sigprocmask, rt_sigreturn), and the
 * calls that make or replace a thread of execution (clone, clone3, fork,
 * vfork, execve, execveat).
 */
#include <asm/prctl.h>
#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <ucontext.h>

#include "raw.h"
#include "run.h"
#include "scf_arch.h"

#define SLIDE		512		/* call numbers below this enter */
#define TRAMP_LEN	4096ull

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

void run_tramp_dispatch(struct run_thr *t);
extern const char run_tramp_entry[];

/*
 * The vector state into and out of the thread's area, as its xmode says;
 * clobber %rax, %rdx, %rdi only (called from the trampoline and thread.c).
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
	"	xsavec64 (%rdi)\n	ret\n"
	"1:	" VEC16("vmovdqu", "ymm", "32")
	"	stmxcsr 512(%rdi)\n	ret\n"
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
	/* A new thread starts here too, its block filled (thread.c). */
	".globl run_tramp_leave\n.hidden run_tramp_leave\n"
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
	".popsection\n");

static volatile int rw_lock;	/* one rewriter at a time: page protections */

/* A fork keeps rw_lock across it: the child's is free (as stats.c's). */
static void rw_fork_prepare(void)
{
	while (__atomic_test_and_set(&rw_lock, __ATOMIC_ACQUIRE))
		scf_cpu_relax();
}

static void rw_fork_done(void)
{
	__atomic_clear(&rw_lock, __ATOMIC_RELEASE);
}

__attribute__((constructor)) static void rw_atfork(void)
{
	pthread_atfork(rw_fork_prepare, rw_fork_done, rw_fork_done);
}

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

static const char *why_not;
static char why_buf[160];

const char *run_rewrite_why_not(void)
{
	return why_not;
}

int run_rewrite_init(bool have_fsgsbase)
{
	unsigned i;
	uint8_t *p;
	FILE *f;
	unsigned long min = 1;

	runtime.rewrite = false;
	if (runtime.no_rewrite) {
		why_not = "--no-rewrite: every call traps";
		return 0;
	}
	if (!have_fsgsbase || !runtime.threads_ok) {
		why_not = "no FSGSBASE or XSAVEC on this CPU: every call traps";
		return 0;
	}
	f = fopen("/proc/sys/vm/mmap_min_addr", "re");
	if (f) {
		if (fscanf(f, "%lu", &min) != 1)
			min = 1;
		fclose(f);
	}
	p = mmap(NULL, TRAMP_LEN, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (p == MAP_FAILED || p) {
		if (p != MAP_FAILED)
			munmap(p, TRAMP_LEN);
		snprintf(why_buf, sizeof(why_buf), "no trampoline at address 0 "
			 "(vm.mmap_min_addr is %lu and no CAP_SYS_RAWIO): every "
			 "call traps; sysctl vm.mmap_min_addr=0 allows it", min);
		why_not = why_buf;
		return 0;
	}
	/* Address 0 is a real mapping here, not a null pointer to the compiler. */
	__asm__("" : "+r"(p));
	memset(p, 0x66, SLIDE);			/* operand-size prefixes... */
	for (i = 7; i < SLIDE; i += 8)
		p[i] = 0x90;			/* ...ending each chain in a nop */
	p[SLIDE] = 0x49;			/* movabs $run_tramp_entry, %r11 */
	p[SLIDE + 1] = 0xbb;
	*(uint64_t *)(p + SLIDE + 2) = (uint64_t)(uintptr_t)run_tramp_entry;
	p[SLIDE + 10] = 0x41;			/* jmp *%r11 (the kernel clobbers r11) */
	p[SLIDE + 11] = 0xff;
	p[SLIDE + 12] = 0xe3;
	memset(p + SLIDE + 13, 0xcc, TRAMP_LEN - SLIDE - 13);	/* int3 */
	/*
	 * The stub (signal.c): mov $RUN_SIGRET_NR, %eax; syscall; ud2.  Its
	 * trap returns to the program with the mask that lets a pending
	 * signal in, so the kernel delivers it in the program's context.
	 */
	_Static_assert(RUN_TRAMP_STUB >= SLIDE + 13, "the stub's place");
	p[RUN_TRAMP_STUB] = 0xb8;
	*(uint32_t *)(p + RUN_TRAMP_STUB + 1) = RUN_SIGRET_NR;
	p[RUN_TRAMP_STUB + 5] = 0x0f;
	p[RUN_TRAMP_STUB + 6] = 0x05;
	p[RUN_TRAMP_STUB + 7] = 0x0f;
	p[RUN_TRAMP_STUB + 8] = 0x0b;
	if (mprotect(p, TRAMP_LEN, PROT_READ | PROT_EXEC))
		return -errno;
	runtime.rewrite = true;
	return 0;
}

/*
 * The sites kept trapping, each counted once however often it traps:
 * open addressing, full means no more counting (never a wrong count).
 */
#define KEPT_SLOTS	4096
static uint64_t kept[KEPT_SLOTS];

static bool kept_first(uint64_t site)
{
	uint32_t h = (uint32_t)((site * 0x9e3779b97f4a7c15ull) >> 52), i;

	for (i = 0; i < KEPT_SLOTS; i++, h = (h + 1) % KEPT_SLOTS) {
		if (kept[h] == site)
			return false;
		if (!kept[h]) {
			kept[h] = site;
			return true;
		}
	}
	runtime.sites_kept_uncounted = true;
	return false;
}

static void keep(uint64_t site, uint64_t *count)
{
	if (kept_first(site))
		++*count;
}

/* The call numbers whose sites keep trapping: they need the trap's context. */
static bool needs_context(long nr)
{
	switch (nr) {
	case SYS_rt_sigprocmask: case SYS_rt_sigreturn: case SYS_clone:
	case SYS_clone3: case SYS_fork: case SYS_vfork: case SYS_execve:
	case SYS_execveat:
		return true;
	default:
		return nr < 0 || nr >= SLIDE;
	}
}

/* The protection of the mapping holding [a, b), or -1 (not one mapping). */
static int prot_of(uint64_t a, uint64_t b)
{
	FILE *f = fopen("/proc/self/maps", "re");
	unsigned long lo, hi;
	char line[512], perm[8];
	int prot = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perm) != 3)
			continue;
		if (lo <= a && b <= hi) {
			prot = (perm[0] == 'r' ? PROT_READ : 0) |
			       (perm[1] == 'w' ? PROT_WRITE : 0) |
			       (perm[2] == 'x' ? PROT_EXEC : 0);
			break;
		}
	}
	fclose(f);
	return prot;
}

/* Does the site fix its own call number to nr? (see the comment on top) */
static bool fixed_number(const uint8_t *s, long nr)
{
	int32_t imm;

	if (s[-5] == 0xb8) {			/* mov $imm32, %eax */
		memcpy(&imm, s - 4, 4);
		return imm == nr;
	}
	return nr == 0 && s[-2] == 0x31 && s[-1] == 0xc0;	/* xor %eax,%eax */
}

/* Under rw_lock: the kept set, the counts and the page protections. */
static void rewrite_locked(uint64_t after, long nr)
{
	uint64_t site = after - 2, page = site & ~4095ull;
	uint16_t old = 0x050f, new = 0xd0ff;	/* 0f 05 -> ff d0, little end */
	uint8_t *s = (uint8_t *)(uintptr_t)site;
	int prot;

	if (needs_context(nr)) {
		keep(site, &runtime.sites_kept_context);
		return;
	}
	if ((site & 63) == 63) {	/* straddles a cache line */
		keep(site, &runtime.sites_kept_split);
		return;
	}
	if (run_owned_overlap(site - 5, 7)) {	/* the runtime's, the vDSO */
		keep(site, &runtime.sites_kept_other);
		return;
	}
	prot = prot_of(site - 5, after);
	if (prot < 0 || !(prot & PROT_EXEC) || s[0] != 0x0f || s[1] != 0x05 ||
	    !fixed_number(s, nr)) {
		keep(site, &runtime.sites_kept_other);
		return;
	}
	if (!(prot & PROT_WRITE) &&
	    mprotect((void *)(uintptr_t)page, 4096, prot | PROT_WRITE)) {
		keep(site, &runtime.sites_kept_other);
		return;
	}
	/* One locked 16-bit store: another thread fetches old or new. */
	if (__atomic_compare_exchange_n((uint16_t *)(uintptr_t)site, &old, new,
					false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		runtime.sites_rewritten++;
	if (!(prot & PROT_WRITE))
		mprotect((void *)(uintptr_t)page, 4096, prot);
}

void run_rewrite_site(uint64_t after, long nr)
{
	if (!runtime.rewrite)
		return;
	/* acquire: pairs with the release below, one rewriter at a time */
	while (__atomic_test_and_set(&rw_lock, __ATOMIC_ACQUIRE))
		scf_cpu_relax();
	rewrite_locked(after, nr);
	__atomic_clear(&rw_lock, __ATOMIC_RELEASE);
}
