#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# nf_nat_avaya: H.235-protected call signalling and sourceCallSignalAddress
# behind source NAT (issue 15, items 2 and 3).
#
#   phone 10.0.1.2, .3 --- fw: default drop, avaya-q931 on tcp/1720, --- peer 10.0.2.2
#                          snat to 203.0.113.1 (tcp: ports 40000-40999)  +-- third host 10.0.3.2
#
# 1. An unprotected Setup: its sourceCallSignalAddress (the phone's own
#    10.0.1.2:32803) arrives as 203.0.113.1:P, P the public source port
#    NAT gave the connection (not 32803); h245Address and fastStart as in
#    nat_call.sh.
# 2. nat_mode=auto, a Setup with H.235 tokens and cryptoTokens: it arrives
#    byte-identical (nat_call_protected_untouched), and its fastStart
#    pinholes are NATed all the same, on the announced ports (the far side
#    sends to the address it sees and the port announced): 10.0.2.2 ->
#    203.0.113.1:5010/5011 reaches 10.0.1.2. The peer's protected Connect
#    and the phone's protected Facility (h245Address 1302) pass
#    byte-identical; the H.245 pinhole is 203.0.113.1:1302. RTP flows both
#    ways.
# 3. Hostile: the second phone (10.0.1.3), protected, announces the same
#    private port 5010 to the same peer while the first phone's pinhole
#    waits: 203.0.113.1:5010 is the first phone's, so no pinhole leads
#    there to 10.0.1.3 (call_pinhole_already_expected), the message passes
#    untouched (counted, not dropped), and the first phone gets its media.
#    After the media flowed (the pinholes used, the port pair still claimed
#    for the first phone): the second phone's protected Facility to the
#    same peer, and its protected Setup to a third host, announcing 5010
#    again, get no pinhole (nat_refused_port_taken): a token bit set by an
#    inside host does not take another phone's public port.
# 4. nat_mode=rewrite: a protected Setup is rewritten (the admin's choice,
#    it breaks the integrity check).
# 5. ReleaseComplete removes every pinhole; tshark finds nothing malformed.
set -u
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib/callscen.sh"

PUB=203.0.113.1
PH=10.0.1.2
PH2=10.0.1.3
PEER=10.0.2.2
work=$(mktemp -d)
MODE=/sys/module/nf_nat_avaya/parameters/nat_mode

# build NAME ARGS...: the message as the phone sends it ($work/NAME) and as
# the peer must receive it if rewritten ($work/NAME.pub).
build() {
	local name=$1 arg
	local pub=()

	shift
	$CALL "$@" --raw -o "$work/$name"
	for arg in "$@"; do
		pub+=("${arg//$PH:/$PUB:}")
	done
	$CALL "${pub[@]}" --raw -o "$work/$name.pub"
}

build setup setup --cref 9 --src-csa $PH:32803 --h245 $PH:1300 --fs $PH:5000
build rlc releasecomplete --cref 9
build psetup setup --cref 12 --src-csa $PH:32806 --fs $PH:5010 --tokens --crypto-tokens
build pconnect connect --cref 12 --tunnelling --tunnel-olc-ack $PEER:6010 --crypto-tokens
build pfac facility --cref 12 --h245 $PH:1302 --tokens
build prlc releasecomplete --cref 12 --tokens
build hsetup setup --cref 14 --src-csa $PH2:32807 --fs $PH2:5010 --tokens
build hfac facility --cref 14 --fs $PH2:5010 --tokens
build hrlc releasecomplete --cref 14
build xsetup setup --cref 15 --fs $PH2:5010 --crypto-tokens
build xrlc releasecomplete --cref 15
build rsetup setup --cref 13 --fs $PH:5020 --crypto-tokens
build rrlc releasecomplete --cref 13

