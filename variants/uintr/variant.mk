# variants/uintr: user interrupts.  Backend "hw" (SENDUIPI on a UINTR CPU
# and kernel) and "emul" (the architectural posting semantics in shared
# memory, delivered by RT signal) are both linked in; scf_notify_pick()
# chooses at run time.
#
# UINTR_HW_SRCS are the hardware path's parts that the uipi peer shares
# (uintr_hw_parts.h): the probe, the syscalls of both ABIs, the handler and the
# instructions.  The uipi peer is in every variant's scf-bench, so they
# join the hosted helpers (HOST_SRCS), which every binary and test links,
# and their header directory is on every build's include path.  No file
# needs -muintr: the instructions are assembler mnemonics and the handler
# sets its target per function.

UINTR_DIR	:= variants/uintr
uintr_ORDER	:= 30
uintr_BACKENDS	:= hw emul
# make bench UINTR_BACKEND=hw|emul (auto: hw where the CPU and kernel can)
UINTR_BACKEND	?= auto
uintr_BACKEND	= $(UINTR_BACKEND)
# emul delivers by RT signal, hw by SENDUIPI: each against its raw kind.
uintr_RAW_PEERS	:= emul=signal hw=uipi
UINTR_HW_SRCS	:= $(addprefix $(UINTR_DIR)/,uintr_probe.c uintr_hw_sys.c \
		   uintr_hw_handler.c uintr_hw_isa.c)
HOST_SRCS	+= $(UINTR_HW_SRCS)
BASE_CFLAGS	+= -I$(UINTR_DIR)

uintr_SRCS	:= $(addprefix $(UINTR_DIR)/,notify_uintr.c uintr_post.c \
		   uintr_emul.c uintr_wait.c uintr_hw.c uintr_coalesce.c)
# SCF_VARIANT_UINTR: workloads/wl_uintr.c registers its workloads only
# in this variant's scf-bench.
uintr_CFLAGS	:= -DSCF_VARIANT_UINTR=1
uintr_LDLIBS	:=
