#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# avaya-sip under masquerade, scripted peers: the registration pinhole is
# opened for the public address and NATed back to the private Contact.
#
#   ns "pbx" UA                  ns "fw": masquerade 203.0.113.1         ns "prov"
#   10.0.1.2:5060 ---- 10.0.1.1 in0 | out0 203.0.113.1 ---- 203.0.113.50 registrar :5060
#                     default drop, ct helper avaya-sip        203.0.113.60 third host
#
# 1. REGISTER leaves with source port 5060, Via and Contact 203.0.113.1:5060;
#    the registrar's 200 (echoing them, contact expires=600) reaches the UA.
# 2. The pinhole is registrar -> 203.0.113.1:5060, any source port, permanent.
# 3. INVITEs from 203.0.113.50:5070 and :5071 reach the UA's socket
#    10.0.1.2:5060 (Request-URI NATed back to it) and are answered.
# 4. The third host 203.0.113.60, and 203.0.113.1:5061, get nothing through.
# 5. REGISTER expires=0 and its 200 close it: 203.0.113.50:5072 is blocked.
# 6. Public port claims follow a registration's lifetime (review of issue
#    14, F4): with nat_claim_hold=10, a registration whose Contact port
#    (5064) is not its source port keeps 203.0.113.1:5064 after 12 s: a
#    call of another flow offering media at private 5064 gets another
#    public port, and the registration's refresh is not refused.
#    6b. A registration's claim and pinhole follow the phone, not its
#    flow: the phone registers Contact 10.0.1.2:5066 from :5070, then
#    again from :5072 while the :5070 flow lives on (a TCP/TLS reconnect,
#    a new source port): the Contact still leaves as 203.0.113.1:5066, the
#    old flow's pinhole is superseded (sip_register_superseded), one
#    pinhole remains. Another inside host (10.0.1.3) registering Contact
#    port 5066 from its own flow gets no pinhole there: that public pair
#    is the phone's (its REGISTER itself still leaves with :5066, a known
#    limit in the README).
# 7. Per-host claim quota (F2): nat_claims_per_host=2; inside host
#    10.0.1.3 offers two calls (RTP and RTCP share one pair: one claim
#    each), both get pinholes; the first is sent again (a retransmission:
#    no new claim) and passes; a third call is refused and counted
#    (nat_refused_host_claims, one log line) and, as any media pinhole NAT
#    cannot place, its INVITE is dropped; host 10.0.1.4's call still gets
#    its media pinhole.
# 8. Random tries (review HIGH 3): host 10.0.1.4 claims the 132 public
#    pairs 9000-9263 (33 INVITEs of four streams); host 10.0.1.2 then
#    offers private 9000: its pair is taken, it gets another public port
#    (a walk upward from 9000 would have ended on 128 taken pairs).
# 9. Review F1: a host registering a Contact that is not its source port
#    first cannot keep the public port the masquerade later gives another
#    host's own flow (details at the case).
# 10. Review F3: RTP alone at private 65535 gets its pinhole.
set -u
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/sip/peers.sh"

MSG="python3 $TOP/tests/sip/sipmsg.py"
RUN=$(mktemp -d)
work=$RUN
REG="--src 10.0.1.2:5060 --dst 203.0.113.50:5060"

trap sip_cleanup EXIT

# The scripted peers: a registrar that echoes what it received, a UAS that
# answers 100 Trying, and the INVITE they are probed with.
cat > "$work/peer.py" <<'EOF_PY'
import os
import re
import socket
import sys

# Waits stretch on the debug lane, as in tests/lib/netutil.py.
SCALE = float(os.environ.get('AVAYA_TIME_SCALE') or 1)


def hdr(lines, name):
    for line in lines:
        if line.lower().startswith(name.lower() + ':'):
            return line
    return None


def answer(data, status, peer, extra_to=''):
    lines = data.decode(errors='replace').split('\r\n')
    out = [f'SIP/2.0 {status}']
    via = hdr(lines, 'Via')
    if via:
        via = via.replace(';rport', f';received={peer[0]};rport={peer[1]}', 1)
        out.append(via)
    for name in ('From', 'To', 'Call-ID', 'CSeq'):
        h = hdr(lines, name)
        if h:
            out.append(h + (extra_to if name == 'To' else ''))
    return lines, out


