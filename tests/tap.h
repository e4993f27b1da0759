/* SPDX-License-Identifier: MIT */
/*
 * tests/tap.h - the one TAP producer of the C test programs (cmocka
 * suites print their own TAP through CMOCKA_MESSAGE_OUTPUT=TAP).
 *
 * tests/steps.sh counts "ok N" / "not ok N" lines and "# SKIP" directives,
 * so every program speaks exactly that and nothing else on stdout at the
 * start of a line.  stdout is flushed after every line: a test that dies
 * mid-run must leave every verdict it reached in the log.
 */
#ifndef SCF_TESTS_TAP_H
#define SCF_TESTS_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

static int tap_num, tap_failed;

/* One verdict; returns cond so a caller can stop after a failed check. */
static inline bool tap_ok(bool cond, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static inline bool tap_ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++tap_num);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	tap_failed += !cond;
	return cond;
}

/* A check that could not run here, with the reason. */
static inline void tap_skip(const char *why, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static inline void tap_skip(const char *why, const char *fmt, ...)
{
	va_list ap;

	printf("ok %d - ", ++tap_num);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" # SKIP %s\n", why);
	fflush(stdout);
}

/* A comment line; never counted. */
static inline void tap_diag(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static inline void tap_diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* The plan line, printed last when the count is only known at the end. */
static inline int tap_done(void)
{
	printf("1..%d\n", tap_num);
	fflush(stdout);
	return tap_failed ? 1 : 0;
}

#endif
