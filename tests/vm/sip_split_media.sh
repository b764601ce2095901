#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# avaya-vm: long (real peers with rtpengine, 5-9 min per kernel under TCG: make check-peers)
# avaya-vm: ownboot (it unloads our modules: a guest of its own)
#
# A SIP trunk whose media comes from another address than its signalling
# (issue 14): the carrier's proxy kamailio on 203.0.113.50 anchors every
# call's media in rtpengine on 203.0.113.70, so the PBX sees INVITEs and
# answers from .50 whose SDP names c=203.0.113.70, and RTP from .70.
#
#   ns "pbx" baresip              ns "fw": masquerade 203.0.113.1     ns "prov"
#   10.0.1.2:5060 ---- 10.0.1.1 in0 | out0 203.0.113.1 ---- 203.0.113.50 kamailio :5060 (+rtpengine module)
#                        default drop both ways,                     203.0.113.50 baresip "carol" :5070
#                        ct helper avaya-sip on udp/5060             203.0.113.70 rtpengine (userspace)
#                                                                    203.0.113.60 third host
#
# With media_peers=203.0.113.70/32:
# 1. carol calls the PBX: the pinhole toward the PBX's media port admits
#    rtpengine (203.0.113.70) only, a pinhole leads to rtpengine's port,
#    both recordings hold the other side's tone; RTP to the PBX's public
#    port from the third host and from the signalling address is blocked.
# 2. carol re-INVITEs, kamailio hands the call to new rtpengine ports: the
#    pinholes follow, the old ones and the flows through the old port go,
#    and the tone goes on both ways after the move.
# 3. BYE: no expectation of the call left, its media flows closed, new RTP
#    from rtpengine's old port blocked.
# 4. The PBX calls carol: the same, the answer moving the pinhole from the
#    signalling peer to rtpengine.
# With media_peers empty:
# 5. carol calls the PBX: no pinhole toward 203.0.113.70, no flow that the
#    PBX started toward it, the SDP counted as refused.
# 6. The same call through the stock "sip" helper, with sip_direct_media=1
#    (its default) and 0: printed, not asserted.
#
# Five calls in one boot: 6-9 min per kernel under TCG on a busy 2-core host
# (baresip, rtpengine and kamailio share the guest's one vCPU; each step of a
# call takes seconds, printed as its timeline).
#
# "sip_split_media.sh permissive" runs everything with the forward policy
# accept: a check of the harness itself (rtpengine anchoring, the audio
# measurement), whose blocking checks must then fail.
set -u
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/sip/peers.sh"

RUN=$(mktemp -d)
# shellcheck disable=SC2034 # kam() in peers.sh
KAMDIR=$RUN/kam
CALL_SECS=3
MEDIA=203.0.113.70
NG=127.0.0.1:2223
SUM="python3 $TOP/tests/sip/sdpsum.py"
PARAM=/sys/module/nf_conntrack_avaya/parameters/media_peers
POLICY=drop
KEEP=0
for a in "$@"; do
	case $a in
	permissive) POLICY=accept ;;
	keep) KEEP=1 ;;
	esac
done
# "keep": the scratch directory (logs, captures, recordings) goes to the
# job directory, which vm-run.sh keeps with AVAYA_VM_KEEP.
keep_run() {
	[ "$KEEP" = 1 ] && [ -d /avaya-job ] && cp -a "$RUN" /avaya-job/split_media 2>/dev/null
	sip_cleanup
}
trap keep_run EXIT

ruleset() {	# TYPE: "avaya-sip" or "sip"
	fw nft flush ruleset
	fw nft -f - <<EOF2
table inet fw {
	ct helper sip-udp {
		type "$1" protocol udp;
	}
	chain forward {
		type filter hook forward priority filter; policy $POLICY;
		ct state established,related accept
		iifname "in0" oifname "out0" udp dport 5060 ct helper set "sip-udp" accept
	}
}
table ip nat {
	chain post {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "out0" masquerade
	}
}
EOF2
}

# What reaches the PBX: a counter per probe (probes).
pbx_probe_table() {
	pbx nft -f - <<EOF2
table ip probe {
	chain in {
		type filter hook input priority filter; policy accept;
	}
}
EOF2
}

start_rtpengine() {
	(exec ip netns exec prov rtpengine --config-file=none --foreground --log-stderr \
		--table=-1 --interface="$MEDIA" --listen-ng="$NG" \
		--port-min=30000 --port-max=30199 --delete-delay=0 --num-threads=2 \
		--log-level=6 >"$RUN/rtpengine.log" 2>&1) &
	PIDS+=($!)
	wait_listen prov udp 2223
}