def serve(kind, bind, prefix, count, timeout):
    host, port = bind.rsplit(':', 1)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((host, int(port)))
    s.settimeout(timeout * SCALE)
    for k in range(count):
        try:
            data, peer = s.recvfrom(65535)
        except socket.timeout:
            return 0
        # The registrar numbers what it got, the UA names it by its source.
        name = f'{prefix}.{k}' if kind == 'registrar' else f'{prefix}.{peer[0]}_{peer[1]}'
        with open(name + '.peer', 'w') as f:
            f.write(f'{peer[0]}:{peer[1]}\n')
        with open(name, 'wb') as f:
            f.write(data)
        if kind == 'registrar':
            lines, out = answer(data, '200 OK', peer, ';tag=reg')
            contact = hdr(lines, 'Contact')
            m = re.search(r'expires=(\d+)', contact or '')
            if contact and m and int(m.group(1)):
                out.append(contact)
        else:
            lines, out = answer(data, '100 Trying', peer)
        out.append('Content-Length: 0')
        s.sendto(('\r\n'.join(out) + '\r\n\r\n').encode(), peer)
    return 0


def invite(src, ruri, out):
    lines = [
        f'INVITE sip:pbx@{ruri} SIP/2.0',
        f'Via: SIP/2.0/UDP {src};branch=z9hG4bK-inv{src.rsplit(":", 1)[1]};rport',
        'Max-Forwards: 70',
        f'From: <sip:carol@{src.rsplit(":", 1)[0]}>;tag=c1',
        f'To: <sip:pbx@{ruri}>',
        f'Call-ID: inv-{src}@avaya.test',
        'CSeq: 1 INVITE',
        f'Contact: <sip:carol@{src}>',
        'Content-Length: 0',
    ]
    with open(out, 'wb') as f:
        f.write(('\r\n'.join(lines) + '\r\n\r\n').encode())
    return 0


def flood(src, dst, first, n):
    """n INVITEs from src, each offering four streams from port first up."""
    host, port = src.rsplit(':', 1)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((host, int(port)))
    s.settimeout(2 * SCALE)
    answered = 0
    for i in range(n):
        ports = [first + 8 * i + 2 * j for j in range(4)]
        body = '\r\n'.join([
            'v=0', f'o=- {i} 1 IN IP4 {host}', 's=-', f'c=IN IP4 {host}', 't=0 0']
            + [f'm=audio {p} RTP/AVP 0' for p in ports]) + '\r\n'
        lines = [
            f'INVITE sip:x@{dst} SIP/2.0',
            f'Via: SIP/2.0/UDP {src};branch=z9hG4bK-fl{i};rport',
            'Max-Forwards: 70',
            f'From: <sip:m@{host}>;tag=f{i}', f'To: <sip:x@{dst}>',
            f'Call-ID: flood-{src}-{i}@avaya.test', 'CSeq: 1 INVITE',
            f'Contact: <sip:m@{src}>', 'Content-Type: application/sdp',
            f'Content-Length: {len(body)}']
        s.sendto(('\r\n'.join(lines) + '\r\n\r\n' + body).encode(),
                 (dst.rsplit(':', 1)[0], int(dst.rsplit(':', 1)[1])))
        try:
            s.recvfrom(65535)
            answered += 1
        except socket.timeout:
            pass
    print(answered)
    return 0


if sys.argv[1] == 'invite':
    sys.exit(invite(*sys.argv[2:5]))
if sys.argv[1] == 'flood':
    sys.exit(flood(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])))
sys.exit(serve(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]),
               float(sys.argv[5])))
EOF_PY
PEER="python3 $work/peer.py"

