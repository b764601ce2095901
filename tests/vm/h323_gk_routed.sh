#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Gatekeeper-routed media (issue 14, H.323): the gatekeeper (CM) names a
# media gateway, later the other phone (shuffling), as where a phone's
# media goes.
#
#   phone A 10.0.1.2 --- fw: default drop both ways --- CM 10.0.2.2
#                        media_peers 10.0.2.50,         gateway 10.0.2.50
#                        10.0.1.0/24, 10.0.3.0/24       other server 10.0.2.60
#                                                   +-- phone B 10.0.3.2
#
# Phone B sits in a zone of its own so that direct media between the phones
# crosses the firewall.
#
# 1. RRQ/RCF opens CM:61440 -> phone A:1720 (leg A, avaya-q931).
# 2. Leg A, tunnelled H.245 as CM routes media through the gateway:
#    Setup: OLC 1, the gateway's RTCP 6001 (a third party in media_peers:
#    phone A -> gw:6001); Connect: OLCAck 1, phone A's RTP 5000/RTCP 5001
#    (from the channel's media peer, the gateway, not from CM), OLC 2,
#    phone A's RTCP 5001 (from CM: no peer named yet); Facility: OLCAck 2,
#    the gateway's RTP 6000/RTCP 6001 (phone A -> gw; the OLC 2 pinhole
#    moves from CM to the gateway).
# 3. RTP phone A <-> gateway passes both ways; the gateway to another port,
#    another server and CM itself to phone A are blocked.
# 4. CM names a host outside media_peers and the firewall's own address,
#    phone A names the gateway (only the gatekeeper's end may name a third
#    party): refused and counted, no pinhole.
# 5. Shuffle: CLC 1, 2 (and 3, 6) and OLC 4/5 naming phone B; leg B
#    (phone B -> CM:1720) names phone A likewise. RTP between the phones
#    passes both ways; no pinhole of the gateway is left and its flows are
#    closed.
# 6. ReleaseComplete on both legs: no call pinhole, the flows closed.
# 7. Masquerade (10.0.2.1) for phones V 10.0.1.2 and M 10.0.1.3, two calls
#    to CM, both routed through the gateway, both phones receiving RTCP on
#    private 5001. V's call first: CM names the gateway (OLC 1), V's OLCAck
#    opens gw -> public:P -> V. Then M's OLC 2 opens CM -> public:P' -> M
#    (the sources differ, so nothing stops P' = P), and CM's OLCAck 2 names
#    the gateway for M: M's pinhole must not become a second gw -> public:P.
#    Whatever the ports: never two equal pending pinholes, and what the
#    gateway sends to the port announced for each phone reaches that phone.
# 8. The same with nat_mode=passive (no rewrite: both phones' pinholes on
#    the public port 5001, from different sources): moving M's to the
#    gateway would equal V's, so it is refused (call_media_move_refused).
# 9. Masquerade: M's OLCAck names only its RTP; the RTCP the gateway sends
#    to RTP + 1 reaches M, even while V's RTCP pinhole is still pending.
set -u
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib/callscen.sh"

RAS="python3 $TOP/tests/lib/h225ras.py"
PEERS=/sys/module/nf_conntrack_avaya/parameters/media_peers
GW=10.0.2.50
A=10.0.1.2
B=10.0.3.2
work=$(mktemp -d)

# The messages, built by our encoders.
msg_add h225ras rrq --seq 21 --csa $A:1720 --ras $A:49300 -o "$work/rrq"
msg_add h225ras rcf --seq 21 --csa 10.0.2.2:1720 --ttl 3600 --endpoint-id EP21 -o "$work/rcf"
msg() {	# msg NAME ARGS...: h323call.py ARGS -> $work/NAME, raw
	local name=$1
	shift
	msg_add h323call "$@" --raw -o "$work/$name"
}
msg a_setup setup --cref 9 --tunnelling --tunnel-olc $GW:6000
msg a_connect connect --cref 9 --tunnelling --tunnel-olc-ack $A:5000 \
	--tunnel-h245 olc:2:$A:5000
msg a_fac1 facility --cref 9 --tunnel-h245 olcack:2:$GW:6000
msg a_bad facility --cref 9 --tunnel-h245 olc:3:10.0.2.99:6100 \
	--tunnel-h245 olc:6:10.0.1.1:6200
