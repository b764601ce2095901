#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The generated h323-handsets profile, loaded unmodified into the firewall,
# carries a real registration.
#
#   phone ns "ph" 10.0.1.2 ----- fw: `avaya-nft-profile h323-handsets` ----- gatekeeper/server "gk" 10.0.2.2
#   (--phones 10.0.1.0/24)     (table inet avaya_h323-handsets)         (--servers 10.0.2.2/32)
#                                                               +----- third host "x" 10.0.3.2 (--admin)
#
# 1. The generator's ruleset loads; its ct helper objects are our avaya-ras
#    and avaya-q931.
# 2. RRQ/RCF (TTL 600) on udp/1719 passes, avaya-ras expects the gatekeeper's
#    61440-61444 -> phone:1720 for about 600 s; 61440 and 61444 pass (ct state
#    related), 5555, 61445, a third host and phone:1721 are blocked; GRQ/GCF
#    on udp/1718 passes.
# 3. What the matrix names passes (DHCP udp/67 and its reply, HTTP tcp/80,
#    HTTPS tcp/443, ping to the server); ports it does not name (tcp/2222 and
#    udp/2222 both ways, server -> phone tcp/80, phone -> a non-server) and
#    hosts outside the zones are dropped.
# 4. tests/profiles/check_profiles.sh validates the unmodified h323-handsets
#    and ip-office-9.1 files with nft -c against the real avaya-* helpers:
#    no SKIP.
set -u
. "$(dirname "$0")/lib.sh"

# check_profiles.sh reads its static checks through <(...), which needs
# /dev/fd; the guest's bare devtmpfs lacks it (udev would make it).
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd

RAS="python3 $TOP/tests/lib/h225ras.py"
GEN=$TOP/scripts/avaya-nft-profile
TABLE=avaya_h323-handsets
work=$(mktemp -d)

msg() {	# NAME ARGS...: build a RAS message into $work/NAME
	local name=$1
	shift
	$RAS "$@" -o "$work/$name"
}
msg rrq rrq --seq 1 --csa 10.0.1.2:1720 --ras 10.0.1.2:49300
msg rcf rcf --seq 1 --csa 10.0.2.2:1720 --ttl 600 --endpoint-id X
msg grq grq --seq 2 --ras 10.0.1.2:49301
msg gcf gcf --seq 2 --ras 10.0.2.2:1719
printf 'DHCPREQUEST' > "$work/dhcpreq"
printf 'DHCPACK' > "$work/dhcpack"
printf 'x' > "$work/one"

echo "== 1. generate and load the h323-handsets profile"
if "$GEN" h323-handsets --phones 10.0.1.0/24 --servers 10.0.2.2/32 \
	--trunk 203.0.113.0/24 --admin 10.0.3.2/32 --gk-src-ports 61440-61444 \
	--out "$work/h323.nft" 2> "$work/gen.err"; then
	pass "avaya-nft-profile h323-handsets ($(wc -l < "$work/h323.nft") lines)"
else
	fail "avaya-nft-profile h323-handsets: $(head -n 3 "$work/gen.err")"
fi
check "the generator printed no warning (every zone given)" test ! -s "$work/gen.err"
check "the phones set is the topology's 10.0.1.0/24" grep -q 'elements = { 10.0.1.0/24 }' "$work/h323.nft"

setup_topology
if fw nft -f "$work/h323.nft"; then
	pass "the unmodified profile loads into the firewall"
else
	fail "the unmodified profile loads into the firewall"
fi
fw nft list ct helpers table inet "$TABLE" > "$work/helpers" 2>&1
check "ct helper avaya-ras is of type \"avaya-ras\" (udp)" \
	grep -q 'type "avaya-ras" protocol udp' "$work/helpers"
check "ct helper avaya-q931 is of type \"avaya-q931\" (tcp)" \
	grep -q 'type "avaya-q931" protocol tcp' "$work/helpers"
check "forward chain policy is drop" \
	sh -c "ip netns exec fw nft list chain inet '$TABLE' forward | grep -q 'policy drop'"

bg ph $NU tcp-serve 10.0.1.2:1720
bg ph $NU tcp-serve 10.0.1.2:1721
bg ph $NU tcp-serve 10.0.1.2:2222
bg ph $NU tcp-serve 10.0.1.2:80
bg gk $NU tcp-serve 10.0.2.2:80
bg gk $NU tcp-serve 10.0.2.2:443
bg gk $NU tcp-serve 10.0.2.2:2222
bg x $NU tcp-serve 10.0.3.2:80
wait_listen ph tcp 1720 && wait_listen ph tcp 1721 && wait_listen ph tcp 2222 &&
	wait_listen ph tcp 80 && wait_listen gk tcp 80 && wait_listen gk tcp 443 &&
	wait_listen gk tcp 2222 && wait_listen x tcp 80

# exchange PORT SRCPORT REQUEST REPLY: a UDP round trip phone -> gatekeeper.
exchange() {
	udp_answer gk "10.0.2.2:$1" "$work/$4" 5
	wait_bound gk "10.0.2.2:$1" || return 1
	udp_ask ph "10.0.1.2:$2" "10.0.2.2:$1" "$work/$3" "$work/got" || return 1
	cmp -s "$work/got" "$work/$4"
}

