// SPDX-License-Identifier: MIT
/*
 * interrupted.c - the flag every run loop polls (harness.h), here rather
 * than beside the signal handlers that set it (bench/main.c), so that a
 * program linking the harness without scf-bench's main() has it too.
 */
#include "harness.h"

volatile int bench_interrupted;