msg a_bad_ph facility --cref 9 --tunnel-h245 olc:7:$GW:6300
msg a_shuffle facility --cref 9 --tunnel-h245 clc:1 --tunnel-h245 clc:2 \
	--tunnel-h245 clc:3 --tunnel-h245 clc:6 --tunnel-h245 olc:4:$B:7000
msg a_shuffle_ph facility --cref 9 --tunnel-h245 olcack:4:$A:5000 \
	--tunnel-h245 olc:5:$A:5000
msg a_shuffle2 facility --cref 9 --tunnel-h245 olcack:5:$B:7000
msg b_setup setup --cref 12 --tunnelling
msg b_connect connect --cref 12 --tunnelling --tunnel-h245 olc:1:$A:5000
msg b_fac facility --cref 12 --tunnel-h245 olcack:1:$B:7000 \
	--tunnel-h245 olc:2:$B:7000
msg b_fac2 facility --cref 12 --tunnel-h245 olcack:2:$A:5000
msg a_rlc releasecomplete --cref 9
msg b_rlc releasecomplete --cref 12
msg_build || fail "the messages were built"

step() {	# step CONN FROM NAME: a plan step sending $work/NAME
	printf '{"conn": "%s", "from": "%s", "hex": "%s"},\n' "$1" "$2" "$(hexof "$work/$3")"
}
{
	echo '{"conns": {"a": {"client": ["gk", "10.0.2.2:61440"], "server": ["ph", "'$A':1720"]},'
	echo '           "b": {"client": ["x", "'$B':40000"], "server": ["gk", "10.0.2.2:1720"]}},'
	echo ' "steps": ['
	step a client a_setup
	step a server a_connect
	step a client a_fac1
	echo "{\"mark\": \"$work/connected\"}, {\"wait\": \"$work/go_bad\"},"
	step a client a_bad
	step a server a_bad_ph
	echo "{\"mark\": \"$work/bad_done\"}, {\"wait\": \"$work/go_shuffle\"},"
	step a client a_shuffle
	step a server a_shuffle_ph
	step a client a_shuffle2
	step b client b_setup
	step b server b_connect
	step b client b_fac
	step b server b_fac2
	echo "{\"mark\": \"$work/shuffled\"}, {\"wait\": \"$work/go_release\"},"
	step a client a_rlc
	step b server b_rlc
	echo "{\"mark\": \"$work/released\"}, {\"wait\": \"$work/done\"}]}"
} > "$work/plan.json"

# tshark, an independent decoder, reads the shuffle as built.
tshark_fields() {	# tshark_fields NAME FIELD...
	local name=$1 f args=()
	shift
	# scapy warns about routes on stderr: not ours to judge.
	/usr/bin/python3 - "$work/$name.pcap" "$(hexof "$work/$name")" 2>/dev/null <<'PY'
import sys
from scapy.all import Ether, IP, TCP, wrpcap
wrpcap(sys.argv[1], [Ether() / IP(src='10.9.0.1', dst='10.9.0.2') /
                     TCP(sport=40000, dport=1720, flags='PA', seq=1) /
                     bytes.fromhex(sys.argv[2])])
PY
	for f in "$@"; do args+=(-e "$f"); done
	tshark -r "$work/$name.pcap" -T fields -E separator=';' -E aggregator=, \
		"${args[@]}" 2>/dev/null
}
M="q931.message_type h245.forwardLogicalChannelNumber h245.ip4_network h245.tsapIdentifier _ws.malformed"
if command -v tshark >/dev/null && /usr/bin/python3 -c 'import scapy' 2>/dev/null; then
	# shellcheck disable=SC2086
	got=$(tshark_fields a_shuffle $M)
	check "tshark: CM's shuffle is CLC 1,2,3,6 + OLC 4 naming $B:7001 ($got)" \
		test "$got" = "0x62;1,2,3,6,4;$B;7001;"
	# shellcheck disable=SC2086
	got=$(tshark_fields a_connect $M)
	check "tshark: phone A's Connect is OLCAck 1 $A:5000/5001 + OLC 2 ($got)" \
		test "$got" = "0x07;1,2;$A,$A,$A;5000,5001,5001;"
