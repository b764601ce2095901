#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# avaya-sip with scripted peers: the registration pinhole is exact, and bad
# input or a third-party Contact opens nothing.
#
#   ph 10.0.1.2:5060 --- fw: default drop, ct helper "avaya-sip" --- registrar gk 10.0.2.2:5060
#   (10.0.1.3 plays the third party)                             +-- third host x 10.0.3.2
#
# 1. REGISTER/200 with the sender's own Contact: registrar -> 10.0.1.2:5060
#    passes from any registrar port; x, and 10.0.1.2:5061, are blocked.
#    REGISTER expires=0 closes it.
# 2. A REGISTER whose Contact names 10.0.1.3 opens nothing (counted).
# 3. HTTP on 5060 (ndpi capture, UDP and TCP), a truncated REGISTER, a
#    Content-Length past the end and a 1500-byte header pass untouched,
#    are counted and open nothing.
set -u
. "$(dirname "$0")/lib.sh"

MSG="python3 $TOP/tests/sip/sipmsg.py"
work=$(mktemp -d)
REG="--src 10.0.1.2:5060 --dst 10.0.2.2:5060"

ctr() { fw awk -v n="$1" '$1 == n { print $2 }' /proc/net/nf_conntrack_avaya; }

# exchange NAME: REGISTER $work/NAME.req from ph:5060, answered by $work/NAME.ok.
exchange() {
	udp_answer gk 10.0.2.2:5060 "$work/$1.ok" 10
	wait_bound gk 10.0.2.2:5060
	udp_ask ph 10.0.1.2:5060 10.0.2.2:5060 "$work/$1.req" "$work/$1.got"
	wait_bg
}

# reach NS SRC DSTPORT: a request from SRC reaches 10.0.1.x:DSTPORT and is answered.
# 3 s for the round trip: the answer comes from a python server in a TCG guest
# that may share the host with another (1 s failed once on a loaded host, the
# request counted by the helper and the answer not yet sent).
reach() {
	local ns=$1 src=$2 dst=$3
	udp_answer ph "$dst" "$work/probe" 4
	wait_bound ph "$dst"
	udp_ask "$ns" "$src" "$dst" "$work/probe" "$work/probe.got"
	local rc=$?
	kill_tree "$BG"
	wait "$BG" 2>/dev/null
	return $rc
}

printf 'OPTIONS-probe' > "$work/probe"
MSG="msg_add sipmsg"	# queued, built by the msg_build below
$MSG register $REG --contact 10.0.1.2:5060 --expires 60 -o "$work/own.req"
$MSG ok $REG --contact 10.0.1.2:5060 --expires 60 -o "$work/own.ok"
$MSG register $REG --contact 10.0.1.2:5060 --expires 0 --cseq 2 -o "$work/unreg.req"
$MSG ok $REG --expires 0 --cseq 2 -o "$work/unreg.ok"
# A de-registration the registrar does not grant: its 200 still lists the binding.
$MSG register $REG --contact 10.0.1.2:5060 --expires 0 --cseq 7 -o "$work/kept.req"
$MSG ok $REG --contact 10.0.1.2:5060 --expires 60 --cseq 7 -o "$work/kept.ok"
$MSG register $REG --contact 10.0.1.3:5060 --expires 60 --cseq 3 -o "$work/third.req"
$MSG ok $REG --contact 10.0.1.3:5060 --expires 60 --cseq 3 -o "$work/third.ok"
for k in truncated clen-past-end long-header; do
	$MSG "$k" $REG --contact 10.0.1.2:5060 --cseq 9 -o "$work/$k"
done
msg_build || fail "the messages were built"
MSG="python3 $TOP/tests/sip/sipmsg.py"

