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
PEERS_ONE	:= native-null native-write iouring iouring-nop uipi
TEST_CMDS	+= $(foreach w,$(PEERS_TWO),peers/$(w)='tests/peers/run.sh $(BUILD) $(w) --two-sided')
TEST_CMDS	+= $(foreach w,$(PEERS_ONE),peers/$(w)='tests/peers/run.sh $(BUILD) $(w)')

SBS_FIX		:= tests/fixtures/sidebyside
TEST_CMDS	+= sidebyside/terminal='$(SBS_BIN) $(SBS_FIX)/run | diff -u $(SBS_FIX)/expected.txt -'
TEST_CMDS	+= sidebyside/markdown='$(SBS_BIN) --markdown $(SBS_FIX)/run | diff -u $(SBS_FIX)/expected.md -'
TEST_CMDS	+= sidebyside/empty='! $(SBS_BIN) $(SBS_FIX)'