cat > "$work/plan.json" <<JSON
{"conns": {"plain": {"client": ["ph", "$PH:32803"], "server": ["gk", "$PEER:1720"]},
	   "prot": {"client": ["ph", "$PH:32806"], "server": ["gk", "$PEER:1721"]},
	   "hostile": {"client": ["ph", "$PH2:32807"], "server": ["gk", "$PEER:1722"]},
	   "third": {"client": ["ph", "$PH2:32809"], "server": ["x", "10.0.3.2:1720"]}},
 "steps": [{"conn": "plain", "from": "client", "hex": "$(hexof "$work/setup")",
	    "save": "$work/setup.rx"},
	   {"conn": "prot", "from": "client", "hex": "$(hexof "$work/psetup")",
	    "save": "$work/psetup.rx"},
	   {"conn": "prot", "from": "server", "hex": "$(hexof "$work/pconnect")",
	    "save": "$work/pconnect.rx"},
	   {"conn": "prot", "from": "client", "hex": "$(hexof "$work/pfac")",
	    "save": "$work/pfac.rx"},
	   {"mark": "$work/protected"}, {"wait": "$work/go_hostile"},
	   {"conn": "hostile", "from": "client", "hex": "$(hexof "$work/hsetup")",
	    "save": "$work/hsetup.rx"},
	   {"mark": "$work/hostile"}, {"wait": "$work/go_claimed"},
	   {"conn": "hostile", "from": "client", "hex": "$(hexof "$work/hfac")",
	    "save": "$work/hfac.rx"},
	   {"conn": "third", "from": "client", "hex": "$(hexof "$work/xsetup")",
	    "save": "$work/xsetup.rx"},
	   {"mark": "$work/claimed"}, {"wait": "$work/release"},
	   {"conn": "third", "from": "client", "hex": "$(hexof "$work/xrlc")"},
	   {"conn": "hostile", "from": "client", "hex": "$(hexof "$work/hrlc")"},
	   {"conn": "prot", "from": "client", "hex": "$(hexof "$work/prlc")"},
	   {"conn": "plain", "from": "client", "hex": "$(hexof "$work/rlc")"},
	   {"mark": "$work/released"}]}
JSON
cat > "$work/plan4.json" <<JSON
{"conns": {"rw": {"client": ["ph", "$PH:32808"], "server": ["gk", "$PEER:1720"]}},
 "steps": [{"conn": "rw", "from": "client", "hex": "$(hexof "$work/rsetup")",
	    "save": "$work/rsetup.rx"},
	   {"mark": "$work/rewritten"}, {"wait": "$work/release4"},
	   {"conn": "rw", "from": "client", "hex": "$(hexof "$work/rrlc")"},
	   {"mark": "$work/released4"}]}
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

n_expect() { expect_lines | grep -c -- "$1"; }
# The second phone's pinholes on the first phone's public pair.
ph2_pinholes() {
	expect_lines | grep -- "dst=$PUB sport=[0-9]* dport=501[01] " |
		grep -c -- "master-src=$PH2 "
}
same() { cmp -s "$1" "$2"; }

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
		ip saddr 10.0.1.0/24 ip daddr $PEER tcp dport 1720-1722 ct helper set "q931" accept
		ip saddr 10.0.1.0/24 ip daddr 10.0.3.2 tcp dport 1720 ct helper set "q931" accept
	}
}
table ip nat {
	chain postrouting {
		type nat hook postrouting priority srcnat;
		oifname { "gk0", "x0" } meta l4proto tcp snat to $PUB:40000-40999
		oifname { "gk0", "x0" } snat to $PUB
	}
}
EOF
check "nf_nat_avaya is loaded, nat_mode=auto" \
	test "$(cat $MODE 2>/dev/null)" = auto
fw tcpdump -U -n -i gk0 -w "$work/pub.pcap" tcp >/dev/null 2>&1 &
DUMP=$!
PIDS+=("$DUMP")
for i in $(seq 1 50); do [ -s "$work/pub.pcap" ] && break; sleep 0.1; done

$PLAY "$work/plan.json" > "$work/play.log" 2>&1 &
PLAYER=$!
PIDS+=("$PLAYER")

echo "== 1. sourceCallSignalAddress of an unprotected Setup"
check "Setup, protected Setup/Connect/Facility pass" wait_file "$work/protected"
expect_lines
# The public source port NAT gave the connection: what the peer sees.
P=$(fw conntrack -L -p tcp --orig-port-src 32803 2>/dev/null |
	sed -n "s/.*src=$PEER dst=$PUB sport=1720 dport=\([0-9]*\).*/\1/p" | head -n 1)
echo "public end of $PH:32803: $PUB:$P"
$CALL setup --cref 9 --src-csa "$PUB:${P:-0}" --h245 $PUB:1300 --fs $PUB:5000 \
	--raw -o "$work/setup.pub"
check "the connection's public source port $P is not the private 32803" \
	test -n "$P" -a "$P" != 32803
check "the Setup arrives with $PUB:$P as sourceCallSignalAddress, $PUB in h245Address and fastStart" \
	same "$work/setup.pub" "$work/setup.rx"
check "tshark: its sourceCallSignalAddress is $PUB:$P, the frame's own source" \
	test "$(tshark -r "$work/pub.pcap" -Y "tcp.srcport == ${P:-0} && h225" -T fields \
		-e h225.ipV4 -e h225.ipV4_port 2>/dev/null | head -1)" = "$(printf '%s\t%s' $PUB "$P")"

echo "== 2. H.235-protected call signalling (nat_mode=auto)"
check "the protected Setup arrives byte-identical" same "$work/psetup" "$work/psetup.rx"
check "the peer's protected Connect arrives byte-identical" same "$work/pconnect" "$work/pconnect.rx"
check "the protected Facility (h245Address $PH:1302) arrives byte-identical" \
	same "$work/pfac" "$work/pfac.rx"
