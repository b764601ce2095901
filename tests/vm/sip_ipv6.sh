#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# avaya-sip over IPv6, routed without NAT, scripted peers.
#
#   ph [fd00:1::2]:5060 --- fw: default drop, ct helper "avaya-sip" --- registrar gk [fd00:2::2]:5060
#   (fd00:1::3 plays the third party)  inet table, no NAT         +-- third host x [fd00:3::2]
#
# 1. REGISTER with Contact <sip:pbx@[fd00:1::2]:5060>, 200 with expires=600:
#    the pinhole is registrar -> [fd00:1::2]:5060 from any registrar port,
#    for the granted 600 s. An INVITE from the registrar's new port 5070
#    reaches the PBX; the third host, and the registrar to port 5061, do not.
# 2. INVITE (SDP c=IN IP6 fd00:1::2, m=audio 10000) and its 200 (c=IN IP6
#    fd00:2::2, m=audio 20000) open exactly registrar -> [fd00:1::2]:10000/10001
#    and PBX -> [fd00:2::2]:20000/20001. UDP to those ports passes; port+2
#    and the third host are blocked.
# 3. BYE/200 removes the call's pinholes (the registration's stays): the
#    unused RTCP port and new RTP to the old port are blocked.
# 4. A REGISTER whose Contact names fd00:1::3 opens nothing (counted).
set -u
. "$(dirname "$0")/lib.sh"

MSG="python3 $TOP/tests/sip/sipmsg.py"
work=$(mktemp -d)
PBX='[fd00:1::2]'
GK='[fd00:2::2]'
FLOW="--src $PBX:5060 --dst $GK:5060"

ip6_cleanup() {
	cleanup
	rm -rf "$work"
}
trap ip6_cleanup EXIT

ctr() { fw awk -v n="$1" '$1 == n { print $2 }' /proc/net/nf_conntrack_avaya; }
expect6() { expect_lines -f ipv6; }

# exchange NAME SRC DST: $work/NAME.req from SRC, answered by $work/NAME.ans
# from the registrar's socket DST; the requester keeps the answer as NAME.got.
exchange() {
	udp_answer gk "$3" "$work/$1.ans" 10 "$work/$1.rx.0"
	wait_bound gk "$3"
	udp_ask ph "$2" "$3" "$work/$1.req" "$work/$1.got"
	wait_bg
}

# send_to DSTNS NS SRC DST [FILE]: a datagram (FILE, default the probe) from
# SRC in NS reaches a socket at DST in DSTNS and is answered (with a SIP 100:
# the answer to an INVITE through the registration pinhole is parsed).
send_to() {
	local dns=$1 ns=$2 src=$3 dst=$4 file=${5:-$work/probe} rc

	udp_answer "$dns" "$dst" "$work/trying" 4
	wait_bound "$dns" "$dst"
	udp_ask "$ns" "$src" "$dst" "$file" "$work/probe.got"
	rc=$?
	kill_tree "$BG"
	wait "$BG" 2>/dev/null
	return $rc
}
reach() { send_to ph "$@"; }		# inbound, to the PBX side
reach_out() { send_to gk ph "$@"; }	# outbound, from the PBX

# pinhole SRC DST PORT: an expectation udp SRC -> DST:PORT exists.
pinhole() {
	expect6 | grep -Eq "proto=17 src=$1 dst=$2 sport=[0-9]+ dport=$3 "
}
reg_pinhole() {
	expect6 | grep -Eq 'proto=17 src=fd00:2::2 dst=fd00:1::2 sport=0 dport=5060 .*PERMANENT.*helper=avaya-sip'
}
n_expect() { expect6 | grep -c 'proto=17'; }
rtcp_left() { pinhole fd00:2::2 fd00:1::2 10001 || pinhole fd00:1::2 fd00:2::2 20001; }
third_pinhole() { expect6 | grep -q 'dst=fd00:1::3 '; }

printf 'rtp-probe' > "$work/probe"
printf 'SIP/2.0 100 Trying\r\nContent-Length: 0\r\n\r\n' > "$work/trying"
MSG="msg_add sipmsg"	# queued, built by the msg_build below
$MSG register $FLOW --contact "$PBX:5060" --expires 600 -o "$work/reg.req"
$MSG ok $FLOW --contact "$PBX:5060" --expires 600 -o "$work/reg.ans"
$MSG invite --src "$GK:5070" --dst "$PBX:5060" --call-id inbound-1@avaya.test \
	-o "$work/inbound.req"
$MSG invite $FLOW --media "$PBX:10000" -o "$work/call.req"
$MSG invite-ok $FLOW --media "$GK:20000" -o "$work/call.ans"
$MSG bye $FLOW --cseq 2 -o "$work/bye.req"
$MSG bye-ok $FLOW --cseq 2 -o "$work/bye.ans"
THIRD="--src $PBX:5062 --dst $GK:5060"
$MSG register $THIRD --contact '[fd00:1::3]:5060' --expires 600 --cseq 3 \
	-o "$work/third.req"
$MSG ok $THIRD --contact '[fd00:1::3]:5060' --expires 600 --cseq 3 \
	-o "$work/third.ans"
msg_build || fail "the messages were built"
MSG="python3 $TOP/tests/sip/sipmsg.py"

setup_topology
fw nft -f - <<'EOF2'
table inet fw {
	ct helper sip-udp {
		type "avaya-sip" protocol udp;
	}
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established,related accept
		ip6 saddr fd00:1::/64 udp dport 5060 ct helper set "sip-udp" accept
	}
}
EOF2

