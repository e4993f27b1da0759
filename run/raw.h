/* SPDX-License-Identifier: MIT */
/*
 * raw.h - a system call without libc: no errno (TLS), the result or
 * -errno as the kernel gives it.  What the SIGSYS handler may use before
 * it has switched to the runtime's thread pointer, and how the runtime
 * makes a program's call on the host as the program asked.
 */
#ifndef RUN_RAW_H
#define RUN_RAW_H

#include <stdint.h>

static inline long raw_syscall6(long nr, uint64_t a0, uint64_t a1,
				uint64_t a2, uint64_t a3, uint64_t a4,
				uint64_t a5)
{
	register uint64_t r10 __asm__("r10") = a3;
	register uint64_t r8 __asm__("r8") = a4;
	register uint64_t r9 __asm__("r9") = a5;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a0), "S"(a1), "d"(a2), "r"(r10),
			   "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

#endif /* RUN_RAW_H */
