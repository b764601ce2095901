#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# avaya-vm: ownboot (it unloads our modules: a guest of its own)
#
# Unloading and reloading the modules with live pinholes and traffic.
#
#   ns "ph" phone/UA 10.0.1.2, 10.0.1.3 ---- fw: masquerade 10.0.2.1 on gk0 ---- ns "gk" 10.0.2.2
#                                            routed to x0                        RAS :1719, SIP :5060
#                                            default drop, ct helpers           ns "x" 10.0.3.2
#                                                                                SIP over TCP :5060
#
# 0. Live state: a RAS registration (NATed), a SIP registration over UDP
#    (NATed) and over TCP (routed, 10.0.1.3 -> x), a SIP call with media.
# 1. rmmod nf_nat_avaya: no expectation with one of its expectfns may stay
#    (SIP ones did, C2); the next inbound INVITE to the public :5060 and
#    the gatekeeper's call to :1720 must not reach a freed expectfn.
# 2. CYCLES (20; 50 took 152 s under TCG on a loaded host) reloads of nf_nat_avaya, every 5th one of all three modules
#    (the ruleset pins the conntrack helpers: it is removed and loaded
#    again, which autoloads them), while a sender loop keeps REGISTER,
#    RRQ and RTP flowing.
# 3. After the last reload the old pinholes' traffic again; with the
#    conntrack table flushed (flows that started while the ruleset was out
#    have no helper), registering again gives the pinholes back.
# 4. Final unload: no expectation or conntrack names our helpers, the use
#    counts are back to what the module dependencies hold, and the modules
#    are gone.
set -u
. "$(dirname "$0")/lib.sh"

RAS="python3 $TOP/tests/lib/h225ras.py"
MSG="python3 $TOP/tests/sip/sipmsg.py"
CYCLES=${CYCLES:-20}
work=$(mktemp -d)
MODS="nf_nat_avaya nf_conntrack_avaya avaya_codec"

ruleset() {
	fw nft -f - <<'EOF'
table inet fw {
	ct helper ras {
		type "avaya-ras" protocol udp;
	}
	ct helper sip-udp {
		type "avaya-sip" protocol udp;
	}
	ct helper sip-tcp {
		type "avaya-sip" protocol tcp;
	}
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established,related accept
		iifname "ph0" udp dport 1719 ct helper set "ras" accept
		iifname "ph0" udp dport 5060 ct helper set "sip-udp" accept
		iifname "ph0" tcp dport 5060 ct helper set "sip-tcp" accept
	}
}
table ip nat {
	chain post {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "gk0" masquerade
	}
}
EOF
}

# A SIP registrar over TCP that answers every request with FILE, and its client.
cat > "$work/tcpsip.py" <<'EOF_PY'
import os
import socket
import sys

SCALE = float(os.environ.get('AVAYA_TIME_SCALE') or 1)

if sys.argv[1] == 'serve':
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    host, port = sys.argv[2].rsplit(':', 1)
    s.bind((host, int(port)))
    s.listen(8)
    reply = open(sys.argv[3], 'rb').read()
    while True:
        c, _ = s.accept()
        c.settimeout(3 * SCALE)
        try:
            if c.recv(65535):
                c.sendall(reply)
        except OSError:
            pass
        c.close()
host, port = sys.argv[2].rsplit(':', 1)
dhost, dport = sys.argv[3].rsplit(':', 1)
c = socket.create_connection((dhost, int(dport)), timeout=3 * SCALE,
                             source_address=(host, int(port)))
c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b'\1\0\0\0\0\0\0\0')
c.sendall(open(sys.argv[4], 'rb').read())
sys.exit(0 if c.recv(65535).startswith(b'SIP/2.0 200') else 1)
EOF_PY
TCPSIP="python3 $work/tcpsip.py"

