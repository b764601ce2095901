#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# avaya-sip over TCP when messages do not line up with segments: each is
# cut into pieces sent as separate segments, and the helper must reassemble
# them (bounded) before it acts. Runs in strict mode, so a split message
# mistaken for a malformed one would be dropped and the exchange would fail.
#
#   ph 10.0.1.2 --- fw: default drop, ct helper "avaya-sip" (tcp) --- registrar gk 10.0.2.2:5060
#                                                                 +-- third host x 10.0.3.2
#
# 1. REGISTER cut in three (inside a header line) and its 200 cut in two:
#    the registration pinhole opens; gk reaches 10.0.1.2:5060 over TCP, x
#    does not; two messages counted as reassembled, none malformed.
# 2. INVITE and its 200, each cut inside the SDP body: the RTP/RTCP
#    pinholes of both offers open; a BYE/200 closes them.
# 3. Two whole messages and the start of a third in one segment, the rest
#    in the next: all three are read.
# 4. A 10 kB message (over the 8 kB bound) is skipped by its Content-Length
#    and counted; the REGISTER after it on the same connection still opens
#    its pinhole.
# 5. Every segment sent twice (netem duplicate): the copies are recognised
#    as retransmissions and not read again.
# 6. Under masquerade, a split REGISTER is tracked but cannot be rewritten
#    (its first part has left already): counted as such.
# 7. Under masquerade, two whole REGISTERs in one segment and a third in
#    the next, every segment duplicated: all are rewritten (the copies too,
#    checked on the wire), and the sequence numbers stay right, so the
#    registrar reads all three.
set -u
. "$(dirname "$0")/lib.sh"

MSG="python3 $TOP/tests/sip/sipmsg.py"
TS="python3 $TOP/tests/sip/tcpsplit.py"
work=$(mktemp -d)
REG="--src 10.0.1.2:5060 --dst 10.0.2.2:5060"
CALL="--src 10.0.1.2:5060 --dst 10.0.2.2:5060 --call-id split-call@avaya.test"

ctr() { fw awk -v n="$1" '$1 == n { print ($2 == "" ? 0 : $2) }' /proc/net/nf_conntrack_avaya; }
size() { stat -c %s "$1"; }

# session NAME CPORT CLIENT-ARGS... : one TCP connection from ph
# 10.0.1.2:CPORT to gk:5060; the registrar answers every message with the
# next --reply file of SERVER. The connection's entry (and with it its
# expectations) stays; $work/NAME.exp is the expectation table at the end.
session() {
	local name=$1 cport=$2 rc
	shift 2
	bg gk $TS server 10.0.2.2:5060 "${SERVER[@]}" --save "$work/$name.srv" --timeout 20
	wait_listen gk tcp 5060
	ph $TS client "10.0.1.2:$cport" 10.0.2.2:5060 "$@" --save "$work/$name.cli" --timeout 10
	rc=$?
	wait_bg
	expect_lines > "$work/$name.exp"
	return $rc
}

# has NAME ERE: the expectation table saved by session NAME matches.
has() { grep -Eq "$2" "$work/$1.exp"; }
# hasnt NAME ERE: the table was saved and does not match.
hasnt() { [ -f "$work/$1.exp" ] && ! grep -Eq "$2" "$work/$1.exp"; }

# inbound SRC-NS SRC: a TCP connection from SRC reaches 10.0.1.2:5060.
inbound() {
	bg ph $NU tcp-serve 10.0.1.2:5060 --count 1
	wait_listen ph tcp 5060
	tcp_try "$1" "$2" 10.0.1.2:5060 2
	local rc=$?
	kill_tree "$BG"
	wait "$BG" 2>/dev/null
	return $rc
}

