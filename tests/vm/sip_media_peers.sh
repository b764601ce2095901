#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# avaya-sip: media from the address the call names (issue 14, SIP), with
# scripted peers, routed and then through masquerade.
#
#   ph 10.0.1.2 PBX --- fw: default drop, ct helper "avaya-sip" --- gk 10.0.2.2 carrier (signalling)
#                                                                   10.0.2.50, .51 its media servers
#                                                              +--- x 10.0.3.2 third host
#
# 1. Outbound call, the carrier's answer names its media server 10.0.2.50
#    (in media_peers): PBX -> .50:20000 opens, and the PBX's own stream now
#    admits .50 only (the signalling peer's pinhole is gone).
# 2. A re-INVITE whose answer moves the carrier's media to .51:20100: old
#    pinholes go, the flow from .50 is closed (its very ports are blocked
#    afterwards), .51 passes (sip_media_moved).
# 3. BYE: no media pinhole left, the call's flows closed.
# 4. Inbound call whose offer names .50: the PBX's answer opens .50 -> PBX
#    directly.
# 5. Hostile: an answer naming 10.0.3.2 (not in media_peers) or the
#    firewall's own 10.0.2.1 (inside a media_peers prefix) opens nothing
#    toward it; the PBX's stream stays open to the signalling peer only.
# 6. Operator: media_peers rejects malformed lists, reads back normalised.
# 8. Hostile peer x (10.0.3.2, found by review): (A) its INVITE naming the
#    media server's .50:20000 first must not get a carrier's later answer
#    naming the same endpoint dropped; (B) a media peer's port below 1024
#    (SNMP 161) is refused; (C) a re-INVITE rejected with 488 keeps the old
#    session (RFC 3261 14.1), one answered with 200 retires it.
# 7. The same outbound call through masquerade (fw 10.0.2.1): .50 reaches
#    the PBX at the public port its INVITE announced; the carrier's
#    signalling address does not.
# 9. Two phones behind the same masquerade offer the same private port
#    12000, phone A (.2) through the carrier's 10.0.2.2, phone B (.3)
#    through a second signalling address 10.0.2.3; both answers name the
#    media server .50. The core allows 10.0.2.2 -> pub:P and 10.0.2.3 ->
#    pub:P (their sources differ); after the move both would be .50 ->
#    pub:P and one phone's media would be lost or reach the other. A public
#    port leads to one phone: B gets another one, and .50 reaches each
#    phone at the port announced for it.
set -u
. "$(dirname "$0")/lib.sh"

MSG="python3 $TOP/tests/sip/sipmsg.py"
work=$(mktemp -d)
PBX=10.0.1.2
GK=10.0.2.2
FLOW="--src $PBX:5060 --dst $GK:5060"
IN="--src $GK:5060 --dst $PBX:5060"
PARAM=/sys/module/nf_conntrack_avaya/parameters/media_peers

mp_cleanup() {
	cleanup
	rm -rf "$work"
}
trap mp_cleanup EXIT

ctr() { fw awk -v n="$1" '$1 == n { print $2 }' /proc/net/nf_conntrack_avaya; }
peers() { fw sh -c "echo '$1' > $PARAM" 2>/dev/null; }

# exchange NAME FROMNS FROM TONS TO: $work/NAME.req from FROM, answered by
# $work/NAME.ans from TO; what TO got is NAME.rx.0, the answer NAME.got.
exchange() {
	udp_answer "$4" "$5" "$work/$1.ans" 10 "$work/$1.rx.0"
	wait_bound "$4" "$5"
	udp_ask "$2" "$3" "$5" "$work/$1.req" "$work/$1.got"
	wait_bg
}

# probe SRCNS SRC SENDTO DSTNS LISTEN: a datagram from SRC to SENDTO arrives
# at LISTEN in DSTNS (NAT may translate between them) and is answered.
probe() {
	local rc

	udp_answer "$4" "$5" "$work/probe" 4
	wait_bound "$4" "$5"
	udp_ask "$1" "$2" "$3" "$work/probe" "$work/probe.got"
	rc=$?
	kill_tree "$BG"
	wait "$BG" 2>/dev/null
	return $rc
}
inbound() { probe "$1" "$2" "$3" ph "$3"; }	# to the PBX, no NAT
outbound() { probe ph "$1" "$2" "$3" "$2"; }	# from the PBX
# What must pass gets a second datagram: a loaded TCG guest can miss the
# first one's 3 s window (a real drop fails both).
twice() { "$@" || "$@"; }

