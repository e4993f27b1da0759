#!/bin/busybox sh
# SPDX-License-Identifier: MIT
#
# bench.sh OUTROOT IDLE HOST [WORKLOADS] - inside the VM: the ipi variant
# end to end with the kmod backend at small counts (TCG timings mean
# nothing; the structure and the doorbell counters do), with --idle IDLE,
# or with no --idle at all where IDLE is "default" (what make bench does).
# Writes OUTROOT/<commit>[-dirty]/HOST/ipi/*.json like `make bench`; the
# init script sends every file back to the host.
set -e
. /scf/bench.env
# Not "[ ... ] && echo": under set -e its false test, the status of the
# assignment, would end the script for every clean tree.
suffix=
[ "$DIRTY" = 1 ] && suffix=-dirty
dir=$1/$COMMIT$suffix/$3
# The client on CPU 1, the shadow on CPU 0, as make bench does.
idle="--idle $2"
[ "$2" = default ] && idle=
# $idle unquoted: no word at all for the default.
/scf/scf-bench --out "$dir" --commit "$COMMIT" --dirty "$DIRTY" \
	--backend kmod --shadow /scf/scf-shadow --cpus 1,0 --quiet \
	$idle --samples "$SAMPLES" --cycles "$CYCLES" \
	--workloads "${4:-$WORKLOADS}"
