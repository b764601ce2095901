# SPDX-License-Identifier: GPL-2.0-only
# Part of tests/vm/hostile_peers.sh (sourced after lib.sh and setup_topology):
# SIP NAT media port clashes and a=rtcp.
#
#   ns "ph" UA 10.0.1.2:5060 ---- fw: masquerade 10.0.2.1 on gk0 ---- ns "gk" peer 10.0.2.2:5060
#                                 default drop, ct helper avaya-sip
#
# 1. INVITE A (m=audio 4000), then INVITE B (other Call-ID, m=audio 3999) to
#    the same peer: B's RTCP at 4000 clashes with A's RTP. The expectation
#    table must stay walkable, B must reach the peer, its announced RTP port
#    p and p+1 must both be expected, RTP to p must reach the UA's :3999, and
#    flushing the expectations must not crash.
# 2. The same with m=audio 5059, whose RTCP would clash with the peer's
#    registration pinhole on 5060.
# 3. a=rtcp:R with R != RTP+1 and a free RTP port: RTCP from the peer to the
#    a=rtcp port it was told reaches the UA's R.
# 4. NAT66 (review of issue 14, F2): nat_claims_per_host counts an IPv6
#    host's /64, not each address: with a quota of 2, fd00:1::2 offers two
#    calls (pinholes), then fd00:1::3 of the same /64 offers a third: it is
#    refused and counted (nat_refused_host_claims), not given a quota of
#    its own.

hsn_msg="python3 $TOP/tests/sip/sipmsg.py"
hsn_dir=

# hsn_ruleset [ip|ip6]: default drop, avaya-sip on the UA's requests,
# masquerade of that family (ip: IPv4, the default).
hsn_ruleset() {
	fw nft flush ruleset
	fw nft -f - <<EOF
table inet fw {
	ct helper hsn-sip {
		type "avaya-sip" protocol udp;
	}
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established,related accept
		iifname "ph0" oifname "gk0" udp dport 5060 ct helper set "hsn-sip" accept
	}
}
table ${1:-ip} nat {
	chain post {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "gk0" masquerade
	}
}
EOF
}

hsn_flush() {
	fw conntrack -F >/dev/null 2>&1
	fw conntrack -F expect >/dev/null 2>&1
	return 0
}

# hsn_add_rtcp FILE PORT: add a=rtcp:PORT after the m= line, fix Content-Length.
hsn_add_rtcp() {
	python3 - "$1" "$2" <<'PY'
import sys
path, port = sys.argv[1], sys.argv[2]
head, body = open(path, 'rb').read().split(b'\r\n\r\n', 1)
lines = body.split(b'\r\n')
i = next(k for k, l in enumerate(lines) if l.startswith(b'm=audio'))
lines.insert(i + 1, b'a=rtcp:' + port.encode())
body = b'\r\n'.join(lines)
head = b'\r\n'.join(b'Content-Length: %d' % len(body)
                    if h.lower().startswith(b'content-length:') else h
                    for h in head.split(b'\r\n'))
open(path, 'wb').write(head + b'\r\n\r\n' + body)
PY
}

# hsn_invite NAME MEDIAPORT [RTCP]: the UA sends INVITE NAME to the peer,
# which saves it as $hsn_dir/NAME.rx.0 and answers 100 Trying.
hsn_invite() {
	local f=$hsn_dir/$1.req

	$hsn_msg invite --src 10.0.1.2:5060 --dst 10.0.2.2:5060 \
		--media "10.0.1.2:$2" --call-id "hsn-$1@avaya.test" -o "$f"
	[ -z "${3:-}" ] || hsn_add_rtcp "$f" "$3"
	rm -f "$hsn_dir/$1.rx.0"
	bg gk $NU udp-serve 10.0.2.2:5060 --reply "$hsn_dir/trying" --count 1 \
		--timeout 15 --save "$hsn_dir/$1.rx" >/dev/null
	wait_listen gk udp 5060 || return 1
	ph $NU udp-send 10.0.1.2:5060 10.0.2.2:5060 "$f" \
		--expect-reply "$hsn_dir/$1.got" --timeout 5 >/dev/null
	wait_bg
	test -s "$hsn_dir/$1.rx.0"
}

