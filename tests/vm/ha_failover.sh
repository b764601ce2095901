#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# avaya-vm: ownboot (keepalived, conntrackd and five namespaces of its own)
# avaya-vm-timeout: 600
#
# A firewall pair (issue 17; README "Firewall pairs"): registrations and
# calls survive the failure of the active firewall, with the shipped
# contrib/conntrackd.conf, contrib/keepalived.conf and contrib/avaya-ha.nft.
#
#   ns "ph"                      ns "sw": bridges br-in, br-out          ns "gk"
#   phone 10.0.1.2 ---- br-in ---- lan0 fw1 wan0 ---- br-out ---- gatekeeper and
#   PBX   10.0.1.3           \     10.0.1.11 10.0.2.11    /        SIP provider
#                             \    sync0 192.168.100.1   /         10.0.2.2
#                              \         |              /
#                               -- lan0 fw2 wan0 -------
#                                  10.0.1.12 10.0.2.12
#                                  sync0 192.168.100.2
#
# keepalived moves the virtual addresses 10.0.1.1 (the inside's gateway)
# and 10.0.2.1 (the outside's route to the phone, and the address the PBX
# is translated to: "snat to 10.0.2.1", README step 2); the phone is
# routed, not translated. Both firewalls: the same ruleset (input and
# forward policy drop, helpers set on phone/PBX-initiated flows), then
# contrib/avaya-ha.nft; conntrackd FTFW on sync0; Debian's primary-backup.sh
# as keepalived's notify script.
#
# 1. fw1 becomes active, fw2 backup.
# 2. Through fw1: the phone registers (RRQ/RCF, TTL 600: reverse pinhole
#    gk:61440-61444 -> phone:1720), the PBX registers (REGISTER/200 through
#    SNAT, expires 600: pinhole provider -> 10.0.2.1:5060); an H.323 call
#    (gk:61440 -> phone:1720, tunnelled OLC/OLCAck: RTP phone:5000 <->
#    gk:6000) and a SIP call (PBX -> provider INVITE/200 with SDP: RTP
#    PBX:7000 <-> provider:8000) are up, 50 RTP packets/s each way.
# 3. Right after a refresh (keepalive RRQ, re-REGISTER) fw1 fails: its
#    links go down, then keepalived and conntrackd there are stopped.
#    Measured: when fw2 holds the addresses and has committed, and the
#    largest reception gap of each of the four media directions (INFO).
#    Asserted: media of both calls flows again through fw2 within 30 s.
# 4. On fw2: the copies of the registration pinholes expire no earlier than
#    fw1's, and later by no more than the time from the refresh to fw2's
#    commit (printed, INFO); an inbound INVITE (provider:5070 ->
#    10.0.2.1:5060) reaches the PBX through the registration pinhole and
#    its call gets RTP both ways; one to 10.0.2.1:5061 does not;
#    ReleaseComplete of the first call passes and closes its media flows;
#    gk -> phone:1720 connects from 61440..61444, not from 5555; a new
#    H.323 call gets its media pinholes and RTP both ways.
set -u
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib/callscen.sh"

RAS="python3 $TOP/tests/lib/h225ras.py"
MSG="python3 $TOP/tests/sip/sipmsg.py"
RTP="python3 $TOP/tests/lib/rtpstream.py"
PARAMS=/sys/module/nf_conntrack_avaya/parameters
# Under /run (root only): keepalived's script security refuses a notify
# script below a world-writable directory such as /tmp.
RUN=$(mktemp -d /run/avaya-ha.XXXXXX)
work=$RUN

fw1() { ip netns exec fw1 "$@"; }
fw2() { ip netns exec fw2 "$@"; }
now() { echo "$EPOCHREALTIME"; }
# secs A B: B - A, to a tenth.
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

ha_cleanup() {
	kill_tree "${PIDS[@]}"
	wait 2>/dev/null
	# The daemons' logs and configurations, for AVAYA_VM_KEEP.
	[ -n "${AVAYA_JOB:-}" ] && cp -a "$RUN" "$AVAYA_JOB/ha-run" 2>/dev/null
	stop_netns ph gk fw1 fw2 sw
	rm -rf "${RUN:?}"
	return 0
}
trap ha_cleanup EXIT

