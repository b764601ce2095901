#!/bin/bash
# avaya-vm: nomodules
# avaya-vm: long (a DKMS build under TCG, 10-17 min: make check-deb, not make check)
# avaya-vm-timeout: 2700
# SPDX-License-Identifier: GPL-2.0-only
#
# The Debian package, the way an appliance gets it. vm-run.sh installs
# nothing of ours here (the marker above); the guest's root is the host's,
# read-only, under a tmpfs overlay, so dpkg and DKMS may write /usr/src,
# /var/lib/dkms, /var/lib/dpkg and /lib/modules without touching the host.
# The package is build/deb/nf-conntrack-avaya-dkms_VER_all.deb (`make deb`
# on the host; check.sh builds it before the VM step).
#
#   dpkg -i .deb --postinst (dh_dkms)--> dkms add/build/install for KVER
#   --> /lib/modules/KVER/updates/dkms/{avaya_codec,nf_conntrack_avaya,nf_nat_avaya}.ko*
#
# 1. dpkg -i with only the booted kernel's headers visible (the other
#    kernel's build link is hidden): DKMS builds and installs for KVER,
#    dkms status says installed, modinfo resolves all three modules there,
#    the shipped files are in place.
# 2. modprobe nf_conntrack_avaya loads the DKMS-built files (GNU build id of
#    the loaded module = the installed file's) and, through the package's
#    softdep, nf_nat_avaya with it; the modules carry the DKMS signature.
# 3. An nft ct helper of type "avaya-ras" autoloads both (alias + softdep).
# 4. iptables-nft: -t raw -j CT --helper avaya-ras attaches our helper like
#    nft `ct helper set`: an RRQ/RCF opens the same two registration
#    expectations, the gatekeeper's 61440 -> phone:1720 passes, 61445 does
#    not; avaya-q931 and avaya-sip are attached to tcp/1720 and udp/5060
#    flows (conntrack -L shows helper=...).
# 5. avaya-prom (installed copy) on the live file of the firewall namespace:
#    the strict parser accepts it and its values equal /proc's.
# 6. With --upgrade, kernel upgrade (when the other installed kernel is
#    newer; off in `make check`, whose CI budget cannot hold a second DKMS
#    build under TCG, about 10 minutes: `make check-deb`): its headers
#    appear and the kernel's header_postinst.d hook runs (what installing
#    linux-headers-NEW does): DKMS builds for it, dkms status shows both
#    kernels, modprobe -S NEW resolves to the DKMS files built for NEW.
#    Booting NEW and loading there is what the run on NEW proves (1-3).
# 7. apt-get purge: no package file, no /usr/src tree, no DKMS tree, no
#    module of ours under any /lib/modules, no alias left.
# 8. With --make (vm-run.sh KVER tests/vm/deb_install.sh --make): `make
#    dkms-install` from the tree does the same build in one step (off by
#    default: one more DKMS build under TCG).
set -u
. "$(dirname "$0")/lib.sh"

KVER=${AVAYA_KVER:-$(uname -r)}
PKG=nf_conntrack_avaya
DEBPKG=nf-conntrack-avaya-dkms
VER=$(sed -n '1s/^[^ ]* (\([^)-]*\).*/\1/p' "$TOP/debian/changelog")
DEB=$TOP/build/deb/${DEBPKG}_${VER}_all.deb
SRC=/usr/src/$PKG-$VER
DEST=/lib/modules/$KVER/updates/dkms
MODS="avaya_codec nf_conntrack_avaya nf_nat_avaya"
PROM=/usr/share/nf-conntrack-avaya/avaya-prom
RAS="python3 $TOP/tests/lib/h225ras.py"
work=$(mktemp -d)
MAKE_TOO=0
WANT_UPGRADE=0
for a in "$@"; do
	case $a in
	--make) MAKE_TOO=1 ;;
	--upgrade) WANT_UPGRADE=1 ;;
	esac
done
export DEBIAN_FRONTEND=noninteractive
t0=$(date +%s)

# The other test kernel, if installed (scripts/kernels.sh lists both).
OTHER=$("$TOP/scripts/kernels.sh" | grep -vxF "$KVER" | head -n 1)
UPGRADE=0
if [ "$WANT_UPGRADE" = 1 ] && [ -n "$OTHER" ] && dpkg --compare-versions "${OTHER%%-*}" gt "${KVER%%-*}"; then
	UPGRADE=1