MSG="msg_add sipmsg"	# queued, built by the msg_build below
$MSG register $REG --contact 10.0.1.2:5060 --expires 120 -o "$work/reg"
$MSG ok $REG --contact 10.0.1.2:5060 --expires 120 -o "$work/reg.ok"
$MSG invite $CALL --media 10.0.1.2:40000 --cseq 1 -o "$work/inv"
$MSG invite-ok $CALL --media 10.0.2.2:30000 --cseq 1 -o "$work/inv.ok"
$MSG bye $CALL --cseq 2 -o "$work/bye"
$MSG bye-ok $CALL --cseq 2 -o "$work/bye.ok"
$MSG register $REG --contact 10.0.1.2:5062 --expires 120 --cseq 5 --user three -o "$work/reg3"
$MSG ok $REG --contact 10.0.1.2:5062 --expires 120 --cseq 5 --user three -o "$work/reg3.ok"
$MSG register $REG --contact 10.0.1.2:5064 --expires 120 --cseq 7 --user after -o "$work/reg7"
$MSG ok $REG --contact 10.0.1.2:5064 --expires 120 --cseq 7 --user after -o "$work/reg7.ok"
$MSG register $REG --contact 10.0.1.2:5066 --expires 120 --cseq 9 --user nat -o "$work/reg9"
$MSG ok $REG --contact 10.0.1.2:5066 --expires 120 --cseq 9 --user nat -o "$work/reg9.ok"
msg_build || fail "the messages were built"
MSG="python3 $TOP/tests/sip/sipmsg.py"
# An OPTIONS with no body, twice, then a REGISTER: one file, cut inside
# the REGISTER.
opt() {
	printf 'OPTIONS sip:10.0.2.2 SIP/2.0\r\nVia: SIP/2.0/TCP 10.0.1.2:5060;branch=z9hG4bK-o%s\r\nFrom: <sip:pbx@10.0.2.2>;tag=o\r\nTo: <sip:10.0.2.2>\r\nCall-ID: opt-%s@avaya.test\r\nCSeq: %s OPTIONS\r\nContent-Length: 0\r\n\r\n' "$1" "$1" "$1"
}
{ opt 1; opt 2; cat "$work/reg3"; } > "$work/three"
THREE_CUT=$(( $(size "$work/three") - $(size "$work/reg3") + 50 ))
# A MESSAGE with a 10000-byte body, then a REGISTER, on one connection.
{
	printf 'MESSAGE sip:10.0.2.2 SIP/2.0\r\nVia: SIP/2.0/TCP 10.0.1.2:5060;branch=z9hG4bK-m1\r\nFrom: <sip:pbx@10.0.2.2>;tag=m\r\nTo: <sip:10.0.2.2>\r\nCall-ID: big@avaya.test\r\nCSeq: 6 MESSAGE\r\nContent-Type: text/plain\r\nContent-Length: 10000\r\n\r\n'
	head -c 10000 /dev/zero | tr '\0' 'a'
} > "$work/big"
BIG_CUT=$(seq -s, 1000 1000 9000)
printf 'SIP/2.0 200 OK\r\nVia: SIP/2.0/TCP 10.0.1.2:5060;branch=z9hG4bK-m1\r\nFrom: <sip:pbx@10.0.2.2>;tag=m\r\nTo: <sip:10.0.2.2>;tag=r\r\nCall-ID: big@avaya.test\r\nCSeq: 6 MESSAGE\r\nContent-Length: 0\r\n\r\n' > "$work/big.ok"
printf 'SIP/2.0 200 OK\r\nVia: SIP/2.0/TCP 10.0.1.2:5060;branch=z9hG4bK-o1\r\nFrom: <sip:pbx@10.0.2.2>;tag=o\r\nTo: <sip:10.0.2.2>;tag=r\r\nCall-ID: opt-1@avaya.test\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n' > "$work/opt.ok"

setup_topology
fw nft -f - <<'EOF2'
table inet fw {
	ct helper sip-tcp {
		type "avaya-sip" protocol tcp;
	}
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established,related accept
		ip saddr 10.0.1.0/24 tcp dport 5060 ct helper set "sip-tcp" accept
	}
}
EOF2
echo 1 > /sys/module/nf_conntrack_avaya/parameters/strict

# 1. REGISTER in three segments, 200 in two.
SERVER=(--reply "$work/reg.ok" --cut 80)
r0=$(ctr sip_tcp_reassembled)
check "1. REGISTER (cut at 60,150) and 200 (cut at 80) exchanged" \
	session reg 5071 --send "$work/reg" --cut 60,150
