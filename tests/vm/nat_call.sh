#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# nf_nat_avaya: an H.323 call from a phone behind source NAT.
#
#   phone 10.0.1.2 --- fw: default drop, ct helper avaya-q931 on tcp/1720, --- peer 10.0.2.2
#                      snat to 203.0.113.1 out of gk0 (also on gk0)     +-- third host 10.0.3.2
#
# 1. The phone calls the peer (10.0.1.2:32803 -> 10.0.2.2:1720). What the
#    peer receives announces 203.0.113.1 and the public ports, byte for byte
#    (the private ports: nothing else expects on them):
#    Setup (fastStart + tunnelled OLC: RTCP 5001, RTP 5000), Facility
#    (tunnelled OLCAck: 5000/5001), Facility (startH245, h245Address 1300);
#    the peer's Connect (tunnelled OLCAck 6000/6001) arrives untouched.
# 1b. A second phone, 10.0.1.3, calls with the same private media ports:
#    5000/5001 are taken on 203.0.113.1, so its Setup announces the other
#    public ports its pinholes got, and they reach 10.0.1.3.
# 2. The peer opens H.245 to 203.0.113.1:1300, which reaches the phone's
#    tcp/1300 with avaya-h245; on it the peer's OLC (RTCP 7001) arrives
#    untouched and the phone's OLCAck (5002/5003) announces 203.0.113.1.
# 3. Media: the peer reaches 203.0.113.1:5000/5001/5002 -> phone, the phone
#    reaches the peer's 6000 (seen from 203.0.113.1); neighbouring public
#    ports, the private address and the third host are blocked.
# 4. ReleaseComplete removes every pinhole, the H.245 connection's too.
# 5. The capture on the public side, decoded by tshark: only 203.0.113.1 and
#    the mapped ports, nothing malformed, no private address in any payload.
# 6. At the media cap (16 expectations): a new call whose Facility carries 8
#    fastStart proposals (RTP+RTCP each, the last RTCP announced twice), then
#    a tunnelled OLCAck announcing the first proposal's 6100/6101 again.
#    Both arrive with 203.0.113.1 and the ports of the pending pinholes, and
#    there are still exactly 16. A new address at the cap (6200/6201) is
#    refused and gets no pinhole.
set -u
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib/callscen.sh"

PUB=203.0.113.1
PH=10.0.1.2
PEER=10.0.2.2
work=$(mktemp -d)