else
	skip "tshark or scapy missing: messages not cross-checked"
fi

setup_topology
ip -n gk addr add $GW/24 dev eth0
ip -n gk addr add 10.0.2.60/24 dev eth0
fw nft -f - <<'NFT'
table inet fw {
	ct helper ras {
		type "avaya-ras" protocol udp;
	}
	ct helper q931 {
		type "avaya-q931" protocol tcp;
	}
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established,related accept
		ip saddr 10.0.1.0/24 ip daddr 10.0.2.2 udp dport 1719 ct helper set "ras" accept
		ip saddr { 10.0.1.0/24, 10.0.3.0/24 } ip daddr 10.0.2.2 tcp dport 1720 ct helper set "q931" accept
	}
}
NFT
old_peers=$(cat $PEERS)
echo "$GW,10.0.1.0/24,10.0.3.0/24" > $PEERS
echo "media_peers=$(cat $PEERS)"

# udp expectations, one "src dst dport" line each; pinholes_all keeps twins.
pinholes() { pinholes_all | sort -u; }
pinholes_all() {
	expect_lines | awk '$2 == "proto=17" {
		s = d = p = ""
		for (i = 3; i <= NF; i++) {
			if (!s && sub(/^src=/, "", $i)) s = $i
			else if (!d && sub(/^dst=/, "", $i)) d = $i
			else if (!p && sub(/^dport=/, "", $i)) p = $i
		}
		print s, d, p
	}'
}
has_pinhole() { pinholes | grep -qx "$1 $2 $3"; }
has_pinholes() { has_pinhole "$1" "$2" "$3" && has_pinhole "$1" "$2" "$4"; }
pinholes_with() { pinholes | grep -c -w "$1" || true; }
udp_flows_with() {
	fw conntrack -L -p udp 2>/dev/null | grep -c "=$1 " || true
}

echo "== 1. registration opens the reverse signalling connection"
bg gk $NU udp-serve 10.0.2.2:1719 --reply "$work/rcf" --count 1 --timeout 10
wait_listen gk udp 1719
check "RRQ passes, the RCF comes back" \
	ph $NU udp-send $A:49300 10.0.2.2:1719 "$work/rrq" --expect-reply "$work/got" --timeout 5

echo "== 2. leg A: CM names the media gateway"
$PLAY "$work/plan.json" &
PLAYER=$!
PIDS+=("$PLAYER")
check "Setup, Connect, Facility pass byte-identical" wait_file "$work/connected"
pinholes
check "phone A -> gw:6000 and :6001 (third party in media_peers)" \
	has_pinholes $A $GW 6000 6001
check "gw -> phone A:5000 and :5001 (the channel's media peer)" \
	has_pinholes $GW $A 5000 5001
check "no media pinhole from CM is left (OLC 2's moved to the gateway)" \
	test "$(pinholes | grep -c '^10.0.2.2 ')" -eq 0
check "pinholes to phone A come only from the gateway" test "$(stray_sources $A $GW)" -eq 0
check "call_third_party_pinhole_opened = 2 (got $(counter call_third_party_pinhole_opened))" \
	test "$(counter call_third_party_pinhole_opened)" -eq 2
check "call_media_pinhole_moved = 1 (got $(counter call_media_pinhole_moved))" \
	test "$(counter call_media_pinhole_moved)" -eq 1

echo "== 3. media phone A <-> gateway"
check_not "gw -> phone A:5002 is blocked" udp_flow gk $GW:40000 ph $A:5002
check_not "phone A -> gw:6002 is blocked" udp_flow ph $A:40000 gk $GW:6002
check_not "another server 10.0.2.60 -> phone A:5000 is blocked" \
	udp_flow gk 10.0.2.60:6000 ph $A:5000
check_not "CM -> phone A:5001 is blocked" udp_flow gk 10.0.2.2:6001 ph $A:5001
check "gw -> phone A:5000 (RTP) passes" udp_flow gk $GW:6000 ph $A:5000
check "phone A -> gw:6000 (RTP) passes" udp_flow ph $A:41000 gk $GW:6000
check "phone A -> gw:6001 (RTCP) passes" udp_flow ph $A:41001 gk $GW:6001
check "gw -> phone A:5001 (RTCP) passes" udp_flow gk $GW:6001 ph $A:5001