pinhole() { expect_lines | grep -Eq "proto=17 src=$1 dst=$2 sport=[0-9]+ dport=$3 "; }
n_media() { expect_lines | grep -c 'helper=avaya-sip' | awk -v r="$1" '{ print $1 - r }'; }
flow_from() { fw conntrack -L -p udp -s "$1" 2>/dev/null | grep -q "dport=$2 "; }

printf 'rtp-probe' > "$work/probe"
MSG="msg_add sipmsg"	# queued, built by the msg_build below
# 1-3: outbound call, answered from the media server, then moved.
$MSG invite $FLOW --media "$PBX:10000" --call-id out-1@avaya.test -o "$work/c1.req"
$MSG invite-ok $FLOW --media 10.0.2.50:20000 --call-id out-1@avaya.test -o "$work/c1.ans"
$MSG reinvite $FLOW --media "$PBX:10000" --cseq 2 --call-id out-1@avaya.test -o "$work/c1re.req"
$MSG invite-ok $FLOW --media 10.0.2.51:20100 --cseq 2 --call-id out-1@avaya.test -o "$work/c1re.ans"
$MSG bye $FLOW --cseq 3 --call-id out-1@avaya.test -o "$work/c1bye.req"
$MSG bye-ok $FLOW --cseq 3 --call-id out-1@avaya.test -o "$work/c1bye.ans"
# 4: inbound call, the offer names the media server.
$MSG invite $IN --media 10.0.2.50:20200 --call-id in-1@avaya.test -o "$work/c2.req"
$MSG invite-ok $IN --media "$PBX:10200" --call-id in-1@avaya.test -o "$work/c2.ans"
# 5: answers naming a host outside media_peers, and the firewall itself.
$MSG invite $FLOW --media "$PBX:10400" --call-id out-2@avaya.test -o "$work/c3.req"
$MSG invite-ok $FLOW --media 10.0.3.2:20400 --call-id out-2@avaya.test -o "$work/c3.ans"
$MSG invite $FLOW --media "$PBX:10600" --call-id out-3@avaya.test -o "$work/c4.req"
$MSG invite-ok $FLOW --media 10.0.2.1:20600 --call-id out-3@avaya.test -o "$work/c4.ans"
# 8: the review's hostile cases.
EVIL="--src 10.0.3.2:5060 --dst $PBX:5060"
$MSG invite $EVIL --media 10.0.2.50:21000 --call-id evil-1@x.test -o "$work/e1.req"
$MSG invite-ok $EVIL --media "$PBX:11900" --call-id evil-1@x.test -o "$work/e1.ans"
$MSG invite $EVIL --media 10.0.2.50:161 --call-id evil-2@x.test -o "$work/e2.req"
$MSG invite-ok $EVIL --media "$PBX:11902" --call-id evil-2@x.test -o "$work/e2.ans"
$MSG invite $FLOW --media "$PBX:11000" --call-id legit-1@avaya.test -o "$work/l1.req"
$MSG invite-ok $FLOW --media 10.0.2.50:21000 --call-id legit-1@avaya.test -o "$work/l1.ans"
$MSG invite $FLOW --media "$PBX:11200" --call-id legit-2@avaya.test -o "$work/l2.req"
$MSG invite-ok $FLOW --media "$GK:21200" --call-id legit-2@avaya.test -o "$work/l2.ans"
$MSG reinvite $FLOW --media "$PBX:11202" --cseq 2 --call-id legit-2@avaya.test -o "$work/l2re.req"
$MSG invite-fail $FLOW --status '488 Not Acceptable Here' --cseq 2 \
	--call-id legit-2@avaya.test -o "$work/l2re.ans"
