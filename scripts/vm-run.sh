#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# vm-run.sh KVER SCENARIO [ARGS...]
#
# Boot Debian kernel KVER in qemu (TCG: the KVM device hangs on our build
# machines) with a busybox initramfs that mounts the host root read-only over
# 9p under a tmpfs overlay, install our modules built for KVER (build/KVER/)
# into the guest's /lib/modules, run SCENARIO inside the guest and return its
# exit status. The scenario fails when the guest kernel log shows a WARN, BUG,
# Oops, general protection fault, refcount or list corruption.
#
# Environment:
#   AVAYA_VM_NOLOAD=1   install our modules but do not modprobe them
#                       (autoload scenarios)
#   AVAYA_VM_NOMODULES=1  do not install our modules at all (stock baseline)
#   AVAYA_VM_TIMEOUT=s  wall-clock limit (default 900, 2700 on the debug kernel)
#   AVAYA_TIME_SCALE=n  stretch the scenarios' waits n times (default 1, 5 on debug)
#   AVAYA_VM_KEEP=dir   keep the job directory (console log, artefacts)
#   AVAYA_SCALE*, AVAYA_PERF*  passed to the scenario in the guest (the
#                       benchmarks' sizes: tests/vm/scale_registrations.sh,
#                       tests/vm/perf_forward.sh)
#
# A scenario may ask for the same in its first lines, so that `make check`
# runs it right: "# avaya-vm: nomodules" or "# avaya-vm: noload".
#
# KVER "debug" (or 6.12.N-avaya-debug) is the debug lane's kernel, built by
# scripts/debug-kernel.sh with KASAN, UBSAN, KFENCE, lockdep, debug objects
# and kmemleak: the guest gets two vCPUs (multi-threaded TCG), 3 GiB,
# slub_debug=FZPU, a three times longer time limit, a kmemleak scan after the
# scenario (kmemleak.log in the job directory), and the scenario also fails
# on any lockdep, RCU, atomic-sleep, debug-objects, soft-lockup or hung-task
# report, and on a kmemleak report whose backtrace touches conntrack, NAT or
# our modules.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cache=${NF_AVAYA_CACHE:-$HOME/.cache/nf-avaya}
kver=${1:?usage: vm-run.sh KVER SCENARIO [ARGS...]}
scenario=${2:?usage: vm-run.sh KVER SCENARIO [ARGS...]}
shift 2
scenario=$(cd "$(dirname "$scenario")" && pwd)/$(basename "$scenario")

[ "$kver" = debug ] && kver=$("$top/scripts/debug-kernel.sh" --kver)
debug=0
modroot=
kernel=/boot/vmlinuz-$kver
case $kver in
*-avaya-debug)
	debug=1
	modroot=$("$top/scripts/debug-kernel.sh" --dir)/root
	kernel=$(dirname "$modroot")/vmlinuz-$kver ;;
esac
timeout_s=${AVAYA_VM_TIMEOUT:-$((debug ? 2700 : 900))}
# How much longer the scenarios' own waits may take (tests/vm/lib.sh): KASAN,
# lockdep and slub_debug under TCG make the debug kernel several times slower.
time_scale=${AVAYA_TIME_SCALE:-$((debug ? 5 : 1))}
[ -r "$kernel" ] || { echo "vm-run: $kernel not installed" >&2; exit 2; }
[ -f "$scenario" ] || { echo "vm-run: no scenario $scenario" >&2; exit 2; }
# The guest sees the host root, but with its own tmpfs on /tmp and /run.
case "$top/" in
/tmp/* | /run/*)
	echo "vm-run: $top is under /tmp or /run, which the guest does not share; clone the tree elsewhere" >&2
	exit 2 ;;
esac
case $(head -n 10 "$scenario" | sed -n 's/^# avaya-vm: *\([a-z]*\).*/\1/p' | head -n 1) in
nomodules) AVAYA_VM_NOMODULES=1 ;;
noload) AVAYA_VM_NOLOAD=1 ;;
esac

