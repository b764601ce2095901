#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# avaya-ras: an exact, registration-long pinhole for the gatekeeper's reverse
# signalling connection.
#
#   phone 10.0.1.2:49300 --- fw: default drop, ct helper "avaya-ras" --- gatekeeper 10.0.2.2:1719
#   fd00:1::2                                                       |   fd00:2::2
#                                                                   +-- third host 10.0.3.2
#
# 1. RRQ/RCF: gatekeeper -> phone:1720 passes from each of 61440..61444;
#    61445, 5555, 1720, a third host and phone:1721 are blocked.
# 2. The same endpoint registering again from another address loses the old
#    pinhole.
# 3. URQ/UCF closes it at once; RRJ, a lone RRQ and a third-party
#    callSignalAddress never open it.
# 5. Junk on 1719 (BitTorrent DHT from a capture, every truncation of an RRQ)
#    is forwarded untouched, counted, and opens nothing.
# 6. Scenario 1 over IPv6.
set -u
. "$(dirname "$0")/lib.sh"

RAS="python3 $TOP/tests/lib/h225ras.py"
work=$(mktemp -d)

msg() {	# NAME ARGS...: build a RAS message into $work/NAME
	local name=$1
	shift
	$RAS "$@" -o "$work/$name"
}

msg rrq rrq --seq 11 --csa 10.0.1.2:1720 --ras 10.0.1.2:49300 --nonstd --alias 4711
msg rcf rcf --seq 11 --csa 10.0.2.2:1720 --ttl 3600 --endpoint-id EP4711
msg urq urq --seq 12 --csa 10.0.1.2:1720 --endpoint-id EP4711
msg ucf ucf --seq 12
msg rrq13 rrq --seq 13 --csa 10.0.1.2:1720 --ras 10.0.1.2:49300
msg rrj13 rrj --seq 13
msg rrq14 rrq --seq 14 --csa 10.0.1.2:1720 --ras 10.0.1.2:49300
msg rrq15 rrq --seq 15 --csa 10.0.1.99:1720 --ras 10.0.1.2:49300
msg rcf15 rcf --seq 15 --csa 10.0.2.2:1720 --ttl 3600 --endpoint-id EP4711
msg rrq31 rrq --seq 31 --csa 10.0.1.3:1720 --ras 10.0.1.3:49300 --alias 4711
msg rcf31 rcf --seq 31 --csa 10.0.2.2:1720 --ttl 3600 --endpoint-id EP4711
msg rrq6 rrq --seq 21 --csa '[fd00:1::2]:1720' --ras '[fd00:1::2]:49300'
msg rcf6 rcf --seq 21 --csa '[fd00:2::2]:1720' --ttl 3600 --endpoint-id EP6

setup_topology
fw nft -f - <<'EOF'
table inet fw {
	ct helper ras {
		type "avaya-ras" protocol udp;
	}
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established,related accept
		ip saddr 10.0.1.0/24 ip daddr 10.0.2.2 udp dport 1719 ct helper set "ras" accept
		ip6 saddr fd00:1::/64 ip6 daddr fd00:2::2 udp dport 1719 ct helper set "ras" accept
	}
}
EOF

for p in 1720 1721; do
	bg ph $NU tcp-serve "10.0.1.2:$p"
	bg ph $NU tcp-serve "[fd00:1::2]:$p"
done
bg ph $NU tcp-serve 10.0.1.3:1720
wait_listen ph tcp 1720 && wait_listen ph tcp 1721

# exchange REQUEST REPLY [GK] [PHONE]: one RAS round trip through the firewall.
exchange() {
	local gkaddr=${3:-10.0.2.2} phaddr=${4:-10.0.1.2}

	udp_answer gk "$gkaddr:1719" "$work/$2" 5
	wait_bound gk "$gkaddr:1719" || return 1
	udp_ask ph "$phaddr:49300" "$gkaddr:1719" "$work/$1" "$work/got" || return 1
	wait_bg
	cmp -s "$work/got" "$work/$2"
}

# one_way REQUEST: the phone sends, nobody answers.
one_way() {
	udp_answer gk 10.0.2.2:1719 /dev/null 3
	wait_bound gk 10.0.2.2:1719 || return 1
	udp_send ph 10.0.1.2:49300 10.0.2.2:1719 "$work/$1"
	wait_bg
}