# ua DIR LISTEN RTP CONS HZ ACCOUNT: ua_conf (peers.sh) with the tones made
# once: python starts slowly under TCG.
ua() {
	mkdir -p "$1"
	sed -e "s|@LISTEN@|$2|; s|@RTP@|$3|; s|@CONS@|$4|; s|@DIR@|$1|g" \
		"$TOP/tests/sip/baresip.config" > "$1/config"
	echo "$6" > "$1/accounts"
	cp "$RUN/tone$5.wav" "$1/tone.wav"
}

# start_peers MODE: kamailio, the PBX and carol, both registered; a
# capture of the signalling leaving the firewall in $RUN/MODE/out.pcap.
start_peers() {
	local d=$RUN/$1

	MODE=$1
	mkdir -p "$d/kam"
	rm -rf "$RUN/kam"
	ln -sfn "$d/kam" "$RUN/kam"
	sed -e "s|@ADDR@|203.0.113.50|g; s|@RUN@|$d/kam|g; s|@NG@|$NG|g" \
		"$TOP/tests/sip/kamailio-rtpengine.cfg" > "$d/kam/kamailio.cfg"
	ua "$d/pbx" 10.0.1.2:5060 10000-10020 5555 440 \
		"<sip:pbx@203.0.113.50>;regint=600;answermode=auto;audio_codecs=PCMU"
	ua "$d/carol" 203.0.113.50:5070 20000-20020 5556 880 \
		"<sip:carol@203.0.113.50>;regint=600;answermode=auto;audio_codecs=PCMU"
	fw conntrack -F >/dev/null 2>&1
	(exec ip netns exec fw tcpdump -q -n -U -s 0 -i out0 -w "$d/out.pcap" udp port 5060 \
		2>/dev/null) &
	TCPDUMP=$!
	PIDS+=($!)
	PROVDUMP=
	if [ "$KEEP" = 1 ]; then
		(exec ip netns exec prov tcpdump -q -n -U -s 0 -i any -w "$d/prov.pcap" \
			udp port 5060 or udp port 5070 2>/dev/null) &
		PROVDUMP=$!
		PIDS+=($!)
	fi
	(exec ip netns exec prov kamailio -f "$d/kam/kamailio.cfg" -DD -E -Y "$d/kam" \
		-P "$d/kam/pid" >"$d/kam/log" 2>&1) &
	KAM_PID=$!
	PIDS+=($!)
	wait_listen prov udp 5060 || true
	poll 50 test -S "$d/kam/kamailio_ctl" || true
	(cd "$d/pbx" && exec ip netns exec pbx baresip -f "$d/pbx" >"$d/pbx.log" 2>&1) &
	PBX_PID=$!
	PIDS+=($!)
	(cd "$d/carol" && exec ip netns exec prov baresip -f "$d/carol" >"$d/carol.log" 2>&1) &
	CAROL_PID=$!
	PIDS+=($!)
	poll 75 both_registered || true
	wait_listen pbx udp 5555 || true
	wait_listen prov udp 5556 || true
}

stop_peers() {
	kill "$PBX_PID" "$CAROL_PID" 2>/dev/null
	kill_tree "$KAM_PID"
	prov kill "$(cat "$RUN/$MODE/kam/pid" 2>/dev/null)" 2>/dev/null
	sleep 0.5
	kill -INT "$TCPDUMP" $PROVDUMP 2>/dev/null
	wait "$PBX_PID" "$CAROL_PID" "$KAM_PID" "$TCPDUMP" $PROVDUMP 2>/dev/null
}

both_registered() { [ "$(kam ul.dump | grep -cE 'Address: sip:(pbx|carol)')" = 2 ]; }

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
# wait_until T0 SECS: until SECS seconds have passed since T0.
wait_until() {
	while awk -v a="$1" -v b="$(now)" -v s="$2" 'BEGIN { exit !(b - a < s) }'; do
		real_sleep 0.2
	done
}

