#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# avaya-sip when NAT had to move the source port: two PBXs behind one
# masquerade address both send SIP from udp/5060 to the same registrar.
#
#   ns "pbx" scripted UAs         ns "fw": masquerade 203.0.113.1         ns "prov"
#   10.0.1.2:5060 (pbx1) ---- 10.0.1.1 in0 | out0 203.0.113.1 ---- 203.0.113.50 kamailio :5060
#   10.0.1.3:5060 (pbx2)     default drop, ct helper avaya-sip        203.0.113.60 third host
#
# 1. pbx1 registers first and keeps 203.0.113.1:5060; nothing is counted as
#    moved. pbx2's flow cannot have 203.0.113.1:5060 too: the NAT core gives
#    it another port P (read from its conntrack entry).
# 2. Outside (tshark sip.Via, sip.Contact): pbx2's REGISTER leaves from P
#    with Via sent-by and Contact 203.0.113.1:P, never 5060 or 10.0.1.3;
#    sip_nat_source_port_changed counts it and dmesg has the ratelimited
#    "NAT moved SIP source port" line. kamailio's location holds both.
# 3. kamailio's 200 reaches 10.0.1.3:5060 with Via/Contact back to
#    10.0.1.3:5060.
# 4. The registration pinholes are registrar -> 203.0.113.1:5060 and
#    -> 203.0.113.1:P. An INVITE to 203.0.113.1:P from a new registrar port
#    reaches 10.0.1.3:5060 (Request-URI NATed back), one to :5060 reaches
#    10.0.1.2:5060; the third host gets nothing through.
set -u
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/sip/peers.sh"

MSG="python3 $TOP/tests/sip/sipmsg.py"
RUN=$(mktemp -d)
KAMDIR=$RUN/kam
EXPIRES=600
trap sip_cleanup EXIT