# The initramfs only needs busybox and the modules that reach the host root;
# the debug kernel has them built in ("builtin" lines, skipped).
build_initramfs() {
	local out=$1 dir mod f
	dir=$(mktemp -d)
	mkdir -p "$dir"/{bin,proc,sys,dev,lower,rw,newroot,mods}
	cp /bin/busybox "$dir/bin/busybox"
	for f in sh mount umount insmod mkdir switch_root cat sleep echo; do
		ln -s busybox "$dir/bin/$f"
	done
	: > "$dir/mods/order"
	for mod in virtio_pci 9pnet_virtio 9p overlay; do
		modprobe ${modroot:+-d "$modroot"} -S "$kver" --show-depends "$mod" | awk '$1 == "insmod" { print $2 }'
	done | awk '!seen[$0]++' | while read -r f; do
		local base
		base=$(basename "$f")
		case $f in
		*.xz) xz -dc "$f" > "$dir/mods/${base%.xz}"; base=${base%.xz} ;;
		*.zst) zstd -qdc "$f" > "$dir/mods/${base%.zst}"; base=${base%.zst} ;;
		*) cp "$f" "$dir/mods/$base" ;;
		esac
		echo "$base" >> "$dir/mods/order"
	done
	cat > "$dir/init" <<'EOF'
#!/bin/sh
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for m in $(cat /mods/order); do insmod /mods/$m; done
mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose,msize=512000 hostroot /lower
mount -t tmpfs -o size=3g tmpfs /rw
mkdir -p /rw/upper /rw/work
if ! mount -t overlay overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work /newroot; then
	echo "avaya-vm: overlay failed, read-only root"
	mount --bind /lower /newroot
fi
guest=$(sed -n 's/.*avaya.guest=\([^ ]*\).*/\1/p' /proc/cmdline)
umount /proc /sys
exec switch_root /newroot /bin/bash "$guest"
EOF
	chmod +x "$dir/init"
	(cd "$dir" && find . | cpio -o -H newc --quiet | gzip -1) > "$out.tmp"
	mv "$out.tmp" "$out"
	rm -rf "$dir"
}

mkdir -p "$cache"
initrd=$cache/initramfs-$kver.cpio.gz
if [ ! -s "$initrd" ] || [ "$0" -nt "$initrd" ] || [ "$kernel" -nt "$initrd" ]; then
	(
		flock 8
		if [ ! -s "$initrd" ] || [ "$0" -nt "$initrd" ] || [ "$kernel" -nt "$initrd" ]; then
			build_initramfs "$initrd"
		fi
	) 8>"$cache/initramfs.lock"
fi