# poll SECONDS CMD...: retry every 0.1 s until CMD succeeds, for SECONDS
# (times the scale) of real time: on a TCG guest the commands themselves
# take a good part of each round.
poll() {
	local end
	end=$((${EPOCHREALTIME/./} + $(awk -v s="$(scaled "$1")" 'BEGIN { printf "%d", s * 1e6 }')))
	shift
	while :; do
		"$@" && return 0
		[ "${EPOCHREALTIME/./}" -gt "$end" ] && return 1
		sleep 0.1
	done
}

port_of() {	# bridge PORT in ns sw
	ip -n sw link set "$1" master "$2"
}

topology() {
	local ns

	for ns in ph gk fw1 fw2 sw; do
		ip netns add "$ns"
		ip -n "$ns" link set lo up
	done
	ip -n sw link add br-in type bridge mcast_snooping 0
	ip -n sw link add br-out type bridge mcast_snooping 0
	ip -n sw link set br-in up
	ip -n sw link set br-out up
	link ph eth0 sw p-ph
	link fw1 lan0 sw p-fw1-in
	link fw2 lan0 sw p-fw2-in
	link fw1 wan0 sw p-fw1-out
	link fw2 wan0 sw p-fw2-out
	link gk eth0 sw p-gk
	for p in p-ph p-fw1-in p-fw2-in; do port_of "$p" br-in; done
	for p in p-gk p-fw1-out p-fw2-out; do port_of "$p" br-out; done
	link fw1 sync0 fw2 sync0
	ip -n ph addr add 10.0.1.2/24 dev eth0
	ip -n ph addr add 10.0.1.3/24 dev eth0
	ip -n ph route add default via 10.0.1.1
	ip -n gk addr add 10.0.2.2/24 dev eth0
	ip -n gk route add default via 10.0.2.1
	for n in 1 2; do
		ip -n "fw$n" addr add "10.0.1.1$n/24" dev lan0
		ip -n "fw$n" addr add "10.0.2.1$n/24" dev wan0
		ip -n "fw$n" addr add "192.168.100.$n/30" dev sync0
		ip netns exec "fw$n" sysctl -qw net.ipv4.ip_forward=1
		ip netns exec "fw$n" sysctl -qw net.netfilter.nf_conntrack_helper=0 2>/dev/null
	done
	return 0
}

# The site's ruleset, the same on both firewalls, then the shipped HA rules.
ruleset() {
	ip netns exec "$1" nft -f - <<'NFT' && ip netns exec "$1" nft -f "$TOP/contrib/avaya-ha.nft"
table inet fw {
	ct helper ras {
		type "avaya-ras" protocol udp;
	}
	ct helper q931 {
		type "avaya-q931" protocol tcp;
	}
	ct helper sip-udp {
		type "avaya-sip" protocol udp;
	}
	chain input {
		type filter hook input priority filter; policy drop;
		ct state established,related accept
		iifname "lo" accept
		iifname "sync0" accept
		ip protocol vrrp accept
	}
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established,related accept
		iifname "lan0" oifname "wan0" ip daddr 10.0.2.2 udp dport 1719 ct helper set "ras" accept
		iifname "lan0" oifname "wan0" ip daddr 10.0.2.2 tcp dport 1720 ct helper set "q931" accept
		iifname "lan0" oifname "wan0" udp dport 5060 ct helper set "sip-udp" accept
	}
}
table ip nat {
	chain post {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "wan0" ip saddr 10.0.1.3 snat to 10.0.2.1
	}
}
NFT
}

