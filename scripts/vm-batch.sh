#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# vm-batch.sh SCENARIO...: run several VM scenarios in one guest boot (a
# boot costs 20-40 s under TCG). Started by vm-run.sh as the guest's
# scenario; check.sh splits the output at the markers below.
#
# Between scenarios the module parameters go back to the values they had at
# boot (scenarios set strict=1, nat_mode, ...), and the modules are loaded
# again if a scenario unloaded them; counters, conntrack and expectation
# tables are per netns, and every scenario builds its own namespaces. The
# kernel log is checked after each scenario, so a warning is charged to the
# scenario that caused it. A crash ends the boot: the scenarios left have no
# end marker and check.sh counts them as failed.
. "$(dirname "$0")/kernel-reports.sh"
# Any kernel: also a soft lockup, a hung task, lockdep's and RCU's words.
bad="$KERNEL_REPORTS|soft lockup|blocked for more than|possible circular locking|suspicious RCU usage"
case $(uname -r) in
*-avaya-debug)
	debug=1
	bad="$KERNEL_REPORTS|$DEBUG_REPORTS" ;;
*)	debug=0 ;;
esac
params=/tmp/avaya-batch-params

save_params() {
	local f

	: > "$params"
	for f in /sys/module/nf_conntrack_avaya/parameters/* \
		 /sys/module/nf_nat_avaya/parameters/*; do
		[ "$(stat -c %a "$f")" = 644 ] && printf '%s %s\n' "$f" "$(cat "$f")" >> "$params"
	done
}

# Linux's own H.323/SIP helpers, which comparison scenarios load, claim our
# ports: ours do not register while they are loaded (-EBUSY). They go once
# the namespaces that used them have.
unload_stock() {
	local i m

	for m in nf_nat_h323 nf_conntrack_h323 nf_nat_sip nf_conntrack_sip; do
		[ -d "/sys/module/$m" ] || continue
		for i in $(seq 1 120); do
			modprobe -r "$m" 2>/dev/null && break
			sleep 0.5
		done
	done
	return 0
}

restore_modules() {
	local f v

	unload_stock
	modprobe nf_conntrack_avaya && modprobe nf_nat_avaya || return 1
	while read -r f v; do
		echo "$v" > "$f" || return 1
	done < "$params"
}

# stuck_netns_report: why the modules are held. A namespace whose
# dismantling never ends (cleanup_net waits for every conntrack of it to be
# freed: a leaked reference keeps a kworker looping) shows as a worker in
# cleanup_net; the CPUs' backtraces go to the kernel log.
stuck_netns_report() {
	local p

	echo "processes outside the guest's namespace:"
	leftovers
	for p in /proc/[0-9]*; do
		grep -qs -e cleanup_net -e nf_conntrack "$p/stack" || continue
		echo "pid ${p#/proc/} $(cat "$p/comm"):"
		sed 's/^/  /' "$p/stack"
	done
	echo l > /proc/sysrq-trigger 2>/dev/null
	dmesg | tail -n 60
}

# unload_modules: our modules out, once the namespaces of the scenarios
# before have been dismantled (network namespaces go asynchronously, and
# their rulesets and flows hold the modules until then).
unload_modules() {
	local i

	for i in $(seq 1 120); do
		modprobe -r nf_nat_avaya nf_conntrack_avaya 2>/dev/null && return 0
		sleep 0.5
	done
	echo "FAIL: vm-batch: our modules are still in use 60 s after the last scenario"
	lsmod | grep -E 'avaya|nf_conntrack'
	stuck_netns_report
	return 1
}

# leftovers: processes a scenario left running in its namespaces (they keep
# the namespace, its ruleset and its flows, hence our modules, alive after
# `ip -all netns delete`), and rules it left in the guest's own namespace.
# Each is named, then killed or flushed, so the next scenario starts clean.
leftovers() {
	local init p ns found=0

	init=$(readlink /proc/1/ns/net)
	for p in /proc/[0-9]*; do
		ns=$(readlink "$p/ns/net" 2>/dev/null) || continue
		[ "$ns" = "$init" ] && continue
		echo "left running in a namespace: pid ${p#/proc/} $(tr '\0' ' ' < "$p/cmdline" | cut -c1-120)"
		kill -9 "${p#/proc/}" 2>/dev/null
		found=1
	done
	if [ -n "$(nft list ruleset 2>/dev/null)" ]; then
		echo "left in the guest's own namespace: $(nft list tables 2>/dev/null | tr '\n' ' ')"
		nft flush ruleset
		found=1
	fi
	return $found
}

# leaks_of_scenario: on the debug kernel, kmemleak's reports whose backtrace
# touches conntrack, NAT or our modules, after two forced scans a few seconds
# apart (objects in flight at the first are not reported); then the list is
# cleared, so each report is charged to the scenario that leaked.
leaks_of_scenario() {
	local k=/sys/kernel/debug/kmemleak ours

	[ "$debug" = 1 ] || return 0
	[ -e "$k" ] || mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
	[ -e "$k" ] || { echo "no $k"; return 1; }
	echo scan > "$k"
	sleep 5
	echo scan > "$k"
	ours=$(kmemleak_ours "$k")
	echo clear > "$k"
	[ -z "$ours" ] && return 0
	echo "$ours" | head -n 60
	return 1
}

# prepare SCENARIO: what its "# avaya-vm:" header asks of the guest, as a
# boot of its own would give it: "ownboot" (it unloads our modules itself)
# freshly loaded modules with default parameters, "noload" and "nomodules"
# none loaded.
prepare() {
	case $(head -n 10 "$1" | sed -n 's/^# avaya-vm: *\([a-z]*\).*/\1/p' | head -n 1) in
	ownboot)
		unload_modules && unload_stock && modprobe nf_conntrack_avaya &&
			modprobe nf_nat_avaya ;;
	noload | nomodules)
		unload_modules ;;
	esac
}

