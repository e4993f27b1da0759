# tests/scfrun: scf-run end to end.  Static busybox applets and dynamic
# system programs give the same bytes as natively; the probe program
# escapes --root, makes an unclassified call, turns SUD off, unmaps the
# runtime, forks; it is static, so it runs under any --root.  Full checks on poll, a short run on the others.
$(BUILD)/tests/scfrun/probe: tests/scfrun/probe.c | deps
	$(quiet) CC "$@"
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(BASE_CFLAGS) -static -o $@ $<

# A dynamic pthreads program (the C library's pthread_create: clone).
$(BUILD)/tests/scfrun/threads: tests/scfrun/threads.c | deps
	$(quiet) CC "$@"
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(BASE_CFLAGS) -pthread -o $@ $<

# The program's own signal handlers, one mode a run.
$(BUILD)/tests/scfrun/signals: tests/scfrun/signals.c | deps
	$(quiet) CC "$@"
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(BASE_CFLAGS) -o $@ $<

# What scf-run must do as Linux does (rename, chown, EINTR, threads...):
# static, so it runs under any --root; its output is compared with native.
$(BUILD)/tests/scfrun/gaps: tests/scfrun/gaps.c | deps
	$(quiet) CC "$@"
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(BASE_CFLAGS) -static -pthread -o $@ $<

TEST_DEPS	+= $(BUILD)/tests/scfrun/probe $(BUILD)/tests/check-result \
		   $(BUILD)/tests/scfrun/threads $(BUILD)/tests/scfrun/signals \
		   $(BUILD)/tests/scfrun/gaps \
		   $(BUILD)/apps/lat_write $(BUILD)/apps/latwrite-stats
TEST_CMDS	+= $(foreach v,$(VARIANTS),scfrun/$(v)='BUILD=$(BUILD) tests/scfrun/run.sh $(v)')
TEST_CMDS	+= scfrun/latwrite-stats='BUILD=$(BUILD) sh tests/scfrun/latwrite_stats.sh'