check "1. the registrar got the REGISTER byte for byte" cmp -s "$work/reg" "$work/reg.srv"
echo "-- expectations:"; sed 's/^/   /' "$work/reg.exp"
check "1. pinhole 10.0.2.2 -> 10.0.1.2:5060 tcp" \
	has reg 'proto=6 .*src=10.0.2.2 dst=10.0.1.2 sport=0 dport=5060 '
check "1. registrar reaches 10.0.1.2:5060 over TCP" inbound gk 10.0.2.2:41000
check_not "1. third host does not" inbound x 10.0.3.2:41001
check "1. both split messages counted reassembled" \
	[ $(( $(ctr sip_tcp_reassembled) - r0 )) -eq 2 ]

# 2. INVITE / 200 with SDP cut inside the body, then BYE / 200 on the same
#    connection; the table is saved after each answer.
SERVER=(--reply "$work/inv.ok" --cut $(( $(size "$work/inv.ok") - 30 )) --reply "$work/bye.ok")
check "2. INVITE/200 (SDP cut in the body) then BYE/200 exchanged" \
	session call 5072 --lockstep --after "ip netns exec fw conntrack -L expect > $work/call.\$STEP.exp 2>/dev/null" \
	--send "$work/inv" --cut $(( $(size "$work/inv") - 40 )) --send "$work/bye" --cut ''
echo "-- expectations with the call up:"; sed 's/^/   /' "$work/call.1.exp"
check "2. RTP pinhole 10.0.2.2 -> 10.0.1.2:40000 (offer)" \
	has call.1 'proto=17 .*src=10.0.2.2 dst=10.0.1.2 .*dport=40000 '
check "2. RTCP pinhole 10.0.2.2 -> 10.0.1.2:40001 (offer)" \
	has call.1 'proto=17 .*src=10.0.2.2 dst=10.0.1.2 .*dport=40001 '
check "2. RTP pinhole 10.0.1.2 -> 10.0.2.2:30000 (answer)" \
	has call.1 'proto=17 .*src=10.0.1.2 dst=10.0.2.2 .*dport=30000 '
check "2. no media pinhole after BYE" hasnt call.2 'dport=(40000|40001|30000|30001) '

# 3. Two whole messages and a split third in one segment.
m0=$(ctr sip_messages)
SERVER=(--reply "$work/opt.ok" --reply "$work/opt.ok" --reply "$work/reg3.ok")
check "3. OPTIONS, OPTIONS + REGISTER start in one segment, rest in the next" \
	session three 5073 --send "$work/three" --cut "$THREE_CUT" --replies 3
echo "   sip_messages +$(( $(ctr sip_messages) - m0 ))"
check "3. all six messages read (three each way)" \
	[ $(( $(ctr sip_messages) - m0 )) -eq 6 ]
check "3. the third (REGISTER, Contact :5062) opened its pinhole" \
	has three 'proto=6 .*dst=10.0.1.2 sport=0 dport=5062 '

# 4. Over the bound: skipped by length, the next message still read.
s0=$(ctr sip_tcp_split_skipped)
SERVER=(--reply "$work/big.ok" --reply "$work/reg7.ok")
check "4. 10 kB MESSAGE (ten segments) and a REGISTER exchanged" \
	session big 5074 --send "$work/big" --cut "$BIG_CUT" --send "$work/reg7" --cut '' --replies 2
check "4. the long message counted skipped" [ $(( $(ctr sip_tcp_split_skipped) - s0 )) -eq 1 ]
check "4. the REGISTER after it opened its pinhole (:5064)" \
	has big 'proto=6 .*dst=10.0.1.2 sport=0 dport=5064 '

# 5. Duplicated segments.
$MSG register $REG --contact 10.0.1.2:5068 --expires 120 --cseq 11 --user dup -o "$work/reg11"
$MSG ok $REG --contact 10.0.1.2:5068 --expires 120 --cseq 11 --user dup -o "$work/reg11.ok"
m0=$(ctr sip_messages)
d0=$(ctr sip_tcp_retransmit_ignored)
ph tc qdisc add dev eth0 root netem duplicate 100%
SERVER=(--reply "$work/reg11.ok")
check "5. split REGISTER with every segment duplicated exchanged" \
	session dup 5076 --send "$work/reg11" --cut 90