# conntrackd and keepalived of firewall N, configured from contrib/ with
# their files in $RUN/fwN.
ha_configs() {
	local n=$1 d=$RUN/fw$1

	mkdir -p "$d"
	sed -e "s#^\(\tLockFile\) .*#\1 $d/conntrack.lock#" \
	    -e "s#^\(\t\tPath\) .*#\1 $d/conntrackd.ctl#" \
	    -e "s#^\(\tLogFile\) on#\1 $d/conntrackd.log#" \
	    "$TOP/contrib/conntrackd.conf" > "$d/conntrackd.conf"
	if [ "$n" = 2 ]; then
		sed -i -e 's/^\(\t*IPv4_address\) 192.168.100.1$/\1 192.168.100.2/' \
		       -e 's/^\(\t*IPv4_Destination_Address\) 192.168.100.2$/\1 192.168.100.1/' \
		       "$d/conntrackd.conf"
	fi
	sed -e "s#^CONNTRACKD_LOCK=.*#CONNTRACKD_LOCK=$d/conntrack.lock#" \
	    -e "s#^CONNTRACKD_CONFIG=.*#CONNTRACKD_CONFIG=$d/conntrackd.conf#" \
	    /usr/share/doc/conntrackd/examples/sync/primary-backup.sh > "$d/primary-backup.sh"
	# keepalived runs this around Debian's script: the times say when a
	# transition's conntrackd calls began and ended (whole
	# files: the scenario polls for them).
	cat > "$d/notify.sh" <<EOF
#!/bin/sh
date +%s.%N > $d/\$1.begin.tmp && mv $d/\$1.begin.tmp $d/\$1.begin
$d/primary-backup.sh "\$1" >> $d/notify.log 2>&1
date +%s.%N > $d/\$1.end.tmp && mv $d/\$1.end.tmp $d/\$1.end
EOF
	chmod 755 "$d/primary-backup.sh" "$d/notify.sh"
	# vrrp_rlimit_rttime: with vrrp_rt_priority the kernel kills the VRRP
	# process after 10 ms of CPU without sleeping (keepalived's default
	# RLIMIT_RTTIME), which a TCG guest spends reading its configuration.
	sed -e "s/router_id fw1/router_id fw$n/" \
	    -e "s/^\(\tvrrp_rt_priority .*\)/\1\n\tvrrp_rlimit_rttime 5000000/" \
	    -e "s#/etc/conntrackd/primary-backup.sh#$d/notify.sh#" \
	    "$TOP/contrib/keepalived.conf" > "$d/keepalived.conf"
	[ "$n" = 2 ] && sed -i 's/priority 150/priority 100/' "$d/keepalived.conf"
	return 0
}

start_conntrackd() {
	local d=$RUN/fw$1

	bg ip netns exec "fw$1" conntrackd -C "$d/conntrackd.conf" > "$d/conntrackd.out" 2>&1
	eval "CTD$1=$BG"
	poll 10 test -S "$d/conntrackd.ctl"
}

start_keepalived() {
	local d=$RUN/fw$1

	bg ip netns exec "fw$1" keepalived -n -l -D -G -P -f "$d/keepalived.conf" \
		-p "$d/keepalived.pid" -r "$d/vrrp.pid" -c "$d/checkers.pid" \
		> "$d/keepalived.log" 2>&1
	eval "KAD$1=$BG"
}

has_vips() {	# NS: both virtual addresses are on it
	ip -n "$1" -4 addr show | grep -q 'inet 10.0.1.1/' &&
		ip -n "$1" -4 addr show | grep -q 'inet 10.0.2.1/'
}
no_vips() { ! ip -n "$1" -4 addr show | grep -Eq 'inet 10\.0\.[12]\.1/'; }

ctd() {	# N ARGS...: conntrackd's client on firewall N
	ip netns exec "fw$1" conntrackd -C "$RUN/fw$1/conntrackd.conf" "${@:2}"
}

# ras EXCHANGE REQ REPLY: one RAS round trip phone -> gatekeeper.
ras() {
	bg gk $NU udp-serve 10.0.2.2:1719 --reply "$work/$2" --count 1 --timeout 10 >/dev/null
	wait_listen gk udp 1719 || return 1
	ph $NU udp-send 10.0.1.2:49300 10.0.2.2:1719 "$work/$1" \
		--expect-reply "$work/$1.got" --timeout 5 >/dev/null || return 1
	wait_bg && cmp -s "$work/$1.got" "$work/$2"
}

# sip NAME REPLY: PBX 10.0.1.3:5060 -> provider 10.0.2.2:5060, the
# provider answers REPLY; it saves the request as $work/NAME.rx.0.
sip() {
	bg gk $NU udp-serve 10.0.2.2:5060 --reply "$work/$2" --count 1 --timeout 10 \
		--save "$work/$1.rx" >/dev/null
	wait_listen gk udp 5060 || return 1
	ph $NU udp-send 10.0.1.3:5060 10.0.2.2:5060 "$work/$1" \
		--expect-reply "$work/$1.got" --timeout 5 >/dev/null || return 1
	wait_bg
}

sdp_addr() {	# FILE: "IP:PORT" of its SDP's c= and first m= line
	tr -d '\r' < "$1" | awk '/^c=IN IP4 / { a = $3 } /^m=audio / && !p { p = $2 }
		END { if (a && p) print a ":" p }'
}

