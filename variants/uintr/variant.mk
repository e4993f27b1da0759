# variants/uintr: user interrupts.  Backend "hw" (SENDUIPI on a UINTR CPU
# and kernel) and "emul" (the architectural posting semantics in shared
# memory, delivered by RT signal) are both linked in; scf_notify_pick()
# chooses at run time.
#
# UINTR_HW_SRCS are the hardware path's parts (uintr_hw_parts.h): the
# probe, the syscalls of both ABIs, the handler and the instructions.
# The hw backend and the variant's own uipi peer share them, so they are
# this variant's sources and no other's.  No file needs -muintr: the
# instructions are assembler mnemonics and the handler sets its target
# per function.

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

uintr_SRCS	:= $(addprefix $(UINTR_DIR)/,notify_uintr.c uintr_post.c \
		   uintr_emul.c uintr_wait.c uintr_hw.c uintr_coalesce.c) \
		   $(UINTR_HW_SRCS)
# Its own peers: uintr-pingpong and uintr-coalesce over its backend
# (peer_uintr.c), and uipi, the hw backend's raw peer (peer_uipi.c).
uintr_PEER_SRCS	:= $(addprefix $(UINTR_DIR)/,peer_uintr.c peer_uipi.c)
uintr_CFLAGS	:= -I$(UINTR_DIR)
uintr_LDLIBS	:=