save_params
first=1
for s in "$@"; do
	name=$(basename "$s" .sh)
	echo "==== avaya-batch begin $name"
	if [ $first = 0 ] && ! restore_modules; then
		echo "FAIL: vm-batch: modules and parameters could not be restored before $name"
		echo "==== avaya-batch end $name rc=1"
		continue
	fi
	first=0
	if ! prepare "$s"; then
		echo "==== avaya-batch end $name rc=1"
		continue
	fi
	dmesg -C
	# A scenario's limit stretches with the lane's time scale (vm-run.sh).
	scale=${AVAYA_TIME_SCALE:-1}
	t0=$(date +%s)
	timeout "${AVAYA_BATCH_TIMEOUT:-$((900 * ${scale%.*}))}" bash "$s"
	rc=$?
	echo "TIME: $name $(( $(date +%s) - t0 )) s"
	[ $rc = 124 ] && echo "FAIL: vm-batch: $name timed out"
	# A scenario killed by its limit never ran its own cleanup: the next
	# one must not find its namespaces (each scenario builds its own).
	if ! out=$(leftovers); then
		echo "FAIL: vm-batch: $name did not clean up after itself:"
		echo "$out"
		rc=1
	fi
	ip -all netns delete 2>/dev/null
	if ! out=$(leaks_of_scenario); then
		echo "FAIL: vm-batch: kmemleak reports a leak in conntrack, NAT or our modules during $name:"
		echo "$out"
		rc=1
	fi
	if dmesg | grep -Eq "$bad"; then
		echo "FAIL: vm-batch: guest kernel log shows a warning or crash during $name:"
		dmesg | grep -E -A 12 "$bad" | head -n 60
		rc=1
	fi
	echo "==== avaya-batch end $name rc=$rc"
done
# The boot's own result is the batch markers; vm-run.sh checks the log again.
exit 0
