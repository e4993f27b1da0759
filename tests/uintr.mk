# tests/uintr.mk - the uintr variant's tests: C programs (cmocka or
# tests/tap.h) built plain and under ASan+UBSan, linked with the core, the
# host helpers, every uintr source (variants/uintr/variant.mk, the UINTR
# hardware-path parts among them) and the fake UINTR kernel.
#
#   test_uintr_post   posting logic: layout, coalescing, SN, vectors, UITT,
#                     concurrent senders with no vector lost
#   test_uintr_emul   emul backend end to end over a memfd region: thread
#                     and process ping-pongs, no lost wake-up, coalescing
#   test_uintr_probe  ABI probe (fake syscalls), cpuinfo flag, fd passing
#   test_uintr_hw     real SENDUIPI; skipped with the reason elsewhere
#   test_uintr_sdm    emul against the SDM: handler call per vector, UIF,
#                     SN while the receiver sleeps
#   test_uintr_fakekernel  both kernel ABIs answered by a fake kernel
#                     (seccomp user notification), and the hw backend's
#                     set-up, fallback, senders, teardown and error paths
#                     run against it with the instructions faked
#   test_uintr_lost  a lost user interrupt under the fake kernel, in each
#                     hw wait: the call completes by the re-check, and one
#                     whose shadow never answers ends at its deadline
#   test_uintr_noinsn the real probe here: the hw backend and its library
#                     never execute a UINTR instruction (SIGILL fails it)
#   fake-default-run  the default --backend hw run (forwarded workloads and
#                     every UINTR peer, one process) under the fake kernel,
#                     without and with BLOCKING

UT_DIR		:= $(BUILD)/tests-uintr
UT_SRCS		:= $(sort $(wildcard tests/uintr/test_*.c))
UT_NAMES	:= $(patsubst tests/uintr/%.c,%,$(UT_SRCS))
UT_CFLAGS	:= $(BASE_CFLAGS) -DSCF_PROBES=1 $(uintr_CFLAGS) -Itests -Itests/unit \
		   -Itests/uintr
# fake_uintr_kernel.c: a UINTR kernel on seccomp user notification.
UT_LINK_SRCS	:= $(CORE_SRCS) $(HOST_SRCS) $(uintr_SRCS) \
		   tests/uintr/fake_uintr_kernel.c

# $(1) flavour (plain|asan), $(2) extra flags
define uintr_test_rules
$(UT_DIR)/$(1)/%.o: UT_FLAV := $(2)
$(UT_DIR)/$(1)/%.o: %.c | deps
	$$(quiet) CC "$$@"
	$(Q)mkdir -p $$(@D)
	$(Q)$(CC) $(UT_CFLAGS) $$(UT_FLAV) $$(UT_XFLAGS) -c -o $$@ $$<

$(UT_DIR)/$(1)/%: $(UT_DIR)/$(1)/tests/uintr/%.o \
		$(patsubst %.c,$(UT_DIR)/$(1)/%.o,$(UT_LINK_SRCS))
	$$(quiet) LD "$$@"
	$(Q)$(CC) $(2) -pthread -o $$@ $$^ $(UNIT_LIBS)

UT_BINS_$(1) := $(addprefix $(UT_DIR)/$(1)/,$(UT_NAMES))
-include $$(shell find $(UT_DIR)/$(1) -name '*.d' 2>/dev/null)
endef

$(call for_each_flavour,uintr_test_rules)

uintr-tests: $(UT_BINS_plain) $(UT_BINS_asan)
.PHONY: uintr-tests
SAN_BINS	+= $(UT_BINS_asan)

TEST_CMDS	+= $(foreach t,$(UT_NAMES),uintr/$(t)=$(UT_DIR)/plain/$(t))
TEST_CMDS	+= $(foreach t,$(UT_NAMES),uintr-asan/$(t)=$(UT_DIR)/asan/$(t))
TEST_DEPS	+= uintr-tests

# The handler as compiled, plain and under the sanitizers.
TEST_CMDS	+= uintr/handler-code='tests/uintr/handler_check.sh \
		   $(UT_DIR)/plain/$(UINTR_DIR)/uintr_hw_handler.o \
		   $(UT_DIR)/asan/$(UINTR_DIR)/uintr_hw_handler.o'

# The harness end to end (build/uintr/scf-bench + scf-shadow), emul.
TEST_CMDS	+= uintr/bench-e2e='tests/uintr/bench_e2e.sh $(BUILD)/uintr'
# The end-to-end check every variant runs (tests/integration/e2e.sh).
TEST_CMDS	+= e2e/uintr-emul='BUILD=$(BUILD) tests/integration/e2e.sh uintr emul'

# build/uintr-fake: the uintr variant's scf-bench and scf-shadow with the
# fake UINTR kernel linked in (fake_uintr_boot.c starts it when
# SCF_FAKE_UINTR is set), for the default run under it, in one process.
UFAKE_DIR	:= $(BUILD)/uintr-fake
UFAKE_OBJS	:= $(patsubst %.c,$(UFAKE_DIR)/%.o,tests/uintr/fake_uintr_kernel.c \
		   tests/uintr/fake_uintr_boot.c)

$(UFAKE_DIR)/%.o: %.c | deps
	$(quiet) CC "$@"
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(B_uintr_CFLAGS) -Itests/uintr -c -o $@ $<

# The variant's own objects, built by its rules (B_uintr_*: recipe-time).
$(UFAKE_DIR)/scf-bench: $(UFAKE_OBJS) $(BUILD)/uintr/scf-bench
	$(quiet) LD "$@"
	$(Q)$(CC) $(LDFLAGS) -pthread -o $@ $(UFAKE_OBJS) $(B_uintr_BENCH) \
		$(B_uintr_COMMON) $(uintr_LDLIBS) $(BENCH_LDLIBS)

$(UFAKE_DIR)/scf-shadow: $(UFAKE_OBJS) $(BUILD)/uintr/scf-shadow
	$(quiet) LD "$@"
	$(Q)$(CC) $(LDFLAGS) -pthread -o $@ $(UFAKE_OBJS) $(B_uintr_SHADOW) \
		$(B_uintr_COMMON) $(uintr_LDLIBS) $(SHADOW_LDLIBS)

uintr-fake: $(UFAKE_DIR)/scf-bench $(UFAKE_DIR)/scf-shadow
.PHONY: uintr-fake
TEST_DEPS	+= uintr-fake
-include $(shell find $(UFAKE_DIR) -name '*.d' 2>/dev/null)

# The default uintr/hw run (forwarded workloads, then every UINTR peer,
# in one process) under the fake kernel, without and with BLOCKING.
TEST_CMDS	+= uintr/fake-default-run='tests/uintr/fake_default_run.sh $(UFAKE_DIR)'
