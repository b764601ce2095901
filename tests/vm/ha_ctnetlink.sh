#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# avaya-vm: ownboot (it unloads our modules: a guest of its own)
#
# Copies made through ctnetlink with what conntrack(8) no longer sends
# (CTA_EXPECT_CLASS, CTA_EXPECT_FN "avaya-follow"), as a patched library or
# any other CAP_NET_ADMIN ctnetlink client can: the review of issue 17's
# kernel part (/work/review17, findings F1, F2, F3, F6). tests/lib/ctnl.py
# makes the requests; the flows exist only as conntrack entries, and raw
# sockets send their packets.
#
#   ph 10.0.1.2 ---- fw: forward drops all but established,related ---- gk 10.0.2.2
#                    (no helper rules: ctnetlink sets them)
#
# 1. F2: a RAS flow (avaya-ras) and an expectation of class 0 (reverse-q931)
#    whose tuple is udp, with fn avaya-follow: the udp flow it admits gets no
#    avaya-q931 (a tcp helper); its packets both ways pass.
# 2. F3: a Q.931 flow created through ctnetlink (helper avaya-q931, picked
#    up in the middle) and strict=1: of 12 segments that do not frame, the
#    first 8 pass (the pick-up budget), the next 4 are dropped.
# 3. F6: an update of that flow naming its own helper re-arms nothing:
#    ha_flow_picked_up stays, junk is still dropped.
# 3b. Review of 7c88823, finding 1: a registration pinhole copied through
#    ctnetlink (class 0, fn avaya-follow, no assign_helper) on a SIP flow
#    from 10.0.1.2:5070; the phone registers again from 10.0.1.2:5060 (a
#    new flow, as after a restart): its pinhole supersedes the copy.
# 4. F1: an expectation with fn avaya-follow on a master with the stock ftp
#    helper; after `modprobe -r nf_nat_avaya nf_conntrack_avaya` it is gone,
#    and a packet matching its tuple crashes nothing.
set -u
. "$(dirname "$0")/lib.sh"

CTNL="python3 $TOP/tests/lib/ctnl.py"
work=$(mktemp -d)
STRICT=/sys/module/nf_conntrack_avaya/parameters/strict
strict0=$(cat "$STRICT")

ctr() {	# NAME: the counter's value in fw, 0 when it does not exist (yet)
	local v

	v=$(fw awk -v n="$1" '$1 == n { print $2 }' /proc/net/nf_conntrack_avaya 2>/dev/null)
	echo "${v:-0}"
}

sink_seen() {	# how many tcp/1720 segments reached gk
	gk nft list counter ip sink seen | awk '$1 == "packets" { print $2 }'
}

setup_topology
dmesg0=$(dmesg | wc -l)
fw nft -f - <<'EOF'
table inet fw {
	ct helper sip-udp {
		type "avaya-sip" protocol udp;
	}
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established,related accept
	}
}
EOF
# gk counts what reaches it and answers nothing (no RST to end the flows).
gk nft -f - <<'EOF'
table ip sink {
	counter seen {
	}
	chain input {
		type filter hook input priority filter; policy accept;
		tcp dport 1720 counter name seen drop
	}
}
EOF
# Window tracking has no history for a flow made through ctnetlink.
fw sysctl -qw net.netfilter.nf_conntrack_tcp_be_liberal=1
# A media flow that goes must go because the helper closed it, never by the
# UDP tracker's 30 s for one-way flows (the debug lane's steps outlast it).
fw sysctl -qw net.netfilter.nf_conntrack_udp_timeout=600 \
	net.netfilter.nf_conntrack_udp_timeout_stream=600
fw conntrack -F >/dev/null 2>&1

echo "-- 1. F2: a class-0 RAS expectation with a udp tuple"
check "a RAS flow with helper avaya-ras is created" \
	fw $CTNL ct-new udp 10.0.1.2:49300 10.0.2.2:1719 --helper avaya-ras
check "an expectation (class 0, udp, fn avaya-follow) on it is created" \
	fw $CTNL exp-new --master udp 10.0.1.2:49300 10.0.2.2:1719 \
	--tuple udp 10.0.2.2:0 10.0.1.2:4000 --class 0 --fn avaya-follow
expect_lines | sed 's/^/   /'
printf 'aaaa\x50\x01' > "$work/fin"
printf 'a' > "$work/one"
gk $NU udp-send 10.0.2.2:40001 10.0.1.2:4000 "$work/fin" >/dev/null 2>&1
ph $NU udp-send 10.0.1.2:4000 10.0.2.2:40001 "$work/fin" >/dev/null 2>&1
ph $NU udp-send 10.0.1.2:4000 10.0.2.2:40001 "$work/one" >/dev/null 2>&1
line=$(fw conntrack -L -p udp --dport 4000 2>/dev/null)
echo "   $line"
check "the expectation admitted the udp flow" grep -q 'dport=4000' <<<"$line"
check_not "the udp flow has no avaya-q931 (a tcp helper)" grep -q 'helper=avaya-q931' <<<"$line"

