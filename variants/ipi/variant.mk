# variants/ipi: the doorbell is an ioctl into the scf module, which wakes
# the peer with a targeted IPI (backend kmod); where /dev/scf is absent a
# futex on the shared sequence word stands in (backend futex).
ipi_SRCS	:= variants/ipi/notify_ipi.c
ipi_CFLAGS	:= -Ikmod -Ivariants/ipi
ipi_LDLIBS	:=
