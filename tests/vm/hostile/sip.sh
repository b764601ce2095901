# SPDX-License-Identifier: GPL-2.0-only
#
# Hostile SIP peers (security review 2026-11-30), a part of
# tests/vm/hostile_peers.sh: sourced after tests/vm/lib.sh and
# setup_topology; hostile_sip runs k-o, hostile_sip_last runs p after every
# other part. Neither exits.
#
#   PBX ph 10.0.1.2 --- fw: routed, default drop (forward and input), --- registrar/trunk gk 10.0.2.2
#                       avaya-sip on udp and tcp 5060
#
#  k. M7: the PBX REGISTERs with Contact port 5060 (UDP and TCP); a rogue
#     registrar's 200 lists the PBX's :161 (udp) / :22 (tcp) too: no
#     pinhole to 161/22, sip_refused_register_port counted; the 5060 pinhole
#     the REGISTER asked for exists.
#  l. M9: 80 INVITEs (distinct Call-IDs and m=audio ports) on the
#     registered flow leave the registration pinhole in place.
#  m. M8: an established call with RTP flowing; the peer's re-INVITEs
#     answered 491 and 488 leave the media flow and its pinholes alone, RTP
#     still passes; a BYE for another Call-ID whose 16-bit tag (today's
#     helper) collides does not touch this call either.
#  n. L7: an INVITE with two (equal) Content-Length headers is malformed
#     (sip_malformed), opens no media pinhole, and is forwarded untouched.
#  o. L4: m=audio 65535 opens no pinhole to udp port 0.
#  q. A phone registers Contact 10.0.1.2:5066 from :5070, then again from
#     :5072 while the :5070 flow lives (a reconnect): the new flow takes
#     the equal pinhole over (sip_register_superseded), one pinhole
#     remains, and it outlives the old flow (conntrack -D of :5070).
#  p. M1: 20 times, a call ends (BYE with its media flow live) and the
#     firewall namespace running the helper is deleted at once; the driver
#     then checks the kernel log.

hs_ruleset() {
	fw nft flush ruleset
	fw nft -f - <<'EOF'
table inet fw {
	ct helper sip-udp {
		type "avaya-sip" protocol udp;
	}
	ct helper sip-tcp {
		type "avaya-sip" protocol tcp;
	}
	chain input {
		type filter hook input priority filter; policy drop;
		ct state established,related accept
	}
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established,related accept
		ip saddr 10.0.1.0/24 ip daddr 10.0.2.2 udp dport 5060 ct helper set "sip-udp" accept
		ip saddr 10.0.1.0/24 ip daddr 10.0.2.2 tcp dport 5060 ct helper set "sip-tcp" accept
	}
}
EOF
	hostile_reset
}

# hs_send NS SRC DST FILE: one datagram, nobody needs to listen.
hs_send() {
	ip netns exec "$1" socat -u - "UDP4-SENDTO:$3,bind=$2,reuseaddr" < "$4"
}

# hs_udp FROM_NS SRC TO_NS DST: one datagram from SRC arrives at DST.
hs_udp() {
	local pid f=$HS_W/udp.rx

	rm -f "$f"
	ip netns exec "$3" timeout "$(scaled 4)" socat -u \
		"UDP4-RECVFROM:${4##*:},bind=${4%:*},reuseaddr" "OPEN:$f,creat" &
	pid=$!
	wait_listen "$3" udp "${4##*:}" || { kill "$pid" 2>/dev/null; wait "$pid"; return 2; }
	echo rtp | ip netns exec "$1" socat -u - "UDP4-SENDTO:$4,bind=$2,reuseaddr"
	wait "$pid"
	[ -s "$f" ]
}

# hs_exchange NAME SRC DST: REQUEST $HS_W/NAME.req from ph, the registrar's
# answer $HS_W/NAME.ok from DST back to SRC (socat, not python: a python
# start costs seconds under TCG).
hs_exchange() {
	hs_send ph "$2" "$3" "$HS_W/$1.req" && hs_send gk "$3" "$2" "$HS_W/$1.ok"
}

