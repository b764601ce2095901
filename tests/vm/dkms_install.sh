#!/bin/bash
# avaya-vm: nomodules
# SPDX-License-Identifier: GPL-2.0-only
#
# DKMS: the packaged way to install us. vm-run.sh installs nothing of ours
# for this scenario (the marker above); the guest's root is a writable
# overlay, so DKMS may write /usr/src, /var/lib/dkms and /lib/modules.
#
#   repo sources --cp--> /usr/src/nf_conntrack_avaya-VER --dkms add/build/install-->
#   /lib/modules/KVER/updates/dkms/{avaya_codec,nf_conntrack_avaya,nf_nat_avaya}.ko*
#
# 1. dkms add, build and install each succeed and `dkms status` follows
#    added -> built -> installed; modinfo resolves all three modules there.
# 2. modprobe nf_conntrack_avaya loads exactly the DKMS-built module
#    (the GNU build id in /sys/module equals the installed file's), with
#    avaya_codec.
# 3. After rmmod, an nft ruleset declaring a ct helper of type "avaya-ras"
#    autoloads nf_conntrack_avaya (MODULE_ALIAS_NFCT_HELPER + depmod).
# 4. dkms remove leaves no module, no status line and no alias behind.
# 5. With the argument --make (vm-run.sh KVER tests/vm/dkms_install.sh --make):
#    `make dkms-install` does the same in one step. Off by default: a second
#    DKMS build under TCG doubles the run time (about 5 min per build when
#    the host is busy), and the recipe runs the same three commands.
set -u
. "$(dirname "$0")/lib.sh"

KVER=${AVAYA_KVER:-$(uname -r)}
PKG=nf_conntrack_avaya
VER=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$TOP/dkms.conf")
SRC=/usr/src/$PKG-$VER
DEST=/lib/modules/$KVER/updates/dkms
MODS="avaya_codec nf_conntrack_avaya nf_nat_avaya"
work=$(mktemp -d)
MAKE_TOO=0
[ "${1:-}" = --make ] && MAKE_TOO=1

# quietly DESC CMD...: check CMD, keeping its chatter out of the log unless
# it fails.
quietly() {
	local desc=$1

	shift
	if "$@" > "$work/cmd.log" 2>&1; then
		pass "$desc"
	else
		fail "$desc"
		tail -n 30 "$work/cmd.log"
		tail -n 30 "/var/lib/dkms/$PKG/$VER/build/make.log" 2>/dev/null
	fi
}
loaded() { [ -d "/sys/module/$1" ]; }
unload_all() { rmmod nf_nat_avaya nf_conntrack_avaya avaya_codec 2>/dev/null; true; }
status_is() {	# WORD: dkms status for this kernel (or the bare "added" line)
	dkms status -m "$PKG" -v "$VER" 2>/dev/null | tee "$work/status" | grep -q ": $1\$"
}
# path_in_dkms MODULE: modinfo resolves MODULE under updates/dkms
path_in_dkms() {
	local p

	p=$(modinfo -k "$KVER" -n "$1" 2>/dev/null)
	echo "  $1 -> ${p:-?}"
	case $p in "$DEST"/"$1".ko|"$DEST"/"$1".ko.xz|"$DEST"/"$1".ko.zst|"$DEST"/"$1".ko.gz) return 0 ;; esac
	return 1
}
# build_id MODULE: the GNU build id of the installed file (decompressed)
file_build_id() {
	local p

	p=$(modinfo -k "$KVER" -n "$1" 2>/dev/null) || return 1
	case $p in
	*.xz) xz -dc "$p" > "$work/id.ko" ;;
	*.zst) zstd -qdc "$p" > "$work/id.ko" ;;
	*.gz) gzip -dc "$p" > "$work/id.ko" ;;
	*) cp "$p" "$work/id.ko" ;;
	esac
	readelf -n "$work/id.ko" | sed -n 's/.*Build ID: *\([0-9a-f]*\).*/\1/p'
}
# same_module MODULE: the loaded module is the installed file: the build id
# note the kernel keeps in /sys/module/M/notes ends with the file's build id.
same_module() {
	local want got

	want=$(file_build_id "$1")
	got=$(od -An -v -tx1 "/sys/module/$1/notes/.note.gnu.build-id" 2>/dev/null | tr -d ' \n')
	echo "  $1 build id: installed=${want:-?} loaded=...${got: -40}"
	[ -n "$want" ] && [ "${got%"$want"}" != "$got" ]
}

echo "== 0. a clean start for $PKG $VER on $KVER"
# dkms uses <(...), which needs /dev/fd; the guest's bare devtmpfs lacks it
# (udev would make it), and without it `dkms remove` silently does nothing.
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
check "process substitution works (dkms needs it)" test -e <(echo)
unload_all
if [ -d "/lib/modules/$KVER/updates/avaya" ]; then
	echo "removing modules installed by the harness"
	rm -rf "/lib/modules/$KVER/updates/avaya"
	depmod -a "$KVER"