# Remaining seconds of the registration pinholes (the smallest of each):
# H.323 reverse (to the phone's 1720) and SIP (to 10.0.2.1:5060). Fields,
# not patterns: the master tuple of a call's pinhole names 1720 too.
ras_left() { "$1" conntrack -L expect 2>/dev/null |
	awk '$2 == "proto=6" && $4 == "dst=10.0.1.2" && $6 == "dport=1720" { print $1 }' |
	sort -n | head -n 1; }
sip_left() { "$1" conntrack -L expect 2>/dev/null |
	awk '$2 == "proto=17" && $4 == "dst=10.0.2.1" && $6 == "dport=5060" { print $1 }' |
	sort -n | head -n 1; }

# Stream status: "received" and "last" of stream NAME in FILE.
stream_field() {
	awk -v n="$2" -v f="$3" '$1 == n { for (i = 2; i <= NF; i++)
		if (index($i, f "=") == 1) print substr($i, length(f) + 2) }' "$1" 2>/dev/null
}
# resumed FILE NAME T: stream NAME received something after time T.
resumed() {
	local last
	last=$(stream_field "$1" "$2" last)
	[ -n "$last" ] && [ "$last" != - ] && awk -v l="$last" -v t="$3" 'BEGIN { exit !(l > t) }'
}
received_at_least() {	# FILE NAME N
	[ "$(stream_field "$1" "$2" received)" -ge "$3" ] 2>/dev/null
}

# The messages, built before the clocks run.
RAS="msg_add h225ras"	# queued, built by the msg_build below
MSG="msg_add sipmsg"	# queued, built by the msg_build below
$RAS rrq --seq 11 --csa 10.0.1.2:1720 --ras 10.0.1.2:49300 --alias 4711 --ttl 600 -o "$work/rrq"
$RAS rcf --seq 11 --csa 10.0.2.2:1720 --ttl 600 --endpoint-id EP4711 -o "$work/rcf"
$RAS rrq --seq 12 --keepalive --csa 10.0.1.2:1720 --ras 10.0.1.2:49300 --ttl 600 \
	--endpoint-id EP4711 -o "$work/rrq2"
$RAS rcf --seq 12 --csa 10.0.2.2:1720 --ttl 600 --endpoint-id EP4711 -o "$work/rcf2"
REG="--src 10.0.1.3:5060 --dst 10.0.2.2:5060"
OK="--src 10.0.2.1:5060 --dst 10.0.2.2:5060"
$MSG register $REG --contact 10.0.1.3:5060 --expires 600 -o "$work/reg"
$MSG ok $OK --contact 10.0.2.1:5060 --expires 600 -o "$work/reg.ok"
$MSG register $REG --contact 10.0.1.3:5060 --expires 600 --cseq 2 -o "$work/reg2"
$MSG ok $OK --contact 10.0.2.1:5060 --expires 600 --cseq 2 -o "$work/reg2.ok"
$MSG invite $REG --media 10.0.1.3:7000 --call-id out-1 -o "$work/inv"
$MSG invite-ok $OK --media 10.0.2.2:8000 --call-id out-1 -o "$work/inv.ok"
IN="--src 10.0.2.2:5070 --dst 10.0.2.1:5060 --call-id in-1"
$MSG invite $IN --media 10.0.2.2:8002 -o "$work/in"
$MSG invite-ok $IN --media 10.0.1.3:7002 -o "$work/in.ok"
$MSG invite --src 10.0.2.2:5071 --dst 10.0.2.1:5061 --call-id in-2 --media 10.0.2.2:8004 \
	-o "$work/in5061"