# 1. Registration.
exchange reg "$PBX:5060" "$GK:5060"
echo "-- 200 as the PBX got it:"; tr -d '\r' < "$work/reg.got" 2>/dev/null | sed 's/^/   /'
check "1. REGISTER reached the registrar unchanged (no NAT)" cmp -s "$work/reg.req" "$work/reg.rx.0"
check "1. 200 with Contact [fd00:1::2]:5060;expires=600 reached the PBX" \
	grep -q '^Contact: <sip:pbx@\[fd00:1::2\]:5060>;expires=600' "$work/reg.got"
echo "-- IPv6 expectations after REGISTER/200:"; expect6 | sed 's/^/   /'
check "1. pinhole fd00:2::2 -> [fd00:1::2]:5060, any source port, permanent" reg_pinhole
ttl=$(expect6 | awk '/dport=5060 / { print $1; exit }')
check "1. lives for the granted 600 s (+10 s grace): ${ttl:-none} s left" \
	[ "${ttl:-0}" -gt 590 -a "${ttl:-0}" -le 610 ]
check "1. exactly one expectation" [ "$(n_expect)" = 1 ]
check "1. counted as opened" [ "$(ctr sip_register_pinhole_opened)" = 1 ]
check "1. INVITE [fd00:2::2]:5070 -> [fd00:1::2]:5060 reaches the PBX" \
	reach gk "$GK:5070" "$PBX:5060" "$work/inbound.req"
check_not "1. third host [fd00:3::2]:5070 -> [fd00:1::2]:5060 blocked" \
	reach x '[fd00:3::2]:5070' "$PBX:5060" "$work/inbound.req"
check_not "1. registrar [fd00:2::2]:5071 -> [fd00:1::2]:5061 blocked" \
	reach gk "$GK:5071" "$PBX:5061" "$work/inbound.req"

# 2. A call with IPv6 SDP on the same flow.
exchange call "$PBX:5060" "$GK:5060"
check "2. INVITE reached the callee with c=IN IP6 fd00:1::2 unchanged" \
	cmp -s "$work/call.req" "$work/call.rx.0"
check "2. its 200 with c=IN IP6 fd00:2::2 reached the PBX unchanged" \
	cmp -s "$work/call.ans" "$work/call.got"
echo "-- IPv6 expectations during the call:"; expect6 | sed 's/^/   /'
check "2. RTP pinhole fd00:2::2 -> [fd00:1::2]:10000" pinhole fd00:2::2 fd00:1::2 10000
check "2. RTCP pinhole fd00:2::2 -> [fd00:1::2]:10001" pinhole fd00:2::2 fd00:1::2 10001
check "2. RTP pinhole fd00:1::2 -> [fd00:2::2]:20000" pinhole fd00:1::2 fd00:2::2 20000
check "2. RTCP pinhole fd00:1::2 -> [fd00:2::2]:20001" pinhole fd00:1::2 fd00:2::2 20001
check "2. nothing else: 4 media pinholes + the registration" [ "$(n_expect)" = 5 ]
check "2. counted: two media streams opened" [ "$(ctr sip_media_pinhole_opened)" = 2 ]
check_not "2. registrar -> [fd00:1::2]:10002 (port+2) blocked" \
	reach gk "$GK:30002" "$PBX:10002"
check_not "2. third host [fd00:3::2] -> [fd00:1::2]:10000 blocked" \
	reach x '[fd00:3::2]:30000' "$PBX:10000"
check_not "2. PBX -> [fd00:2::2]:20002 (port+2) blocked" \
	reach_out "$PBX:30004" "$GK:20002"
check "2. RTP [fd00:2::2]:30000 -> [fd00:1::2]:10000 passes" \
	reach gk "$GK:30000" "$PBX:10000"
check "2. RTP [fd00:1::2]:30000 -> [fd00:2::2]:20000 passes" \
	reach_out "$PBX:30000" "$GK:20000"

# 3. Hang-up.
exchange bye "$PBX:5060" "$GK:5060"
check "3. BYE answered" [ -s "$work/bye.got" ]
echo "-- IPv6 expectations after BYE:"; expect6 | sed 's/^/   /'
check_not "3. RTCP pinholes (unused) gone" rtcp_left
check "3. only the registration pinhole is left" [ "$(n_expect)" = 1 ]
check "3. registration pinhole kept" reg_pinhole
check "3. counted as removed" [ "$(ctr sip_media_pinhole_removed)" = 1 ]
check_not "3. registrar -> [fd00:1::2]:10001 blocked after BYE" \
	reach gk "$GK:30006" "$PBX:10001"
check_not "3. new RTP registrar -> [fd00:1::2]:10000 blocked after BYE" \
	reach gk "$GK:30008" "$PBX:10000"

# 4. Third-party Contact.
before=$(ctr sip_refused_contact_not_source)
exchange third "$PBX:5062" "$GK:5060"
check "4. its 200 reached the PBX" [ -s "$work/third.got" ]
echo "-- IPv6 expectations after the third-party REGISTER:"; expect6 | sed 's/^/   /'
check_not "4. no pinhole to fd00:1::3" third_pinhole
check "4. still only the first registration's pinhole" [ "$(n_expect)" = 1 ]
check "4. counted as refused" [ "$(ctr sip_refused_contact_not_source)" = $((before + 1)) ]
check_not "4. registrar [fd00:2::2]:5076 -> [fd00:1::3]:5060 blocked" \
	reach gk "$GK:5076" '[fd00:1::3]:5060' "$work/inbound.req"

check "sip_malformed stayed 0" [ "$(ctr sip_malformed)" = 0 ]
echo "-- counters:"; fw grep -E '^sip_' /proc/net/nf_conntrack_avaya | grep -v ' 0$' | sed 's/^/   /'
finish
