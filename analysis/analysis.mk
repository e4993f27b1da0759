# analysis/: scf-report and scf-compare (libjansson for every JSON file,
# gnuplot for the plots), `make report` and `make compare`.

AN_DIR		:= $(BUILD)/analysis
AN_CFLAGS	:= $(BASE_CFLAGS) -Ianalysis $(CFLAGS)
AN_LDLIBS	:= -ljansson -lm
# The one reader of result files (result.h), linked by every tool and
# every test checker: compile these with -Ianalysis, link -ljansson -lm.
RESULT_READER_SRCS := analysis/result.c analysis/replicas.c analysis/util.c \
		      common/host/scf_file.c
RESULT_READER_HDRS := analysis/result.h analysis/replicas.h analysis/util.h \
		      common/host/scf_file.h
AN_LIB_SRCS	:= $(RESULT_READER_SRCS) analysis/hist.c \
		   analysis/mwu.c analysis/runset.c analysis/plot.c
AN_LIB_OBJS	:= $(patsubst %.c,$(AN_DIR)/%.o,$(AN_LIB_SRCS))
AN_REPORT_SRCS	:= analysis/scf-report.c analysis/report_plots.c \
		   analysis/report_md.c analysis/report_quality.c \
		   analysis/report_design.c analysis/report_items.c \
		   analysis/report_counters.c analysis/report_tail.c \
		   analysis/sidebyside.c analysis/sidebyside_fmt.c \
		   analysis/ipi_split.c analysis/report_ipi.c \
		   common/host/scf_phase.c
AN_COMPARE_SRCS	:= analysis/scf-compare.c analysis/compare.c \
		   analysis/compare_out.c analysis/compare_baseline.c
AN_REPORT_OBJS	:= $(patsubst %.c,$(AN_DIR)/%.o,$(AN_REPORT_SRCS))
AN_COMPARE_OBJS	:= $(patsubst %.c,$(AN_DIR)/%.o,$(AN_COMPARE_SRCS))

TOOLS		+= $(AN_DIR)/scf-report $(AN_DIR)/scf-compare

$(AN_DIR)/%.o: %.c | deps
	$(quiet) CC "$@"
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(AN_CFLAGS) -c -o $@ $<

$(AN_DIR)/scf-report: $(AN_REPORT_OBJS) $(AN_LIB_OBJS)
	$(quiet) LD "$@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(AN_LDLIBS)

$(AN_DIR)/scf-compare: $(AN_COMPARE_OBJS) $(AN_LIB_OBJS)
	$(quiet) LD "$@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(AN_LDLIBS)

analysis: $(AN_DIR)/scf-report $(AN_DIR)/scf-compare
.PHONY: analysis

-include $(shell find $(AN_DIR) -name '*.d' 2>/dev/null)

# ---- make report / make compare -------------------------------------------
#
#   make report [COMMIT=<commit>]            plots + report.md, every host
#   make compare BASE=<commit> [HEAD=<commit>] [THRESHOLD=5] [ALPHA=0.01]
#                [NORMALIZE=1]
#
# COMMIT, BASE and HEAD: a full or short hash, with -dirty for a dirty
# tree's results, or any git revision; COMMIT and HEAD default to the
# newest results directory.  Nothing is re-run.  `make compare` fails
# (make's status 2) when scf-compare exits 1 (a significant regression) or
# 2 (bad input); the line above make's says which.
RESULTS		?= results
AN_RESOLVE	:= analysis/scf-results.sh
COMPARE_FLAGS	= $(if $(THRESHOLD),--threshold $(THRESHOLD)) \
		  $(if $(ALPHA),--alpha $(ALPHA)) $(if $(MIN_NS),--min-ns $(MIN_NS)) \
		  $(if $(NORMALIZE),--normalize)

report: $(AN_DIR)/scf-report
	$(Q)dir=$$($(AN_RESOLVE) dir $(RESULTS) "$(COMMIT)") || exit 2; \
	hosts=$$($(AN_RESOLVE) hosts "$$dir") || exit 2; rc=0; \
	for h in $$hosts; do $(AN_DIR)/scf-report "$$h" || rc=$$?; done; \
	exit $$rc

compare: $(AN_DIR)/scf-compare
	$(Q)if [ -z "$(BASE)" ]; then \
		echo "usage: make compare BASE=<commit> [HEAD=<commit>]"; exit 2; fi
	$(Q)base=$$($(AN_RESOLVE) dir $(RESULTS) "$(BASE)") || exit 2; \
	head=$$($(AN_RESOLVE) dir $(RESULTS) "$(HEAD)") || exit 2; \
	if [ "$$base" = "$$head" ]; then \
		echo "make compare: BASE and HEAD are both $$base$(if $(HEAD),, (HEAD defaults to the newest results)): give HEAD=<commit>"; \
		exit 2; fi; \
	$(AN_DIR)/scf-compare "$$base" "$$head" $(COMPARE_FLAGS); rc=$$?; \
	[ $$rc = 1 ] && echo "make compare: significant regression (scf-compare exit 1)"; \
	exit $$rc
