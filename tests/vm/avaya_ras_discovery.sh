#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Gatekeeper discovery: a multicast GRQ to 224.0.1.41:1718 admits the unicast
# GCF back to the phone's rasAddress, and nothing else.
#
#   phone 10.0.1.2:49300 --GRQ--> 224.0.1.41:1718 --- fw (mroute, default drop) --- gatekeeper 10.0.2.2
#   phone 10.0.1.2:49300 <--GCF-- 10.0.2.2:1719 (unicast, through the avaya-ras pinhole)
set -u
. "$(dirname "$0")/lib.sh"

RAS="python3 $TOP/tests/lib/h225ras.py"
work=$(mktemp -d)
$RAS grq --seq 1 --ras 10.0.1.2:49300 -o "$work/grq"
$RAS gcf --seq 1 --ras 10.0.2.2:1719 -o "$work/gcf"
$RAS grq --seq 2 --ras 10.0.1.77:49300 -o "$work/grq-foreign"
echo junk > "$work/junk"

setup_topology
fw sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.ph0.rp_filter=0
fw nft -f - <<'EOF'
table inet fw {
	ct helper ras {
		type "avaya-ras" protocol udp;
	}
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established,related accept
		ip saddr 10.0.1.0/24 ip daddr 224.0.1.41 udp dport 1718 ct helper set "ras" accept
	}
}
EOF
bg fw python3 "$TOP/tests/lib/mroute.py" 10.0.1.2 224.0.1.41 ph0 gk0
sleep 1

counter() {
	fw awk -v n="$1" '$1 == n { print $2 }' /proc/net/nf_conntrack_avaya
}

# discover GRQ: multicast GRQ from the phone; the gatekeeper answers unicast
# from its RAS port. Exit 0 when the GCF reaches the phone.
discover() {
	bg gk $NU udp-serve 0.0.0.0:1718 --join 224.0.1.41 --reply "$work/gcf" \
		--reply-from 10.0.2.2:1719 --count 1 --timeout 4 --save "$work/gk-rx"
	wait_listen gk udp 1718 || return 1
	ph $NU udp-send 10.0.1.2:49300 224.0.1.41:1718 "$work/$1" --mcast-ttl 4 \
		--expect-reply "$work/got" --timeout 3
	local rc=$?
	wait_bg
	return $rc
}

# stray FROM_NS SRC DST_PORT: one datagram to the phone, exit 0 if it arrives.
stray() {
	bg udp_recv1 ph "10.0.1.2:$3"
	wait_listen ph udp "$3" || return 1
	ip netns exec "$1" $NU udp-send "$2" "10.0.1.2:$3" "$work/junk"
	wait_bg
}

check "multicast GRQ reaches the gatekeeper and its unicast GCF reaches the phone" discover grq
check "the GCF arrived byte-identical" cmp -s "$work/got" "$work/gcf"
check "the gatekeeper saw the GRQ byte-identical" cmp -s "$work/gk-rx.0" "$work/grq"
check "gcf_pinhole_opened counted" test "$(counter gcf_pinhole_opened)" -ge 1
check_not "an unrelated datagram gatekeeper:1719 -> phone:5000 is blocked" stray gk 10.0.2.2:1719 5000
check_not "gatekeeper from port 2000 -> phone:49300 is blocked" stray gk 10.0.2.2:2000 49300
check_not "another host:1719 -> phone:49300 is blocked (the pinhole was single-use)" \
	stray x 10.0.3.2:1719 49300

# A GRQ whose rasAddress is not its sender must not make us open anything.
before=$(counter refused_grq_ras_not_source)
ph $NU udp-send 10.0.1.2:49300 224.0.1.41:1718 "$work/grq-foreign" --mcast-ttl 4
sleep 0.5
check "GRQ naming a foreign rasAddress is refused and counted" \
	test "$(counter refused_grq_ras_not_source)" -gt "${before:-0}"
check "... and left no expectation" test "$(expect_lines | grep -c 'dport=49300')" -eq 0

fw cat /proc/net/nf_conntrack_avaya | grep -v ' 0$'
finish