reverse() {	# FROM_NS SRC_IP SRC_PORT DST_IP DST_PORT
	forget_tcp
	tcp_try "$1" "$2:$3" "$4:$5" 1.5
}

counter() {
	fw awk -v n="$1" '$1 == n { print $2 }' /proc/net/nf_conntrack_avaya
}

echo "== 0. the gk_src_ports parameter"
P=/sys/module/nf_conntrack_avaya/parameters/gk_src_ports
check "default is 61440-61444" test "$(cat $P)" = 61440-61444
check_not "61444-61440 is rejected" sh -c "echo 61444-61440 > $P"
check_not "61440-70000 is rejected" sh -c "echo 61440-70000 > $P"
check_not "'61440-' is rejected" sh -c "echo 61440- > $P"
check "a single port is accepted as a range of one" \
	sh -c "echo 61440 > $P && test \"\$(cat $P)\" = 61440-61440"
echo 61440-61444 > $P

echo "== 1. registration opens exactly 61440-61444 -> phone:1720"
check "RRQ passes, the RCF (TTL 3600) comes back" exchange rrq rcf
echo "$(expect_lines)"
check "two expectations cover 61440-61444 (61440/14 + 61444/16)" \
	test "$(expect_lines | grep -c 'dport=1720 .*helper=avaya-ras')" -eq 2
t=$(expect_lines | awk '/dport=1720/ { print $1; exit }')
check "pinhole lifetime follows the TTL: ${t:-?} s in (3500, 3610]" \
	test "${t:-0}" -gt 3500 -a "${t:-0}" -le 3610
for p in 61440 61441 61442 61443 61444; do
	check "gatekeeper:$p -> phone:1720 passes" reverse gk 10.0.2.2 $p 10.0.1.2 1720
done
check "the admitted connection carries helper avaya-q931" \
	sh -c "ip netns exec fw conntrack -L -p tcp --dport 1720 2>/dev/null | grep -q 'helper=avaya-q931' || \
	       { ip netns exec gk $NU tcp-try 10.0.2.2:61440 10.0.1.2:1720 --timeout 1 >/dev/null; \
	         ip netns exec fw conntrack -L -p tcp --dport 1720 2>/dev/null | grep -q 'helper=avaya-q931'; }"
for p in 61445 61439 5555 1720; do
	check_not "gatekeeper:$p -> phone:1720 is blocked" reverse gk 10.0.2.2 $p 10.0.1.2 1720
done
check_not "third host 10.0.3.2:61440 -> phone:1720 is blocked" reverse x 10.0.3.2 61440 10.0.1.2 1720
check_not "gatekeeper:61440 -> phone:1721 is blocked" reverse gk 10.0.2.2 61440 10.0.1.2 1721
check_not "gatekeeper:61440 -> other phone 10.0.1.3:1720 is blocked" reverse gk 10.0.2.2 61440 10.0.1.3 1720

echo "== 2. the same phone (endpointIdentifier EP4711) registers again from 10.0.1.3"
check "RRQ/RCF from the new address" exchange rrq31 rcf31 10.0.2.2 10.0.1.3
expect_lines
check "the old pinhole to 10.0.1.2 is gone" test "$(expect_lines | grep -c 'dst=10.0.1.2 .*dport=1720')" -eq 0
check "the new pinhole points at 10.0.1.3:1720" test "$(expect_lines | grep -c 'dst=10.0.1.3 .*dport=1720')" -eq 2
check "reverse_pinhole_superseded counted" test "$(counter reverse_pinhole_superseded)" -ge 1
check_not "gatekeeper:61440 -> old address 10.0.1.2:1720 is blocked" reverse gk 10.0.2.2 61440 10.0.1.2 1720
check "gatekeeper:61440 -> new address 10.0.1.3:1720 passes" reverse gk 10.0.2.2 61440 10.0.1.3 1720
check "the phone registers back at 10.0.1.2" exchange rrq rcf
check "and only that pinhole remains" test "$(expect_lines | grep -c 'dst=10.0.1.3 .*dport=1720')" -eq 0

