# tests/integration: end to end through real processes.
#

$(BUILD)/tests/check-result: tests/integration/check_result.c tests/tap.h \
		$(RESULT_READER_SRCS) $(RESULT_READER_HDRS) | deps
	$(quiet) CC "$@"
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(BASE_CFLAGS) -Ianalysis -Itests -o $@ $< \
		$(RESULT_READER_SRCS) -ljansson -lm

HOSTILE_SRCS	:= tests/integration/hostile.c $(CORE_SRCS) variants/poll/notify_poll.c
$(BUILD)/tests/hostile: $(HOSTILE_SRCS) $(wildcard common/scf/*.h) | deps
	$(quiet) CC "$@"
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(BASE_CFLAGS) -DSCF_PROBES=1 -o $@ $(HOSTILE_SRCS)

TEST_DEPS	+= $(BUILD)/tests/check-result $(BUILD)/tests/hostile poll-asan
TEST_CMDS	+= e2e/poll='BUILD=$(BUILD) tests/integration/e2e.sh poll'
TEST_CMDS	+= hostile='ASAN_OPTIONS=detect_leaks=0:abort_on_error=0:exitcode=99 $(BUILD)/tests/hostile $(BUILD)/poll-asan/scf-shadow'
TEST_CMDS	+= cli/poll='BUILD=$(BUILD) tests/integration/cli.sh poll'
TEST_CMDS	+= progress/poll='BUILD=$(BUILD) tests/integration/progress.sh poll'
TEST_CMDS	+= wait/policy='tests/integration/wait.sh $(BUILD)'