# build NAME ARGS...: the message as the phone sends it ($work/NAME) and as
# the peer must receive it ($work/NAME.pub: every $PH replaced by $PUB).
build() {
	local name=$1 arg a
	local pub=()

	shift
	$CALL "$@" --raw -o "$work/$name"
	for arg in "$@"; do
		a=${arg//$PH:/$PUB:}
		pub+=("$a")
	done
	$CALL "${pub[@]}" --raw -o "$work/$name.pub"
}

build setup setup --cref 9 --tunnelling --fs $PH:5000 --tunnel-olc $PH:5000
build connect connect --cref 9 --tunnelling --tunnel-olc-ack $PEER:6000
build fac_ack facility --cref 9 --tunnel-olc-ack $PH:5000
build fac_h245 facility --cref 9 --h245 $PH:1300
build olc olc --channel 2 --ctrl $PEER:7001
build olc_ack olcack --channel 2 --media $PH:5002 --ctrl $PH:5003
build rlc releasecomplete --cref 9
$CALL setup --cref 10 --fs 10.0.1.3:5000 --raw -o "$work/setup_b"
$CALL releasecomplete --cref 10 --raw -o "$work/rlc_b"
cat > "$work/plan.json" <<JSON
{"conns": {"q931": {"client": ["ph", "$PH:32803"], "server": ["gk", "$PEER:1720"]},
	   "q931b": {"client": ["ph", "10.0.1.3:32804"], "server": ["gk", "$PEER:1721"]},
	   "h245": {"client": ["gk", "$PEER:40100"], "server": ["ph", "$PH:1300"],
		    "connect": "$PUB:1300"}},
 "steps": [{"conn": "q931", "from": "client", "hex": "$(hexof "$work/setup")",
	    "expect": "$(hexof "$work/setup.pub")"},
	   {"conn": "q931", "from": "server", "hex": "$(hexof "$work/connect")"},
	   {"conn": "q931", "from": "client", "hex": "$(hexof "$work/fac_ack")",
	    "expect": "$(hexof "$work/fac_ack.pub")"},
	   {"conn": "q931", "from": "client", "hex": "$(hexof "$work/fac_h245")",
	    "expect": "$(hexof "$work/fac_h245.pub")"},
	   {"conn": "q931b", "from": "client", "hex": "$(hexof "$work/setup_b")",
	    "save": "$work/setup_b.rx"},
	   {"mark": "$work/signalled"}, {"wait": "$work/go_h245"},
	   {"conn": "h245", "from": "client", "hex": "$(hexof "$work/olc")"},
	   {"conn": "h245", "from": "server", "hex": "$(hexof "$work/olc_ack")",
	    "expect": "$(hexof "$work/olc_ack.pub")"},
	   {"mark": "$work/connected"}, {"wait": "$work/release"},
	   {"conn": "q931", "from": "client", "hex": "$(hexof "$work/rlc")"},
	   {"conn": "q931b", "from": "client", "hex": "$(hexof "$work/rlc_b")"},
	   {"mark": "$work/released"}, {"wait": "$work/done"}]}
JSON

# nat_flow FROM_NS SRC DST TO_NS LISTEN [SEEN]: a datagram sent to DST
# arrives at LISTEN (from SEEN, when given).
nat_flow() {
	local pid rc

	udp_recv1 "$4" "$5" >"$work/flow" &
	pid=$!
	if ! wait_listen "$4" udp "${5##*:}"; then
		wait "$pid"
		return 2
	fi
	echo rtp | ip netns exec "$1" socat -u - "UDP4-SENDTO:$3,bind=$2"
	wait "$pid"
	rc=$?
	[ "$rc" = 0 ] && [ -n "${6:-}" ] && ! grep -q "from $6\$" "$work/flow" && rc=1
	return "$rc"
}

n_expect() {	# how many expectations match a pattern
	expect_lines | grep -c -- "$1"
}

setup_topology
fw ip addr add $PUB/32 dev gk0
fw nft -f - <<EOF
table inet fw {
	ct helper q931 {
		type "avaya-q931" protocol tcp;
	}
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established,related accept
		ip saddr 10.0.1.0/24 ip daddr $PEER tcp dport { 1720, 1721 } ct helper set "q931" accept
	}
}
table ip nat {
	chain postrouting {
		type nat hook postrouting priority srcnat;
		oifname "gk0" snat to $PUB
	}
}
EOF
check "nf_nat_avaya is loaded" test -d /sys/module/nf_nat_avaya
echo "nat_mode=$(cat /sys/module/nf_nat_avaya/parameters/nat_mode)"

fw tcpdump -U -n -i gk0 -w "$work/pub.pcap" tcp >/dev/null 2>&1 &
DUMP=$!
PIDS+=("$DUMP")
for i in $(seq 1 50); do [ -s "$work/pub.pcap" ] && break; sleep 0.1; done

echo "== 1. the phone calls the peer through NAT"
$PLAY "$work/plan.json" > "$work/play.log" 2>&1 &
PLAYER=$!
PIDS+=("$PLAYER")
check "Setup, Facility x2 arrive with $PUB and the mapped ports, Connect untouched" \
	wait_file "$work/signalled"
expect_lines
check "the call's connection is NATed to $PUB and carries avaya-q931" \
	sh -c "ip netns exec fw conntrack -L -p tcp --dport 1720 2>/dev/null |
		grep 'src=$PH dst=$PEER sport=32803' | grep 'dst=$PUB' | grep -q helper=avaya-q931"
check "media pinholes $PEER -> $PUB:5000/5001" \
	test "$(n_expect "proto=17 src=$PEER dst=$PUB sport=[0-9]* dport=500[01] ")" -eq 2
check "H.245 pinhole $PEER -> $PUB:1300" \
	test "$(n_expect "proto=6 src=$PEER dst=$PUB sport=[0-9]* dport=1300 ")" -eq 1