$MSG reinvite $FLOW --media "$PBX:11204" --cseq 3 --call-id legit-2@avaya.test -o "$work/l2mv.req"
$MSG invite-ok $FLOW --media "$GK:21200" --cseq 3 --call-id legit-2@avaya.test -o "$work/l2mv.ans"
# 7: through masquerade.
$MSG invite $FLOW --media "$PBX:10800" --call-id nat-1@avaya.test -o "$work/c5.req"
$MSG invite-ok --src 10.0.2.1:5060 --dst $GK:5060 --media 10.0.2.50:20800 \
	--call-id nat-1@avaya.test -o "$work/c5.ans"
# 9: two phones, one public address, the same private port.
A9="--src $PBX:5060 --dst $GK:5060"
B9="--src 10.0.1.3:5062 --dst 10.0.2.3:5060"
$MSG invite $A9 --media "$PBX:12000" --call-id nat-a@avaya.test -o "$work/c9a.req"
$MSG invite-ok --src 10.0.2.1:5060 --dst $GK:5060 --media 10.0.2.50:22000 \
	--call-id nat-a@avaya.test -o "$work/c9a.ans"
$MSG invite $B9 --media 10.0.1.3:12000 --call-id nat-b@avaya.test -o "$work/c9b.req"
$MSG invite-ok --src 10.0.2.1:5062 --dst 10.0.2.3:5060 --media 10.0.2.50:22100 \
	--call-id nat-b@avaya.test -o "$work/c9b.ans"
msg_build || fail "the messages were built"
MSG="python3 $TOP/tests/sip/sipmsg.py"

setup_topology
gk ip addr add 10.0.2.50/24 dev eth0
gk ip addr add 10.0.2.51/24 dev eth0
gk ip addr add 10.0.2.3/24 dev eth0
# A probe's flow would otherwise expire within 30 s: flows are closed by
# the helper here, not by their timeout.
fw sysctl -qw net.netfilter.nf_conntrack_udp_timeout=600 \
	net.netfilter.nf_conntrack_udp_timeout_stream=600
fw nft -f - <<'EOF2'
table inet fw {
	ct helper sip-udp {
		type "avaya-sip" protocol udp;
	}
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established,related accept
		ip saddr 10.0.1.0/24 udp dport 5060 ct helper set "sip-udp" accept
		ip saddr 10.0.2.2 udp dport 5060 ct helper set "sip-udp" accept
		ip saddr 10.0.3.2 udp dport 5060 ct helper set "sip-udp" accept
	}
}
EOF2
check "media_peers 10.0.2.48/30 accepted" peers 10.0.2.48/30

# 1. The answer names the media server.
exchange c1 ph "$PBX:5060" gk "$GK:5060"
check "1. 200 with c=10.0.2.50 reached the PBX unchanged" cmp -s "$work/c1.ans" "$work/c1.got"
echo "-- expectations after the answer:"; expect_lines | sed 's/^/   /'
check "1. pinhole PBX -> media server 10.0.2.50:20000" pinhole $PBX 10.0.2.50 20000
check "1. pinhole PBX -> media server 10.0.2.50:20001 (RTCP)" pinhole $PBX 10.0.2.50 20001
check "1. pinhole media server -> PBX:10000" pinhole 10.0.2.50 $PBX 10000
check_not "1. no pinhole from the signalling peer to PBX:10000 any more" pinhole $GK $PBX 10000
check "1. four media pinholes" [ "$(n_media 0)" = 4 ]
sig_ttl=$(fw conntrack -L -p udp --orig-port-dst 5060 2>/dev/null | awk '{ print $3; exit }')
check "1. the signalling flow lives sip_timeout (3600 s): ${sig_ttl:-none} s left" \
	[ "${sig_ttl:-0}" -gt 3500 ]
check "1. counted (sip_media_peer_pinhole_opened >= 2)" [ "$(ctr sip_media_peer_pinhole_opened)" -ge 2 ]
check_not "1. carrier signalling 10.0.2.2 -> PBX:10000 blocked" inbound gk $GK:30000 $PBX:10000
check_not "1. third host 10.0.3.2 -> PBX:10000 blocked" inbound x 10.0.3.2:30000 $PBX:10000
check "1. media server 10.0.2.50:30000 -> PBX:10000 passes" twice inbound gk 10.0.2.50:30000 $PBX:10000
check "1. PBX -> media server 10.0.2.50:20000 passes" twice outbound $PBX:10000 10.0.2.50:20000 gk
check_not "1. PBX -> 10.0.2.50:20002 blocked" outbound $PBX:10002 10.0.2.50:20002 gk

