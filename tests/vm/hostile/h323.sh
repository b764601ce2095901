# SPDX-License-Identifier: GPL-2.0-only
#
# Hostile H.323 peers (security review 2026-11-30), a part of
# tests/vm/hostile_peers.sh: sourced after tests/vm/lib.sh and
# setup_topology; hostile_h323 runs every case and never exits.
#
#   phone ph 10.0.1.2/.3 --- fw: default drop (forward and input), --- peer/gk 10.0.2.2
#                            avaya-q931 on tcp/1720-1729, avaya-ras  +-- second gk x 10.0.3.2
#                            on udp/1719 (and multicast 1718)
#
#  a. H1 masquerade: the peer's Connect names h245Address = the firewall's
#     public 10.0.2.1:22: no expectation, call_refused_not_party counted,
#     the peer cannot reach the firewall's own tcp/22.
#  b. H1 routed: h245Address = the phone's (the receiver's) 10.0.1.2:22.
#  c. H1 UDP: a tunnelled OLCAck from the peer names the phone's :161.
#  d. M4: 10,000 ReleaseComplete TPKTs (03 00 00 07 08 00 5a) on one
#     connection: each is counted once in q931_release_complete, the box
#     stays responsive and the connection keeps working.
#  e. L2: an RCF whose timeToLive is the 4 octets ff ff ff ff is malformed
#     (ras_malformed), opens no reverse pinhole.
#  f. L3: H.245 CloseLogicalChannel with channel octets ff ff (one past
#     65535) is malformed (h245_malformed), the call's media pinholes stay.
#  g. L5: an RCF from the phone's side opens nothing (the helper attached to
#     a gatekeeper-initiated RAS flow, and to a phone-initiated one).
#  h. L6: after a multicast GRQ, a GCF from the gatekeeper's ports 5000 and
#     1718 does not reach the phone (one from 1719 does).
#  i. L8: the Q.931 connection ends (FIN both ways) after Connect; the
#     separate H.245 connection keeps passing, an OLC/OLCAck on it still
#     opens media, endSession closes it.
#  j. L1: two gatekeepers give two phones the same endpointIdentifier: both
#     reverse pinholes stay.

HH_CALL="python3 $TOP/tests/lib/h323call.py"
HH_PLAY="python3 $TOP/tests/lib/callplay.py"
HH_RAS="python3 $TOP/tests/lib/h225ras.py"

hh_hex() {
	od -An -v -tx1 "$1" | tr -d ' \n'
}

# hh_ruleset routed|masq
hh_ruleset() {
	local nat=

	[ "$1" = masq ] && nat='table ip hh_nat {
	chain post {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "gk0" masquerade
	}
}'
	fw nft flush ruleset
	fw nft -f - <<EOF
table inet fw {
	ct helper ras {
		type "avaya-ras" protocol udp;
	}
	ct helper q931 {
		type "avaya-q931" protocol tcp;
	}
	chain input {
		type filter hook input priority filter; policy drop;
		ct state established,related accept
	}
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established,related accept
		ip saddr 10.0.1.0/24 ip daddr { 10.0.2.2, 10.0.3.2 } udp dport 1719 ct helper set "ras" accept
		ip saddr 10.0.2.2 ip daddr 10.0.1.0/24 udp dport 1719 ct helper set "ras" accept
		ip saddr 10.0.1.0/24 ip daddr 224.0.1.41 udp dport 1718 ct helper set "ras" accept
		ip saddr 10.0.1.0/24 ip daddr 10.0.2.2 tcp dport 1720-1729 ct helper set "q931" accept
	}
}
$nat
EOF
	hostile_reset
}

# hh_play NAME: start the player on $HH_W/NAME.json; $HH_PLAYER is its pid.
hh_play() {
	$HH_PLAY "$HH_W/$1.json" > "$HH_W/$1.log" 2>&1 &
	HH_PLAYER=$!
	HOSTILE_PIDS+=("$HH_PLAYER")
}

