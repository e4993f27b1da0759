// SPDX-License-Identifier: MIT
/*
 * load.c - the loader: map an x86-64 ELF (ET_EXEC or ET_DYN) and, for a
 * dynamic program, its interpreter, into this process, and build the
 * fresh stack the kernel's execve would have built (argc, argv, envp,
 * auxv).  The first image is read from the host, as an RTOS reads the
 * programs it boots from its own image; an image the program execs is
 * read through the shadow (exec.c), beneath --root, as the SCF seeds'
 * exec does (remote stat, open, read).  Everything is checked before
 * anything is mapped, so a failed exec leaves the old image intact.
 */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <unistd.h>

#include "run.h"

#define PAGE		4096ull
#define STACK_SIZE	(8ull << 20)
#define PAGE_DOWN(x)	((x) & ~(PAGE - 1))
#define PAGE_UP(x)	(((x) + PAGE - 1) & ~(PAGE - 1))

struct elf {
	const uint8_t *file;	/* the whole file, fetched */
	uint64_t size;
	Elf64_Ehdr eh;
	Elf64_Phdr ph[64];
	uint64_t base;		/* load bias (0 for ET_EXEC) */
	uint64_t end;		/* first page after the highest segment */
	char interp[256];
};

struct run_exe {
	struct elf prog, interp;
	uint8_t *pbuf, *ibuf;
};

static bool loud;	/* say why (the first image); an exec only fails */

static int fail(const char *path, const char *what)
{
	if (loud)
		fprintf(stderr, "scf-run: %s: %s\n", path, what);
	return -ENOEXEC;
}

static int prot_of(uint32_t flags)
{
	return (flags & PF_R ? PROT_READ : 0) | (flags & PF_W ? PROT_WRITE : 0) |
	       (flags & PF_X ? PROT_EXEC : 0);
}

static int read_at(const struct elf *e, void *buf, uint64_t len, uint64_t off)
{
	if (off > e->size || len > e->size - off)
		return -EIO;
	memcpy(buf, e->file + off, len);
	return 0;
}

/* Check the headers; the caller maps. */
static int read_headers(const char *path, struct elf *e)
{
	unsigned i;

	if (read_at(e, &e->eh, sizeof(e->eh), 0) ||
	    memcmp(e->eh.e_ident, ELFMAG, SELFMAG))
		return fail(path, "not an ELF file");
	if (e->eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    e->eh.e_machine != EM_X86_64)
		return fail(path, "not an x86-64 ELF");
	if (e->eh.e_type != ET_EXEC && e->eh.e_type != ET_DYN)
		return fail(path, "neither an executable nor a PIE");
	if (e->eh.e_phentsize != sizeof(Elf64_Phdr) || !e->eh.e_phnum ||
	    e->eh.e_phnum > 64)
		return fail(path, "bad program header table");
	if (read_at(e, e->ph, sizeof(Elf64_Phdr) * e->eh.e_phnum,
		    e->eh.e_phoff))
		return fail(path, "truncated program header table");
	for (i = 0; i < e->eh.e_phnum; i++) {
		const Elf64_Phdr *p = &e->ph[i];

		if (p->p_type == PT_INTERP) {
			if (p->p_filesz < 2 || p->p_filesz > sizeof(e->interp) ||
			    read_at(e, e->interp, p->p_filesz, p->p_offset) ||
			    e->interp[p->p_filesz - 1])
				return fail(path, "bad PT_INTERP");
		}
		if (p->p_type == PT_LOAD && (p->p_filesz > p->p_memsz ||
		    (p->p_vaddr - p->p_offset) % PAGE ||
		    p->p_offset > e->size || p->p_filesz > e->size - p->p_offset ||
		    p->p_vaddr + p->p_memsz < p->p_vaddr))
			return fail(path, "bad PT_LOAD");
	}
	return 0;
}

/*
 * Reserve the whole span, then fill each segment: anonymous memory, the
 * file's bytes read in, the rest zero (bss), then its final protection.
 */