msg_build || fail "the messages were built"
RAS="python3 $TOP/tests/lib/h225ras.py"
MSG="python3 $TOP/tests/sip/sipmsg.py"
h323_plan() {	# NAME GK_PORT PHONE_RTP GK_RTP: a call on gk:GK_PORT -> phone:1720
	local n=$1
	msg_add h323call setup --cref "$2" --tunnelling --tunnel-olc "10.0.2.2:$4" --raw -o "$work/$n.setup"
	msg_add h323call connect --cref "$2" --tunnelling --tunnel-olc-ack "10.0.1.2:$3" --raw -o "$work/$n.connect"
	msg_add h323call facility --cref "$2" --tunnel-olc-ack "10.0.2.2:$4" --raw -o "$work/$n.facility"
	msg_add h323call releasecomplete --cref "$2" --raw -o "$work/$n.rlc"
	msg_build || fail "the messages were built"
	cat > "$work/$n.json" <<JSON
{"conns": {"q931": {"client": ["gk", "10.0.2.2:$2"], "server": ["ph", "10.0.1.2:1720"]}},
 "steps": [{"conn": "q931", "from": "client", "hex": "$(hexof "$work/$n.setup")"},
	   {"conn": "q931", "from": "server", "hex": "$(hexof "$work/$n.connect")"},
	   {"conn": "q931", "from": "client", "hex": "$(hexof "$work/$n.facility")"},
	   {"mark": "$work/$n.connected"}, {"wait": "$work/$n.release"},
	   {"conn": "q931", "from": "client", "hex": "$(hexof "$work/$n.rlc")"},
	   {"mark": "$work/$n.released"}]}
JSON
}
h323_plan call1 61440 5000 6000
h323_plan call2 61441 5010 6010

echo "== 1. the pair"
topology
both_rulesets() { ruleset fw1 && ruleset fw2; }
check "the same ruleset and contrib/avaya-ha.nft on fw1 and fw2" both_rulesets
# One kernel for both firewalls: the parameters apply to both. Registrations
# granted the bound (README, "class timeouts").
echo 600 > $PARAMS/ras_max_ttl
echo 600 > $PARAMS/sip_max_expires
for n in 1 2; do ha_configs $n; done
check "conntrackd runs on fw1" start_conntrackd 1
check "conntrackd runs on fw2" start_conntrackd 2
start_keepalived 1
check "fw1 takes both virtual addresses" poll 20 has_vips fw1
start_keepalived 2
check "fw2 is backup (notify ran), without the addresses" \
	poll 20 test -e "$RUN/fw2/backup.end"
check "... and holds no virtual address" no_vips fw2
for n in 1 2; do ip -n "fw$n" -4 -br addr show | sed "s/^/  fw$n: /"; done

echo "== 2. registrations and two calls through fw1"
check "RRQ/RCF through fw1" ras rrq rcf
check "reverse pinholes gk:61440-61444 -> phone:1720 on fw1" test -n "$(ras_left fw1)"
check "REGISTER/200 through fw1" sip reg reg.ok
check "the REGISTER left from 10.0.2.1:5060" \
	sh -c "tr -d '\r' < $work/reg.rx.0 | grep -q '^Contact: <sip:pbx@10.0.2.1:5060>'"
check "registration pinhole provider -> 10.0.2.1:5060 on fw1" test -n "$(sip_left fw1)"
check "SIP call: INVITE/200 with SDP" sip inv inv.ok
pub=$(sdp_addr "$work/inv.rx.0")
echo "the provider sees the PBX's media at ${pub:-?}"
check "the INVITE's SDP names 10.0.2.1" test "${pub%:*}" = 10.0.2.1
$PLAY "$work/call1.json" > "$work/call1.log" 2>&1 &
PLAYER=$!
PIDS+=("$PLAYER")
check "H.323 call: Setup, Connect, Facility on gk:61440 -> phone:1720" \
	wait_file "$work/call1.connected"
check "media pinholes of the H.323 call on fw1" \
	sh -c "ip netns exec fw1 conntrack -L expect 2>/dev/null | grep -q 'dport=6000 '"
STREAMS="h323.gk-to-phone,ph,10.0.1.2:5000,10.0.2.2:6000
h323.phone-to-gk,gk,10.0.2.2:6000,10.0.1.2:5000
sip.provider-to-pbx,ph,10.0.1.3:7000,10.0.2.2:8000
sip.pbx-to-provider,gk,10.0.2.2:8000,${pub:-10.0.2.1:7000}"
# Each stream is named by the direction it receives.
# shellcheck disable=SC2086
$RTP --status "$work/rtp" --stop "$work/rtp.stop" $STREAMS > "$work/rtp.out" 2>&1 &
STREAMER=$!
PIDS+=("$STREAMER")
for s in $STREAMS; do
	check "RTP flows ${s%%,*} through fw1" poll 10 received_at_least "$work/rtp" "${s%%,*}" 50
