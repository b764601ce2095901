#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# `make check`: the whole suite. Installs what is missing, builds for every
# test kernel with W=1, runs style, userspace fuzzers, tshark cross-checks,
# ruleset profiles, KUnit (UML) and every VM scenario on 6.1 and 6.12.
# Every step reports "N passed, M failed[, K skipped]"; the last line of this
# script is the sum.
#
#   CHECK_ONLY="kunit vm"   run a subset of steps (deps build style unit
#                           bench tshark profiles metrics deb kunit vm)
#   CHECK_SCENARIOS="avaya_ras stock_ras_baseline"   a subset of tests/vm/
#   CHECK_KERNELS="6.1.0-56-amd64"                   a subset of kernels
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
logdir=$top/build/check-logs
rm -rf "$logdir"
mkdir -p "$logdir"

total_pass=0
total_fail=0
total_skip=0
summary=()
start=$(date +%s)

want() { [ -z "${CHECK_ONLY:-}" ] || [[ " $CHECK_ONLY " == *" $1 "* ]]; }

# tally NAME LOG RC: add the step's own "N passed, M failed[, K skipped]"
# line; a step that failed without one counts as one failure.
tally() {
	local name=$1 log=$2 rc=$3 line p f s

	line=$(grep -E '^[A-Z: ]*[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	p=$(echo "$line" | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+')
	f=$(echo "$line" | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+')
	s=$(echo "$line" | grep -oE '[0-9]+ skipped' | grep -oE '[0-9]+')
	p=${p:-0} f=${f:-0} s=${s:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	if [ "$rc" -eq 0 ] && [ -z "$line" ]; then
		p=1
	fi
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	total_skip=$((total_skip + s))
	summary+=("$(printf '%-48s %4d passed %4d failed %4d skipped %5s s' "$name" "$p" "$f" "$s" "${step_secs:-}")")
	step_secs=
	if [ "$f" -ne 0 ]; then
		echo "---- $name FAILED; its log ($log) ends with:"
		grep -E '^(FAIL|not ok|\[FAILED\])|error|Error' "$log" | head -n 20
		tail -n 15 "$log"
	fi
}

# step NAME CMD...: run a step with its output in a log file; its wall time
# goes into the summary (what the 60-minute budget is spent on).
step() {
	local name=$1 log t0 rc
	shift
	log=$logdir/$(echo "$name" | tr ' /:' '___').log
	echo "== $name"
	t0=$(date +%s)
	"$@" > "$log" 2>&1
	rc=$?
	step_secs=$(( $(date +%s) - t0 ))
	tally "$name" "$log" $rc
}

if want deps; then
	scripts/deps.sh || { echo "check: dependencies could not be installed"; exit 2; }
fi
# checkpatch.pl, UML and the stock decoder for the benchmark all come from
# the extracted linux-source-6.1.
linux_src=$(scripts/linux-src.sh) || { echo "check: linux-source-6.1 unavailable"; exit 2; }
export CHECKPATCH=$linux_src/scripts/checkpatch.pl LINUX=$linux_src
kernels=${CHECK_KERNELS:-$(scripts/kernels.sh)}
[ -n "$kernels" ] || { echo "check: no Debian 6.1/6.12 kernel with headers installed"; exit 2; }

# W=1 must be silent: any compiler warning fails the build step.
build_w1() {
	local out

	out=$(scripts/build.sh "$1" W=1 2>&1)
	local rc=$?
	echo "$out"
	if [ $rc -ne 0 ] || echo "$out" | grep -q 'warning:'; then
		echo "0 passed, 1 failed"
		return 1
	fi
	echo "1 passed, 0 failed"
}
if want build; then
	for k in $kernels; do
		step "build W=1 $k" build_w1 "$k"
	done
fi

# VM scenarios: one guest per kernel at a time, the two kernels in parallel
# (TCG uses one host core per guest). All share one boot per kernel
# (scripts/vm-batch.sh; a boot costs 20-40 s): those that ask for another
# setup ("# avaya-vm: nomodules|noload") or unload our modules themselves
# ("# avaya-vm: ownboot") run last, each after vm-batch.sh has waited for
# the namespaces before it to go and unloaded (and for ownboot reloaded)
# our modules. "# avaya-vm: alone" still gets a guest of its own.
vm_scenarios() {
	local t name

	for t in tests/vm/*.sh; do
		name=$(basename "$t" .sh)
		[ "$name" = lib ] && continue
		if [ -n "${CHECK_SCENARIOS:-}" ]; then
			[[ " $CHECK_SCENARIOS " == *" $name "* ]] || continue
		elif head -n 10 "$t" | grep -q '^# avaya-vm: *long'; then
			# A long lane of its own (make check-deb): only when named.
			continue
		fi
		echo "$t"
	done
}

# vm_timeout SCENARIO: its "# avaya-vm-timeout: SECONDS" header (DKMS
# builds under TCG), else vm-run.sh's default (an empty value).
vm_timeout() {
	head -n 10 "$1" | sed -n 's/^# avaya-vm-timeout: *\([0-9][0-9]*\).*/\1/p' | head -n 1
}

own_boot() {	# SCENARIO: does it ask for a guest of its own?
	head -n 10 "$1" | grep -qE '^# avaya-vm: *alone'
}

# Scenarios that unload our modules, or want none, share the boot too
# (vm-batch.sh unloads and reloads for them), after all the others.
late() {	# SCENARIO
	head -n 10 "$1" | grep -qE '^# avaya-vm: *(nomodules|noload|ownboot)'
}

# split_batch KVER LOG SCENARIO...: one log and rc file per scenario.
split_batch() {
	local k=$1 log=$2 t name out
	shift 2

	for t in "$@"; do
		name=$(basename "$t" .sh)
		out=$logdir/vm_${k}_$name.log
		awk -v n="$name" '$0 == "==== avaya-batch begin " n { on = 1; next }
			on && index($0, "==== avaya-batch end " n " rc=") == 1 { exit }
			on' "$log" > "$out"
		if grep -q "^==== avaya-batch end $name rc=" "$log"; then
			sed -n "s/^==== avaya-batch end $name rc=//p" "$log" | head -n 1 \
				> "$logdir/vm_${k}_$name.rc"
		else
			{ echo "FAIL: $name did not finish: the shared guest died or timed out"
			  tail -n 40 "$log"; } >> "$out"
			echo 1 > "$logdir/vm_${k}_$name.rc"
		fi
		sed -n "s/^TIME: $name \([0-9]*\) s$/\1/p" "$out" | tail -n 1 \
			> "$logdir/vm_${k}_$name.secs"
	done
}

# "# avaya-vm: kernel newest|oldest": make check runs it on that one of
# the Debian kernels only (printed figures, or a stress whose two-CPU case
# is the debug lane's). Named in CHECK_SCENARIOS, on the debug kernel or
# when only one kernel runs, it runs.
kernel_ok() {	# SCENARIO KVER
	local want debs

	want=$(head -n 10 "$1" | sed -n 's/^# avaya-vm: *kernel \(newest\|oldest\).*/\1/p' | head -n 1)
	[ -n "$want" ] && [ -z "${CHECK_SCENARIOS:-}" ] || return 0
	case $2 in debug | *-avaya-debug) return 0 ;; esac
	debs=$(printf '%s\n' $kernels | grep -v -e '^debug$' -e '-avaya-debug$' | sort -V)
	if [ "$want" = newest ]; then
		[ "$2" = "$(echo "$debs" | tail -n 1)" ]
	else
		[ "$2" = "$(echo "$debs" | head -n 1)" ]
	fi
}

# vm_limit KVER: seconds one scenario may take (vm-run.sh's own default).
vm_limit() {
	case $1 in
	debug | *-avaya-debug) echo 2700 ;;
	*) echo 900 ;;
	esac
}