# The call's signalling as it crossed the firewall's outside:
# src|dst|first line|CSeq|Call-ID|c=|m= port, SDP only.
# sip_now: read the capture once into $SIP (python starts slowly under TCG).
sip_now() { $SUM "$RUN/$MODE/out.pcap" > "$SIP"; }
call_sdp() { awk -F'|' -v c="$CID" '$5 == c && $7 != ""' "$SIP"; }
sdp_count_ge() { sip_now; [ "$(call_sdp | wc -l)" -ge "$1" ]; }
last_call_id() { awk -F'|' '$3 ~ /^INVITE / { c = $5 } END { print c }' "$SIP"; }
# The PBX's public media port, and the carrier's last c=:port.
pbx_port() { call_sdp | awk -F'|' '$1 ~ /^203\.0\.113\.1:/ { p = $7 } END { print p }'; }
carrier_media() { call_sdp | awk -F'|' '$1 ~ /^203\.0\.113\.50:/ { m = $6 ":" $7 } END { print m }'; }

# probes SRC:SPORT...: one datagram from each to the PBX's public media port
# ($PORT); prints "SRC:SPORT arrived" when it reached the PBX, "blocked"
# when not, "error" when it could not be sent (one nft and socat run each:
# processes start slowly under TCG).
probes() {
	local ep rules='' bad=''

	for ep; do
		rules="$rules
add rule ip probe in ip saddr ${ep%:*} udp sport ${ep#*:} counter"
	done
	pbx nft flush chain ip probe in
	echo "$rules" | pbx nft -f -
	for ep; do
		echo rtp-probe | prov socat -u - "UDP4-SENDTO:203.0.113.1:${PORT:-9},bind=$ep" 2>/dev/null ||
			bad="$bad $ep"
	done
	sleep 0.2
	pbx nft list chain ip probe in | awk -v bad="$bad " '
		/saddr/ {
			for (i = 1; i < NF; i++) {
				if ($i == "saddr") a = $(i + 1)
				if ($i == "sport") p = $(i + 1)
				if ($i == "packets") n = $(i + 1)
			}
			ep = a ":" p
			print ep, (index(bad, " " ep " ") ? "error" : (n > 0 ? "arrived" : "blocked"))
		}'
}

ctr0() { local v; v=$(ctr "$1"); echo "${v:-0}"; }

# pbx_to_media_open EXPECT CT PORT: a pinhole from the PBX to $MEDIA:PORT,
# or the flow it admitted (a pinhole is used up by the PBX's first RTP).
pbx_to_media_open() {
	grep -Eq "dst=$MEDIA .*dport=$3 " "$1" ||
		grep -Eq "^udp +17 +[0-9]+ src=10\.0\.1\.2 dst=$MEDIA sport=[0-9]+ dport=$3 .*helper=avaya-sipm" "$2"
}

# Flows that the PBX started from its media port toward rtpengine.
pbx_to_media_flows() {
	grep -E "^udp +17 +[0-9]+ src=10\.0\.1\.2 dst=$MEDIA sport=($PORT|$((PORT + 1))) " "$1"
}

# call NAME in|out [move]: carol calls the PBX (in) or the PBX calls carol
# (out); "move": after CALL_SECS carol re-INVITEs and kamailio moves the call
# to new rtpengine ports, CALL_SECS more. Results in $RUN/$MODE/NAME,
# PORT (the PBX's public media port), RMEDIA (rtpengine's c=:port seen by
# the PBX), RMEDIA2 (after the move), SECS (call length), MOVE_AT.
call() {
	local d=$RUN/$MODE/$1 t0

	mkdir -p "$d"
	SIP=$d/sip.txt
	fw cat /proc/net/nf_conntrack_avaya > "$d/ctr_before" 2>/dev/null
	if [ "$2" = in ]; then
		prov $SIPUA cons 5556 "/dial sip:pbx@203.0.113.50"
	else
		pbx $SIPUA cons 5555 "/dial sip:carol@203.0.113.50"
	fi
	poll 75 sh -c "ls $RUN/$MODE/pbx/dump-*-dec.wav && ls $RUN/$MODE/carol/dump-*-dec.wav" || true
	t0=$(now)
	TIMELINE="recording"
	sleep 0.5
	sip_now
	CID=$(last_call_id)
	PORT=$(pbx_port)
	RMEDIA=$(carrier_media)
	RMEDIA2=
	fw conntrack -L expect > "$d/expect_call.txt" 2>/dev/null
	fw conntrack -L -p udp > "$d/ct_call.txt" 2>/dev/null
	probes 203.0.113.60:40002 203.0.113.50:40000 > "$d/probes.txt"
	PROBE60=$(awk '$1 == "203.0.113.60:40002" { print $2 }' "$d/probes.txt")
	PROBE50=$(awk '$1 == "203.0.113.50:40000" { print $2 }' "$d/probes.txt")
	mark probed
	wait_until "$t0" "$CALL_SECS"
	MOVE_AT=
	if [ "${3:-}" = move ]; then
		MOVE_AT=$(since "$t0")
		prov $SIPUA cons 5556 "/reinvite"
		mark re-INVITE
		poll 25 sdp_count_ge 4 || true
		mark answered
		sleep 1
		sip_now
		RMEDIA2=$(carrier_media)
		fw conntrack -L expect > "$d/expect_moved.txt" 2>/dev/null
		fw conntrack -L -p udp > "$d/ct_moved.txt" 2>/dev/null
		fw cat /proc/net/nf_conntrack_avaya > "$d/ctr_moved" 2>/dev/null
		wait_until "$t0" "$(awk -v m="$MOVE_AT" -v c="$CALL_SECS" 'BEGIN { print m + c }')"
	fi
	SECS=$(since "$t0")
	mark hang-up
	if [ "$2" = in ]; then
		prov $SIPUA cons 5556 "/hangup"
	else
		pbx $SIPUA cons 5555 "/hangup"
	fi
	sleep 1.5
	sip_now
	fw conntrack -L expect > "$d/expect_after.txt" 2>/dev/null
	fw conntrack -L -p udp > "$d/ct_after.txt" 2>/dev/null
	fw cat /proc/net/nf_conntrack_avaya > "$d/ctr_after" 2>/dev/null
	mark after
	mkdir -p "$d/pbx" "$d/carol"
	mv "$RUN/$MODE/pbx"/dump-* "$d/pbx/" 2>/dev/null
	mv "$RUN/$MODE/carol"/dump-* "$d/carol/" 2>/dev/null
	echo "-- $MODE/$1: Call-ID $CID, PBX public media port ${PORT:-none}, carrier media ${RMEDIA:-none}${RMEDIA2:+, after the move $RMEDIA2}, ${SECS}s"
	awk -F'|' -v c="$CID" '$5 == c' "$SIP" | cut -d'|' -f1-4,6,7 | sed 's/^/   sip: /'
	echo "   expectations during the call:"
	sed 's/^/      /' "$d/expect_call.txt"
	if [ -n "$MOVE_AT" ]; then
		echo "   expectations after the move (at ${MOVE_AT}s):"
		sed 's/^/      /' "$d/expect_moved.txt"
	fi
	echo "   timeline (s since both recordings existed): $TIMELINE"
	echo "   probes to 203.0.113.1:${PORT:-none} during the call: from 203.0.113.60 $PROBE60, from 203.0.113.50 $PROBE50"
}

# mark LABEL: when a step of the call happened (printed: under TCG on a
# busy host the steps take seconds, and the call's length follows).
mark() { TIMELINE="$TIMELINE, $1 $(since "$t0")"; }

# counter NAME FILE: its value in a snapshot of the counters.
counter() { awk -v n="$1" '$1 == n { v = $2 } END { print v + 0 }' "$2"; }
grew() {	# NAME FROM TO: the counter grew between two snapshots
	[ "$(counter "$1" "$3")" -gt "$(counter "$1" "$2")" ]
}

# audio_call DIR HZ: the other side's tone through the whole recording,
# which lasts at least the call ($SECS, measured from when both recordings
# existed: under TCG on a busy host the steps of a call take seconds).
audio_call() {
	local f out rms secs loud hz

	f=$(dec_wav "$1")
	[ -n "$f" ] || { echo "   $(basename "$1"): no recording"; return 1; }
	out=$($SIPUA wav "$f")
	echo "   $(basename "$1"): $out (want hz $2, at least ${SECS}s)"
	rms=$(echo "$out" | sed -n 's/.*rms=\([0-9]*\).*/\1/p')
	secs=$(echo "$out" | sed -n 's/.* seconds=\([0-9.]*\).*/\1/p')
	loud=$(echo "$out" | sed -n 's/.*loud_seconds=\([0-9.]*\).*/\1/p')
	hz=$(echo "$out" | sed -n 's/.*hz=\([0-9]*\).*/\1/p')
	[ "${rms:-0}" -gt 1000 ] &&
		awk -v l="${loud:-0}" -v s="${secs:-0}" -v c="$SECS" \
			'BEGIN { exit !(l >= s - 1.5 && l >= c - 1.5) }' &&
		[ "${hz:-0}" -gt $(($2 - 40)) ] && [ "${hz:-0}" -lt $(($2 + 40)) ]
}

audio_both() {	# CALLDIR PREFIX
	check "$2: pbx hears carol (880 Hz) for the call" audio_call "$1/pbx" 880
	check "$2: carol hears pbx (440 Hz) for the call" audio_call "$1/carol" 440
}

# tone_after DIR HZ FROM: the tone goes on from second FROM to the end
# (FROM < 0: the last -FROM seconds).
tone_after() {
	local f out secs loud hz

	f=$(dec_wav "$1")
	[ -n "$f" ] || return 1
	out=$($SUM wav "$f" "$3")
	echo "   $(basename "$1") from ${3}s (<0: the last seconds): $out (want hz $2)"
	loud=$(echo "$out" | sed -n 's/.*loud_seconds=\([0-9.]*\).*/\1/p')
	secs=$(echo "$out" | sed -n 's/.* seconds=\([0-9.]*\).*/\1/p')
	hz=$(echo "$out" | sed -n 's/.*hz=\([0-9]*\).*/\1/p')
	awk -v l="${loud:-0}" -v s="${secs:-0}" 'BEGIN { exit !(s >= 1.5 && l >= s - 1.5) }' &&
		[ "${hz:-0}" -gt $(($2 - 40)) ] && [ "${hz:-0}" -lt $(($2 + 40)) ]
}

# The media pinhole and flow checks common to both call directions; $1 is
# the call's directory, $2 the check prefix.
media_checks() {
	local d=$1 rp=${RMEDIA#*:}

	check "$2: the carrier's SDP names rtpengine ($MEDIA), signalling from 203.0.113.50" \
		[ "${RMEDIA%:*}" = "$MEDIA" ]
	check "$2: pinhole toward the PBX's port $PORT from $MEDIA" \
		grep -Eq "src=$MEDIA dst=203\.0\.113\.1 .*dport=$PORT " "$d/expect_call.txt"
	check_not "$2: no pinhole toward port $PORT from anyone else" \
		sh -c "grep -E 'dport=$PORT ' '$d/expect_call.txt' | grep -vq 'src=$MEDIA '"
	check "$2: pinhole (or its flow) from the PBX to rtpengine's port $MEDIA:$rp" \
		pbx_to_media_open "$d/expect_call.txt" "$d/ct_call.txt" "$rp"
	check "$2: RTP from 203.0.113.60 to 203.0.113.1:$PORT blocked" [ "$PROBE60" = blocked ]
	check "$2: RTP from the signalling address 203.0.113.50 blocked" [ "$PROBE50" = blocked ]
	check "$2: counted: sip_media_peer_pinhole_opened" \
		grew sip_media_peer_pinhole_opened "$d/ctr_before" "$d/ctr_after"
}

bye_checks() {	# DIR PREFIX OLDPORTS...: after BYE
	local d=$1 p=$2 rp eps

	shift 2
	check "$p. BYE: no expectation toward port $PORT or rtpengine left" \
		sh -c "! grep -Eq 'dport=$PORT |dst=$MEDIA ' '$d/expect_after.txt'"
	check "$p. BYE: the call's media flows to the PBX closed" \
		sh -c "! grep -E '(sport|dport)=$PORT ' '$d/ct_after.txt' | grep -q 'src=10\.0\.1\.2 '"
	check "$p. BYE: counted: sip_media_flow_closed" \
		grew sip_media_flow_closed "$d/ctr_before" "$d/ctr_after"
	eps=()
	for rp in "$@"; do eps+=("$MEDIA:$rp"); done
	probes "${eps[@]}" > "$d/probes_after.txt"
	for rp in "$@"; do
		check "$p. BYE: new RTP from rtpengine's port $MEDIA:$rp blocked" \
			grep -qx "$MEDIA:$rp blocked" "$d/probes_after.txt"
	done
}

sip_topology
$SIPUA tone "$RUN/tone440.wav" 440 60
$SIPUA tone "$RUN/tone880.wav" 880 60
ip -n prov addr add "$MEDIA/24" dev eth0
pbx_probe_table
start_rtpengine
echo "-- forward policy: $POLICY"

# ------------------------------------------------ avaya-sip, media_peers set
ruleset avaya-sip
echo "$MEDIA/32" > "$PARAM"
echo "-- media_peers: $(cat "$PARAM")"
start_peers avaya
check "0. pbx and carol registered" both_registered

call in1 in move
D=$RUN/avaya/in1
media_checks "$D" "1. inbound"
audio_both "$D" "1. inbound"
RP1=${RMEDIA#*:}
RP2=${RMEDIA2#*:}
check "2. rtpengine moved the call to another port ($RP1 -> $RP2)" \
	sh -c "[ -n '$RP2' ] && [ '$RP2' != '$RP1' ] && [ '${RMEDIA2%:*}' = '$MEDIA' ]"
check "2. pinhole (or its flow) from the PBX to rtpengine's new port $RP2" \
	pbx_to_media_open "$D/expect_moved.txt" "$D/ct_moved.txt" "$RP2"
check "2. pinhole toward port $PORT from $MEDIA after the move" \
	grep -Eq "src=$MEDIA dst=203\.0\.113\.1 .*dport=$PORT " "$D/expect_moved.txt"
check_not "2. no expectation names the old port $RP1" \
	grep -Eq "(sport|dport)=$RP1 " "$D/expect_moved.txt"
check_not "2. the flows through the old port $RP1 are closed" \
	grep -Eq "(sport|dport)=$RP1 " "$D/ct_moved.txt"
check "2. counted: sip_media_moved" grew sip_media_moved "$D/ctr_before" "$D/ctr_moved"
# The recordings' last seconds: from 1 s after the move to the hang-up.
TAIL=$(awk -v m="$MOVE_AT" -v s="$SECS" 'BEGIN { print -(s - m - 1) }')
check "2. pbx hears carol after the move" tone_after "$D/pbx" 880 "$TAIL"
check "2. carol hears pbx after the move" tone_after "$D/carol" 440 "$TAIL"
bye_checks "$D" 3 "$RP1" "$RP2"

call out1 out
D=$RUN/avaya/out1
media_checks "$D" "4. outbound"
audio_both "$D" "4. outbound"
check_not "4. the answer moved the pinhole: none from 203.0.113.50 to port $PORT" \
	grep -Eq "src=203\.0\.113\.50 dst=203\.0\.113\.1 .*dport=$PORT " "$D/expect_call.txt"
bye_checks "$D" 4 "${RMEDIA#*:}"

# ---------------------------------------------- avaya-sip, media_peers empty
echo > "$PARAM"
echo "-- media_peers: '$(cat "$PARAM")'"
call empty in
D=$RUN/avaya/empty
check_not "5. no pinhole toward $MEDIA" grep -q "dst=$MEDIA " "$D/expect_call.txt"
check_not "5. no flow started by the PBX toward $MEDIA" pbx_to_media_flows "$D/ct_call.txt"
check "5. counted: sip_refused_sdp_not_source" \
	grew sip_refused_sdp_not_source "$D/ctr_before" "$D/ctr_after"
(audio_both "$D" "5. (printed)") | sed 's/^\(PASS\|FAIL\)/   printed, not asserted: \1/'
stop_peers
echo "-- counters:"; fw grep -E '^sip_' /proc/net/nf_conntrack_avaya | grep -v ' 0$' | sed 's/^/   /'

# ------------------------------------------------------------- stock "sip"
fw nft flush ruleset
fw conntrack -F >/dev/null 2>&1
modprobe -r nf_nat_avaya nf_conntrack_avaya 2>/dev/null
if modprobe nf_conntrack_sip && modprobe nf_nat_sip; then
	ruleset sip
	start_peers stock
	for dm in 1 0; do
		echo "$dm" > /sys/module/nf_conntrack_sip/parameters/sip_direct_media
		call "dm$dm" in
		D=$RUN/stock/dm$dm
		echo "== stock \"sip\" helper, sip_direct_media=$dm (printed, not asserted):"
		echo "   media flows to the PBX 1.5 s after BYE: $(grep -E "(sport|dport)=${PORT:-none} " "$D/ct_after.txt" | grep -c 'src=10\.0\.1\.2 ')"
		(audio_both "$D" "6. dm=$dm") | sed 's/^\(PASS\|FAIL\)/   printed, not asserted: \1/'
	done
	stop_peers
else
	skip "6. stock nf_conntrack_sip/nf_nat_sip not loadable"
fi
if [ "$ret" != 0 ]; then
	echo "-- rtpengine log (tail):"; grep -v "Call-ID to delete not found" "$RUN/rtpengine.log" | tail -n 30 | sed 's/^/   /'
	echo "-- kamailio log (avaya, tail):"; grep -E "from [0-9]|ERROR|WARN" "$RUN/avaya/kam/log" | tail -n 60 | sed 's/^/   /'
fi
finish