setup() {
	sip_topology 10.0.1.3
	fw nft -f - <<'EOF2'
table inet fw {
	ct helper sip-udp {
		type "avaya-sip" protocol udp;
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

# register N IP: pbxN registers from IP:5060; the 200 is kept as regN.got.
register() {
	$MSG register --src "$2:5060" --dst 203.0.113.50:5060 --contact "$2:5060" \
		--user "pbx$1" --call-id "reg-pbx$1@avaya.test" --expires $EXPIRES \
		-o "$RUN/reg$1.req"
	pbx $NU udp-send "$2:5060" 203.0.113.50:5060 "$RUN/reg$1.req" \
		--expect-reply "$RUN/reg$1.got" --timeout 5 >/dev/null
}

# public_port IP: the port 203.0.113.1 uses for IP:5060 -> registrar.
public_port() {
	fw conntrack -L -p udp --orig-src "$1" --orig-port-src 5060 \
		--orig-dst 203.0.113.50 2>/dev/null |
		sed -n 's/.* src=203\.0\.113\.50 dst=203\.0\.113\.1 sport=5060 dport=\([0-9]*\) .*/\1/p' |
		head -n 1
}

hdr() { tr -d '\r' < "$1" | grep -m1 "^$2"; }

# The UAs' sockets 10.0.1.2:5060 and 10.0.1.3:5060 for the probes: each
# datagram is saved as $RUN/ua<IP>.<k> and answered.
ua_start() {
	local ip

	UA_PIDS=()
	for ip in 10.0.1.2 10.0.1.3; do
		bg pbx $NU udp-serve "$ip:5060" --reply "$RUN/trying" --save "$RUN/ua$ip" \
			--count 10 --timeout 60
		UA_PIDS+=("$BG")
	done
	poll 50 two_uas_listen
}
two_uas_listen() { [ "$(pbx ss -H -lun 'sport = :5060' | wc -l)" -ge 2 ]; }

# invite SRC DST USER NAME: INVITE from SRC (in prov) to DST; answered?
invite() {
	$MSG invite --src "$1" --dst "$2" --user "$3" --call-id "$4@avaya.test" \
		-o "$RUN/$4.req"
	prov $NU udp-send "$1" "$2" "$RUN/$4.req" --expect-reply "$RUN/$4.got" \
		--timeout 2 >/dev/null
}

# got IP NAME: the UA socket IP:5060 received the INVITE NAME.
got() { grep -qs "^Call-ID: $2@avaya.test" "$RUN/ua$1".*; }
# reaches SRC DST USER NAME IP: the INVITE is answered by the UA at IP.
reaches() { invite "$1" "$2" "$3" "$4" && got "$5" "$4"; }

setup
kam_conf "$RUN/kam"
printf 'SIP/2.0 100 Trying\r\nContent-Length: 0\r\n\r\n' > "$RUN/trying"
dmesg -C 2>/dev/null
bg fw tcpdump -q -n -U -s 0 -i out0 -w "$RUN/out.pcap" udp port 5060 2>/dev/null
TCPDUMP=$BG
bg prov kamailio -f "$RUN/kam/kamailio.cfg" -DD -E -Y "$RUN/kam" -P "$RUN/kam/pid" \
	>"$RUN/kam/log" 2>&1
wait_listen prov udp 5060 || true
poll 50 test -S "$RUN/kam/kamailio_ctl" || true

# 1. Two registrations, the second one clashes.
check "1. pbx1 10.0.1.2:5060 registered (200 received)" register 1 10.0.1.2
P1=$(public_port 10.0.1.2)
check "1. pbx1 keeps 203.0.113.1:5060 (public port ${P1:-none})" [ "${P1:-}" = 5060 ]
check "1. nothing counted as moved yet" [ "$(ctr sip_nat_source_port_changed)" = 0 ]
check "1. pbx2 10.0.1.3:5060 registered (200 received)" register 2 10.0.1.3
P=$(public_port 10.0.1.3)
echo "-- conntrack of the two flows:"
fw conntrack -L -p udp --orig-dst 203.0.113.50 2>/dev/null | sed 's/^/   /'
check "1. pbx2 leaves from another public port P=${P:-none}" \
	[ -n "${P:-}" -a "${P:-5060}" != 5060 ]
P=${P:-0}

# 2. What left the firewall, what the registrar stored.
kam ul.dump > "$RUN/uldump.txt" 2>&1
echo "-- kamailio location:"; grep -E 'AoR|Address' "$RUN/uldump.txt" | sed 's/^/   /'
sleep 0.5
kill_tree "$TCPDUMP"
wait "$TCPDUMP" 2>/dev/null
tshark -r "$RUN/out.pcap" -Y 'sip.Method == "REGISTER"' -T fields -E separator='|' \
	-e ip.src -e udp.srcport -e sip.Via -e sip.Contact > "$RUN/fields.txt" 2>/dev/null
echo "-- REGISTERs outside (src|sport|Via|Contact):"; sed 's/^/   /' "$RUN/fields.txt"
reg2_out() { grep -F '@203.0.113.1:' "$RUN/fields.txt" | grep -F '<sip:pbx2@'; }
check "2. pbx1's REGISTER: 203.0.113.1:5060, Via and Contact 203.0.113.1:5060" \
	grep -Eq '^203\.0\.113\.1\|5060\|SIP/2\.0/UDP 203\.0\.113\.1:5060;.*\|<sip:pbx1@203\.0\.113\.1:5060>' \
	"$RUN/fields.txt"
check "2. pbx2's REGISTER leaves from 203.0.113.1:$P" \
	sh -c "reg2=\$(grep -F '<sip:pbx2@' '$RUN/fields.txt'); [ -n \"\$reg2\" ] && [ \"\$(echo \"\$reg2\" | cut -d'|' -f1,2 | sort -u)\" = '203.0.113.1|$P' ]"
check "2. its Via sent-by is 203.0.113.1:$P" \
	sh -c "grep -F '<sip:pbx2@' '$RUN/fields.txt' | cut -d'|' -f3 | grep -q '^SIP/2.0/UDP 203.0.113.1:$P;'"
check "2. its Contact is 203.0.113.1:$P" \
	sh -c "grep -F '<sip:pbx2@' '$RUN/fields.txt' | cut -d'|' -f4 | grep -q '^<sip:pbx2@203.0.113.1:$P>'"
check_not "2. no 10.0.1.x and no 203.0.113.1:5060 in pbx2's REGISTER" \
	sh -c "grep -F '<sip:pbx2@' '$RUN/fields.txt' | grep -Eq '10\.0\.1\.|203\.0\.113\.1:5060'"
check_not "2. no 10.0.1.x leaves the firewall" \
	sh -c "tcpdump -r '$RUN/out.pcap' -A 2>/dev/null | grep -q '10\.0\.1\.'"
check "2. sip_nat_source_port_changed counted ($(ctr sip_nat_source_port_changed))" \
	[ "$(ctr sip_nat_source_port_changed)" -ge 1 ]
echo "-- dmesg:"; dmesg | grep 'NAT moved SIP' | sed 's/^/   /'
check "2. dmesg: NAT moved SIP source port 5060 to $P" \
	sh -c "dmesg | grep -q 'NAT moved SIP source port 5060 to $P;'"
check "2. location holds sip:pbx1@203.0.113.1:5060" \
	grep -q 'Address: sip:pbx1@203.0.113.1:5060' "$RUN/uldump.txt"
check "2. location holds sip:pbx2@203.0.113.1:$P" \
	grep -q "Address: sip:pbx2@203.0.113.1:$P" "$RUN/uldump.txt"

# 3. The 200 to pbx2, as it got it.
echo "-- 200 as pbx2 got it:"; tr -d '\r' < "$RUN/reg2.got" 2>/dev/null | sed 's/^/   /'
check "3. the 200 reached 10.0.1.3:5060" sh -c "tr -d '\r' < '$RUN/reg2.got' | head -1 | grep -q '^SIP/2.0 200'"
check "3. its Via is back to 10.0.1.3:5060 (rport 5060)" \
	sh -c "tr -d '\r' < '$RUN/reg2.got' | grep -q '^Via: SIP/2.0/UDP 10.0.1.3:5060;.*rport=5060'"
check "3. its Contact is back to 10.0.1.3:5060" \
	sh -c "tr -d '\r' < '$RUN/reg2.got' | grep -q '^Contact: <sip:pbx2@10.0.1.3:5060>'"

# 4. The pinholes.
echo "-- expectations:"; expect_lines | sed 's/^/   /'
pinhole() {
	expect_lines | grep -Eq "proto=17 src=203.0.113.50 dst=203.0.113.1 sport=0 dport=$1 .*PERMANENT.*helper=avaya-sip"
}
check "4. registration pinhole 203.0.113.50 -> 203.0.113.1:$P (pbx2)" pinhole "$P"
check "4. registration pinhole 203.0.113.50 -> 203.0.113.1:5060 (pbx1)" pinhole 5060
check "4. exactly these two" [ "$(expect_lines | grep -c 'proto=17')" = 2 ]
ua_start
check "4. INVITE 203.0.113.50:5071 -> 203.0.113.1:$P answered" \
	invite 203.0.113.50:5071 "203.0.113.1:$P" pbx2 inv2
check "4. ... it reached 10.0.1.3:5060" got 10.0.1.3 inv2
check_not "4. ... and not 10.0.1.2:5060" got 10.0.1.2 inv2
inv2=$(grep -ls '^Call-ID: inv2@avaya.test' "$RUN"/ua10.0.1.3.* | head -n 1)
echo "   Request-URI as received: $(head -n 1 "${inv2:-/dev/null}" | tr -d '\r')"
check "4. Request-URI NATed back to sip:pbx2@10.0.1.3:5060" \
	sh -c "head -n 1 '${inv2:-/dev/null}' | tr -d '\r' | grep -qx 'INVITE sip:pbx2@10.0.1.3:5060 SIP/2.0'"
check "4. INVITE 203.0.113.50:5072 -> 203.0.113.1:5060 reaches 10.0.1.2:5060" \
	reaches 203.0.113.50:5072 203.0.113.1:5060 pbx1 inv1 10.0.1.2
check_not "4. third host 203.0.113.60:5073 -> 203.0.113.1:$P blocked" \
	invite 203.0.113.60:5073 "203.0.113.1:$P" pbx2 inv3
check_not "4. ... and nothing reached the UAs" \
	sh -c "grep -qs '^Call-ID: inv3@' '$RUN'/ua10.0.1.*"

check "sip_malformed stayed 0" [ "$(ctr sip_malformed)" = 0 ]
echo "-- counters:"; fw grep -E '^sip_' /proc/net/nf_conntrack_avaya | grep -v ' 0$' | sed 's/^/   /'
finish
