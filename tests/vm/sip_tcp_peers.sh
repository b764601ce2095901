#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# avaya-sip over TCP with real peers: a baresip UA behind masquerade
# registers to kamailio with ;transport=tcp, a second baresip calls it
# through kamailio, which reaches the PBX over a new TCP connection.
#
#   ns "pbx" baresip              ns "fw": masquerade 203.0.113.1     ns "prov"
#   10.0.1.2:5060 ---- 10.0.1.1 in0 | out0 203.0.113.1 ---- 203.0.113.50 kamailio tcp+udp :5060
#   (tcp, listens on 5060)  default drop, only tcp/5060 out with     203.0.113.50 baresip "carol" :5070 (udp)
#                           ct helper avaya-sip (tcp)                203.0.113.60 third host
#
# 1. Registration over TCP: the REGISTER connection's public port P is read
#    from its conntrack entry; kamailio saw the connection from
#    203.0.113.1:P (core.tcp_list) and answered rport=P; its location holds
#    sip:pbx@203.0.113.1:5060;transport=tcp (the listening port); the
#    registration pinhole is tcp registrar -> 203.0.113.1:5060.
# 2. Outside capture: Via/Contact/SDP with 203.0.113.1, no 10.0.1.x anywhere.
# 3. carol calls pbx: kamailio opens a new TCP connection to 203.0.113.1:5060
#    through the pinhole (NATed to 10.0.1.2:5060); both recordings hold the
#    other side's tone for the length of the call.
# 4. After BYE (relayed over TCP) the media pinholes and the media flows to
#    the PBX are gone; new RTP to the old port is blocked, from carol's own
#    media port too.
# 5. sip_messages grew, sip_malformed stayed 0.
set -u
TRACE=
[ "${1:-}" = trace ] && TRACE=1 && set -x
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/sip/peers.sh"

RUN=$(mktemp -d)
D=$RUN/tcp
KAMDIR=$D/kam
CALL_SECS=6

tcp_cleanup() {
	# "trace" (vm-run.sh KVER SCENARIO trace) keeps the logs in the job dir.
	if [ -n "$TRACE" ] && [ -n "${AVAYA_JOB:-}" ]; then
		fw conntrack -L > "$D/ct_end.txt" 2>&1
		cp -a "$D" "$AVAYA_JOB/run" 2>/dev/null
	fi
	sip_cleanup
}
trap tcp_cleanup EXIT

setup() {
	sip_topology
	# SIP may leave over TCP only: a UDP fallback would be dropped.
	fw nft -f - <<EOF2
table inet fw {
	ct helper sip-tcp {
		type "avaya-sip" protocol tcp;
	}
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established,related accept
		iifname "in0" oifname "out0" tcp dport 5060 ct helper set "sip-tcp" accept
	}
}
table ip nat {
	chain post {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "out0" masquerade
	}
}
EOF2
}

setup
kam_conf "$D/kam"
ua_conf "$D/pbx" 10.0.1.2:5060 10000-10020 5555 440 \
	"<sip:pbx@203.0.113.50;transport=tcp>;regint=600;answermode=auto;audio_codecs=PCMU"
ua_conf "$D/carol" 203.0.113.50:5070 20000-20020 5556 880 \
	"<sip:carol@203.0.113.50>;regint=0;audio_codecs=PCMU"
MSGS0=$(ctr sip_messages)
bg fw tcpdump -q -n -U -s 0 -i out0 -w "$D/out.pcap" tcp or udp 2>/dev/null
TCPDUMP=$BG
bg prov kamailio -f "$D/kam/kamailio.cfg" -A WITH_TCP -DD -E -Y "$D/kam" \
	-P "$D/kam/pid" >"$D/kam/log" 2>&1
KAM=$BG
wait_listen prov tcp 5060 || true
poll 50 test -S "$D/kam/kamailio_ctl" || true
(cd "$D/pbx" && exec ip netns exec pbx baresip -f "$D/pbx" >"$D/pbx.log" 2>&1) &
PIDS+=($!)
PBX_PID=$!
if poll 75 registered; then REG_OK=1; else REG_OK=0; fi
kam ul.dump > "$D/uldump.txt" 2>&1
kam core.tcp_list > "$D/tcplist.txt" 2>&1
fw conntrack -L -p tcp > "$D/ct_reg.txt" 2>/dev/null
expect_lines > "$D/expect_reg.txt"
(cd "$D/carol" && exec ip netns exec prov baresip -f "$D/carol" >"$D/carol.log" 2>&1) &
PIDS+=($!)
CAROL_PID=$!
wait_listen prov udp 5556 || true
sleep 0.5
prov $SIPUA cons 5556 "/dial sip:pbx@203.0.113.50"
poll 75 have_dec "$D/pbx" || true
sleep "$CALL_SECS"
expect_lines > "$D/expect_call.txt"
fw conntrack -L -p tcp > "$D/ct_call.txt" 2>/dev/null
fw conntrack -L -p udp > "$D/ct_call_udp.txt" 2>/dev/null
prov $SIPUA cons 5556 "/hangup"
sleep 2
expect_lines > "$D/expect_after.txt"
fw conntrack -L -p udp > "$D/ct_after.txt" 2>/dev/null
kill "$PBX_PID" "$CAROL_PID" 2>/dev/null
prov kill "$(cat "$D/kam/pid" 2>/dev/null)" 2>/dev/null
kill_tree "$KAM"
sleep 1
kill_tree "$TCPDUMP"
wait "$TCPDUMP" 2>/dev/null
# One tshark run: it is slow to start under TCG.
tshark -r "$D/out.pcap" -Y 'sip || sdp' -T fields -E separator='|' \
	-e ip.src -e tcp.srcport -e tcp.dstport -e sip.Method -e sip.Status-Code \
	-e sip.CSeq.method -e sip.Via -e sip.Contact \
	-e sdp.connection_info.address -e sdp.media.port \
	> "$D/fields.txt" 2>/dev/null

