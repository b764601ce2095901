#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# debug-kernel.sh [--kver|--dir]
#
# Build, once, the kernel of the debug lane: Debian's linux-source-6.12 with
# x86_64 defconfig plus scripts/debug-kernel.config (KASAN, UBSAN, KFENCE,
# lockdep, kmemleak, debug objects...; see that file), into the cache outside
# the repo:
#
#   $NF_AVAYA_CACHE/debug-6.12/linux/            source and build tree (KDIR)
#   $NF_AVAYA_CACHE/debug-6.12/root/lib/modules/ its modules (modules_install)
#   $NF_AVAYA_CACHE/debug-6.12/vmlinuz-KVER      the image vm-run.sh boots
#
# It rebuilds only when the fragment or the installed source package version
# changed (a stamp records both). It prints the kernel release (KVER,
# "6.12.N-avaya-debug") on stdout; progress goes to stderr.
#   --kver  print the KVER of the built kernel, build nothing (exit 2 if none)
#   --dir   print the cache directory of the lane
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cache=${NF_AVAYA_CACHE:-$HOME/.cache/nf-avaya}
dir=$cache/debug-6.12
tree=$dir/linux
fragment=$top/scripts/debug-kernel.config
pkg=linux-source-6.12

case ${1:-} in
--dir)
	echo "$dir"
	exit 0 ;;
--kver)
	[ -s "$dir/kver" ] || { echo "debug-kernel: not built yet (run scripts/debug-kernel.sh)" >&2; exit 2; }
	cat "$dir/kver"
	exit 0 ;;
"") ;;
*)
	echo "usage: debug-kernel.sh [--kver|--dir]" >&2
	exit 2 ;;
esac

log() { echo "debug-kernel: $*" >&2; }

# apt may be busy with another install: wait for its lock rather than fail.
install_source() {
	[ -n "$(ls /usr/src/$pkg.tar.* 2>/dev/null)" ] && return 0
	log "installing $pkg"
	apt-get -o DPkg::Lock::Timeout=1800 install -y -qq --no-install-recommends "$pkg" >&2
}

source_version() {
	dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null || echo unknown
}

# A new source package means a new tree; a fragment change only a new config
# (make rebuilds what the config change touches).
extract_source() {
	local version=$1 tarball

	[ -f "$tree/Makefile" ] && [ "$(cat "$tree/.avaya-source" 2>/dev/null)" = "$version" ] && return 0
	tarball=$(ls /usr/src/$pkg.tar.* | head -n 1)
	log "extracting $tarball"
	rm -rf "${tree:?}" "${dir:?}/$pkg"
	tar -C "$dir" -xf "$tarball"
	mv "$dir/$pkg" "$tree"
	echo "$version" > "$tree/.avaya-source"
}

# Every option the fragment sets must survive olddefconfig: a dropped one
# (renamed, or a missing dependency) would silently weaken the lane.
check_config() {
	local line sym missing=0

	while read -r line; do
		case $line in
		CONFIG_*=*)
			grep -qxF "$line" "$tree/.config" && continue
			echo "debug-kernel: the config lacks $line" >&2
			missing=1 ;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }
			sym=${sym%% *}
			grep -q "^$sym=" "$tree/.config" || continue
			echo "debug-kernel: the config has $(grep "^$sym=" "$tree/.config"), wanted off" >&2
			missing=1 ;;
		esac
	done < "$fragment"
	return $missing
}

configure() {
	log "configuring: defconfig + $(basename "$fragment")"
	make -s -C "$tree" defconfig >&2
	"$tree/scripts/kconfig/merge_config.sh" -m -O "$tree" "$tree/.config" "$fragment" > "$dir/merge.log" 2>&1
	make -s -C "$tree" olddefconfig >&2
	check_config
}

build() {
	local kver

	nice -n 19 make -s -C "$tree" -j2 bzImage modules >&2
	kver=$(make -s -C "$tree" kernelrelease)
	rm -rf "$dir/root/lib/modules/$kver"
	nice -n 19 make -s -C "$tree" modules_install INSTALL_MOD_PATH="$dir/root" >&2
	# Our modules build against this tree, as against /lib/modules/*/build.
	ln -sfn "$tree" "$dir/root/lib/modules/$kver/build"
	rm -f "$dir"/vmlinuz-*
	cp "$tree/arch/x86/boot/bzImage" "$dir/vmlinuz-$kver"
	echo "$kver" > "$dir/kver"
}

mkdir -p "$dir"
exec 9>"$dir/build.lock"
flock 9
install_source
version=$(source_version)
stamp="$pkg $version fragment $(sha256sum < "$fragment" | cut -d' ' -f1)"
if [ "$(cat "$dir/stamp" 2>/dev/null)" = "$stamp" ] && [ -s "$dir/kver" ] &&
	[ -f "$dir/vmlinuz-$(cat "$dir/kver")" ]; then
	cat "$dir/kver"
	exit 0
fi

start=$(date +%s)
cold=incremental
[ -f "$tree/vmlinux" ] || cold=cold
rm -f "$dir/stamp"
extract_source "$version"
[ -f "$tree/vmlinux" ] || cold=cold
configure
build
echo "$stamp" > "$dir/stamp"
log "$cold build of $(cat "$dir/kver") took $(( $(date +%s) - start )) s"
cat "$dir/kver"
