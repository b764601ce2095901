#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Copyright (C) 2026 The nf_conntrack_avaya authors
#
# Build each call signalling message with tests/lib/h323call.py, wrap it in
# TCP (1720 for Q.931, 1300 decoded as H.245) with scapy, and let tshark's
# H.225.0/H.245 dissectors, an independent decoder, say what is in it: the
# message type, the addresses, no "Malformed". The same bytes then go through
# our decoder (tests/unit/bin/call_decode), which must find the same
# addresses.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
gen="python3 $top/tests/lib/h323call.py"
# scapy comes from Debian's python3-scapy; a pyenv python may not see it.
py=/usr/bin/python3
[ -x "$py" ] || py=python3
decoder=$top/tests/unit/bin/call_decode
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0

command -v tshark >/dev/null || { echo "SKIP: tshark not installed"; exit 0; }
make -s -C "$top/tests/unit" bin/call_decode >/dev/null || exit 1

pass() { echo "PASS: $*"; passed=$((passed + 1)); }
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }

# pcap FILE PORT HEX: one TCP segment 10.9.0.1:40000 -> 10.9.0.2:PORT.
pcap() {
	"$py" - "$@" <<'PY'
import sys
from scapy.all import Ether, IP, TCP, wrpcap
out, port, data = sys.argv[1], int(sys.argv[2]), bytes.fromhex(sys.argv[3])
wrpcap(out, [Ether() / IP(src='10.9.0.1', dst='10.9.0.2') /
             TCP(sport=40000, dport=port, flags='PA', seq=1) / data])
PY
}

# fields PCAP FIELD...: tshark's values, fields joined by ';'.
fields() {
	local f=$1 args=()
	shift
	for x in "$@"; do args+=(-e "$x"); done
	tshark -r "$f" -d tcp.port==1300,h245 -T fields -E separator=';' \
		-E aggregator=, "${args[@]}" 2>/dev/null
}

# Our decoder's "ip port" pairs, sorted, and tshark's, must agree.
ours() {
	"$decoder" "$@" | awk '/ ok=1$/ { print $(NF-3) " " $(NF-2) }' | sort -u
}

# check NAME PORT EXPECTED FIELDS -- GENERATOR-ARGS
check() {
	local name=$1 port=$2 want=$3 flds=$4 hex got
	shift 5
	hex=$($gen "$@") || { fail "$name: h323call.py $*"; return; }
	pcap "$tmp/$name.pcap" "$port" "$hex"
	# shellcheck disable=SC2086
	got=$(fields "$tmp/$name.pcap" $flds)
	if tshark -r "$tmp/$name.pcap" -d tcp.port==1300,h245 -V 2>/dev/null |
	   grep -q -i malformed; then
		fail "$name: tshark says malformed"
	elif [ "$got" != "$want" ]; then
		fail "$name: tshark '$got', want '$want'"
	else
		pass "$name: $got"
	fi
	echo "$hex" > "$tmp/$name.hex"
}

# agree NAME PORT WANT_PAIRS [-h245]: our decoder's addresses.
agree() {
	local name=$1 want=$2 got
	shift 2
	got=$(ours "$@" "$(cat "$tmp/$name.hex")" | tr '\n' ' ')
	if [ "$got" = "$want" ]; then
		pass "$name: decoder finds $got"
	else
		fail "$name: decoder finds '$got', want '$want'"
	fi
}

Q="q931.message_type h225.h323_message_body h225.h245Ip h225.h245IpPort"
M="h245.forwardLogicalChannelNumber h245.ip4_network h245.tsapIdentifier"

check setup_faststart 1720 \
	"0x05;0;10.0.0.1;1300;10.0.0.2,10.0.0.1;1720,40000;1,2;10.0.0.1,10.0.0.1,10.0.0.1,10.0.0.1,10.0.0.1,10.0.0.1;5001,5000,5001,5003,5002,5003" \
	"$Q h225.ipV4 h225.ipV4_port $M" -- \
	setup --cref 7 --h245 10.0.0.1:1300 --src-csa 10.0.0.1:40000 \
	--dst-csa 10.0.0.2:1720 --fs 10.0.0.1:5000 --fs 10.0.0.1:5002 \
	--nsc 0102030405
agree setup_faststart "10.0.0.1 1300 10.0.0.1 40000 10.0.0.1 5000 10.0.0.1 5001 10.0.0.1 5002 10.0.0.1 5003 10.0.0.2 1720 "

check call_proceeding 1720 "0x02;1;10.0.0.2;1301" "$Q" -- \
	callproceeding --h245 10.0.0.2:1301
agree call_proceeding "10.0.0.2 1301 "

