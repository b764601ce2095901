#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# avaya-vm: ownboot (it unloads our modules: a guest of its own)
# avaya-vm: kernel oldest (make check's 60 minutes; the same userspace peers on either kernel, sip_tcp_peers and sip_nat_pinhole cover the kernel side on both)
#
# avaya-sip with real peers: a baresip UA behind masquerade registers to a
# kamailio registrar, a second baresip calls it through kamailio.
#
#   ns "pbx" baresip              ns "fw": masquerade 203.0.113.1     ns "prov"
#   10.0.1.2:5060 ---- 10.0.1.1 in0 | out0 203.0.113.1 ---- 203.0.113.50 kamailio :5060
#                        default drop, ct helper avaya-sip           203.0.113.50 baresip "carol" :5070
#                                                                    203.0.113.60 third host
#
# 1. Registration: kamailio's location shows 203.0.113.1:5060 (source port
#    kept), the registration pinhole is exact (registrar -> 203.0.113.1:5060).
# 2. Outside capture: source port 5060, Via/Contact/SDP with 203.0.113.1,
#    no 10.0.1.x anywhere.
# 3. carol calls pbx; both recordings hold the other side's tone for the
#    length of the call.
# 4. After BYE the media pinholes are gone and the call's media flows are
#    closed; new RTP to the old ports is blocked, even from carol's own port.
# 5. The same run with the stock "sip" helper: what differs is printed.
set -u
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/sip/peers.sh"

RUN=$(mktemp -d)
KAMDIR=$RUN/kam
CALL_SECS=6
trap sip_cleanup EXIT

