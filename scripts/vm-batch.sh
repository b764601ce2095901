#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# vm-batch.sh SCENARIO...: run several VM scenarios in one guest boot (a
# boot costs 20-40 s under TCG). Started by vm-run.sh as the guest's
# scenario; check.sh splits the output at the markers below.
#
# Between scenarios the modules are unloaded and loaded again, so that
# parameters a scenario set (strict=1, ...) and its counters do not leak into
# the next one; every scenario builds its own namespaces. The kernel log is
# checked after each scenario, so a warning is charged to the scenario that
# caused it. A crash ends the boot: the scenarios left have no end marker and
# check.sh counts them as failed.
bad='WARNING:|BUG:|Oops|general protection|refcount_t|list_add corruption|list_del corruption|Kernel panic|UBSAN|KASAN|kernel BUG|soft lockup|blocked for more than|possible circular locking|suspicious RCU usage'

# Unload and load our modules again; a netns still being dismantled may
# hold them for a moment.
reload_modules() {
	local i

	for i in $(seq 1 50); do
		modprobe -r nf_nat_avaya nf_conntrack_avaya avaya_codec 2>/dev/null && break
		sleep 0.2
	done
	if lsmod | grep -q '^nf_conntrack_avaya '; then
		echo "vm-batch: nf_conntrack_avaya still in use, not reloaded"
		return 1
	fi
	modprobe nf_conntrack_avaya && modprobe nf_nat_avaya
}

first=1
for s in "$@"; do
	name=$(basename "$s" .sh)
	echo "==== avaya-batch begin $name"
	if [ $first = 0 ] && ! reload_modules; then
		echo "FAIL: vm-batch: modules could not be reloaded before $name"
		echo "==== avaya-batch end $name rc=1"
		continue
	fi
	first=0
	dmesg -C
	timeout "${AVAYA_BATCH_TIMEOUT:-900}" bash "$s"
	rc=$?
	[ $rc = 124 ] && echo "FAIL: vm-batch: $name timed out"
	if dmesg | grep -Eq "$bad"; then
		echo "FAIL: vm-batch: guest kernel log shows a warning or crash during $name:"
		dmesg | grep -E -A 12 "$bad" | head -n 60
		rc=1
	fi
	echo "==== avaya-batch end $name rc=$rc"
done
# The boot's own result is the batch markers; vm-run.sh checks the log again.
exit 0
