# variants/ipi: the doorbell is an ioctl into the scf module, which wakes
# the peer with a targeted IPI (backend kmod); where /dev/scf is absent a
# futex on the shared sequence word stands in (backend futex).
ipi_ORDER	:= 20
ipi_BACKENDS	:= kmod futex
# make bench IPI_BACKEND=kmod|futex (auto: kmod where /dev/scf exists)
IPI_BACKEND	?= auto
ipi_BACKEND	= $(IPI_BACKEND)
# futex is its own raw peer; an IPI cannot be sent from user space, so
# kmod has none.
ipi_RAW_PEERS	:= futex=futex
# A kick sends an IPI only to a CPU that halts in idle: kmod's runs let
# the peer's CPU halt unless --idle poll asks otherwise.  futex keeps the
# held-at-0 latency default (it sends no IPI of its own either way).
ipi_IDLE	:= kmod=halt
ipi_SRCS	:= variants/ipi/notify_ipi.c
ipi_CFLAGS	:= -Ikmod -Ivariants/ipi
ipi_LDLIBS	:=