echo "== 4. third parties outside media_peers, the firewall itself"
refused=$(counter call_third_party_refused)
not_party=$(counter call_refused_not_party)
touch "$work/go_bad"
check "the Facilities pass" wait_file "$work/bad_done"
check "call_refused_not_party moved by 3 (got $(counter call_refused_not_party))" \
	test "$(counter call_refused_not_party)" -eq $((${not_party:-0} + 3))
check "no pinhole for phone A's naming of the gateway (6301)" \
	test "$(pinholes | grep -c ' 6301$')" -eq 0
check "call_third_party_refused moved by 2 (got $(counter call_third_party_refused))" \
	test "$(counter call_third_party_refused)" -eq $((${refused:-0} + 2))
check "no pinhole toward 10.0.2.99 (outside media_peers)" test "$(pinholes_with 10.0.2.99)" -eq 0
check "no pinhole toward the firewall's 10.0.1.1 (inside the prefix)" \
	test "$(pinholes_with 10.0.1.1)" -eq 0
check_not "phone A -> another server 10.0.2.60:6101 is blocked" \
	udp_flow ph $A:41002 gk 10.0.2.60:6101

echo "== 5. shuffle: direct media between the phones"
touch "$work/go_shuffle"
check "CLC, OLC, OLCAck on both legs pass byte-identical" wait_file "$work/shuffled"
pinholes
gw_gone() { test "$(pinholes_with $GW)" -eq 0; }
check "no pinhole of the gateway is left" gw_gone
gw_flows_gone() { test "$(udp_flows_with $GW)" -eq 0; }
check "the gateway's media flows are closed" eventually gw_flows_gone
check "phone B -> phone A:5000 (RTP) passes" udp_flow x $B:7000 ph $A:5000
check "phone A -> phone B:7000 (RTP) passes" udp_flow ph $A:42000 x $B:7000
check "phone A -> phone B:7001 (RTCP) passes" udp_flow ph $A:42001 x $B:7001
check "phone B -> phone A:5001 (RTCP) passes" udp_flow x $B:7001 ph $A:5001
check_not "the gateway's old flow gw:6000 -> phone A:5000 is blocked" \
	udp_flow gk $GW:6000 ph $A:5000
check_not "phone A's old flow -> gw:6000 is blocked" udp_flow ph $A:41000 gk $GW:6000
check_not "CM -> phone A:5000 is blocked" udp_flow gk 10.0.2.2:6000 ph $A:5000
check "call_third_party_pinhole_opened >= 4 (got $(counter call_third_party_pinhole_opened))" \
	test "$(counter call_third_party_pinhole_opened)" -ge 4
check "call_media_pinhole_moved >= 2 (got $(counter call_media_pinhole_moved))" \
	test "$(counter call_media_pinhole_moved)" -ge 2

echo "== 6. ReleaseComplete on both legs"
touch "$work/go_release"
check "ReleaseCompletes pass" wait_file "$work/released"
no_call_pinhole() { test "$(expect_lines | grep -v 'dport=1720 ' | grep -c dport=)" -eq 0; }
check "no call pinhole left (RAS reverse pinholes stay)" eventually no_call_pinhole
no_media_flows() { test "$(fw conntrack -L -p udp 2>/dev/null | grep -Ec "dport=(5000|5001|7000|7001) ")" -eq 0; }
check "the call's media flows are closed" eventually no_media_flows
check_not "after release phone B -> phone A:5000 is blocked" udp_flow x $B:7002 ph $A:5000
touch "$work/done"
check "player finished cleanly" wait "$PLAYER"
check "no Q.931 or H.245 message malformed" \
	test "$(counter q931_malformed)" -eq 0 -a "$(counter h245_malformed)" -eq 0

# two_calls_head PORT_V PORT_M: a plan's connections for V's call (to
# 1720) and M's (to 1721) from those client ports, up to its steps.
two_calls_head() {
	echo '{"conns": {"v": {"client": ["ph", "'$V':'$1'"], "server": ["gk", "10.0.2.2:1720"]},'
	echo '           "m": {"client": ["ph", "'$M':'$2'"], "server": ["gk", "10.0.2.2:1721"]}},'
	echo ' "steps": ['
}