hs_build_cmds() {
	local w=$HS_W i
	local M=sipmsg R="--src 10.0.1.2:5060 --dst 10.0.2.2:5060"
	local C="--src 10.0.1.2:5060 --dst 10.0.2.2:5060 --call-id m8-call@avaya.test"
	local B="--src 10.0.2.2:5060 --dst 10.0.1.2:5060 --call-id m8-call@avaya.test"

	# k / l
	echo "$M register $R --contact 10.0.1.2:5060 --expires 600 --cseq 1 -o $w/k1.req"
	echo "$M ok $R --contact 10.0.1.2:5060 --expires 600 --cseq 1 -o $w/k1.ok"
	echo "$M register $R --contact 10.0.1.2:5060 --expires 600 --cseq 2 -o $w/k2.req"
	echo "$M ok $R --contact 10.0.1.2:161 --extra-contact 10.0.1.2:5060 --expires 600 --cseq 2 -o $w/k2.ok"
	echo "$M register --src 10.0.1.2:40600 --dst 10.0.2.2:5060 --contact 10.0.1.2:5060 --expires 600 --cseq 3 --call-id m7-tcp@avaya.test -o $w/k3.req"
	echo "$M ok --src 10.0.1.2:40600 --dst 10.0.2.2:5060 --contact 10.0.1.2:22 --extra-contact 10.0.1.2:5060 --expires 600 --cseq 3 --call-id m7-tcp@avaya.test -o $w/k3.ok"
	# The registrar registers itself (Contact: its own :22), then answers
	# that REGISTER naming the PBX at :22 (second review, finding 1).
	echo "$M register --src 10.0.2.2:5060 --dst 10.0.1.2:5060 --contact 10.0.2.2:22 --expires 600 --cseq 7 --call-id self-reg@avaya.test -o $w/k4.req"
	echo "$M ok --src 10.0.2.2:5060 --dst 10.0.1.2:5060 --contact 10.0.1.2:22 --expires 600 --cseq 7 --call-id self-reg@avaya.test -o $w/k4.ok"
	for i in $(seq 0 79); do
		echo "$M invite $R --call-id m9-$i@avaya.test --media 10.0.1.2:$((20000 + 2 * i)) -o $w/l.$i"
	done
	# m
	echo "$M invite $C --media 10.0.1.2:7000 -o $w/m.invite"
	echo "$M invite-ok $C --media 10.0.2.2:8000 -o $w/m.ok"
	echo "$M reinvite $B --media 10.0.2.2:8000 --cseq 2 -o $w/m.re2"
	echo "$M invite-fail $B --cseq 2 --status '491 Request Pending' -o $w/m.491"
	echo "$M reinvite $B --media 10.0.2.2:8000 --cseq 3 -o $w/m.re3"
	echo "$M invite-fail $B --cseq 3 --status '488 Not Acceptable Here' -o $w/m.488"
	# n / o
	echo "$M invite --src 10.0.1.2:5064 --dst 10.0.2.2:5060 --call-id l7@avaya.test --media 10.0.1.2:7100 --dup-clen -o $w/n.invite"
	echo "$M invite --src 10.0.1.2:5066 --dst 10.0.2.2:5060 --call-id l4@avaya.test --media 10.0.1.2:65535 -o $w/o.invite"
	# q
	echo "$M register --src 10.0.1.2:5070 --dst 10.0.2.2:5060 --contact 10.0.1.2:5066 --expires 600 --cseq 11 --call-id q-reg@avaya.test -o $w/q1.req"
	echo "$M ok --src 10.0.1.2:5070 --dst 10.0.2.2:5060 --contact 10.0.1.2:5066 --expires 600 --cseq 11 --call-id q-reg@avaya.test -o $w/q1.ok"
	echo "$M register --src 10.0.1.2:5072 --dst 10.0.2.2:5060 --contact 10.0.1.2:5066 --expires 600 --cseq 12 --call-id q-reg@avaya.test -o $w/q2.req"
	echo "$M ok --src 10.0.1.2:5072 --dst 10.0.2.2:5060 --contact 10.0.1.2:5066 --expires 600 --cseq 12 --call-id q-reg@avaya.test -o $w/q2.ok"
	# p: the call in the throw-away namespaces
	echo "$M invite --src 10.9.1.2:5060 --dst 10.9.2.2:5060 --call-id m1@avaya.test --media 10.9.1.2:7000 -o $w/p.invite"
	echo "$M invite-ok --src 10.9.1.2:5060 --dst 10.9.2.2:5060 --call-id m1@avaya.test --media 10.9.2.2:8000 -o $w/p.ok"
	echo "$M bye --src 10.9.1.2:5060 --dst 10.9.2.2:5060 --call-id m1@avaya.test --cseq 2 -o $w/p.bye"
}