echo "== 3. URQ/UCF closes; RRJ, lone RRQ and third-party csa never open"
check "URQ/UCF exchange passes" exchange urq ucf
check "no expectation left after URQ/UCF" test "$(expect_lines | grep -c dport=1720)" -eq 0
check_not "after URQ/UCF gatekeeper:61440 -> phone:1720 is blocked" reverse gk 10.0.2.2 61440 10.0.1.2 1720
check "RRQ/RRJ exchange passes" exchange rrq13 rrj13
check "RRJ opens nothing" test "$(expect_lines | grep -c dport=1720)" -eq 0
check "lone RRQ passes" one_way rrq14
check "an RRQ without RCF opens nothing" test "$(expect_lines | grep -c dport=1720)" -eq 0
before=$(counter refused_csa_not_source)
check "RRQ with a third-party callSignalAddress passes" exchange rrq15 rcf15
check "a third-party callSignalAddress opens nothing" test "$(expect_lines | grep -c dport=1720)" -eq 0
check "refused_csa_not_source counted" test "$(counter refused_csa_not_source)" -gt "${before:-0}"
check_not "gatekeeper:61440 -> 10.0.1.99:1720 is blocked" reverse gk 10.0.2.2 61440 10.0.1.99 1720

echo "== 5. junk on 1719 passes untouched, is counted, opens nothing"
if [ -d "$TOP/../shared/captures" ]; then
	python3 "$TOP/tests/lib/pcapkit.py" list "$TOP/../shared/captures/h323/ndpi-h323_false_positive.pcap" |
		awk '$2 == "udp" { print $1 }' > "$work/junkframes"
	k=0
	while read -r f; do
		python3 "$TOP/tests/lib/pcapkit.py" payload \
			"$TOP/../shared/captures/h323/ndpi-h323_false_positive.pcap" "$f" \
			-o "$work/junk$k" >/dev/null
		k=$((k + 1))
	done < "$work/junkframes"
	before=$(counter ras_malformed)
	for j in $(seq 0 $((k - 1))); do
		bg gk $NU udp-serve 10.0.2.2:1719 --count 1 --timeout 3 --save "$work/rx$j"
		wait_listen gk udp 1719
		ph $NU udp-send 10.0.1.2:49300 10.0.2.2:1719 "$work/junk$j"
		wait_bg
		check "DHT datagram $j forwarded byte-identical" cmp -s "$work/junk$j" "$work/rx$j.0"
	done
	check "ras_malformed moved by the $k DHT datagrams" \
		test "$(counter ras_malformed)" -ge $((${before:-0} + k))
else
	skip "captures absent: DHT junk"
fi
n=$(stat -c %s "$work/rrq")
before=$(counter ras_malformed)
bg gk $NU udp-serve 10.0.2.2:1719 --count "$n" --timeout 10 --save "$work/tr"
wait_listen gk udp 1719
ph $NU udp-send 10.0.1.2:49300 10.0.2.2:1719 "$work/rrq" --prefixes >/dev/null
wait_bg
ok=1
for i in $(seq 0 $((n - 1))); do
	head -c "$i" "$work/rrq" | cmp -s - "$work/tr.$i" || { ok=0; echo "truncation $i differs"; }
done
check "all $n truncations of the RRQ forwarded byte-identical" test $ok = 1
after=$(counter ras_malformed)
echo "ras_malformed: $before -> $after after $n truncations"
check "truncations counted as malformed" test "$after" -gt "$before"
check "junk opened nothing" test "$(expect_lines | grep -c dport=1720)" -eq 0

echo "== 6. IPv6"
check "IPv6 RRQ passes, the RCF comes back" exchange rrq6 rcf6 '[fd00:2::2]' '[fd00:1::2]'
expect_lines -f ipv6
check "IPv6 pinhole to [fd00:1::2]:1720" test "$(expect_lines -f ipv6 | grep -c 'dport=1720')" -eq 2
for p in 61440 61444; do
	check "IPv6 gatekeeper:$p -> phone:1720 passes" reverse gk '[fd00:2::2]' $p '[fd00:1::2]' 1720
done
check_not "IPv6 gatekeeper:5555 -> phone:1720 is blocked" reverse gk '[fd00:2::2]' 5555 '[fd00:1::2]' 1720
check_not "IPv6 third host:61440 -> phone:1720 is blocked" reverse x '[fd00:3::2]' 61440 '[fd00:1::2]' 1720

echo "== counters"
fw cat /proc/net/nf_conntrack_avaya | grep -v ' 0$'
finish