# play_plan N: $work/planN.json played in the background as $PLAYER.
play_plan() {
	$PLAY "$work/plan$1.json" > "$work/play$1.log" 2>&1 &
	PLAYER=$!
	PIDS+=("$PLAYER")
}

echo "== 7. masquerade: two phones, one public address, both calls through the gateway"
PUB=10.0.2.1
V=$A
M=10.0.1.3
fw nft -f - <<'NFT'
add rule inet fw forward ip saddr 10.0.1.0/24 ip daddr 10.0.2.2 tcp dport 1721 ct helper set "q931" accept
table ip nat {
	chain postrouting {
		type nat hook postrouting priority srcnat;
		oifname "gk0" ip saddr 10.0.1.0/24 masquerade
	}
}
NFT
check "nf_nat_avaya is loaded" test -d /sys/module/nf_nat_avaya
msg v_setup setup --cref 20 --tunnelling
msg v_connect connect --cref 20 --tunnelling --tunnel-h245 olc:1:$GW:6000
msg v_fac facility --cref 20 --tunnel-h245 olcack:1:$V:5000
msg m_setup setup --cref 21 --tunnelling
msg m_connect connect --cref 21 --tunnelling
msg m_fac facility --cref 21 --tunnel-h245 olc:2:$M:5000
msg m_move facility --cref 21 --tunnel-h245 olcack:2:$GW:6100
msg v_rlc releasecomplete --cref 20
msg m_rlc releasecomplete --cref 21
msg_build || fail "the messages were built"
{
	two_calls_head 32810 32811
	step v client v_setup
	step v server v_connect
	step v client v_fac | sed "s|}|, \"save\": \"$work/v_fac.rx\"}|"
	echo "{\"mark\": \"$work/v_open\"}, {\"wait\": \"$work/go_m\"},"
	step m client m_setup
	step m server m_connect
	step m client m_fac | sed "s|}|, \"save\": \"$work/m_fac.rx\"}|"
	echo "{\"mark\": \"$work/m_open\"}, {\"wait\": \"$work/go_move\"},"
	step m server m_move
	echo "{\"mark\": \"$work/moved\"}, {\"wait\": \"$work/go_nat_release\"},"
	step v client v_rlc
	step m client m_rlc
	echo "{\"mark\": \"$work/nat_released\"}, {\"wait\": \"$work/nat_done\"}]}"
} > "$work/plan7.json"

# announced NAME: the ports a received message announces on $PUB, in order.
announced() {
	python3 - "$work/$1" "$PUB" <<'PY'
import ipaddress
import sys
data = open(sys.argv[1], 'rb').read()
ip = ipaddress.ip_address(sys.argv[2]).packed
i = data.find(ip)
while i >= 0:
    print(int.from_bytes(data[i + 4:i + 6], 'big'))
    i = data.find(ip, i + 4)
PY
}

both_listen() { test "$(ph ss -H -lun "sport = :$1" | grep -c .)" -ge 2; }
# media_reaches SRC DST PORT: which phone, listening on PORT at both V and
# M, a datagram from the gateway's SRC to DST reaches ("none" if neither).
media_reaches() {
	local pv pm who=

	udp_recv1 ph $V:$3 >"$work/rx_v" 2>&1 &
	pv=$!
	udp_recv1 ph $M:$3 >"$work/rx_m" 2>&1 &
	pm=$!
	eventually both_listen "$3"
	echo rtp | gk socat -u - "UDP4-SENDTO:$2,bind=$1"
	wait "$pv" && who=$V
	wait "$pm" && who="${who:+$who+}$M"
	echo "${who:-none}"
}

# Pending udp pinholes equal in source, destination and port.
twin_pinholes() { pinholes_all | sort | uniq -d; }

