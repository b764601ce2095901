#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Print the Debian kernels we test: the newest installed 6.1 and 6.12 images
# that also have headers, one KVER per line. The debug lane's kernel
# (scripts/debug-kernel.sh) is never listed: `make check` stays on Debian's
# kernels; `kernels.sh debug` prints the debug KVER (CHECK_KERNELS=debug).
if [ "${1:-}" = debug ]; then
	exec "$(dirname "$0")/debug-kernel.sh" --kver
fi
for series in 6.1 6.12; do
	for img in $(ls /boot/vmlinuz-"$series".* 2>/dev/null | sort -V -r); do
		kver=${img#/boot/vmlinuz-}
		case $kver in *cloud*|*rt*) continue ;; esac
		if [ -d "/usr/src/linux-headers-$kver" ]; then
			echo "$kver"
			break
		fi
	done
done
