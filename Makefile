# SPDX-License-Identifier: MIT
#
# scf-bench top-level Makefile.
#
#   make                 build every variant into build/<variant>/
#   make bench           build, run, store results, print, plot
#   make test            unit, sanitizer, integration and VM tests
#   make deps            install the Debian packages the project needs
#
# Quiet by default; V=1 prints every command.  PROBES=0 compiles the TSC
# probes out.  Each directory adds its own rules in a *.mk fragment, so
# variants, tools and tests never need to edit this file.

PROBES		?= 1
V		?= 0
CC		?= gcc
BUILD		:= build

ifeq ($(V),1)
Q :=
quiet = @true
else
Q := @
quiet = @printf '  %-8s %s\n'
endif

WARN		:= -Wall -Wextra -Werror
BASE_CFLAGS	:= -std=gnu11 -O2 -g $(WARN) -MMD -MP -pthread \
		   -Icommon/scf -Icommon/host -Iharness -D_GNU_SOURCE
CFLAGS		?=
LDFLAGS		?=

# Build flavours of the tests: every test program is built once per
# flavour, with that flavour's flags.  Defined here, before the fragments
# are read, because their rule templates expand the flags when they are
# instantiated.  A fragment instantiates its template, a define taking
# $(1) flavour and $(2) flags, with  $(call for_each_flavour,template).
FLAVOURS	:= plain asan
FLAVOUR_FLAGS_plain :=
FLAVOUR_FLAGS_asan := -fsanitize=address,undefined -fno-omit-frame-pointer \
		   -fno-sanitize-recover=all
for_each_flavour = $(foreach f,$(FLAVOURS),\
			$(eval $(call $(1),$(f),$(FLAVOUR_FLAGS_$(f)))))
# Every binary built with FLAVOUR_FLAGS_asan, for the symbol check
# (tests/tests.mk, san-check).
SAN_BINS	:=

# The freestanding core, shared by every variant and by a real RTOS.
CORE_SRCS	:= $(sort $(wildcard common/scf/*.c))
# Hosted helpers: TSC calibration and skew, pinning, results output.
HOST_SRCS	:= $(sort $(wildcard common/host/*.c))
# The harness both scf-bench and scf-run link: spawn, setup, run loops,
# results, counters, interference, baseline, deadline, trace, progress.
HARNESS_SRCS	:= $(sort $(wildcard harness/*.c))
# The workloads and their registry.  Each registers itself in a linker
# section (SCF_WORKLOAD), which nothing else references: their objects
# are linked directly, never through a static library that would drop
# them.
WORKLOAD_SRCS	:= $(sort $(wildcard workloads/*.c))

# A variant is its folder: variants/<v>/variant.mk declares, for v,
#   v_ORDER      two-digit key that places it in VARIANTS, tables and plots
#   v_BACKENDS   the backends it can run
#   v_BACKEND    the one `make bench` asks for (a user variable, default auto)
#   v_IDLE       backend=poll|halt pairs: how idle CPUs wait by default
#                with that backend (scf-bench --idle; poll when undeclared)
#   v_RAW_PEERS  backend=peer pairs: the raw notification ping-pong
#                (peers/<peer>.json) that backend is compared with
#   v_SRCS, v_CFLAGS, v_LDLIBS   its sources and flags
#   v_PEER_SRCS  its own workloads, such as its raw peer: linked into its
#                scf-bench and scf-run (they use the harness), not its
#                scf-shadow; scf-bench --workloads own selects them
# scf-bench records ORDER and the raw peer in every result, so
# the analysis tools never name a variant.  The other fragments add
# SHADOW_SRCS, BENCH_SRCS, BENCH_LDLIBS, extra targets and TEST_CMDS.
SHADOW_SRCS	:=
BENCH_SRCS	:=
BENCH_LDLIBS	:=
SHADOW_LDLIBS	:=
TEST_STEPS	:=
DEPS_PKGS	:= gcc make pkg-config libcmocka-dev libjansson-dev \
		   gnuplot-nox libpfm4-dev trace-cmd libtracefs-dev \
		   libtraceevent-dev liburing-dev python3-jsonschema sqlite3
DEPS_VM_PKGS	:= qemu-system-x86 linux-image-amd64 linux-headers-amd64 \
		   busybox-static cpio kmod

.PHONY: all clean deps deps-vm freestanding test bench report compare \
	kmod vmtest trace
all:

VARIANT_MKS	:= $(sort $(wildcard variants/*/variant.mk))
include $(VARIANT_MKS)
# A guest variant (GUEST_VARIANTS, its RTOS side a QEMU guest) has
# no Linux scf-bench: it stays out of VARIANTS and builds its scf-shadow.
VARIANTS	:= $(filter-out $(GUEST_VARIANTS),\
		   $(foreach k,$(sort $(foreach v,$(patsubst variants/%/variant.mk,%,\
		   $(VARIANT_MKS)),$(or $($(v)_ORDER),99):$(v))),\
		   $(lastword $(subst :, ,$(k)))))
