# analysis/sidebyside.mk: scf-sidebyside, the side-by-side table of a run
# (SCF against native, io_uring and the raw notification round trips),
# printed at the end of `make bench`; scf-report embeds the same table
# (analysis/sidebyside.h says how).

SBS_BIN		:= $(BUILD)/analysis/scf-sidebyside
SBS_SRCS	:= analysis/scf-sidebyside.c analysis/sidebyside.c \
		   analysis/sidebyside_fmt.c analysis/ipi_split.c \
		   $(RESULT_READER_SRCS)

TOOLS		+= $(SBS_BIN)

# One step, no objects: keeps clear of the other analysis tools' rules.
$(SBS_BIN): $(SBS_SRCS) analysis/sidebyside.h analysis/ipi_split.h \
		$(RESULT_READER_HDRS) | deps
	$(quiet) CCLD "$@"
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(BASE_CFLAGS) -Ianalysis $(CFLAGS) $(LDFLAGS) -o $@ \
		$(SBS_SRCS) -ljansson -lm