setup_topology
fw nft -f - <<'EOF2'
table inet fw {
	ct helper sip-udp {
		type "avaya-sip" protocol udp;
	}
	ct helper sip-tcp {
		type "avaya-sip" protocol tcp;
	}
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established,related accept
		ip saddr 10.0.1.0/24 udp dport 5060 ct helper set "sip-udp" accept
		ip saddr 10.0.1.0/24 tcp dport 5060 ct helper set "sip-tcp" accept
	}
}
EOF2

# 1. Own Contact.
exchange own
echo "-- expectations after REGISTER/200:"; expect_lines | sed 's/^/   /'
check "1. 200 reached the UA" [ -s "$work/own.got" ]
reg_pinhole() { expect_lines | grep -Eq 'proto=17 src=10.0.2.2 dst=10.0.1.2 sport=0 dport=5060 .*PERMANENT.*helper=avaya-sip'; }
check "1. pinhole registrar -> 10.0.1.2:5060, any source port" reg_pinhole
check "1. registrar 10.0.2.2:5070 -> 10.0.1.2:5060 passes" reach gk 10.0.2.2:5070 10.0.1.2:5060
check "1. registrar 10.0.2.2:5071 -> 10.0.1.2:5060 passes (permanent)" reach gk 10.0.2.2:5071 10.0.1.2:5060
check_not "1. third host 10.0.3.2 -> 10.0.1.2:5060 blocked" reach x 10.0.3.2:5072 10.0.1.2:5060
check_not "1. registrar -> 10.0.1.2:5061 blocked" reach gk 10.0.2.2:5073 10.0.1.2:5061
check "1. counted as opened" [ "$(ctr sip_register_pinhole_opened)" = 1 ]
before=$(fw conntrack -L -p udp --dport 5060 2>/dev/null; expect_lines)
exchange own
f0=$failed
check "1. re-REGISTER refreshes (one pinhole)" \
	[ "$(ctr sip_register_pinhole_refreshed)" = 1 -a "$(expect_lines | grep -c 'dport=5060 ')" = 1 ]
if [ "$failed" != "$f0" ]; then
	echo "-- flows and expectations before the re-REGISTER:"; echo "$before" | sed 's/^/   /'
	echo "-- after:"; { fw conntrack -L -p udp --dport 5060 2>/dev/null; expect_lines; } | sed 's/^/   /'
	fw cat /proc/net/nf_conntrack_avaya | grep -E '^sip_' | grep -v ' 0$' | sed 's/^/   /'
fi
# Without NAT the pinhole's port is its tuple's (before 7c88823 it was read
# from the unset NAT fields: every binding looked absent from the 200 and went).
exchange kept
check "1. expires=0 that the registrar's 200 does not grant keeps the pinhole" reg_pinhole
check "1. ... and counts no removal" [ "$(ctr sip_register_pinhole_removed)" = 0 ]
exchange unreg
check_not "1. expires=0 removes the pinhole" reg_pinhole
check "1. counted as removed" [ "$(ctr sip_register_pinhole_removed)" = 1 ]
check_not "1. registrar 10.0.2.2:5074 -> 10.0.1.2:5060 blocked after de-registration" \
	reach gk 10.0.2.2:5074 10.0.1.2:5060

# 2. Third-party Contact.
exchange third
check "2. third-party Contact opens nothing" [ -z "$(expect_lines)" ]
check "2. counted" [ "$(ctr sip_refused_contact_not_source)" = 1 ]
check_not "2. registrar -> 10.0.1.3:5060 blocked" reach gk 10.0.2.2:5075 10.0.1.3:5060

# 3. Bad input passes untouched.
send_junk() {	# NAME FILE SPORT: UDP ph -> gk:5060, must arrive byte-identical
	bg gk $NU udp-serve 10.0.2.2:5060 --save "$work/$1.rx" --timeout 15 >/dev/null
	wait_listen gk udp 5060
	ph $NU udp-send "10.0.1.2:$3" 10.0.2.2:5060 "$2" >/dev/null
	wait_bg
	cmp -s "$2" "$work/$1.rx.0"
}
n=0
for k in truncated clen-past-end long-header; do
	before=$(ctr sip_malformed)
	check "3. $k forwarded untouched" send_junk "$k" "$work/$k" $((5100 + n))
	check "3. $k counted malformed" [ "$(ctr sip_malformed)" = $((before + 1)) ]
	n=$((n + 1))