hs_build() {
	hs_build_cmds > "$HS_W/build.cmds"
	# A BYE for another call whose 16-bit tag (jhash of the Call-ID, as
	# today's helper keys calls) equals this call's: precomputed with
	# "sipmsg.py collide m8-call@avaya.test"; the tag is checked below.
	echo "sipmsg bye --src 10.0.1.2:5060 --dst 10.0.2.2:5060 --call-id $HS_COLLIDE --cseq 9 -o $HS_W/m.bye_other" \
		>> "$HS_W/build.cmds"
	echo "sipmsg tag m8-call@avaya.test" >> "$HS_W/build.cmds"
	echo "sipmsg tag $HS_COLLIDE" >> "$HS_W/build.cmds"
	hostile_batch "$HS_W/build.cmds" > "$HS_W/tags"
}

hs_reg_pinhole() {	# PROTO PORT: registrar -> PBX:PORT, permanent
	expect_lines | grep -Eq "proto=$1 src=10.0.2.2 dst=10.0.1.2 sport=0 dport=$2 .*PERMANENT"
}

hs_case_k() {
	local w=$HS_W before

	echo "== sip k. M7: the rogue registrar's 200 names ports the REGISTER did not"
	check "sip k. (control) REGISTER/200 with Contact 10.0.1.2:5060 (udp)" hs_exchange k1 \
		10.0.1.2:5060 10.0.2.2:5060
	check "sip k. (control) ... opens the registration pinhole udp 10.0.2.2 -> 10.0.1.2:5060" \
		hs_reg_pinhole 17 5060
	before=$(hostile_ctr sip_refused_register_port)
	check "sip k. REGISTER (Contact :5060) / rogue 200 (Contacts :161 and :5060) pass" \
		hs_exchange k2 10.0.1.2:5060 10.0.2.2:5060
	expect_lines | sed 's/^/   /'
	check "sip k. no expectation to udp port 161" test "$(hostile_nexp 'proto=17 .* dport=161 ')" -eq 0
	check "sip k. sip_refused_register_port counted ($before -> $(hostile_ctr sip_refused_register_port))" \
		test "$(hostile_ctr sip_refused_register_port)" -gt "$before"
	check "sip k. the udp 5060 registration pinhole still exists" hs_reg_pinhole 17 5060

	bg ip netns exec ph socat TCP4-LISTEN:22,bind=10.0.1.2,reuseaddr,fork /dev/null
	HOSTILE_PIDS+=("$BG")
	wait_listen ph tcp 22
	cat > "$w/k3.json" <<JSON
{"conns": {"sip": {"client": ["ph", "10.0.1.2:40600"], "server": ["gk", "10.0.2.2:5060"]}},
 "steps": [{"conn": "sip", "from": "client", "hex": "$(od -An -v -tx1 "$w/k3.req" | tr -d ' \n')"},
	   {"conn": "sip", "from": "server", "hex": "$(od -An -v -tx1 "$w/k3.ok" | tr -d ' \n')"},
	   {"mark": "$w/k3.done"}, {"wait": "$w/k3.end"}]}
JSON
	before=$(hostile_ctr sip_refused_register_port)
	python3 "$TOP/tests/lib/callplay.py" "$w/k3.json" > "$w/k3.log" 2>&1 &
	HOSTILE_PIDS+=($!)
	local i
	for i in $(seq 1 200); do [ -e "$w/k3.done" ] && break; sleep 0.1; done
	check "sip k. REGISTER / rogue 200 (Contacts :22 and :5060) over tcp pass" test -e "$w/k3.done"
	expect_lines | sed 's/^/   /'
	check "sip k. no expectation to tcp port 22" test "$(hostile_nexp 'proto=6 .* dport=22 ')" -eq 0
	check "sip k. sip_refused_register_port counted for tcp ($before -> $(hostile_ctr sip_refused_register_port))" \
		test "$(hostile_ctr sip_refused_register_port)" -gt "$before"
	check "sip k. the tcp 5060 registration pinhole exists" hs_reg_pinhole 6 5060
	check_not "sip k. registrar 10.0.2.2:40022 -> PBX 10.0.1.2:22 is blocked" \
		ip netns exec gk timeout "$(scaled 5)" socat -u /dev/null \
		TCP4:10.0.1.2:22,bind=10.0.2.2:40022,reuseaddr,connect-timeout=1.5
	touch "$w/k3.end"
	hostile_stop

	# The 2xx must come from the other side than the REGISTER it answers.
	check "sip k4. the registrar's own REGISTER (Contact 10.0.2.2:22) passes" \
		hs_send gk 10.0.2.2:5060 10.0.1.2:5060 "$w/k4.req"
	check "sip k4. ... and the registrar's 200 naming the PBX at :22 passes" \
		hs_send gk 10.0.2.2:5060 10.0.1.2:5060 "$w/k4.ok"
	sleep 0.2
	expect_lines | sed 's/^/   /'
	check "sip k4. no expectation to udp port 22" \
		test "$(hostile_nexp 'proto=17 .* dport=22 ')" -eq 0
}

