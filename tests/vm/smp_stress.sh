#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# avaya-vm: kernel oldest (make check; the debug lane runs it on two CPUs)
#
# SMP stress (issue 12): many flows driven from both sides at once, so that
# the two directions of one connection meet on two CPUs (the debug lane's
# guest has two; the normal lanes' one CPU still interleaves them through
# softirqs). Through masquerade: RAS registration storms (RRQ, keepalive,
# URQ from 12 phones on three addresses, the gatekeeper answering), Q.931
# calls with fastStart and tunnelled H.245 on several connections at once
# (messages split across segments), SIP over UDP and TCP (split, pipelined,
# requests from both ends of a TCP connection). Every generator is a separate
# process (tests/lib/stress.py) and runs for a bounded time.
#
# Phase 1, quiet: the helper counters must add up to what was sent, and no
# message is malformed. Phase 2, chaos: the same load while `conntrack -D`
# deletes live helper flows, `conntrack -F` flushes, and a second firewall
# namespace carrying helper traffic is torn down under it, three times. Then
# the box must answer, no expectation may outlive its master, and the
# counters may not claim more messages than were sent.
#
# SMP_STRESS_QUIET=s, SMP_STRESS_CHAOS=s set the phases' lengths (8, 20).
set -u
. "$(dirname "$0")/lib.sh"

ST="python3 $TOP/tests/lib/stress.py"
QUIET=${SMP_STRESS_QUIET:-8}
CHAOS=${SMP_STRESS_CHAOS:-20}
work=$(mktemp -d /tmp/smp.XXXXXX)
T0=$(date +%s)
trap 'stop_netns t1 tf t2; cleanup' EXIT

ruleset() {	# NS IN OUT NAT: the firewall, our helpers on every port
	ip netns exec "$1" nft -f - <<EOF
table inet fw {
	ct helper ras { type "avaya-ras" protocol udp; }
	ct helper q931 { type "avaya-q931" protocol tcp; }
	ct helper sip { type "avaya-sip" protocol udp; }
	ct helper siptcp { type "avaya-sip" protocol tcp; }
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established,related accept
		iifname "$2" oifname "$3" udp dport 1719 ct helper set "ras" accept
		iifname "$2" oifname "$3" tcp dport 1720 ct helper set "q931" accept
		iifname "$2" oifname "$3" udp dport 5060 ct helper set "sip" accept
		iifname "$2" oifname "$3" tcp dport 5060 ct helper set "siptcp" accept
	}
}
EOF
	[ "$4" = nat ] || return 0
	ip netns exec "$1" nft -f - <<EOF
table ip nat {
	chain post {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "$3" masquerade
	}
}
EOF
}

ctr() {	# NAME...: the sum of these counters in the firewall
	fw awk -v names=" $* " 'index(names, " " $1 " ") { s += $2 } END { print s + 0 }' \
		/proc/net/nf_conntrack_avaya
}

RAS_CTRS="ras_rrq ras_rrq_keepalive ras_urq ras_rcf ras_ucf"

# load SECONDS TAG: every generator pair through fw; "sent" lines in $work/TAG.*
load() {
	local d=$1 tag=$2 servers=() clients=() p stop=$work/$2.stop

	$ST ras-gk gk 10.0.2.2:1719 --duration "$d" --until "$stop" > "$work/$tag.rasgk" 2>&1 & servers+=($!)
	$ST q931-callee gk 10.0.2.2:1720 --duration "$d" --until "$stop" > "$work/$tag.q931gk" 2>&1 & servers+=($!)
	$ST sip-uas gk 10.0.2.2:5060 --duration "$d" --until "$stop" > "$work/$tag.sipgk" 2>&1 & servers+=($!)
	wait_listen gk tcp 1720 && wait_listen gk tcp 5060 && wait_listen gk udp 1719
	# --min: a loaded host may give a short run little CPU; every kind
	# of traffic must still have happened in each phase.
	$ST ras-phones ph 10.0.2.2:1719 10.0.1.2 10.0.1.3 10.0.1.4 --phones 12 \
		--duration "$d" --min 120 > "$work/$tag.rasph" 2>&1 & clients+=($!)
	$ST q931-caller ph 10.0.2.2:1720 10.0.1.2 --conns 4 \
		--duration "$d" --min 30 > "$work/$tag.q931ph" 2>&1 & clients+=($!)
	$ST sip-uac ph 10.0.2.2:5060 10.0.1.3 --udp 4 --tcp 3 \
		--duration "$d" --min 60 > "$work/$tag.sipph" 2>&1 & clients+=($!)
	for p in "${clients[@]}"; do wait "$p"; done
	touch "$stop"
	for p in "${servers[@]}"; do wait "$p"; done
}