check alerting_faststart 1720 "0x01;3;;;1;10.0.0.2,10.0.0.2;6000,6001" \
	"$Q $M" -- alerting --fs 10.0.0.2:6000
agree alerting_faststart "10.0.0.2 6000 10.0.0.2 6001 "

check connect_h245 1720 "0x07;2;10.0.0.2;1302" "$Q" -- \
	connect --h245 10.0.0.2:1302

check connect_ipv6 1720 "0x07;2;2001:db8::2;1302" \
	"q931.message_type h225.h323_message_body h225.h245Ip6 h225.h245Ip6port" -- \
	connect --h245 '[2001:db8::2]:1302'
agree connect_ipv6 "2001:db8:0:0:0:0:0:2 1302 "

check connect_tunnelled 1720 \
	"0x07;2;1;1,1;10.0.0.2,10.0.0.2,10.0.0.2;6001,6002,6003" \
	"q931.message_type h225.h323_message_body h225.h245Tunnelling $M" -- \
	connect --tunnelling --tunnel-olc 10.0.0.2:6000 \
	--tunnel-olc-ack 10.0.0.2:6002
agree connect_tunnelled "10.0.0.2 6001 10.0.0.2 6002 10.0.0.2 6003 "

check facility_tunnelled 1720 "0x62;6;1;1;10.0.0.1;5001" \
	"q931.message_type h225.h323_message_body h225.h245Tunnelling $M" -- \
	facility --tunnel-olc 10.0.0.1:5000 --nsd aabbcc --nsc 01020304
agree facility_tunnelled "10.0.0.1 5001 "

check facility_h245 1720 "0x62;6;10.0.0.1;1300" "$Q" -- \
	facility --h245 10.0.0.1:1300
agree facility_h245 "10.0.0.1 1300 "

check release_complete 1720 "0x5a;5;5" \
	"q931.message_type h225.h323_message_body h245.command" -- \
	releasecomplete --tunnel-end

check h245_olc 1300 "5;10.0.0.1,10.0.0.1,10.0.0.1;5001,5000,5001" "$M" -- \
	olc --channel 5 --ctrl 10.0.0.1:5001 --rev-media 10.0.0.1:5000 \
	--rev-ctrl 10.0.0.1:5001
agree h245_olc "10.0.0.1 5000 10.0.0.1 5001 " -h245

check h245_olc_ack 1300 "5;10.0.0.1,10.0.0.1;5000,5001" "$M" -- \
	olcack --channel 5 --media 10.0.0.1:5000 --ctrl 10.0.0.1:5001
agree h245_olc_ack "10.0.0.1 5000 10.0.0.1 5001 " -h245

check h245_olc_ack_ipv6 1300 "5;2001:db8::1;5000" \
	"h245.forwardLogicalChannelNumber h245.ip6_network h245.ipv6.tsapIdentifier" -- \
	olcack --channel 5 --media '[2001:db8::1]:5000'
agree h245_olc_ack_ipv6 "2001:db8:0:0:0:0:0:1 5000 " -h245

check h245_close_logical_channel 1300 "4;5" \
	"h245.request h245.forwardLogicalChannelNumber" -- clc --channel 5

check h245_end_session 1300 "5" "h245.command" -- endsession

# H.235 tokens sit at a different addition in each UUIE (Setup 4,
# CallProceeding/Alerting/Connect 2, Facility 3, ReleaseComplete 1):
# tshark must find both token lists where h323call.py put them, and our
# decoder must report them (nat_mode=auto leaves such messages untouched).
tokens_agree() {
	local name=$1 want=$2 got
	got=$("$decoder" "$(cat "$tmp/$name.hex")" | grep -o 'tokens=[01] crypto=[01]')
	if [ "$got" = "$want" ]; then
		pass "$name: decoder reports $got"
	else
		fail "$name: decoder reports '$got', want '$want'"
	fi
}

T="q931.message_type h225.tokens h225.cryptoTokens"
for msg in setup:0x05 callproceeding:0x02 alerting:0x01 connect:0x07 \
	   facility:0x62 releasecomplete:0x5a; do
	check "${msg%%:*}_tokens" 1720 "${msg#*:};1;1" "$T" -- \
		"${msg%%:*}" --h245 10.0.0.1:1300 --tokens --crypto-tokens
	tokens_agree "${msg%%:*}_tokens" "tokens=1 crypto=1"
	check "${msg%%:*}_crypto_only" 1720 "${msg#*:};;1" "$T" -- \
		"${msg%%:*}" --crypto-tokens
	tokens_agree "${msg%%:*}_crypto_only" "tokens=0 crypto=1"
done
check setup_plain 1720 "0x05;;" "$T" -- setup --src-csa 10.0.0.1:40000
tokens_agree setup_plain "tokens=0 crypto=0"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
