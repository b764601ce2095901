# SPDX-License-Identifier: GPL-2.0-only
# Shared pieces of the SIP trunk scenarios, sourced after tests/vm/lib.sh.
#
#   ns "pbx"                     ns "fw"                            ns "prov"
#   10.0.1.2 (+ extra addresses) ---- 10.0.1.1 in0 | out0 203.0.113.1 ---- 203.0.113.50 registrar
#                                                                     203.0.113.60 third host
#
# The ruleset stays in each scenario, so that each can be read alone.
# $RUN is the scenario's scratch directory; $KAMDIR where kamailio runs.

SIPUA="python3 $TOP/tests/sip/sipua.py"
NSS="pbx fw prov"

pbx() { ip netns exec pbx "$@"; }
prov() { ip netns exec prov "$@"; }

sip_cleanup() {
	kill_tree "${PIDS[@]}"
	# shellcheck disable=SC2086
	stop_netns $NSS
	rm -rf "${RUN:?}"
	return 0
}

# sip_topology [ADDR...]: the three namespaces; ADDRs are extra PBX-side
# addresses (10.0.1.2 is always there).
sip_topology() {
	local ns a

	for ns in $NSS; do
		ip netns add "$ns"
		ip -n "$ns" link set lo up
	done
	link pbx eth0 fw in0
	link fw out0 prov eth0
	for a in 10.0.1.2 "$@"; do
		ip -n pbx addr add "$a/24" dev eth0
	done
	ip -n fw addr add 10.0.1.1/24 dev in0
	ip -n fw addr add 203.0.113.1/24 dev out0
	ip -n prov addr add 203.0.113.50/24 dev eth0
	ip -n prov addr add 203.0.113.60/24 dev eth0
	ip -n pbx route add default via 10.0.1.1
	fw sysctl -qw net.ipv4.ip_forward=1
	fw sysctl -qw net.netfilter.nf_conntrack_helper=0 2>/dev/null || true
}

ctr() { fw awk -v n="$1" '$1 == n { print $2 }' /proc/net/nf_conntrack_avaya; }
kam() { prov kamcmd -s "unix:$KAMDIR/kamailio_ctl" "$@"; }

# poll N CMD...: retry every 0.2 s for N tries.
poll() {
	local n=$1 i
	shift
	for i in $(seq 1 "$n"); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	return 1
}

# kam_conf DIR: kamailio's configuration for the registrar in DIR.
kam_conf() {
	mkdir -p "$1"
	sed -e "s|@ADDR@|203.0.113.50|g; s|@RUN@|$1|g" \
		"$TOP/tests/sip/kamailio.cfg" > "$1/kamailio.cfg"
}

ua_conf() {	# DIR LISTEN RTP CONS HZ ACCOUNT
	mkdir -p "$1"
	sed -e "s|@LISTEN@|$2|; s|@RTP@|$3|; s|@CONS@|$4|; s|@DIR@|$1|g" \
		"$TOP/tests/sip/baresip.config" > "$1/config"
	echo "$6" > "$1/accounts"
	$SIPUA tone "$1/tone.wav" "$5" 25
}

registered() { kam ul.dump | grep -q 'Address: sip:pbx'; }
dec_wav() { ls "$1"/dump-*-dec.wav 2>/dev/null | head -1; }
have_dec() { [ -n "$(dec_wav "$1")" ]; }

wav_field() {	# DIR FIELD: of the recording baresip made in DIR
	local f
	f=$(dec_wav "$1")
	[ -n "$f" ] || { echo 0; return; }
	$SIPUA wav "$f" | tr ' ' '\n' | sed -n "s/^$2=//p"
}

# DIR HZ: the other side's tone for the whole call. A loaded TCG guest
# stretches a call of $CALL_SECS (CI recorded 8-10 s of a 6 s call), so
# no upper bound on its length: the tone must fill at least $CALL_SECS
# less 1.5 s and 75% of what was recorded (audio admitted only late, or
# only for a part of the call, fails).
audio_ok() {
	local rms secs all hz
	rms=$(wav_field "$1" rms)
	secs=$(wav_field "$1" loud_seconds)
	all=$(wav_field "$1" seconds)
	hz=$(wav_field "$1" hz)
	echo "   $(basename "$1"): rms=$rms loud_seconds=$secs of $all hz=$hz (want hz $2, >= $CALL_SECS-1.5 s and 75% loud)"
	[ "${rms:-0}" -gt 1000 ] &&
		awk -v s="${secs:-0}" -v a="${all:-0}" -v c="$CALL_SECS" \
			'BEGIN { exit !(s >= c - 1.5 && s >= 0.75 * a) }' &&
		[ "${hz:-0}" -gt $(($2 - 40)) ] && [ "${hz:-0}" -lt $(($2 + 40)) ]
}