sent() {	# TAG ROLE...: messages these generators sent
	local tag=$1 s=0 n r

	shift
	for r in "$@"; do
		n=$(sed -n 's/^stress: .* sent //p' "$work/$tag.$r")
		if [ -z "$n" ]; then
			echo "smp_stress: $tag.$r reported nothing:"
			tail -n 5 "$work/$tag.$r"
			n=0
		fi
		s=$((s + n))
	done
	echo "$s"
}

# A second firewall (t1 - tf - t2) with helper traffic, deleted under it.
teardown_round() {
	local i=$1 pids=() p

	for ns in t1 tf t2; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
	ip link add a0 netns t1 type veth peer name ta netns tf
	ip link add b0 netns t2 type veth peer name tb netns tf
	ip -n t1 link set a0 up; ip -n tf link set ta up
	ip -n t2 link set b0 up; ip -n tf link set tb up
	ip -n t1 addr add 10.9.1.2/24 dev a0
	ip -n tf addr add 10.9.1.1/24 dev ta
	ip -n tf addr add 10.9.2.1/24 dev tb
	ip -n t2 addr add 10.9.2.2/24 dev b0
	ip -n t1 route add default via 10.9.1.1
	ip -n t2 route add default via 10.9.2.1
	ip netns exec tf sysctl -qw net.ipv4.ip_forward=1
	ip netns exec tf sysctl -qw net.netfilter.nf_conntrack_helper=0 2>/dev/null
	ruleset tf ta tb nat
	$ST ras-gk t2 10.9.2.2:1719 --duration 8 >/dev/null 2>&1 & pids+=($!)
	$ST sip-uas t2 10.9.2.2:5060 --duration 8 >/dev/null 2>&1 & pids+=($!)
	wait_listen t2 tcp 5060
	$ST ras-phones t1 10.9.2.2:1719 10.9.1.2 --phones 4 --duration 8 >/dev/null 2>&1 & pids+=($!)
	$ST sip-uac t1 10.9.2.2:5060 10.9.1.2 --udp 2 --tcp 2 --duration 8 >/dev/null 2>&1 & pids+=($!)
	command sleep 3
	echo "smp_stress: round $i: deleting the second firewall under traffic"
	ip netns del tf
	for p in "${pids[@]}"; do wait "$p"; done
	ip netns del t1
	ip netns del t2
}

chaos() {	# SECONDS: delete and flush helper flows, tear a firewall down
	local end=$((SECONDS + $1)) i=0

	while [ $SECONDS -lt "$end" ]; do
		i=$((i + 1))
		fw conntrack -D -p udp --orig-port-dst 1719 >/dev/null 2>&1
		fw conntrack -D -p tcp --orig-port-dst 5060 >/dev/null 2>&1
		fw conntrack -D -p udp --orig-port-dst 5060 >/dev/null 2>&1
		[ $((i % 3)) = 0 ] && fw conntrack -D -p tcp --orig-port-dst 1720 >/dev/null 2>&1
		[ $((i % 5)) = 0 ] && fw conntrack -F >/dev/null 2>&1
		command sleep 0.5
	done
	echo "smp_stress: chaos: $i rounds of deletions"
}

# Every expectation's master must still be in the table: print orphans.
orphans() {
	local all

	all=$(fw conntrack -L 2>/dev/null; fw conntrack -L -f ipv6 2>/dev/null)
	fw conntrack -L expect 2>/dev/null |
		sed -n 's/.*master-src=\([^ ]*\) master-dst=\([^ ]*\) sport=\([0-9]*\) dport=\([0-9]*\).*/\1 \2 \3 \4/p' |
	while read -r s d sp dp; do
		grep -qF "src=$s dst=$d sport=$sp dport=$dp " <<<"$all" ||
			echo "orphan: master $s:$sp -> $d:$dp"
	done
}