# 2. The re-INVITE's answer moves the carrier's media to .51:20100.
exchange c1re ph "$PBX:5060" gk "$GK:5060"
echo "-- expectations after the move:"; expect_lines | sed 's/^/   /'
check "2. counted as moved" [ "$(ctr sip_media_moved)" = 1 ]
check "2. pinhole PBX -> 10.0.2.51:20100" pinhole $PBX 10.0.2.51 20100
check_not "2. no pinhole PBX -> 10.0.2.50:20000" pinhole $PBX 10.0.2.50 20000
check "2. pinhole 10.0.2.51 -> PBX:10000" pinhole 10.0.2.51 $PBX 10000
check_not "2. no pinhole 10.0.2.50 -> PBX:10000" pinhole 10.0.2.50 $PBX 10000
check "2. the flow from 10.0.2.50 is closed" eventually sh -c "! ip netns exec fw conntrack -L -p udp -s 10.0.2.50 2>/dev/null | grep -q dport=10000"
check_not "2. 10.0.2.50:30000 -> PBX:10000 (the old flow's ports) blocked" \
	inbound gk 10.0.2.50:30000 $PBX:10000
check "2. 10.0.2.51:30000 -> PBX:10000 passes" twice inbound gk 10.0.2.51:30000 $PBX:10000
check "2. PBX -> 10.0.2.51:20100 passes" twice outbound $PBX:10000 10.0.2.51:20100 gk

# 3. BYE.
exchange c1bye ph "$PBX:5060" gk "$GK:5060"
check "3. no media pinhole left" [ "$(n_media 0)" = 0 ]
check "3. the call's flows are closed" eventually sh -c "! ip netns exec fw conntrack -L -p udp -s 10.0.2.51 2>/dev/null | grep -q dport=10000"
check_not "3. 10.0.2.51:30000 -> PBX:10000 blocked after BYE" inbound gk 10.0.2.51:30000 $PBX:10000

# 4. Inbound call: the offer names the media server.
exchange c2 gk "$GK:5060" ph "$PBX:5060"
echo "-- expectations after the inbound call:"; expect_lines | sed 's/^/   /'
check "4. pinhole media server -> PBX:10200 (from the offer's media address)" pinhole 10.0.2.50 $PBX 10200
check_not "4. none from the signalling peer to PBX:10200" pinhole $GK $PBX 10200
check "4. pinhole PBX -> 10.0.2.50:20200" pinhole $PBX 10.0.2.50 20200
check "4. media server 10.0.2.50:30200 -> PBX:10200 passes" twice inbound gk 10.0.2.50:30200 $PBX:10200

# 5. Hostile answers.
refused=$(ctr sip_refused_sdp_not_source)
exchange c3 ph "$PBX:5060" gk "$GK:5060"
check_not "5. no pinhole toward 10.0.3.2 (not in media_peers)" sh -c "ip netns exec fw conntrack -L expect 2>/dev/null | grep -q 'dst=10.0.3.2 '"
check "5. the PBX's stream stays open to the signalling peer" pinhole $GK $PBX 10400
check "5. counted as refused" [ "$(ctr sip_refused_sdp_not_source)" = $((refused + 1)) ]
check "5. media_peers 10.0.2.0/24 (it holds the firewall's 10.0.2.1)" peers 10.0.2.0/24
exchange c4 ph "$PBX:5060" gk "$GK:5060"
check_not "5. no pinhole toward the firewall 10.0.2.1" sh -c "ip netns exec fw conntrack -L expect 2>/dev/null | grep -q 'dst=10.0.2.1 '"
check "5. counted as refused" [ "$(ctr sip_refused_sdp_not_source)" = $((refused + 2)) ]
logline() { dmesg | grep -c "avaya: sip_refused_sdp_not_source: SDP media at $1 is neither"; }
check "5. logged: avaya: sip_refused_sdp_not_source ... 10.0.3.2 ... flow" \
	sh -c "dmesg | grep -q 'avaya: sip_refused_sdp_not_source: SDP media at 10.0.3.2 is neither the sender.s nor in media_peers; flow 17 10.0.1.2:5060 -> 10.0.2.2:5060'"