check "media pinholes $PH -> $PEER:6000/6001 (the phone's own address)" \
	test "$(n_expect "proto=17 src=$PH dst=$PEER sport=[0-9]* dport=600[01] ")" -eq 2
check "no pinhole to the private address" test "$(n_expect "dst=$PH ")" -eq 0
check "no pinhole from the public address" test "$(n_expect "src=$PUB ")" -eq 0

echo "== 1b. a second phone announces the same private media ports"
ports_b=$(expect_lines | awk -v p="dst=$PUB" '/master-src=10.0.1.3 / && $4 == p {
	for (i = 5; i <= NF; i++) if (sub(/^dport=/, "", $i)) { print $i; break } }' |
	sort -n | tr '\n' ' ')
dec=$(tshark -r "$work/pub.pcap" -Y 'tcp.srcport == 32804 && h225' -T fields \
	-E separator='|' -e h245.ip4_network -e h245.tsapIdentifier 2>/dev/null)
rtcp_b=${dec##*|}
rtcp_b=${rtcp_b%%,*}
rtp_b=$(echo "$dec" | cut -d'|' -f2 | cut -d, -f2)
echo "phone .3: pinholes on $PUB: $ports_b; its Setup as the peer got it: $dec"
check "phone .3's fastStart announces $PUB:$rtp_b/$rtcp_b, not the taken 5000/5001" \
	test "${dec%%|*}" = "$PUB,$PUB,$PUB" -a "${rtp_b:-5000}" != 5000 -a "${rtcp_b:-5001}" != 5001
check "... exactly the ports of its pinholes" \
	test "$(printf '%s\n' "$rtp_b" "$rtcp_b" | sort -n | tr '\n' ' ')" = "$ports_b"

echo "== 2. H.245 from the peer to $PUB:1300"
touch "$work/go_h245"
check "OLC arrives untouched, the phone's OLCAck with $PUB:5002/5003" \
	wait_file "$work/connected"
check "the H.245 connection reaches $PH:1300 and carries avaya-h245" \
	sh -c "ip netns exec fw conntrack -L -p tcp --dport 1300 2>/dev/null |
		grep 'dst=$PUB sport=40100' | grep 'src=$PH dst=$PEER sport=1300' |
		grep -q helper=avaya-h245"
check "media pinholes $PEER -> $PUB:5002/5003" \
	test "$(n_expect "proto=17 src=$PEER dst=$PUB sport=[0-9]* dport=500[23] ")" -eq 2
check "media pinhole $PH -> $PEER:7001" \
	test "$(n_expect "proto=17 src=$PH dst=$PEER sport=[0-9]* dport=7001 ")" -eq 1
expect_lines

echo "== 3. media through NAT"
check_not "$PEER -> $PUB:5004 (neighbour) is blocked" nat_flow gk $PEER:6000 $PUB:5004 ph $PH:5004
check_not "$PEER -> $PUB:4999 (neighbour) is blocked" nat_flow gk $PEER:6000 $PUB:4999 ph $PH:4999
check_not "$PEER -> $PH:5000 (private) is blocked" nat_flow gk $PEER:6000 $PH:5000 ph $PH:5000
check_not "third host -> $PUB:5000 is blocked" nat_flow x 10.0.3.2:6000 $PUB:5000 ph $PH:5000
check "phone $PH:41000 -> $PEER:6000 passes, seen from $PUB" \
	nat_flow ph $PH:41000 $PEER:6000 gk $PEER:6000 "$PUB:41000"
check "$PEER:6000 -> $PUB:5000 (RTP) reaches $PH:5000" \
	nat_flow gk $PEER:6000 $PUB:5000 ph $PH:5000 "$PEER:6000"
check "phone's RTP $PH:5000 -> $PEER:6000 passes, seen from $PUB:5000" \
	nat_flow ph $PH:5000 $PEER:6000 gk $PEER:6000 "$PUB:5000"
check "$PEER:6001 -> $PUB:5001 (RTCP) reaches $PH:5001" \
	nat_flow gk $PEER:6001 $PUB:5001 ph $PH:5001 "$PEER:6001"
check "$PEER:7000 -> $PUB:5002 (H.245 channel) reaches $PH:5002" \
	nat_flow gk $PEER:7000 $PUB:5002 ph $PH:5002 "$PEER:7000"

check "$PEER:6100 -> $PUB:$rtp_b reaches phone .3's 10.0.1.3:5000" \
	nat_flow gk $PEER:6100 "$PUB:$rtp_b" ph 10.0.1.3:5000 "$PEER:6100"
check "$PEER:6101 -> $PUB:$rtcp_b reaches phone .3's 10.0.1.3:5001" \
	nat_flow gk $PEER:6101 "$PUB:$rtcp_b" ph 10.0.1.3:5001 "$PEER:6101"

echo "== 4. ReleaseComplete"
touch "$work/release"
check "ReleaseComplete passes" wait_file "$work/released"
no_call_pinhole() { test "$(expect_lines | grep -c dport=)" -eq 0; }
check "no call pinhole left" eventually no_call_pinhole
check_not "after release $PEER:40001 -> $PUB:5001 is blocked" \
	nat_flow gk $PEER:40001 $PUB:5001 ph $PH:5001
check_not "after release $PEER:40002 -> $PUB:5003 is blocked" \
	nat_flow gk $PEER:40002 $PUB:5003 ph $PH:5003
touch "$work/done"
check "player finished cleanly" wait "$PLAYER"
cat "$work/play.log"

echo "== 5. the public side, as tshark decodes it"
sleep 0.5
kill "$DUMP" 2>/dev/null
wait "$DUMP" 2>/dev/null
tshark -r "$work/pub.pcap" -d tcp.port==1300,h245 \
	-Y '(h225 || h245) && tcp.srcport != 32804' -T fields \
	-E separator='|' -e ip.src -e tcp.srcport -e h225.h245Ip -e h225.h245IpPort \
	-e h245.ip4_network -e h245.tsapIdentifier 2>/dev/null > "$work/decoded"
cat "$work/decoded"
cat > "$work/want" <<EOF
$PUB|32803|||$PUB,$PUB,$PUB,$PUB|5001,5000,5001,5001
$PEER|1720|||$PEER,$PEER|6000,6001
$PUB|32803|||$PUB,$PUB|5000,5001
$PUB|32803|$PUB|1300||
$PEER|40100|||$PEER|7001
$PUB|1300|||$PUB,$PUB|5002,5003
$PUB|32803||||
EOF
check "h245Address, fastStart, OLC/OLCAck media: $PUB and the mapped ports, the peer's untouched" \
	diff "$work/want" "$work/decoded"
check "no frame is malformed" \
	test "$(tshark -r "$work/pub.pcap" -d tcp.port==1300,h245 -Y _ws.malformed 2>/dev/null | grep -c .)" -eq 0
check "no payload on the public side carries $PH or 10.0.1.3" \
	test "$(tshark -r "$work/pub.pcap" -Y 'tcp.payload contains 0a:00:01:02 ||
		tcp.payload contains 0a:00:01:03' 2>/dev/null | grep -c .)" -eq 0

check "nat_call_rewritten = 5 (Setup x2, Facility x2, OLCAck)" \
	test "$(counter nat_call_rewritten)" -eq 5
check "nothing unmapped, nothing split, no NAT refusal" \
	test "$(counter nat_call_address_unmapped)" -eq 0 -a \
	"$(counter nat_call_split_untouched)" -eq 0 -a "$(counter nat_refused)" -eq 0
check "no Q.931/H.245 malformed" \
	test "$(counter q931_malformed)" -eq 0 -a "$(counter h245_malformed)" -eq 0
echo "== 6. re-announcements at the media cap"
# Counters so far; the messages below are judged by their deltas.
unmapped0=$(counter nat_call_address_unmapped)
too_many0=$(counter call_refused_too_many)
fill=()
for p in 6100 6102 6104 6106 6108 6110 6112 6114; do fill+=(--fs "$PH:$p"); done
build cap_setup setup --cref 11 --tunnelling
build cap_fill facility --cref 11 "${fill[@]}"
build cap_again facility --cref 11 --tunnel-olc-ack $PH:6100
build cap_new facility --cref 11 --channel 9 --tunnel-olc-ack $PH:6200
build cap_rlc releasecomplete --cref 11
cat > "$work/plan6.json" <<JSON
{"conns": {"q931": {"client": ["ph", "$PH:32805"], "server": ["gk", "$PEER:1720"]}},
 "steps": [{"conn": "q931", "from": "client", "hex": "$(hexof "$work/cap_setup")"},
	   {"conn": "q931", "from": "client", "hex": "$(hexof "$work/cap_fill")",
	    "save": "$work/cap_fill.rx"},
	   {"conn": "q931", "from": "client", "hex": "$(hexof "$work/cap_again")",
	    "save": "$work/cap_again.rx"},
	   {"mark": "$work/cap_announced"}, {"wait": "$work/cap_go_new"},
	   {"conn": "q931", "from": "client", "hex": "$(hexof "$work/cap_new")",
	    "save": "$work/cap_new.rx"},
	   {"mark": "$work/cap_refused"}, {"wait": "$work/cap_release"},
	   {"conn": "q931", "from": "client", "hex": "$(hexof "$work/cap_rlc")"},
	   {"mark": "$work/cap_released"}]}
JSON
cap_pinholes() {	# the peer's media pinholes to the public address
	n_expect "proto=17 src=$PEER dst=$PUB sport=[0-9]* dport=61[01][0-9] "
}
$PLAY "$work/plan6.json" > "$work/play6.log" 2>&1 &
PLAYER=$!
PIDS+=("$PLAYER")
check "8 proposals and the OLCAck re-announcing 6100/6101 pass" \
	wait_file "$work/cap_announced"
expect_lines
echo "unmapped +$(($(counter nat_call_address_unmapped) - unmapped0)), refused_too_many +$(($(counter call_refused_too_many) - too_many0))"
check "the 8 proposals arrive with $PUB:6100-6115 (16 pinholes, the last RTCP twice)" \
	cmp "$work/cap_fill.pub" "$work/cap_fill.rx"
check "the re-announced 6100/6101 arrive as $PUB:6100/6101, the pending pinholes' ports" \
	cmp "$work/cap_again.pub" "$work/cap_again.rx"
check "exactly 16 media pinholes $PEER -> $PUB:6100-6115" \
	test "$(cap_pinholes)" -eq 16
check "no address unmapped, no refusal: all were pending pinholes" \
	test "$(counter nat_call_address_unmapped)" -eq "$unmapped0" -a \
	"$(counter call_refused_too_many)" -eq "$too_many0"

# The hostile half is judged on its own, whatever the first half counted.
unmapped0=$(counter nat_call_address_unmapped)
too_many0=$(counter call_refused_too_many)
touch "$work/cap_go_new"
check "an OLCAck announcing a new address, 6200/6201, passes" \
	wait_file "$work/cap_refused"
check "... refused at the cap: RTP, its RTCP, the RTCP entry (call_refused_too_many +3)" \
	test "$(($(counter call_refused_too_many) - too_many0))" -eq 3
check "... no pinhole to 6200/6201, still 16 in all" \
	test "$(n_expect "dport=620[01] ")" -eq 0 -a "$(cap_pinholes)" -eq 16
check "... left as announced, unmapped (nat_call_address_unmapped +2)" \
	test "$(($(counter nat_call_address_unmapped) - unmapped0))" -eq 2 -a \
	"$(hexof "$work/cap_new")" = "$(hexof "$work/cap_new.rx")"
check "$PEER:6000 -> $PUB:6100 (the re-announced RTP) reaches $PH:6100" \
	nat_flow gk $PEER:6000 $PUB:6100 ph $PH:6100 "$PEER:6000"

touch "$work/cap_release"
check "ReleaseComplete passes" wait_file "$work/cap_released"
check "no call pinhole left" eventually no_call_pinhole
check "player finished cleanly" wait "$PLAYER"
cat "$work/play6.log"
show_counters
finish