SIP_DIAG="sip_tcp_reassembled sip_tcp_retransmit_ignored sip_tcp_gap sip_tcp_split_skipped sip_nat_split_unrewritten"
diag() {	# the SIP stream counters, for the log
	local n

	for n in $SIP_DIAG; do printf '%s=%s ' "$n" "$(ctr "$n")"; done
	echo
}

setup_topology
ruleset fw ph0 gk0 nat

echo "==== phase 1: quiet, $QUIET s ($(($(date +%s) - T0)) s)"
diag
before_ras=$(ctr $RAS_CTRS)
before_q931=$(ctr q931_messages)
before_sip=$(ctr sip_messages)
before_bad=$(ctr ras_malformed q931_malformed h245_malformed sip_malformed)
load "$QUIET" q
ras=$(sent q rasph rasgk)
q931=$(sent q q931ph q931gk)
sip=$(sent q sipph sipgk)
got_ras=$(($(ctr $RAS_CTRS) - before_ras))
got_q931=$(($(ctr q931_messages) - before_q931))
got_sip=$(($(ctr sip_messages) - before_sip))
echo "smp_stress: sent ras $ras q931 $q931 sip $sip; the helpers saw ras $got_ras q931 $got_q931 sip $got_sip"
cat "$work"/q.* | grep -v ' sent '
diag
o=$(orphans)
[ -n "$o" ] && echo "$o" | head -n 5
check "load ran (ras, q931 and sip messages > 0)" test "$ras" -gt 0 -a "$q931" -gt 0 -a "$sip" -gt 0
check "RAS messages seen = sent ($got_ras = $ras)" test "$got_ras" = "$ras"
check "Q.931 messages seen = sent ($got_q931 = $q931)" test "$got_q931" = "$q931"
check "SIP messages seen = sent ($got_sip = $sip)" test "$got_sip" = "$sip"
check "no malformed message in valid traffic" \
	test "$(ctr ras_malformed q931_malformed h245_malformed sip_malformed)" = "$before_bad"
check "no expectation without its master after phase 1" test -z "$o"

echo "==== phase 2: chaos, $CHAOS s ($(($(date +%s) - T0)) s)"
before_ras=$(ctr $RAS_CTRS)
before_q931=$(ctr q931_messages)
before_sip=$(ctr sip_messages)
load "$CHAOS" c &
loadpid=$!
chaos "$CHAOS" &
chaospid=$!
for i in 1 2 3; do teardown_round "$i"; done
wait "$chaospid"
wait "$loadpid"
ras=$(sent c rasph rasgk)
q931=$(sent c q931ph q931gk)
sip=$(sent c sipph sipgk)
got_ras=$(($(ctr $RAS_CTRS) - before_ras))
got_q931=$(($(ctr q931_messages) - before_q931))
got_sip=$(($(ctr sip_messages) - before_sip))
echo "smp_stress: sent ras $ras q931 $q931 sip $sip; the helpers saw ras $got_ras q931 $got_q931 sip $got_sip"
check "chaos load ran (messages > 0)" test "$ras" -gt 0 -a "$q931" -gt 0 -a "$sip" -gt 0
check "RAS messages seen <= sent under deletions" test "$got_ras" -le "$ras"
check "Q.931 messages seen <= sent under deletions" test "$got_q931" -le "$q931"
check "SIP messages seen <= sent under deletions" test "$got_sip" -le "$sip"

echo "==== afterwards ($(($(date +%s) - T0)) s)"
check "'conntrack -L expect' returns within 20 s" \
	sh -c 'timeout 20 ip netns exec fw conntrack -L expect >/dev/null 2>&1; [ $? -ne 124 ]'
o=$(orphans)
[ -n "$o" ] && echo "$o" | head -n 5
check "no expectation without its master after chaos" test -z "$o"
fw conntrack -F >/dev/null 2>&1
no_expectations() { [ "$(expect_lines | grep -c .)" = 0 ]; }
check "a flush of every conntrack leaves no expectation" eventually no_expectations
check "the second firewall namespace is gone" sh -c '! ip netns list | grep -qw tf'
echo "smp_stress: $(($(date +%s) - T0)) s"
rm -rf "$work"
finish
