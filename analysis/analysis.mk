# analysis/: scf-report and scf-compare (libjansson for every JSON file,
# gnuplot for the plots), `make report` and `make compare`.

AN_DIR		:= $(BUILD)/analysis
AN_CFLAGS	:= $(BASE_CFLAGS) -Ianalysis $(CFLAGS)
AN_LDLIBS	:= -ljansson -lm
AN_LIB_SRCS	:= analysis/util.c analysis/result.c analysis/hist.c \
		   analysis/mwu.c analysis/runset.c analysis/plot.c
AN_LIB_OBJS	:= $(patsubst %.c,$(AN_DIR)/%.o,$(AN_LIB_SRCS))
AN_REPORT_OBJS	:= $(patsubst %.c,$(AN_DIR)/%.o,analysis/scf-report.c \
		   analysis/report_plots.c analysis/report_md.c)
AN_COMPARE_OBJS	:= $(patsubst %.c,$(AN_DIR)/%.o,analysis/scf-compare.c \
		   analysis/compare.c analysis/compare_out.c)

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
