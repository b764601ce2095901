#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Hostile peers: every finding of the security review of 2026-11-30 that can
# be sent on the wire, from a peer's namespace, through a default-drop
# firewall (issue 11). Each part is a file tests/vm/hostile/NAME.sh defining
# hostile_NAME (non-alphanumerics of NAME as _); it sets its own ruleset,
# flushes conntrack and expectations, reports with check/check_not, and never
# exits. A part may also define hostile_NAME_last, run after every part (for
# cases that tear namespaces down). Arguments name the parts to run
# (default: all).
#
# Afterwards the guest must have survived: "conntrack -L expect" returns (a
# walk that hangs under the expectation lock fails by timeout) and the kernel
# log has no WARNING, BUG, soft lockup or RCU stall.
set -u
. "$(dirname "$0")/lib.sh"

# Shared by the parts.
HOSTILE_PIDS=()

hostile_bg() {	# like lib.sh's bg, and remembered for the part's cleanup
	bg "$@"
	HOSTILE_PIDS+=("$BG")
}

hostile_stop() {	# the background processes of the running part
	local p

	kill_tree "${HOSTILE_PIDS[@]}"
	for p in "${HOSTILE_PIDS[@]}"; do wait "$p" 2>/dev/null; done
	HOSTILE_PIDS=()
	return 0
}

hostile_ctr() {	# NAME: the counter's value, 0 when it does not exist (yet)
	local v

	v=$(fw awk -v n="$1" '$1 == n { print $2 }' /proc/net/nf_conntrack_avaya)
	echo "${v:-0}"
}

hostile_nexp() {	# PATTERN: how many expectations match
	expect_lines | grep -c -- "$1"
}

hostile_reset() {
	fw conntrack -F >/dev/null 2>&1
	fw conntrack -F expect >/dev/null 2>&1
	return 0
}

# hostile_batch CMDFILE: each line "MODULE ARGS..." runs MODULE.main(ARGS) of
# tests/lib or tests/sip, all in one python (a start costs seconds under TCG).
hostile_batch() {
	python3 -c '
import importlib, shlex, sys
sys.path[:0] = [sys.argv[1] + "/tests/lib", sys.argv[1] + "/tests/sip"]
for line in open(sys.argv[2]):
    words = shlex.split(line)
    if words:
        importlib.import_module(words[0]).main(words[1:])
' "$TOP" "$1"
}

HOSTILE_T0=$(date +%s)
setup_topology
hostile_dmesg0=$(dmesg | wc -l)

hostile_parts=()
# Arguments (vm-run.sh KVER tests/vm/hostile_peers.sh [PART...]) pick parts.
for f in "$TOP"/tests/vm/hostile/*.sh; do
	[ -e "$f" ] || continue
	if [ $# -gt 0 ] && ! printf '%s\n' "$@" | grep -qx "$(basename "$f" .sh)"; then
		continue
	fi
	hostile_parts+=("$f")
done

for f in "${hostile_parts[@]}"; do
	name=$(basename "$f" .sh)
	fn=hostile_${name//[^a-zA-Z0-9]/_}
	echo "==== part $name ($(($(date +%s) - HOSTILE_T0)) s)"
	# shellcheck source=/dev/null
	. "$f"
	if declare -F "$fn" >/dev/null; then
		"$fn" || true
	else
		fail "part $name defines no $fn"
	fi
done
for f in "${hostile_parts[@]}"; do
	name=$(basename "$f" .sh)
	fn=hostile_${name//[^a-zA-Z0-9]/_}_last
	if declare -F "$fn" >/dev/null; then
		echo "==== part $name, last ($(($(date +%s) - HOSTILE_T0)) s)"
		"$fn" || true
	fi
done

echo "==== the guest survived? ($(($(date +%s) - HOSTILE_T0)) s)"
check "'conntrack -L expect' returns within 20 s" \
	sh -c 'timeout 20 ip netns exec fw conntrack -L expect >/dev/null 2>&1; [ $? -ne 124 ]'
if dmesg | tail -n +$((hostile_dmesg0 + 1)) | grep -E 'WARNING:|BUG:|soft lockup|rcu_sched detected stalls|general protection'; then
	fail "the kernel log has a WARNING, BUG, lockup or stall"
else
	pass "the kernel log has no WARNING, BUG, lockup or stall"
fi
echo "hostile_peers: $(($(date +%s) - HOSTILE_T0)) s"
finish
