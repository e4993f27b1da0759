# workloads/: scf-bench, linked once per variant by the top-level rules,
# and `make bench`.
BENCH_SRCS	+= $(sort $(wildcard workloads/*.c))
# libtracefs/libtraceevent (--trace): their Debian include directories
# when pkg-config cannot say yet (a fresh machine, before make deps).
BENCH_LDLIBS	+= -ljansson -lm -luring -lpfm -ltracefs -ltraceevent
BASE_CFLAGS	+= $(or $(shell pkg-config --cflags libtracefs libtraceevent \
		   2>/dev/null),-I/usr/include/tracefs -I/usr/include/traceevent)

# ---- make bench ----------------------------------------------------------
#
#   make bench [VARIANT=ipi|uintr|poll|all] [WORKLOAD=name,…|group|default|all]
#              [SAMPLES=20] [CYCLES=10000] [CPUS=client,shadow]
#              [<V>_BACKEND=…, as variants/<v>/variant.mk offers]
#              [PAYLOAD_IN=<variant>,…|all]
#              [BENCH_ARGS='--service-delay-ns 500 …'] [RUN_TAG=name]
VARIANT		?= all
# default: every workload but the extended sweeps (scf-bench --list marks
# them "not in default"); all: every one; a group name (async, latwrite)
# runs its members; scale: the clients × depth × topology sweep
# (workloads/scale.sh, SCALE_CLIENTS), only when asked for.
WORKLOAD	?= default
SAMPLES		?= 20
CYCLES		?= 10000
CPUS		?= 1,0
BENCH_ARGS	?=

GIT_COMMIT	:= $(shell git rev-parse --short HEAD 2>/dev/null || echo nogit)
GIT_DIRTY	:= $(shell test -z "$$(git status --porcelain 2>/dev/null)" && echo 0 || echo 1)
RUN_HOST	:= $(shell hostname -s 2>/dev/null || hostname)
comma		:= ,
# RUN_TAG keeps several runs of one commit apart (e.g. RUN_TAG=delay500).
RUN_TAG		?=
RUN_DIR		:= results/$(GIT_COMMIT)$(if $(filter 1,$(GIT_DIRTY)),-dirty)$(if $(RUN_TAG),-$(RUN_TAG))/$(RUN_HOST)
BENCH_VARIANTS	:= $(if $(filter all,$(VARIANT)),$(VARIANTS),$(subst $(comma), ,$(VARIANT)))
# The backend a variant's variant.mk selects (v_BACKEND), else auto.
backend_of	= $(or $($(1)_BACKEND),auto)
BAD_BACKENDS	= $(strip $(foreach v,$(BENCH_VARIANTS),$(if $(filter auto \
		  $($(v)_BACKENDS),$(call backend_of,$(v))),,$(v))))
# With every variant, the peers run once (with the first variant), and so
# does the payload sweep (memsync against size, the same SCF core in every
# variant): with the sleeping doorbells it is most of a default run's time.
# PAYLOAD_IN=all sweeps in every variant.
PAYLOAD_IN	?= $(firstword $(BENCH_VARIANTS))
sweep_of	= $(if $(or $(filter all,$(PAYLOAD_IN)),$(filter $(1),$(PAYLOAD_IN))),,$(comma)-payload)
workloads_of	= $(if $(and $(filter all,$(VARIANT)),$(filter all default,$(WORKLOAD)),$(filter-out $(firstword $(BENCH_VARIANTS)),$(1))),forwarded$(if $(filter all,$(WORKLOAD)),$(comma)async)$(call sweep_of,$(1)),$(WORKLOAD))

# Probe overhead: the poll null and write workloads again, built with
# PROBES=0 (build/poll-noprobes), into results/…/poll-noprobes/.
space		:= $(empty) $(empty)
NOPROBE_WL	:= $(if $(filter all default,$(WORKLOAD)),null$(comma)write,$(subst $(space),$(comma),$(filter null write,$(subst $(comma), ,$(WORKLOAD)))))

ifeq ($(WORKLOAD),apps)
# Unmodified programs under scf-run against native: run/run.mk.
bench: bench-apps
else ifeq ($(WORKLOAD),scale)
# One syscall core, many clients: clients × depth × topology (scale.sh).
bench: all
	$(Q)BUILD=$(BUILD) SAMPLES=$(SAMPLES) CYCLES=$(CYCLES) CPUS=$(CPUS) \
		COMMIT=$(GIT_COMMIT) DIRTY=$(GIT_DIRTY) workloads/scale.sh \
		$(RUN_DIR) $(foreach v,$(BENCH_VARIANTS),$(v):$(call backend_of,$(v)))
	$(Q)$(BUILD)/analysis/scf-report $(RUN_DIR)
	$(Q)echo "bench: results in $(RUN_DIR)"
else
bench: all
	$(Q)for v in $(BENCH_VARIANTS); do \
		case " $(VARIANTS) " in *" $$v "*) ;; \
		*) echo "bench: unknown VARIANT '$$v' (have: $(VARIANTS) all)"; exit 2;; esac; \
	done
	$(Q)$(foreach v,$(BAD_BACKENDS),echo "bench: $(v) has no backend \
		'$(call backend_of,$(v))' (have: $($(v)_BACKENDS) auto)";) \
		$(if $(BAD_BACKENDS),exit 2,true)
	$(Q)mkdir -p $(RUN_DIR) && printf 'make bench started %s and has not finished\n' \
		"$$(date)" >$(RUN_DIR)/INCOMPLETE
	$(Q)set -e; $(foreach v,$(BENCH_VARIANTS),\
		$(BUILD)/$(v)/scf-bench --out $(RUN_DIR) --commit $(GIT_COMMIT) \
		--dirty $(GIT_DIRTY) --samples $(SAMPLES) --cycles $(CYCLES) \
		--cpus $(CPUS) --workloads $(call workloads_of,$(v)) \
		--backend $(call backend_of,$(v)) $(BENCH_ARGS);)
	$(Q)$(if $(and $(filter poll,$(BENCH_VARIANTS)),$(NOPROBE_WL)),\
		$(BUILD)/poll-noprobes/scf-bench --out $(RUN_DIR) \
		--commit $(GIT_COMMIT) --dirty $(GIT_DIRTY) --samples $(SAMPLES) \
		--cycles $(CYCLES) --cpus $(CPUS) --workloads $(NOPROBE_WL) \
		$(BENCH_ARGS),true)
	$(Q)rm -f $(RUN_DIR)/INCOMPLETE
	$(Q)if [ -x $(BUILD)/analysis/scf-report ]; then \
		$(BUILD)/analysis/scf-report $(RUN_DIR); fi
	$(Q)$(BUILD)/analysis/scf-sidebyside --markdown \
		--out $(RUN_DIR)/sidebyside.md $(RUN_DIR) 2>/dev/null || true
	$(Q)$(BUILD)/analysis/scf-sidebyside $(RUN_DIR) || true
	$(Q)echo "bench: results in $(RUN_DIR)"
endif