build_messages() {
	$RAS rrq --seq 1 --csa 10.0.1.2:1720 --ras 10.0.1.2:49300 --ttl 300 -o "$work/rrq"
	$RAS rcf --seq 1 --csa 10.0.2.2:1720 --ttl 300 --endpoint-id EP1 -o "$work/rcf"
	$MSG register --src 10.0.1.2:5060 --dst 10.0.2.2:5060 --contact 10.0.1.2:5060 \
		--expires 300 -o "$work/reg"
	$MSG ok --src 10.0.1.2:5060 --dst 10.0.2.2:5060 --contact 10.0.2.1:5060 \
		--expires 300 -o "$work/reg.ok"
	$MSG register --src 10.0.1.3:5062 --dst 10.0.3.2:5060 --contact 10.0.1.3:5062 \
		--expires 300 -o "$work/treg"
	$MSG ok --src 10.0.1.3:5062 --dst 10.0.3.2:5060 --contact 10.0.1.3:5062 \
		--expires 300 -o "$work/treg.ok"
	$MSG invite --src 10.0.1.2:5060 --dst 10.0.2.2:5060 --media 10.0.1.2:4000 \
		--call-id mc-call@avaya.test -o "$work/call"
	$MSG invite --src 10.0.2.2:5070 --dst 10.0.2.1:5060 --call-id mc-in@avaya.test \
		-o "$work/inbound"
	printf 'SIP/2.0 100 Trying\r\nContent-Length: 0\r\n\r\n' > "$work/trying"
}

# The peers answer for the whole run: RAS on gk:1719, SIP/UDP on gk:5060,
# SIP/TCP on x:5060; the UA side listens on 10.0.1.2:5060 and :4000.
start_peers() {
	bg gk $NU udp-serve 10.0.2.2:1719 --reply "$work/rcf" --count 100000 --timeout 600 >/dev/null
	bg gk $NU udp-serve 10.0.2.2:5060 --reply "$work/reg.ok" --count 100000 --timeout 600 >/dev/null
	bg x $TCPSIP serve 10.0.3.2:5060 "$work/treg.ok"
	wait_listen gk udp 1719 && wait_listen gk udp 5060 && wait_listen x tcp 5060
}

register_all() {
	ph $NU udp-send 10.0.1.2:49300 10.0.2.2:1719 "$work/rrq" \
		--expect-reply "$work/rcf.got" --timeout 3 >/dev/null &&
	ph $NU udp-send 10.0.1.2:5060 10.0.2.2:5060 "$work/reg" \
		--expect-reply "$work/reg.got" --timeout 3 >/dev/null &&
	ph $TCPSIP client 10.0.1.3:5062 10.0.3.2:5060 "$work/treg"
}

# pinhole PROTO PORT: an expectation from the peer to the public address.
pinhole() {
	expect_lines | grep -q "proto=$1 src=10.0.2.2 dst=10.0.2.1 sport=[0-9]* dport=$2 "
}

# public_pinholes: how many expectations lead to the public address.
public_pinholes() { expect_lines | grep -c "dst=10.0.2.1 "; }

# inbound_invite SPORT: the INVITE an old registration pinhole admitted,
# from a source port of its own (a refused one leaves a conntrack entry
# that the next one from that port would match); does it reach the UA?
inbound_invite() {
	bg ph $NU udp-recv 10.0.1.2:5060 --timeout 6 --count 1
	wait_listen ph udp 5060 || return 1
	gk $NU udp-send "10.0.2.2:$1" 10.0.2.1:5060 "$work/inbound" >/dev/null
	wait_bg
}

# gk_call: the gatekeeper's Q.931 connection to the public :1720.
gk_call() {
	forget_tcp
	tcp_try gk 10.0.2.2:61000 10.0.2.1:1720 1.5
}

# rtp_in PORT: a datagram from the peer to the public PORT.
rtp_in() {
	gk $NU udp-send 10.0.2.2:40000 "10.0.2.1:$1" "$work/trying" >/dev/null
}

# The sender loop: re-registrations, RAS keepalive-like RRQs, RTP.
sender_loop() {
	while :; do
		ph $NU udp-send 10.0.1.2:5060 10.0.2.2:5060 "$work/reg" >/dev/null 2>&1
		ph $NU udp-send 10.0.1.2:49300 10.0.2.2:1719 "$work/rrq" >/dev/null 2>&1
		ph $NU udp-send 10.0.1.2:4000 10.0.2.2:40000 "$work/trying" >/dev/null 2>&1
		ph $TCPSIP client 10.0.1.3:5062 10.0.3.2:5060 "$work/treg" >/dev/null 2>&1
		rtp_in 4000 2>/dev/null
	done
}

reload_nat() {
	modprobe -r nf_nat_avaya && modprobe nf_nat_avaya
}