done
HTTP=$TOP/../shared/captures/sip/ndpi-http_on_sip_port.pcap
if [ -r "$HTTP" ] && editcap -F pcap "$HTTP" "$work/http.pcap" 2>/dev/null &&
	python3 "$TOP/tests/lib/pcapkit.py" payload "$work/http.pcap" 3 -o "$work/http" >/dev/null; then
	before=$(ctr sip_not_sip)
	check "3. HTTP request on udp/5060 forwarded untouched" send_junk http "$work/http" 5110
	check "3. HTTP on udp/5060 counted as no SIP" [ "$(ctr sip_not_sip)" = $((before + 1)) ]
	bg gk $NU tcp-serve 10.0.2.2:5060 --count 1
	wait_listen gk tcp 5060
	before=$(ctr sip_malformed)
	check "3. HTTP on tcp/5060 connects" ph $NU tcp-try 10.0.1.2:40000 10.0.2.2:5060 --send "$work/http"
	wait_bg
	sleep 0.3
	check "3. HTTP on tcp/5060 counted malformed" [ "$(ctr sip_malformed)" = $((before + 1)) ]
else
	skip "3. HTTP capture absent or unreadable"
fi
check "3. no pinhole from any of it" [ -z "$(expect_lines)" ]

# 4. Datagrams on 5060 that are no SIP message: RFC 5626 keep-alives (CRLF,
# a STUN binding request) pass and are counted as such, in strict mode
# too; anything else ("hello") is counted as no SIP, dropped in strict.
dgram_through() {	# NAME FILE SPORT: UDP ph -> gk:5060 arrives byte-identical
	bg gk timeout "$(scaled 3)" socat -u UDP4-RECVFROM:5060,bind=10.0.2.2 "CREATE:$work/$1.rx"
	wait_listen gk udp 5060
	ph socat -u "OPEN:$2" "UDP4-SENDTO:10.0.2.2:5060,bind=10.0.1.2:$3"
	wait_bg && cmp -s "$2" "$work/$1.rx"
}
printf '\r\n\r\n' > "$work/crlf"
printf '\000\001\000\000\041\022\244\102abcdefghijkl' > "$work/stun"
printf 'hello' > "$work/hello"
mal=$(ctr sip_malformed)
ka=$(ctr sip_keepalives)
ns=$(ctr sip_not_sip)
check "4. CRLF keep-alive forwarded untouched" dgram_through crlf "$work/crlf" 5120
check "4. STUN binding request forwarded untouched" dgram_through stun "$work/stun" 5121
check "4. hello forwarded untouched" dgram_through hello "$work/hello" 5122
check "4. keep-alives counted (sip_keepalives +2)" [ "$(ctr sip_keepalives)" = $((ka + 2)) ]
check "4. hello counted as no SIP (sip_not_sip +1)" [ "$(ctr sip_not_sip)" = $((ns + 1)) ]
check "4. none counted malformed" [ "$(ctr sip_malformed)" = "$mal" ]
STRICT=/sys/module/nf_conntrack_avaya/parameters/strict
strict0=$(cat "$STRICT")
echo 1 > "$STRICT"
check "4. strict: a CRLF keep-alive still passes" dgram_through crlf2 "$work/crlf" 5123
check "4. strict: a STUN binding request still passes" dgram_through stun2 "$work/stun" 5124
check_not "4. strict: hello is dropped" dgram_through hello2 "$work/hello" 5125
echo "$strict0" > "$STRICT"
echo "-- counters:"; fw grep -E '^sip_' /proc/net/nf_conntrack_avaya | grep -v ' 0$' | sed 's/^/   /'
finish
