# tests/ivshmem.mk: the bare-metal guest in QEMU (TCG) against the real
# scf-shadow through ivshmem (variants/ivshmem).
TEST_DEPS	+= ivshmem-all
TEST_CMDS	+= ivshmem/guest='BUILD=$(BUILD) tests/ivshmem/guest.sh'
