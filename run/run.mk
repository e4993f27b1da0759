# run/: scf-run, an RTOS-style loader that runs unmodified Linux programs
# with their system calls classified and forwarded through SCF.  Linked
# once per variant with the same core, host helpers and notify backend
# as scf-bench, and the same harness (harness/: the region and shadow
# start-up in spawn.c, the result writer in results.c) and workloads:
# everything of scf-bench but its main() (bench/main.c).
# fork: the RTOS side of the dual call, as scf-bench's (rtos/rtos_fork.c).
RUN_FORK_SRC	:= rtos/rtos_fork.c
RUN_SRCS	:= $(sort $(wildcard run/*.c) $(wildcard rtos/*.c) \
		   $(HARNESS_SRCS) $(WORKLOAD_SRCS))

# $(1) variant
define scfrun_rules
$(BUILD)/$(1)/scf-run: $(patsubst %.c,$(BUILD)/$(1)/%.o,$(RUN_SRCS) \
		$(CORE_SRCS) $(HOST_SRCS) $($(1)_SRCS) $($(1)_PEER_SRCS))
	$$(quiet) LD "$$@"
	$(Q)$(CC) $(LDFLAGS) -pthread -o $$@ $$^ $($(1)_LDLIBS) $$(BENCH_LDLIBS)

# The SIGSYS handler runs with the program's thread pointer until it has
# switched to ours: no stack-protector canary (read through %fs) there.
$(BUILD)/$(1)/run/trap.o: B_$(1)_CFLAGS += -fno-stack-protector
$(BUILD)/$(1)/run/%.o: B_$(1)_CFLAGS += -I$(dir $(RUN_FORK_SRC))
$(1): $(BUILD)/$(1)/scf-run
endef

$(foreach v,$(VARIANTS),$(eval $(call scfrun_rules,$(v))))

# The origin's lat_write as an ordinary program (make bench WORKLOAD=apps).
$(BUILD)/apps/lat_write: run/apps/lat_write.c | deps
	$(quiet) CC "$@"
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(BASE_CFLAGS) -o $@ $<
all: $(BUILD)/apps/lat_write

# The statistics of run/apps/latwrite_ratio.sh: replicas, bootstrap interval.
$(BUILD)/apps/latwrite-stats: run/apps/latwrite_stats.c \
		$(patsubst %.c,$(AN_DIR)/%.o,$(RESULT_READER_SRCS)) | deps
	$(quiet) LD "$@"
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(AN_CFLAGS) -o $@ $^ $(AN_LDLIBS)
all: $(BUILD)/apps/latwrite-stats

# make bench WORKLOAD=apps (bench.mk hands it over here).
bench-apps: all
	$(Q)BUILD=$(BUILD) SAMPLES=$(SAMPLES) CYCLES=$(CYCLES) CPUS=$(CPUS) \
		COMMIT=$(GIT_COMMIT) DIRTY=$(GIT_DIRTY) run/apps/bench.sh \
		$(RUN_DIR) $(foreach v,$(BENCH_VARIANTS),$(v):$(call backend_of,$(v)))
.PHONY: bench-apps