setup() {
	sip_topology 10.0.1.3 10.0.1.4
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


# exchange NAME REQ [SRC]: REGISTER REQ from SRC (pbx:5060); the registrar
# saves what arrived as $work/NAME.rx.0 (and .peer), the UA the answer as
# $work/NAME.got.
exchange() {
	bg prov $PEER registrar 203.0.113.50:5060 "$work/$1.rx" 1 10
	wait_listen prov udp 5060
	pbx $NU udp-send "${3:-10.0.1.2:5060}" 203.0.113.50:5060 "$2" \
		--expect-reply "$work/$1.got" --timeout 3 >/dev/null
	wait_bg
}

# The UA's sockets 10.0.1.2:5060 and :5061, up for the whole probe phase so
# that each probe costs one process start (the pinhole lives 600 s):
# each datagram is saved as $work/ua<PORT>.<SRCIP>_<SRCPORT> and answered.
ua_start() {
	local port

	UA_PIDS=()
	for port in 5060 5061; do
		bg pbx $PEER uas "10.0.1.2:$port" "$work/ua$port" 1000 600
		UA_PIDS+=("$BG")
	done
	for port in 5060 5061; do wait_listen pbx udp "$port"; done
}

ua_stop() {
	kill_tree "${UA_PIDS[@]}"
	wait "${UA_PIDS[@]}" 2>/dev/null
	return 0
}

# invite NS SRC DST NAME: INVITE $work/NAME.req from SRC to DST; succeeds
# when the 100 came back. $work/NAME.got is the answer.
invite() {
	local ns=$1 src=$2 dst=$3 name=$4

	ip netns exec "$ns" $NU udp-send "$src" "$dst" "$work/$name.req" \
		--expect-reply "$work/$name.got" --timeout 2 >/dev/null
}

# got PORT SRC: the UA's socket on PORT received a datagram from SRC.
got() { [ -s "$work/ua$1.${2/:/_}" ]; }

# reaches NS SRC DST PORT NAME: the INVITE reaches the UA's PORT, is answered.
reaches() { invite "$1" "$2" "$3" "$5" && got "$4" "$2"; }

# nothing_reaches NS SRC DST PORT NAME: no answer, and the UA got nothing.
nothing_reaches() {
	! invite "$1" "$2" "$3" "$5" && ! got "$4" "$2" && ! got 5060 "$2" && ! got 5061 "$2"
}

# contact_is FILE USER@HOST:PORT PARAM: the registrar got FILE with that
# Contact and parameter (expires=N).
contact_is() { tr -d '\r' < "$1" 2>/dev/null | grep -q "^Contact: <sip:$2>;$3"; }
# reg_pins PORT: registration pinholes 203.0.113.50 -> 203.0.113.1:PORT.
reg_pins() {
	ip netns exec fw conntrack -L expect 2>/dev/null |
		grep -cE "proto=17 src=203.0.113.50 dst=203.0.113.1 sport=0 dport=$1 "
}
line_of() { tr -d '\r' < "$1" | grep -m1 -i "^$2"; }
reg_pinhole() {
	expect_lines | grep -Eq 'proto=17 src=203.0.113.50 dst=203.0.113.1 sport=0 dport=5060 .*PERMANENT.*helper=avaya-sip'
}

$MSG register $REG --contact 10.0.1.2:5060 --expires 600 -o "$work/reg.req"
$MSG register $REG --contact 10.0.1.2:5060 --expires 0 --cseq 2 -o "$work/unreg.req"
# The probes, built before the clock of the pinhole runs.
while read -r name src dst; do
	$PEER invite "$src" "$dst" "$work/$name.req"
done <<EOF3
inv1 203.0.113.50:5070 203.0.113.1:5060
inv2 203.0.113.50:5071 203.0.113.1:5060
third 203.0.113.60:5070 203.0.113.1:5060
port5061 203.0.113.50:5073 203.0.113.1:5061
inv3 203.0.113.50:5072 203.0.113.1:5060
EOF3

setup

# 1. REGISTER through masquerade.
t_reg=$(date +%s)
exchange reg "$work/reg.req"
echo "-- REGISTER as the registrar got it (from $(cat "$work/reg.rx.0.peer" 2>/dev/null)):"
tr -d '\r' < "$work/reg.rx.0" 2>/dev/null | sed 's/^/   /'
check "1. REGISTER arrives from 203.0.113.1:5060 (source port kept)" \
	grep -qx '203.0.113.1:5060' "$work/reg.rx.0.peer"
check "1. Via sent-by is 203.0.113.1:5060" \
	sh -c "tr -d '\r' < $work/reg.rx.0 | grep -q '^Via: SIP/2.0/UDP 203.0.113.1:5060;'"
check "1. Contact is 203.0.113.1:5060" \
	contact_is "$work/reg.rx.0" pbx@203.0.113.1:5060 expires=600
check_not "1. no 10.0.1.x in the REGISTER outside" grep -q '10\.0\.1\.' "$work/reg.rx.0"
echo "-- 200 as the UA got it:"
tr -d '\r' < "$work/reg.got" 2>/dev/null | sed 's/^/   /'
check "1. the 200 reached the UA, Via back to 10.0.1.2:5060" \
	sh -c "tr -d '\r' < $work/reg.got | grep -q '^Via: SIP/2.0/UDP 10.0.1.2:5060;'"

# 2. The pinhole.
echo "-- expectations after REGISTER/200:"; expect_lines | sed 's/^/   /'
check "2. pinhole 203.0.113.50 -> 203.0.113.1:5060, any source port, permanent" reg_pinhole
reg_ttl() { expect_lines | awk '/dport=5060 / { print $1; exit }'; }
ttl=$(reg_ttl)
# What is left: 600 + 10 less the time since the REGISTER went (minutes on
# the debug lane), less 2 s of rounding.
since=$(($(date +%s) - t_reg))
check "2. lives for the granted 600 s (+10 s grace): ${ttl:-none} s left, $since s after the REGISTER" \
	[ "${ttl:-0}" -ge $((610 - since - 2)) -a "${ttl:-0}" -le 610 ]
check "2. exactly one expectation" [ "$(expect_lines | grep -c .)" = 1 ]
check "2. counted as opened" [ "$(ctr sip_register_pinhole_opened)" = 1 ]

# 3. Inbound INVITEs from new registrar ports.
ua_start
check "3. INVITE 203.0.113.50:5070 -> 203.0.113.1:5060 reaches 10.0.1.2:5060" \
	reaches prov 203.0.113.50:5070 203.0.113.1:5060 5060 inv1
inv1=$work/ua5060.203.0.113.50_5070
echo "-- INVITE as the UA got it (from $(cat "$inv1.peer" 2>/dev/null)):"
tr -d '\r' < "$inv1" 2>/dev/null | sed 's/^/   /'
check "3. it comes from 203.0.113.50:5070" grep -qx '203.0.113.50:5070' "$inv1.peer"
check "3. Request-URI NATed to the registered Contact sip:pbx@10.0.1.2:5060" \
	sh -c "[ \"\$(tr -d '\r' < $inv1 | head -1)\" = 'INVITE sip:pbx@10.0.1.2:5060 SIP/2.0' ]"
echo "   To as received: $(line_of "$inv1" To:)"
check "3. To names the public binding 203.0.113.1:5060 (not rewritten)" \
	sh -c "tr -d '\r' < $inv1 | grep -qx 'To: <sip:pbx@203.0.113.1:5060>'"
check "3. the 100 Trying came back from 203.0.113.1:5060" \
	sh -c "tr -d '\r' < $work/inv1.got | grep -q '^SIP/2.0 100 Trying'"
check "3. INVITE 203.0.113.50:5071 -> 203.0.113.1:5060 reaches 10.0.1.2:5060 (permanent)" \
	reaches prov 203.0.113.50:5071 203.0.113.1:5060 5060 inv2
echo "-- conntrack of the inbound INVITEs:"
fw conntrack -L -p udp --orig-src 203.0.113.50 2>/dev/null | sed 's/^/   /'
check "3. still one pinhole after use" reg_pinhole

# 4. Nobody else.
check "4. third host 203.0.113.60:5070 -> 203.0.113.1:5060 blocked" \
	nothing_reaches prov 203.0.113.60:5070 203.0.113.1:5060 5060 third
check "4. registrar 203.0.113.50:5073 -> 203.0.113.1:5061 blocked" \
	nothing_reaches prov 203.0.113.50:5073 203.0.113.1:5061 5061 port5061
ua_stop
# Under a loaded host the probes are slow: a pinhole that timed out is
# told apart from one that was removed.
echo "-- pinhole before de-registration: $(reg_ttl) s left"

# 5. De-registration.
exchange unreg "$work/unreg.req"
ua_start
check "5. REGISTER expires=0 arrives with Contact 203.0.113.1:5060;expires=0" \
	contact_is "$work/unreg.rx.0" pbx@203.0.113.1:5060 expires=0
check "5. its 200 reached the UA" [ -s "$work/unreg.got" ]
echo "-- expectations after de-registration:"; expect_lines | sed 's/^/   /'
check_not "5. the pinhole is gone" reg_pinhole
check "5. counted as removed" [ "$(ctr sip_register_pinhole_removed)" = 1 ]
check "5. INVITE 203.0.113.50:5072 -> 203.0.113.1:5060 blocked" \
	nothing_reaches prov 203.0.113.50:5072 203.0.113.1:5060 5060 inv3

# to60 NAME SRC N: N messages $work/NAME.<i>.req from SRC, each answered by
# a listener on 203.0.113.60:5060 that saves them as $work/NAME.rx.<i>.
to60() {
	local i

	bg prov $PEER registrar 203.0.113.60:5060 "$work/$1.rx" "$3" 20
	wait_listen prov udp 5060
	for i in $(seq 0 $(($3 - 1))); do
		ip netns exec pbx $NU udp-send "$2" 203.0.113.60:5060 \
			"$work/$1.$i.req" --expect-reply "$work/$1.$i.got" \
			--timeout 3 >/dev/null
	done
	wait_bg
}
ctr_is() { [ "$(ctr "$1")" = "$2" ]; }
sdp_port() { tr -d '\r' < "$1" 2>/dev/null | awk '/^m=audio/ { print $2 }'; }
NATP=/sys/module/nf_nat_avaya/parameters

# 6. A registration's public port outlives nat_claim_hold.
check "6. nat_claim_hold=10 accepted" fw sh -c "echo 10 > $NATP/nat_claim_hold"
check_not "6. nat_claim_hold=9 refused" fw sh -c "echo 9 > $NATP/nat_claim_hold 2>/dev/null"
$MSG register $REG --contact 10.0.1.2:5064 --expires 600 --cseq 3 -o "$work/reg6.req"
$MSG register $REG --contact 10.0.1.2:5064 --expires 600 --cseq 4 -o "$work/reg6b.req"
$MSG invite --src 10.0.1.2:5062 --dst 203.0.113.60:5060 --media 10.0.1.2:5064 \
	--call-id f4@avaya.test -o "$work/inv6.0.req"
exchange reg6 "$work/reg6.req"
check "6. REGISTER Contact 10.0.1.2:5064 leaves as 203.0.113.1:5064" \
	contact_is "$work/reg6.rx.0" pbx@203.0.113.1:5064 expires=600
reg6_pinhole() {
	expect_lines | grep -E 'proto=17 src=203.0.113.50 dst=203.0.113.1 sport=0 dport=5064 .*helper=avaya-sip' |
		awk '{ print $1 }'
}
check "6. pinhole 203.0.113.50 -> 203.0.113.1:5064" test -n "$(reg6_pinhole)"
sleep 12
natfail=$(ctr sip_nat_failed)
to60 inv6 10.0.1.2:5062 1
p6=$(sdp_port "$work/inv6.rx.0")
echo "-- another flow's offer at private 5064 left as 203.0.113.1:${p6:-none}"
check "6. the call's INVITE arrived with a public media port" test -n "$p6"
check "6. it is not the registration's 5064 (claim held for the registration)" \
	test "${p6:-5064}" != 5064
t_reg=$(date +%s)
exchange reg6b "$work/reg6b.req"
check "6. the refresh's 200 reached the UA" [ -s "$work/reg6b.got" ]
check "6. the refresh was not refused (sip_nat_failed ${natfail:-?} -> $(ctr sip_nat_failed))" \
	[ "$(ctr sip_nat_failed)" = "$natfail" ]
ttl6=$(reg6_pinhole)
since=$(($(date +%s) - t_reg))
check "6. the registration's pinhole was refreshed: ${ttl6:-none} s left, $since s after the REGISTER" \
	[ "${ttl6:-0}" -ge $((610 - since - 2)) ]

# 6b. A registration's claim and pinhole follow the phone.
$MSG register --src 10.0.1.2:5070 --dst 203.0.113.50:5060 --contact 10.0.1.2:5066 \
	--expires 600 --cseq 5 --user pbx6b -o "$work/reg6c.req"
$MSG register --src 10.0.1.2:5072 --dst 203.0.113.50:5060 --contact 10.0.1.2:5066 \
	--expires 600 --cseq 6 --user pbx6b -o "$work/reg6d.req"
$MSG register --src 10.0.1.3:5074 --dst 203.0.113.50:5060 --contact 10.0.1.3:5066 \
	--expires 600 --cseq 7 --user other6b -o "$work/reg6e.req"
exchange reg6c "$work/reg6c.req" 10.0.1.2:5070
check "6b. REGISTER from :5070, Contact 10.0.1.2:5066 leaves as 203.0.113.1:5066" \
	contact_is "$work/reg6c.rx.0" pbx6b@203.0.113.1:5066 expires=600
natfail=$(ctr sip_nat_failed)
sup=$(ctr sip_register_superseded)
exchange reg6d "$work/reg6d.req" 10.0.1.2:5072
check "6b. the :5070 flow still lives" \
	sh -c "ip netns exec fw conntrack -L -p udp --orig-src 10.0.1.2 --sport 5070 2>/dev/null | grep -q dport=5060"
check "6b. the phone's REGISTER from :5072 still leaves as 203.0.113.1:5066" \
	contact_is "$work/reg6d.rx.0" pbx6b@203.0.113.1:5066 expires=600
check "6b. one pinhole 203.0.113.50 -> 203.0.113.1:5066 ($(reg_pins 5066))" [ "$(reg_pins 5066)" = 1 ]
check "6b. the old flow's was superseded (sip_register_superseded ${sup:-?} -> $(ctr sip_register_superseded))" \
	[ "$(ctr sip_register_superseded)" = $((${sup:-0} + 1)) ]
check "6b. not refused (sip_nat_failed ${natfail:-?} -> $(ctr sip_nat_failed))" \
	[ "$(ctr sip_nat_failed)" = "$natfail" ]
bg prov $PEER registrar 203.0.113.50:5060 "$work/reg6e.rx" 1 4
wait_listen prov udp 5060
ip netns exec pbx $NU udp-send 10.0.1.3:5074 203.0.113.50:5060 "$work/reg6e.req" \
	--timeout 2 >/dev/null 2>&1
wait_bg
# The registrar's 200 may still be on its way through the firewall.
eventually ctr_is sip_nat_failed $((${natfail:-0} + 1))
check "6b. host 10.0.1.3's registration pinhole on the phone's 5066 refused (sip_nat_failed ${natfail:-?} -> $(ctr sip_nat_failed))" \
	[ "$(ctr sip_nat_failed)" = $((${natfail:-0} + 1)) ]
check "6b. the phone's pinhole is still the one ($(reg_pins 5066))" [ "$(reg_pins 5066)" = 1 ]

# 7. One inside host's share of the claims.
check "7. nat_claims_per_host=2 accepted" fw sh -c "echo 2 > $NATP/nat_claims_per_host"
check_not "7. nat_claims_per_host=0 refused" fw sh -c "echo 0 > $NATP/nat_claims_per_host 2>/dev/null"
for i in 0 1 2; do
	$MSG invite --src 10.0.1.3:5060 --dst 203.0.113.60:5060 \
		--media "10.0.1.3:$((6000 + 2 * i))" --call-id "q$i@avaya.test" \
		-o "$work/inv7.$i.req"
done
cp "$work/inv7.0.req" "$work/inv7r.0.req"
cp "$work/inv7.2.req" "$work/inv7x.0.req"
$MSG invite --src 10.0.1.4:5060 --dst 203.0.113.60:5060 --media 10.0.1.4:7000 \
	--call-id q-other@avaya.test -o "$work/inv7b.0.req"
quota=$(ctr nat_refused_host_claims)
natfail=$(ctr sip_nat_failed)
to60 inv7 10.0.1.3:5060 2
echo "-- expectations after host 10.0.1.3's two offers:"; expect_lines | sed 's/^/   /'
check "7. both INVITEs arrived (one claim per RTP/RTCP couple)" test -s "$work/inv7.rx.1"
for i in 0 1; do
	check "7. offer $((i + 1)) got its pinhole 203.0.113.60 -> 203.0.113.1:$(sdp_port "$work/inv7.rx.$i")" \
		sh -c "ip netns exec fw conntrack -L expect 2>/dev/null | grep -Eq 'src=203.0.113.60 dst=203.0.113.1 sport=[0-9]+ dport=$(sdp_port "$work/inv7.rx.$i") '"
done
to60 inv7r 10.0.1.3:5060 1
check "7. offer 1 sent again arrives (a held pair costs no claim)" test -s "$work/inv7r.rx.0"
check "7. ... on the same public port" \
	[ "$(sdp_port "$work/inv7r.rx.0")" = "$(sdp_port "$work/inv7.rx.0")" ]
check "7. nothing refused so far (nat_refused_host_claims ${quota:-?} -> $(ctr nat_refused_host_claims))" \
	[ "$(ctr nat_refused_host_claims)" = "${quota:-x}" ]
bg prov $PEER registrar 203.0.113.60:5060 "$work/inv7x.rx" 1 4
wait_listen prov udp 5060
ip netns exec pbx $NU udp-send 10.0.1.3:5060 203.0.113.60:5060 "$work/inv7x.0.req" \
	--timeout 2 >/dev/null 2>&1
wait_bg
check_not "7. the third call's INVITE is dropped (no public port for its media)" \
	test -s "$work/inv7x.rx.0"
check "7. refused and counted (nat_refused_host_claims ${quota:-?} -> $(ctr nat_refused_host_claims))" \
	[ "$(ctr nat_refused_host_claims)" = $((${quota:-0} + 1)) ]
check "7. sip_nat_failed counts it too (${natfail:-?} -> $(ctr sip_nat_failed))" \
	[ "$(ctr sip_nat_failed)" = $((${natfail:-0} + 1)) ]
check "7. one log line names the host and the quota" \
	sh -c "dmesg | grep -q 'nat_refused_host_claims: .*10.0.1.3 holds nat_claims_per_host (2) public media port pairs on 203.0.113.1, 10.0.1.3:6004 refused'"
to60 inv7b 10.0.1.4:5060 1
p7=$(sdp_port "$work/inv7b.rx.0")
check "7. host 10.0.1.4's call still gets its pinhole -> 203.0.113.1:${p7:-none}" \
	sh -c "ip netns exec fw conntrack -L expect 2>/dev/null | grep -Eq 'src=203.0.113.60 dst=203.0.113.1 sport=[0-9]+ dport=${p7:-none} '"
fw sh -c "echo 4096 > $NATP/nat_claims_per_host"

# 8. A host holding the pairs above a victim's port cannot starve it.
bg prov $PEER registrar 203.0.113.60:5060 "$work/fl8.rx" 33 30
wait_listen prov udp 5060
n1=$(ip netns exec pbx $PEER flood 10.0.1.4:5062 203.0.113.60:5060 9000 17)
n2=$(ip netns exec pbx $PEER flood 10.0.1.4:5064 203.0.113.60:5060 9136 16)
wait_bg
check "8. host 10.0.1.4's 33 INVITEs (132 streams from 9000) answered: ${n1:-0}+${n2:-0}" \
	[ "$((${n1:-0} + ${n2:-0}))" = 33 ]
taken=$(ip netns exec fw conntrack -L expect 2>/dev/null |
	grep -cE 'proto=17 src=203.0.113.60 dst=203.0.113.1 sport=[0-9]+ dport=(9[0-1][0-9][0-9]|92[0-6][0-9]) ')
check "8. its media holds 203.0.113.1:9000-9263 (${taken:-0} pinholes, RTP and RTCP)" \
	[ "${taken:-0}" -ge 264 ]
$MSG invite --src 10.0.1.2:5068 --dst 203.0.113.60:5060 --media 10.0.1.2:9000 \
	--call-id victim@avaya.test -o "$work/inv8.0.req"
to60 inv8 10.0.1.2:5068 1
p8=$(sdp_port "$work/inv8.rx.0")
echo "-- the victim's private 9000 left as 203.0.113.1:${p8:-none}"
check "8. host 10.0.1.2's offer at private 9000 arrives with another public port" \
	sh -c "[ -n '$p8' ] && [ '$p8' != 9000 ]"
check "8. ... and its pinhole 203.0.113.60 -> 203.0.113.1:${p8:-none}" \
	sh -c "ip netns exec fw conntrack -L expect 2>/dev/null | grep -Eq 'src=203.0.113.60 dst=203.0.113.1 sport=[0-9]+ dport=${p8:-none} '"
fw sh -c "echo 600 > $NATP/nat_claim_hold"

# 9. The masquerade's port wins over another host's Contact (review of
# issue 14, F1): host 10.0.1.3 registers from :5080 with Contact :5082
# (not its source port) and so holds public 5082 first; host 10.0.1.4 then
# registers from its own :5082, which the masquerade keeps. Its REGISTER
# says 203.0.113.1:5082, so the registrar's requests there are its: its
# pinhole supersedes the other host's, and an INVITE from the registrar's
# other port reaches 10.0.1.4, not 10.0.1.3. The other host's refresh
# does not take the port back.
$MSG register --src 10.0.1.3:5080 --dst 203.0.113.50:5060 --contact 10.0.1.3:5082 \
	--expires 600 --cseq 8 --user hostile9 -o "$work/reg9b.req"
$MSG register --src 10.0.1.3:5080 --dst 203.0.113.50:5060 --contact 10.0.1.3:5082 \
	--expires 600 --cseq 9 --user hostile9 -o "$work/reg9c.req"
$MSG register --src 10.0.1.4:5082 --dst 203.0.113.50:5060 --contact 10.0.1.4:5082 \
	--expires 600 --cseq 8 --user victim9 -o "$work/reg9a.req"
$PEER invite 203.0.113.50:5090 203.0.113.1:5082 "$work/inv9.req"
$PEER invite 203.0.113.50:5091 203.0.113.1:5082 "$work/inv9r.req"
exchange reg9b "$work/reg9b.req" 10.0.1.3:5080
check "9. host 10.0.1.3's Contact :5082 leaves as 203.0.113.1:5082" \
	contact_is "$work/reg9b.rx.0" hostile9@203.0.113.1:5082 expires=600
check "9. ... and gets its pinhole ($(reg_pins 5082))" [ "$(reg_pins 5082)" = 1 ]
natfail=$(ctr sip_nat_failed)
sup=$(ctr sip_register_superseded)
exchange reg9a "$work/reg9a.req" 10.0.1.4:5082
check "9. host 10.0.1.4's REGISTER from :5082 leaves as 203.0.113.1:5082" \
	contact_is "$work/reg9a.rx.0" victim9@203.0.113.1:5082 expires=600
check "9. its pinhole superseded the other host's (sip_register_superseded ${sup:-?} -> $(ctr sip_register_superseded))" \
	[ "$(ctr sip_register_superseded)" = $((${sup:-0} + 1)) ]
check "9. not refused (sip_nat_failed ${natfail:-?} -> $(ctr sip_nat_failed))" \
	[ "$(ctr sip_nat_failed)" = "$natfail" ]
check "9. one pinhole 203.0.113.50 -> 203.0.113.1:5082 ($(reg_pins 5082))" [ "$(reg_pins 5082)" = 1 ]
bg pbx $PEER uas 10.0.1.4:5082 "$work/ua9v" 10 20
bg pbx $PEER uas 10.0.1.3:5082 "$work/ua9h" 10 20
wait_listen pbx udp 5082
invite prov 203.0.113.50:5090 203.0.113.1:5082 inv9
check "9. the registrar's INVITE from :5090 reaches 10.0.1.4:5082" \
	test -s "$work/ua9v.203.0.113.50_5090"
check_not "9. ... and not 10.0.1.3:5082" test -s "$work/ua9h.203.0.113.50_5090"
exchange reg9c "$work/reg9c.req" 10.0.1.3:5080
invite prov 203.0.113.50:5091 203.0.113.1:5082 inv9r
check "9. after the other host's refresh, the INVITE from :5091 still reaches 10.0.1.4" \
	test -s "$work/ua9v.203.0.113.50_5091"
check_not "9. ... and not 10.0.1.3" test -s "$work/ua9h.203.0.113.50_5091"

# 10. RTP alone on the last port (review of issue 14, F3): an offer of
# m=audio 65535 without a=rtcp (no RTCP port exists) gets its pinhole, or
# is refused and counted; never reported opened with nothing inserted.
$MSG invite --src 10.0.1.2:5084 --dst 203.0.113.60:5060 --media 10.0.1.2:65535 \
	--call-id top10@avaya.test -o "$work/inv10.0.req"
natfail=$(ctr sip_nat_failed)
to60 inv10 10.0.1.2:5084 1
p10=$(sdp_port "$work/inv10.rx.0")
echo "-- private 65535 left as 203.0.113.1:${p10:-none}"
check "10. the offer at private 65535 arrives with its pinhole 203.0.113.60 -> 203.0.113.1:${p10:-none}" \
	sh -c "ip netns exec fw conntrack -L expect 2>/dev/null | grep -Eq 'src=203.0.113.60 dst=203.0.113.1 sport=[0-9]+ dport=${p10:-none} '"
check "10. not refused (sip_nat_failed ${natfail:-?} -> $(ctr sip_nat_failed))" \
	[ "$(ctr sip_nat_failed)" = "$natfail" ]

echo "-- counters:"; fw cat /proc/net/nf_conntrack_avaya | sed 's/^/   /'
finish