check "5. logged for the firewall's own 10.0.2.1 too" [ "$(logline 10.0.2.1)" -ge 1 ]
# The same two refusals as an operator's metrics see them (issue 18).
python3 "$TOP/scripts/avaya-prom" --netns fw > "$work/prom" 2>&1
sed -n '/sip_refused_sdp_not_source/p' "$work/prom" | sed 's/^/   /'
check "5. avaya-prom exports them: sip_refused_sdp_not_source_total{netns=\"fw\"} $((refused + 2))" \
	grep -qx "nf_conntrack_avaya_sip_refused_sdp_not_source_total{netns=\"fw\"} $((refused + 2))" "$work/prom"
check "5. ... with its HELP line from the README" \
	grep -q '^# HELP nf_conntrack_avaya_sip_refused_sdp_not_source_total .' "$work/prom"
before=$(logline 10.0.3.2)
echo N > /sys/module/nf_conntrack_avaya/parameters/log_refusals
exchange c3 ph "$PBX:5060" gk "$GK:5060"
check "5. log_refusals=N: counted" [ "$(ctr sip_refused_sdp_not_source)" = $((refused + 3)) ]
check "5. log_refusals=N: no new log line" [ "$(logline 10.0.3.2)" = "$before" ]
echo Y > /sys/module/nf_conntrack_avaya/parameters/log_refusals

# 6. The parameter.
check_not "6. 10.0.2.300/24 rejected" peers 10.0.2.300/24
check_not "6. 10.0.2.0/33 rejected" peers 10.0.2.0/33
check_not "6. 33 prefixes rejected" peers "$(seq -s, -f '10.9.%g.0/24' 1 33)"
check "6. the last good value stays" [ "$(fw cat $PARAM)" = 10.0.2.0/24 ]
check "6. a list with IPv6 reads back normalised" \
	sh -c "ip netns exec fw sh -c \"echo '10.0.2.50/32 , fd00:2:0::/64' > $PARAM\" && [ \"\$(ip netns exec fw cat $PARAM)\" = '10.0.2.50/32,fd00:2::/64' ]"
check "6. a host bits prefix is masked: 10.0.2.55/29 -> 10.0.2.48/29" \
	sh -c "ip netns exec fw sh -c \"echo 10.0.2.55/29 > $PARAM\" && [ \"\$(ip netns exec fw cat $PARAM)\" = 10.0.2.48/29 ]"

# 8. The review's hostile cases (they failed before its fixes: review5).
exchange e1 x 10.0.3.2:5060 ph "$PBX:5060"
check "8A. (setup) x got PBX -> 10.0.2.50:21000 opened" pinhole $PBX 10.0.2.50 21000
taken=$(ctr sip_refused_media_taken)
exchange l1 ph "$PBX:5060" gk "$GK:5060"
check "8A. the carrier's 200 naming the same 10.0.2.50:21000 reached the PBX" \
	cmp -s "$work/l1.ans" "$work/l1.got"
check "8A. counted as taken by another flow" [ "$(ctr sip_refused_media_taken)" = $((taken + 1)) ]
check "8A. the legitimate call still pairs: 10.0.2.50 -> PBX:11000" pinhole 10.0.2.50 $PBX 11000
exchange e2 x 10.0.3.2:5060 ph "$PBX:5060"
check_not "8B. no pinhole PBX -> 10.0.2.50:161 (below 1024)" pinhole $PBX 10.0.2.50 161
check_not "8B. nor to :162" pinhole $PBX 10.0.2.50 162
exchange l2 ph "$PBX:5060" gk "$GK:5060"
check "8C. (setup) carrier 21200 -> PBX:11200 passes" twice inbound gk $GK:21200 $PBX:11200
moved=$(ctr sip_media_moved)
exchange l2re ph "$PBX:5060" gk "$GK:5060"
check "8C. the 488 reached the PBX" cmp -s "$work/l2re.ans" "$work/l2re.got"
check "8C. old session kept: carrier 21200 -> PBX:11200 still passes" twice inbound gk $GK:21200 $PBX:11200
check_not "8C. the rejected offer's pinhole to PBX:11202 is gone" pinhole $GK $PBX 11202
check "8C. nothing counted as moved" [ "$(ctr sip_media_moved)" = "$moved" ]
exchange l2mv ph "$PBX:5060" gk "$GK:5060"
check "8C. a re-INVITE answered 200 moves it: counted" [ "$(ctr sip_media_moved)" = $((moved + 1)) ]
check "8C. its flow to PBX:11200 is closed" eventually sh -c "! ip netns exec fw conntrack -L -p udp -s $GK 2>/dev/null | grep -q dport=11200"
check_not "8C. carrier 21200 -> PBX:11200 blocked now" inbound gk $GK:21200 $PBX:11200
check "8C. carrier -> PBX:11204 passes" twice inbound gk $GK:21202 $PBX:11204