include $(sort $(wildcard shadow/*.mk rtos/*.mk bench/*.mk analysis/*.mk run/*.mk \
		kmod/*.mk tests/*.mk))

# ---- one complete build per variant -------------------------------------
#
# $(1) build directory name, $(2) variant, $(3) PROBES value,
# $(4) extra compile and link flags (sanitizers).
define variant_rules
B_$(1)_DIR	:= $(BUILD)/$(1)
B_$(1)_CFLAGS	:= $(BASE_CFLAGS) -DSCF_PROBES=$(3) -DSCF_VARIANT=\"$(2)\" \
		   -DSCF_VARIANT_ORDER=$(or $($(2)_ORDER),99) \
		   '-DSCF_RAW_PEERS="$($(2)_RAW_PEERS)"' \
		   '-DSCF_IDLE_DEFAULTS="$($(2)_IDLE)"' \
		   '-DSCF_BACKENDS="$($(2)_BACKENDS)"' \
		   $$($(2)_CFLAGS) $(CFLAGS) $(4)
B_$(1)_COMMON	:= $$(patsubst %.c,$$(B_$(1)_DIR)/%.o,$(CORE_SRCS) $(HOST_SRCS) \
		   $$($(2)_SRCS))
B_$(1)_SHADOW	:= $$(patsubst %.c,$$(B_$(1)_DIR)/%.o,$(SHADOW_SRCS))
B_$(1)_BENCH	:= $$(patsubst %.c,$$(B_$(1)_DIR)/%.o,$(BENCH_SRCS) \
		   $$($(2)_PEER_SRCS))

$$(B_$(1)_DIR)/%.o: %.c | deps
	$$(quiet) CC "$$@"
	$(Q)mkdir -p $$(@D)
	$(Q)$(CC) $$(B_$(1)_CFLAGS) -c -o $$@ $$<

$$(B_$(1)_DIR)/scf-shadow: $$(B_$(1)_SHADOW) $$(B_$(1)_COMMON)
	$$(quiet) LD "$$@"
	$(Q)$(CC) $(LDFLAGS) $(4) -pthread -o $$@ $$^ $$($(2)_LDLIBS) $(SHADOW_LDLIBS)

$$(B_$(1)_DIR)/scf-bench: $$(B_$(1)_BENCH) $$(B_$(1)_COMMON)
	$$(quiet) LD "$$@"
	$(Q)$(CC) $(LDFLAGS) $(4) -pthread -o $$@ $$^ $$($(2)_LDLIBS) $(BENCH_LDLIBS)

# Its own workloads register as such too (harness/bench.h, SCF_WORKLOAD).
$$(patsubst %.c,$$(B_$(1)_DIR)/%.o,$$($(2)_PEER_SRCS)): \
	B_$(1)_CFLAGS += -DSCF_OWN_WORKLOAD=1

# The declarations reach scf-bench through harness/variant_decl.c.
$$(B_$(1)_DIR)/harness/variant_decl.o: variants/$(2)/variant.mk

$(1): $$(B_$(1)_DIR)/scf-shadow $$(B_$(1)_DIR)/scf-bench
.PHONY: $(1)
-include $$(shell find $$(B_$(1)_DIR) -name '*.d' 2>/dev/null)
endef

$(foreach v,$(VARIANTS) $(GUEST_VARIANTS),$(eval $(call variant_rules,$(v),$(v),$(PROBES))))
# The probe-overhead build: poll with every probe compiled out.
$(eval $(call variant_rules,poll-noprobes,poll,0))
# The hostile-client test's shadow: poll under ASan+UBSan (tests/).
$(eval $(call variant_rules,poll-asan,poll,1,$(FLAVOUR_FLAGS_asan)))
SAN_BINS	+= $(BUILD)/poll-asan/scf-shadow $(BUILD)/poll-asan/scf-bench

all: $(VARIANTS) poll-noprobes $(TOOLS)

# ---- the freestanding proof ---------------------------------------------
#
# Compile the core with no libc headers at all (-nostdinc, only GCC's own
# include directory, which provides stdint/stddef/stdbool/stdatomic), link
# it relocatably with -nostdlib, and check that the only symbols it needs
# from outside are the four a freestanding C implementation must provide.
FREE_DIR	:= $(BUILD)/freestanding
FREE_CFLAGS	:= -std=c11 -O2 -Wall -Wextra -Werror -ffreestanding \
		   -fno-builtin -nostdlib -nostdinc \
		   -isystem $(shell $(CC) -print-file-name=include) \
		   -Icommon/scf -Ivariants/poll
FREE_SRCS	:= $(CORE_SRCS) variants/poll/notify_poll.c
FREE_OBJS	:= $(patsubst %.c,$(FREE_DIR)/%.o,$(FREE_SRCS))

$(FREE_DIR)/%.o: %.c
	$(quiet) FREECC "$@"
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(FREE_CFLAGS) -c -o $@ $<

freestanding: $(FREE_OBJS)
	$(quiet) CHECK "freestanding core"
	$(Q)bad=$$(grep -hoE '^#include <[^>]+>' common/scf/*.[ch] | \
		grep -vE '<(stdint|stddef|stdbool|stdatomic)\.h>' | sort -u); \
	if [ -n "$$bad" ]; then echo "freestanding: forbidden header: $$bad"; exit 1; fi
	$(Q)$(CC) -nostdlib -r -o $(FREE_DIR)/scf-core.o $(FREE_OBJS)
	$(Q)undef=$$(nm -u $(FREE_DIR)/scf-core.o | awk '{print $$2}' | \
		grep -vxE 'memcpy|memset|memmove|memcmp' || true); \
	if [ -n "$$undef" ]; then echo "freestanding: undefined: $$undef"; exit 1; fi
	$(Q)echo "freestanding: common/scf builds with -ffreestanding -nostdlib -fno-builtin"

# ---- dependencies ---------------------------------------------------------
#
# Installs what is missing when root (apt-get), else prints the exact
# command and stops.  Order-only prerequisite of every object, so a fresh
# machine gets everything on the first `make bench` or `make test`.
define install_pkgs
	$(Q)missing=""; for p in $(1); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | \
			grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "deps: installing$$missing"; \
			export DEBIAN_FRONTEND=noninteractive; \
			{ apt-get install -y -q --no-install-recommends $$missing || \
			  { apt-get update -q && apt-get install -y -q \
			    --no-install-recommends $$missing; }; } \
			  >$(BUILD)/apt.log 2>&1 || \
			{ echo "deps: apt-get failed, see $(BUILD)/apt.log"; \
			  tail -5 $(BUILD)/apt.log; exit 1; }; \
		else \
			echo "deps: missing packages; run as root:"; \
			echo "  apt-get install -y$$missing"; exit 1; \
		fi; \
	fi
endef

deps:
	$(Q)mkdir -p $(BUILD)
	$(call install_pkgs,$(DEPS_PKGS))

deps-vm: deps
	$(call install_pkgs,$(DEPS_VM_PKGS))

clean:
	$(quiet) CLEAN build
	$(Q)rm -rf $(BUILD)
