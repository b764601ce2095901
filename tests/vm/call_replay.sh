#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# avaya-q931 + avaya-h245: the real call of rtp_example.raw.pcap, replayed
# through a default-drop firewall with its addresses moved to the topology.
#
#   caller 10.1.3.143 -> phone ns 10.0.1.2 --- fw --- gk ns 10.0.2.2 <- callee 10.1.6.18
#
#   Q.931  10.0.1.2:32803 -> 10.0.2.2:1720  Setup, CallProceeding, Alerting,
#                                           Connect (h245Address 10.0.2.2:1232)
#   H.245  10.0.1.2:32804 -> 10.0.2.2:1232  only through the h245Address pinhole:
#                                           TCS, MSD, OLC ch101/ch61, OLCAcks
#   media  gk -> phone:5000 (RTP) :5001 (RTCP), phone -> gk:2006 (RTP) :2007 (RTCP)
#
# Then: exactly those four media pinholes exist and pass, neighbours (+-2)
# and a third host are blocked; a ReleaseComplete on the Q.931 connection
# removes the media pinholes that the H.245 connection opened.
set -u
. "$(dirname "$0")/lib.sh"
need_captures
. "$TOP/tests/lib/callscen.sh"

work=$(mktemp -d)
pcap=$CAPTURES/h323/rtp_example.raw.pcap

$CALL extract "$pcap" --map 10.1.3.143=10.0.1.2 --map 10.1.6.18=10.0.2.2 \
	-o "$work/flows.json"
# The capture's call reference (0x77f4): a ReleaseComplete ends only its call.
$CALL releasecomplete --cref 30708 --raw -o "$work/rlc"
python3 - "$work" "$(hexof "$work/rlc")" <<'PY'
import json, sys
work, rlc = sys.argv[1], sys.argv[2]
flows = json.load(open(f'{work}/flows.json'))
steps = []
for f in flows:
    conn = 'q931' if 1720 in (f['sport'], f['dport']) else 'h245'
    side = 'client' if f['src'] == '10.0.1.2' else 'server'
    steps.append({'conn': conn, 'from': side, 'hex': f['payload']})
# The media probes use the pinholes up: the OLCAcks again re-open them.
acks = [s for s in steps if s['conn'] == 'h245'][-2:]
steps += [{'mark': f'{work}/replayed'}, {'wait': f'{work}/reopen'}] + acks
steps += [{'mark': f'{work}/reopened'}, {'wait': f'{work}/release'},
          {'conn': 'q931', 'from': 'server', 'hex': rlc},
          {'mark': f'{work}/released'}, {'wait': f'{work}/done'}]
plan = {'conns': {
    'q931': {'client': ['ph', '10.0.1.2:32803'], 'server': ['gk', '10.0.2.2:1720']},
    'h245': {'client': ['ph', '10.0.1.2:32804'], 'server': ['gk', '10.0.2.2:1232']}},
    'steps': steps}
json.dump(plan, open(f'{work}/plan.json', 'w'))
print(f'plan: {len(flows)} payloads, q931 {sum(s.get("conn") == "q931" for s in steps)}')
PY
# A second call whose TPKTs straddle segments: the capture's Setup, its
# Alerting sent as TPKT header and body apart (ndpi-h323.pcap frames 47,
# 48+50), then a Connect cut twice, in its header and in its UUIE.
PK="python3 $TOP/tests/lib/pcapkit.py"
$PK payload "$CAPTURES/h323/ndpi-h323.pcap" 47 --map 192.168.0.208=10.0.1.2 \
	--map 192.168.0.1=10.0.2.2 -o "$work/setup"
$PK payload "$CAPTURES/h323/ndpi-h323.pcap" 48 -o "$work/alert_hdr"
$PK payload "$CAPTURES/h323/ndpi-h323.pcap" 50 -o "$work/alert_body"
cat "$work/alert_hdr" "$work/alert_body" > "$work/alerting"
$CALL connect --cref 1 --h245 10.0.2.2:1300 --fs 10.0.2.2:7000 --raw -o "$work/connect"
cat > "$work/split.json" <<JSON
{"conns": {"q931": {"client": ["ph", "10.0.1.2:32810"], "server": ["gk", "10.0.2.2:1720"]}},
 "steps": [{"conn": "q931", "from": "client", "hex": "$(hexof "$work/setup")"},
	   {"conn": "q931", "from": "server", "hex": "$(hexof "$work/alerting")", "split": [4]},
	   {"conn": "q931", "from": "server", "hex": "$(hexof "$work/connect")", "split": [2, 40]},
	   {"mark": "$work/split_done"}, {"wait": "$work/split_end"}]}
JSON
check "the capture's addresses were rewritten" \
	sh -c "! grep -q '0a01038f\|0a010612' '$work/plan.json'"

setup_topology
call_firewall

echo "== 1. replay: Setup..Connect, then H.245 through the h245Address pinhole"
$PLAY "$work/plan.json" &
PLAYER=$!
PIDS+=("$PLAYER")
check "the whole call replays byte-identical, H.245 connection admitted" \
	wait_file "$work/replayed"
echo "$(expect_lines)"
check "H.245 connection carries helper avaya-h245" \
	sh -c "ip netns exec fw conntrack -L -p tcp --dport 1232 2>/dev/null | grep -q 'helper=avaya-h245'"
