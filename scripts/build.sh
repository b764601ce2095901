#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# build.sh KVER [make args...]: build our modules for Debian kernel KVER in
# build/KVER/ (a copy of the sources: external-module builds write objects
# next to the sources, and each kernel needs its own). KVER may also be the
# debug lane's kernel (6.12.N-avaya-debug, or just "debug"), built by
# scripts/debug-kernel.sh in the cache.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
kver=${1:?usage: build.sh KVER}
shift
[ "$kver" = debug ] && kver=$("$top/scripts/debug-kernel.sh" --kver)
case $kver in
*-avaya-debug)
	kdir=$("$top/scripts/debug-kernel.sh" --dir)/root/lib/modules/$kver/build ;;
*)
	kdir=/lib/modules/$kver/build
	[ -d "$kdir" ] || kdir=/usr/src/linux-headers-$kver ;;
esac
[ -d "$kdir" ] || { echo "build: no headers for $kver" >&2; exit 2; }
out=$top/build/$kver
mkdir -p "$out"
# Several developers and vm-run.sh may build the same kernel at once.
exec 7>"$top/build/.lock-$kver"
flock 7
rsync -a --delete --exclude /build --exclude /.git --exclude '/tests/unit/bin' \
	--exclude '*.o' --exclude '*.ko' --exclude '.*.cmd' --exclude '*.mod*' \
	--filter='P *.o' --filter='P *.ko' --filter='P .*.cmd' --filter='P *.mod*' \
	--filter='P modules.order' --filter='P Module.symvers' --filter='P .tmp*' \
	"$top/" "$out/"
make -C "$kdir" M="$out" "$@" modules
