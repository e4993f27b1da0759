# tests/: cmocka unit tests, built plain and under ASan+UBSan, and the
# runner that sums every test step into one "N passed, N failed" line.
#
# Fragments add steps with   TEST_CMDS += name=command
# (the command prints TAP lines, or only its exit status counts), or
# name@SECONDS=command for a step that needs more than tests/steps.sh's
# default limit (TEST_TIMEOUT, 600 s).

UNIT_SRCS	:= $(sort $(wildcard tests/unit/test_*.c))
UNIT_HELPERS	:= tests/unit/probe_off.c variants/poll/notify_poll.c
UNIT_NAMES	:= $(patsubst tests/unit/%.c,%,$(UNIT_SRCS))
UNIT_CFLAGS	:= $(BASE_CFLAGS) -DSCF_PROBES=1 -Itests/unit
UNIT_LIBS	:= -lcmocka

# $(1) flavour (plain|asan), $(2) extra flags
define unit_rules
$(BUILD)/tests/$(1)/%.o: %.c | deps
	$$(quiet) CC "$$@"
	$(Q)mkdir -p $$(@D)
	$(Q)$(CC) $(UNIT_CFLAGS) $(2) $$(if $$(findstring probe_off,$$<),-USCF_PROBES -DSCF_PROBES=0) -c -o $$@ $$<

$(BUILD)/tests/$(1)/%: $(BUILD)/tests/$(1)/tests/unit/%.o \
		$(patsubst %.c,$(BUILD)/tests/$(1)/%.o,$(CORE_SRCS) $(HOST_SRCS) $(UNIT_HELPERS))
	$$(quiet) LD "$$@"
	$(Q)$(CC) $(2) -pthread -o $$@ $$^ $(UNIT_LIBS)

UNIT_BINS_$(1) := $(addprefix $(BUILD)/tests/$(1)/,$(UNIT_NAMES))
-include $$(shell find $(BUILD)/tests/$(1) -name '*.d' 2>/dev/null)
endef

$(call for_each_flavour,unit_rules)
.SECONDARY:

unit: $(UNIT_BINS_plain) $(UNIT_BINS_asan)
.PHONY: unit
SAN_BINS	+= $(UNIT_BINS_asan)

TEST_CMDS	+= freestanding='$(MAKE) --no-print-directory freestanding'
TEST_CMDS	+= $(foreach t,$(UNIT_NAMES),unit/$(t)=$(BUILD)/tests/plain/$(t))
TEST_CMDS	+= $(foreach t,$(UNIT_NAMES),asan/$(t)=$(BUILD)/tests/asan/$(t))
TEST_DEPS	+= unit
TEST_CMDS	+= sanitizers='$(MAKE) --no-print-directory san-check'

test: deps-vm
	$(Q)$(MAKE) --no-print-directory all $(TEST_DEPS)
	$(Q)tests/steps.sh $(TEST_CMDS)

# Every binary built with the sanitizer flags carries the sanitizers'
# symbols.  A make target, so that SAN_BINS holds what every fragment
# added by the time the recipe runs; run after the build, it checks what
# was built and builds nothing.
san-check:
	$(Q)tests/sanitizers/check_symbols.sh '$(FLAVOUR_FLAGS_asan)' $(SAN_BINS)
.PHONY: san-check