run_vm_series() {	# KVER
	local k=$1 t name batch=() last=()

	for t in $(vm_scenarios); do
		kernel_ok "$t" "$k" || continue
		if late "$t" && ! own_boot "$t"; then
			last+=("$top/$t")
		elif own_boot "$t"; then
			name=$(basename "$t" .sh)
			t0=$(date +%s)
			AVAYA_VM_TIMEOUT=$(vm_timeout "$t") scripts/vm-run.sh "$k" "$t" \
				> "$logdir/vm_${k}_$name.log" 2>&1
			echo $? > "$logdir/vm_${k}_$name.rc"
			echo $(( $(date +%s) - t0 )) > "$logdir/vm_${k}_$name.secs"
		else
			batch+=("$top/$t")
		fi
	done
	batch+=("${last[@]}")
	[ ${#batch[@]} -gt 0 ] || return 0
	AVAYA_VM_TIMEOUT=$(($(vm_limit "$k") * ${#batch[@]})) scripts/vm-run.sh "$k" \
		scripts/vm-batch.sh "${batch[@]}" > "$logdir/vm_${k}_batch.log" 2>&1
	split_batch "$k" "$logdir/vm_${k}_batch.log" "${batch[@]}"
	boot_result "$k" "$logdir/vm_${k}_batch.log"
}

# boot_result KVER LOG: what vm-run.sh found after the shared boot's last
# scenario (the whole boot's kernel log, the debug lane's final kmemleak
# scan, a timeout) is no scenario's: it is the boot's own entry.
boot_result() {
	local out=$logdir/vm_${1}_boot.log

	awk '/^==== avaya-batch end / { n = 0; next } { tail[++n] = $0 }
		END { for (i = 1; i <= n; i++) print tail[i] }' "$2" |
		grep -E -A 20 '^(FAIL: vm-run|vm-run: )' > "$out"
	if grep -q '^FAIL: vm-run' "$out"; then
		echo 1
	else
		echo 0
	fi > "$logdir/vm_${1}_boot.rc"
}

style() {
	make -s style && echo "1 passed, 0 failed"
}
want style && step "checkpatch --strict" style

# The userspace fuzz drivers: every vector, truncation and mutation, ASan.
# Each driver is single-threaded: run them on every core at once.
fuzz_one() {
	if "$1" > /dev/null; then echo "PASS: $1"; else echo "FAIL: $1"; fi
}
unit() {
	local out pass fail

	make -s -C tests/unit -j"$(nproc)" || { echo "0 passed, 1 failed"; return 1; }
	export -f fuzz_one
	out=$(printf '%s\n' tests/unit/bin/*_fuzz |
		xargs -P "$(nproc)" -I{} bash -c 'fuzz_one "$1"' _ {})
	echo "$out"
	pass=$(echo "$out" | grep -c '^PASS: ')
	fail=$(echo "$out" | grep -c '^FAIL: ')
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
}
want unit && step "userspace fuzzers (ASan/UBSan)" unit

if want tshark; then
	for t in tests/h323/check_*_tshark.sh tests/sip/check_*_tshark.sh; do
		[ -x "$t" ] && step "tshark $(basename "$t" .sh)" "$t"
	done
fi

want profiles && [ -x tests/profiles/check_profiles.sh ] &&
	step "nft profiles (nft -c)" tests/profiles/check_profiles.sh

# avaya-prom against a /proc file in the module's format, strict parser.
want metrics && step "metrics (avaya-prom, strict exposition parser)" tests/metrics/check_avaya_prom.py

# The Debian package: make deb, lintian without errors, its contents and the
# installed layout of the tools (tests/vm/deb_install.sh installs it).
want deb && step "Debian package (make deb, lintian)" tests/deb/check_deb.sh

kunit() {
	scripts/kunit.sh
}
want kunit && step "KUnit (UML 6.1)" kunit

# Instruction counts against the stock helpers (callgrind): a message that
# either side cannot decode, or a ratio above its limit in
# tests/bench/icount-limits, fails. Wall-clock figures are printed, never
# asserted.
bench() {
	make -s -C tests/bench check || return 1
	make -s -C tests/bench ../../build/bench/bench && build/bench/bench 20000 || return 1
	echo "1 passed, 0 failed"
}
if want bench; then
	step "benchmark vs stock helpers" bench
	grep -E 'mean|scaling|threads:' "$logdir/benchmark_vs_stock_helpers.log"
fi

# The guests run after the host steps, not beside them: tried beside them
# at nice 19 (2026-12-03), the guests ran 1.4-1.75x slower (the fuzzers and
# the UML build thrash the caches TCG lives on) and a 2 s media window of
# call_multi failed.
if want vm; then
	# deb_install.sh installs build/deb/*.deb: build it when the deb step
	# did not (a failure shows in that scenario as a missing package).
	if ! want deb && vm_scenarios | grep -q '/deb_install\.sh$'; then
		make -s deb > "$logdir/make_deb.log" 2>&1
	fi
	echo "== VM scenarios on: $kernels"
	vm_start=$(date +%s)
	for k in $kernels; do
		run_vm_series "$k" &
	done
	wait
	echo "VM scenarios took $(( $(date +%s) - vm_start )) s"
	for k in $kernels; do
		for rcf in "$logdir"/vm_"${k}"_*.rc; do
			[ -e "$rcf" ] || continue
			log=${rcf%.rc}.log
			name=$(basename "$log" .log)
			name=${name#vm_"${k}"_}
			step_secs=$(cat "${rcf%.rc}.secs" 2>/dev/null)
			tally "vm $k $name" "$log" "$(cat "$rcf")"
		done
	done
fi

echo
echo "== summary (logs in $logdir)"
printf '%s\n' "${summary[@]}"
echo "elapsed: $(( $(date +%s) - start )) s"
echo "$total_pass passed, $total_fail failed, $total_skip skipped"
[ "$total_fail" -eq 0 ]
