// SPDX-License-Identifier: MIT
/*
 * rewrite.c - trap-free calls after the first: each syscall instruction
 * of the program traps through Syscall User Dispatch the first time it
 * runs (sud.c); the handler then rewrites that site, `syscall` (0f 05)
 * into `call *%rax` (ff d0), both two bytes.  With the call number in
 * %rax the call lands in a page mapped at address 0: a slide of 512
 * nops (chains of seven 0x66 prefixes and a nop: entered at any byte,
 * the rest of the chain is one valid nop, and the slide runs 64
 * instructions, not 512) and then a jump to the trampoline (tramp.c),
 * which serves the call in this thread without a signal, as zpoline
 * does.  SUD stays on for every site not rewritten.
 *
 * What the trampoline keeps is tramp.c's.  What it does not keep: the
 * 8 bytes below the program's stack pointer, where `call` writes its
 * return address.  That is inside
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
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "dispatch.h"
#include "scf_arch.h"

#define SLIDE		512		/* call numbers below this enter */
#define TRAMP_LEN	4096ull

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

static char why_buf[160];

int run_rewrite_init(bool have_fsgsbase, const char *entry)
{
	unsigned i;
	uint8_t *p;
	FILE *f;
	unsigned long min = 1;

	runtime.rewrite = false;
	if (runtime.no_rewrite) {
		runtime.rewrite_why_not = "--no-rewrite: every call traps";
		return 0;
	}
	if (!have_fsgsbase || !runtime.threads_ok) {
		runtime.rewrite_why_not = "no FSGSBASE or XSAVEC on this CPU: every call traps";
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
		runtime.rewrite_why_not = why_buf;
		return 0;
	}
	/* Address 0 is a real mapping here, not a null pointer to the compiler. */
	__asm__("" : "+r"(p));
	memset(p, 0x66, SLIDE);			/* operand-size prefixes... */
	for (i = 7; i < SLIDE; i += 8)
		p[i] = 0x90;			/* ...ending each chain in a nop */
	p[SLIDE] = 0x49;			/* movabs $entry, %r11 */
	p[SLIDE + 1] = 0xbb;
	*(uint64_t *)(p + SLIDE + 2) = (uint64_t)(uintptr_t)entry;
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