ph tc qdisc del dev eth0 root
echo "   sip_messages +$(( $(ctr sip_messages) - m0 )), retransmissions ignored +$(( $(ctr sip_tcp_retransmit_ignored) - d0 ))"
check "5. the duplicates were recognised" [ $(( $(ctr sip_tcp_retransmit_ignored) - d0 )) -ge 2 ]
check "5. each message read once" [ $(( $(ctr sip_messages) - m0 )) -eq 2 ]
check "5. its pinhole opened (:5068)" has dup 'proto=6 .*dst=10.0.1.2 sport=0 dport=5068 '

echo "-- counters:"; fw grep -E '^(sip_|dropped_strict)' /proc/net/nf_conntrack_avaya | grep -v ' 0$' | sed 's/^/   /'
check "no message taken for malformed" [ "$(ctr sip_malformed)" = 0 ]
check "strict mode dropped nothing" [ "$(ctr dropped_strict)" = 0 ]

# 6. Masquerade: a split message cannot be rewritten, and says so.
fw nft -f - <<'EOF2'
table ip nat {
	chain post {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "gk0" masquerade
	}
}
EOF2
n0=$(ctr sip_nat_split_unrewritten)
SERVER=(--reply "$work/reg9.ok" --cut 60)
check "6. split REGISTER through masquerade exchanged" \
	session nat 5075 --send "$work/reg9" --cut 100,200
check "6. counted as split and not rewritten" \
	[ $(( $(ctr sip_nat_split_unrewritten) - n0 )) -ge 1 ]
# 7. Two rewritten messages in one segment, duplicates, under masquerade.
for n in 12 13 14; do
	$MSG register $REG --contact 10.0.1.2:50$n --expires 120 --cseq $n --user nat$n -o "$work/reg$n"
	$MSG ok $REG --contact 10.0.1.2:50$n --expires 120 --cseq $n --user nat$n -o "$work/reg$n.ok"
done
cat "$work/reg12" "$work/reg13" > "$work/two"
w0=$(ctr sip_nat_rewritten)
bg gk tcpdump -q -n -U -s 0 -i eth0 -w "$work/nat.pcap" tcp port 5060 2>/dev/null
DUMP=$BG
sleep 1
ph tc qdisc add dev eth0 root netem duplicate 100%
SERVER=(--reply "$work/reg12.ok" --reply "$work/reg13.ok" --reply "$work/reg14.ok")
check "7. two REGISTERs in one segment, a third in the next, all answered" \
	session nat2 5077 --send "$work/two" --cut '' --send "$work/reg14" --cut '' --replies 3
ph tc qdisc del dev eth0 root
sleep 0.5
kill_tree "$DUMP"
wait "$DUMP" 2>/dev/null
echo "   sip_nat_rewritten +$(( $(ctr sip_nat_rewritten) - w0 ))"
check "7. the registrar read three REGISTERs" \
	[ "$(grep -c '^REGISTER ' "$work/nat2.srv")" -eq 3 ]
grep -E '^(Via|Contact):' "$work/nat2.srv" | sed 's/^/   /'
check "7. each names the public address 10.0.2.1 in Via and Contact" \
	[ "$(grep -Ec '^(Via: SIP/2.0/UDP |Contact: <sip:nat1[234]@)10\.0\.2\.1:' "$work/nat2.srv")" -eq 6 ]
# What the PBX side sent, as the registrar's wire saw it.
sent() { tcpdump -r "$work/nat.pcap" -A 'src host 10.0.2.1' 2>/dev/null; }
echo "   segments from 10.0.2.1 with data: $(tcpdump -r "$work/nat.pcap" -n 'src host 10.0.2.1 and tcp[13] & 8 != 0' 2>/dev/null | wc -l)"
check "7. the capture holds the REGISTERs, duplicates included" \
	[ "$(sent | grep -c 'REGISTER sip:')" -ge 4 ]
check_not "7. no segment the PBX side sent, duplicates included, names 10.0.1.2" \
	sh -c "tcpdump -r '$work/nat.pcap' -A 'src host 10.0.2.1' 2>/dev/null | grep -q '10\.0\.1\.2'"

echo 0 > /sys/module/nf_conntrack_avaya/parameters/strict
rm -rf "$work"
finish
