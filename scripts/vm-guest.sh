#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# PID 1 of the test guest (started by vm-run.sh through switch_root). It must
# never exit: the kernel would panic. It sets up the guest, installs our
# modules for the booted kernel, runs the scenario, records its exit status and
# kernel log in the job directory shared with the host, and powers off.

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LANG=C.UTF-8 TERM=dumb

# Power off, then idle on builtins only: once poweroff starts, executing a
# binary from the 9p root can fail, and PID 1 must not exit.
poweroff_now() {
	sync
	mkfifo /run/avaya-hold
	exec 9<> /run/avaya-hold
	echo o > /proc/sysrq-trigger
	while :; do
		read -r -t 10 -u 9 _
	done
}

mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm
# bash process substitution needs /dev/fd, which devtmpfs does not provide.
ln -sfn /proc/self/fd /dev/fd
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /var/tmp
mkdir -p /run/netns /avaya-job
echo 1 > /proc/sys/kernel/sysrq
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 avayajob /avaya-job
hostname avaya-vm
ip link set lo up

job=/avaya-job
# shellcheck disable=SC1091
. "$job/job.env"

# The debug kernel's own modules live in the cache (MODROOT), not in the host's
# /lib/modules: copy them into the guest's overlay so that modprobe finds them.
install_kernel_modules() {
	[ -n "${MODROOT:-}" ] || return 0
	[ -d "/lib/modules/$KVER" ] && return 0
	mkdir -p "/lib/modules/$KVER" &&
		cp -a "$MODROOT/lib/modules/$KVER/." "/lib/modules/$KVER/" &&
		depmod -a "$KVER"
}

install_our_modules() {
	local dst=/lib/modules/$KVER/updates/avaya

	[ "$NOMODULES" = 1 ] && return 0
	mkdir -p "$dst"
	cp "$job"/modules/*.ko "$dst/" || return 1
	depmod -a "$KVER"
	[ "$NOLOAD" = 1 ] && return 0
	modprobe nf_conntrack_avaya && modprobe nf_nat_avaya
}

# Debug lane: kmemleak only scans on demand (no auto-scan thread). Two scans a
# few seconds apart, as Documentation/dev-tools/kmemleak.rst advises, so that
# objects in flight at the first scan are not reported.
record_kmemleak() {
	local k=/sys/kernel/debug/kmemleak

	[ "${DEBUG:-0}" = 1 ] || return 0
	[ -e "$k" ] || mount -t debugfs debugfs /sys/kernel/debug
	[ -e "$k" ] || { echo "vm-guest: no $k" > "$job/kmemleak.err"; return 0; }
	echo scan > "$k"
	sleep 5
	echo scan > "$k"
	cat "$k" > "$job/kmemleak.log"
}

run_scenario() {
	dmesg -C
	if ! install_kernel_modules; then
		echo "FAIL: vm-guest: could not install the modules of $KVER"
		return 1
	fi
	if ! install_our_modules; then
		echo "FAIL: vm-guest: could not install our modules for $KVER"
		return 1
	fi
	cd "$TOP" || return 1
	AVAYA_KVER=$KVER AVAYA_JOB=$job AVAYA_TIME_SCALE=${TIME_SCALE:-1} bash "$SCENARIO" "${ARGS[@]}"
}

run_scenario > "$job/output.log" 2>&1
echo $? > "$job/rc.tmp"
record_kmemleak
dmesg > "$job/dmesg.log"
mv "$job/rc.tmp" "$job/rc"
poweroff_now