# 1. Registration.
echo "-- kamailio location:"; grep -E 'Address|Received|Socket' "$D/uldump.txt" | sed 's/^/   /'
echo "-- REGISTER connection in conntrack:"
grep 'dst=203.0.113.50 sport=[0-9]* dport=5060 ' "$D/ct_reg.txt" | sed 's/^/   /'
P=$(sed -n 's/.*src=10\.0\.1\.2 dst=203\.0\.113\.50 sport=[0-9]* dport=5060 src=203\.0\.113\.50 dst=203\.0\.113\.1 sport=5060 dport=\([0-9]*\) .*/\1/p' \
	"$D/ct_reg.txt" | head -n 1)
echo "-- kamailio's TCP connections:"; tr -d '\t' < "$D/tcplist.txt" | grep -E 'src_|dst_' | paste -sd' ' | sed 's/^/   /'
echo "-- expectations after registration:"; sed 's/^/   /' "$D/expect_reg.txt"
check "1. pbx registered over TCP through masquerade" [ "$REG_OK" = 1 ]
check "1. the REGISTER connection is in conntrack, public port P=${P:-none}" [ -n "$P" ]
P=${P:-0}
check "1. kamailio saw the connection from 203.0.113.1:$P" \
	sh -c "tr -d '\t' < '$D/tcplist.txt' | grep -A1 -x 'src_ip: 203.0.113.1' | grep -qx 'src_port: $P'"
check "1. kamailio answered with received=203.0.113.1, rport=$P" \
	sh -c "awk -F'|' '\$5 == 200 && \$6 == \"REGISTER\"' '$D/fields.txt' | cut -d'|' -f7 | grep -q 'rport=$P;received=203.0.113.1\|received=203.0.113.1;rport=$P'"
check "1. location holds sip:pbx@203.0.113.1:5060;transport=tcp" \
	grep -Eq 'Address: sip:pbx[^@]*@203.0.113.1:5060;transport=tcp' "$D/uldump.txt"
check "1. location socket is kamailio's tcp:203.0.113.50:5060" \
	grep -q 'Socket: tcp:203.0.113.50:5060' "$D/uldump.txt"
check "1. registration pinhole tcp 203.0.113.50 -> 203.0.113.1:5060" \
	grep -Eq 'proto=6 src=203.0.113.50 dst=203.0.113.1 sport=0 dport=5060 .*PERMANENT.*helper=avaya-sip' "$D/expect_reg.txt"

# 2. What left the firewall.
out_fields() { awk -F'|' '$1 == "203.0.113.1"' "$D/fields.txt"; }
echo "-- SIP leaving the firewall (src|sport|dport|method|status|cseq|Via|Contact|c=|m=):"
out_fields | sed 's/^/   /'
check "2. the REGISTERs left over TCP from 203.0.113.1:$P" \
	sh -c "[ \"\$(awk -F'|' '\$4 == \"REGISTER\" { print \$1 \":\" \$2 }' '$D/fields.txt' | sort -u)\" = '203.0.113.1:$P' ]"
check "2. Via sent-by is 203.0.113.1:5060 over TCP" \
	sh -c "awk -F'|' '\$4 == \"REGISTER\"' '$D/fields.txt' | cut -d'|' -f7 | grep -q '^SIP/2.0/TCP 203.0.113.1:5060;'"
check "2. Contact is 203.0.113.1:5060;transport=tcp" \
	sh -c "awk -F'|' '\$4 == \"REGISTER\"' '$D/fields.txt' | cut -d'|' -f8 | grep -Eq '^<sip:pbx[^@]*@203.0.113.1:5060;transport=tcp>'"
check "2. SDP answer c= is 203.0.113.1" \
	[ "$(out_fields | cut -d'|' -f9 | grep . | sort -u | tr '\n' ' ')" = "203.0.113.1 " ]
check_not "2. no 10.0.1.x leaves the firewall" \
	sh -c "tcpdump -r '$D/out.pcap' -A 2>/dev/null | grep -q '10\.0\.1\.'"

