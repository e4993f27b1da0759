# variants/uintr: user interrupts.  Backend "hw" (SENDUIPI on a UINTR CPU
# and kernel) and "emul" (the architectural posting semantics in shared
# memory, delivered by RT signal) are both linked in; scf_notify_pick()
# chooses at run time.
#
# Only the two files that need the UINTR instructions get -muintr (the
# handler also -mgeneral-regs-only), and only where $(CC) has the flag;
# elsewhere uintr_hw_none.c stands in and hw reports "built without
# -muintr".

UINTR_DIR	:= variants/uintr
uintr_ORDER	:= 30
uintr_BACKENDS	:= hw emul
# make bench UINTR_BACKEND=hw|emul (auto: hw where the CPU and kernel can)
UINTR_BACKEND	?= auto
uintr_BACKEND	= $(UINTR_BACKEND)
# emul delivers by RT signal, hw by SENDUIPI: each against its raw kind.
uintr_RAW_PEERS	:= emul=signal hw=uipi
uintr_TARGETS	:= null:raw:1.1
UINTR_HAVE_MUINTR := $(shell $(CC) -muintr -x c -E - </dev/null >/dev/null 2>&1 && echo y)

uintr_SRCS	:= $(addprefix $(UINTR_DIR)/,notify_uintr.c uintr_post.c \
		   uintr_emul.c uintr_wait.c uintr_hw.c uintr_probe.c \
		   uintr_fdpass.c uintr_coalesce.c)
ifeq ($(UINTR_HAVE_MUINTR),y)
UINTR_ISA_SRCS	:= $(UINTR_DIR)/uintr_hw_isa.c $(UINTR_DIR)/uintr_hw_handler.c
else
UINTR_ISA_SRCS	:= $(UINTR_DIR)/uintr_hw_none.c
endif
uintr_SRCS	+= $(UINTR_ISA_SRCS)
# SCF_VARIANT_UINTR: workloads/wl_uintr.c registers its workloads only
# in this variant's scf-bench.
uintr_CFLAGS	:= -I$(UINTR_DIR) -DSCF_VARIANT_UINTR=1
uintr_LDLIBS	:=

# Per-file flags, as target-specific appends to the build's CFLAGS
# variable (B_<build dir>_CFLAGS in the top-level Makefile).
UINTR_FLAGS_isa		:= -muintr
UINTR_FLAGS_handler	:= -muintr -mgeneral-regs-only
ifeq ($(UINTR_HAVE_MUINTR),y)
$(BUILD)/uintr/$(UINTR_DIR)/uintr_hw_isa.o: B_uintr_CFLAGS += $(UINTR_FLAGS_isa)
$(BUILD)/uintr/$(UINTR_DIR)/uintr_hw_handler.o: B_uintr_CFLAGS += $(UINTR_FLAGS_handler)
endif
