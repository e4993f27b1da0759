#!/bin/sh
# tests/uintr/fake_default_run.sh DIR - the default uintr/hw run, as
# `make bench VARIANT=uintr UINTR_BACKEND=hw` makes it (forwarded
# workloads and every UINTR peer, round-robin, in one scf-bench process),
# under the fake UINTR kernel (DIR/scf-bench and DIR/scf-shadow are built
# with tests/uintr/fake_uintr_boot.c), without and with
# CONFIG_X86_UINTR_BLOCKING, at small counts.  A task is one UINTR
# receiver there, as in the real kernel: the client thread is the
# forwarded channel's, so the peers must register elsewhere, and nothing
# they do may break the channel.  Prints TAP.
set -u
dir=${1:-build/uintr-fake}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT INT TERM
. "$(dirname "$0")/../lib.sh"

# One field of a result: jf FILE EXPR (EXPR over the parsed JSON d).
jf() {
	/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2" 2>/dev/null
}

for kernel in intel intel-blocking; do
	res=$out/$kernel
	log=$out/$kernel.log
	SCF_FAKE_UINTR=$kernel timeout 180 "$dir/scf-bench" --backend hw \
		--samples 1 --cycles 100 --workloads default --cpus 1,0 \
		--out "$res" >"$log" 2>&1
	rc=$?
	[ $rc -ne 0 ] && grep -v '^  ' "$log" | sed 's/^/# /' | tail -20
	tap $rc "$kernel: the default run, --backend hw, passes"

	fk=$(grep '^fake-uintr: ' "$log")
	echo "$fk" | grep -q 'violations 0$' &&
		! echo "$fk" | grep -q ' 0 delivered'
	tap $? "$kernel: interrupts delivered, no instruction out of turn" "$fk"

	if [ $kernel = intel ]; then
		chan='abi intel, flags 0 (WAITING_RECEIVER refused: EINVAL), wait spin'
		peer_wait=spin
	else
		chan='abi intel, flags 0x1000 WAITING_RECEIVER, wait futex'
		peer_wait=sleep
	fi
	miss=""
	for f in uintr/null uintr/write peers/uintr-pingpong peers/uipi \
		 peers/uintr-coalesce; do
		[ -f "$res/$f.json" ] || miss="$miss $f"
	done
	[ -z "$miss" ]
	tap $? "$kernel: results for null, write and every UINTR peer${miss:+ (missing:$miss)}"

	bad=""
	for f in null write; do
		[ "$(jf "$res/uintr/$f.json" "d['config'].get('backend_detail')")" = "$chan" ] ||
			bad="$bad $f"
	done
	[ -z "$bad" ]
	tap $? "$kernel: the forwarded results carry the channel's set-up${bad:+ (not:$bad)}" "$chan"

	# Each UINTR peer: its own set-up and its own wait.
	for p in uintr-pingpong:$peer_wait uipi:spin uintr-coalesce:$peer_wait; do
		w=${p#*:}
		p=${p%%:*}
		got=$(jf "$res/peers/$p.json" "(d['config'].get('backend_detail'), d['config'].get('wait'))")
		want_detail="abi intel, flags"
		case $got in
		"('$want_detail"*"wait $( [ $w = spin ] && echo spin || echo futex)', '$w')") r=0 ;;
		*) r=1 ;;
		esac
		tap $r "$kernel: $p carries its own backend_detail and wait $w" "got $got"
	done

	[ "$(jf "$res/peers/pipe.json" "d['config'].get('backend_detail')")" = None ]
	tap $? "$kernel: a peer that uses no UINTR carries no UINTR set-up"

	if [ $kernel = intel ]; then kind=spinning; else kind=sleeping; fi
	line=$(grep '^uintr-coalesce: ' "$log")
	echo "$line" | grep -q "receiver $kind on CPU"
	tap $? "$kernel: uintr-coalesce measured a $kind receiver and says so" "$line"

	bad=$(grep -l '"violations":[1-9]' "$res"/uintr/*.json 2>/dev/null)
	[ -z "$bad" ]
	tap $? "$kernel: phase identity holds in every forwarded result${bad:+ (violated: $bad)}"
done
tap_done