check "nat_call_protected_untouched = 2 (the phone's Setup and Facility)" \
	test "$(counter nat_call_protected_untouched)" -eq 2
check "its fastStart pinholes are NATed on the announced ports: $PEER -> $PUB:5010/5011" \
	test "$(n_expect "proto=17 src=$PEER dst=$PUB sport=[0-9]* dport=501[01] ")" -eq 2
check "its H.245 pinhole: $PEER -> $PUB:1302" \
	test "$(n_expect "proto=6 src=$PEER dst=$PUB sport=[0-9]* dport=1302 ")" -eq 1
check "no pinhole to the private address" test "$(n_expect "dst=$PH ")" -eq 0
echo "== 3. hostile: a second phone's protected Setup announces the same port"
already0=$(counter call_pinhole_already_expected)
touch "$work/go_hostile"
check "the second phone's protected Setup passes" wait_file "$work/hostile"
check "... byte-identical" same "$work/hsetup" "$work/hsetup.rx"
expect_lines
check "no pinhole of the second phone's on $PUB:5010/5011 (call_pinhole_already_expected +$(($(counter call_pinhole_already_expected) - already0)))" \
	test "$(ph2_pinholes)" -eq 0 -a \
	"$(counter call_pinhole_already_expected)" -gt "$already0"
check "nat_call_protected_untouched = 3" test "$(counter nat_call_protected_untouched)" -eq 3

echo "== 3b. media of the protected call"
check "$PEER:6010 -> $PUB:5010 (RTP) reaches $PH:5010" \
	nat_flow gk $PEER:6010 $PUB:5010 ph $PH:5010 "$PEER:6010"
check "$PEER:6011 -> $PUB:5011 (RTCP) reaches $PH:5011" \
	nat_flow gk $PEER:6011 $PUB:5011 ph $PH:5011 "$PEER:6011"
check "the phone's RTP $PH:5010 -> $PEER:6010 passes, seen from $PUB:5010" \
	nat_flow ph $PH:5010 $PEER:6010 gk $PEER:6010 "$PUB:5010"
check_not "$PEER -> $PUB:5012 (neighbour) is blocked" \
	nat_flow gk $PEER:6010 $PUB:5012 ph $PH:5012

echo "== 3c. hostile, the port pair claimed but its pinholes used"
taken0=$(counter nat_refused_port_taken)
touch "$work/go_claimed"
check "the second phone's protected Facility and its Setup to the third host pass" \
	wait_file "$work/claimed"
expect_lines
check "... byte-identical" \
	sh -c "cmp -s '$work/hfac' '$work/hfac.rx' && cmp -s '$work/xsetup' '$work/xsetup.rx'"
check "no pinhole of the second phone's on $PUB:5010/5011, from either peer" \
	test "$(ph2_pinholes)" -eq 0
check "... refused: the pair is the first phone's (nat_refused_port_taken +$(($(counter nat_refused_port_taken) - taken0)))" \
	test "$(($(counter nat_refused_port_taken) - taken0))" -ge 4
check_not "the third host -> $PUB:5010 does not reach the second phone" \
	nat_flow x 10.0.3.2:6010 $PUB:5010 ph $PH2:5010

echo "== 5a. ReleaseComplete (protected ones too)"
touch "$work/release"
check "the ReleaseCompletes pass" wait_file "$work/released"
no_call_pinhole() { test "$(expect_lines | grep -c dport=)" -eq 0; }
check "no call pinhole left" eventually no_call_pinhole
check "player finished cleanly" wait "$PLAYER"
cat "$work/play.log"

echo "== 4. nat_mode=rewrite rewrites a protected Setup"
untouched0=$(counter nat_call_protected_untouched)
echo rewrite > $MODE
$PLAY "$work/plan4.json" > "$work/play4.log" 2>&1 &
PLAYER=$!
PIDS+=("$PLAYER")
check "the protected Setup passes" wait_file "$work/rewritten"
check "... rewritten: $PUB:32808 and $PUB in fastStart" \
	same "$work/rsetup.pub" "$work/rsetup.rx"
check "nat_call_protected_untouched unchanged ($untouched0)" \
	test "$(counter nat_call_protected_untouched)" -eq "$untouched0"
touch "$work/release4"
check "ReleaseComplete passes" wait_file "$work/released4"
check "no call pinhole left" eventually no_call_pinhole
check "player finished cleanly" wait "$PLAYER"
echo auto > $MODE

echo "== 5. the public side, as tshark decodes it"
sleep 0.5
kill "$DUMP" 2>/dev/null
wait "$DUMP" 2>/dev/null
check "no frame is malformed" \
	test "$(tshark -r "$work/pub.pcap" -Y _ws.malformed 2>/dev/null | grep -c .)" -eq 0
check "no Q.931 malformed" test "$(counter q931_malformed)" -eq 0
show_counters
finish