ruleset() {	# TYPE: "avaya-sip" or "sip"
	fw nft flush ruleset
	fw nft -f - <<EOF2
table inet fw {
	ct helper sip-udp {
		type "$1" protocol udp;
	}
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established,related accept
		iifname "in0" oifname "out0" udp dport 5060 ct helper set "sip-udp" accept
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

# run_case MODE: one registration and one call; leaves results in $RUN/MODE.
run_case() {
	local mode=$1 d=$RUN/$1

	mkdir -p "$d/kam"
	rm -rf "$RUN/kam"
	ln -sfn "$d/kam" "$RUN/kam"
	kam_conf "$d/kam"
	ua_conf "$d/pbx" 10.0.1.2:5060 10000-10020 5555 440 \
		"<sip:pbx@203.0.113.50>;regint=600;answermode=auto;audio_codecs=PCMU"
	ua_conf "$d/carol" 203.0.113.50:5070 20000-20020 5556 880 \
		"<sip:carol@203.0.113.50>;regint=0;audio_codecs=PCMU"
	fw conntrack -F >/dev/null 2>&1
	bg fw tcpdump -q -n -U -s 0 -i out0 -w "$d/out.pcap" udp 2>/dev/null
	bg prov kamailio -f "$d/kam/kamailio.cfg" -DD -E -Y "$d/kam" -P "$d/kam/pid" \
		>"$d/kam/log" 2>&1
	wait_listen prov udp 5060 || true
	poll 50 test -S "$d/kam/kamailio_ctl" || true
	(cd "$d/pbx" && exec ip netns exec pbx baresip -f "$d/pbx" >"$d/pbx.log" 2>&1) &
	PIDS+=($!)
	PBX_PID=$!
	if poll 75 registered; then REG_OK=1; else REG_OK=0; fi
	kam ul.dump > "$d/uldump.txt" 2>&1
	fw conntrack -L expect > "$d/expect_reg.txt" 2>/dev/null
	(cd "$d/carol" && exec ip netns exec prov baresip -f "$d/carol" >"$d/carol.log" 2>&1) &
	PIDS+=($!)
	CAROL_PID=$!
	wait_listen prov udp 5556 || true
	sleep 0.5
	prov $SIPUA cons 5556 "/dial sip:pbx@203.0.113.50"
	poll 75 have_dec "$d/pbx" || true
	sleep "$CALL_SECS"
	fw conntrack -L expect > "$d/expect_call.txt" 2>/dev/null
	fw conntrack -L -p udp > "$d/ct_call.txt" 2>/dev/null
	prov $SIPUA cons 5556 "/hangup"
	sleep 2
	fw conntrack -L expect > "$d/expect_after.txt" 2>/dev/null
	fw conntrack -L -p udp > "$d/ct_after.txt" 2>/dev/null
	kill "$PBX_PID" "$CAROL_PID" 2>/dev/null
	prov kill "$(cat "$d/kam/pid" 2>/dev/null)" 2>/dev/null
	sleep 1
	pkill_tcpdump
	# One tshark run per capture: it is slow to start under TCG.
	tshark -r "$d/out.pcap" -Y 'sip || sdp' -T fields -E separator='|' \
		-e ip.src -e udp.srcport -e sip.Method -e sip.Via -e sip.Contact \
		-e sdp.connection_info.address -e sdp.media.port \
		> "$d/fields.txt" 2>/dev/null
}

pkill_tcpdump() {
	local p

	# Only the capture of this run: the last bg started before kamailio.
	for p in "${PIDS[@]}"; do
		if grep -q tcpdump "/proc/$p/cmdline" 2>/dev/null; then
			kill -INT "$p" 2>/dev/null
		fi
	done
	sleep 0.5
}

# Fields of what left the firewall: sport|method|Via|Contact|c=|m= port
out_fields() { awk -F'|' '$1 == "203.0.113.1"' "$1/fields.txt" | cut -d'|' -f2-; }
sip_fields() { out_fields "$1" | cut -d'|' -f1-4 | sort -u; }
out_ports() { out_fields "$1" | cut -d'|' -f1 | sort -u | tr '\n' ' '; }
out_sdp_addr() { out_fields "$1" | cut -d'|' -f5 | grep . | sort -u | tr '\n' ' '; }

sip_topology

# ---------------------------------------------------------------- avaya-sip
ruleset avaya-sip
run_case avaya
A=$RUN/avaya
echo "-- kamailio location:"; grep -E 'Address|Received' "$A/uldump.txt" | sed 's/^/   /'
echo "-- expectations after registration:"; sed 's/^/   /' "$A/expect_reg.txt"
check "1. pbx registered through masquerade" [ "$REG_OK" = 1 ]
check "1. location holds sip:pbx@203.0.113.1:5060" grep -Eq 'Address: sip:pbx[^@]*@203.0.113.1:5060' "$A/uldump.txt"
check "1. registration pinhole 203.0.113.50 -> 203.0.113.1:5060" \
	grep -Eq 'proto=17 src=203.0.113.50 dst=203.0.113.1 sport=0 dport=5060 .*helper=avaya-sip' "$A/expect_reg.txt"

echo "-- SIP leaving the firewall (sport|Via|Contact):"
sip_fields "$A" | sed 's/^/   /'
check "2. every SIP packet out has source port 5060" [ "$(out_ports "$A")" = "5060 " ]
check "2. Via sent-by is 203.0.113.1:5060" \
	sh -c "grep '|REGISTER|' $A/fields.txt | grep -q '|SIP/2.0/UDP 203.0.113.1:5060;'"
check "2. Contact is 203.0.113.1:5060" \
	sh -c "grep '|REGISTER|' $A/fields.txt | grep -Eq '<sip:pbx[^@]*@203.0.113.1:5060>'"
check "2. SDP answer c= is 203.0.113.1" [ "$(out_sdp_addr "$A")" = "203.0.113.1 " ]
check_not "2. no 10.0.1.x leaves the firewall" \
	sh -c "tcpdump -r $A/out.pcap -A 2>/dev/null | grep -q '10\.0\.1\.'"

echo "-- expectations during the call:"; sed 's/^/   /' "$A/expect_call.txt"
echo "-- recordings:"
check "3. pbx hears carol (880 Hz) for the call" audio_ok "$A/pbx" 880
check "3. carol hears pbx (440 Hz) for the call" audio_ok "$A/carol" 440

# The PBX's public RTP port, from its SDP answer as it left the firewall.
PORT=$(out_fields "$A" | cut -d'|' -f6 | grep . | head -1)
echo "-- pbx media port outside: ${PORT:-none}; expectations after BYE:"
sed 's/^/   /' "$A/expect_after.txt"
check "4. media pinholes gone after BYE" \
	sh -c "[ -n '$PORT' ] && ! grep -q 'dport=$PORT ' $A/expect_after.txt && ! grep -q 'dport=$((PORT + 1)) ' $A/expect_after.txt"
check "4. registration pinhole survives the call" grep -q 'dport=5060 ' "$A/expect_after.txt"
# Carol's RTP port, from her SDP offer as it reached the firewall.
CPORT=$(awk -F'|' '$1 == "203.0.113.50" && $7 != "" { print $7; exit }' "$A/fields.txt")
echo "-- media flows during the call (udp, port $PORT):"
grep -E "(sport|dport)=$PORT " "$A/ct_call.txt" | sed 's/^/   /'
echo "-- media flows 2 s after BYE:"
grep -E "(sport|dport)=$PORT " "$A/ct_after.txt" | sed 's/^/   /'
check "4. the call had a media flow through port $PORT" \
	grep -Eq "(sport|dport)=$PORT .*helper=avaya-sipm" "$A/ct_call.txt"
# A late RTP packet may still make an entry for the firewall itself
# (203.0.113.1, not forwarded); none may lead to the PBX.
check "4. BYE closed the call's media flows to the PBX" \
	sh -c "[ -n '$PORT' ] && [ -f $A/ct_after.txt ] && ! grep -E '(sport|dport)=$PORT ' $A/ct_after.txt | grep -q 'src=10\.0\.1\.2 '"
check "4. counted: sip_media_flow_closed" \
	[ "$(fw awk '$1 == "sip_media_flow_closed" { print $2 }' /proc/net/nf_conntrack_avaya)" -ge 1 ]
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
	check_not "4. RTP from carol's own media port ($CPORT) blocked after hang-up" \
		prov $NU udp-send "203.0.113.50:${CPORT:-1}" "203.0.113.1:$PORT" "$RUN/probe" \
		--expect-reply "$RUN/r3" --timeout 1
fi
echo "-- counters:"; fw grep -E '^sip_' /proc/net/nf_conntrack_avaya | grep -v ' 0$' | sed 's/^/   /'

# ------------------------------------------------------------- stock "sip"
kill_tree "${PIDS[@]}"
wait 2>/dev/null
PIDS=()
# The stock helper claims udp/5060 too: ours must go first.
fw nft flush ruleset
fw conntrack -F >/dev/null 2>&1
modprobe -r nf_nat_avaya nf_conntrack_avaya 2>/dev/null
if modprobe nf_conntrack_sip && modprobe nf_nat_sip; then
	ruleset sip
	run_case stock
	S=$RUN/stock
	echo "== stock \"sip\" helper, same run (printed, not asserted):"
	echo "   registered: $REG_OK; location: $(grep -o 'Address: [^ ]*' "$S/uldump.txt" | head -2 | tr '\n' ' ')"
	echo "   SIP leaving the firewall (sport|Via|Contact):"
	sip_fields "$S" | sed 's/^/      /'
	echo "   source ports outside: $(out_ports "$S")"
	echo "   SDP c= outside: $(out_sdp_addr "$S")"
	echo "   expectations during the call:"; sed 's/^/      /' "$S/expect_call.txt"
	echo "   expectations after BYE:"; sed 's/^/      /' "$S/expect_after.txt"
	echo "   media flows 2 s after BYE: $(grep -c 'udp' "$S/ct_after.txt")"
	audio_ok "$S/pbx" 880 && echo "   pbx hears carol: yes" || echo "   pbx hears carol: no"
	audio_ok "$S/carol" 440 && echo "   carol hears pbx: yes" || echo "   carol hears pbx: no"
else
	skip "5. stock nf_conntrack_sip/nf_nat_sip not loadable"
fi
finish