play_plan 7
check "V's call: Setup, Connect (CM names the gateway), OLCAck 1 pass" wait_file "$work/v_open"
pv=$(announced v_fac.rx | sed -n 2p)
echo "V's OLCAck announces $PUB: $(announced v_fac.rx | tr '\n' ' ')"
check "V's RTCP is announced on $PUB (port ${pv:-none})" test -n "$pv"
check "gw -> $PUB:$pv -> V (V's channel's media peer)" has_pinhole $GW $PUB "$pv"
touch "$work/go_m"
check "M's call: Setup, Connect, OLC 2 pass" wait_file "$work/m_open"
pm=$(announced m_fac.rx | sed -n 1p)
echo "M's OLC announces $PUB: ${pm:-none}"
check "M's RTCP is announced on $PUB (port ${pm:-none})" test -n "$pm"
check "CM -> $PUB:$pm -> M (no media peer named yet)" has_pinhole 10.0.2.2 $PUB "$pm"
moved=$(counter call_media_pinhole_moved)
failed_exp=$(counter call_refused_expect_failed)
touch "$work/go_move"
check "CM's OLCAck 2, naming the gateway for M, passes" wait_file "$work/moved"
pinholes_all | sort
echo "call_media_pinhole_moved +$(($(counter call_media_pinhole_moved) - moved)), call_refused_expect_failed +$(($(counter call_refused_expect_failed) - failed_exp))"
check "no two equal pending pinholes (twins: $(twin_pinholes | tr '\n' ' '))" \
	test -z "$(twin_pinholes)"
# V's first: an equal pinhole inserted later would answer first.
got=$(media_reaches $GW:6001 $PUB:$pv 5001)
check "gw:6001 -> $PUB:$pv (announced for V) reaches V $V (got $got)" test "$got" = "$V"
got=$(media_reaches $GW:6101 $PUB:$pm 5001)
check "gw:6101 -> $PUB:$pm (announced for M) reaches M $M (got $got)" test "$got" = "$M"
touch "$work/go_nat_release"
check "ReleaseCompletes pass" wait_file "$work/nat_released"
check "no call pinhole left" eventually no_call_pinhole
touch "$work/nat_done"
check "player finished cleanly" wait "$PLAYER"
cat "$work/play7.log"

echo "== 8. the same under nat_mode=passive: the public ports are the private ones"
# Nothing is rewritten, so both phones' RTCP pinholes are on $PUB:5001 (the
# core allows it: gw and CM differ). Moving M's to the gateway would make
# it equal to V's: the move is refused and counted, V keeps its media.
NATMODE=/sys/module/nf_nat_avaya/parameters/nat_mode
old_mode=$(cat $NATMODE)
echo passive > $NATMODE
msg v8_setup setup --cref 22 --tunnelling
msg v8_connect connect --cref 22 --tunnelling --tunnel-h245 olc:1:$GW:6000
msg v8_fac facility --cref 22 --tunnel-h245 olcack:1:$V:5000
msg m8_setup setup --cref 23 --tunnelling
msg m8_connect connect --cref 23 --tunnelling
msg m8_fac facility --cref 23 --tunnel-h245 olc:2:$M:5000
msg m8_move facility --cref 23 --tunnel-h245 olcack:2:$GW:6100
msg v8_rlc releasecomplete --cref 22
msg m8_rlc releasecomplete --cref 23
msg_build || fail "the messages were built"
{
	two_calls_head 32812 32813
	step v client v8_setup
	step v server v8_connect
	step v client v8_fac
	step m client m8_setup
	step m server m8_connect
	step m client m8_fac
	echo "{\"mark\": \"$work/p_open\"}, {\"wait\": \"$work/p_go_move\"},"
	step m server m8_move
	echo "{\"mark\": \"$work/p_moved\"}, {\"wait\": \"$work/p_go_release\"},"
	step v client v8_rlc
	step m client m8_rlc
	echo "{\"mark\": \"$work/p_released\"}, {\"wait\": \"$work/p_done\"}]}"
} > "$work/plan8.json"
play_plan 8
check "both calls up, M's OLC passes" wait_file "$work/p_open"
check "gw -> $PUB:5001 -> V" has_pinhole $GW $PUB 5001
check "CM -> $PUB:5001 -> M (passive: the same public port)" has_pinhole 10.0.2.2 $PUB 5001
refused=$(counter call_media_move_refused)
moved=$(counter call_media_pinhole_moved)
touch "$work/p_go_move"
check "CM's OLCAck 2, naming the gateway for M, passes" wait_file "$work/p_moved"
pinholes_all | sort
check "no two equal pending pinholes (twins: $(twin_pinholes | tr '\n' ' '))" \
	test -z "$(twin_pinholes)"