check "media pinholes are exactly 2006 2007 5000 5001 (got: $(media_dports))" \
	test "$(media_dports)" = "2006 2007 5000 5001 "
check "pinholes to the phone come only from the gatekeeper" \
	test "$(stray_sources 10.0.1.2 10.0.2.2)" -eq 0
check "pinholes to the gatekeeper come only from the phone" \
	test "$(stray_sources 10.0.2.2 10.0.1.2)" -eq 0

echo "== 2. media on the negotiated ports, in the negotiated direction"
check_not "gk -> phone:5002 (RTP+2) is blocked" udp_flow gk 10.0.2.2:40000 ph 10.0.1.2:5002
check_not "gk -> phone:4998 (RTP-2) is blocked" udp_flow gk 10.0.2.2:40000 ph 10.0.1.2:4998
check_not "phone -> gk:2008 (RTP+2) is blocked" udp_flow ph 10.0.1.2:40000 gk 10.0.2.2:2008
check_not "phone -> gk:2004 (RTP-2) is blocked" udp_flow ph 10.0.1.2:40000 gk 10.0.2.2:2004
check_not "third host -> phone:5000 is blocked" udp_flow x 10.0.3.2:40000 ph 10.0.1.2:5000
check_not "third host -> gk:2006 is blocked" udp_flow x 10.0.3.2:40000 gk 10.0.2.2:2006
check "gk -> phone:5000 (RTP) passes" udp_flow gk 10.0.2.2:2006 ph 10.0.1.2:5000
check "gk -> phone:5001 (RTCP) passes" udp_flow gk 10.0.2.2:2007 ph 10.0.1.2:5001
check "phone -> gk:2006 (RTP) passes" udp_flow ph 10.0.1.2:41000 gk 10.0.2.2:2006
check "phone -> gk:2007 (RTCP) passes" udp_flow ph 10.0.1.2:41001 gk 10.0.2.2:2007

echo "== 3. ReleaseComplete removes the H.245 connection's media pinholes"
touch "$work/reopen"
check "the OLCAcks again pass" wait_file "$work/reopened"
check "they re-open 2006 2007 5000 5001 (got: $(media_dports))" \
	test "$(media_dports)" = "2006 2007 5000 5001 "
before=$(counter call_pinhole_removed)
touch "$work/release"
check "ReleaseComplete passes byte-identical" wait_file "$work/released"
no_expectation_left() { test "$(expect_lines | grep -c dport=)" -eq 0; }
# The call's own pinholes go at once; those of its H.245 connection go with
# that connection, which the flow-close worker deletes right after.
check "no expectation left after ReleaseComplete" eventually no_expectation_left
check "call_pinhole_removed moved" test "$(counter call_pinhole_removed)" -gt "${before:-0}"
check_not "after release, new RTP gk -> phone:5000 is blocked" udp_flow gk 10.0.2.2:40002 ph 10.0.1.2:5000
check_not "after release, new RTP phone -> gk:2006 is blocked" udp_flow ph 10.0.1.2:40002 gk 10.0.2.2:2006
touch "$work/done"
check "player finished cleanly" wait "$PLAYER"
check "no Q.931/H.245 message counted malformed" \
	test "$(counter q931_malformed)" -eq 0 -a "$(counter h245_malformed)" -eq 0
check "q931_messages = 5 (4 replayed + ReleaseComplete)" test "$(counter q931_messages)" -eq 5
check "h245_messages = 14 (12 replayed + 2 OLCAcks again)" test "$(counter h245_messages)" -eq 14

echo "== 4. split TPKTs (Alerting header apart, Connect cut twice) still open the right pinholes"
before=$(counter call_tpkt_reassembled)
$PLAY "$work/split.json" &
PLAYER=$!
PIDS+=("$PLAYER")
check "the split call passes byte-identical" wait_file "$work/split_done"
echo "$(expect_lines)"
check "2 TPKTs reassembled (Alerting, Connect)" \
	test "$(counter call_tpkt_reassembled)" -eq $((${before:-0} + 2))
check "media pinholes are exactly 7000 7001 (got: $(media_dports))" \
	test "$(media_dports)" = "7000 7001 "
check "H.245 pinhole phone -> gk:1300" \
	test "$(expect_lines | awk '$2 == "proto=6" && $3 == "src=10.0.1.2" && $4 == "dst=10.0.2.2"' | grep -c 'dport=1300 ')" -eq 1
check_not "phone -> gk:7002 is blocked" udp_flow ph 10.0.1.2:40010 gk 10.0.2.2:7002
check "phone -> gk:7000 (fastStart RTP) passes" udp_flow ph 10.0.1.2:40010 gk 10.0.2.2:7000
bg gk $NU tcp-serve 10.0.2.2:1300 --count 1
bg gk $NU tcp-serve 10.0.2.2:1301 --count 1
wait_listen gk tcp 1300 && wait_listen gk tcp 1301
check_not "phone -> gk:1301 (tcp) is blocked" tcp_try ph 10.0.1.2:40011 10.0.2.2:1301 1.5
check "phone -> gk:1300 (H.245) passes" tcp_try ph 10.0.1.2:40012 10.0.2.2:1300 3
check "split messages decoded, none malformed" \
	test "$(counter q931_messages)" -eq 8 -a "$(counter q931_malformed)" -eq 0
touch "$work/split_end"
wait "$PLAYER"

show_counters
finish