fi

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
		tail -n 30 /var/lib/dkms/$PKG/"$VER"/build/make.log 2>/dev/null
	fi
}
loaded() { [ -d "/sys/module/$1" ]; }
unload_all() { rmmod nf_nat_avaya nf_conntrack_avaya avaya_codec 2>/dev/null; true; }
status_for() {	# KVER: "installed" when dkms says so for that kernel
	dkms status -m "$PKG" -v "$VER" -k "$1" 2>/dev/null | tee -a "$work/status" |
		grep -q ": installed\$"
}
# path_in_dkms KVER MODULE: modinfo resolves MODULE under updates/dkms
path_in_dkms() {
	local p

	p=$(modinfo -k "$1" -n "$2" 2>/dev/null)
	echo "  $1 $2 -> ${p:-?}"
	case $p in /lib/modules/"$1"/updates/dkms/"$2".ko*) return 0 ;; esac
	return 1
}
decompressed() {	# FILE OUT
	case $1 in
	*.xz) xz -dc "$1" > "$2" ;;
	*.zst) zstd -qdc "$1" > "$2" ;;
	*.gz) gzip -dc "$1" > "$2" ;;
	*) cp "$1" "$2" ;;
	esac
}
file_build_id() {
	local p

	p=$(modinfo -k "$KVER" -n "$1" 2>/dev/null) || return 1
	decompressed "$p" "$work/id.ko"
	readelf -n "$work/id.ko" | sed -n 's/.*Build ID: *\([0-9a-f]*\).*/\1/p'
}
# same_module MODULE: the loaded module is the installed file (build id).
same_module() {
	local want got

	want=$(file_build_id "$1")
	got=$(od -An -v -tx1 "/sys/module/$1/notes/.note.gnu.build-id" 2>/dev/null | tr -d ' \n')
	echo "  $1 build id: installed=${want:-?} loaded=...${got: -40}"
	[ -n "$want" ] && [ "${got%"$want"}" != "$got" ]
}
# vermagic_is KVER MODULE: the file DKMS installed for KVER was built for it
vermagic_is() {
	local v

	v=$(modinfo -k "$1" -F vermagic "$2" 2>/dev/null)
	echo "  $2 for $1: vermagic $v"
	[ "${v%% *}" = "$1" ]
}
counter() {
	fw awk -v n="$1" '$1 == n { print $2 }' /proc/net/nf_conntrack_avaya
}
elapsed() { echo "  (t+$(( $(date +%s) - t0 )) s)"; }