# 7. Through masquerade.
fw conntrack -F >/dev/null 2>&1
fw nft -f - <<'EOF2'
table ip nat {
	chain post {
		type nat hook postrouting priority srcnat;
		oifname "gk0" masquerade
	}
}
EOF2
exchange c5 ph "$PBX:5060" gk "$GK:5060"
pub=$(tr -d '\r' < "$work/c5.rx.0" 2>/dev/null | awk '/^m=audio/ { print $2 }')
echo "-- INVITE as the carrier got it: m=audio ${pub:-none}"
check "7. the INVITE's SDP says c=10.0.2.1" grep -q '^c=IN IP4 10.0.2.1' "$work/c5.rx.0"
echo "-- expectations through masquerade:"; expect_lines | sed 's/^/   /'
check "7. pinhole media server -> 10.0.2.1:${pub:-none}" pinhole 10.0.2.50 10.0.2.1 "${pub:-none}"
check_not "7. none from the signalling peer to 10.0.2.1:${pub:-none}" pinhole $GK 10.0.2.1 "${pub:-none}"
check_not "7. carrier signalling 10.0.2.2 -> 10.0.2.1:${pub:-none} blocked" \
	probe gk $GK:30800 "10.0.2.1:${pub:-0}" ph $PBX:10800
check "7. media server 10.0.2.50 -> 10.0.2.1:${pub:-none} reaches PBX:10800" \
	twice probe gk 10.0.2.50:30800 "10.0.2.1:${pub:-0}" ph $PBX:10800
check "7. PBX -> media server 10.0.2.50:20800 passes" twice outbound $PBX:10800 10.0.2.50:20800 gk

# 9. Two phones, one public address, the same private port.
sdp_port() { tr -d '\r' < "$work/$1.rx.0" 2>/dev/null | awk '/^m=audio/ { print $2 }'; }
exchange c9a ph "$PBX:5060" gk "$GK:5060"
exchange c9b ph 10.0.1.3:5062 gk 10.0.2.3:5060
pa=$(sdp_port c9a)
pb=$(sdp_port c9b)
echo "-- A's INVITE announces 10.0.2.1:${pa:-none}, B's 10.0.2.1:${pb:-none}"
echo "-- expectations:"; expect_lines | sed 's/^/   /'
check "9. both INVITEs announce a public port" test -n "$pa" -a -n "$pb"
check "9. B's public port differs from A's (${pa:-none} / ${pb:-none})" test "${pa:-0}" != "${pb:-0}"
# Equal for a packet: the same source, destination and port (the source
# port is masked; it carries the call's slot).
twins() {
	expect_lines | awk '$2 == "proto=17" { print $3, $4, $6 }' | sort | uniq -d
}
check "9. no two equal pending pinholes" test -z "$(twins)"
check "9. media server -> 10.0.2.1:${pa:-none} reaches A $PBX:12000" \
	twice probe gk 10.0.2.50:32000 "10.0.2.1:${pa:-0}" ph $PBX:12000
check "9. media server -> 10.0.2.1:${pb:-none} reaches B 10.0.1.3:12000" \
	twice probe gk 10.0.2.50:32100 "10.0.2.1:${pb:-0}" ph 10.0.1.3:12000
check "sip_malformed stayed 0" [ "$(ctr sip_malformed)" = 0 ]
echo "-- counters:"
fw grep -E '^sip_(media|refused_sdp)' /proc/net/nf_conntrack_avaya | sed 's/^/   /'
finish
