# tests/extended.mk - lat_write's three configurations, the asynchronous
# depth sweep and syncmap's grain, end to end at small counts, in every
# variant (its default
# backend: ipi falls back to futex and uintr to emul where they must).
TEST_DEPS	+= $(BUILD)/tests/check-result
TEST_CMDS	+= $(foreach v,$(VARIANTS),extended/$(v)='BUILD=$(BUILD) tests/integration/extended.sh $(v)')
# One shadow CPU, two clients, --topology spsc and mpsc (topology.sh).
TEST_CMDS	+= $(foreach v,$(VARIANTS),topology/$(v)='BUILD=$(BUILD) tests/integration/topology.sh $(v)')