hs_case_l() {
	local w=$HS_W

	echo "== sip l. M9: 80 INVITEs on the registered flow"
	check "sip l. (control) the udp 5060 registration pinhole exists before" hs_reg_pinhole 17 5060
	ph python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.0.1.2", 5060))
for i in range(80):
    s.sendto(open("%s/l.%d" % (sys.argv[1], i), "rb").read(), ("10.0.2.2", 5060))
' "$w"
	sleep 0.3
	echo "   media expectations now: $(hostile_nexp 'proto=17 .*dport=[2][0-9]* ')," \
		"sip_refused_too_many_media=$(hostile_ctr sip_refused_too_many_media)"
	check "sip l. the registration pinhole survives 80 INVITEs (160 media pinholes)" \
		hs_reg_pinhole 17 5060
	hostile_reset
}

hs_media_flow() {	# the call's RTP flow 10.0.2.2:8000 -> 10.0.1.2:7000 is tracked
	fw conntrack -L -p udp 2>/dev/null | grep -q 'src=10.0.2.2 dst=10.0.1.2 sport=8000 dport=7000 '
}

hs_case_m() {
	local w=$HS_W t1 t2

	echo "== sip m. M8: failed re-INVITEs and a colliding BYE leave a live call alone"
	hs_send ph 10.0.1.2:5060 10.0.2.2:5060 "$w/m.invite"
	hs_send gk 10.0.2.2:5060 10.0.1.2:5060 "$w/m.ok"
	expect_lines | sed 's/^/   /'
	check "sip m. (control) RTP 10.0.2.2:8000 -> PBX 10.0.1.2:7000 passes" \
		hs_udp gk 10.0.2.2:8000 ph 10.0.1.2:7000
	check "sip m. (control) ... and is a tracked flow" hs_media_flow
	hs_send gk 10.0.2.2:5060 10.0.1.2:5060 "$w/m.re2"
	hs_send ph 10.0.1.2:5060 10.0.2.2:5060 "$w/m.491"
	sleep 0.5	# the flow-close worker, if it is going to run
	check "sip m. after re-INVITE/491 the media flow is still tracked" hs_media_flow
	check "sip m. ... and RTP 10.0.2.2:8000 -> 10.0.1.2:7000 still passes" \
		hs_udp gk 10.0.2.2:8000 ph 10.0.1.2:7000
	check "sip m. ... and the RTCP pinhole to 10.0.1.2:7001 is still there" \
		test "$(hostile_nexp 'src=10.0.2.2 dst=10.0.1.2 .*dport=7001 ')" -eq 1
	hs_send gk 10.0.2.2:5060 10.0.1.2:5060 "$w/m.re3"
	hs_send ph 10.0.1.2:5060 10.0.2.2:5060 "$w/m.488"
	sleep 0.5
	check "sip m. after re-INVITE/488 the media flow is still tracked" hs_media_flow
	check "sip m. ... and RTP still passes" hs_udp gk 10.0.2.2:8000 ph 10.0.1.2:7000
	# The same call again, from scratch, for the BYE of another call.
	hostile_reset
	hs_send ph 10.0.1.2:5060 10.0.2.2:5060 "$w/m.invite"
	hs_send gk 10.0.2.2:5060 10.0.1.2:5060 "$w/m.ok"
	check "sip m. (control) the call again: RTP passes" hs_udp gk 10.0.2.2:8000 ph 10.0.1.2:7000
	{ read -r t1; read -r t2; } < "$w/tags"
	echo "   16-bit tags (today's helper): m8-call $t1, $HS_COLLIDE $t2;" \
		"the RTCP pinhole carries sport=$(expect_lines | awk '/dport=7001 / { for (i = 1; i <= NF; i++) if ($i ~ /^sport=/) { print substr($i, 7); exit } }')"
	hs_send ph 10.0.1.2:5060 10.0.2.2:5060 "$w/m.bye_other"
	sleep 0.5
	check "sip m. a BYE for $HS_COLLIDE (same 16-bit tag) leaves the RTCP pinhole" \
		test "$(hostile_nexp 'src=10.0.2.2 dst=10.0.1.2 .*dport=7001 ')" -eq 1
	check "sip m. ... and the media flow" hs_media_flow
	check "sip m. ... and RTP still passes" hs_udp gk 10.0.2.2:8000 ph 10.0.1.2:7000
	hostile_reset
}

