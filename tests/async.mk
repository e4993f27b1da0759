# tests/async.mk - lat_write's three configurations and the asynchronous
# depth sweep, end to end at small counts, in every variant (its default
# backend: ipi falls back to futex and uintr to emul where they must).
TEST_DEPS	+= $(BUILD)/tests/check-result
TEST_CMDS	+= $(foreach v,$(VARIANTS),async/$(v)='BUILD=$(BUILD) tests/integration/async.sh $(v)')