# hsn_register: a registration through the firewall, pinhole peer -> 10.0.2.1:5060.
hsn_register() {
	$hsn_msg register --src 10.0.1.2:5060 --dst 10.0.2.2:5060 \
		--contact 10.0.1.2:5060 --expires 300 -o "$hsn_dir/reg.req"
	$hsn_msg ok --src 10.0.1.2:5060 --dst 10.0.2.2:5060 \
		--contact 10.0.2.1:5060 --expires 300 -o "$hsn_dir/reg.ok"
	bg gk $NU udp-serve 10.0.2.2:5060 --reply "$hsn_dir/reg.ok" --count 1 \
		--timeout 15 >/dev/null
	wait_listen gk udp 5060 || return 1
	ph $NU udp-send 10.0.1.2:5060 10.0.2.2:5060 "$hsn_dir/reg.req" \
		--expect-reply "$hsn_dir/reg.got" --timeout 5 >/dev/null
	wait_bg
	hsn_expected 5060
}

# hsn_sdp NAME FIELD: m (audio port) or rtcp, as the peer received it.
hsn_sdp() {
	tr -d '\r' < "$hsn_dir/$1.rx.0" 2>/dev/null | case $2 in
	m) sed -n 's/^m=audio \([0-9]*\) .*/\1/p' ;;
	rtcp) sed -n 's/^a=rtcp:\([0-9]*\).*/\1/p' ;;
	esac | head -n 1
}

# hsn_expected PORT: a pinhole from the peer to the public address on PORT.
hsn_expected() {
	timeout 20 ip netns exec fw conntrack -L expect 2>/dev/null |
		grep -q "proto=17 src=10.0.2.2 dst=10.0.2.1 sport=[0-9]* dport=$1 "
}

hsn_list() { timeout 20 ip netns exec fw conntrack -L expect >/dev/null 2>&1; }

# hsn_dump: what the firewall holds, for the log.
hsn_dump() {
	echo "-- expectations:"
	timeout 20 ip netns exec fw conntrack -L expect 2>/dev/null | sed 's/^/   /'
	echo "-- conntrack:"
	fw conntrack -L 2>/dev/null | sed 's/^/   /'
	echo "-- avaya counters (non-zero):"
	fw grep -E '^(sip|nat)_' /proc/net/nf_conntrack_avaya 2>/dev/null |
		grep -v ' 0$' | sed 's/^/   /'
}

# hsn_reaches PUBPORT UAPORT: a datagram from the peer to 10.0.2.1:PUBPORT
# arrives at the UA's 10.0.1.2:UAPORT.
hsn_reaches() {
	bg ph $NU udp-recv "10.0.1.2:$2" --timeout 8 --count 1
	wait_listen ph udp "$2" || return 1
	gk $NU udp-send 10.0.2.2:40000 "10.0.2.1:$1" "$hsn_dir/trying" >/dev/null
	wait_bg
}

# hsn_clash NAME1 PORT1 NAME2 PORT2: two calls, the second one's pair clashes.
hsn_clash() {
	local p

	check "$1: INVITE $1 (m=audio $2) reaches the peer" hsn_invite "$1" "$2"
	check "$1: INVITE $3 (m=audio $4, other Call-ID) reaches the peer" \
		hsn_invite "$3" "$4"
	check "$1: the expectation table can still be listed" hsn_list
	p=$(hsn_sdp "$3" m)
	echo "   $3 announced m=audio ${p:-none}"
	check "$1: $3's RTP port ${p:-none} is expected" hsn_expected "${p:-0}"
	check "$1: ... and its RTCP port $((${p:-0} + 1))" hsn_expected $((${p:-0} + 1))
	check "$1: RTP to 10.0.2.1:${p:-none} reaches the UA's :$4" \
		hsn_reaches "${p:-0}" "$4"
}

# hsn_invite6 NAME SRCADDR MEDIAPORT: an IPv6 INVITE through ip6 masquerade;
# true when the peer [fd00:2::2]:5060 received it.
hsn_invite6() {
	local f=$hsn_dir/$1.req

	$hsn_msg invite --src "[$2]:5060" --dst "[fd00:2::2]:5060" \
		--media "[$2]:$3" --call-id "hsn-$1@avaya.test" -o "$f"
	rm -f "$hsn_dir/$1.rx.0"
	bg gk $NU udp-serve "[fd00:2::2]:5060" --reply "$hsn_dir/trying" --count 1 \
		--timeout 4 --save "$hsn_dir/$1.rx" >/dev/null
	wait_listen gk udp 5060 || return 1
	ph $NU udp-send "[$2]:5060" "[fd00:2::2]:5060" "$f" \
		--expect-reply "$hsn_dir/$1.got" --timeout 3 >/dev/null
	wait_bg
	test -s "$hsn_dir/$1.rx.0"
}

