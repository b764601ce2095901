#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Install what the build and the test suite need (Debian 12, as root). A quick
# no-op when everything is present, so `make check` can always call it.
set -eu

# The newest Debian 6.12 kernel with headers; 6.1 comes from the metapackages.
pick_612() {
	apt-cache search --names-only '^linux-headers-6\.12\.[0-9]+\+deb12-amd64$' |
		awk '{ print $1 }' | sed 's/^linux-headers-//' | sort -V | tail -n 1
}

have_612() {
	ls /boot/vmlinuz-6.12.*+deb12-amd64 >/dev/null 2>&1 &&
		ls -d /usr/src/linux-headers-6.12.*+deb12-amd64 >/dev/null 2>&1
}

PKGS="linux-image-amd64 linux-headers-amd64 linux-source-6.1 build-essential
	bc flex bison libelf-dev libssl-dev kmod cpio gzip xz-utils zstd rsync
	qemu-system-x86 busybox-static nftables conntrack iproute2 procps
	tshark tcpdump socat python3 python3-scapy dkms iputils-ping
	kamailio baresip sipsak valgrind rtpengine-daemon
	debhelper dh-dkms lintian iptables conntrackd keepalived"

missing=
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done

if [ -z "$missing" ] && have_612; then
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing:$missing (and/or a 6.12 kernel); run as root" >&2
	exit 2
fi
export DEBIAN_FRONTEND=noninteractive
echo "deps: installing:$missing"
apt-get update -qq
# tshark asks whether non-root users may capture: answer no, non-interactively.
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
# shellcheck disable=SC2086
[ -z "$missing" ] || apt-get install -y -qq --no-install-recommends $missing
if ! have_612; then
	v=$(pick_612)
	[ -n "$v" ] || { echo "deps: no 6.12 kernel in apt" >&2; exit 2; }
	apt-get install -y -qq --no-install-recommends \
		"linux-image-$v-unsigned" "linux-headers-$v"
fi