# 3. The call.
echo "-- TCP connections during the call:"; sed 's/^/   /' "$D/ct_call.txt"
echo "-- expectations during the call:"; sed 's/^/   /' "$D/expect_call.txt"
check "3. kamailio reached the pbx on a new connection to 203.0.113.1:5060, NATed to 10.0.1.2:5060" \
	grep -Eq 'src=203.0.113.50 dst=203.0.113.1 sport=[0-9]+ dport=5060 src=10.0.1.2 dst=203.0.113.50 sport=5060 ' "$D/ct_call.txt"
check "3. the INVITE left kamailio towards 203.0.113.1:5060 over TCP" \
	sh -c "awk -F'|' '\$1 == \"203.0.113.50\" && \$3 == 5060 && \$4 == \"INVITE\"' '$D/fields.txt' | grep -q ."
echo "-- recordings:"
check "3. pbx hears carol (880 Hz) for the call" audio_ok "$D/pbx" 880
check "3. carol hears pbx (440 Hz) for the call" audio_ok "$D/carol" 440

# 4. After hang-up. The PBX's public RTP port, from its SDP answer outside.
PORT=$(out_fields | cut -d'|' -f10 | grep . | head -1)
echo "-- pbx media port outside: ${PORT:-none}; expectations after BYE:"
sed 's/^/   /' "$D/expect_after.txt"
echo "-- media flows during the call:"; sed 's/^/   /' "$D/ct_call_udp.txt"
check "4. carol's RTP to 203.0.113.1:$PORT went through NAT to 10.0.1.2" \
	grep -Eq "src=203.0.113.50 dst=203.0.113.1 sport=[0-9]+ dport=$PORT src=10.0.1.2 |src=10.0.1.2 dst=203.0.113.50 sport=[0-9]+ dport=[0-9]+ src=203.0.113.50 dst=203.0.113.1 sport=[0-9]+ dport=$PORT " \
	"$D/ct_call_udp.txt"
echo "-- media flows 2 s after BYE:"
grep -E "(sport|dport)=$PORT " "$D/ct_after.txt" | sed 's/^/   /'
check "4. the media flow was tracked by avaya-sipm" \
	grep -Eq "(sport|dport)=$PORT .*helper=avaya-sipm" "$D/ct_call_udp.txt"
# A late RTP packet may still make an entry for the firewall itself
# (203.0.113.1, not forwarded); none may lead to the PBX.
check "4. BYE (over TCP) closed the call's media flows to the PBX" \
	sh -c "[ -n '$PORT' ] && ! grep -E '(sport|dport)=$PORT ' '$D/ct_after.txt' | grep -q 'src=10\.0\.1\.2 '"
check "4. counted: sip_media_flow_closed" [ "$(ctr sip_media_flow_closed)" -ge 1 ]
check "4. media pinholes gone after BYE" \
	sh -c "[ -n '$PORT' ] && ! grep -q 'proto=17' '$D/expect_after.txt'"
check "4. registration pinhole survives the call" grep -q 'proto=6 .*dport=5060 ' "$D/expect_after.txt"
if [ -n "$PORT" ]; then
	printf 'rtp-probe' > "$RUN/probe"
	bg pbx $NU udp-serve "10.0.1.2:$PORT" --reply "$RUN/probe" --count 10 --timeout 20
	wait_listen pbx udp "$PORT" || true
	check_not "4. new RTP 203.0.113.50 -> 203.0.113.1:$PORT blocked after hang-up" \
		prov $NU udp-send "203.0.113.50:40000" "203.0.113.1:$PORT" "$RUN/probe" \
		--expect-reply "$RUN/r1" --timeout 1
	check_not "4. new RTP from 203.0.113.60 blocked too" \
		prov $NU udp-send "203.0.113.60:40002" "203.0.113.1:$PORT" "$RUN/probe" \
		--expect-reply "$RUN/r2" --timeout 1
	# Carol's RTP port, from her SDP offer as kamailio relayed it over TCP.
	CPORT=$(awk -F'|' '$1 == "203.0.113.50" && $4 == "INVITE" && $10 != "" { print $10; exit }' "$D/fields.txt")
	check_not "4. RTP from carol's own media port (${CPORT:-none}) blocked after hang-up" \
		prov $NU udp-send "203.0.113.50:${CPORT:-1}" "203.0.113.1:$PORT" "$RUN/probe" \
		--expect-reply "$RUN/r3" --timeout 1
fi

# 5. Counters.
echo "-- counters:"; fw grep -E '^sip_' /proc/net/nf_conntrack_avaya | grep -v ' 0$' | sed 's/^/   /'
check "5. sip_messages grew ($MSGS0 -> $(ctr sip_messages))" [ "$(ctr sip_messages)" -gt "$((MSGS0 + 6))" ]
check "5. sip_malformed stayed 0" [ "$(ctr sip_malformed)" = 0 ]
check "5. both SDP (offer and answer) opened media pinholes" \
	[ "$(ctr sip_media_pinhole_opened)" -ge 2 ]
finish