echo "-- 2. F3: strict=1, junk on a Q.931 flow picked up through ctnetlink"
check "a Q.931 flow with helper avaya-q931 is created" \
	fw $CTNL ct-new tcp 10.0.1.2:40100 10.0.2.2:1720 --helper avaya-q931
fw conntrack -L -p tcp --dport 1720 2>/dev/null | sed 's/^/   /'
echo 1 > "$STRICT"
skip0=$(ctr ha_pickup_skipped)
dropped0=$(ctr dropped_strict)
junk=00$(printf '%040x' 0)
ph $NU tcp-raw 10.0.1.2:40100 10.0.2.2:1720 "$junk" --count 12 --seq 1000
sleep 0.5
nskip=$(($(ctr ha_pickup_skipped) - skip0))
dropped=$(($(ctr dropped_strict) - dropped0))
seen=$(sink_seen)
echo "   ha_pickup_skipped +$nskip, dropped_strict +$dropped, $seen reached gk"
check "the first 8 segments pass as out of step" [ "$nskip" = 8 ]
check "the 4 segments beyond the pick-up budget are dropped" [ "$dropped" = 4 ]
check "8 segments reached gk" [ "$seen" = 8 ]

echo "-- 3. F6: an update naming the flow's own helper re-arms nothing"
picked0=$(ctr ha_flow_picked_up)
check "the update is accepted" \
	fw $CTNL ct-new tcp 10.0.1.2:40100 10.0.2.2:1720 --helper avaya-q931 --update
check "ha_flow_picked_up stays" [ "$(ctr ha_flow_picked_up)" = "$picked0" ]
dropped0=$(ctr dropped_strict)
ph $NU tcp-raw 10.0.1.2:40100 10.0.2.2:1720 "$junk" --count 2 --seq $((1000 + 12 * 21))
sleep 0.5
check "junk after the update is still dropped" [ "$(($(ctr dropped_strict) - dropped0))" = 2 ]
echo "$strict0" > "$STRICT"

echo "-- 3b. a synced registration pinhole gives way to the phone's REGISTER from a new flow"
# conntrackd's copy has no assign_helper (ctnetlink_create_expect passes
# none): the supersede compare takes the helper its SIP master implies.
check "a SIP flow 10.0.1.2:5070 -> registrar with helper avaya-sip is created" \
	fw $CTNL ct-new udp 10.0.1.2:5070 10.0.2.2:5060 --helper avaya-sip
check "its registration pinhole (class 0, fn avaya-follow) is created" \
	fw $CTNL exp-new --master udp 10.0.1.2:5070 10.0.2.2:5060 \
	--tuple udp 10.0.2.2:0 10.0.1.2:5060 --class 0 --fn avaya-follow
fw nft add rule inet fw forward ip saddr 10.0.1.2 udp dport 5060 ct helper set "sip-udp" accept
MSG="python3 $TOP/tests/sip/sipmsg.py"
REG="--src 10.0.1.2:5060 --dst 10.0.2.2:5060 --contact 10.0.1.2:5060 --expires 600"
$MSG register $REG -o "$work/reg"
$MSG ok $REG -o "$work/reg.ok"
sup0=$(ctr sip_register_superseded)
bg gk $NU udp-serve 10.0.2.2:5060 --reply "$work/reg.ok" --timeout 10 >/dev/null
wait_listen gk udp 5060
ph $NU udp-send 10.0.1.2:5060 10.0.2.2:5060 "$work/reg" \
	--expect-reply "$work/reg.got" --timeout 3 >/dev/null
wait_bg
expect_lines | sed 's/^/   /'
check "the REGISTER from 10.0.1.2:5060 superseded the copy (counted)" \
	[ "$(ctr sip_register_superseded)" = $((sup0 + 1)) ]
check "the registration pinhole now belongs to the new flow" \
	sh -c "ip netns exec fw conntrack -L expect 2>/dev/null | grep 'dport=5060 ' | grep -q 'master-src=10.0.1.2 master-dst=10.0.2.2 sport=5060 dport=5060'"
check "no refusal counted" [ "$(ctr sip_refused_expect_failed)" = 0 ]
# The ct helper object holds our module: case 4 unloads it.
fw nft flush chain inet fw forward
fw nft delete ct helper inet fw sip-udp
fw nft add rule inet fw forward ct state established,related accept