hs_case_n() {
	local w=$HS_W before

	echo "== sip n. L7: two Content-Length headers"
	before=$(hostile_ctr sip_malformed)
	rm -f "$w/n.rx.0"
	ip netns exec gk timeout "$(scaled 4)" socat -u UDP4-RECVFROM:5060,bind=10.0.2.2,reuseaddr \
		"OPEN:$w/n.rx.0,creat" &
	HOSTILE_PIDS+=($!)
	wait_listen gk udp 5060
	hs_send ph 10.0.1.2:5064 10.0.2.2:5060 "$w/n.invite"
	wait "${HOSTILE_PIDS[-1]}"
	check "sip n. sip_malformed counted ($before -> $(hostile_ctr sip_malformed))" \
		test "$(hostile_ctr sip_malformed)" -gt "$before"
	check "sip n. no media pinhole to 10.0.1.2:7100" test "$(hostile_nexp 'dport=710[01] ')" -eq 0
	check "sip n. the INVITE is forwarded untouched (not strict)" cmp -s "$w/n.invite" "$w/n.rx.0"
	hostile_stop
	hostile_reset
}

hs_case_o() {
	local w=$HS_W

	echo "== sip o. L4: m=audio 65535"
	hs_send ph 10.0.1.2:5066 10.0.2.2:5060 "$w/o.invite"
	sleep 0.2
	expect_lines | sed 's/^/   /'
	check "sip o. no expectation to udp port 0" test "$(hostile_nexp ' dport=0 ')" -eq 0
	hostile_reset
}