# All three: the ruleset's helper objects hold nf_conntrack_avaya.
reload_all() {
	fw nft flush ruleset &&
	modprobe -r $MODS &&
	ruleset &&
	modprobe nf_nat_avaya
}

# The use count of each module is what its loaded dependents hold.
refcnt_is_deps() {
	local m

	for m in $MODS; do
		[ "$(cat "/sys/module/$m/refcnt")" = "$(ls "/sys/module/$m/holders" | wc -l)" ] ||
			{ echo "   $m: refcnt $(cat "/sys/module/$m/refcnt")"; return 1; }
	done
}

setup_topology
build_messages
fw conntrack -F >/dev/null 2>&1
fw conntrack -F expect >/dev/null 2>&1
ruleset
modprobe nf_nat_avaya
start_peers

echo "== 0. live registrations and a call"
check "0. RAS, SIP/UDP and SIP/TCP registrations" register_all
check "0. the call's INVITE reaches the peer" \
	ph $NU udp-send 10.0.1.2:5060 10.0.2.2:5060 "$work/call" \
	--expect-reply "$work/call.got" --timeout 3
echo "-- expectations:"; expect_lines | sed 's/^/   /'
check "0. SIP registration pinhole -> 10.0.2.1:5060" pinhole 17 5060
check "0. RAS reverse pinhole -> 10.0.2.1:1720" pinhole 6 1720
check "0. media pinhole -> 10.0.2.1:4000" pinhole 17 4000

echo "== 1. rmmod nf_nat_avaya with them"
check "1. rmmod nf_nat_avaya" modprobe -r nf_nat_avaya
echo "-- expectations:"; expect_lines | sed 's/^/   /'
check "1. no expectation to the public address is left" [ "$(public_pinholes)" = 0 ]
check_not "1. the old registration pinhole admits no INVITE" inbound_invite 5070
check_not "1. the old RAS pinhole admits no call" gk_call
rtp_in 4000
check "1. modprobe nf_nat_avaya" modprobe nf_nat_avaya
check "1. registering again" register_all
check "1. ... gives the registration pinhole back" pinhole 17 5060
check "1. an INVITE to 10.0.2.1:5060 reaches the UA" inbound_invite 5071

echo "== 2. $CYCLES reloads under traffic"
sender_loop >/dev/null 2>&1 &
LOOP=$!
PIDS+=("$LOOP")
t0=$(date +%s)
bad=0
for i in $(seq 1 "$CYCLES"); do
	if [ $((i % 5)) = 0 ]; then
		reload_all || { echo "   cycle $i: reloading all modules failed"; bad=$((bad + 1)); }
	else
		reload_nat || { echo "   cycle $i: reloading nf_nat_avaya failed"; bad=$((bad + 1)); }
	fi
done
echo "   $CYCLES cycles in $(($(date +%s) - t0)) s"
check "2. every reload succeeded" [ "$bad" = 0 ]
kill_tree "$LOOP"
wait "$LOOP" 2>/dev/null
check "2. the modules are loaded" test -d /sys/module/nf_nat_avaya -a -d /sys/module/nf_conntrack_avaya

echo "== 3. after the last reload"
rtp_in 4000
inbound_invite 5072
gk_call
# Flows that started while the ruleset was out have no helper (and no
# NAT): as after any ruleset reload, they must start again.
fw conntrack -F >/dev/null 2>&1
check "3. registering again" register_all
check "3. ... gives the registration pinhole back" pinhole 17 5060
check "3. ... and the RAS one" pinhole 6 1720
check "3. an INVITE to 10.0.2.1:5060 reaches the UA" inbound_invite 5073

echo "== 4. final unload"
fw nft flush ruleset
kill_tree "${PIDS[@]}"
wait 2>/dev/null
PIDS=()
check "4. use counts are what the dependencies hold" refcnt_is_deps
check "4. modprobe -r $MODS" modprobe -r $MODS
check "4. no expectation is left" [ "$(expect_lines | grep -c .)" = 0 ]
check "4. no conntrack names an avaya helper" \
	[ "$(fw conntrack -L 2>/dev/null | grep -c 'helper=avaya')" = 0 ]
for m in $MODS; do
	check "4. $m is unloaded" test ! -d "/sys/module/$m"
done
rm -rf "$work"
finish