hsn_ctr() { fw awk -v n="$1" '$1 == n { print $2 }' /proc/net/nf_conntrack_avaya; }

hsn_nat66_quota() {
	local natp=/sys/module/nf_nat_avaya/parameters q r

	hsn_ruleset ip6
	check "4. nat_claims_per_host=2 accepted" fw sh -c "echo 2 > $natp/nat_claims_per_host"
	q=$(hsn_ctr nat_refused_host_claims)
	check "4. fd00:1::2's first offer (m=audio 6100) reaches the peer" \
		hsn_invite6 e4a fd00:1::2 6100
	check "4. fd00:1::2's second offer (m=audio 6102) reaches the peer" \
		hsn_invite6 e4b fd00:1::2 6102
	for r in e4a e4b; do
		r=$(hsn_sdp "$r" m)
		check "4. its pinhole fd00:2::2 -> fd00:2::1:${r:-none}" \
			sh -c "timeout 20 ip netns exec fw conntrack -L expect -f ipv6 2>/dev/null | grep -q 'src=fd00:2::2 dst=fd00:2::1 sport=[0-9]* dport=${r:-none} '"
	done
	check_not "4. fd00:1::3 (same /64) offering a third call is not forwarded" \
		hsn_invite6 e4c fd00:1::3 6104
	check "4. refused and counted as the /64's quota (nat_refused_host_claims ${q:-?} -> $(hsn_ctr nat_refused_host_claims))" \
		[ "$(hsn_ctr nat_refused_host_claims)" = $((${q:-0} + 1)) ]
	fw sh -c "echo 4096 > $natp/nat_claims_per_host"
}

hostile_sip_nat() {
	local first=${#PIDS[@]}

	hsn_dir=$(mktemp -d)
	printf 'SIP/2.0 100 Trying\r\nContent-Length: 0\r\n\r\n' > "$hsn_dir/trying"
	hsn_ruleset
	hsn_flush

	echo "== sip_nat 1. two calls, the second one's RTCP clashes with the first's RTP"
	hsn_clash "1" 4000 "b1" 3999
	hsn_dump
	check "1. flushing the expectations returns" timeout 20 ip netns exec fw conntrack -F expect
	hsn_flush

	echo "== sip_nat 2. m=audio 5059 next to the registration pinhole on 5060"
	check "2. registration pinhole peer -> 10.0.2.1:5060" hsn_register
	check "2. INVITE c2 (m=audio 5059) reaches the peer" hsn_invite c2 5059
	check "2. the expectation table can still be listed" hsn_list
	r=$(hsn_sdp c2 m)
	echo "   c2 announced m=audio ${r:-none}"
	check "2. c2's RTP port ${r:-none} is expected" hsn_expected "${r:-0}"
	check "2. ... and its RTCP port $((${r:-0} + 1))" hsn_expected $((${r:-0} + 1))
	check "2. the registration pinhole is still there" hsn_expected 5060
	check "2. RTP to 10.0.2.1:${r:-none} reaches the UA's :5059" hsn_reaches "${r:-0}" 5059
	hsn_dump
	check "2. flushing the expectations returns" timeout 20 ip netns exec fw conntrack -F expect
	hsn_flush

	echo "== sip_nat 3. a=rtcp:4555 next to m=audio 4200"
	check "3. INVITE d3 (m=audio 4200, a=rtcp:4555) reaches the peer" \
		hsn_invite d3 4200 4555
	r=$(hsn_sdp d3 rtcp)
	echo "   d3 announced m=audio $(hsn_sdp d3 m) a=rtcp:${r:-none}"
	check "3. the announced a=rtcp port ${r:-none} is expected" hsn_expected "${r:-0}"
	check "3. RTCP to 10.0.2.1:${r:-none} reaches the UA's :4555" hsn_reaches "${r:-0}" 4555
	check_not "3. nothing from the peer to 10.0.2.1:4201 reaches the UA's :4555" \
		hsn_reaches 4201 4555

	hsn_dump
	hsn_flush

	echo "== sip_nat 4. NAT66: one quota per /64"
	hsn_nat66_quota
	hsn_dump
	hsn_flush
	fw nft flush ruleset
	kill_tree "${PIDS[@]:$first}"
	rm -rf "$hsn_dir"
	return 0
}
