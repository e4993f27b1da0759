#!/bin/sh
# tests/truth/member.sh NAME LOG TOK... - a stand-in scf-bench under
# scf-interleave: takes its first turn, then per TOK ('t': a sample,
# 'r': the sample that ends a round) logs NAME, hands the turn back
# with TOK and waits for the next.
name=$1 log=$2
shift 2
r=${SCF_LOCKSTEP_FDS%,*} w=${SCF_LOCKSTEP_FDS#*,}
take() { dd bs=1 count=1 <&"$r" >/dev/null 2>&1; }
take
for tok; do
	echo "$name" >>"$log"
	printf %s "$tok" >&"$w"
	take
done