static int map_image(const char *path, struct elf *e)
{
	uint64_t lo = UINT64_MAX, hi = 0;
	int flags = MAP_PRIVATE | MAP_ANONYMOUS;
	unsigned i;
	void *p;

	for (i = 0; i < e->eh.e_phnum; i++) {
		if (e->ph[i].p_type != PT_LOAD)
			continue;
		if (PAGE_DOWN(e->ph[i].p_vaddr) < lo)
			lo = PAGE_DOWN(e->ph[i].p_vaddr);
		if (PAGE_UP(e->ph[i].p_vaddr + e->ph[i].p_memsz) > hi)
			hi = PAGE_UP(e->ph[i].p_vaddr + e->ph[i].p_memsz);
	}
	if (lo >= hi)
		return fail(path, "no PT_LOAD segment");
	if (e->eh.e_type == ET_EXEC)
		flags |= MAP_FIXED_NOREPLACE;
	p = mmap(e->eh.e_type == ET_EXEC ? (void *)lo : NULL, hi - lo,
		 PROT_NONE, flags, -1, 0);
	if (p == MAP_FAILED ||
	    (e->eh.e_type == ET_EXEC && (uint64_t)(uintptr_t)p != lo))
		return fail(path, "its addresses collide with the runtime's");
	e->base = (uint64_t)(uintptr_t)p - lo;
	e->end = e->base + hi;
	run_track_add((uint64_t)(uintptr_t)p, hi - lo);
	for (i = 0; i < e->eh.e_phnum; i++) {
		const Elf64_Phdr *ph = &e->ph[i];
		uint64_t start = e->base + PAGE_DOWN(ph->p_vaddr);
		uint64_t len = e->base + PAGE_UP(ph->p_vaddr + ph->p_memsz) - start;

		if (ph->p_type != PT_LOAD)
			continue;
		if (mmap((void *)start, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) ==
		    MAP_FAILED)
			return fail(path, "cannot map a segment");
		if (read_at(e, (void *)(e->base + ph->p_vaddr), ph->p_filesz,
			    ph->p_offset))
			return fail(path, "truncated segment");
		if (mprotect((void *)start, len, prot_of(ph->p_flags)))
			return fail(path, "cannot protect a segment");
	}
	return 0;
}

/* Where the program headers are in memory (AT_PHDR). */
static uint64_t phdr_addr(const struct elf *e)
{
	unsigned i;

	for (i = 0; i < e->eh.e_phnum; i++)
		if (e->ph[i].p_type == PT_PHDR)
			return e->base + e->ph[i].p_vaddr;
	for (i = 0; i < e->eh.e_phnum; i++) {
		const Elf64_Phdr *p = &e->ph[i];

		if (p->p_type == PT_LOAD && e->eh.e_phoff >= p->p_offset &&
		    e->eh.e_phoff < p->p_offset + p->p_filesz)
			return e->base + p->p_vaddr + e->eh.e_phoff - p->p_offset;
	}
	return 0;
}

/* Push bytes down from *top; returns where they now are. */
static uint64_t push(uint64_t *top, const void *p, size_t len)
{
	*top -= len;
	memcpy((void *)*top, p, len);
	return *top;
}

static int build_stack(const struct elf *prog, const struct elf *interp,
		       const char *path, char **argv, char **envp,
		       struct run_image *img)
{
	uint64_t argc = 0, envc = 0, i, n, top, *sp, rnd[2];
	uint64_t *sargv, *senvp, execfn, random, platform;
	char *mem;

	while (argv[argc])
		argc++;
	while (envp[envc])
		envc++;
	mem = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (mem == MAP_FAILED)
		return fail(path, "cannot map its stack");
	run_track_add((uint64_t)(uintptr_t)mem, STACK_SIZE);
	top = (uint64_t)(uintptr_t)mem + STACK_SIZE;
	sargv = calloc(argc + envc + 2, sizeof(uint64_t));
	if (!sargv)
		return -ENOMEM;
	senvp = sargv + argc + 1;
	execfn = push(&top, path, strlen(path) + 1);
	for (i = envc; i-- > 0;)
		senvp[i] = push(&top, envp[i], strlen(envp[i]) + 1);
	for (i = argc; i-- > 0;)
		sargv[i] = push(&top, argv[i], strlen(argv[i]) + 1);
	platform = push(&top, "x86_64", 7);
	if (getentropy(rnd, sizeof(rnd)))
		rnd[0] = rnd[1] = (uint64_t)(uintptr_t)&rnd ^ 0x9e3779b97f4a7c15ull;
	top &= ~15ull;
	random = push(&top, rnd, sizeof(rnd));

