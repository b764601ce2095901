#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# A call end to end: registration, the gatekeeper's reverse signalling
# connection, tunnelled H.245, media, release.
#
#   phone 10.0.1.2 --- fw: default drop, ct helper avaya-ras (1719) --- gk 10.0.2.2
#                                                                   +-- third host 10.0.3.2
#
# 1. RRQ/RCF through avaya-ras opens gk:61440 -> phone:1720, which carries
#    avaya-q931 (assigned by the RAS expectation).
# 2. On it: Setup (tunnelled OLC: gk's RTCP at 6001), Connect (tunnelled
#    OLCAck: phone's RTP 5000, RTCP 5001), Facility (tunnelled OLCAck: gk's
#    RTP 6000, RTCP 6001), with Avaya nonStandardControl passed byte-exact.
# 3. Media passes on exactly those ports, between the two parties only.
# 4. ReleaseComplete removes every pinhole and closes the call's media
#    flows; new media, even on the call's own ports, is blocked.
set -u
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib/callscen.sh"

RAS="python3 $TOP/tests/lib/h225ras.py"
work=$(mktemp -d)

RAS="msg_add h225ras"	# queued, built by the msg_build below
CALL="msg_add h323call"	# queued, built by the msg_build below
$RAS rrq --seq 11 --csa 10.0.1.2:1720 --ras 10.0.1.2:49300 -o "$work/rrq"
$RAS rcf --seq 11 --csa 10.0.2.2:1720 --ttl 3600 --endpoint-id EP4711 -o "$work/rcf"
$CALL setup --cref 9 --tunnelling --tunnel-olc 10.0.2.2:6000 --nsc c0ffee00 \
	--raw -o "$work/setup"
$CALL connect --cref 9 --tunnelling --tunnel-olc-ack 10.0.1.2:5000 --raw -o "$work/connect"
$CALL facility --cref 9 --tunnel-olc-ack 10.0.2.2:6000 --nsd 0102 --raw -o "$work/facility"
$CALL releasecomplete --cref 9 --raw -o "$work/rlc"
msg_build || fail "the messages were built"
RAS="python3 $TOP/tests/lib/h225ras.py"
CALL="python3 $TOP/tests/lib/h323call.py"
cat > "$work/plan.json" <<JSON
{"conns": {"q931": {"client": ["gk", "10.0.2.2:61440"], "server": ["ph", "10.0.1.2:1720"]}},
 "steps": [{"conn": "q931", "from": "client", "hex": "$(hexof "$work/setup")"},
	   {"conn": "q931", "from": "server", "hex": "$(hexof "$work/connect")"},
	   {"conn": "q931", "from": "client", "hex": "$(hexof "$work/facility")"},
	   {"mark": "$work/connected"}, {"wait": "$work/release"},
	   {"conn": "q931", "from": "client", "hex": "$(hexof "$work/rlc")"},
	   {"mark": "$work/released"}, {"wait": "$work/done"}]}
JSON

setup_topology
call_firewall

echo "== 1. registration opens the reverse signalling connection"
bg gk $NU udp-serve 10.0.2.2:1719 --reply "$work/rcf" --count 1 --timeout 10
wait_listen gk udp 1719
check "RRQ passes, the RCF comes back" \
	ph $NU udp-send 10.0.1.2:49300 10.0.2.2:1719 "$work/rrq" --expect-reply "$work/got" --timeout 5
check "reverse pinhole gk -> phone:1720 exists" \
	test "$(expect_lines | grep -c 'dport=1720 ')" -ge 1

echo "== 2. the call on gk:61440 -> phone:1720"
$PLAY "$work/plan.json" &
PLAYER=$!
PIDS+=("$PLAYER")
check "Setup, Connect, Facility pass byte-identical (Avaya nonstandard data included)" \
	wait_file "$work/connected"
echo "$(expect_lines)"
check "the reverse connection carries helper avaya-q931" \
	sh -c "ip netns exec fw conntrack -L -p tcp --sport 61440 2>/dev/null | grep -q 'helper=avaya-q931'"
check "media pinholes are exactly 5000 5001 6000 6001 (got: $(media_dports))" \
	test "$(media_dports)" = "5000 5001 6000 6001 "
check "pinholes to the phone come only from the gatekeeper" test "$(stray_sources 10.0.1.2 10.0.2.2)" -eq 0
check "pinholes to the gatekeeper come only from the phone" test "$(stray_sources 10.0.2.2 10.0.1.2)" -eq 0

echo "== 3. media"
check_not "gk -> phone:5002 is blocked" udp_flow gk 10.0.2.2:40000 ph 10.0.1.2:5002
check_not "phone -> gk:6002 is blocked" udp_flow ph 10.0.1.2:40000 gk 10.0.2.2:6002
check_not "third host -> phone:5000 is blocked" udp_flow x 10.0.3.2:40000 ph 10.0.1.2:5000
check "gk -> phone:5000 (RTP) passes" udp_flow gk 10.0.2.2:6000 ph 10.0.1.2:5000
check "phone -> gk:6000 (RTP) passes" udp_flow ph 10.0.1.2:41000 gk 10.0.2.2:6000
check "phone -> gk:6001 (RTCP) passes" udp_flow ph 10.0.1.2:41001 gk 10.0.2.2:6001

echo "== 4. ReleaseComplete"
check "gk -> phone:5001 (RTCP) still expected before release" \
	test "$(media_dports)" = "5001 "
before=$(counter call_pinhole_removed)
touch "$work/release"
check "ReleaseComplete passes byte-identical" wait_file "$work/released"
no_call_pinhole() { test "$(expect_lines | grep -v 'dport=1720 ' | grep -c dport=)" -eq 0; }
check "no call pinhole left (RAS reverse pinholes stay)" eventually no_call_pinhole
check "call_pinhole_removed moved by 1" \
	test "$(counter call_pinhole_removed)" -eq $((${before:-0} + 1))
check_not "after release gk -> phone:5001 is blocked" udp_flow gk 10.0.2.2:40001 ph 10.0.1.2:5001
check_not "after release new RTP gk -> phone:5000 is blocked" udp_flow gk 10.0.2.2:40002 ph 10.0.1.2:5000
# The flows the call admitted are closed too, not left to time out.
flows_left() {
	fw conntrack -L -p udp 2>/dev/null | grep -Ec 'dport=(5000|6000|6001) ' || true
}
wait_closed() {
	local i
	for i in $(seq 1 20); do
		[ "$(flows_left)" -eq 0 ] && return 0
		sleep 0.1
	done
	return 1
}
check "the call's media flows are closed (left: $(flows_left) right after)" wait_closed
check "call_flow_closed counts the three flows" test "$(counter call_flow_closed)" -ge 3
check_not "after release the call's own RTP flow gk:6000 -> phone:5000 is blocked" \
	udp_flow gk 10.0.2.2:6000 ph 10.0.1.2:5000
check_not "after release the call's own RTCP flow phone:41001 -> gk:6001 is blocked" \
	udp_flow ph 10.0.1.2:41001 gk 10.0.2.2:6001
touch "$work/done"
check "player finished cleanly" wait "$PLAYER"
check "q931_messages = 4, none malformed" \
	test "$(counter q931_messages)" -eq 4 -a "$(counter q931_malformed)" -eq 0

show_counters
finish