check "the clashing move is refused and counted (call_media_move_refused +$(($(counter call_media_move_refused) - refused)))" \
	test "$(counter call_media_move_refused)" -gt "$refused"
check "nothing of M's moved onto V's pinholes" \
	test "$(counter call_media_pinhole_moved)" -eq "$moved"
got=$(media_reaches $GW:6011 $PUB:5001 5001)
check "gw:6011 -> $PUB:5001 reaches V $V (got $got)" test "$got" = "$V"
check "the refusal is logged with its counter" \
	sh -c "dmesg | grep -q 'avaya: call_media_move_refused'"
touch "$work/p_go_release"
check "ReleaseCompletes pass" wait_file "$work/p_released"
check "no call pinhole left" eventually no_call_pinhole
touch "$work/p_done"
check "player finished cleanly" wait "$PLAYER"
echo "$old_mode" > $NATMODE

echo "== 9. masquerade: an RTCP implied as RTP+1 reaches the phone that announced the RTP"
# V's OLCAck announces RTP and RTCP; the gateway's first RTP consumes V's
# RTP pinhole, its RTCP pinhole stays pending. M's OLCAck names only its
# RTP (no mediaControlChannel): the gateway sends M's RTCP to that port + 1,
# which must lead to M, never to V's pending RTCP pinhole.
msg v9_setup setup --cref 24 --tunnelling
msg v9_connect connect --cref 24 --tunnelling --tunnel-h245 olc:1:$GW:6000
msg v9_fac facility --cref 24 --tunnel-h245 olcack:1:$V:5000
msg m9_setup setup --cref 25 --tunnelling
msg m9_connect connect --cref 25 --tunnelling --tunnel-h245 olc:1:$GW:6100
msg m9_fac facility --cref 25 --tunnel-h245 olcack-rtp:1:$M:5000
msg v9_rlc releasecomplete --cref 24
msg m9_rlc releasecomplete --cref 25
msg_build || fail "the messages were built"
{
	two_calls_head 32814 32815
	step v client v9_setup
	step v server v9_connect
	step v client v9_fac | sed "s|}|, \"save\": \"$work/v9_fac.rx\"}|"
	echo "{\"mark\": \"$work/v9_open\"}, {\"wait\": \"$work/go_m9\"},"
	step m client m9_setup
	step m server m9_connect
	step m client m9_fac | sed "s|}|, \"save\": \"$work/m9_fac.rx\"}|"
	echo "{\"mark\": \"$work/m9_open\"}, {\"wait\": \"$work/go_rel9\"},"
	step v client v9_rlc
	step m client m9_rlc
	echo "{\"mark\": \"$work/released9\"}, {\"wait\": \"$work/done9\"}]}"
} > "$work/plan9.json"
play_plan 9
check "V's call up, its OLCAck passes" wait_file "$work/v9_open"
pv=$(announced v9_fac.rx | sed -n 1p)
echo "V's OLCAck announces $PUB: $(announced v9_fac.rx | tr '\n' ' ')"
got=$(media_reaches $GW:6020 $PUB:${pv:-0} 5000)
check "the gateway's RTP to $PUB:${pv:-none} reaches V (got $got)" test "$got" = "$V"
touch "$work/go_m9"
check "M's call up, its RTP-only OLCAck passes" wait_file "$work/m9_open"
pm=$(announced m9_fac.rx | sed -n 1p)
echo "M's OLCAck announces $PUB: ${pm:-none} (RTCP implied at +1)"
check "M's RTP is announced on $PUB" test -n "$pm"
pinholes_all | sort
got=$(media_reaches $GW:6121 $PUB:$((${pm:-0} + 1)) 5001)
check "the gateway's RTCP to $PUB:$((${pm:-0} + 1)) (M's RTP + 1) reaches M $M (got $got)" \
	test "$got" = "$M"
touch "$work/go_rel9"
check "ReleaseCompletes pass" wait_file "$work/released9"
check "no call pinhole left" eventually no_call_pinhole
touch "$work/done9"
check "player finished cleanly" wait "$PLAYER"

echo "$old_peers" > $PEERS
show_counters
finish