echo "== 0. $DEBPKG $VER on $KVER (other kernel: ${OTHER:-none}, upgrade path: $UPGRADE)"
check "process substitution works (dkms needs /dev/fd)" test -e <(echo)
check "$DEB exists (make deb)" test -f "$DEB"
stale=$(cd "$TOP" && find Kbuild dkms.conf ./*.c include lib debian scripts/avaya-nft-profile \
	scripts/avaya-prom scripts/matrices README -newer "$DEB" -type f 2>/dev/null | head -n 3)
check "the package is newer than its sources${stale:+ (stale: $stale; run make deb)}" test -z "$stale"
check "no avaya module is loaded" sh -c '! lsmod | grep -q avaya'
check_not "modinfo finds no nf_conntrack_avaya before the package" modinfo -k "$KVER" -n nf_conntrack_avaya
check "/lib/modules/$KVER/build has the kernel's Makefile" test -f "/lib/modules/$KVER/build/Makefile"
# The man-db trigger rebuilds its index for minutes under TCG: not our test.
rm -f /var/lib/man-db/auto-update
if [ "$UPGRADE" = 1 ]; then
	# An appliance before the upgrade: the new kernel's headers are not there.
	mv "/lib/modules/$OTHER/build" "$work/other-build"
fi

# progress: what DKMS has compiled so far, once a minute (a TCG build on a
# busy host takes minutes; the log shows where the time goes).
progress() {
	local b=/var/lib/dkms/$PKG/$VER/build

	while sleep 60; do
		echo "  [t+$(( $(date +%s) - t0 )) s] DKMS objects: $(find "$b" -name '*.o' 2>/dev/null | wc -l), modules: $(find "$b" -name '*.ko' 2>/dev/null | wc -l)"
	done
}

echo "== 1. dpkg -i builds and installs for $KVER through DKMS"
progress &
mon=$!
quietly "dpkg -i $(basename "$DEB")" dpkg -i "$DEB"
kill_tree "$mon"
wait "$mon" 2>/dev/null
sed 's/^/  | /' "$work/cmd.log" | grep -vE '^  \| (Selecting|\(Reading|Preparing|Unpacking)' | head -n 30
elapsed
check "dpkg: $DEBPKG is installed" sh -c "dpkg-query -W -f='\${Status}' $DEBPKG | grep -q 'install ok installed'"
dpkg-query -L "$DEBPKG" > "$work/files"
check "dkms status: installed for $KVER" status_for "$KVER"
cat "$work/status"
for m in $MODS; do
	check "modinfo resolves $m under $DEST" path_in_dkms "$KVER" "$m"
done
check "$SRC/dkms.conf carries the version $VER" grep -qx "PACKAGE_VERSION=\"$VER\"" "$SRC/dkms.conf"
check "/etc/modprobe.d has the softdep" grep -qx 'softdep nf_conntrack_avaya post: nf_nat_avaya' \
	/etc/modprobe.d/$DEBPKG.conf
check "avaya-nft-profile --list finds its matrices" sh -c \
	'test "$(avaya-nft-profile --list | grep -c rows)" -eq 4'
if [ "$UPGRADE" = 1 ]; then
	check_not "nothing built for $OTHER yet (its headers are absent)" status_for "$OTHER"
fi

echo "== 2. modprobe loads the DKMS-built modules, nf_nat_avaya by softdep"
check "modprobe nf_conntrack_avaya" modprobe nf_conntrack_avaya
for m in $MODS; do
	check "$m is loaded" loaded "$m"
	check "loaded $m is the DKMS-installed file" same_module "$m"
done
signer=$(modinfo -F signer nf_conntrack_avaya 2>/dev/null)
echo "  signer: ${signer:-none}; taint: $(cat /sys/module/nf_conntrack_avaya/taint)"
check "DKMS signed the module (signer \"DKMS module signing key\")" \
	test "$signer" = "DKMS module signing key"
check "the helpers are registered" grep -q . /proc/net/nf_conntrack_avaya
unload_all
for m in $MODS; do
	check_not "$m unloaded by rmmod" loaded "$m"
done

echo "== 3. an nft ct helper of type avaya-ras autoloads nf_conntrack_avaya and nf_nat_avaya"
ip netns add auto
check "nft accepts ct helper { type \"avaya-ras\" protocol udp; }" ip netns exec auto nft -f - <<'EOF'
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
check "after: nf_conntrack_avaya is loaded" loaded nf_conntrack_avaya
check "after: nf_nat_avaya came with it (softdep)" loaded nf_nat_avaya
check "the autoloaded module is the DKMS one" same_module nf_conntrack_avaya
ip netns exec auto nft delete table inet autoload
ip netns del auto
elapsed

echo "== 4. iptables-nft -j CT --helper attaches our helpers like nft ct helper set"
msg() { local n=$1; shift; $RAS "$@" -o "$work/$n"; }
msg rrq rrq --seq 11 --csa 10.0.1.2:1720 --ras 10.0.1.2:49300 --alias 4711
msg rcf rcf --seq 11 --csa 10.0.2.2:1720 --ttl 3600 --endpoint-id EP4711
printf 'OPTIONS sip:gk@10.0.2.2 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.1.2:5060;branch=z9hG4bK1\r\nFrom: <sip:ph@10.0.1.2>;tag=1\r\nTo: <sip:gk@10.0.2.2>\r\nCall-ID: deb1@10.0.1.2\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n' \
	> "$work/options"
setup_topology
bg ph $NU tcp-serve 10.0.1.2:1720
bg gk $NU tcp-serve 10.0.2.2:1720
wait_listen ph tcp 1720 && wait_listen gk tcp 1720
exchange() {	# one RRQ/RCF round trip through the firewall
	bg gk $NU udp-serve 10.0.2.2:1719 --reply "$work/rcf" --count 1 --timeout 5
	wait_listen gk udp 1719 || return 1
	ph $NU udp-send 10.0.1.2:49300 10.0.2.2:1719 "$work/rrq" \
		--expect-reply "$work/got" --timeout 3 >/dev/null || return 1
	wait_bg
	cmp -s "$work/got" "$work/rcf"
}
reverse() {	# SRC_PORT: gatekeeper -> phone:1720
	forget_tcp
	tcp_try gk "10.0.2.2:$1" 10.0.1.2:1720 1.5
}
ras_pinholes() { expect_lines | grep -c 'dport=1720 .*helper=avaya-ras'; }
fw_reset() {
	fw nft flush ruleset
	fw conntrack -F >/dev/null 2>&1
	fw conntrack -F expect >/dev/null 2>&1
	true
}

fw nft -f - <<'EOF'
table inet fw {
	ct helper ras {
		type "avaya-ras" protocol udp;
	}
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established,related accept
		ip saddr 10.0.1.0/24 ip daddr 10.0.2.2 udp dport 1719 ct helper set "ras" accept
	}
}
EOF
check "nft: RRQ passes, the RCF comes back" exchange
nft_exp=$(ras_pinholes)
check "nft: two registration expectations (61440/14 + 61444/16)" test "$nft_exp" -eq 2

fw_reset
fw iptables-nft -t raw -A PREROUTING -p udp --dport 1719 -j CT --helper avaya-ras
fw iptables-nft -t raw -A PREROUTING -p tcp --dport 1720 -j CT --helper avaya-q931
fw iptables-nft -t raw -A PREROUTING -p udp --dport 5060 -j CT --helper avaya-sip
fw iptables-nft -P FORWARD DROP
fw iptables-nft -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
fw iptables-nft -A FORWARD -s 10.0.1.0/24 -d 10.0.2.2 -p udp -m multiport --dports 1719,5060 -j ACCEPT
fw iptables-nft -A FORWARD -s 10.0.1.0/24 -d 10.0.2.2 -p tcp --dport 1720 -j ACCEPT
fw iptables-nft-save | sed 's/^/  /'
check "iptables: RRQ passes, the RCF comes back" exchange
expect_lines
check "iptables: the same registration expectations as nft ($nft_exp)" test "$(ras_pinholes)" -eq "$nft_exp"
check "iptables: gatekeeper:61440 -> phone:1720 passes (the pinhole)" reverse 61440
check_not "iptables: gatekeeper:61445 -> phone:1720 is blocked" reverse 61445
check "iptables: reverse_pinhole_opened counted" test "$(counter reverse_pinhole_opened)" -ge 1
check "iptables: phone -> gatekeeper:1720 connects" \
	tcp_try ph 10.0.1.2:40000 10.0.2.2:1720 2
check "iptables: that flow carries helper=avaya-q931" \
	sh -c "ip netns exec fw conntrack -L -p tcp --dport 1720 --sport 40000 2>/dev/null | grep -q 'helper=avaya-q931'"
bg gk $NU udp-serve 10.0.2.2:5060 --count 1 --timeout 5
wait_listen gk udp 5060
ph $NU udp-send 10.0.1.2:5060 10.0.2.2:5060 "$work/options" >/dev/null
wait_bg
check "iptables: the SIP flow carries helper=avaya-sip" \
	sh -c "ip netns exec fw conntrack -L -p udp --dport 5060 2>/dev/null | grep -q 'helper=avaya-sip'"
check "iptables: sip_messages counted" test "$(counter sip_messages)" -ge 1

echo "== 5. avaya-prom on the live /proc/net/nf_conntrack_avaya of the firewall namespace"
"$PROM" --netns fw --netns gone > "$work/prom" 2> "$work/prom.err"
check "avaya-prom --netns fw exits 0" test $? -eq 0
check "the strict parser accepts the output" python3 "$TOP/tests/metrics/promparse.py" "$work/prom"
check "up is 1 for fw, 0 for a namespace that does not exist" sh -c \
	"grep -qx 'nf_conntrack_avaya_up{netns=\"fw\"} 1' '$work/prom' &&
	 grep -qx 'nf_conntrack_avaya_up{netns=\"gone\"} 0' '$work/prom'"
fw cat /proc/net/nf_conntrack_avaya > "$work/proc"
same=1
while read -r name value; do
	grep -qx "nf_conntrack_avaya_${name}_total{netns=\"fw\"} $value" "$work/prom" || { same=0; echo "  differs: $name $value"; }
done < "$work/proc"
check "every /proc counter is exported with its value ($(wc -l < "$work/proc") counters)" test $same = 1
check "HELP comes from the shipped help file" \
	grep -q '^# HELP nf_conntrack_avaya_reverse_pinhole_opened_total registration pinholes opened' "$work/prom"
cleanup
PIDS=()
unload_all
elapsed

if [ "$UPGRADE" = 1 ]; then
	echo "== 6. kernel upgrade: headers of $OTHER arrive, the header_postinst.d hook runs"
	mv "$work/other-build" "/lib/modules/$OTHER/build"
	progress &
	mon=$!
	quietly "/etc/kernel/header_postinst.d/dkms $OTHER" /etc/kernel/header_postinst.d/dkms "$OTHER"
	kill_tree "$mon"
	wait "$mon" 2>/dev/null
	sed 's/^/  | /' "$work/cmd.log" | head -n 20
	elapsed
	: > "$work/status"
	check "dkms status: installed for $KVER" status_for "$KVER"
	check "dkms status: installed for $OTHER" status_for "$OTHER"
	dkms status -m "$PKG"
	for m in $MODS; do
		check "modinfo -k $OTHER resolves $m under updates/dkms" path_in_dkms "$OTHER" "$m"
		check "$m for $OTHER is built for $OTHER" vermagic_is "$OTHER" "$m"
	done
	check "modprobe -S $OTHER resolves nf_conntrack_avaya to the DKMS file" sh -c \
		"modprobe -S '$OTHER' --show-depends nf_conntrack_avaya | grep -q '/lib/modules/$OTHER/updates/dkms/nf_conntrack_avaya.ko'"
else
	if [ "$WANT_UPGRADE" = 1 ]; then
		echo "== 6. kernel upgrade: skipped on $KVER (the run on the older kernel upgrades to this one)"
	else
		echo "== 6. kernel upgrade: not asked for (--upgrade; make check-deb)"
	fi
fi

echo "== 7. apt-get purge leaves nothing behind"
quietly "apt-get purge $DEBPKG" apt-get purge -y -q "$DEBPKG"
elapsed
check "dpkg: $DEBPKG is gone" sh -c "! dpkg-query -W -f='\${Status}' $DEBPKG 2>/dev/null | grep -qE 'ok installed|config-files'"
left=$(while read -r f; do [ -e "$f" ] && [ ! -d "$f" ] && echo "$f"; done < "$work/files")
check "no file of the package is left${left:+: $(echo "$left" | head -n 3 | tr '\n' ' ')}" test -z "$left"
check "$SRC is gone" test ! -e "$SRC"
check "/usr/share/nf-conntrack-avaya is gone" test ! -e /usr/share/nf-conntrack-avaya
check "/etc/modprobe.d/$DEBPKG.conf is gone (purged conffile)" test ! -e "/etc/modprobe.d/$DEBPKG.conf"
check "/var/lib/dkms/$PKG is gone" test ! -e "/var/lib/dkms/$PKG"
check "dkms status knows nothing of $PKG" test -z "$(dkms status -m "$PKG" 2>/dev/null)"
mods_left=$(find /lib/modules -name 'avaya_codec.ko*' -o -name 'nf_conntrack_avaya.ko*' -o -name 'nf_nat_avaya.ko*' 2>/dev/null)
check "no module of ours under /lib/modules${mods_left:+: $mods_left}" test -z "$mods_left"
for k in $KVER $OTHER; do
	check_not "modinfo -k $k no longer finds nf_conntrack_avaya" modinfo -k "$k" -n nf_conntrack_avaya
done
check_not "the nfct-helper-avaya-ras alias is gone" modprobe -n nfct-helper-avaya-ras

if [ $MAKE_TOO = 1 ]; then
	echo "== 8. make dkms-install"
	rm -rf "$SRC"
	quietly "make dkms-install" make -C "$TOP" dkms-install KVER="$KVER"
	: > "$work/status"
	check "dkms status: installed" status_for "$KVER"
	check "$SRC/dkms.conf carries the version" grep -qx "PACKAGE_VERSION=\"$VER\"" "$SRC/dkms.conf"
	check "modinfo resolves nf_conntrack_avaya under $DEST" path_in_dkms "$KVER" nf_conntrack_avaya
	check "modprobe nf_conntrack_avaya" modprobe nf_conntrack_avaya
	check "loaded nf_conntrack_avaya is the DKMS-installed file" same_module nf_conntrack_avaya
	unload_all
	quietly "dkms remove --all" dkms remove -m "$PKG" -v "$VER" --all
	check "dkms status is empty" test -z "$(dkms status -m "$PKG" 2>/dev/null)"
	rm -rf "$SRC"
fi
echo "deb_install on $KVER: $(( $(date +%s) - t0 )) s in the guest"
rm -rf "$work"
finish
