# tests/analysis: scf-report and scf-compare (analysis/analysis.mk).
#
# cmocka tests in tests/analysis/test_*.c, linked with the analysis
# library, built plain and under ASan+UBSan; the shell tests run the
# ASan+UBSan build of the tools.
AN_TEST_NAMES	:= $(patsubst tests/analysis/%.c,%,$(sort $(wildcard tests/analysis/test_*.c)))

# $(1) flavour (plain|asan), $(2) its flags
define an_test_rules
$(BUILD)/tests/analysis-$(1)/%.o: %.c | deps
	$$(quiet) CC "$$@"
	$(Q)mkdir -p $$(@D)
	$(Q)$(CC) $(AN_CFLAGS) $(2) -c -o $$@ $$<

$(BUILD)/tests/analysis-$(1)/test_%: $(BUILD)/tests/analysis-$(1)/tests/analysis/test_%.o \
		$(patsubst %.c,$(BUILD)/tests/analysis-$(1)/%.o,$(AN_LIB_SRCS))
	$$(quiet) LD "$$@"
	$(Q)$(CC) $(2) -o $$@ $$^ -lcmocka $(AN_LDLIBS)

$(BUILD)/tests/analysis-$(1)/scf-report: $(patsubst %.c,$(BUILD)/tests/analysis-$(1)/%.o,$(AN_LIB_SRCS) \
		$(AN_REPORT_SRCS))
	$$(quiet) LD "$$@"
	$(Q)$(CC) $(2) -o $$@ $$^ $(AN_LDLIBS)

$(BUILD)/tests/analysis-$(1)/scf-compare: $(patsubst %.c,$(BUILD)/tests/analysis-$(1)/%.o,$(AN_LIB_SRCS) \
		$(AN_COMPARE_SRCS))
	$$(quiet) LD "$$@"
	$(Q)$(CC) $(2) -o $$@ $$^ $(AN_LDLIBS)

-include $$(shell find $(BUILD)/tests/analysis-$(1) -name '*.d' 2>/dev/null)
endef

$(call for_each_flavour,an_test_rules)

AN_ASAN_TOOLS	:= $(BUILD)/tests/analysis-asan/scf-report \
		   $(BUILD)/tests/analysis-asan/scf-compare
analysis-tests: $(AN_DIR)/scf-report $(AN_DIR)/scf-compare $(AN_ASAN_TOOLS) \
		$(foreach t,$(AN_TEST_NAMES),$(BUILD)/tests/analysis-plain/$(t) \
		$(BUILD)/tests/analysis-asan/$(t))
.PHONY: analysis-tests
SAN_BINS	+= $(AN_ASAN_TOOLS) \
		   $(foreach t,$(AN_TEST_NAMES),$(BUILD)/tests/analysis-asan/$(t))
TEST_DEPS	+= analysis-tests

AN_SH_ENV	:= SCF_TOOLS=$(BUILD)/tests/analysis-asan
TEST_CMDS	+= $(foreach t,$(AN_TEST_NAMES),analysis/$(t)=$(BUILD)/tests/analysis-plain/$(t))
TEST_CMDS	+= $(foreach t,$(AN_TEST_NAMES),analysis-asan/$(t)=$(BUILD)/tests/analysis-asan/$(t))
TEST_CMDS	+= analysis/badinput='$(AN_SH_ENV) tests/analysis/badinput.sh'
TEST_CMDS	+= analysis/compare='$(AN_SH_ENV) tests/analysis/compare.sh'
TEST_CMDS	+= analysis/baseline='$(AN_SH_ENV) tests/analysis/baseline.sh'
TEST_CMDS	+= analysis/report='$(AN_SH_ENV) tests/analysis/report.sh'
TEST_CMDS	+= analysis/quality='$(AN_SH_ENV) tests/analysis/quality.sh'
TEST_CMDS	+= analysis/make='tests/analysis/make.sh'
# builds the code twice (the clone and BASE's worktree) and runs 2 x 12 samples
TEST_CMDS	+= analysis/compare_run@300='tests/analysis/compare_run.sh'
TEST_CMDS	+= analysis/bench='tests/analysis/bench.sh'