hs_case_q() {
	local sup

	echo "== sip q. the same phone registers again from a new flow"
	check "sip q. REGISTER/200 from :5070 (Contact 10.0.1.2:5066)" \
		hs_exchange q1 10.0.1.2:5070 10.0.2.2:5060
	check "sip q. ... opens udp 10.0.2.2 -> 10.0.1.2:5066" hs_reg_pinhole 17 5066
	sup=$(hostile_ctr sip_register_superseded)
	check "sip q. REGISTER/200 from :5072, same Contact, the :5070 flow alive" \
		hs_exchange q2 10.0.1.2:5072 10.0.2.2:5060
	sleep 0.2
	check "sip q. the new flow took the pinhole over (sip_register_superseded $sup -> $(hostile_ctr sip_register_superseded))" \
		test "$(hostile_ctr sip_register_superseded)" -eq $((sup + 1))
	check "sip q. one pinhole to 10.0.1.2:5066" \
		test "$(hostile_nexp 'proto=17 src=10.0.2.2 dst=10.0.1.2 sport=0 dport=5066 ')" -eq 1
	check "sip q. the :5070 flow ends (conntrack -D)" \
		fw conntrack -D -p udp --orig-src 10.0.1.2 --sport 5070
	check "sip q. the pinhole to 10.0.1.2:5066 is the new flow's: still there" \
		hs_reg_pinhole 17 5066
}

hostile_sip() {
	local c t

	HS_W=$(mktemp -d)
	HS_COLLIDE=other-4642@avaya.test
	t=$(date +%s)
	hs_build
	echo "sip: messages built in $(($(date +%s) - t)) s"
	hs_ruleset
	for c in k l m n o q; do
		t=$(date +%s)
		"hs_case_$c"
		echo "sip: case $c took $(($(date +%s) - t)) s"
	done
	echo "== sip counters"
	fw cat /proc/net/nf_conntrack_avaya | grep -E '^sip_' | grep -v ' 0$' | sed 's/^/   /'
	hostile_stop
	fw nft flush ruleset
	hostile_reset
	return 0
}

# p. M1: a call ends and its firewall namespace goes at once, 20 times.
hs_teardown_once() {
	local w=$HS_W i

	for i in hsa hsf hsb; do ip netns del "$i" 2>/dev/null; done
	ip -b - <<'EOF' || return 1
netns add hsa
netns add hsf
netns add hsb
link add eth0 netns hsa type veth peer name a0 netns hsf
link add eth0 netns hsb type veth peer name b0 netns hsf
EOF
	ip -n hsa -b - <<'EOF' || return 1
link set lo up
link set eth0 up
addr add 10.9.1.2/24 dev eth0
route add default via 10.9.1.1
EOF
	ip -n hsb -b - <<'EOF' || return 1
link set lo up
link set eth0 up
addr add 10.9.2.2/24 dev eth0
route add default via 10.9.2.1
EOF
	ip -n hsf -b - <<'EOF' || return 1
link set a0 up
link set b0 up
addr add 10.9.1.1/24 dev a0
addr add 10.9.2.1/24 dev b0
EOF
	ip netns exec hsf sh -c "sysctl -qw net.ipv4.ip_forward=1 && nft -f '$w/p.nft'" || return 1
	hs_send hsa 10.9.1.2:5060 10.9.2.2:5060 "$w/p.invite"
	hs_send hsb 10.9.2.2:5060 10.9.1.2:5060 "$w/p.ok"
	echo rtp | ip netns exec hsb socat -u - UDP4-SENDTO:10.9.1.2:7000,bind=10.9.2.2:8000
	hs_send hsa 10.9.1.2:5060 10.9.2.2:5060 "$w/p.bye"
	ip netns del hsf
	ip netns del hsa
	ip netns del hsb
}

hostile_sip_last() {
	local w=$HS_W i ok=0 t

	echo "== sip p. M1: a call ends and the firewall namespace is deleted at once, 20 times"
	t=$(date +%s)
	cat > "$w/p.nft" <<'EOF'
table inet fw {
	ct helper sip-udp {
		type "avaya-sip" protocol udp;
	}
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established,related accept
		ip saddr 10.9.1.2 udp dport 5060 ct helper set "sip-udp" accept
	}
}
EOF
	for i in $(seq 1 20); do
		hs_teardown_once && ok=$((ok + 1))
	done
	for i in hsa hsf hsb; do ip netns del "$i" 2>/dev/null; done
	check "sip p. 20 call-end + netns deletions ran ($ok of 20 complete)" test "$ok" -eq 20
	echo "sip: case p took $(($(date +%s) - t)) s"
	return 0
}
