# SPDX-License-Identifier: GPL-2.0-only
#
# Sourced by vm-run.sh (the whole boot, on the host) and vm-batch.sh (each
# scenario, in the guest): what in a guest's kernel log fails a test.
#
# KERNEL_REPORTS: any kernel. DEBUG_REPORTS: the debug lane's detectors
# whose reports do not start with "WARNING:" or "BUG:" (lockdep, RCU and
# debug objects mostly do), and the detectors' own words: an RCU stall
# ("self-detected stall on CPU", "detected stalls on CPUs/tasks") is how a
# CPU stuck with preemption off shows first (see vm-run.sh).
KERNEL_REPORTS='WARNING:|BUG:|Oops|general protection|refcount_t|list_add corruption|list_del corruption|Kernel panic|UBSAN|KASAN|kernel BUG'
DEBUG_REPORTS='KFENCE|possible circular locking|suspicious RCU usage|sleeping function called|inconsistent lock state|possible recursive locking|ODEBUG|list corruption|corrupted list|soft lockup|detected stall|blocked for more than'

# kmemleak_ours FILE: kmemleak's reports (one per "unreferenced object"
# paragraph) whose backtrace touches conntrack, NAT or our modules; the
# rest are the kernel's own boot-time false positives.
kmemleak_ours() {
	awk -v RS='unreferenced object' -v ORS='' \
		'NR > 1 && /nf_conntrack|nf_nat|nf_ct_|nf_confirm|avaya/ { print "unreferenced object" $0 }' "$1"
}
