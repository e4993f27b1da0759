# tests/peers.mk: every peer baseline at small counts, its JSON checked
# by peercheck (the result reader, analysis/result.h), and scf-sidebyside
# against fixed results.

PEERCHECK	:= $(BUILD)/tests/peercheck

$(PEERCHECK): tests/peers/peercheck.c tests/tap.h $(RESULT_READER_SRCS) \
		$(RESULT_READER_HDRS) | deps
	$(quiet) CCLD "$@"
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(BASE_CFLAGS) -Ianalysis -Itests $(CFLAGS) $(LDFLAGS) -o $@ $< \
		$(RESULT_READER_SRCS) -ljansson -lm

TEST_DEPS	+= $(PEERCHECK) $(BUILD)/tests/check-result

# Two processes (or the SQ thread) work: the peer side's CPU must count.
PEERS_TWO	:= pingpong futex eventfd pipe signal iouring-sqpoll iouring-sqpoll-nop
PEERS_ONE	:= native-null native-write iouring iouring-nop
# How each one's receivers wait without --wait (config.wait; none: it
# waits for no notification).
wait_of		= $(or $(PEER_WAIT_$(1)),none)
PEER_WAIT_pingpong := spin
PEER_WAIT_futex	:= sleep
PEER_WAIT_signal := sleep
PEER_WAIT_eventfd := sleep
PEER_WAIT_pipe	:= sleep
TEST_CMDS	+= $(foreach w,$(PEERS_TWO),peers/$(w)='tests/peers/run.sh $(BUILD) $(w) --two-sided --wait-is $(call wait_of,$(w))')
TEST_CMDS	+= $(foreach w,$(PEERS_ONE),peers/$(w)='tests/peers/run.sh $(BUILD) $(w) --wait-is $(call wait_of,$(w))')
# uipi is the uintr variant's own (variants/uintr/peer_uipi.c): its
# scf-bench runs it where the CPU has UINTR, and spins; elsewhere it says
# why it skipped.  No other variant has it, and a variant runs its own
# peers in an every-variant make bench (tests/peers/own.sh).
TEST_CMDS	+= peers/uipi='tests/peers/run.sh $(BUILD) uipi --wait-is spin --variant uintr'
TEST_CMDS	+= peers/own='tests/peers/own.sh $(BUILD)'
# The raw peers of the sleeping variants wait as --wait asks, and say so;
# those that can wait only one way keep it.
TEST_CMDS	+= peers/futex-spin='tests/peers/run.sh $(BUILD) futex --wait-is spin -- --wait spin'
TEST_CMDS	+= peers/futex-hybrid='tests/peers/run.sh $(BUILD) futex --two-sided --wait-is hybrid:20000 --variant ipi -- --wait hybrid:20000'
TEST_CMDS	+= peers/signal-spin='tests/peers/run.sh $(BUILD) signal --wait-is spin -- --wait spin'
TEST_CMDS	+= peers/signal-hybrid='tests/peers/run.sh $(BUILD) signal --two-sided --wait-is hybrid:20000 --variant uintr -- --wait hybrid:20000'
TEST_CMDS	+= peers/pipe-spin='tests/peers/run.sh $(BUILD) pipe --two-sided --wait-is sleep -- --wait spin'

SBS_FIX		:= tests/fixtures/sidebyside
TEST_CMDS	+= sidebyside/terminal='$(SBS_BIN) $(SBS_FIX)/run | diff -u $(SBS_FIX)/expected.txt -'
TEST_CMDS	+= sidebyside/markdown='$(SBS_BIN) --markdown $(SBS_FIX)/run | diff -u $(SBS_FIX)/expected.md -'
TEST_CMDS	+= sidebyside/empty='! $(SBS_BIN) $(SBS_FIX)'
# report.md's "Woken by a real IPI" on the same fixture run.
TEST_DEPS	+= $(AN_DIR)/scf-report
TEST_CMDS	+= sidebyside/report-ipi='tests/analysis/report_ipi.sh $(AN_DIR)/scf-report $(SBS_FIX)/run'
