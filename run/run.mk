# run/: scf-run, an RTOS-style loader that runs unmodified Linux programs
# with their system calls classified and forwarded through SCF.  Linked
# once per variant with the same core, host helpers and notify backend
# as scf-bench, and scf-bench's region and shadow start-up (spawn.c).
# fork: the RTOS side of the dual call, as scf-bench's (rtos/rtos_fork.c).
# The suite's result writer (results.c) records what scf-bench's does, the
# workload registry and counters included: all of scf-bench but its main(),
# its run loops (run_*.c), its turn-taking under scf-interleave and the
# workloads that bring their own run loop (wl_async.c, wl_scale.c).
RUN_FORK_SRC	:= rtos/rtos_fork.c
RUN_SRCS	:= $(sort $(wildcard run/*.c) $(wildcard rtos/*.c) \
		   $(filter-out workloads/main.c workloads/run_%.c \
				workloads/lockstep.c workloads/wl_async.c \
				workloads/wl_scale.c, \
				$(wildcard workloads/*.c)))

# $(1) variant
define scfrun_rules
$(BUILD)/$(1)/scf-run: $(patsubst %.c,$(BUILD)/$(1)/%.o,$(RUN_SRCS) \
		$(CORE_SRCS) $(HOST_SRCS) $($(1)_SRCS))
	$$(quiet) LD "$$@"
	$(Q)$(CC) $(LDFLAGS) -pthread -o $$@ $$^ $($(1)_LDLIBS) $$(BENCH_LDLIBS)

# The SIGSYS handler runs with the program's thread pointer until it has
# switched to ours: no stack-protector canary (read through %fs) there.
$(BUILD)/$(1)/run/sud.o: B_$(1)_CFLAGS += -fno-stack-protector
$(BUILD)/$(1)/run/%.o: B_$(1)_CFLAGS += -I$(dir $(RUN_FORK_SRC)) -Iworkloads
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