# udp_through FROM_NS SRC DST_NS DST: one datagram arrives.
udp_through() {
	bg udp_recv1 "$3" "$4"
	wait_listen "$3" udp "${4##*:}" || return 1
	udp_send "$1" "$2" "$4" "$work/one"
	wait_bg >/dev/null
}

tcp() {	# FROM_NS SRC_IP:PORT DST_IP:PORT
	forget_tcp
	tcp_try "$1" "$2" "$3" 1.5
}

echo "== 2. registration through the profile"
check "RRQ passes udp/1719, the RCF (TTL 600) comes back" exchange 1719 49300 rrq rcf
expect_lines
check "avaya-ras expects 61440-61444 -> phone:1720 (two expectations)" \
	test "$(expect_lines | grep -c 'dst=10.0.1.2 sport=614[0-9]* dport=1720 .*helper=avaya-ras')" -eq 2
t=$(expect_lines | awk '/dport=1720/ { print $1; exit }')
check "pinhole lifetime follows the TTL: ${t:-?} s in (500, 610]" \
	test "${t:-0}" -gt 500 -a "${t:-0}" -le 610
check "gatekeeper:61440 -> phone:1720 passes" tcp gk 10.0.2.2:61440 10.0.1.2:1720
check "the admitted connection carries helper avaya-q931" \
	sh -c "ip netns exec fw conntrack -L -p tcp --dport 1720 2>/dev/null | grep -q 'helper=avaya-q931'"
check "gatekeeper:61444 -> phone:1720 passes" tcp gk 10.0.2.2:61444 10.0.1.2:1720
check_not "gatekeeper:5555 -> phone:1720 is blocked" tcp gk 10.0.2.2:5555 10.0.1.2:1720
check_not "gatekeeper:61445 -> phone:1720 is blocked" tcp gk 10.0.2.2:61445 10.0.1.2:1720
check_not "third host 10.0.3.2:61440 -> phone:1720 is blocked" tcp x 10.0.3.2:61440 10.0.1.2:1720
check_not "gatekeeper:61440 -> phone:1721 is blocked" tcp gk 10.0.2.2:61440 10.0.1.2:1721
check "unicast GRQ passes udp/1718, the GCF comes back" exchange 1718 49301 grq gcf

echo "== 3. what the matrix names passes, the rest is dropped"
check "DHCP phone:68 -> server:67 passes and the reply comes back" exchange 67 68 dhcpreq dhcpack
check "HTTP phone -> server tcp/80 passes" tcp ph 10.0.1.2:40000 10.0.2.2:80
check "HTTPS phone -> server tcp/443 passes" tcp ph 10.0.1.2:40001 10.0.2.2:443
check "ping phone -> server passes" ph ping -c 1 -W 2 10.0.2.2
check_not "phone -> server tcp/2222 (not in the matrix) is dropped" tcp ph 10.0.1.2:40002 10.0.2.2:2222
check_not "phone -> server udp/2222 is dropped" udp_through ph 10.0.1.2:40003 gk 10.0.2.2:2222
check_not "gatekeeper:61440 -> phone tcp/2222 is dropped" tcp gk 10.0.2.2:61440 10.0.1.2:2222
check_not "gatekeeper -> phone tcp/2222 is dropped" tcp gk 10.0.2.2:40004 10.0.1.2:2222
check_not "server -> phone tcp/80 (wrong direction) is dropped" tcp gk 10.0.2.2:40005 10.0.1.2:80
check_not "server -> phone udp/2222 is dropped" udp_through gk 10.0.2.2:40006 ph 10.0.1.2:2222
check_not "ping server -> phone is dropped" gk ping -c 1 -W 1 10.0.1.2
check_not "phone -> non-server 10.0.3.2 tcp/80 is dropped" tcp ph 10.0.1.2:40007 10.0.3.2:80
check_not "third host -> server tcp/80 is dropped (not a phone)" tcp x 10.0.3.2:40008 10.0.2.2:80

echo "== 4. check_profiles.sh with the avaya-* helpers registered"
check "nf_conntrack_avaya is loaded" test -d /sys/module/nf_conntrack_avaya
bash "$TOP/tests/profiles/check_profiles.sh" > "$work/profiles.log" 2>&1
prc=$?
sed 's/^/  | /' "$work/profiles.log"
check "check_profiles.sh exits 0" test "$prc" -eq 0
check "check_profiles.sh reports 0 failed, 0 skipped" \
	grep -Eq '^[0-9]+ passed, 0 failed, 0 skipped$' "$work/profiles.log"
check_not "check_profiles.sh printed no SKIP" grep -q '^SKIP' "$work/profiles.log"
check_not "check_profiles.sh found the avaya-* helpers" \
	grep -q 'no avaya-\* conntrack helpers registered' "$work/profiles.log"
for p in h323-handsets ip-office-9.1; do
	check "$p: the unmodified file passes nft -c" \
		grep -qx "PASS: $p: nft -c -f accepts the ruleset" "$work/profiles.log"
	check "$p: the static checks ran (row ids, no static tcp/1720 to phones)" \
		sh -c "grep -q '^PASS: $p: all [0-9]* row ids' '$work/profiles.log' &&
		       grep -q '^PASS: $p: no static rule opens tcp/1720 towards @phones' '$work/profiles.log'"
done
rm -rf "$work"
finish
