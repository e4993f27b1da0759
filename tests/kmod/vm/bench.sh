#!/bin/busybox sh
# SPDX-License-Identifier: MIT
#
# bench.sh OUTROOT - inside the VM: the ipi variant end to end with the
# kmod backend at small counts (TCG timings mean nothing; the structure
# does).  Writes OUTROOT/<commit>[-dirty]/<host>/ipi/*.json like `make
# bench`; the init script sends every file back to the host.
set -e
. /scf/bench.env
dir=$1/$COMMIT$([ "$DIRTY" = 1 ] && echo -dirty)/$(hostname)
# The client on CPU 1, the shadow on CPU 0, as make bench does.
/scf/scf-bench --out "$dir" --commit "$COMMIT" --dirty "$DIRTY" \
	--backend kmod --shadow /scf/scf-shadow --cpus 1,0 --quiet \
	--samples "$SAMPLES" --cycles "$CYCLES" --workloads "$WORKLOADS"