echo "-- 3c. synced call pinholes tagged with a slot the backup never saw taken"
# The primary's call A (cref 7) held slot 1: its pinholes' tags say so
# (16385 = slot 1, channel 1). The backup saw no Setup. A new call B (cref
# 9) set up there must not take slot 1 (B's end would end A); A's end, a
# ReleaseComplete naming no call the backup knows, ends A's pinholes and
# the flows they admitted.
CALL="python3 $TOP/tests/lib/h323call.py"
check "a Q.931 flow with helper avaya-q931 is created" \
	fw $CTNL ct-new tcp 10.0.1.2:40200 10.0.2.2:1720 --helper avaya-q931
for port in 5000 5001; do
	check "a media pinhole gk -> phone:$port tagged 16385 is created" \
		fw $CTNL exp-new --master tcp 10.0.1.2:40200 10.0.2.2:1720 \
		--tuple udp 10.0.2.2:16385 10.0.1.2:$port --class 1 --fn avaya-follow
done
setup9=$($CALL setup --cref 9 --fs 10.0.1.2:5010)
rlc9=$($CALL releasecomplete --cref 9)
rlc7=$($CALL releasecomplete --cref 7)
seq=5000
q931_send() {	# HEX: the next segment of the phone's side of 40200 -> 1720
	ph $NU tcp-raw 10.0.1.2:40200 10.0.2.2:1720 "$1" --seq $seq >/dev/null
	seq=$((seq + ${#1} / 2))
}
q931_send "$setup9"
expect_lines | sed 's/^/   /'
tag_of() {	# DPORT: the slot in the tag of the pinhole to that port
	expect_lines | awk -v d="dport=$1" '$2 == "proto=17" && $6 == d {
		sub(/^sport=/, "", $5); print int($5 / 16384) }'
}
check "call B's pinholes open (5010)" test -n "$(tag_of 5010)"
check "call B took a slot other than A's synced 1 (got $(tag_of 5010))" \
	test "$(tag_of 5010)" -ge 2
printf 'rtp' > "$work/rtp"
gk $NU udp-send 10.0.2.2:6000 10.0.1.2:5000 "$work/rtp" >/dev/null 2>&1
check "A's pinhole admitted gk -> phone:5000 with helper avaya-h323m" \
	sh -c "ip netns exec fw conntrack -L -p udp --dport 5000 2>/dev/null | grep -q helper=avaya-h323m"
q931_send "$rlc9"
b_gone() { test -z "$(tag_of 5010)"; }
check "B's ReleaseComplete removes B's pinholes" eventually b_gone
check "... and leaves A's flow" \
	sh -c "ip netns exec fw conntrack -L -p udp --dport 5000 2>/dev/null | grep -q dport=5000"
check "... and A's pinhole (5001)" test -n "$(tag_of 5001)"
q931_send "$rlc7"
call_flow_gone() { ! fw conntrack -L -p udp --dport 5000 2>/dev/null | grep -q dport=5000; }
check "A's ReleaseComplete closes the flow the synced pinhole admitted" eventually call_flow_gone
check "... and removes the pinhole left (5001)" test -z "$(tag_of 5001)"

echo "-- 4. F1: an avaya-follow expectation on an ftp master, then unload"
modprobe nf_conntrack_ftp
check "an ftp flow is created" \
	fw $CTNL ct-new tcp 10.0.1.2:1234 10.0.2.2:21 --helper ftp
check "an expectation with fn avaya-follow on it is created" \
	fw $CTNL exp-new --master tcp 10.0.1.2:1234 10.0.2.2:21 \
	--tuple udp 10.0.1.2:0 10.0.2.2:4100 --fn avaya-follow
expect_lines | sed 's/^/   /'
check "the modules unload" modprobe -r nf_nat_avaya nf_conntrack_avaya
check_not "nf_conntrack_avaya is gone" grep -q '^nf_conntrack_avaya ' /proc/modules
expect_lines | sed 's/^/   /'
check_not "no expectation outlives the module its function is in" \
	sh -c 'ip netns exec fw conntrack -L expect 2>/dev/null | grep -q dport=4100'
printf 'x' > "$work/x"
ph $NU udp-send 10.0.1.2:5555 10.0.2.2:4100 "$work/x" >/dev/null 2>&1
sleep 0.5
check "the firewall's table is still readable" fw conntrack -L >/dev/null

if dmesg | tail -n +$((dmesg0 + 1)) | grep -E 'WARNING:|BUG:|Oops|general protection'; then
	fail "the kernel log has a WARNING, BUG or Oops"
else
	pass "the kernel log has no WARNING, BUG or Oops"
fi
rm -rf "$work"
cleanup
finish
