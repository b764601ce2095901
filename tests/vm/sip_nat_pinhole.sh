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
import re
import socket
import sys


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
    s.settimeout(timeout)
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


if sys.argv[1] == 'invite':
    sys.exit(invite(*sys.argv[2:5]))
sys.exit(serve(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]),
               float(sys.argv[5])))
EOF_PY
PEER="python3 $work/peer.py"

setup() {
	sip_topology
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


# exchange NAME REQ: REGISTER REQ from pbx:5060; the registrar saves what
# arrived as $work/NAME.rx.0 (and .peer), the UA the answer as $work/NAME.got.
exchange() {
	bg prov $PEER registrar 203.0.113.50:5060 "$work/$1.rx" 1 10
	wait_listen prov udp 5060
	pbx $NU udp-send 10.0.1.2:5060 203.0.113.50:5060 "$2" \
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
	kill "${UA_PIDS[@]}" 2>/dev/null
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
exchange reg "$work/reg.req"
echo "-- REGISTER as the registrar got it (from $(cat "$work/reg.rx.0.peer" 2>/dev/null)):"
tr -d '\r' < "$work/reg.rx.0" 2>/dev/null | sed 's/^/   /'
check "1. REGISTER arrives from 203.0.113.1:5060 (source port kept)" \
	grep -qx '203.0.113.1:5060' "$work/reg.rx.0.peer"
check "1. Via sent-by is 203.0.113.1:5060" \
	sh -c "tr -d '\r' < $work/reg.rx.0 | grep -q '^Via: SIP/2.0/UDP 203.0.113.1:5060;'"
check "1. Contact is 203.0.113.1:5060" \
	sh -c "tr -d '\r' < $work/reg.rx.0 | grep -q '^Contact: <sip:pbx@203.0.113.1:5060>;expires=600'"
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
check "2. lives for the granted 600 s (+10 s grace): ${ttl:-none} s left" \
	[ "${ttl:-0}" -gt 590 -a "${ttl:-0}" -le 610 ]
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
	sh -c "tr -d '\r' < $work/unreg.rx.0 | grep -q '^Contact: <sip:pbx@203.0.113.1:5060>;expires=0'"
check "5. its 200 reached the UA" [ -s "$work/unreg.got" ]
echo "-- expectations after de-registration:"; expect_lines | sed 's/^/   /'
check_not "5. the pinhole is gone" reg_pinhole
check "5. counted as removed" [ "$(ctr sip_register_pinhole_removed)" = 1 ]
check "5. INVITE 203.0.113.50:5072 -> 203.0.113.1:5060 blocked" \
	nothing_reaches prov 203.0.113.50:5072 203.0.113.1:5060 5060 inv3

echo "-- counters:"; fw cat /proc/net/nf_conntrack_avaya | sed 's/^/   /'
finish