# hh_wait FILE: the current player reached a mark (it exits on failure).
hh_wait() {
	local i

	for i in $(seq 1 200); do
		[ -e "$1" ] && return 0
		kill -0 "$HH_PLAYER" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# socat, not python, for the probes: a python start costs seconds under TCG.
# hh_send NS SRC DST FILE [OPTS]: one datagram, nobody needs to listen.
hh_send() {
	ip netns exec "$1" socat -u - "UDP4-SENDTO:$3,bind=$2,reuseaddr${5:-}" < "$4"
}

# hh_recv_start NS IP:PORT: wait (4 s at most) for one datagram into
# $HH_W/rx; hh_recv_done then says whether it came.
hh_recv_start() {
	rm -f "$HH_W/rx"
	ip netns exec "$1" timeout "$(scaled 4)" socat -u \
		"UDP4-RECVFROM:${2##*:},bind=${2%:*},reuseaddr" "OPEN:$HH_W/rx,creat" &
	HH_RX=$!
	wait_listen "$1" udp "${2##*:}"
}

hh_recv_done() {
	wait "$HH_RX"
	[ -s "$HH_W/rx" ]
}

# hh_udp FROM_NS SRC TO_NS DST: one datagram from SRC arrives at DST.
hh_udp() {
	hh_recv_start "$3" "$4" || return 2
	echo probe | ip netns exec "$1" socat -u - "UDP4-SENDTO:$4,bind=$2,reuseaddr"
	hh_recv_done
}

# hh_tcp NS SRC DST: the TCP handshake SRC -> DST completes.
hh_tcp() {
	ip netns exec "$1" timeout "$(scaled 5)" socat -u /dev/null \
		"TCP4:$3,bind=$2,reuseaddr,connect-timeout=1.5" 2>/dev/null
}

# hh_listen NS IP:PORT: a TCP listener for hh_tcp, stopped by hostile_stop.
hh_listen() {
	hostile_bg ip netns exec "$1" socat "TCP4-LISTEN:${2##*:},bind=${2%:*},reuseaddr,fork" /dev/null
	wait_listen "$1" tcp "${2##*:}"
}

# hh_ras SRC DST REQ REPLY: the phone's request, the gatekeeper's answer
# (sent from DST back to SRC: the firewall sees one exchange).
hh_ras() {
	local ns=gk

	[ "${2%%:*}" = 10.0.3.2 ] && ns=x
	hh_send ph "$1" "$2" "$HH_W/$3" && hh_send "$ns" "$2" "$1" "$HH_W/$4"
}

hh_build() {
	local w=$HH_W

	hh_build_cmds > "$w/build.cmds"
	hostile_batch "$w/build.cmds"
	printf '0300000708005a%.0s' $(seq 1 10000) > "$w/rlc10k.hex"
	# 200 x (Facility announcing the sender's own h245Address, then
	# ReleaseComplete): a pinhole costs a peer nothing, so it must not
	# buy a netns-wide walk of the flow-close worker.
	printf "$(hh_hex "$w/fac_own")0300000708005a%.0s" $(seq 1 200) > "$w/pairs.hex"
	echo hostile-probe > "$w/junk"
}

hh_build_cmds() {
	local w=$HH_W p
	local HH_CALL="echo h323call" HH_RAS="echo h225ras"

	# a / b / c: the call the phone places, and the peer's hostile answers.
	$HH_CALL setup --cref 21 --raw -o "$w/setup"
	$HH_CALL connect --cref 21 --h245 10.0.2.1:22 --raw -o "$w/conn_fw22"
	$HH_CALL connect --cref 21 --h245 10.0.1.2:22 --raw -o "$w/conn_ph22"
	$HH_CALL facility --cref 21 --tunnel-olc-ack 10.0.1.2:161 --raw -o "$w/fac_ph161"
	# d: the smallest ReleaseComplete, 10,000 times in one write: below.
	# f / i: H.245 on its own connection.
	$HH_CALL connect --cref 23 --h245 10.0.2.2:1300 --raw -o "$w/conn_h245"
	$HH_CALL olc --channel 2 --ctrl 10.0.2.2:7001 --raw -o "$w/olc2"
	$HH_CALL olcack --channel 2 --media 10.0.1.2:5010 --ctrl 10.0.1.2:5011 --raw -o "$w/ack2"
	$HH_CALL olc --channel 3 --ctrl 10.0.2.2:7003 --raw -o "$w/olc3"
	$HH_CALL olcack --channel 3 --media 10.0.1.2:5020 --ctrl 10.0.1.2:5021 --raw -o "$w/ack3"
	$HH_CALL endsession --raw -o "$w/endsession"
	$HH_CALL facility --cref 25 --h245 10.0.1.2:30000 --raw -o "$w/fac_own"
	# RAS: e, g, h, j.
	$HH_RAS rrq --seq 40 --csa 10.0.1.2:1720 --ras 10.0.1.2:49310 -o "$w/rrq40"
	$HH_RAS rcf --seq 40 --csa 10.0.2.2:1720 --ttl 3600 --endpoint-id EPL2 -o "$w/rcf40"
	$HH_RAS rrq --seq 41 --csa 10.0.1.2:1720 --ras 10.0.1.2:49311 -o "$w/rrq41"
	$HH_RAS rcf --seq 41 --csa 10.0.2.2:1720 --ttl-octets ffffffff --endpoint-id EPL2 \
		-o "$w/rcf41"
	$HH_RAS rrq --seq 51 --csa 10.0.1.2:1720 --ras 10.0.1.2:1719 -o "$w/rrq51"
	$HH_RAS rcf --seq 51 --csa 10.0.3.2:1720 --ttl 3600 --endpoint-id EPL5 -o "$w/rcf51"
	$HH_RAS rrq --seq 52 --csa 10.0.1.2:1720 --ras 10.0.1.2:49320 -o "$w/rrq52"
	$HH_RAS rcf --seq 52 --csa 10.0.3.2:1720 --ttl 3600 --endpoint-id EPL5 -o "$w/rcf52"
	for p in 49330 49331 49332 49333 49334; do
		$HH_RAS grq --seq 1 --ras "10.0.1.2:$p" -o "$w/grq$p"
	done
	$HH_RAS gcf --seq 1 --ras 10.0.2.2:1719 -o "$w/gcf"
	$HH_RAS rrq --seq 61 --csa 10.0.1.2:1720 --ras 10.0.1.2:49340 -o "$w/rrq61"
	$HH_RAS rcf --seq 61 --csa 10.0.2.2:1720 --ttl 3600 --endpoint-id 00000001 -o "$w/rcf61"
	$HH_RAS rrq --seq 62 --csa 10.0.1.3:1720 --ras 10.0.1.3:49341 -o "$w/rrq62"
	$HH_RAS rcf --seq 62 --csa 10.0.3.2:1720 --ttl 3600 --endpoint-id 00000001 -o "$w/rcf62"
}

hh_case_a() {
	local w=$HH_W before

	echo "== h323 a. H1 masquerade: h245Address = the firewall's public 10.0.2.1:22"
	hh_ruleset masq
	hh_listen fw 10.0.2.1:22
	cat > "$w/a.json" <<JSON
{"conns": {"q931": {"client": ["ph", "10.0.1.2:32801"], "server": ["gk", "10.0.2.2:1720"]}},
 "steps": [{"conn": "q931", "from": "client", "hex": "$(hh_hex "$w/setup")", "save": "$w/a.1"},
	   {"conn": "q931", "from": "server", "hex": "$(hh_hex "$w/conn_fw22")", "save": "$w/a.2"},
	   {"mark": "$w/a.connected"}, {"wait": "$w/a.done"}]}
JSON
	before=$(hostile_ctr call_refused_not_party)
	hh_play a
	check "h323 a. Setup and Connect (h245Address 10.0.2.1:22) pass" hh_wait "$w/a.connected"
	expect_lines | sed 's/^/   /'
	check "h323 a. no expectation to tcp port 22" test "$(hostile_nexp 'dport=22 ')" -eq 0
	check "h323 a. call_refused_not_party counted ($before -> $(hostile_ctr call_refused_not_party))" \
		test "$(hostile_ctr call_refused_not_party)" -gt "$before"
	check_not "h323 a. peer 10.0.2.2:40022 -> firewall 10.0.2.1:22 is blocked" \
		hh_tcp gk 10.0.2.2:40022 10.0.2.1:22
	touch "$w/a.done"
	hostile_stop
	hostile_reset
}

hh_case_bc() {
	local w=$HH_W before

	echo "== h323 b. H1 routed: h245Address = the phone's 10.0.1.2:22; c. OLCAck to the phone's :161"
	hh_ruleset routed
	hh_listen ph 10.0.1.2:22
	cat > "$w/b.json" <<JSON
{"conns": {"q931": {"client": ["ph", "10.0.1.2:32802"], "server": ["gk", "10.0.2.2:1720"]}},
 "steps": [{"conn": "q931", "from": "client", "hex": "$(hh_hex "$w/setup")"},
	   {"conn": "q931", "from": "server", "hex": "$(hh_hex "$w/conn_ph22")"},
	   {"mark": "$w/b.connected"}, {"wait": "$w/c.go"},
	   {"conn": "q931", "from": "server", "hex": "$(hh_hex "$w/fac_ph161")"},
	   {"mark": "$w/c.sent"}, {"wait": "$w/b.done"}]}
JSON
	before=$(hostile_ctr call_refused_not_party)
	hh_play b
	check "h323 b. Setup and Connect (h245Address 10.0.1.2:22) pass" hh_wait "$w/b.connected"
	expect_lines | sed 's/^/   /'
	check "h323 b. no expectation to tcp port 22" test "$(hostile_nexp 'dport=22 ')" -eq 0
	check "h323 b. call_refused_not_party counted ($before -> $(hostile_ctr call_refused_not_party))" \
		test "$(hostile_ctr call_refused_not_party)" -gt "$before"
	check_not "h323 b. peer 10.0.2.2:40023 -> phone 10.0.1.2:22 is blocked" \
		hh_tcp gk 10.0.2.2:40023 10.0.1.2:22
	before=$(hostile_ctr call_refused_not_party)
	touch "$w/c.go"
	check "h323 c. Facility (tunnelled OLCAck, media 10.0.1.2:161) passes" hh_wait "$w/c.sent"
	expect_lines | sed 's/^/   /'
	check "h323 c. no udp expectation to port 161/162" \
		test "$(hostile_nexp 'proto=17 .*dport=16[12] ')" -eq 0
	check "h323 c. call_refused_not_party counted ($before -> $(hostile_ctr call_refused_not_party))" \
		test "$(hostile_ctr call_refused_not_party)" -gt "$before"
	check_not "h323 c. peer 10.0.2.2:40161 -> phone 10.0.1.2:161 does not arrive" \
		hh_udp gk 10.0.2.2:40161 ph 10.0.1.2:161
	touch "$w/b.done"
	hostile_stop
	hostile_reset
}

hh_case_d() {
	local w=$HH_W before after

	echo "== h323 d. M4: 10,000 ReleaseComplete TPKTs on one connection"
	cat > "$w/d.json" <<JSON
{"conns": {"q931": {"client": ["ph", "10.0.1.2:32804"], "server": ["gk", "10.0.2.2:1722"]}},
 "steps": [{"conn": "q931", "from": "client", "hex": "$(hh_hex "$w/setup")"},
	   {"conn": "q931", "from": "client", "hex": "$(cat "$w/rlc10k.hex")"},
	   {"mark": "$w/d.flooded"},
	   {"conn": "q931", "from": "client", "hex": "$(hh_hex "$w/setup")"},
	   {"mark": "$w/d.after"}, {"wait": "$w/d.pairs"},
	   {"conn": "q931", "from": "client", "hex": "$(cat "$w/pairs.hex")"},
	   {"mark": "$w/d.paired"}, {"wait": "$w/d.done"}]}
JSON
	before=$(hostile_ctr q931_release_complete)
	hh_play d
	check "h323 d. the 70,000-octet train passes byte-identical" hh_wait "$w/d.flooded"
	check "h323 d. the connection still carries a Setup afterwards" hh_wait "$w/d.after"
	after=$(hostile_ctr q931_release_complete)
	check "h323 d. q931_release_complete grew by exactly 10000 ($before -> $after)" \
		test "$after" -eq $((before + 10000))
	check "h323 d. 'conntrack -L expect' still returns within 20 s" \
		timeout 20 ip netns exec fw conntrack -L expect
	check "h323 d. 'conntrack -L' still returns within 20 s" \
		sh -c 'timeout 20 ip netns exec fw conntrack -L >/dev/null 2>&1'
	before=$(hostile_ctr call_release_repeated)
	local closed=$(hostile_ctr call_flow_closed) opened=$(hostile_ctr call_h245_pinhole_opened)
	touch "$w/d.pairs"
	check "h323 d2. 200 x (Facility with own h245Address, ReleaseComplete) pass" \
		hh_wait "$w/d.paired"
	check "h323 d2. ... each opened its pinhole ($opened -> $(hostile_ctr call_h245_pinhole_opened))" \
		test "$(hostile_ctr call_h245_pinhole_opened)" -ge $((opened + 200))
	check "h323 d2. ... and no release queued a flow close: call_release_repeated +200 ($before -> $(hostile_ctr call_release_repeated))" \
		test "$(hostile_ctr call_release_repeated)" -ge $((before + 200))
	check "h323 d2. ... call_flow_closed unchanged ($closed)" \
		test "$(hostile_ctr call_flow_closed)" -eq "$closed"
	touch "$w/d.done"
	hostile_stop
	hostile_reset
}

hh_case_fi() {
	local w=$HH_W before

	echo "== h323 f. L3: CloseLogicalChannel channel octets ff ff; i. L8: Q.931 FIN before endSession"
	cat > "$w/f.json" <<JSON
{"conns": {"q931": {"client": ["ph", "10.0.1.2:32805"], "server": ["gk", "10.0.2.2:1723"]},
	   "h245": {"client": ["ph", "10.0.1.2:40200"], "server": ["gk", "10.0.2.2:1300"]}},
 "steps": [{"conn": "q931", "from": "client", "hex": "$(hh_hex "$w/setup")"},
	   {"conn": "q931", "from": "server", "hex": "$(hh_hex "$w/conn_h245")"},
	   {"conn": "h245", "from": "server", "hex": "$(hh_hex "$w/olc2")"},
	   {"conn": "h245", "from": "client", "hex": "$(hh_hex "$w/ack2")"},
	   {"mark": "$w/f.ready"}, {"wait": "$w/f.go"},
	   {"conn": "h245", "from": "server", "hex": "030000090400ffff80"},
	   {"mark": "$w/f.sent"}, {"wait": "$w/i.go"},
	   {"close": "q931"},
	   {"mark": "$w/i.closed"}, {"wait": "$w/i.go2"},
	   {"conn": "h245", "from": "server", "hex": "$(hh_hex "$w/olc3")"},
	   {"conn": "h245", "from": "client", "hex": "$(hh_hex "$w/ack3")"},
	   {"mark": "$w/i.media"}, {"wait": "$w/i.end"},
	   {"conn": "h245", "from": "server", "hex": "$(hh_hex "$w/endsession")"},
	   {"mark": "$w/i.ended"}, {"wait": "$w/f.done"}]}
JSON
	hh_play f
	check "h323 f. the call with H.245 on its own connection is up, OLC/OLCAck exchanged" \
		hh_wait "$w/f.ready"
	expect_lines | sed 's/^/   /'
	check "h323 f. media pinholes peer -> phone:5010/5011 exist before" \
		test "$(hostile_nexp 'proto=17 src=10.0.2.2 dst=10.0.1.2 .*dport=501[01] ')" -eq 2
	before=$(hostile_ctr h245_malformed)
	touch "$w/f.go"
	check "h323 f. CloseLogicalChannel 04 00 ff ff 80 passes" hh_wait "$w/f.sent"
	sleep 0.2
	check "h323 f. h245_malformed counted ($before -> $(hostile_ctr h245_malformed))" \
		test "$(hostile_ctr h245_malformed)" -gt "$before"
	check "h323 f. the media pinholes to phone:5010/5011 still exist" \
		test "$(hostile_nexp 'proto=17 src=10.0.2.2 dst=10.0.1.2 .*dport=501[01] ')" -eq 2

	touch "$w/i.go"
	check "h323 i. the Q.931 connection closes (FIN both ways)" hh_wait "$w/i.closed"
	sleep 1		# the flow-close worker runs now, if it is going to
	touch "$w/i.go2"
	check "h323 i. after the Q.931 FIN, OLC/OLCAck still pass on the H.245 connection" \
		hh_wait "$w/i.media"
	expect_lines | sed 's/^/   /'
	check "h323 i. ... and open media peer -> phone:5020" \
		test "$(hostile_nexp 'proto=17 src=10.0.2.2 dst=10.0.1.2 .*dport=5020 ')" -eq 1
	check "h323 i. media 10.0.2.2:7020 -> phone 10.0.1.2:5020 arrives" \
		hh_udp gk 10.0.2.2:7020 ph 10.0.1.2:5020
	touch "$w/i.end"
	check "h323 i. endSession passes" hh_wait "$w/i.ended"
	check "h323 i. ... and removes the media pinholes to phone:5020/5021" \
		sh -c "[ -e '$w/i.ended' ] && [ $(hostile_nexp 'dport=502[01] ') -eq 0 ]"
	check_not "h323 i. after endSession new media 10.0.2.2:7021 -> phone:5021 is blocked" \
		hh_udp gk 10.0.2.2:7021 ph 10.0.1.2:5021
	touch "$w/f.done"
	cat "$w/f.log"
	hostile_stop
	hostile_reset
}

hh_case_e() {
	local w=$HH_W before

	echo "== h323 e. L2: RCF timeToLive = ff ff ff ff"
	hh_ras 10.0.1.2:49310 10.0.2.2:1719 rrq40 rcf40
	check "h323 e. (control) RRQ/RCF with TTL 3600 opens the reverse pinhole" \
		test "$(hostile_nexp 'dst=10.0.1.2 .*dport=1720 ')" -ge 1
	hostile_stop
	hostile_reset
	before=$(hostile_ctr ras_malformed)
	hh_ras 10.0.1.2:49311 10.0.2.2:1719 rrq41 rcf41
	expect_lines | sed 's/^/   /'
	check "h323 e. ras_malformed counted ($before -> $(hostile_ctr ras_malformed))" \
		test "$(hostile_ctr ras_malformed)" -gt "$before"
	check "h323 e. no reverse pinhole to the phone's 1720" \
		test "$(hostile_nexp 'dst=10.0.1.2 .*dport=1720 ')" -eq 0
	hostile_stop
	hostile_reset
}

hh_case_g() {
	local w=$HH_W before

	echo "== h323 g. L5: an RCF from the phone's side"
	before=$(( $(hostile_ctr refused_rcf_unmatched) + $(hostile_ctr ras_other) ))
	# The gatekeeper starts the RAS flow (the helper is on gk -> phone:1719),
	# then the phone sends an RRQ and a forged RCF naming a third host.
	hh_send gk 10.0.2.2:1719 10.0.1.2:1719 "$w/junk"
	hh_send ph 10.0.1.2:1719 10.0.2.2:1719 "$w/rrq51"
	hh_send ph 10.0.1.2:1719 10.0.2.2:1719 "$w/rcf51"
	sleep 0.2
	expect_lines | sed 's/^/   /'
	check "h323 g. gatekeeper-initiated flow: the phone's RCF opens no pinhole to the phone" \
		test "$(hostile_nexp 'dst=10.0.1.2 .*dport=1720 ')" -eq 0
	check "h323 g. refused_rcf_unmatched or ras_other counted" \
		test $(( $(hostile_ctr refused_rcf_unmatched) + $(hostile_ctr ras_other) )) -gt "$before"
	hostile_reset
	before=$(( $(hostile_ctr refused_rcf_unmatched) + $(hostile_ctr ras_other) ))
	hh_send ph 10.0.1.2:49320 10.0.2.2:1719 "$w/rrq52"
	hh_send ph 10.0.1.2:49320 10.0.2.2:1719 "$w/rcf52"
	sleep 0.2
	check "h323 g. phone-initiated flow: the phone's own RCF opens no pinhole" \
		test "$(hostile_nexp 'dst=10.0.1.2 .*dport=1720 ')" -eq 0
	check "h323 g. ... refused_rcf_unmatched or ras_other counted" \
		test $(( $(hostile_ctr refused_rcf_unmatched) + $(hostile_ctr ras_other) )) -gt "$before"
	hostile_reset
}

# hh_discover PHONE_PORT REPLY_PORT: a multicast GRQ from the phone, then
# the gatekeeper's GCF from 10.0.2.2:REPLY_PORT. Exit 0 when the GCF reaches
# the phone, 1 when the helper saw the GRQ (gcf_pinhole_opened grew) but the
# GCF did not arrive, 2 when the GRQ was not seen.
hh_discover() {
	local before i

	before=$(hostile_ctr gcf_pinhole_opened)
	hh_send ph "10.0.1.2:$1" 224.0.1.41:1718 "$HH_W/grq$1" ",ip-multicast-ttl=4"
	# Up to 3 s for the helper to see it: a loaded TCG guest can be slow.
	for i in $(seq 1 30); do
		[ "$(hostile_ctr gcf_pinhole_opened)" -gt "$before" ] && break
		sleep 0.1
	done
	[ "$(hostile_ctr gcf_pinhole_opened)" -gt "$before" ] || return 2
	hh_recv_start ph "10.0.1.2:$1" || return 2
	hh_send gk "10.0.2.2:$2" "10.0.1.2:$1" "$HH_W/gcf"
	hh_recv_done && return 0
	return 1
}

hh_gcf_blocked() {	# PHONE_PORT REPLY_PORT: the GRQ went out, its GCF was dropped
	hh_discover "$1" "$2"
	[ $? = 1 ]
}

hh_case_h() {
	echo "== h323 h. L6: the GCF pinhole admits the RAS port only"
	fw sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.ph0.rp_filter=0
	hostile_bg ip netns exec fw python3 "$TOP/tests/lib/mroute.py" 10.0.1.2 224.0.1.41 ph0 gk0
	sleep 1
	check "h323 h. GCF from 10.0.2.2:5000 does not reach the phone (the GRQ got out)" \
		hh_gcf_blocked 49330 5000
	check "h323 h. GCF from 10.0.2.2:1718 does not reach the phone (the GRQ got out)" \
		hh_gcf_blocked 49331 1718
	check "h323 h. (control) GCF from 10.0.2.2:1719 reaches the phone" hh_discover 49332 1719
	# gk_discovery_src narrows the GCF pinhole's source to a prefix.
	local param=/sys/module/nf_conntrack_avaya/parameters/gk_discovery_src
	echo 10.0.3.0/24 > "$param"
	check "h323 h2. gk_discovery_src=10.0.3.0/24: GCF from 10.0.2.2:1719 is dropped" \
		hh_gcf_blocked 49333 1719
	echo 10.0.2.0/24 > "$param"
	check "h323 h2. gk_discovery_src=10.0.2.0/24: GCF from 10.0.2.2:1719 reaches the phone" \
		hh_discover 49334 1719
	check_not "h323 h2. gk_discovery_src refuses a bad prefix" sh -c "echo 10.0.2.0/33 > $param"
	echo > "$param"
	hostile_stop
	hostile_reset
}

hh_case_j() {
	echo "== h323 j. L1: two gatekeepers assign the same endpointIdentifier 00000001"
	hh_ras 10.0.1.2:49340 10.0.2.2:1719 rrq61 rcf61
	check "h323 j. (control) phone 10.0.1.2 registered with gk 10.0.2.2" \
		test "$(hostile_nexp 'dst=10.0.1.2 .*dport=1720 ')" -ge 1
	hh_ras 10.0.1.3:49341 10.0.3.2:1719 rrq62 rcf62
	expect_lines | sed 's/^/   /'
	check "h323 j. the reverse pinhole to 10.0.1.2:1720 still exists" \
		test "$(hostile_nexp 'dst=10.0.1.2 .*dport=1720 ')" -ge 1
	check "h323 j. the reverse pinhole to 10.0.1.3:1720 exists" \
		test "$(hostile_nexp 'dst=10.0.1.3 .*dport=1720 ')" -ge 1
	hostile_stop
	hostile_reset
}

hostile_h323() {
	local c t

	HH_W=$(mktemp -d)
	t=$(date +%s)
	hh_build
	echo "h323: messages built in $(($(date +%s) - t)) s"
	# bc sets the routed ruleset for the rest.
	for c in a bc d fi e g h j; do
		t=$(date +%s)
		"hh_case_$c"
		echo "h323: case $c took $(($(date +%s) - t)) s"
	done
	echo "== h323 counters"
	fw cat /proc/net/nf_conntrack_avaya | grep -v ' 0$' | sed 's/^/   /'
	fw nft flush ruleset
	hostile_reset
	return 0
}