fi
check "dkms.conf names a version" test -n "$VER"
check "no avaya module is loaded" sh -c '! lsmod | grep -q avaya'
check_not "modinfo finds no nf_conntrack_avaya before DKMS" modinfo -k "$KVER" -n nf_conntrack_avaya
if [ ! -e "/lib/modules/$KVER/build" ] && [ -d "/usr/src/linux-headers-$KVER" ]; then
	ln -s "/usr/src/linux-headers-$KVER" "/lib/modules/$KVER/build"
fi
check "/lib/modules/$KVER/build has the kernel's Makefile" test -f "/lib/modules/$KVER/build/Makefile"

echo "== 1. dkms add, build, install"
rm -rf "$SRC"
mkdir -p "$SRC"
cp -a "$TOP"/Kbuild "$TOP"/Makefile "$TOP"/dkms.conf "$TOP"/nf_conntrack_avaya.c \
	"$TOP"/nf_nat_avaya.c "$TOP"/include "$TOP"/lib "$SRC"/
quietly "dkms add" dkms add -m "$PKG" -v "$VER"
check "dkms status: added" status_is added
cat "$work/status"
quietly "dkms build for $KVER" dkms build -m "$PKG" -v "$VER" -k "$KVER"
check "dkms status: built" status_is built
cat "$work/status"
quietly "dkms install for $KVER" dkms install -m "$PKG" -v "$VER" -k "$KVER"
check "dkms status: installed" status_is installed
cat "$work/status"
for m in $MODS; do
	check "modinfo resolves $m under $DEST" path_in_dkms "$m"
done

echo "== 2. modprobe loads the DKMS-built modules"
check "modprobe nf_conntrack_avaya" modprobe nf_conntrack_avaya
check "nf_conntrack_avaya is loaded" loaded nf_conntrack_avaya
check "avaya_codec came with it (depmod dependency)" loaded avaya_codec
check "modprobe nf_nat_avaya" modprobe nf_nat_avaya
for m in $MODS; do
	check "loaded $m is the DKMS-installed file" same_module "$m"
done
check "the helpers are registered" grep -q . /proc/net/nf_conntrack_avaya
unload_all
for m in $MODS; do
	check_not "$m unloaded by rmmod" loaded "$m"
done

echo "== 3. an nft ct helper of type avaya-ras autoloads nf_conntrack_avaya"
ip netns add fw
check_not "before: nf_conntrack_avaya not loaded" loaded nf_conntrack_avaya
check "nft accepts ct helper { type \"avaya-ras\" protocol udp; }" fw nft -f - <<'EOF'
table inet autoload {
	ct helper x {
		type "avaya-ras" protocol udp;
	}
	chain forward {
		type filter hook forward priority filter; policy accept;
		udp dport 1719 ct helper set "x"
	}
}
EOF
lsmod | grep -E '^(nf_conntrack_avaya|avaya_codec) '
check "after: lsmod shows nf_conntrack_avaya" sh -c 'lsmod | grep -q "^nf_conntrack_avaya "'
check "the autoloaded module is the DKMS one" same_module nf_conntrack_avaya
check "the ruleset holds the avaya-ras helper object" \
	sh -c 'ip netns exec fw nft list ct helper inet autoload x | grep -q "type \"avaya-ras\" protocol udp"'
fw nft delete table inet autoload
ip netns del fw
unload_all
check_not "nf_conntrack_avaya unloads after the table is gone" loaded nf_conntrack_avaya

echo "== 4. dkms remove"
quietly "dkms remove --all" dkms remove -m "$PKG" -v "$VER" --all
check "dkms status is empty" test -z "$(dkms status -m "$PKG" 2>/dev/null)"
for m in $MODS; do
	check_not "no $m left in $DEST" sh -c "ls '$DEST'/$m.ko* 2>/dev/null | grep -q ."
done
check_not "modinfo no longer finds nf_conntrack_avaya" modinfo -k "$KVER" -n nf_conntrack_avaya
check_not "the nfct-helper-avaya-ras alias is gone" modprobe -n nfct-helper-avaya-ras
check "/var/lib/dkms/$PKG/$VER is gone" test ! -e "/var/lib/dkms/$PKG/$VER"

if [ $MAKE_TOO = 1 ]; then
	echo "== 5. make dkms-install"
	rm -rf "$SRC"
	quietly "make dkms-install" make -C "$TOP" dkms-install KVER="$KVER"
	check "dkms status: installed" status_is installed
	cat "$work/status"
	check "$SRC holds dkms.conf" test -f "$SRC/dkms.conf"
	check "modinfo resolves nf_conntrack_avaya under $DEST" path_in_dkms nf_conntrack_avaya
	check "modprobe nf_conntrack_avaya" modprobe nf_conntrack_avaya
	check "loaded nf_conntrack_avaya is the DKMS-installed file" same_module nf_conntrack_avaya
	unload_all
	quietly "dkms remove --all" dkms remove -m "$PKG" -v "$VER" --all
	check "dkms status is empty" test -z "$(dkms status -m "$PKG" 2>/dev/null)"
fi
rm -rf "$SRC" "$work"
finish
