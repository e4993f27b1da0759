# tests/uintr.mk - the uintr variant's tests: cmocka binaries built plain
# and under ASan+UBSan, linked with the core, the host helpers and every
# uintr source (variants/uintr/variant.mk), the -muintr files with their
# own flags as in the variant build.
#
#   test_uintr_post   posting logic: layout, coalescing, SN, vectors, UITT,
#                     concurrent senders with no vector lost
#   test_uintr_emul   emul backend end to end over a memfd region: thread
#                     and process ping-pongs, no lost wake-up, coalescing
#   test_uintr_probe  ABI probe (fake syscalls), cpuinfo flag, fd passing
#   test_uintr_hw     real SENDUIPI; skipped with the reason elsewhere

UT_DIR		:= $(BUILD)/tests-uintr
UT_SRCS		:= $(sort $(wildcard tests/uintr/test_*.c))
UT_NAMES	:= $(patsubst tests/uintr/%.c,%,$(UT_SRCS))
UT_CFLAGS	:= $(BASE_CFLAGS) -DSCF_PROBES=1 -Itests/unit -Itests/uintr \
		   -I$(UINTR_DIR)
UT_LINK_SRCS	:= $(CORE_SRCS) $(HOST_SRCS) $(uintr_SRCS)

# $(1) flavour (plain|asan), $(2) extra flags
define uintr_test_rules
$(UT_DIR)/$(1)/%.o: UT_FLAV := $(2)
$(UT_DIR)/$(1)/%.o: %.c | deps
	$$(quiet) CC "$$@"
	$(Q)mkdir -p $$(@D)
	$(Q)$(CC) $(UT_CFLAGS) $$(UT_FLAV) $$(UT_XFLAGS) -c -o $$@ $$<

# The user-interrupt handler is never instrumented: a sanitizer call from
# an interrupt handler would clobber registers it does not save.
$(UT_DIR)/$(1)/$(UINTR_DIR)/uintr_hw_isa.o: UT_XFLAGS := $(UINTR_FLAGS_isa)
$(UT_DIR)/$(1)/$(UINTR_DIR)/uintr_hw_handler.o: UT_XFLAGS := $(UINTR_FLAGS_handler)
$(UT_DIR)/$(1)/$(UINTR_DIR)/uintr_hw_handler.o: UT_FLAV :=

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

# The harness end to end (build/uintr/scf-bench + scf-shadow), emul.
TEST_CMDS	+= uintr/bench-e2e='tests/uintr/bench_e2e.sh $(BUILD)/uintr'
# The lead's integration check (tests/integration/e2e.sh) on this variant.
TEST_CMDS	+= e2e/uintr-emul='BUILD=$(BUILD) tests/integration/e2e.sh uintr emul'