done
fw1 conntrack -L expect 2>&1 | sed 's/^/  fw1 expect: /'
synced() {	# fw2's conntrackd has the registration pinholes
	ctd 2 -e expect 2>/dev/null | grep -q 'dport=1720 ' &&
		ctd 2 -e expect 2>/dev/null | grep -q 'dport=5060 '
}
check "fw2's conntrackd holds the registration pinholes" poll 10 synced

echo "== 3. fw1 fails"
t_ras=$(now)
check "keepalive RRQ/RCF" ras rrq2 rcf2
t_sip=$(now)
check "re-REGISTER/200" sip reg2 reg2.ok
t1=$(now)
ras1=$(ras_left fw1)
sip1=$(sip_left fw1)
ctd 2 -e expect 2>/dev/null | sed 's/^/  fw2 cache: /'
t_down=$(now)
for dev in lan0 wan0 sync0; do ip -n fw1 link set "$dev" down; done
kill "$KAD1" "$CTD1" 2>/dev/null
check "fw2 takes both virtual addresses" poll 30 has_vips fw2
t_vip=$(now)
check "fw2 commits (primary-backup.sh primary ends)" poll 60 test -e "$RUN/fw2/primary.end"
t_commit=$(cat "$RUN/fw2/primary.end" 2>/dev/null || now)
# What the commit brought (media admitted since may show up too).
fw2 conntrack -L 2>/dev/null | awk '{ h = ""; for (i = 1; i <= NF; i++) if ($i ~ /^helper=/) h = $i
	print "  fw2 flow after the commit:", $1, $4, $5, $6, $7, h }'
echo "INFO: failover: fw2 holds the addresses $(secs "$t_down" "$t_vip") s after fw1's links went down, committed after $(secs "$t_down" "$t_commit") s (notify script $(secs "$(cat "$RUN/fw2/primary.begin" 2>/dev/null || echo "$t_commit")" "$t_commit") s)"
for s in $STREAMS; do
	check "RTP ${s%%,*} flows again through fw2 (within 30 s of the commit)" \
		poll 30 resumed "$work/rtp" "${s%%,*}" "$t_commit"
done
sleep 1
touch "$work/rtp.stop"
wait "$STREAMER"
while read -r name rest; do
	gap=$(stream_field "$work/rtp.out" "$name" maxgap)
	echo "INFO: media gap $name: ${gap:-?} s (largest between two packets; $rest)"
done < "$work/rtp.out"
grep -E 'Committed|commit|rror' "$RUN/fw2/conntrackd.log" | sed 's/^/  fw2 conntrackd: /' | tail -n 20

echo "== 4. through fw2"
t2=$(now)
ras2=$(ras_left fw2)
sip2=$(sip_left fw2)
fw2 conntrack -L expect 2>/dev/null | sed 's/^/  fw2 expect: /'
# When each pinhole expires, on fw1 (read right before the failure) and on
# fw2. The copy lives its class timeout from the commit, the original the
# same from its last refresh (TTL and expires = the bounds): the copy must
# not expire first, nor later than the time from that refresh to the
# commit (+2 s: whole seconds, twice).
lifetimes() {	# NAME LEFT1 LEFT2 REFRESHED
	local d bound
	[ -n "$2" ] && [ -n "$3" ] || return 1
	d=$(awk -v a="$t1" -v l1="$2" -v b="$t2" -v l2="$3" 'BEGIN { printf "%.1f", (b + l2) - (a + l1) }')
	bound=$(awk -v r="$4" -v c="$t_commit" 'BEGIN { printf "%.1f", c - r + 2 }')
	echo "INFO: $1 pinhole: fw1 $2 s left at the failure, fw2 $3 s left $(secs "$t1" "$t2") s later: the copy expires $d s after the original (bound: -2..$bound)"
	awk -v d="$d" -v b="$bound" 'BEGIN { exit !(d >= -2 && d <= b) }'
}
check "fw2's copy of the RAS reverse pinhole expires with fw1's" lifetimes RAS "$ras1" "$ras2" "$t_ras"
check "fw2's copy of the SIP registration pinhole expires with fw1's" lifetimes SIP "$sip1" "$sip2" "$t_sip"

# The PBX answers the inbound INVITE; the provider sends it from a new port.
bg ph $NU udp-serve 10.0.1.3:5060 --reply "$work/in.ok" --count 1 --timeout 15 \
	--save "$work/in.rx" >/dev/null