job=$(mktemp -d /tmp/avaya-vm.XXXXXX)
# Build (a no-op when nothing changed) and snapshot the modules, so that a
# rebuild during the run cannot change what the guest loads.
if [ "${AVAYA_VM_NOMODULES:-0}" != 1 ]; then
	if ! "$top/scripts/build.sh" "$kver" > "$job/build.log" 2>&1; then
		echo "FAIL: vm-run: build for $kver failed"
		tail -n 30 "$job/build.log"
		rm -rf "$job"
		exit 1
	fi
	mkdir -p "$job/modules"
	cp "$top/build/$kver"/*.ko "$job/modules/"
fi
# The scenarios' UDP request tool (tests/vm/lib.sh udp_ask), compiled here:
# gcc under TCG takes half a minute.
tool=$top/build/tools/udpask
if [ ! -x "$tool" ] || [ "$top/tests/lib/udpask.c" -nt "$tool" ]; then
	mkdir -p "${tool%/*}"
	cc -O2 -o "$tool.$$" "$top/tests/lib/udpask.c" && mv "$tool.$$" "$tool"
fi
cleanup() {
	if [ -n "${AVAYA_VM_KEEP:-}" ]; then
		mkdir -p "$AVAYA_VM_KEEP" && cp -a "$job"/. "$AVAYA_VM_KEEP"/
	fi
	rm -rf "$job"
}
trap cleanup EXIT
{
	printf 'KVER=%q\n' "$kver"
	printf 'TOP=%q\n' "$top"
	printf 'SCENARIO=%q\n' "$scenario"
	printf 'NOLOAD=%q\n' "${AVAYA_VM_NOLOAD:-0}"
	printf 'NOMODULES=%q\n' "${AVAYA_VM_NOMODULES:-0}"
	printf 'DEBUG=%q\n' "$debug"
	printf 'TIME_SCALE=%q\n' "$time_scale"
	printf 'MODROOT=%q\n' "$modroot"
	for v in $(compgen -v | grep -E '^AVAYA_(SCALE|PERF)'); do
		printf 'export %s=%q\n' "$v" "${!v}"
	done
	printf 'ARGS=('
	for a in "$@"; do printf '%q ' "$a"; done
	printf ')\n'
} > "$job/job.env"

# The debug lane: two vCPUs so that both directions of a connection can be
# handled at once, and room for KASAN's shadow and slub_debug's red zones.
if [ "$debug" = 1 ]; then
	machine=(-accel "tcg,thread=multi" -smp 2 -m 3072)
	# kasan.fault=panic: after a memory-safety report the rest of the run
	# means nothing, and a TCG debug guest would otherwise run on until
	# its time limit. watchdog_thresh=60 (soft lockup after 120 s): on a
	# busy 2-core host the emulated CPUs stall for 20 s and more without
	# any kernel fault (seen once in `ip` during sip_negative). RCU's
	# stall warning (21 s by default) would be the first to see such a
	# stall: it waits 60 s too. A CPU stuck with preemption off is
	# reported by RCU first, and each of its stall reports touches the
	# soft-lockup watchdog, which then never fires (a planted 200 s spin
	# showed it): kernel-reports.sh fails a scenario on either.
	append="slub_debug=FZPU kmemleak=on kasan.fault=panic watchdog_thresh=60"
	append+=" rcupdate.rcu_cpu_stall_timeout=60"
else
	machine=(-smp 1 -m 1536)
	append=
fi
boot() {
	timeout "$timeout_s" qemu-system-x86_64 \
		-machine q35 -cpu max "${machine[@]}" -nodefaults -no-reboot \
		-display none -serial "file:$job/console.log" -monitor none \
		-kernel "$kernel" -initrd "$initrd" \
		-append "console=ttyS0 panic=-1 loglevel=4 oops=panic no_timer_check $append avaya.guest=$top/scripts/vm-guest.sh" \
		-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
		-virtfs "local,path=$job,mount_tag=avayajob,security_model=none" \
		-nic none
}

set +e
boot
qrc=$?
# A guest that died before the scenario started (TCG on a loaded host can
# trip the early timer checks) is an infrastructure failure: boot once more.
if [ ! -f "$job/output.log" ] && [ ! -f "$job/rc" ] && [ "$qrc" -ne 124 ]; then
	echo "vm-run: $kver: the guest died before the scenario started; booting again"
	grep -E 'Kernel panic|not syncing' "$job/console.log" | head -n 3
	mv "$job/console.log" "$job/console.first.log"
	boot
	qrc=$?
fi
set -e

# The scenario's own output, as the guest recorded it.
[ -f "$job/output.log" ] && cat "$job/output.log"

if [ "$qrc" -eq 124 ]; then
	echo "FAIL: vm-run: $kver: timeout after ${timeout_s}s"
	tail -n 30 "$job/console.log"
	exit 1
fi
. "$top/scripts/kernel-reports.sh"
bad=$KERNEL_REPORTS
[ "$debug" = 1 ] && bad="$bad|$DEBUG_REPORTS"
if [ ! -f "$job/rc" ]; then
	echo "FAIL: vm-run: $kver: the guest did not report a result"
	if grep -Eq "$bad" "$job/console.log"; then
		echo "FAIL: vm-run: $kver: guest kernel log shows a warning or crash:"
		grep -Eh -A 20 "$bad" "$job/console.log" | head -n 60
	else
		tail -n 40 "$job/console.log"
	fi
	exit 1
fi
rc=$(cat "$job/rc")
if grep -Eq "$bad" "$job/dmesg.log" "$job/console.log"; then
	echo "FAIL: vm-run: $kver: guest kernel log shows a warning or crash:"
	grep -Eh -A 12 "$bad" "$job/dmesg.log" "$job/console.log" | head -n 60
	exit 1
fi
if [ "$debug" = 1 ]; then
	if [ ! -f "$job/kmemleak.log" ]; then
		echo "FAIL: vm-run: $kver: the guest recorded no kmemleak scan"
		exit 1
	fi
	ours=$(kmemleak_ours "$job/kmemleak.log")
	if [ -n "$ours" ]; then
		echo "FAIL: vm-run: $kver: kmemleak reports a leak in conntrack, NAT or our modules:"
		echo "$ours" | head -n 60
		exit 1
	fi
	echo "vm-run: $kver: kmemleak: $(grep -c 'unreferenced object' "$job/kmemleak.log") unreferenced objects, none from conntrack, NAT or our modules"
fi
exit "$rc"
