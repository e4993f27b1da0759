# tests/lib.sh - the one TAP producer of the shell tests; source it.
#
#   tap STATUS DESCRIPTION    ok when STATUS is 0, else not ok
#   tap_skip WHY DESCRIPTION  a check that cannot run here, with the reason
#   tap_diag TEXT...          a comment line, never counted
#   tap_done                  the plan line; exit status 1 if any failed
#
# tests/run.sh counts the "ok N" / "not ok N" lines these print.
tap_n=0
tap_failed=0

tap() {
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_failed=$((tap_failed + 1))
	fi
}

tap_skip() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $2 # SKIP $1"
}

tap_diag() {
	echo "# $*"
}

tap_done() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}
