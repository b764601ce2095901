#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Several calls on one call-signalling connection, as an Avaya phone keeps
# one with Communication Manager for its whole registration: each call is
# told apart by its Q.931 call reference, and ending one never touches
# another's pinholes or media.
#
#   phone 10.0.1.2:32803 ---- fw: default drop, avaya-q931 on 1720 ---- gk 10.0.2.2:1720
#
# Every call uses logical channel 1 (H.245 numbers channels per call).
# 1. Call A (cref 5, the phone's) and call B (cref 6, the gatekeeper's:
#    call waiting) are up, media flows in both.
# 2. A's ReleaseComplete ends A only: B's pinholes, flows and audio stay.
# 3. Call C (cref 7), then more calls than slots (crefs 8, 9): cref 9 is
#    counted (call_slots_full) and goes to slot 0, the calls without a
#    slot of their own.
# 4. B's tunnelled CloseLogicalChannel 1 closes B's channel only, B's
#    tunnelled endSession ends B only, B's late ReleaseComplete (flag bit
#    set, from the other side) is a repeat that ends no other call (slot
#    0's neither). A Facility of cref 9 after B freed its slot stays in
#    slot 0 (only a Setup takes a slot). A ReleaseComplete for a call
#    reference never seen ends slot 0 only: cref 9's pinholes.
# 5. The connection's end ends every call.
set -u
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib/callscen.sh"

work=$(mktemp -d)
PH=10.0.1.2
GK=10.0.2.2

msg() {	# msg NAME ARGS...: h323call.py ARGS -> $work/NAME, raw
	local name=$1
	shift
	msg_add h323call "$@" --raw -o "$work/$name"
}
msg a_setup setup --cref 5 --tunnelling --tunnel-olc $PH:5000
msg a_connect connect --cref 5 --tunnelling --tunnel-olc-ack $GK:6000
msg a_fac facility --cref 5 --tunnel-olc-ack $PH:5000
msg a_rlc releasecomplete --cref 5
# CM's CCMS-style nonStandardData Facilities, interleaved with the calls.
msg a_nsd facility --cref 5 --nsd 0a0b0c0d0e0f
msg b_nsd facility --cref 6 --nsd 01020304
msg b_setup setup --cref 6 --tunnelling --tunnel-olc $GK:6010
msg b_connect connect --cref 6 --tunnelling --tunnel-olc-ack $PH:5010
msg b_fac facility --cref 6 --tunnel-olc-ack $GK:6010
msg b_clc facility --cref 6 --tunnel-h245 clc:1
msg b_end facility --cref 6 --tunnel-end
msg b_rlc releasecomplete --cref 6
msg c_setup setup --cref 7 --tunnelling --tunnel-olc $PH:5020
msg c_connect connect --cref 7 --tunnelling --tunnel-olc-ack $GK:6020
msg c_fac facility --cref 7 --tunnel-olc-ack $PH:5020
msg s8 setup --cref 8 --tunnelling --tunnel-olc $PH:5030
msg s9 setup --cref 9 --tunnelling --tunnel-olc $PH:5040
msg f9 facility --cref 9 --tunnel-h245 olc:2:$PH:5044
msg r99 releasecomplete --cref 99
msg_build || fail "the messages were built"

step() {	# step FROM NAME: one message on the connection
	printf '{"conn": "q931", "from": "%s", "hex": "%s"},\n' "$1" "$(hexof "$work/$2")"
}
mark() { printf '{"mark": "%s"}, {"wait": "%s"},\n' "$work/$1" "$work/go_$1"; }
{
	echo '{"conns": {"q931": {"client": ["ph", "10.0.1.2:32803"], "server": ["gk", "10.0.2.2:1720"]}},'
	echo ' "steps": ['
	step client a_setup; step server a_connect; step client a_fac
	step server a_nsd
	step server b_setup; step client b_connect; step server b_nsd; step server b_fac
	mark up
	step client a_rlc
	mark a_gone
	step client c_setup; step server c_connect; step client c_fac
	mark c_up
	step client s8; step client s9
	mark full
	step server b_clc
	mark b_clc
	step server b_end
	mark b_end
	step server b_rlc
	mark b_rlc
	step client f9
	mark f9
	step client r99
	mark r99
	echo '{"close": "q931"}, {"mark": "'"$work"'/closed"}]}'
} > "$work/plan.json"

setup_topology
call_firewall
# A flow that goes must go because the helper closed it, never by the UDP
# tracker's 30 s for one-way flows (a step of the debug lane takes longer).
fw sysctl -qw net.netfilter.nf_conntrack_udp_timeout=600 \
	net.netfilter.nf_conntrack_udp_timeout_stream=600

# go NAME: let the player past mark NAME, wait for the next one.
go() {
	touch "$work/go_$1"
	wait_file "$work/$2"
}
# flows DPORT...: how many udp flows the firewall has to these ports.
flows() {
	local re

	re=$(echo "$*" | tr ' ' '|')
	fw conntrack -L -p udp 2>/dev/null | grep -Ec "dport=($re) " || true
}
no_flows() { test "$(flows "$@")" -eq 0; }
pinholes_are() { test "$(media_dports)" = "$1"; }