	{
		uint64_t aux[] = {
			AT_PHDR, phdr_addr(prog),
			AT_PHENT, sizeof(Elf64_Phdr),
			AT_PHNUM, prog->eh.e_phnum,
			AT_PAGESZ, PAGE,
			AT_BASE, interp ? interp->base : 0,
			AT_FLAGS, 0,
			AT_ENTRY, prog->base + prog->eh.e_entry,
			AT_UID, getauxval(AT_UID),
			AT_EUID, getauxval(AT_EUID),
			AT_GID, getauxval(AT_GID),
			AT_EGID, getauxval(AT_EGID),
			AT_SECURE, 0,
			AT_HWCAP, getauxval(AT_HWCAP),
			AT_HWCAP2, getauxval(AT_HWCAP2),
			AT_CLKTCK, getauxval(AT_CLKTCK),
			AT_MINSIGSTKSZ, getauxval(AT_MINSIGSTKSZ),
			AT_SYSINFO_EHDR, getauxval(AT_SYSINFO_EHDR),
			AT_RANDOM, random,
			AT_PLATFORM, platform,
			AT_EXECFN, execfn,
			AT_NULL, 0,
		};

		/* argc, argv[], NULL, envp[], NULL, auxv: rsp 16-aligned at argc */
		n = 1 + (argc + 1) + (envc + 1) + sizeof(aux) / 8;
		top -= n * 8;
		top &= ~15ull;
		sp = (uint64_t *)top;
		*sp++ = argc;
		memcpy(sp, sargv, (argc + 1) * 8);
		sp += argc + 1;
		memcpy(sp, senvp, (envc + 1) * 8);
		sp += envc + 1;
		memcpy(sp, aux, sizeof(aux));
	}
	free(sargv);
	img->sp = top;
	return 0;
}

static int fetch_one(const char *path, run_fetch_fn fetch, struct elf *e,
		     uint8_t **buf)
{
	int err;

	memset(e, 0, sizeof(*e));
	err = fetch(path, buf, &e->size);
	if (err) {
		if (loud)
			fprintf(stderr, "scf-run: %s: %s\n", path, strerror(-err));
		return err;
	}
	e->file = *buf;
	return read_headers(path, e);
}

void run_exe_free(struct run_exe *x)
{
	if (!x)
		return;
	free(x->pbuf);
	free(x->ibuf);
	free(x);
}

int run_exe_read(const char *path, run_fetch_fn fetch, bool say,
		 struct run_exe **out)
{
	struct run_exe *x = calloc(1, sizeof(*x));
	int err;

	if (!x)
		return -ENOMEM;
	loud = say;
	err = fetch_one(path, fetch, &x->prog, &x->pbuf);
	if (!err && x->prog.interp[0]) {
		err = fetch_one(x->prog.interp, fetch, &x->interp, &x->ibuf);
		if (!err && x->interp.interp[0])
			err = fail(x->prog.interp, "an interpreter with an interpreter");
	}
	if (err) {
		run_exe_free(x);
		return err;
	}
	*out = x;
	return 0;
}

int run_exe_map(struct run_exe *x, const char *path, char **argv,
		char **envp, struct run_image *img)
{
	bool dyn = x->prog.interp[0] != 0;
	int err = map_image(path, &x->prog);

	if (err)
		return err;
	img->brk = x->prog.end;
	img->entry = x->prog.base + x->prog.eh.e_entry;
	if (dyn) {
		err = map_image(x->prog.interp, &x->interp);
		if (err)
			return err;
		img->entry = x->interp.base + x->interp.eh.e_entry;
	}
	return build_stack(&x->prog, dyn ? &x->interp : NULL, path, argv, envp,
			   img);
}
