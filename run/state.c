// SPDX-License-Identifier: MIT
/*
 * state.c - the runtime's state, shared by every layer: the whole
 * invocation's (runtime), and the call each thread is serving
 * (cur_call).  Here, at the bottom, so no file has to reach up for it.
 */
#include "run.h"

struct run_state runtime;
__thread struct run_cur cur_call;