echo "== 1. calls A (cref 5) and B (cref 6) on one connection"
$PLAY "$work/plan.json" &
PLAYER=$!
PIDS+=("$PLAYER")
check "A and B set up on one connection, nonStandardData Facilities interleaved, byte-identical" \
	wait_file "$work/up"
check "both calls' pinholes (got: $(media_dports))" \
	pinholes_are "5000 5001 5010 5011 6000 6001 6010 6011 "
check "A: gk -> phone:5000 passes" udp_flow gk $GK:6000 ph $PH:5000
check "A: phone -> gk:6000 passes" udp_flow ph $PH:41000 gk $GK:6000
check "B: gk -> phone:5010 passes" udp_flow gk $GK:6010 ph $PH:5010
check "B: phone -> gk:6010 passes" udp_flow ph $PH:41010 gk $GK:6010

echo "== 2. A's ReleaseComplete ends A only"
removed=$(counter call_pinhole_removed)
check "A's ReleaseComplete passes" go up a_gone
check "A's pinholes go, B's stay (got: $(media_dports))" \
	eventually pinholes_are "5011 6011 "
check "call_pinhole_removed moved by 2 (A's 5001 6001)" \
	test "$(counter call_pinhole_removed)" -eq $((${removed:-0} + 2))
check "A's media flows are closed" eventually no_flows 5000 6000
check "B's media flows stay (got: $(flows 5010 6010))" test "$(flows 5010 6010)" -eq 2
check_not "A's own RTP gk:6000 -> phone:5000 is blocked now" udp_flow gk $GK:6000 ph $PH:5000
check "B keeps audio: gk:6010 -> phone:5010" udp_flow gk $GK:6010 ph $PH:5010
check "B keeps audio: phone:41010 -> gk:6010" udp_flow ph $PH:41010 gk $GK:6010
check "B's RTCP pinhole still opens: gk -> phone:5011" udp_flow gk $GK:6011 ph $PH:5011

echo "== 3. call C (cref 7), then more calls than slots"
check "C set up" go a_gone c_up
check "C's pinholes next to B's (got: $(media_dports))" \
	pinholes_are "5020 5021 6011 6020 6021 "
check "C: gk -> phone:5020 passes" udp_flow gk $GK:6020 ph $PH:5020
full=$(counter call_slots_full)
check "Setups for crefs 8 and 9 pass" go c_up full
check "call_slots_full +1 (cref 9: C, B and 8 hold the three slots)" \
	test "$(counter call_slots_full)" -eq $((${full:-0} + 1))
check "every call's RTCP pinhole (got: $(media_dports))" \
	pinholes_are "5021 5031 5041 6011 6020 6021 "

echo "== 4. B ends; slot 0 ends only when its own call does"
check "B's tunnelled CloseLogicalChannel 1 passes" go full b_clc
check "B's channel 1 pinhole goes, C's channel 1 stays (got: $(media_dports))" \
	eventually pinholes_are "5021 5031 5041 6020 6021 "
check "B's channel 1 flows are closed" eventually no_flows 5010 5011 6010
check "C's flow stays" test "$(flows 5020)" -eq 1
check "C keeps audio: gk:6020 -> phone:5020" udp_flow gk $GK:6020 ph $PH:5020
repeated=$(counter call_release_repeated)
check "B's tunnelled endSession passes" go b_clc b_end
check "the other calls' pinholes stay after B's endSession (got: $(media_dports))" \
	pinholes_are "5021 5031 5041 6020 6021 "
check "B's late ReleaseComplete passes" go b_end b_rlc
check "it is counted as a repeat (call_release_repeated +1)" \
	test "$(counter call_release_repeated)" -eq $((${repeated:-0} + 1))
check "it ends no other call, slot 0's neither (got: $(media_dports))" \
	pinholes_are "5021 5031 5041 6020 6021 "
check "C keeps audio after B is gone" udp_flow gk $GK:6020 ph $PH:5020
check "cref 9's Facility passes" go b_rlc f9
check "its channel 2 pinhole opens (got: $(media_dports))" \
	pinholes_are "5021 5031 5041 5045 6020 6021 "
check "no slot counted full for it (only a Setup takes a slot)" \
	test "$(counter call_slots_full)" -eq $((${full:-0} + 1))
check "ReleaseComplete for cref 99 passes" go f9 r99
check "it ends slot 0 only: cref 9's pinholes go, its Facility's too (got: $(media_dports))" \
	eventually pinholes_are "5021 5031 6020 6021 "
check "C keeps audio" udp_flow gk $GK:6020 ph $PH:5020

echo "== 5. the connection's end ends every call"
check "the connection closes" go r99 closed
no_call_pinhole() { test -z "$(media_dports)"; }
check "no call pinhole is left" eventually no_call_pinhole
check "C's flow is closed" eventually no_flows 5020
check "player finished cleanly" wait "$PLAYER"
check "q931_messages = 19, none malformed" \
	test "$(counter q931_messages)" -eq 19 -a "$(counter q931_malformed)" -eq 0

show_counters
finish