wait_listen ph udp 5060
check "INVITE provider:5070 -> 10.0.2.1:5060 reaches the PBX, its 200 comes back" \
	gk $NU udp-send 10.0.2.2:5070 10.0.2.1:5060 "$work/in" --expect-reply "$work/in.got" --timeout 5
wait_bg
check "... through the registration pinhole with helper avaya-sip" \
	sh -c "ip netns exec fw2 conntrack -L -p udp --orig-port-src 5070 2>/dev/null | grep -q 'helper=avaya-sip'"
check_not "INVITE provider:5071 -> 10.0.2.1:5061 (no pinhole) is dropped" \
	gk $NU udp-send 10.0.2.2:5071 10.0.2.1:5061 "$work/in5061" --expect-reply "$work/in5061.got" --timeout 2
pbx_media=$(sdp_addr "$work/in.got")
echo "the provider sees the PBX's media of the new call at ${pbx_media:-?}"
IN_STREAMS="in.provider-to-pbx,ph,10.0.1.3:7002,10.0.2.2:8002
in.pbx-to-provider,gk,10.0.2.2:8002,${pbx_media:-10.0.2.1:7002}"
# shellcheck disable=SC2086
$RTP --duration 3 --status "$work/rtp.in" $IN_STREAMS > /dev/null 2>&1
for s in $IN_STREAMS; do
	check "new SIP call: RTP ${s%%,*} through fw2" received_at_least "$work/rtp.in" "${s%%,*}" 25
done

touch "$work/call1.release"
check "ReleaseComplete of the first call passes fw2" wait_file "$work/call1.released"
wait "$PLAYER"
call1_flows() {
	fw2 conntrack -L -p udp 2>/dev/null | grep -Eq 'dport=(5000|6000) '
}
no_call1_flows() { ! call1_flows; }
check "... and closes its media flows on fw2" eventually no_call1_flows

# Not through ph(): $BG must be the server itself, to be stopped.
bg ip netns exec ph $NU tcp-serve 10.0.1.2:1720
wait_listen ph tcp 1720
for p in 61440 61441 61442 61443 61444; do
	check "gk:$p -> phone:1720 connects through fw2" \
		tcp_try gk "10.0.2.2:$p" 10.0.1.2:1720 3
done
check "... carrying helper avaya-q931" \
	sh -c "ip netns exec fw2 conntrack -L -p tcp --orig-port-src 61444 2>/dev/null | grep -q 'helper=avaya-q931'"
check_not "gk:5555 -> phone:1720 is dropped" tcp_try gk 10.0.2.2:5555 10.0.1.2:1720 2
kill_tree "$BG"
wait "$BG" 2>/dev/null
ip netns exec fw2 conntrack -D -p tcp --orig-port-dst 1720 >/dev/null 2>&1

$PLAY "$work/call2.json" > "$work/call2.log" 2>&1 &
PLAYER=$!
PIDS+=("$PLAYER")
check "a new H.323 call gk:61441 -> phone:1720 through fw2" wait_file "$work/call2.connected"
m2=$(fw2 conntrack -L expect 2>/dev/null | grep -Eo 'dport=(5010|5011|6010|6011) ' | sort -u | tr -d '\n')
check "its media pinholes on fw2 (got: $m2)" \
	test "$m2" = "dport=5010 dport=5011 dport=6010 dport=6011 "
CALL2="call2.gk-to-phone,ph,10.0.1.2:5010,10.0.2.2:6010
call2.phone-to-gk,gk,10.0.2.2:6010,10.0.1.2:5010"
# shellcheck disable=SC2086
$RTP --duration 3 --status "$work/rtp.call2" $CALL2 > /dev/null 2>&1
for s in $CALL2; do
	check "new H.323 call: RTP ${s%%,*} through fw2" received_at_least "$work/rtp.call2" "${s%%,*}" 25
done
touch "$work/call2.release"
check "its ReleaseComplete passes" wait_file "$work/call2.released"
wait "$PLAYER"

echo "== logs"
for n in 1 2; do
	sed "s/^/  fw$n notify: /" "$RUN/fw$n/notify.log" 2>/dev/null | tail -n 8
done
fw2 cat /proc/net/nf_conntrack_avaya | grep -E '^ha_|refused' | grep -v ' 0$' | sed 's/^/  fw2: /'
echo "INFO: the scenario took $SECONDS s"
finish
